"""Flask-Login loaders: the session cookie, or `Authorization: Bearer <token>`."""
from coopnet.extensions import db, login_manager
from coopnet.platform.accounts import account_for_token
from coopnet.platform.models import Account


@login_manager.user_loader
def load_account(account_id):
    try:
        return db.session.get(Account, int(account_id))
    except (TypeError, ValueError):
        return None


@login_manager.request_loader
def load_account_from_token(request):
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret:
        return None
    return account_for_token(db.session, secret.strip())


@login_manager.unauthorized_handler
def unauthorized():
    from flask import abort, redirect, request, url_for

    from coopnet.errors import is_api_request

    if is_api_request():
        abort(401, "Log in or send an API token.")
    return redirect(url_for("platform.login", next=request.full_path.rstrip("?")))
