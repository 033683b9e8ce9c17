"""JSON shapes of governance: presets, rulebook, proposals, positions, meetings, minutes."""

from marshmallow import Schema, fields

from coopnet.tenants.governance.rules import COUNTED_AGAINST, METHODS, OUTCOMES, STANCES

FRACTION = {"type": "string", "example": "2/3", "description": "an exact fraction"}


class RuleOut(Schema):
    key = fields.String()
    method = fields.String(metadata={"enum": list(METHODS)})
    threshold = fields.String(allow_none=True, metadata=FRACTION)
    quorum = fields.String(metadata=FRACTION)
    counted_against = fields.String(metadata={"enum": list(COUNTED_AGAINST)})
    window_days = fields.Integer()
    blocks = fields.Boolean()
    block_needs_reason = fields.Boolean()
    stand_aside_limit = fields.Integer(allow_none=True)
    candidates_vote = fields.Boolean()
    leave_votes = fields.Boolean(metadata={"description": "members on leave may vote (register status 'leave')"})


class PresetOut(Schema):
    key = fields.String()
    name = fields.String()
    story = fields.String()
    categories = fields.List(fields.Nested(RuleOut))


class PresetListOut(Schema):
    presets = fields.List(fields.Nested(PresetOut))


class AdoptIn(Schema):
    preset = fields.String(required=True, metadata={"example": "design-action"})


class RulebookOut(Schema):
    version = fields.Integer()
    preset = fields.String(allow_none=True)
    adopted_at = fields.DateTime()
    proposal_id = fields.Integer(allow_none=True, metadata={"description": "the proposal that made this version"})
    categories = fields.List(fields.Nested(RuleOut))


class RulebookHistoryOut(Schema):
    versions = fields.List(fields.Nested(RulebookOut))


class RulebookChangeIn(Schema):
    categories = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True)


class ProposalIn(Schema):
    category = fields.String(required=True, metadata={"example": "day-to-day"})
    title = fields.String(required=True)
    body = fields.String(load_default="")
    closes_at = fields.AwareDateTime(required=True, metadata={"example": "2026-12-01T17:00:00+00:00"})
    rulebook_change = fields.Nested(RulebookChangeIn, load_default=None, allow_none=True)


TALLY = {stance: fields.Integer() for stance in STANCES}
TallyOut = Schema.from_dict(TALLY, name="TallyOut")


class ProposalSummaryOut(Schema):
    id = fields.Integer()
    category = fields.String()
    title = fields.String()
    author_id = fields.Integer()
    status = fields.String(metadata={"enum": ["open", "closed", "withdrawn"]})
    outcome = fields.String(allow_none=True, metadata={"enum": list(OUTCOMES)})
    rulebook_version = fields.Integer()
    opened_at = fields.DateTime()
    closes_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    closed_by = fields.String(allow_none=True)
    tally = fields.Nested(TallyOut)
    eligible = fields.Integer()
    spoken = fields.Integer()
    my_stance = fields.String(allow_none=True, metadata={"enum": list(STANCES)})


class ProposalOut(ProposalSummaryOut):
    body = fields.String()
    rulebook_change = fields.Dict(allow_none=True)


class ProposalListOut(Schema):
    proposals = fields.List(fields.Nested(ProposalSummaryOut))


class PositionIn(Schema):
    stance = fields.String(required=True, metadata={"enum": list(STANCES)})
    reason = fields.String(load_default=None, allow_none=True)


class PositionOut(Schema):
    proposal_id = fields.Integer()
    account_id = fields.Integer()
    stance = fields.String(metadata={"enum": list(STANCES)})
    reason = fields.String(allow_none=True)
    updated_at = fields.DateTime()


class PositionChangeOut(Schema):
    account_id = fields.Integer()
    name = fields.String()
    stance = fields.String(metadata={"enum": list(STANCES)})
    reason = fields.String(allow_none=True)
    taken_at = fields.DateTime()


class PositionHistoryOut(Schema):
    changes = fields.List(fields.Nested(PositionChangeOut))


class AgendaItem(Schema):
    title = fields.String(required=True)
    proposal_id = fields.Integer(allow_none=True, load_default=None)


class MeetingIn(Schema):
    title = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)
    minutes_long = fields.Integer(load_default=60)
    location = fields.String(load_default=None, allow_none=True)
    recurrence = fields.String(load_default="none", metadata={"enum": ["none", "weekly", "monthly", "weeks"]})
    every_weeks = fields.Integer(load_default=None, allow_none=True, metadata={"description": "with recurrence weeks"})
    agenda = fields.List(fields.Nested(AgendaItem), load_default=list)


class MeetingOut(Schema):
    id = fields.Integer()
    title = fields.String()
    starts_at = fields.DateTime()
    minutes_long = fields.Integer()
    location = fields.String(allow_none=True)
    recurrence = fields.String()
    every_weeks = fields.Integer(allow_none=True)
    agenda = fields.List(fields.Nested(AgendaItem))


class MeetingListOut(Schema):
    meetings = fields.List(fields.Nested(MeetingOut))


class ActionIn(Schema):
    assignee_id = fields.Integer(required=True)
    what = fields.String(required=True)
    due_on = fields.String(load_default=None, allow_none=True, metadata={"format": "date"})


class ActionOut(Schema):
    id = fields.Integer()
    minutes_id = fields.Integer()
    assignee_id = fields.Integer()
    what = fields.String()
    due_on = fields.Date(allow_none=True)
    status = fields.String(metadata={"enum": ["open", "done", "dropped"]})


class ActionListOut(Schema):
    actions = fields.List(fields.Nested(ActionOut))


class ActionStatusIn(Schema):
    status = fields.String(required=True, metadata={"enum": ["open", "done", "dropped"]})


class DecisionIn(Schema):
    text = fields.String(required=True)
    proposal_id = fields.Integer(load_default=None, allow_none=True)
    category = fields.String(load_default="day-to-day")
    tally = fields.Dict(load_default=None, allow_none=True, metadata={"description": "stance counts and eligible"})


class MinutesIn(Schema):
    meeting_id = fields.Integer(load_default=None, allow_none=True)
    held_on = fields.String(required=True, metadata={"format": "date"})
    attendees = fields.List(fields.Integer(), load_default=list)
    issues = fields.String(load_default="")
    decisions = fields.List(fields.Nested(DecisionIn), load_default=list)
    actions = fields.List(fields.Nested(ActionIn), load_default=list)


class MinutesSummaryOut(Schema):
    id = fields.Integer()
    meeting_id = fields.Integer(allow_none=True)
    amends_id = fields.Integer(allow_none=True)
    status = fields.String(metadata={"enum": ["draft", "approved"]})
    held_on = fields.Date()
    attendees = fields.List(fields.Integer())
    approved_at = fields.DateTime(allow_none=True)
    approved_by_proposal = fields.Integer(allow_none=True)


class MinutesOut(MinutesSummaryOut):
    issues = fields.String()
    decisions = fields.List(fields.Dict())
    actions = fields.List(fields.Nested(ActionOut))


class MinutesListOut(Schema):
    minutes = fields.List(fields.Nested(MinutesSummaryOut))


class ApproveIn(Schema):
    proposal_id = fields.Integer(load_default=None, allow_none=True)
    tally = fields.Dict(load_default=None, allow_none=True, metadata={"description": "a vote taken in the meeting"})


class VerifyOut(Schema):
    ok = fields.Boolean()
    records = fields.Integer()
    first_altered = fields.Integer(allow_none=True)


class CalendarKeyOut(Schema):
    url = fields.String(metadata={"description": "the iCalendar feed; shown once, keep it secret"})
