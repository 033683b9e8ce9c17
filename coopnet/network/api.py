"""The network in the JSON API: a network's own routes (invitations, coordinators,
directory, client requests, offers, fees, reports) under /c/<network>/api/v1, and
the routes of the parties (accepting invitations and offers, listings, billed
hours) under /api/v1. Subcontracts between co-ops are in subcontracts_api."""

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user

from coopnet.api import api_blueprint, document_errors
from coopnet.errors import NotFound
from coopnet.extensions import db
from coopnet.network import access, directory, fees, links, members, presenting, referrals, schemas
from coopnet.network.throttle import throttle_requests
from coopnet.platform import accounts
from coopnet.platform.context import has_role, public_tenant_route, tenant_api_blueprint
from coopnet.platform.models import Account, Tenant

blueprint = tenant_api_blueprint(
    "network_api", __name__, "Networks: members, directory, client requests and offers; subcontracts between co-ops"
)
platform_blueprint = api_blueprint(
    "network_parties_api", __name__, "/api/v1", "A network member's side: invitations, listings, offers, billed hours"
)

ERRORS = (400, 401, 403, 404, 409, 415, 422)


def serves(kind):
    """The route exists only in a tenant of this kind; elsewhere it is a 404 before anything is read."""

    def decorate(view):
        view.network_kind = kind
        return view

    return decorate


@blueprint.before_request
def _check_route_kind():
    view = current_app.view_functions.get(request.endpoint)
    wanted = getattr(view, "network_kind", None)
    tenant = g.get("tenant")
    if wanted is not None and (tenant is None or tenant.kind != wanted):
        g.pop("tenant", None)
        raise NotFound(_("There is no such page here.") if tenant else _("There is no network at this address."))


def _me():
    return current_user.id, has_role("admin")


# --- membership of the network -------------------------------------------------


@blueprint.route("/network/invitations", methods=["POST"])
@blueprint.arguments(schemas.NetworkInvitationIn)
@blueprint.response(201, schemas.IdOut)
@document_errors(blueprint, *ERRORS)
@serves("network")
def invite(data):
    """The community coordinator invites a co-op (by its address) or a consultant (by email: a
    single-use link, with which someone who has no account yet signs up and joins)."""
    invitation = members.invite(
        db.session, g.tenant, *_me(), coop=data["coop"], email=data["email"], **links.for_invitations(g.tenant)
    )
    db.session.commit()
    return {"id": invitation.id}


@blueprint.route("/network/join", methods=["POST"])
@blueprint.arguments(schemas.JoinIn)
@blueprint.response(200, schemas.NetworkMembershipOut)
@document_errors(blueprint, 400, 403, 404, 409, 410, 415, 422)
@serves("network")
@public_tenant_route
def join(data):
    """Join with a mailed invitation's token: as the logged-in account, or, with no account
    yet, by giving a name and password (the new account is verified by the link)."""
    from coopnet.network.parties_api import invitation_answer

    if current_user.is_authenticated:
        invitation = members.accept_by_link(db.session, g.tenant.id, data["token"], current_user)
    else:
        _account, invitation = members.sign_up_and_join(
            db.session, accounts.hasher(), g.tenant.id, data["token"], data["name"], data["password"]
        )
    db.session.commit()
    return invitation_answer(invitation)


@blueprint.route("/network/invitations", methods=["GET"])
@blueprint.response(200, schemas.NetworkInvitationListOut)
@document_errors(blueprint, 401, 403, 404)
@serves("network")
def list_invitations():
    """Invitations the network has sent (coordinators)."""
    access.require_coordinator(db.session, g.tenant.id, *_me())
    found = members.invitations(db.session, g.tenant.id)
    slugs = dict(db.session.query(Tenant.id, Tenant.slug).filter(Tenant.id.in_({i.coop_id for i in found})).all())
    return {
        "invitations": [
            {
                "id": i.id,
                "network": g.tenant.slug,
                "coop": slugs.get(i.coop_id),
                "email": i.email,
                "status": i.status,
                "created_at": i.created_at,
                "expires_at": i.expires_at,
                "proposal_id": i.proposal_id,
            }
            for i in found
        ]
    }


@blueprint.route("/network/invitations/<id:invitation_id>", methods=["DELETE"])
@blueprint.response(204)
@document_errors(blueprint, 401, 403, 404, 409)
@serves("network")
def revoke_invitation(invitation_id):
    """Take back an invitation nobody has accepted yet (the community coordinator): its
    link answers 410 ``invitation_revoked`` from then on. One already accepted, refused or under the network's
    vote is 409 ``invitation_not_pending``."""
    members.revoke_invitation(db.session, g.tenant, *_me(), invitation_id)
    db.session.commit()
    return ""


