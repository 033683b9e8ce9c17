"""The parties' side of a network in the JSON API, under /api/v1: accepting invitations,
listings, leaving, offers and billed hours. Each record answers only the parties it names."""

from flask_login import current_user, login_required

from coopnet.api import document_errors
from coopnet.extensions import db
from coopnet.network import directory, fees, members, presenting, referrals, schemas
from coopnet.network.api import platform_blueprint
from coopnet.platform.models import Tenant


@platform_blueprint.route("/network-invitations/<id:invitation_id>/accept", methods=["POST"])
@platform_blueprint.response(200, schemas.NetworkMembershipOut)
@document_errors(platform_blueprint, 401, 403, 404, 409, 410, 415)
@login_required
def accept_invitation(invitation_id):
    """The invited co-op's admin, or the invited consultant, joins the network (or, when the
    network's rulebook decides admissions, asks to: admission "proposed", the network votes)."""
    invitation = members.accept(db.session, invitation_id, current_user)
    db.session.commit()
    return invitation_answer(invitation)


def invitation_answer(invitation):
    member = members.member_of_invitation(db.session, invitation) if invitation.status == "accepted" else None
    network = db.session.get(Tenant, invitation.network_id)
    if member is None:
        party = db.session.get(Tenant, invitation.coop_id).name if invitation.coop_id else "you"
        return {
            "id": None,
            "admission": "proposed",
            "network": network.slug,
            "network_name": network.name,
            "party": party,
            "joined_at": None,
            "left_at": None,
        }
    return {**_membership(member, network), "admission": "joined"}


def _membership(member, network=None, party=None):
    network = network or db.session.get(Tenant, member.network_id)
    if party is None:
        party = db.session.get(Tenant, member.coop_id).name if member.coop_id else "you"
    return {
        "id": member.id,
        "network": network.slug,
        "network_name": network.name,
        "party": party,
        "joined_at": member.joined_at,
        "left_at": member.left_at,
    }


@platform_blueprint.route("/network-memberships", methods=["GET"])
@platform_blueprint.response(200, schemas.NetworkMembershipListOut)
@document_errors(platform_blueprint, 401)
@login_required
def my_memberships():
    """The networks you belong to, as a consultant or through your co-ops."""
    rows = members.my_memberships(db.session, current_user.id)
    return {
        "memberships": [
            {
                "id": m.id,
                "network": slug,
                "network_name": name,
                "party": party or "you",
                "joined_at": m.joined_at,
                "left_at": m.left_at,
                "admission": "joined",
            }
            for m, slug, name, party in rows
        ]
    }


@platform_blueprint.route("/network-memberships/<id:member_id>/listing", methods=["GET"])
@platform_blueprint.response(200, schemas.ListingOut)
@document_errors(platform_blueprint, 401, 404)
@login_required
def my_listing(member_id):
    """Your directory listing in one network, every field, published or not."""
    member = members.member_for_party(db.session, member_id, current_user.id)
    _, name, kind, party = directory.get_member(db.session, member.network_id, member.id)
    return directory.present(member, name, kind, party, True)


@platform_blueprint.route("/network-memberships/<id:member_id>/listing", methods=["PUT"])
@platform_blueprint.arguments(schemas.ListingIn)
@platform_blueprint.response(200, schemas.ListingOut)
@document_errors(platform_blueprint, 401, 403, 404, 415, 422)
@login_required
def update_my_listing(data, member_id):
    """Change your listing: skills from the vocabulary, free tags, region, languages, availability,
    rates, and which of these the public directory shows."""
    member = members.member_for_party(db.session, member_id, current_user.id)
    members.require_party_admin(db.session, member, current_user.id)
    directory.update_listing(db.session, member, data)
    db.session.commit()
    _, name, kind, party = directory.get_member(db.session, member.network_id, member.id)
    return directory.present(member, name, kind, party, True)


@platform_blueprint.route("/network-memberships/<id:member_id>/leave", methods=["POST"])
@platform_blueprint.response(200, schemas.NetworkMembershipOut)
@document_errors(platform_blueprint, 401, 403, 404, 409, 415)
@login_required
def leave_network(member_id):
    """Leave the network (the co-op's admins, or the consultant); past work stays readable."""
    member = members.leave(db.session, member_id, current_user.id)
    db.session.commit()
    return {**_membership(member), "admission": "joined"}


@platform_blueprint.route("/offers", methods=["GET"])
@platform_blueprint.arguments(schemas.OfferListQuery, location="query")
@platform_blueprint.response(200, schemas.OfferListOut)
@document_errors(platform_blueprint, 401, 422)
@login_required
def my_offers(query):
    """Work offered to you or your co-ops, newest first."""
    rows = referrals.offers_for(db.session, current_user.id, query["status"])
    return {"offers": [presenting.offer(db.session, o, r, n) for o, r, n in rows]}


@platform_blueprint.route("/offers/<id:offer_id>", methods=["GET"])
@platform_blueprint.response(200, schemas.OfferOut)
@document_errors(platform_blueprint, 401, 404)
@login_required
def get_offer(offer_id):
    """One offer; the client's contact is shown once you accepted it."""
    return _offer_out(referrals.visible_offer(db.session, offer_id, current_user.id))


def _offer_out(found):
    request_row = db.session.get(referrals.ClientRequest, found.request_id)
    return presenting.offer(db.session, found, request_row, db.session.get(Tenant, request_row.network_id))


@platform_blueprint.route("/offers/<id:offer_id>/accept", methods=["POST"])
@platform_blueprint.response(200, schemas.OfferOut)
@document_errors(platform_blueprint, 401, 404, 409, 415)
@login_required
def accept_offer(offer_id):
    """Take the work (the offered consultant, or a member of the offered co-op) before the deadline."""
    found = referrals.accept(db.session, offer_id, current_user.id)
    db.session.commit()
    return _offer_out(found)


@platform_blueprint.route("/offers/<id:offer_id>/decline", methods=["POST"])
@platform_blueprint.arguments(schemas.ReasonIn)
@platform_blueprint.response(200, schemas.OfferOut)
@document_errors(platform_blueprint, 401, 404, 409, 415, 422)
@login_required
def decline_offer(data, offer_id):
    """Decline, with a reason; the coordinator offers it again or refers the client out."""
    found = referrals.decline(db.session, offer_id, current_user.id, data["reason"])
    db.session.commit()
    return _offer_out(found)


@platform_blueprint.route("/referrals/<id:request_id>/billed-hours", methods=["POST"])
@platform_blueprint.arguments(schemas.BilledHoursIn)
@platform_blueprint.response(201, schemas.FeeOut)
@document_errors(platform_blueprint, 401, 404, 415, 422)
@login_required
def report_billed_hours(data, request_id):
    """The placed provider reports hours billed to the client; the network's overhead share is owed on them."""
    entry = fees.report_hours(db.session, request_id, current_user.id, data["hours"], data["worked_on"])
    db.session.commit()
    return presenting.fee(entry)
