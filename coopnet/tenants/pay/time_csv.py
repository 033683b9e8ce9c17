"""Time from and to CSV: an import checked row by row first (a preview names every bad row and
writes nothing; the import writes every row or none), and an export in the same columns, so an
exported file imports again.

Columns: worked_on and minutes are needed; email (whose time: empty is the importer's own),
kind (default client), billable (yes/no), client (a client's name), project (one of the client's
projects by name; it names its client when the client is left empty) and note are optional;
name, as the export writes it, is ignored.

Who commits: the caller; these functions add, flush and return.
"""

import csv
import io
import re
from collections import defaultdict
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import BigInteger, String, any_, bindparam, func, insert, select
from sqlalchemy.dialects.postgresql import ARRAY

from coopnet import csv_files
from coopnet.errors import ValidationFailed
from coopnet.i18n import day as shown_day
from coopnet.platform.models import Account, Membership
from coopnet.tenants.membership.bulk import insert_columns
from coopnet.tenants.pay.models import Client, Project, TimeEntry, TimeEntryChange
from coopnet.tenants.pay.timesheets import MINUTES_A_DAY, ensure_kinds, hold_time_of, kinds, locked_until

REQUIRED = ("worked_on", "minutes")
COLUMNS = ("email", "name", "worked_on", "minutes", "kind", "billable", "client", "project", "note")
MAX_ROWS = 20_000
MAX_NOTE = 2000
YES, NO = {"yes", "y", "true", "1", "x"}, {"", "no", "n", "false", "0"}
WHOLE = re.compile(r"[0-9]{1,5}")  # ASCII digits only


def parse(text: str) -> tuple[list[dict], dict[int, list[str]]]:
    """(rows, problems by line number) from the text alone; line 1 is the header."""
    return csv_files.read(text, _parse)


def _parse(text):
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ValidationFailed(
            _("The header is missing columns."), {"csv": _("Missing columns: %(values)s.", values=", ".join(missing))}
        )
    reader.fieldnames = header
    rows, problems = [], {}
    for line, raw in enumerate(reader, start=2):
        if line > MAX_ROWS + 1:
            raise ValidationFailed(
                _("Too many rows."), {"csv": _("At most %(max_rows)s rows at once.", max_rows=format(MAX_ROWS, ","))}
            )
        row = {key: csv_files.from_spreadsheet_text((raw.get(key) or "").strip()) for key in COLUMNS}
        reasons = []
        try:
            row["worked_on"] = date.fromisoformat(row["worked_on"])
        except ValueError:
            reasons.append(_("the day is a date such as 2026-03-02"))
        if WHOLE.fullmatch(row["minutes"]) and 0 < int(row["minutes"]) <= MINUTES_A_DAY:
            row["minutes"] = int(row["minutes"])
        else:
            reasons.append(_("minutes are a whole number from 1 to 1440"))
        row["kind"] = row["kind"].lower() or "client"
        if row["billable"].lower() in YES | NO:
            row["billable"] = row["billable"].lower() in YES
        else:
            reasons.append(_("billable is yes or no"))
        if len(row["note"]) > MAX_NOTE:
            reasons.append(_("a note has at most 2,000 characters"))
        row["email"] = row["email"].lower()
        if reasons:
            problems[line] = reasons
        rows.append(row)
    return rows, problems


def check(session, tenant, by: int, may_log_for_others: bool, text: str) -> tuple[list[dict], dict[int, str]]:
    """(rows, problems by line), each row resolved to ``account_id`` and ``client_id``,
    writing nothing. A handful of queries for the whole file, whatever its length."""
    rows, problems = parse(text)
    kind_keys = {k.key for k in kinds(session)}
    clients = defaultdict(list)
    for client_id, name in session.execute(select(Client.id, Client.name)):
        clients[name.strip().lower()].append(client_id)
    projects = defaultdict(list)
    for project_id, client_id, name, archived in session.execute(
        select(Project.id, Project.client_id, Project.name, Project.archived)
    ):
        projects[name.strip().lower()].append((project_id, client_id, archived))
    emails = sorted({row["email"] for row in rows if row["email"]})
    wanted = bindparam("emails", emails, type_=ARRAY(String))
    members = dict(
        session.execute(
            select(func.lower(Account.email), Account.id)
            .join(Membership, Membership.account_id == Account.id)
            .where(Membership.tenant_id == tenant.id, func.lower(Account.email) == any_(wanted))
        ).all()
    )
    locked = locked_until(session)
    for line, row in enumerate(rows, start=2):
        reasons = problems.setdefault(line, [])
        row["account_id"] = members.get(row["email"]) if row["email"] else by
        if row["account_id"] is None:
            reasons.append(_("%(email)s is not a member of this co-op", email=row["email"]))
        elif row["account_id"] != by and not may_log_for_others:
            reasons.append(_("only officers and admins import time for someone else"))
        if row["kind"] not in kind_keys:
            reasons.append(_("the kind of work is one of: %(values)s", values=", ".join(sorted(kind_keys))))
        found = clients.get(row["client"].lower(), []) if row["client"] else [None]
        row["client_id"] = found[0] if len(found) == 1 else None
        if not found:
            reasons.append(_("no client of this co-op is called %(name)s", name=row["client"]))
        elif len(found) > 1:
            reasons.append(_("two clients are called %(name)s: rename one first", name=row["client"]))
        _resolve_project(row, reasons, projects)
        if locked is not None and isinstance(row["worked_on"], date) and row["worked_on"] <= locked:
            reasons.append(
                _(
                    "time up to %(value)s is locked: its pay run is final or its salary year is closed",
                    value=shown_day(locked),
                )
            )
    _check_days(session, rows, problems)
    return rows, {line: "; ".join(reasons) for line, reasons in sorted(problems.items()) if reasons}


