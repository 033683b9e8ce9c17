"""A network's own pages for its coordinators: members and invitations, coordinator roles,
settings, the fee ledger, reports with a chart, and asking a client or closing a request.
The same services as the JSON API."""

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from coopnet.extensions import db
from coopnet.forms import EmptyForm, committed, problems, submit
from coopnet.network import access, charts, fees, links, members, presenting, referrals
from coopnet.network.forms import CoordinatorForm, InviteForm, QuestionForm, SettingsForm
from coopnet.network.models import COORDINATOR_LABELS
from coopnet.network.views import NoteForm, blueprint, network_only
from coopnet.platform.context import has_role
from coopnet.platform.models import Tenant


def _me():
    return current_user.id, has_role("admin")


def _people():
    return [SelectChoice(account_id, name) for account_id, name in members.people(db.session, g.tenant.id)]


def _roles():
    return access.coordinator_roles(db.session, g.tenant.id, *_me())


def _members_page(invite_form=None, coordinator_form=None, status=200):
    network_only()
    roles = _roles()
    invitations = members.invitations(db.session, g.tenant.id) if roles else []
    coops = {i.coop_id for i in invitations if i.coop_id}
    names = dict(db.session.query(Tenant.id, Tenant.name).filter(Tenant.id.in_(coops)).all()) if coops else {}
    coordinator_form = coordinator_form or CoordinatorForm()
    coordinator_form.account_id.choices = _people()
    page = render_template(
        "network/members.html",
        roster=members.roster(db.session, g.tenant.id, include_left=bool(roles)),
        invitations=invitations,
        coop_names=names,
        coordinators=members.coordinators(db.session, g.tenant.id),
        role_labels=COORDINATOR_LABELS,
        may_invite="community" in roles,
        sees_all=bool(roles),
        invite_form=invite_form or InviteForm(),
        coordinator_form=coordinator_form,
        form=EmptyForm(),
    )
    return page, status


@blueprint.route("/network/members", methods=["GET"])
def members_page():
    """Who is in the network; for coordinators also invitations and coordinator roles."""
    return _members_page()


@blueprint.route("/network/members", methods=["POST"])
def invite():
    network_only()
    form = InviteForm()
    action = committed(
        members.invite,
        db.session,
        g.tenant,
        *_me(),
        coop=(form.coop.data or "").strip() or None,
        email=(form.email.data or "").strip() or None,
        **links.for_invitations(g.tenant),
    )
    result = submit(form, action)
    if result.ok:
        flash(_("Invitation sent."), "success")
        return redirect(url_for("network.members_page"))
    return _members_page(invite_form=form, status=result.status)


@blueprint.route("/network/coordinators", methods=["POST"])
def assign_coordinator():
    network_only()
    form = CoordinatorForm()
    form.account_id.choices = _people()
    action = committed(
        members.assign_coordinator, db.session, g.tenant, *_me(), form.account_id.data or 0, form.role.data
    )
    result = submit(form, action)
    if result.ok:
        flash(_("Coordinator role given."), "success")
        return redirect(url_for("network.members_page"))
    return _members_page(coordinator_form=form, status=result.status)


@blueprint.route("/network/invitations/<id:invitation_id>/revoke", methods=["POST"])
def revoke_invitation_page(invitation_id):
    network_only()
    form = EmptyForm()
    result = submit(form, committed(members.revoke_invitation, db.session, g.tenant, *_me(), invitation_id))
    flash(_("Invitation revoked.") if result.ok else problems(form), "success" if result.ok else "error")
    return redirect(url_for("network.members_page"))


@blueprint.route("/network/coordinators/<id:coordinator_id>/remove", methods=["POST"])
def remove_coordinator(coordinator_id):
    network_only()
    form = EmptyForm()
    result = submit(
        form, committed(members.remove_coordinator, db.session, g.tenant, has_role("admin"), coordinator_id)
    )
    flash(_("Coordinator role taken back.") if result.ok else problems(form), "success" if result.ok else "error")
    return redirect(url_for("network.members_page"))


def _fees_page(settings_form=None, status=200):
    network_only()
    access.require_coordinator(db.session, g.tenant.id, *_me())
    current = referrals.settings(db.session, g.tenant.id)
    entries, totals = fees.ledger(db.session, g.tenant.id)
    shown = presenting.ledger(entries, totals, current.currency)
    names = {e.member_id: presenting.member_name(db.session, e.member_id) for e in entries}
    if settings_form is None:
        values = presenting.settings(current)
        settings_form = SettingsForm(data=values)
    page = render_template(
        "network/fees.html",
        ledger=shown,
        names=names,
        settings=presenting.settings(current),
        may_settle="records_keeper" in _roles(),
        settings_form=settings_form,
        form=EmptyForm(),
    )
    return page, status


@blueprint.route("/network/fees", methods=["GET"])
def fees_page():
    """The overhead owed and settled on referred work, and the network's settings (coordinators)."""
    return _fees_page()


@blueprint.route("/network/fees/<id:fee_id>/settle", methods=["POST"])
def settle_fee(fee_id):
    network_only()
    form = EmptyForm()
    result = submit(form, committed(fees.settle, db.session, g.tenant, fee_id, *_me()))
    flash(_("Recorded as paid.") if result.ok else problems(form), "success" if result.ok else "error")
    return redirect(url_for("network.fees_page"))


@blueprint.route("/network/settings", methods=["POST"])
def update_settings():
    network_only()
    form = SettingsForm()
    values = {
        "overhead_per_hour": (form.overhead_per_hour.data or "").strip() or None,
        "currency": (form.currency.data or "").strip() or None,
        "offer_hours": form.offer_hours.data,
        "admission": form.admission.data or None,
    }
    result = submit(form, committed(fees.update_settings, db.session, g.tenant, *_me(), values))
    if result.ok:
        flash(_("Settings saved."), "success")
        return redirect(url_for("network.fees_page"))
    return _fees_page(settings_form=form, status=result.status)


@blueprint.route("/network/reports", methods=["GET"])
def reports_page():
    """Requests a month (a chart), time to first response, share placed, work per member."""
    network_only()
    access.require_coordinator(db.session, g.tenant.id, *_me())
    report = presenting.report(db.session, g.tenant.id)
    chart = charts.bars_svg(
        _("Client requests a month"), [(row["month"], row["requests"]) for row in report["requests_by_month"]]
    )
    return render_template("network/reports.html", report=report, chart=chart)


@blueprint.route("/requests/<id:request_id>/question", methods=["POST"])
def ask_client(request_id):
    network_only()
    form = QuestionForm()
    args = (db.session, g.tenant, request_id, *_me(), form.question.data or "")
    result = submit(form, committed(referrals.ask_client, *args))
    flash(_("Question sent to the client.") if result.ok else problems(form), "success" if result.ok else "error")
    return redirect(url_for("network.request_page", request_id=request_id))


@blueprint.route("/requests/<id:request_id>/close", methods=["POST"])
def close_request(request_id):
    network_only()
    form = NoteForm()
    result = submit(form, committed(referrals.close, db.session, g.tenant, request_id, *_me(), form.note.data or ""))
    flash(_("Request closed.") if result.ok else problems(form), "success" if result.ok else "error")
    return redirect(url_for("network.request_page", request_id=request_id))
