"""Platform pages: home, sign up, log in and out, the account page with API tokens."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from coopnet.extensions import db
from coopnet.forms import EmptyForm, submit
from coopnet.links import external_url
from coopnet.platform import accounts, signups, tenants
from coopnet.platform.account_views import log_in
from coopnet.platform.api import signup_link
from coopnet.platform.forms import SIGNUP_FIELDS, FoundAnotherForm, LoginForm, SignupForm, TokenForm
from coopnet.platform.sessions import current_session_id, end_other_sessions, end_session, live_sessions, start_session
from coopnet.platform.throttle import throttle_login, throttle_signup

blueprint = Blueprint("platform", __name__)


def safe_next(target):
    """Only same-site paths; never an absolute URL an attacker chose."""
    if not target or "\\" in target or any(ord(character) < 32 for character in target):
        return None  # a backslash or a control character: browsers may read another host into it
    if target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return None


@blueprint.get("/")
def home():
    memberships = tenants.tenants_of(db.session, current_user) if current_user.is_authenticated else []
    return render_template("platform/home.html", memberships=memberships)


@blueprint.route("/signup", methods=["GET", "POST"])
@throttle_signup
def signup():
    logged_in = current_user.is_authenticated
    form = FoundAnotherForm() if logged_in else SignupForm()

    def found():
        if logged_in:
            return tenants.signup(
                db.session, None, form.name.data, form.slug.data, founder_account=current_user, kind=form.kind.data
            )
        founder = {"name": form.founder_name.data, "email": form.email.data, "password": form.password.data}
        signups.request_signup(
            db.session,
            accounts.hasher(),
            form.name.data,
            form.slug.data,
            form.kind.data,
            founder,
            signup_link,
            external_url("platform.login"),
        )
        db.session.commit()
        return None

    result = submit(form, found, SIGNUP_FIELDS)
    if result.ok and not logged_in:
        # The same page whether or not the address has an account: the mail says which.
        return render_template("platform/signup_sent.html")
    if result.ok:
        tenant = result.value[0]  # (tenant, account); "_" would hide gettext in this whole view
        flash(_("Welcome to %(name)s. Invite your co-founders from the members page.", name=tenant.name), "success")
        return redirect(url_for("home.dashboard", slug=tenant.slug))
    return render_template("platform/signup.html", form=form), result.status


@blueprint.route("/signup/confirm/<token>", methods=["GET", "POST"])
def confirm_signup(token):
    """A button, not a GET that creates: mail scanners open links before people do."""
    form = EmptyForm()
    result = submit(form, lambda: signups.confirm_signup(db.session, token))
    if result.ok:
        tenant, account = result.value
        start_session(account)
        flash(_("Welcome to %(name)s. Invite your co-founders from the members page.", name=tenant.name), "success")
        return redirect(url_for("home.dashboard", slug=tenant.slug))
    return render_template("platform/signup_confirm.html", form=form), result.status


@blueprint.route("/login", methods=["GET", "POST"])
@throttle_login
def login():
    form = LoginForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        account = accounts.authenticate(db.session, accounts.hasher(), form.email.data, form.password.data)
        if account is not None:
            db.session.commit()
            return log_in(account, safe_next(form.next.data))
        form.form_errors.append(_("That email and password do not match an account."))
        status = 401
    elif form.is_submitted():
        status = 422
    return render_template("platform/login.html", form=form), status


@blueprint.post("/logout")
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        end_session(current_user)
        flash(_("You are logged out."), "info")
    return redirect(url_for("platform.home"))


@blueprint.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = TokenForm()
    memberships = tenants.tenants_of(db.session, current_user)
    form.tenant.choices += [
        SelectChoice(tenant.slug, _("%(name)s only", name=tenant.name)) for tenant, _role in memberships
    ]

    def issue():
        days = int(form.expires_in_days.data) if (form.expires_in_days.data or "").isdigit() else None
        _token, secret = accounts.issue_token(
            db.session, current_user, form.name.data, days, form.read_only.data, form.tenant.data or None
        )
        db.session.commit()
        return secret

    result = submit(form, issue)
    tokens = accounts.list_tokens(db.session, current_user)
    page = render_template(
        "platform/account.html",
        form=form,
        tokens=tokens,
        new_secret=result.value,
        memberships=memberships,
        revoke_form=EmptyForm(),
        live_sessions=live_sessions(db.session, current_user),
        current_session=current_session_id(),
    )
    return page, result.status


@blueprint.post("/account/sessions/revoke-all")
@login_required
def revoke_all_sessions():
    if EmptyForm().validate_on_submit():
        end_other_sessions(current_user._get_current_object())
        flash(_("You are logged out everywhere else."), "info")
    return redirect(url_for("platform.account"))


@blueprint.post("/account/tokens/<id:token_id>/revoke")
@login_required
def revoke_token(token_id):
    if EmptyForm().validate_on_submit():
        accounts.revoke_token(db.session, current_user, token_id)
        db.session.commit()
        flash(_("Token revoked."), "info")
    return redirect(url_for("platform.account"))
