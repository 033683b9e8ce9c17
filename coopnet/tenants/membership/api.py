"""Members and invitations in the JSON API."""

from flask import abort, current_app, g
from flask_babel import gettext as _
from flask_login import current_user

from coopnet.api import document_errors
from coopnet.extensions import db
from coopnet.platform import tenants
from coopnet.platform.context import public_tenant_route, tenant_api_blueprint, tenant_role
from coopnet.platform.throttle import throttle_invitations
from coopnet.tenants.home.api import tenant_info
from coopnet.tenants.membership import schemas, services
from coopnet.tenants.membership.links import join_link

blueprint = tenant_api_blueprint("membership_api", __name__, "Members and invitations of a co-op")


@blueprint.route("/members", methods=["GET"])
@blueprint.response(200, schemas.MemberListOut)
@document_errors(blueprint, 401, 403, 404)
def members():
    """The members and their roles."""
    rows = tenants.members_of(db.session, g.tenant)
    return {
        "members": [
            {"account_id": a.id, "name": a.name, "email": a.email, "role": m.role, "joined_at": m.created_at}
            for a, m in rows
        ]
    }


@blueprint.route("/invitations", methods=["GET"])
@blueprint.response(200, schemas.InvitationListOut)
@document_errors(blueprint, 401, 403, 404)
@tenant_role("admin")
def list_invitations():
    """Invitations sent, newest first (admins)."""
    return {"invitations": services.list_invitations(db.session)}


@blueprint.route("/invitations", methods=["POST"])
@blueprint.arguments(schemas.InvitationIn)
@blueprint.response(201, schemas.InvitationOut)
@document_errors(blueprint, 400, 401, 403, 404, 409, 415, 422, 429)
@throttle_invitations
@tenant_role("admin")
def create_invitation(data):
    """Invite someone by email; they get a single-use link that expires (admins).
    Limited per co-op, per account, and more tightly in a co-op's first week."""
    invitation = services.invite(
        db.session,
        g.tenant,
        current_user,
        data["email"],
        data["role"],
        current_app.config["INVITATION_TTL"],
        join_link,
        services.InvitationLimits.from_config(current_app.config),
    )
    db.session.commit()
    return invitation


@blueprint.route("/invitations/<id:invitation_id>", methods=["DELETE"])
@blueprint.response(204)
@document_errors(blueprint, 401, 403, 404)
@tenant_role("admin")
def revoke_invitation(invitation_id):
    """Withdraw an invitation (admins)."""
    services.revoke(db.session, invitation_id)
    db.session.commit()


@blueprint.route("/invitations/accept", methods=["POST"])
@blueprint.arguments(schemas.AcceptIn)
@blueprint.response(200, schemas.JoinedOut)
@document_errors(blueprint, 400, 401, 404, 409, 410, 415, 422)
@public_tenant_route
def accept_invitation(data):
    """Accept an invitation with its token, as the logged-in account."""
    if not current_user.is_authenticated:
        abort(401, _("Log in or send an API token."))
    if g.tenant is None:
        services.check_usable(None)  # no co-op here answers as a bad link does
    result = services.accept(db.session, g.tenant, data["token"], current_user)
    db.session.commit()
    return {"role": result.role, "tenant": tenant_info(g.tenant, result.role)}


from coopnet.tenants.membership import register_api, roles_api  # noqa: E402, F401  (their routes join this blueprint)
