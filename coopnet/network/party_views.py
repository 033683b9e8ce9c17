"""Pages of a network's members: a co-op's or a consultant's directory listing, leaving,
reporting hours billed on placed work, a consultant's own page in the network's space,
and the page where someone invited by email joins (signing up first if they have no
account). The same services as the JSON API; each answers only the party it names."""

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from coopnet.errors import NotFound, ServiceError
from coopnet.extensions import db
from coopnet.forms import EmptyForm, committed, problems, submit
from coopnet.network import directory, fees, members, referrals
from coopnet.network.forms import BilledHoursForm, JoinForm, ListingForm
from coopnet.network.views import blueprint, network_only
from coopnet.platform import accounts
from coopnet.platform.context import public_tenant_route
from coopnet.platform.models import Tenant
from coopnet.platform.sessions import start_session


def _own_listing(member_id):
    """A listing this page may show: in a co-op's space, the co-op's own; in a network's,
    the consultant's own there. Anyone else: 404, as for a listing that does not exist."""
    member = members.member_for_party(db.session, member_id, current_user.id)
    if g.tenant.kind == "coop":
        mine = member.coop_id == g.tenant.id
    else:
        mine = member.network_id == g.tenant.id and member.account_id == current_user.id
    if not mine:
        raise NotFound(_("No such network membership."))
    return member


def _back():
    return redirect(url_for("network.home"))


@blueprint.route("/network/listing/<id:member_id>", methods=["GET", "POST"])
def listing_page(member_id):
    """Edit a directory listing: skills, tags, services, region, languages, availability,
    rates, and what the public directory shows."""
    member = _own_listing(member_id)
    form = ListingForm()
    if not form.is_submitted():
        form.fill(member)

    def save():
        members.require_party_admin(db.session, member, current_user.id)
        directory.update_listing(db.session, member, form.values())
        db.session.commit()

    result = submit(form, save)
    if result.ok:
        flash(_("Listing saved."), "success")
        return redirect(url_for("network.listing_page", member_id=member_id))
    _member, name, _kind, _party = directory.get_member(db.session, member.network_id, member.id)
    network = db.session.get(Tenant, member.network_id)
    page = render_template("network/listing.html", form=form, member=member, name=name, network=network)
    return page, result.status


@blueprint.route("/network/listing/<id:member_id>/leave", methods=["POST"])
def leave(member_id):
    _own_listing(member_id)
    form = EmptyForm()
    result = submit(form, committed(members.leave, db.session, member_id, current_user.id))
    flash(_("You left the network.") if result.ok else problems(form), "success" if result.ok else "error")
    return _back()


@blueprint.route("/network/referrals/<id:request_id>/billed-hours", methods=["POST"])
def report_billed_hours(request_id):
    """The placed provider reports hours billed to the client (the network's share is owed on them)."""
    form = BilledHoursForm()
    args = (db.session, request_id, current_user.id, form.hours.data, form.worked_on.data)
    result = submit(form, committed(fees.report_hours, *args))
    flash(_("Hours reported to the network.") if result.ok else problems(form), "success" if result.ok else "error")
    return _back()


def consultant_page():
    """A network's space as a consultant sees it: their listing here, their other networks,
    work offered to them here, and placed work to report billed hours on."""
    mine = [row for row in members.my_memberships(db.session, current_user.id) if row[3] is None]
    here = [m for m, *_ in mine if m.network_id == g.tenant.id]
    offers = [row for row in referrals.offers_for(db.session, current_user.id) if row[2].id == g.tenant.id]
    return render_template(
        "network/consultant.html",
        here=here,
        networks=mine,
        offers=offers,
        form=EmptyForm(),
        hours_form=BilledHoursForm(),
    )


@blueprint.route("/network/join/<token>", methods=["GET", "POST"])
@public_tenant_route
def join(token):
    """Someone invited by email joins here; with no account yet, they create one on the way."""
    found = None
    if g.tenant is not None and g.tenant.kind == "network":
        try:
            found = members.invitation_by_link(db.session, g.tenant.id, token)
        except ServiceError as error:
            g.pop("tenant")  # a guessed or stale link learns nothing about the network
            return render_template("errors/error.html", status=error.status, message=error.message), error.status
    if found is None:
        network_only()
    signed_in = current_user.is_authenticated
    form = EmptyForm() if signed_in else JoinForm()

    def accept():
        if signed_in:
            account = current_user._get_current_object()
            taken = members.accept_by_link(db.session, g.tenant.id, token, account)
        else:
            account, taken = members.sign_up_and_join(
                db.session, accounts.hasher(), g.tenant.id, token, form.name.data, form.password.data
            )
        db.session.commit()
        return account, taken

    result = submit(form, accept)
    if result.ok:
        account, taken = result.value
        if not signed_in:
            start_session(account)
        if taken.status == "proposed":
            flash(_("Thank you: %(network)s votes on your admission.", network=g.tenant.name), "info")
            return redirect(url_for("platform.home"))
        flash(_("Welcome to %(network)s.", network=g.tenant.name), "success")
        return redirect(url_for("network.home"))
    existing = None if signed_in else accounts.find_account(db.session, found.email)
    page = render_template("network/join.html", form=form, invitation=found, existing_account=existing)
    return page, result.status
