"""JSON shapes of the network: invitations, directory listings, requests and offers,
fees, subcontracts. Inputs are lenient where a record is named in the path, so a
stranger gets the record's 404 before any complaint about the body."""

from marshmallow import Schema, fields, validate

from coopnet.network.models import (
    COORDINATOR_ROLES,
    HOURS_STATUSES,
    INVITATION_STATUSES,
    LISTING_FIELDS,
    OFFER_STATUSES,
    REQUEST_STATUSES,
    SUBCONTRACT_STATUSES,
    URGENCIES,
)

MONEY = {"type": "string", "example": "95.00", "description": "a decimal amount, two places; never a float"}
HOURS = {"type": "string", "example": "7.50", "description": "hours as a decimal string"}
Short = validate.Length(max=300)


class IdOut(Schema):
    id = fields.Integer()


class NetworkInvitationIn(Schema):
    coop = fields.String(load_default=None, validate=validate.Length(max=40), metadata={"example": "quilted"})
    email = fields.String(load_default=None, validate=validate.Length(max=254))


class NetworkInvitationOut(Schema):
    id = fields.Integer()
    network = fields.String(metadata={"description": "the network's slug"})
    coop = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(INVITATION_STATUSES)})
    created_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True, metadata={"description": "an email invitation's link expires"})
    proposal_id = fields.Integer(
        allow_none=True, metadata={"description": "the admission proposal in the network, when its rulebook decides"}
    )


class NetworkInvitationListOut(Schema):
    invitations = fields.List(fields.Nested(NetworkInvitationOut))


class AvailabilityField(Schema):
    taking_work = fields.Boolean()
    full_until = fields.Date(allow_none=True)


class ListingOut(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String(metadata={"enum": ["coop", "consultant"]})
    party = fields.Raw(metadata={"description": "the co-op's slug, or the consultant's account id"})
    public_fields = fields.List(fields.String())
    member_since = fields.DateTime()
    left_at = fields.DateTime(allow_none=True)
    skills = fields.List(fields.String())
    tags = fields.List(fields.String())
    services = fields.String()
    region = fields.String()
    time_zone = fields.String()
    languages = fields.List(fields.String())
    availability = fields.Nested(AvailabilityField)
    rates = fields.String()


class DirectoryQuery(Schema):
    q = fields.String(load_default="", validate=Short)
    skill = fields.String(load_default="", validate=validate.Length(max=60))
    region = fields.String(load_default="", validate=validate.Length(max=100))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))


class DirectoryOut(Schema):
    members = fields.List(fields.Nested(ListingOut))
    total = fields.Integer()
    page = fields.Integer()
    skills_vocabulary = fields.List(fields.String())


class ListingIn(Schema):
    skills = fields.List(fields.String(validate=validate.Length(max=60)), validate=validate.Length(max=30))
    tags = fields.List(fields.String(validate=validate.Length(max=60)), validate=validate.Length(max=30))
    services = fields.String(validate=validate.Length(max=5000))
    region = fields.String(validate=validate.Length(max=100))
    time_zone = fields.String(validate=validate.Length(max=64))
    languages = fields.List(fields.String(validate=validate.Length(max=60)), validate=validate.Length(max=30))
    taking_work = fields.Boolean()
    full_until = fields.Date(allow_none=True)
    rates = fields.String(validate=validate.Length(max=2000))
    public_fields = fields.List(fields.String(validate=validate.OneOf(LISTING_FIELDS)), validate=validate.Length(max=8))


class NetworkMembershipOut(Schema):
    id = fields.Integer(allow_none=True, metadata={"description": "null while the network votes on the admission"})
    admission = fields.String(
        metadata={"enum": ["joined", "proposed"], "description": "proposed: the network's rulebook decides; it votes"}
    )
    network = fields.String()
    network_name = fields.String()
    party = fields.String(metadata={"description": "the co-op's name, or 'you' for a consultant"})
    joined_at = fields.DateTime(allow_none=True)
    left_at = fields.DateTime(allow_none=True)


class JoinIn(Schema):
    token = fields.String(required=True, validate=validate.Length(max=100))
    name = fields.String(
        load_default=None, validate=validate.Length(max=200), metadata={"description": "with no account yet"}
    )
    password = fields.String(
        load_default=None, validate=validate.Length(max=1000), metadata={"description": "with no account yet"}
    )


class NetworkMembershipListOut(Schema):
    memberships = fields.List(fields.Nested(NetworkMembershipOut))