@blueprint.route("/network/coordinators", methods=["GET"])
@blueprint.response(200, schemas.CoordinatorListOut)
@document_errors(blueprint, 401, 404)
@serves("network")
def list_coordinators():
    """Who holds which coordinator role (the network's admins hold them all)."""
    rows = members.coordinators(db.session, g.tenant.id)
    return {"coordinators": [{"id": c.id, "account_id": c.account_id, "name": n, "role": c.role} for c, n in rows]}


@blueprint.route("/network/coordinators", methods=["POST"])
@blueprint.arguments(schemas.CoordinatorIn)
@blueprint.response(201, schemas.CoordinatorOut)
@document_errors(blueprint, *ERRORS)
@serves("network")
def assign_coordinator(data):
    """Give a person of the network a coordinator role (admins)."""
    found = members.assign_coordinator(db.session, g.tenant, *_me(), data["account_id"], data["role"])
    db.session.commit()
    name = db.session.get(Account, found.account_id).name
    return {"id": found.id, "account_id": found.account_id, "name": name, "role": found.role}


@blueprint.route("/network/coordinators/<id:coordinator_id>", methods=["DELETE"])
@blueprint.response(204)
@document_errors(blueprint, *ERRORS)
@serves("network")
def remove_coordinator(coordinator_id):
    """Take a coordinator role back (admins)."""
    members.remove_coordinator(db.session, g.tenant, has_role("admin"), coordinator_id)
    db.session.commit()


@blueprint.route("/network/settings", methods=["GET"])
@blueprint.response(200, schemas.SettingsOut)
@document_errors(blueprint, 401, 404)
@serves("network")
def get_settings():
    """The overhead share per billed hour, and how long members have to answer an offer."""
    return presenting.settings(referrals.settings(db.session, g.tenant.id))


@blueprint.route("/network/settings", methods=["PUT"])
@blueprint.arguments(schemas.SettingsIn)
@blueprint.response(200, schemas.SettingsOut)
@document_errors(blueprint, *ERRORS)
@serves("network")
def put_settings(data):
    """Set the overhead per hour ("5.00") and the offer window in hours (admins, records keeper)."""
    found = fees.update_settings(db.session, g.tenant, *_me(), data)
    db.session.commit()
    return presenting.settings(found)


# --- directory ---------------------------------------------------------------


@blueprint.route("/directory", methods=["GET"])
@blueprint.arguments(schemas.DirectoryQuery, location="query")
@blueprint.response(200, schemas.DirectoryOut)
@document_errors(blueprint, 404, 422)
@serves("network")
@public_tenant_route
def search_directory(query):
    """The public directory: current members, searchable by words, skill and region; published fields only."""
    found, total = directory.search(db.session, g.tenant.id, query["q"], query["skill"], query["region"], query["page"])
    return {
        "members": [directory.present(m, name, kind, party, False) for m, name, kind, party in found],
        "total": total,
        "page": query["page"],
        "skills_vocabulary": list(directory.SKILLS),
    }


@blueprint.route("/directory/<id:member_id>", methods=["GET"])
@blueprint.response(200, schemas.ListingOut)
@document_errors(blueprint, 404)
@serves("network")
@public_tenant_route
def directory_entry(member_id):
    """One listing: what it published, or everything for a coordinator and for the member itself."""
    found = directory.get_member(db.session, g.tenant.id, member_id)
    account_id = current_user.id if current_user.is_authenticated else None
    coordinator = (
        account_id is not None
        and g.get("membership") is not None
        and bool(access.coordinator_roles(db.session, g.tenant.id, account_id, has_role("admin")))
    )
    if found is None or (found[0].left_at is not None and not coordinator):
        raise NotFound(_("No such member in this network."))
    member, name, kind, party = found
    return directory.present(member, name, kind, party, directory.sees_all(db.session, member, account_id, coordinator))


# --- client requests ---------------------------------------------------------


@blueprint.route("/requests", methods=["POST"])
@blueprint.arguments(schemas.RequestIn)
@blueprint.response(201, schemas.RequestCreatedOut)
@document_errors(blueprint, 400, 404, 415, 422, 429)
@serves("network")
@public_tenant_route
@throttle_requests
def submit_request(data):
    """The public request form (no login): the client gets a confirmation email."""
    found = referrals.submit(db.session, g.tenant, data, request.remote_addr or "")
    db.session.commit()
    return {"id": found.id, "status": found.status}


@blueprint.route("/requests", methods=["GET"])
@blueprint.arguments(schemas.RequestListQuery, location="query")
@blueprint.response(200, schemas.RequestListOut)
@document_errors(blueprint, 401, 403, 404, 422)
@serves("network")
def list_requests(query):
    """Client requests, newest first (coordinators)."""
    access.require_coordinator(db.session, g.tenant.id, *_me())
    return {"requests": referrals.listing(db.session, g.tenant.id, query["status"])}


