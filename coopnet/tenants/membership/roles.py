"""Officer terms and accountability statements.

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select

from coopnet.database import hold, utcnow
from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.i18n import day
from coopnet.tenants.membership.lifecycle import a_date, record, require_active
from coopnet.tenants.membership.models import AccountabilityStatement, OfficerTerm

OFFICER_ROLES = ("coordinator", "secretary", "bookkeeper", "new-client coordinator", "webmaster", "records keeper")
STATEMENT_KINDS = ("missed deadline", "unfulfilled commitment", "costly error", "other")


# --- officers --------------------------------------------------------------------------


def appoint(session, role: str, account_id: int, starts_on, ends_on=None) -> OfficerTerm:
    """A term in a rotating role; it may not overlap another holder's term of the same role."""
    role = (role or "").strip().lower()
    problems = {}
    if not role or len(role) > 60:
        problems["role"] = _("Name the role, such as %(values)s.", values=", ".join(OFFICER_ROLES[:3]))
    try:
        starts_on = a_date(starts_on, "starts_on")
        ends_on = a_date(ends_on, "ends_on") if ends_on else None
    except ValidationFailed as error:
        problems.update(error.fields)
    if not problems and ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = _("A term ends after it starts.")
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    require_active(session, account_id)
    # Two appointments to a vacant role at once: FOR UPDATE below locks only terms that
    # exist, so the role itself is locked (until commit) for the check and the insert.
    hold(session, f"officer:{role}")
    far = date.max
    overlap = session.scalar(
        select(OfficerTerm)
        .where(
            OfficerTerm.role == role,
            OfficerTerm.starts_on <= (ends_on or far),
            or_(OfficerTerm.ends_on.is_(None), OfficerTerm.ends_on >= starts_on),
        )
        .with_for_update()
    )
    if overlap is not None:
        until = day(overlap.ends_on) if overlap.ends_on else _("open-ended")
        raise Conflict(
            _(
                "The %(role)s term overlaps the current holder's (%(start)s to %(until)s).",
                role=role,
                start=day(overlap.starts_on),
                until=until,
            ),
            {"starts_on": _("End the current term first, or start after it ends.")},
            code="term_overlaps",
        )
    term = OfficerTerm(role=role, account_id=account_id, starts_on=starts_on, ends_on=ends_on)
    session.add(term)
    session.flush()
    return term


def end_term(session, term_id: int, ends_on) -> OfficerTerm:
    """End a term (early, or an open-ended one); a term is never lengthened here, so
    ending one never makes it overlap the next holder's."""
    term = session.scalar(select(OfficerTerm).where(OfficerTerm.id == term_id).with_for_update())
    if term is None:
        raise NotFound(_("No such officer term."))
    ends_on = a_date(ends_on, "ends_on")
    if ends_on < term.starts_on:
        raise ValidationFailed(
            _("A term ends after it starts."), {"ends_on": _("A term ends on or after its first day.")}
        )
    if term.ends_on is not None and ends_on > term.ends_on:
        raise Conflict(
            _("This term already ends on %(day)s; appoint a new term to go on.", day=day(term.ends_on)),
            {"ends_on": _("On or before %(day)s.", day=day(term.ends_on))},
            code="term_extended",
        )
    term.ends_on = ends_on
    session.flush()
    return term


def officers(session, on: date | None = None) -> list[OfficerTerm]:
    """Current holders of each role on a day, and when each term ends."""
    on = on or date.today()
    query = select(OfficerTerm).where(
        OfficerTerm.starts_on <= on, or_(OfficerTerm.ends_on.is_(None), OfficerTerm.ends_on >= on)
    )
    return session.scalars(query.order_by(OfficerTerm.role)).all()


def is_officer(session, account_id: int, on: date | None = None) -> bool:
    return any(term.account_id == account_id for term in officers(session, on))


def terms(session) -> list[OfficerTerm]:
    return session.scalars(select(OfficerTerm).order_by(OfficerTerm.starts_on.desc(), OfficerTerm.role)).all()


# --- accountability ------------------------------------------------------------------


def file_statement(session, author_id: int, subject_id: int, kind: str, body: str) -> AccountabilityStatement:
    """Anyone may file one about any member, themselves included."""
    body = (body or "").strip()
    problems = {}
    if kind not in STATEMENT_KINDS:
        problems["kind"] = _("Choose one of: %(values)s.", values=", ".join(STATEMENT_KINDS))
    if not body or len(body) > 10_000:
        problems["body"] = _("Say what happened, in at most 10,000 characters.")
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    record(session, subject_id)
    statement = AccountabilityStatement(subject_id=subject_id, author_id=author_id, kind=kind, body=body)
    session.add(statement)
    session.flush()
    return statement


def respond(session, statement_id: int, account_id: int, response: str) -> AccountabilityStatement:
    """The subject adds a response, once; nothing else about a statement ever changes."""
    statement = session.scalar(
        select(AccountabilityStatement).where(AccountabilityStatement.id == statement_id).with_for_update()
    )
    if statement is None:
        raise NotFound(_("No such statement."))
    if statement.subject_id != account_id:
        raise Conflict(_("Only the person a statement is about may respond to it."), code="not_the_subject")
    if statement.response is not None:
        raise Conflict(_("A statement takes one response, and it is already there."), code="statement_final")
    response = (response or "").strip()
    if not response or len(response) > 10_000:
        raise ValidationFailed(
            _("Write the response."), {"response": _("Write your response, at most 10,000 characters.")}
        )
    statement.response, statement.responded_at = response, utcnow()
    session.flush()
    return statement


def statements(session) -> list[AccountabilityStatement]:
    return session.scalars(select(AccountabilityStatement).order_by(AccountabilityStatement.id.desc())).all()
