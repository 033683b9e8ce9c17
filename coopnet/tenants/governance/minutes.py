"""Meetings, minutes, and approved minutes as a tamper-evident legal record.

Approved minutes are never edited or deleted (409); they are amended by a new
approved record that refers to them. Each approved record is chained: its hash
is SHA-256 over the previous record's hash and its canonical content, and the
content is recomputed from the minutes when the chain is verified, so a change
made behind the app's back (a direct SQL update) is found and named.

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

import hashlib
import json
from datetime import date, datetime

from flask_babel import gettext
from sqlalchemy import select

from coopnet.database import hold, utcnow
from coopnet.errors import Conflict, Forbidden, NotFound, ValidationFailed
from coopnet.platform.accounts import name_problem
from coopnet.tenants.governance import proposals, rulebook
from coopnet.tenants.governance.models import ActionItem, ApprovedRecord, Meeting, Minutes
from coopnet.tenants.governance.rules import STANCES, decide

GENESIS = "0" * 64
RECURRENCES = ("none", "weekly", "monthly", "weeks")
MAX_TEXT = 50_000


class ApprovedIsFinal(Conflict):
    code = "minutes_approved"


# --- meetings ------------------------------------------------------------------


def create_meeting(
    session,
    account_id: int,
    title: str,
    starts_at: datetime,
    recurrence: str = "none",
    every_weeks: int | None = None,
    minutes_long: int = 60,
    location: str | None = None,
    agenda=None,
) -> Meeting:
    title = (title or "").strip()
    problems = {}
    if problem := name_problem(title, gettext("a title")):
        problems["title"] = problem
    if starts_at is None or starts_at.tzinfo is None:
        problems["starts_at"] = gettext("Give the start with its offset, such as 2026-12-01T17:00:00+00:00.")
    elif not 1970 < starts_at.year < 9999:  # the database keeps years 1 to 9999 in UTC
        problems["starts_at"] = gettext("A meeting between the years 1971 and 9998.")
    if recurrence not in RECURRENCES:
        problems["recurrence"] = gettext("Choose one of: %(values)s.", values=", ".join(RECURRENCES))
    elif recurrence == "weeks" and not (isinstance(every_weeks, int) and 1 <= every_weeks <= 52):
        problems["every_weeks"] = gettext("Meet every 1 to 52 weeks (six-weekly is 6).")
    if not isinstance(minutes_long, int) or not 5 <= minutes_long <= 24 * 60:
        problems["minutes_long"] = gettext("A meeting lasts 5 minutes to 24 hours.")
    items = _agenda(session, agenda or [], problems)
    if problems:
        raise ValidationFailed(gettext("Some fields are missing or invalid."), problems)
    meeting = Meeting(
        title=title,
        starts_at=starts_at,
        recurrence=recurrence,
        every_weeks=every_weeks if recurrence == "weeks" else None,
        minutes_long=minutes_long,
        location=(location or "").strip()[:200] or None,
        created_by=account_id,
        agenda=items,
    )
    session.add(meeting)
    session.flush()
    return meeting


def _agenda(session, items, problems):
    checked = []
    if not isinstance(items, list) or len(items) > 100:
        problems["agenda"] = gettext("The agenda is a list of at most 100 items.")
        return checked
    for index, item in enumerate(items):
        title = (item.get("title") or "").strip() if isinstance(item, dict) else ""
        proposal_id = item.get("proposal_id") if isinstance(item, dict) else None
        if name_problem(title, "a title", 300):
            problems[f"agenda.{index}.title"] = gettext("Each agenda item has a title of at most 300 characters.")
        if proposal_id is not None:
            try:
                proposals.get(session, int(proposal_id))
            except (NotFound, TypeError, ValueError, OverflowError):
                problems[f"agenda.{index}.proposal_id"] = gettext("No such proposal in this co-op.")
        checked.append({"title": title, "proposal_id": proposal_id})
    return checked


def meetings(session) -> list[Meeting]:
    return session.scalars(select(Meeting).order_by(Meeting.starts_at.desc())).all()


def get_meeting(session, meeting_id: int) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(gettext("No such meeting."))
    return meeting


# --- minutes -------------------------------------------------------------------


def get_minutes(session, minutes_id: int, lock: bool = False) -> Minutes:
    query = select(Minutes).where(Minutes.id == minutes_id)
    found = session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise NotFound(gettext("No such minutes."))
    return found


def draft(
    session, account_id: int, values: dict, meeting_id: int | None = None, amends_id: int | None = None
) -> Minutes:
    """New draft minutes of a meeting (or an amendment of approved minutes)."""
    if meeting_id is not None:
        get_meeting(session, meeting_id)
    if amends_id is not None and get_minutes(session, amends_id).status != "approved":
        raise Conflict(gettext("Only approved minutes are amended; edit the draft instead."), code="not_approved")
    minutes = Minutes(meeting_id=meeting_id, amends_id=amends_id, written_by=account_id, status="draft")
    _fill(session, minutes, values)
    session.add(minutes)
    session.flush()
    return minutes


def update_draft(session, minutes_id: int, values: dict) -> Minutes:
    minutes = get_minutes(session, minutes_id, lock=True)
    _refuse_if_approved(minutes)
    minutes.actions.clear()
    session.flush()
    _fill(session, minutes, values)
    minutes.updated_at = utcnow()
    session.flush()
    return minutes


def delete_draft(session, minutes_id: int) -> None:
    minutes = get_minutes(session, minutes_id, lock=True)
    _refuse_if_approved(minutes)
    session.delete(minutes)
    session.flush()


def _refuse_if_approved(minutes):
    if minutes.status == "approved":
        raise ApprovedIsFinal(
            gettext(
                "Approved minutes are a legal record: they cannot be edited or deleted, only amended by new minutes that refer to them."
            )
        )


def _fill(session, minutes, values):
    problems = {}
    held_on = values.get("held_on")
    if isinstance(held_on, str):
        try:
            held_on = date.fromisoformat(held_on)
        except ValueError:
            held_on = None
    if not isinstance(held_on, date):
        problems["held_on"] = gettext("Give the meeting's date, such as 2026-11-25.")
    issues = values.get("issues") or ""
    if not isinstance(issues, str) or len(issues) > MAX_TEXT:
        problems["issues"] = gettext(
            "The issues discussed are text of at most %(max_text)s characters.", max_text=MAX_TEXT
        )
    attendees = values.get("attendees") or []
    if not isinstance(attendees, list) or not all(isinstance(a, int) and not isinstance(a, bool) for a in attendees):
        problems["attendees"] = gettext("Attendees are a list of account ids.")
    decisions = _decisions(session, values.get("decisions") or [], problems)
    actions = _actions(values.get("actions") or [], problems)
    if problems:
        raise ValidationFailed(gettext("Some fields are missing or invalid."), problems)
    minutes.held_on, minutes.issues, minutes.attendees = held_on, issues, sorted(set(attendees))
    minutes.decisions = decisions
    minutes.actions.extend(actions)


def _decisions(session, items, problems):
    checked = []
    if not isinstance(items, list):
        problems["decisions"] = gettext("Decisions are a list.")
        return checked
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
            problems[f"decisions.{index}.text"] = gettext("Say what was decided.")
            continue
        proposal_id, tally = item.get("proposal_id"), item.get("tally")
        if proposal_id is not None:
            try:
                proposal = proposals.get(session, int(proposal_id))
            except (NotFound, TypeError, ValueError, OverflowError):
                problems[f"decisions.{index}.proposal_id"] = gettext("No such proposal in this co-op.")
                continue
            checked.append({"text": item["text"].strip(), "proposal_id": proposal.id, "outcome": proposal.outcome})
        elif tally is not None:
            try:
                outcome = meeting_vote(session, item.get("category", "day-to-day"), tally)
            except ValidationFailed as error:
                problems[f"decisions.{index}.tally"] = error.message
                continue
            checked.append(
                {
                    "text": item["text"].strip(),
                    "tally": tally,
                    "outcome": outcome,
                    "category": item.get("category", "day-to-day"),
                }
            )
        else:
            checked.append({"text": item["text"].strip()})
    return checked


def stance_counts(tally) -> dict[str, int]:
    """The counts of a vote typed in, each stance a whole number (0 when left out)."""
    counts = {stance: tally.get(stance, 0) for stance in STANCES} if isinstance(tally, dict) else None
    if counts is None or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in counts.values()):
        raise ValidationFailed(
            gettext("A tally counts each stance with a whole number."), {"tally": gettext("Count each stance.")}
        )
    return counts


def meeting_vote(session, category: str, tally) -> str:
    """The outcome of a vote taken in a meeting, under the rulebook in force."""
    current = rulebook.require_current(session)
    if category not in current.categories:
        raise ValidationFailed(gettext("No category %(category)s in the rulebook.", category=repr(category)))
    counts = stance_counts(tally)
    eligible = tally.get("eligible")
    if not isinstance(eligible, int) or isinstance(eligible, bool) or eligible < sum(counts.values()):
        raise ValidationFailed(gettext("Say how many could vote (eligible), at least as many as voted."))
    return decide(rulebook.rule_for(current, category), counts, eligible)


def _actions(items, problems):
    checked = []
    if not isinstance(items, list):
        problems["actions"] = gettext("Actions are a list.")
        return checked
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems[f"actions.{index}"] = gettext("Each action has who, what and when.")
            continue
        what, assignee, due = (item.get("what") or "").strip(), item.get("assignee_id"), item.get("due_on")
        if not what or len(what) > 500:
            problems[f"actions.{index}.what"] = gettext("Say what is to be done, in at most 500 characters.")
        if not isinstance(assignee, int) or isinstance(assignee, bool):
            problems[f"actions.{index}.assignee_id"] = gettext("Say who will do it (an account id).")
        try:
            due_on = date.fromisoformat(due) if due else None
        except (TypeError, ValueError):
            problems[f"actions.{index}.due_on"] = gettext("Give the due date, such as 2026-12-15.")
            continue
        checked.append(ActionItem(assignee_id=assignee, what=what, due_on=due_on, status="open"))
    return checked


def my_actions(session, account_id: int) -> list[ActionItem]:
    query = select(ActionItem).where(ActionItem.assignee_id == account_id, ActionItem.status == "open")
    return session.scalars(query.order_by(ActionItem.due_on.nulls_last(), ActionItem.id)).all()


def set_action_status(session, action_id: int, account_id: int, status: str, is_admin: bool) -> ActionItem:
    action = session.get(ActionItem, action_id)
    if action is None or (action.assignee_id != account_id and not is_admin):
        raise NotFound(gettext("No such action item of yours."))
    if status not in ("open", "done", "dropped"):
        raise ValidationFailed(gettext("Unknown status."), {"status": gettext("Choose open, done or dropped.")})
    action.status = status
    session.flush()
    return action


# --- approval and the chain ----------------------------------------------------


def approve(
    session, tenant, minutes_id: int, proposal_id: int | None = None, tally=None, may_record_votes: bool = False
) -> Minutes:
    """Approve draft minutes by a decision: a passed day-to-day proposal (each approves
    one set of minutes), or a vote taken in the meeting, recorded by an admin and decided
    under the day-to-day rule against everyone who may vote (not a typed number)."""
    minutes = get_minutes(session, minutes_id, lock=True)
    _refuse_if_approved(minutes)
    if proposal_id is not None:
        proposal = proposals.get(session, proposal_id)
        if proposal.status != "closed" or proposal.outcome != "passed" or proposal.category != "day-to-day":
            raise Conflict(gettext("Minutes are approved by a day-to-day proposal that has passed."), code="not_passed")
        if session.scalar(select(Minutes.id).where(Minutes.approved_by_proposal == proposal.id)) is not None:
            raise Conflict(gettext("That proposal has already approved other minutes."), code="proposal_used")
        minutes.approved_by_proposal = proposal.id
    else:
        if not may_record_votes:
            raise Forbidden(gettext("Only an admin records a vote taken in a meeting."), code="role_required")
        current = rulebook.require_current(session)
        rule = rulebook.rule_for(current, "day-to-day")
        eligible = proposals.eligible_count(session, tenant, rule)
        counts = stance_counts(tally)
        if sum(counts.values()) > eligible:
            raise ValidationFailed(
                gettext("Only %(eligible)s members may vote.", eligible=eligible),
                {"tally": gettext("At most %(eligible)s votes.", eligible=eligible)},
            )
        if decide(rule, counts, eligible) != "passed":
            raise Conflict(gettext("The vote to approve the minutes did not pass."), code="not_passed")
    minutes.status, minutes.approved_at = "approved", utcnow()
    session.flush()
    # One approval at a time per co-op, so two never chain onto the same previous record.
    hold(session, "minutes")
    last = session.scalar(select(ApprovedRecord).order_by(ApprovedRecord.id.desc()).limit(1))
    previous = last.hash if last is not None else GENESIS
    content = canonical(minutes)
    session.add(
        ApprovedRecord(
            minutes_id=minutes.id,
            content=content,
            previous_hash=previous,
            hash=chain_hash(previous, content),
            approved_at=minutes.approved_at,
        )
    )
    session.flush()
    return minutes


MINUTES_COLUMNS = (
    Minutes.id,
    Minutes.meeting_id,
    Minutes.amends_id,
    Minutes.held_on,
    Minutes.attendees,
    Minutes.issues,
    Minutes.decisions,
    Minutes.approved_by_proposal,
)


def canonical(minutes: Minutes) -> str:
    """The minutes as approved, in one stable text (action status is not part of the record)."""
    actions = [(a.id, a.assignee_id, a.what, a.due_on) for a in minutes.actions]
    return _canonical(tuple(getattr(minutes, c.key) for c in MINUTES_COLUMNS), actions)


def _canonical(row, actions) -> str:
    """``row`` holds MINUTES_COLUMNS' values; ``actions`` (id, assignee_id, what, due_on) tuples."""
    minutes_id, meeting_id, amends_id, held_on, attendees, issues, decisions, approved_by_proposal = row
    return json.dumps(
        {
            "id": minutes_id,
            "meeting_id": meeting_id,
            "amends_id": amends_id,
            "held_on": held_on.isoformat(),
            "attendees": list(attendees),
            "issues": issues,
            "decisions": decisions,
            "actions": [
                {"assignee_id": assignee, "what": what, "due_on": due.isoformat() if due else None}
                for _, assignee, what, due in sorted(actions)
            ],
            "approved_by_proposal": approved_by_proposal,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def chain_hash(previous: str, content: str) -> str:
    return hashlib.sha256((previous + "\n" + content).encode()).hexdigest()


def verify(session) -> dict:
    """{"ok", "records", "first_altered"}: the first approved minutes whose record, hash
    or links no longer hold (named by the minutes id), or None."""
    # Plain rows, not ORM objects: 10,000 records verify in well under a second.
    records = session.execute(
        select(
            ApprovedRecord.minutes_id, ApprovedRecord.previous_hash, ApprovedRecord.hash, ApprovedRecord.content
        ).order_by(ApprovedRecord.id)
    ).all()
    minutes = {row[0]: row for row in session.execute(select(*MINUTES_COLUMNS).where(Minutes.status == "approved"))}
    actions = {}
    for minutes_id, *action in session.execute(
        select(ActionItem.minutes_id, ActionItem.id, ActionItem.assignee_id, ActionItem.what, ActionItem.due_on)
        .join(Minutes, Minutes.id == ActionItem.minutes_id)
        .where(Minutes.status == "approved")
    ):
        actions.setdefault(minutes_id, []).append(tuple(action))
    previous = GENESIS
    for minutes_id, previous_hash, digest, content in records:
        current = minutes.get(minutes_id)
        intact = (
            previous_hash == previous
            and digest == chain_hash(previous, content)
            and current is not None
            and _canonical(current, actions.get(minutes_id, [])) == content
        )
        if not intact:
            return {"ok": False, "records": len(records), "first_altered": minutes_id}
        previous = digest
    # Minutes marked approved with no record in the chain were approved behind the app's back.
    unrecorded = sorted(set(minutes) - {r[0] for r in records})
    if unrecorded:
        return {"ok": False, "records": len(records), "first_altered": unrecorded[0]}
    return {"ok": True, "records": len(records), "first_altered": None}


def people_named(session, tenant, minutes: Minutes) -> dict[int, str]:
    """Names of the attendees and assignees of these minutes (this co-op's people only)."""
    return proposals.names(session, tenant, [*minutes.attendees, *(a.assignee_id for a in minutes.actions)])


def listing(session) -> list[Minutes]:
    return session.scalars(select(Minutes).order_by(Minutes.held_on.desc(), Minutes.id.desc())).all()


def to_markdown(minutes: Minutes, names: dict[int, str], tenant_name: str) -> str:
    lines = [f"# Minutes of {tenant_name}, {minutes.held_on.isoformat()}", ""]
    if minutes.amends_id:
        lines += [f"_Amends minutes {minutes.amends_id}._", ""]
    status = f"approved {minutes.approved_at:%Y-%m-%d}" if minutes.approved_at else "draft"
    lines += [f"Status: {status}", "", "## Present", ""]
    lines += [f"- {names.get(a, f'account {a}')}" for a in minutes.attendees] or ["- (not recorded)"]
    lines += ["", "## Issues discussed", "", minutes.issues or "(none)", "", "## Decisions", ""]
    for decision in minutes.decisions:
        outcome = f" ({decision['outcome'].replace('_', ' ')})" if decision.get("outcome") else ""
        lines.append(f"- {decision['text']}{outcome}")
    lines += ["", "## Actions", ""]
    for action in minutes.actions:
        due = f", due {action.due_on.isoformat()}" if action.due_on else ""
        lines.append(f"- {names.get(action.assignee_id, action.assignee_id)}: {action.what}{due} [{action.status}]")
    return "\n".join(lines) + "\n"