class CoordinatorIn(Schema):
    account_id = fields.Integer(required=True, validate=validate.Range(min=1, max=2**63 - 1))
    role = fields.String(required=True, metadata={"enum": list(COORDINATOR_ROLES)})


class CoordinatorOut(Schema):
    id = fields.Integer()
    account_id = fields.Integer()
    name = fields.String()
    role = fields.String(metadata={"enum": list(COORDINATOR_ROLES)})


class CoordinatorListOut(Schema):
    coordinators = fields.List(fields.Nested(CoordinatorOut))


class RequestIn(Schema):
    organisation = fields.String(load_default="", validate=validate.Length(max=200))
    contact_name = fields.String(load_default="", validate=validate.Length(max=200))
    email = fields.String(load_default="", validate=validate.Length(max=254))
    need = fields.String(load_default="", validate=validate.Length(max=10_000))
    skills = fields.List(
        fields.String(validate=validate.Length(max=60)), load_default=list, validate=validate.Length(max=30)
    )
    ability_to_pay = fields.String(load_default="", validate=validate.Length(max=200))
    deadline = fields.Date(load_default=None, allow_none=True)
    urgency = fields.String(load_default="normal", metadata={"enum": list(URGENCIES)})
    website = fields.String(
        load_default="", validate=validate.Length(max=300), metadata={"description": "leave empty (spam trap)"}
    )


class RequestCreatedOut(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"enum": list(REQUEST_STATUSES)})


class RequestClientOut(Schema):
    organisation = fields.String()
    contact_name = fields.String(metadata={"description": "coordinators and the placed provider only"})
    email = fields.String(metadata={"description": "coordinators and the placed provider only"})


class EventOut(Schema):
    at = fields.DateTime()
    kind = fields.String()
    note = fields.String()
    member = fields.String(allow_none=True)
    actor_id = fields.Integer(allow_none=True)


class OfferSummaryOut(Schema):
    id = fields.Integer()
    member = fields.String()
    status = fields.String(metadata={"enum": list(OFFER_STATUSES)})
    respond_by = fields.DateTime()
    reason = fields.String()


class RequestOut(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"enum": list(REQUEST_STATUSES)})
    need = fields.String()
    skills = fields.List(fields.String())
    ability_to_pay = fields.String()
    deadline = fields.Date(allow_none=True)
    urgency = fields.String()
    created_at = fields.DateTime()
    first_response_at = fields.DateTime(allow_none=True)
    client = fields.Nested(RequestClientOut)
    placed_with = fields.String(allow_none=True)
    outside_referrals = fields.List(fields.Dict())
    offers = fields.List(fields.Nested(OfferSummaryOut))
    timeline = fields.List(fields.Nested(EventOut))


class RequestListQuery(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(REQUEST_STATUSES))


class RequestRowOut(Schema):
    id = fields.Integer()
    organisation = fields.String()
    status = fields.String()
    skills = fields.List(fields.String())
    urgency = fields.String()
    created_at = fields.DateTime()


class RequestListOut(Schema):
    requests = fields.List(fields.Nested(RequestRowOut))


class NoteIn(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class QuestionIn(Schema):
    question = fields.String(load_default="", validate=validate.Length(max=5000))


class MatchMemberOut(Schema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    party = fields.Raw()


class MatchOut(Schema):
    member = fields.Nested(MatchMemberOut)
    score = fields.Integer()
    reasons = fields.List(fields.String())


class MatchQuery(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=200))


class OfferTo(Schema):
    coop = fields.String(validate=validate.Length(max=40))
    account_id = fields.Integer(validate=validate.Range(min=1, max=2**63 - 1))


class OfferIn(Schema):
    to = fields.Nested(OfferTo, required=True)
    respond_by = fields.AwareDateTime(load_default=None, allow_none=True)


class ReasonIn(Schema):
    reason = fields.String(load_default="", validate=validate.Length(max=2000))


class OfferOut(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"enum": list(OFFER_STATUSES)})
    respond_by = fields.DateTime()
    reason = fields.String()
    network = fields.String()
    request = fields.Nested(RequestOut)


class OfferListQuery(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(OFFER_STATUSES))


class OfferListOut(Schema):
    offers = fields.List(fields.Nested(OfferOut))


class ReferralIn(Schema):
    name = fields.String(load_default="", validate=validate.Length(max=200))
    contact = fields.String(load_default="", validate=validate.Length(max=300))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class ReferOutIn(Schema):
    referrals = fields.List(fields.Nested(ReferralIn), required=True, validate=validate.Length(max=10))


