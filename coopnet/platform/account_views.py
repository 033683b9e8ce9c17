"""The account's security pages: forgotten password, sign-in link, the second log-in
step, address verification and change, password change, sessions, two-factor
authentication, deleting the account; and a co-op's two-factor rule (admins).

A page a mailed link opens shows a button; the button does the work (mail scanners
open links before people do)."""

import time

from flask import Blueprint, flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coopnet.extensions import db
from coopnet.forms import EmptyForm, committed, submit
from coopnet.platform import account_links, accounts, sessions, two_factor
from coopnet.platform.account_api import mailed_link
from coopnet.platform.account_deletion import delete_account
from coopnet.platform.account_forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    CodeForm,
    CoopSecurityForm,
    EmailForm,
    NewPasswordForm,
    PasswordForm,
    TwoFactorConfirmForm,
)
from coopnet.platform.context import tenant_blueprint, tenant_role
from coopnet.platform.models import Account
from coopnet.platform.throttle import TooManyAttempts, throttle_mailed_links

blueprint = Blueprint("account", __name__)
coop_blueprint = tenant_blueprint("coop_security", __name__)

# How long the second log-in step waits for its code after the password was right.
SECOND_STEP_SECONDS = 300


def log_in(account, next_url=None):
    """Log in, or with two-factor on, go to the second step first."""
    if account.two_factor_enabled:
        session["two_factor"] = {"account": account.id, "at": int(time.time()), "next": next_url}
        return redirect(url_for("account.second_step"))
    sessions.start_session(account)
    return redirect(next_url or url_for("platform.home"))


def _pending_account():
    pending = session.get("two_factor")
    if not isinstance(pending, dict) or not isinstance(pending.get("at"), int):
        return None, None
    if time.time() - pending["at"] > SECOND_STEP_SECONDS:
        return None, None
    account = db.session.get(Account, pending.get("account"))
    return account, pending.get("next")