def _resolve_project(row: dict, reasons: list, projects: dict) -> None:
    """Set ``project_id`` (and the client, when the row names none) from the project's name."""
    row["project_id"] = None
    if not row["project"]:
        return
    named = projects.get(row["project"].lower(), [])
    if row["client"]:
        named = [p for p in named if p[1] == row["client_id"]]
    if not named:
        reasons.append(
            _("%(client)s has no project called %(name)s", client=row["client"], name=row["project"])
            if row["client"]
            else _("no project of this co-op is called %(name)s", name=row["project"])
        )
    elif len(named) > 1:
        reasons.append(_("two clients have a project called %(name)s: name the client", name=row["project"]))
    elif named[0][2]:
        reasons.append(_("the project %(name)s is archived", name=row["project"]))
    else:
        row["project_id"], row["client_id"] = named[0][0], named[0][1]


def _check_days(session, rows, problems):
    """No one's day may hold more than 24 hours, counting what is logged already."""
    good = {
        line
        for line, row in enumerate(rows, start=2)
        if row["account_id"] and isinstance(row["worked_on"], date) and isinstance(row["minutes"], int)
    }
    if not good:
        return
    account_ids = sorted({rows[line - 2]["account_id"] for line in good})
    hold_time_of(session, account_ids)
    ids = bindparam("ids", account_ids, type_=ARRAY(BigInteger))
    logged = session.execute(
        select(TimeEntry.account_id, TimeEntry.worked_on, func.sum(TimeEntry.minutes))
        .where(
            TimeEntry.account_id == any_(ids),
            TimeEntry.worked_on >= min(rows[line - 2]["worked_on"] for line in good),
            TimeEntry.worked_on <= max(rows[line - 2]["worked_on"] for line in good),
        )
        .group_by(TimeEntry.account_id, TimeEntry.worked_on)
    )
    day_total = defaultdict(int, {(account, day): int(total) for account, day, total in logged})
    for line in sorted(good):
        row = rows[line - 2]
        key = (row["account_id"], row["worked_on"])
        day_total[key] += row["minutes"]
        if day_total[key] > MINUTES_A_DAY:
            problems[line].append(
                _(
                    "this makes %(minutes)s minutes on %(value)s: a day has at most 1,440",
                    minutes=day_total[key],
                    value=row["worked_on"].isoformat(),
                )
            )


def preview(session, tenant, by: int, may_log_for_others: bool, text: str) -> dict:
    """What an import would do, line by line, writing nothing."""
    rows, problems = check(session, tenant, by, may_log_for_others, text)
    return {"rows": len(rows), "problems": {str(line): reason for line, reason in problems.items()}}


def import_time(session, tenant, by: int, may_log_for_others: bool, text: str) -> list[int]:
    """All rows or none: any bad row and nothing is written (every bad line is named).
    Returns the new entries' ids, ascending."""
    rows, problems = check(session, tenant, by, may_log_for_others, text)
    if problems:
        raise ValidationFailed(
            _("Some rows have problems; nothing was imported."),
            {f"line {line}": reason for line, reason in problems.items()},
        )
    if not rows:
        return []
    ensure_kinds(session)  # the entries refer to stored kinds
    fields = ("account_id", "worked_on", "minutes", "kind", "billable", "client_id", "project_id", "note")
    # One statement, one array a column. Each audit line is made from the row the database
    # returns, so it names the entry it was written for whatever order identities were taken in.
    created = insert_columns(
        session,
        TimeEntry.__table__,
        {**{field: [row[field] for row in rows] for field in fields}, "entered_by": [by] * len(rows)},
        fixed={"created_at": func.now()},
        returning=(TimeEntry.id, *(TimeEntry.__table__.c[field] for field in fields)),
    )
    for_others = [
        {
            "entry_id": entry.id,
            "account_id": entry.account_id,
            "action": "created",
            "after": {
                **{
                    field: entry._mapping[field]
                    for field in ("minutes", "kind", "billable", "client_id", "project_id", "note")
                },
                "worked_on": entry.worked_on.isoformat(),
            },
            "reason": _("imported from a CSV file"),
            "changed_by": by,
        }
        for entry in created
        if entry.account_id != by
    ]
    ids = sorted(entry.id for entry in created)
    if for_others:
        session.execute(insert(TimeEntryChange), for_others)
    return ids


def export(session, tenant, start: date, end: date, account_id: int | None = None) -> str:
    """Time from ``start`` to ``end`` (one person's, or everyone's) in the import's columns."""
    query = (
        select(TimeEntry, Account.email, Account.name, Client.name, Project.name)
        .join(Account, Account.id == TimeEntry.account_id, isouter=True)
        .join(Client, Client.id == TimeEntry.client_id, isouter=True)
        .join(Project, Project.id == TimeEntry.project_id, isouter=True)
        .where(TimeEntry.worked_on >= start, TimeEntry.worked_on <= end)
        .order_by(TimeEntry.worked_on, TimeEntry.account_id, TimeEntry.id)
    )
    if account_id is not None:
        query = query.where(TimeEntry.account_id == account_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for entry, email, name, client, project in session.execute(query):
        writer.writerow(
            [
                csv_files.spreadsheet_text(email or ""),
                csv_files.spreadsheet_text(name or ""),
                entry.worked_on.isoformat(),
                entry.minutes,
                csv_files.spreadsheet_text(entry.kind),
                "yes" if entry.billable else "no",
                csv_files.spreadsheet_text(client or ""),
                csv_files.spreadsheet_text(project or ""),
                csv_files.spreadsheet_text(entry.note),
            ]
        )
    return out.getvalue()
