"""Network pages: a network's public directory and request form, its coordinators'
request board; a co-op's networks, offers and subcontracts."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional

from coopnet.errors import NotFound
from coopnet.extensions import db
from coopnet.forms import EmptyForm, committed, submit
from coopnet.network import access, directory, members, presenting, referrals, subcontracts
from coopnet.network.forms import BilledHoursForm
from coopnet.network.throttle import throttle_requests
from coopnet.platform.context import has_role, public_tenant_route, tenant_blueprint

blueprint = tenant_blueprint("network", __name__, template_folder="templates")


class RequestForm(FlaskForm):
    organisation = StringField(_l("Organisation"))
    contact_name = StringField(_l("Your name"))
    email = EmailField(_l("Email"))
    need = TextAreaField(_l("What do you need?"))
    skills = SelectMultipleField(_l("Skills wanted"), choices=list(directory.SKILLS))
    ability_to_pay = StringField(_l("What can you pay? (we work on a sliding scale)"))
    deadline = DateField(_l("Deadline"), validators=[Optional()])
    urgency = StringField(_l("Urgency"), default="normal")
    # Hidden from people by CSS; bots fill it in.
    website = StringField(_l("Leave this empty"))


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note"))


def coop_only():
    if g.tenant is None or g.tenant.kind != "coop":
        g.pop("tenant", None)
        g.pop("membership", None)
        raise NotFound(_("There is no such page here."))


def network_only():
    if g.tenant is None or g.tenant.kind != "network":
        # The error page must not name a co-op a visitor may not even know exists.
        g.pop("tenant", None)
        g.pop("membership", None)
        raise NotFound(_("There is no network at this address."))


@blueprint.route("/network", methods=["GET"])
def home():
    """A network's request board (coordinators) or a co-op's networks, offers and subcontracts."""
    if g.tenant.kind == "network":
        roles = access.coordinator_roles(db.session, g.tenant.id, current_user.id, has_role("admin"))
        if not roles:
            from coopnet.network.party_views import consultant_page

            return consultant_page()
        found = referrals.listing(db.session, g.tenant.id)
        return render_template("network/board.html", requests=found, roles=roles)
    return render_template(
        "network/coop.html",
        memberships=[
            row for row in members.my_memberships(db.session, current_user.id) if row[0].coop_id == g.tenant.id
        ],
        invitations=members.pending_invitations_for_coop(db.session, g.tenant.id),
        offers=referrals.offers_for(db.session, current_user.id),
        subcontracts=[
            presenting.subcontract(db.session, s, False) for s in subcontracts.listing(db.session, g.tenant.id)
        ],
        form=EmptyForm(),
        hours_form=BilledHoursForm(),
    )


@blueprint.route("/network/invitations/<id:invitation_id>/accept", methods=["POST"])
def accept_invitation(invitation_id):
    form = EmptyForm()
    result = submit(form, committed(members.accept, db.session, invitation_id, current_user))
    if result.ok and result.value.status == "proposed":
        flash(_("Accepted: the network votes on your admission."), "info")
    elif result.ok:
        flash(_("You joined the network."), "success")
    else:
        flash(" ".join(form.form_errors) or _("That did not work."), "error")
    return redirect(url_for("network.home"))


@blueprint.route("/directory", methods=["GET"])
@public_tenant_route
def directory_page():
    """The public directory: search by words, skill and region."""
    network_only()
    q, skill, region = (request.args.get(k, "")[:100] for k in ("q", "skill", "region"))
    page = request.args.get("page", "1")
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    page = int(page) if page.isdecimal() and len(page) < 6 else 1
    found, total = directory.search(db.session, g.tenant.id, q, skill, region, page)
    shown = [directory.present(m, name, kind, party, False) for m, name, kind, party in found]
    return render_template(
        "network/directory.html",
        members=shown,
        total=total,
        page=page,
        q=q,
        skill=skill,
        region=region,
        skills=directory.SKILLS,
        page_size=directory.PAGE_SIZE,
    )


@blueprint.route("/request-work", methods=["GET", "POST"])
@public_tenant_route
@throttle_requests
def request_form():
    """The public form a client asks the network for help with."""
    network_only()
    form = RequestForm()

    def send():
        data = {field.name: field.data for field in form if field.name != "csrf_token"}
        found = referrals.submit(db.session, g.tenant, data, request.remote_addr or "")
        db.session.commit()
        return found

    result = submit(form, send)
    if result.ok:
        return render_template("network/request_sent.html", request_id=result.value.id), 201
    return render_template("network/request_form.html", form=form), result.status


@blueprint.route("/requests/<id:request_id>", methods=["GET"])
def request_page(request_id):
    network_only()
    found, sees_contact, mine = referrals.view_of(db.session, g.tenant, request_id, current_user.id, has_role("admin"))
    shown = presenting.request(db.session, found, sees_contact, mine)
    matches = []
    if mine is None and found.status in ("triaged", "offered"):
        matches = referrals.rank(db.session, g.tenant.id, found.id, found.skills, 10)
    return render_template("network/request.html", request=shown, matches=matches, form=NoteForm())


@blueprint.route("/requests/<id:request_id>/triage", methods=["POST"])
def triage(request_id):
    network_only()
    form = NoteForm()
    args = (db.session, g.tenant, request_id, current_user.id, has_role("admin"))
    result = submit(form, committed(referrals.triage, *args, form.note.data or ""))
    flash(_("Passed on to the consultant group.") if result.ok else " ".join(form.form_errors), "info")
    return redirect(url_for("network.request_page", request_id=request_id))


class OfferForm(FlaskForm):
    to = StringField(_l("Member"))


class ReferOutForm(FlaskForm):
    referrals = TextAreaField(_l("Outside referrals"), description=_l("One a line: name | contact | note"))


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"))


@blueprint.route("/requests/<id:request_id>/offer", methods=["POST"])
def offer(request_id):
    network_only()
    form = OfferForm()
    kind, _sep, value = (form.to.data or "").partition(":")
    # An id the database can hold, else 0 (no such member): never a 500 from the page.
    account_id = int(value) if value.isdecimal() and len(value) < 19 else 0
    to = {"coop": value} if kind == "coop" else {"account_id": account_id}
    args = (db.session, g.tenant, request_id, current_user.id, has_role("admin"), to)
    result = submit(form, committed(referrals.offer, *args))
    flash(_("Offered.") if result.ok else " ".join(form.form_errors) or _("That did not work."), "info")
    return redirect(url_for("network.request_page", request_id=request_id))


@blueprint.route("/requests/<id:request_id>/refer-out", methods=["POST"])
def refer_out(request_id):
    network_only()
    form = ReferOutForm()
    lines = [line.split("|") for line in (form.referrals.data or "").splitlines() if line.strip()]
    given = [
        {"name": p[0].strip(), "contact": (p[1] if len(p) > 1 else "").strip(), "note": "|".join(p[2:]).strip()}
        for p in lines
    ]
    args = (db.session, g.tenant, request_id, current_user.id, has_role("admin"), given)
    result = submit(form, committed(referrals.refer_out, *args))
    flash(_("The client has been sent the referrals.") if result.ok else " ".join(form.form_errors), "info")
    return redirect(url_for("network.request_page", request_id=request_id))


@blueprint.route("/network/offers/<id:offer_id>/accept", methods=["POST"])
def accept_offer(offer_id):
    """A co-op's member takes offered work from its Network page."""
    return _answer(committed(referrals.accept, db.session, offer_id, current_user.id), _("You took the work."))


@blueprint.route("/network/offers/<id:offer_id>/decline", methods=["POST"])
def decline_offer(offer_id):
    form = ReasonForm()
    reason = form.reason.data or ""
    return _answer(committed(referrals.decline, db.session, offer_id, current_user.id, reason), _("Declined."), form)


def _answer(action, done, form=None):
    form = form or ReasonForm()
    result = submit(form, action)
    flash(done if result.ok else " ".join(form.form_errors) or _("That did not work."), "info")
    return redirect(url_for("network.home"))


from coopnet.network import coordination_views, party_views, subcontract_views  # noqa: E402, F401  (their pages join this blueprint)