@blueprint.route("/login/code", methods=["GET", "POST"])
def second_step():
    account, next_url = _pending_account()
    if account is None:
        flash(_("Log in again: the code step waits five minutes."), "info")
        return redirect(url_for("platform.login"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            good = two_factor.check_code(db.session, account, form.code.data)
        except TooManyAttempts as error:
            form.code.errors = [error.message]
            return render_template("platform/login_code.html", form=form), error.status
        if good:
            db.session.commit()
            sessions.start_session(account)
            return redirect(next_url or url_for("platform.home"))
        form.code.errors = [_("That code is wrong or was used already.")]
        status = 401
    return render_template("platform/login_code.html", form=form), status


@blueprint.route("/password/forgot", methods=["GET", "POST"])
@throttle_mailed_links
def forgot_password():
    form = EmailForm()
    result = submit(form, committed(account_links.request_password_reset, db.session, form.email.data, mailed_link))
    if result.ok:
        return render_template("platform/link_sent.html", email=form.email.data)
    return render_template("platform/forgot_password.html", form=form), result.status


@blueprint.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    form = NewPasswordForm()
    action = committed(account_links.reset_password, db.session, accounts.hasher(), token, form.password.data)
    result = submit(form, action)
    if result.ok:
        flash(_("Your password is changed and every session of your account ended. Log in with it."), "success")
        return redirect(url_for("platform.login"))
    return render_template("platform/reset_password.html", form=form), result.status


@blueprint.route("/login/link", methods=["GET", "POST"])
@throttle_mailed_links
def ask_sign_in_link():
    form = EmailForm()
    result = submit(form, committed(account_links.request_sign_in_link, db.session, form.email.data, mailed_link))
    if result.ok:
        return render_template("platform/link_sent.html", email=form.email.data)
    return render_template("platform/sign_in_link.html", form=form), result.status


@blueprint.route("/login/link/<token>", methods=["GET", "POST"])
def sign_in_with_link(token):
    form = EmptyForm()
    result = submit(form, committed(account_links.sign_in_with_link, db.session, token, code_asked_next=True))
    if result.ok:
        return log_in(result.value)  # with two-factor on, the code step comes next
    return render_template("platform/link_button.html", form=form, action=_("Log in")), result.status


@blueprint.route("/account/verify", methods=["POST"])
@login_required
@throttle_mailed_links
def request_verification():
    form = EmptyForm()
    result = submit(form, committed(account_links.request_verification, db.session, current_user, mailed_link))
    if result.ok:
        flash(_("We mailed a link to %(email)s. It works for two days.", email=current_user.email), "success")
    else:
        flash(" ".join(form.form_errors) or _("Nothing was sent."), "error")
    return redirect(url_for("platform.account"))


@blueprint.route("/account/verify/<token>", methods=["GET", "POST"])
def verify_email(token):
    form = EmptyForm()
    result = submit(form, committed(account_links.verify_email, db.session, token))
    if result.ok:
        flash(_("Your address is verified."), "success")
        return redirect(url_for("platform.account" if current_user.is_authenticated else "platform.login"))
    return render_template("platform/link_button.html", form=form, action=_("Verify my address")), result.status


@blueprint.route("/account/email", methods=["GET", "POST"])
@login_required
@throttle_mailed_links
def change_email():
    form = ChangeEmailForm()
    action = committed(
        account_links.request_email_change,
        db.session,
        accounts.hasher(),
        current_user,
        form.password.data,
        form.email.data,
        mailed_link,
    )
    result = submit(form, action)
    if result.ok:
        flash(_("We mailed a link to the new address. Your address changes when it is followed."), "success")
        return redirect(url_for("platform.account"))
    return render_template("platform/change_email.html", form=form), result.status


@blueprint.route("/account/email/<token>", methods=["GET", "POST"])
def confirm_email_change(token):
    form = EmptyForm()
    result = submit(form, committed(account_links.confirm_email_change, db.session, token))
    if result.ok:
        flash(_("Your account now uses %(email)s.", email=result.value.email), "success")
        return redirect(url_for("platform.account" if current_user.is_authenticated else "platform.login"))
    return render_template("platform/link_button.html", form=form, action=_("Use this address")), result.status


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    action = committed(
        accounts.change_password,
        db.session,
        accounts.hasher(),
        current_user,
        form.current_password.data,
        form.new_password.data,
        sessions.current_session_id(),
    )
    result = submit(form, action)
    if result.ok:
        sessions.follow_generation(current_user)
        flash(_("Your password is changed; every other session of your account ended."), "success")
        return redirect(url_for("platform.account"))
    return render_template("platform/change_password.html", form=form), result.status


@blueprint.post("/account/sessions/<id:record_id>/end")
@login_required
def end_session(record_id):
    if EmptyForm().validate_on_submit():
        sessions.end_one_session(current_user, record_id)
        flash(_("That session is logged out."), "info")
    return redirect(url_for("platform.account"))


@blueprint.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_page():
    """Status, and the setup: begin (a secret and its QR code), then confirm with a code."""
    form = TwoFactorConfirmForm()
    action = committed(
        two_factor.confirm_setup,
        db.session,
        accounts.hasher(),
        current_user,
        form.code.data,
        form.password.data,
        sessions.current_session_id(),
    )
    result = submit(form, action)
    if result.ok:
        sessions.follow_generation(current_user)
        return render_template("platform/recovery_codes.html", codes=result.value)
    return render_template(
        "platform/two_factor.html",
        form=form,
        setup=two_factor.pending_setup(current_user),
        begin_form=EmptyForm(),
        password_form=PasswordForm(),
        codes_left=two_factor.recovery_codes_left(db.session, current_user),
        required_by=two_factor.requiring_coops(db.session, current_user),
    ), result.status


@blueprint.post("/account/two-factor/begin")
@login_required
def begin_two_factor():
    form = EmptyForm()
    result = submit(form, committed(two_factor.begin_setup, db.session, current_user))
    if not result.ok:
        flash(" ".join(form.form_errors), "error")
    return redirect(url_for("account.two_factor_page"))


@blueprint.post("/account/two-factor/disable")
@login_required
def disable_two_factor():
    form = PasswordForm()
    result = submit(
        form, committed(two_factor.disable, db.session, accounts.hasher(), current_user, form.password.data)
    )
    if result.ok:
        flash(_("Two-factor authentication is off."), "info")
    else:
        flash(" ".join([*form.form_errors, *form.password.errors]), "error")
    return redirect(url_for("account.two_factor_page"))


@blueprint.post("/account/two-factor/recovery-codes")
@login_required
def new_recovery_codes():
    form = PasswordForm()
    action = committed(
        two_factor.regenerate_recovery_codes, db.session, accounts.hasher(), current_user, form.password.data
    )
    result = submit(form, action)
    if result.ok:
        return render_template("platform/recovery_codes.html", codes=result.value)
    flash(" ".join([*form.form_errors, *form.password.errors]), "error")
    return redirect(url_for("account.two_factor_page"))


@blueprint.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete():
    form = PasswordForm()
    result = submit(form, committed(delete_account, db.session, accounts.hasher(), current_user, form.password.data))
    if result.ok:
        sessions.end_session(current_user)
        flash(_("Your account is deleted. What you did in your co-ops stays there under “Former member”."), "info")
        return redirect(url_for("platform.home"))
    return render_template("platform/delete_account.html", form=form), result.status


@coop_blueprint.route("/security", methods=["GET", "POST"])
@tenant_role("admin")
def coop_security():
    form = CoopSecurityForm(require_two_factor=g.tenant.require_two_factor)
    action = committed(two_factor.set_requirement, db.session, g.tenant.id, current_user, form.require_two_factor.data)
    result = submit(form, action)
    if result.ok:
        flash(_("Saved."), "success")
        return redirect(url_for("coop_security.coop_security"))
    return render_template("platform/coop_security.html", form=form), result.status
