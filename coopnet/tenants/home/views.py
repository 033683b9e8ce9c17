"""The dashboard page of a tenant, and the co-op's default language and time zone."""

from collections import Counter

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from coopnet.extensions import db
from coopnet.forms import committed, submit
from coopnet.platform import tenants
from coopnet.platform.context import has_role, tenant_blueprint, tenant_role
from coopnet.platform.language import set_tenant_locale, set_tenant_time_zone
from coopnet.platform.roles import LABELS, ROLES
from coopnet.tenants.home.forms import CoopLanguageForm, CoopTimeZoneForm

blueprint = tenant_blueprint("home", __name__, template_folder="templates")


def _page(language_form=None, time_zone_form=None, status=200):
    if has_role("admin"):
        language_form = language_form or CoopLanguageForm(locale=g.tenant.locale or "")
        time_zone_form = time_zone_form or CoopTimeZoneForm(time_zone=g.tenant.time_zone or "")
    counts = Counter(membership.role for _unused, membership in tenants.members_of(db.session, g.tenant))
    return render_template(
        "home/dashboard.html",
        counts=counts,
        roles=ROLES,
        labels=LABELS,
        language_form=language_form,
        time_zone_form=time_zone_form,
    ), status


@blueprint.get("/")
def dashboard():
    return _page()


@blueprint.post("/language")
@tenant_role("admin")
def language():
    """The co-op's default language (admins)."""
    form = CoopLanguageForm()
    result = submit(form, committed(set_tenant_locale, db.session, g.tenant.id, form.locale.data))
    if not result.ok:
        return _page(language_form=form, status=result.status)
    flash(_("The co-op's default language is saved."), "success")
    return redirect(url_for("home.dashboard"))


@blueprint.post("/time-zone")
@tenant_role("admin")
def time_zone():
    """The co-op's time zone (admins)."""
    form = CoopTimeZoneForm()
    result = submit(form, committed(set_tenant_time_zone, db.session, g.tenant.id, form.time_zone.data))
    if not result.ok:
        return _page(time_zone_form=form, status=result.status)
    flash(_("The co-op's time zone is saved."), "success")
    return redirect(url_for("home.dashboard"))
