"""Choosing a language: a person's own (page and API) and the rules for a co-op's default.

The services flush; the views commit. ``templates/platform/_language_form.html`` is the
picker any page can include (the account page does)."""

from zoneinfo import available_timezones

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from marshmallow import Schema, fields
from wtforms import HiddenField, SelectField

from coopnet.api import api_blueprint, document_errors
from coopnet.errors import ValidationFailed
from coopnet.extensions import db
from coopnet.i18n import LANGUAGES, supported
from coopnet.platform.models import Account, Tenant
from coopnet.platform.views import safe_next


def locale_problem(code) -> str | None:
    if code in (None, "") or supported(code) == code:
        return None
    return _("Choose one of: %(languages)s.", languages=", ".join(LANGUAGES))


def _checked(code):
    if problem := locale_problem(code):
        raise ValidationFailed(_("That language is not available."), {"locale": problem})
    return code or None


def set_account_locale(session, account: Account, code: str | None) -> str | None:
    """The person's own language; None follows their co-op, then their browser."""
    account.locale = _checked(code)
    session.flush()
    return account.locale


def time_zone_problem(name) -> str | None:
    if name is not None and name not in available_timezones():
        return _("A time zone such as America/Los_Angeles or Europe/Madrid.")
    return None


def set_tenant_time_zone(session, tenant_id: int, name: str | None) -> str | None:
    """The zone a co-op's pages show times in; None (or empty) is UTC."""
    name = (name or "").strip() or None
    if problem := time_zone_problem(name):
        raise ValidationFailed(_("That time zone is not known."), {"time_zone": problem})
    tenant = session.get(Tenant, tenant_id)
    tenant.time_zone = name
    session.flush()
    return tenant.time_zone


def set_tenant_locale(session, tenant_id: int, code: str | None) -> str | None:
    """A co-op's default for people who chose none; None follows each browser."""
    tenant = session.get(Tenant, tenant_id)
    tenant.locale = _checked(code)
    session.flush()
    return tenant.locale


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Language"), validate_choice=False)
    next = HiddenField()  # the page to go back to, if it is on this site


blueprint = Blueprint("language", __name__)


@blueprint.post("/account/language")
@login_required
def choose():
    """The person's language, from the picker; back to the page it was on."""
    form = LanguageForm()
    back = safe_next(form.next.data) or url_for("platform.account")
    if not form.validate_on_submit():
        flash(_("This form has expired or did not come from this site. Reload the page and try again."), "error")
        return redirect(back)
    try:
        set_account_locale(db.session, current_user._get_current_object(), form.locale.data)
    except ValidationFailed as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(back)
    db.session.commit()
    refresh()  # the confirmation is already in the new language
    flash(_("Language saved."), "success")
    return redirect(back)


class LanguageIn(Schema):
    locale = fields.String(
        required=True,
        allow_none=True,
        metadata={"enum": [*LANGUAGES, None], "description": "null follows the co-op's default, then the browser"},
    )


class LanguageOut(Schema):
    locale = fields.String(allow_none=True, metadata={"enum": [*LANGUAGES, None]})


class TimeZoneIn(Schema):
    time_zone = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "an IANA time zone such as America/Los_Angeles; null is UTC"},
    )


class TimeZoneOut(Schema):
    time_zone = fields.String(allow_none=True)


api = api_blueprint("language_api", __name__, "/api/v1", "Your language")


@api.route("/account/language", methods=["GET"])
@api.response(200, LanguageOut)
@document_errors(api, 401)
@login_required
def my_language():
    """The language you chose (null: your co-op's default, then your browser's)."""
    return {"locale": current_user.locale}


@api.route("/account/language", methods=["PUT"])
@api.arguments(LanguageIn)
@api.response(200, LanguageOut)
@document_errors(api, 400, 401, 403, 415, 422)
@login_required
def set_my_language(data):
    """Choose your language: en, es, ru, or null."""
    locale = set_account_locale(db.session, current_user._get_current_object(), data["locale"])
    db.session.commit()
    return {"locale": locale}
