"""Governance in the JSON API: presets, the rulebook, proposals and positions, meetings and minutes."""

from flask import g, url_for
from flask_login import current_user

from coopnet.api import api_blueprint, document_errors
from coopnet.extensions import db
from coopnet.platform.context import has_role, tenant_api_blueprint, tenant_role
from coopnet.tenants.governance import exports, minutes, presenting, proposals, rulebook, schemas, services
from coopnet.tenants.governance.rules import PRESETS

blueprint = tenant_api_blueprint("governance_api", __name__, "A co-op's rulebook, proposals, meetings and minutes")
platform_blueprint = api_blueprint(
    "governance_presets_api", __name__, "/api/v1", "Rulebook presets from the guide's stories"
)

ERRORS = (400, 401, 403, 404, 409, 415, 422)


@platform_blueprint.route("/rulebook-presets", methods=["GET"])
@platform_blueprint.response(200, schemas.PresetListOut)
def presets():
    """The rulebook presets a new co-op can adopt, with their categories."""
    return {"presets": [presenting.preset(p) for p in PRESETS.values()]}


@blueprint.route("/rulebook/adopt", methods=["POST"])
@blueprint.arguments(schemas.AdoptIn)
@blueprint.response(201, schemas.RulebookOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("admin")
def adopt(data):
    """Adopt a preset as the co-op's first rulebook (admins; 409 once there is one)."""
    adopted = rulebook.adopt_preset(db.session, data["preset"], current_user.id)
    db.session.commit()
    return presenting.rulebook(adopted)


@blueprint.route("/rulebook", methods=["GET"])
@blueprint.response(200, schemas.RulebookOut)
@document_errors(blueprint, 401, 404)
def current_rulebook():
    """The rulebook in force."""
    return presenting.rulebook(rulebook.require_current(db.session))


@blueprint.route("/rulebook/versions", methods=["GET"])
@blueprint.response(200, schemas.RulebookHistoryOut)
@document_errors(blueprint, 401, 404)
def rulebook_history():
    """Every version of the rulebook, newest first, each with the proposal that made it."""
    return {"versions": [presenting.rulebook(v) for v in rulebook.history(db.session)]}


@blueprint.route("/proposals", methods=["GET"])
@blueprint.response(200, schemas.ProposalListOut)
@document_errors(blueprint, 401, 404)
def list_proposals():
    """Open proposals first (closing soonest first), then the rest, newest first."""
    found = proposals.listing(db.session)
    return {"proposals": presenting.many(db.session, g.tenant, found, current_user.id)}


@blueprint.route("/proposals", methods=["POST"])
@blueprint.arguments(schemas.ProposalIn)
@blueprint.response(201, schemas.ProposalOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("member")
def open_proposal(data):
    """Open a proposal in a category; it closes at ``closes_at``, inside the category's window."""
    proposal = services.open_proposal(
        db.session,
        g.tenant,
        current_user.id,
        data["category"],
        data["title"],
        data["body"],
        data["closes_at"],
        rulebook_change=data["rulebook_change"],
    )
    db.session.commit()
    return presenting.proposal(db.session, g.tenant, proposal, current_user.id)


@blueprint.route("/proposals/<id:proposal_id>", methods=["GET"])
@blueprint.response(200, schemas.ProposalOut)
@document_errors(blueprint, 401, 404)
def proposal(proposal_id):
    """A proposal, its tally so far (or at closing) and how many may take a position."""
    found = proposals.get(db.session, proposal_id)
    return presenting.proposal(db.session, g.tenant, found, current_user.id)


@blueprint.route("/proposals/<id:proposal_id>/position", methods=["PUT"])
@blueprint.arguments(schemas.PositionIn)
@blueprint.response(200, schemas.PositionOut)
@document_errors(blueprint, *ERRORS)
def take_position(data, proposal_id):
    """Take or change your position until the proposal closes; every change is kept."""
    position = proposals.take_position(
        db.session, g.tenant, proposal_id, current_user.id, data["stance"], data["reason"]
    )
    db.session.commit()
    return position


@blueprint.route("/proposals/<id:proposal_id>/positions", methods=["GET"])
@blueprint.response(200, schemas.PositionHistoryOut)
@document_errors(blueprint, 401, 404)
def position_history(proposal_id):
    """Every position taken on the proposal, in order, changes included."""
    proposals.get(db.session, proposal_id)
    return {"changes": presenting.changes(db.session, g.tenant, proposals.history(db.session, proposal_id))}


@blueprint.route("/proposals/<id:proposal_id>/close", methods=["POST"])
@blueprint.response(200, schemas.ProposalOut)
@document_errors(blueprint, *ERRORS)
def close_proposal(proposal_id):
    """Close early (author or admin), once every eligible member has taken a position."""
    closed = proposals.close_early(db.session, g.tenant, proposal_id, current_user.id, has_role("admin"))
    db.session.commit()
    return presenting.proposal(db.session, g.tenant, closed, current_user.id)


@blueprint.route("/proposals/<id:proposal_id>/withdraw", methods=["POST"])
@blueprint.response(200, schemas.ProposalOut)
@document_errors(blueprint, *ERRORS)
def withdraw_proposal(proposal_id):
    """The author withdraws an open proposal."""
    withdrawn = proposals.withdraw(db.session, proposal_id, current_user.id)
    db.session.commit()
    return presenting.proposal(db.session, g.tenant, withdrawn, current_user.id)


@blueprint.route("/meetings", methods=["GET"])
@blueprint.response(200, schemas.MeetingListOut)
@document_errors(blueprint, 401, 404)
def list_meetings():
    """Meetings, latest first."""
    return {"meetings": minutes.meetings(db.session)}


@blueprint.route("/meetings", methods=["POST"])
@blueprint.arguments(schemas.MeetingIn)
@blueprint.response(201, schemas.MeetingOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("member")
def create_meeting(data):
    """Schedule a meeting, one-off or recurring, with its agenda."""
    meeting = minutes.create_meeting(db.session, current_user.id, **data)
    db.session.commit()
    return meeting


@blueprint.route("/minutes", methods=["GET"])
@blueprint.response(200, schemas.MinutesListOut)
@document_errors(blueprint, 401, 404)
def list_minutes():
    """Minutes, drafts and approved, latest first."""
    return {"minutes": minutes.listing(db.session)}


@blueprint.route("/minutes", methods=["POST"])
@blueprint.arguments(schemas.MinutesIn)
@blueprint.response(201, schemas.MinutesOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("member")
def draft_minutes(data):
    """Draft the minutes of a meeting: issues discussed, decisions made, actions taken."""
    meeting_id = data.pop("meeting_id")
    drafted = minutes.draft(db.session, current_user.id, data, meeting_id=meeting_id)
    db.session.commit()
    return drafted


@blueprint.route("/minutes/<id:minutes_id>", methods=["GET"])
@blueprint.response(200, schemas.MinutesOut)
@document_errors(blueprint, 401, 404)
def get_minutes(minutes_id):
    """One set of minutes."""
    return minutes.get_minutes(db.session, minutes_id)


@blueprint.route("/minutes/<id:minutes_id>", methods=["PUT"])
@blueprint.arguments(schemas.MinutesIn)
@blueprint.response(200, schemas.MinutesOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("member")
def edit_minutes(data, minutes_id):
    """Edit draft minutes; approved minutes answer 409 (amend them instead)."""
    data.pop("meeting_id")
    edited = minutes.update_draft(db.session, minutes_id, data)
    db.session.commit()
    return edited


@blueprint.route("/minutes/<id:minutes_id>", methods=["DELETE"])
@blueprint.response(204)
@document_errors(blueprint, *ERRORS)
@tenant_role("member")
def delete_minutes(minutes_id):
    """Delete draft minutes; approved minutes answer 409."""
    minutes.delete_draft(db.session, minutes_id)
    db.session.commit()


@blueprint.route("/minutes/<id:minutes_id>/approve", methods=["POST"])
@blueprint.arguments(schemas.ApproveIn)
@blueprint.response(200, schemas.MinutesOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("member")
def approve_minutes(data, minutes_id):
    """Approve draft minutes by a passed proposal or a vote taken in the meeting; they become a legal record."""
    approved = minutes.approve(
        db.session,
        g.tenant,
        minutes_id,
        proposal_id=data["proposal_id"],
        tally=data["tally"],
        may_record_votes=has_role("admin"),
    )
    db.session.commit()
    return approved


@blueprint.route("/minutes/<id:minutes_id>/amendments", methods=["POST"])
@blueprint.arguments(schemas.MinutesIn)
@blueprint.response(201, schemas.MinutesOut)
@document_errors(blueprint, *ERRORS)
@tenant_role("member")
def amend_minutes(data, minutes_id):
    """Draft an amendment of approved minutes (approved the same way)."""
    meeting_id = data.pop("meeting_id")
    drafted = minutes.draft(db.session, current_user.id, data, meeting_id=meeting_id, amends_id=minutes_id)
    db.session.commit()
    return drafted


@blueprint.route("/minutes/verify", methods=["GET"])
@blueprint.response(200, schemas.VerifyOut)
@document_errors(blueprint, 401, 404)
def verify_minutes():
    """Check the chain of approved minutes; names the first record altered behind the app's back."""
    return minutes.verify(db.session)


@blueprint.route("/actions", methods=["GET"])
@blueprint.response(200, schemas.ActionListOut)
@document_errors(blueprint, 401, 404)
def my_actions():
    """Your open action items from minutes."""
    return {"actions": minutes.my_actions(db.session, current_user.id)}


@blueprint.route("/actions/<id:action_id>", methods=["PATCH"])
@blueprint.arguments(schemas.ActionStatusIn)
@blueprint.response(200, schemas.ActionOut)
@document_errors(blueprint, *ERRORS)
def set_action(data, action_id):
    """Mark your action item done or dropped (admins may mark anyone's)."""
    action = minutes.set_action_status(db.session, action_id, current_user.id, data["status"], has_role("admin"))
    db.session.commit()
    return action


@blueprint.route("/calendar-key", methods=["POST"])
@blueprint.response(201, schemas.CalendarKeyOut)
@document_errors(blueprint, 401, 404)
def calendar_key():
    """A new secret URL for your calendar app's subscription to the meetings; the old one stops working."""
    key = exports.issue_calendar_key(db.session, current_user.id)
    db.session.commit()
    return {"url": url_for("governance.calendar", key=key, _external=True)}