@blueprint.route("/requests/<id:request_id>", methods=["GET"])
@blueprint.response(200, schemas.RequestOut)
@document_errors(blueprint, 401, 404)
@serves("network")
def get_request(request_id):
    """A request and its timeline; the client's contact for coordinators and the placed provider only."""
    found, sees_contact, mine = referrals.view_of(db.session, g.tenant, request_id, *_me())
    return presenting.request(db.session, found, sees_contact, mine)


def _request_out(found):
    return presenting.request(db.session, found, True)


@blueprint.route("/requests/<id:request_id>/triage", methods=["POST"])
@blueprint.arguments(schemas.NoteIn)
@blueprint.response(200, schemas.RequestOut)
@document_errors(blueprint, *ERRORS)
@serves("network")
def triage(data, request_id):
    """The new-client coordinator passes a new request on to the consultant group."""
    found = referrals.triage(db.session, g.tenant, request_id, *_me(), data["note"])
    db.session.commit()
    return _request_out(found)


@blueprint.route("/requests/<id:request_id>/questions", methods=["POST"])
@blueprint.arguments(schemas.QuestionIn)
@blueprint.response(200, schemas.RequestOut)
@document_errors(blueprint, *ERRORS)
@serves("network")
def ask(data, request_id):
    """The new-client coordinator asks the client a question, by email."""
    found = referrals.ask_client(db.session, g.tenant, request_id, *_me(), data["question"])
    db.session.commit()
    return _request_out(found)


@blueprint.route("/requests/<id:request_id>/matches", methods=["GET"])
@blueprint.arguments(schemas.MatchQuery, location="query")
@blueprint.response(200, schemas.MatchOut(many=True))
@document_errors(blueprint, 401, 403, 404, 422)
@serves("network")
def matches(query, request_id):
    """Members who could take it, best first: skills matched, availability, longest since last offered."""
    return referrals.matches(db.session, g.tenant, request_id, *_me(), query["limit"])


@blueprint.route("/requests/<id:request_id>/offers", methods=["POST"])
@blueprint.arguments(schemas.OfferIn)
@blueprint.response(201, schemas.IdOut)
@document_errors(blueprint, *ERRORS)
@serves("network")
def make_offer(data, request_id):
    """Offer the request to one member with a deadline (consultant-group coordinator)."""
    made = referrals.offer(db.session, g.tenant, request_id, *_me(), data["to"], data["respond_by"])
    db.session.commit()
    return {"id": made.id}


@blueprint.route("/requests/<id:request_id>/refer-out", methods=["POST"])
@blueprint.arguments(schemas.ReferOutIn)
@blueprint.response(200, schemas.RequestOut)
@document_errors(blueprint, *ERRORS)
@serves("network")
def refer_out(data, request_id):
    """Nobody can take it: close it with outside referrals, mailed to the client."""
    found = referrals.refer_out(db.session, g.tenant, request_id, *_me(), data["referrals"])
    db.session.commit()
    return _request_out(found)


@blueprint.route("/requests/<id:request_id>/close", methods=["POST"])
@blueprint.arguments(schemas.NoteIn)
@blueprint.response(200, schemas.RequestOut)
@document_errors(blueprint, *ERRORS)
@serves("network")
def close_request(data, request_id):
    """Close a request without placing it (spam, withdrawn by the client)."""
    found = referrals.close(db.session, g.tenant, request_id, *_me(), data["note"])
    db.session.commit()
    return _request_out(found)


# --- fees and reports ------------------------------------------------------------


@blueprint.route("/network/fees", methods=["GET"])
@blueprint.response(200, schemas.FeeLedgerOut)
@document_errors(blueprint, 401, 403, 404)
@serves("network")
def fee_ledger():
    """The overhead owed and settled on referred work (coordinators)."""
    access.require_coordinator(db.session, g.tenant.id, *_me())
    entries, totals = fees.ledger(db.session, g.tenant.id)
    return presenting.ledger(entries, totals, referrals.settings(db.session, g.tenant.id).currency)


@blueprint.route("/network/fees/<id:fee_id>/settle", methods=["POST"])
@blueprint.response(200, schemas.FeeOut)
@document_errors(blueprint, *ERRORS)
@serves("network")
def settle_fee(fee_id):
    """The records keeper records that the provider paid this share."""
    entry = fees.settle(db.session, g.tenant, fee_id, *_me())
    db.session.commit()
    return presenting.fee(entry)


@blueprint.route("/network/reports", methods=["GET"])
@blueprint.response(200, schemas.ReportOut)
@document_errors(blueprint, 401, 403, 404)
@serves("network")
def reports():
    """Requests a month, time to first response, share placed, work offered and accepted per member."""
    access.require_coordinator(db.session, g.tenant.id, *_me())
    return presenting.report(db.session, g.tenant.id)


from coopnet.network import parties_api, subcontracts_api  # noqa: E402, F401  (their routes join these blueprints)