class SettingsIn(Schema):
    overhead_per_hour = fields.String(load_default=None, allow_none=True, metadata=MONEY)
    offer_hours = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=-(2**31), max=2**31))
    currency = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=3))
    admission = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=20),
        metadata={
            "enum": ["invitation", "rulebook"],
            "description": "rulebook: accepting an invitation opens an admission proposal in the network",
        },
    )


class SettingsOut(Schema):
    overhead_per_hour = fields.String(metadata=MONEY)
    currency = fields.String()
    offer_hours = fields.Integer()
    admission = fields.String(metadata={"enum": ["invitation", "rulebook"]})


class BilledHoursIn(Schema):
    hours = fields.String(load_default=None, allow_none=True, metadata=HOURS)
    worked_on = fields.Date(load_default=None, allow_none=True)


class FeeOut(Schema):
    id = fields.Integer()
    request_id = fields.Integer()
    member_id = fields.Integer()
    worked_on = fields.Date()
    hours = fields.String(metadata=HOURS)
    overhead_per_hour = fields.String(metadata=MONEY)
    amount = fields.String(metadata=MONEY)
    settled = fields.Boolean()


class FeeLedgerOut(Schema):
    fees = fields.List(fields.Nested(FeeOut))
    owed = fields.String(metadata=MONEY)
    settled = fields.String(metadata=MONEY)
    total = fields.String(metadata=MONEY)
    currency = fields.String()


class MonthOut(Schema):
    month = fields.String(metadata={"example": "2026-11"})
    requests = fields.Integer()


class MemberWorkOut(Schema):
    member = fields.String()
    offered = fields.Integer()
    accepted = fields.Integer()


class ReportOut(Schema):
    requests_by_month = fields.List(fields.Nested(MonthOut))
    median_hours_to_first_response = fields.String(allow_none=True)
    share_placed = fields.String(metadata={"example": "0.50", "description": "placed / decided requests"})
    by_member = fields.List(fields.Nested(MemberWorkOut))


class SubcontractIn(Schema):
    to = fields.String(required=True, validate=validate.Length(max=40))
    scope = fields.String(required=True, validate=validate.Length(max=10_000))
    client = fields.String(load_default="", validate=validate.Length(max=200))
    rate = fields.String(load_default=None, allow_none=True, metadata=MONEY)
    fixed_price = fields.String(load_default=None, allow_none=True, metadata=MONEY)
    currency = fields.String(load_default="USD", validate=validate.Length(equal=3))
    hour_cap = fields.Raw(required=True, metadata={"type": "number", "example": 40})
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    request_id = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=1, max=2**63 - 1),
        metadata={"description": "the client request, placed with this co-op, the work comes from"},
    )


class SubcontractHoursIn(Schema):
    worked_on = fields.Date(load_default=None, allow_none=True)
    hours = fields.Raw(load_default=None, allow_none=True, metadata={"type": "number", "example": 7.5})
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class TimesheetPublishIn(Schema):
    client_id = fields.Raw(
        required=True, metadata={"type": "integer", "description": "the client in your own co-op's pay timesheet"}
    )


class SubcontractHoursOut(Schema):
    id = fields.Integer()
    worked_on = fields.Date()
    hours = fields.String(metadata=HOURS)
    note = fields.String()
    status = fields.String(metadata={"enum": list(HOURS_STATUSES)})
    query_note = fields.String()


class SubcontractHoursListOut(Schema):
    hours = fields.List(fields.Nested(SubcontractHoursOut))


class SubcontractOut(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"enum": list(SUBCONTRACT_STATUSES)})
    contractor = fields.String()
    subcontractor = fields.String()
    scope = fields.String()
    client = fields.String()
    rate = fields.String(allow_none=True, metadata=MONEY)
    fixed_price = fields.String(allow_none=True, metadata=MONEY)
    currency = fields.String()
    hour_cap = fields.String(metadata=HOURS)
    hours_counted = fields.String(metadata=HOURS)
    hours_approved = fields.String(metadata=HOURS)
    starts_on = fields.Date()
    ends_on = fields.Date()
    invoice = fields.String(allow_none=True, metadata=MONEY)
    request_id = fields.Integer(allow_none=True)
    hours = fields.List(fields.Nested(SubcontractHoursOut))


class SubcontractListOut(Schema):
    subcontracts = fields.List(fields.Nested(SubcontractOut))


class TimesheetOut(Schema):
    entries = fields.List(fields.Nested(SubcontractHoursOut))
