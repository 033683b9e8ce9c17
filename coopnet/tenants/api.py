"""The co-op's JSON API under /c/<slug>/api/v1; every route runs inside that tenant."""
from flask import abort, g, url_for
from flask_login import current_user

from coopnet.api import api_blueprint, document_errors
from coopnet.extensions import db
from coopnet.platform import tenants
from coopnet.platform.context import attach_tenant_context, public_tenant_route, tenant_role
from coopnet.tenants import schemas
from coopnet.tenants.membership import services as membership
from coopnet.tenants.membership.views import send_invitation
from coopnet.tenants.outbox.services import list_messages

blueprint = attach_tenant_context(
    api_blueprint("tenant_api", __name__, "/c/<slug>/api/v1", "A co-op's own data; members only")
)


def tenant_info(role):
    tenant = g.tenant
    return {"slug": tenant.slug, "name": tenant.name, "role": role,
            "url": url_for("tenant.dashboard", slug=tenant.slug, _external=True)}


@blueprint.route("/", methods=["GET"])
@blueprint.response(200, schemas.TenantInfoOut)
@document_errors(blueprint, 401, 403, 404)
def tenant():
    """This co-op and your role in it."""
    return tenant_info(g.membership.role)


@blueprint.route("/members", methods=["GET"])
@blueprint.response(200, schemas.MemberListOut)
@document_errors(blueprint, 401, 403, 404)
def members():
    """The co-op's members and their roles."""
    rows = tenants.members_of(db.session, g.tenant)
    return {"members": [
        {"account_id": a.id, "name": a.name, "email": a.email, "role": m.role, "joined_at": m.created_at.isoformat()}
        for a, m in rows
    ]}


@blueprint.route("/invitations", methods=["GET"])
@blueprint.response(200, schemas.InvitationListOut)
@document_errors(blueprint, 401, 403, 404)
@tenant_role("admin")
def list_invitations():
    """Invitations sent, newest first (admins)."""
    return {"invitations": [i.to_dict() for i in membership.list_invitations(db.session)]}


@blueprint.route("/invitations", methods=["POST"])
@blueprint.arguments(schemas.InvitationIn)
@blueprint.response(201, schemas.InvitationOut)
@document_errors(blueprint, 400, 401, 403, 404, 409, 415, 422)
@tenant_role("admin")
def create_invitation(data):
    """Invite someone by email; they get a single-use link that expires (admins)."""
    return send_invitation(data["email"], data["role"]).to_dict()


@blueprint.route("/invitations/<id:invitation_id>", methods=["DELETE"])
@blueprint.response(204)
@document_errors(blueprint, 401, 403, 404)
@tenant_role("admin")
def revoke_invitation(invitation_id):
    """Withdraw an invitation (admins)."""
    membership.revoke(db.session, invitation_id)
    db.session.commit()


@blueprint.route("/invitations/accept", methods=["POST"])
@blueprint.arguments(schemas.AcceptIn)
@blueprint.response(200, schemas.JoinedOut)
@document_errors(blueprint, 400, 401, 404, 409, 410, 415, 422)
@public_tenant_route
def accept_invitation(data):
    """Accept an invitation with its token, as the logged-in account."""
    if not current_user.is_authenticated:
        abort(401, "Log in or send an API token.")
    result = membership.accept(db.session, g.tenant, data["token"], current_user)
    db.session.commit()
    return {"role": result.role, "tenant": tenant_info(result.role)}


@blueprint.route("/outbox", methods=["GET"])
@blueprint.response(200, schemas.OutboxOut)
@document_errors(blueprint, 401, 403, 404)
@tenant_role("admin")
def outbox():
    """Mail the co-op sent or holds (admins)."""
    return {"messages": [m.to_dict() for m in list_messages(db.session)]}
