"""Bringing in an existing co-op's register from CSV (preview first), and exporting it.

Columns: email, name, status, since, class. A preview names every bad row; the
import writes all rows or none.

Who commits: the caller; these functions add, flush and return.
"""

import csv
import io
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import BigInteger, String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY

from coopnet import csv_files
from coopnet.errors import ValidationFailed
from coopnet.platform.accounts import email_problem, name_problem, normalise_email
from coopnet.platform.addresses import skeleton
from coopnet.platform.models import Account, Membership
from coopnet.tenants.membership.lifecycle import CLASSES, STATUSES, a_date, register
from coopnet.tenants.membership.models import MemberRecord

COLUMNS = ("email", "name", "status", "since", "class")
MAX_ROWS = 20_000


def parse(text: str) -> tuple[list[dict], dict[int, str]]:
    """(rows, problems by line number); line 1 is the header."""
    return csv_files.read(text, _parse)


def _parse(text):
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationFailed(
            _("The header is missing columns."), {"csv": _("Missing columns: %(values)s.", values=", ".join(missing))}
        )
    rows, problems, seen = [], {}, set()
    for line, raw in enumerate(reader, start=2):
        if line > MAX_ROWS + 1:
            raise ValidationFailed(
                _("Too many rows."), {"csv": _("At most %(max_rows)s rows at once.", max_rows=format(MAX_ROWS, ","))}
            )
        row = {key: csv_files.from_spreadsheet_text((raw.get(key) or "").strip()) for key in COLUMNS}
        row["email"] = normalise_email(row["email"])
        reasons = [
            reason
            for reason in (
                email_problem(row["email"]),
                name_problem(row["name"], _("a name")),
                None if row["status"] in STATUSES else f"status is one of {', '.join(STATUSES)}",
                None if (row["class"] or "member") in CLASSES else f"class is one of {', '.join(CLASSES)}",
            )
            if reason
        ]
        try:
            row["since"] = a_date(row["since"], "since", not_after=date.today())
        except ValidationFailed as error:
            reasons.append(next(iter(error.fields.values())))
        if row["email"].lower() in seen:
            reasons.append("this email is on an earlier line too")
        seen.add(row["email"].lower())
        row["class"] = row["class"] or "member"
        if reasons:
            problems[line] = "; ".join(reasons)
        rows.append(row)
    return rows, problems


def check(session, tenant, text: str) -> tuple[list[dict], dict[int, str], dict[str, int]]:
    """(rows, problems by line, account id by email for rows that name an existing
    account), writing nothing. Three queries for the whole file, whatever its length."""
    rows, problems = parse(text)
    lookalike = {}  # the same letters from another alphabet hold an address too
    for line, row in enumerate(rows, start=2):
        email = row["email"].lower()
        if line not in problems and not email.isascii():
            lookalike[email] = skeleton(email).lower()
    emails = {row["email"].lower() for line, row in enumerate(rows, start=2) if line not in problems}
    holders = _holders(session, emails | set(lookalike.values()))
    ids = bindparam("ids", list(holders.values()), type_=ARRAY(BigInteger))
    registered = set(session.scalars(select(MemberRecord.account_id).where(MemberRecord.account_id == any_(ids))))
    members = set(
        session.scalars(
            select(Membership.account_id).where(Membership.tenant_id == tenant.id, Membership.account_id == any_(ids))
        )
    )
    existing = {}
    for line, row in enumerate(rows, start=2):
        email = row["email"].lower()
        holder = holders.get(email) or holders.get(lookalike.get(email))
        if line in problems or holder is None:
            continue
        if holder in registered:
            problems[line] = _("already in the register")
        elif holder not in members:
            problems[line] = _("has a coopnet account: invite them instead")
        else:
            existing[email] = holder
    return rows, problems, existing


def _holders(session, emails: set[str]) -> dict[str, int]:
    """Account id by lower-cased address, for every address given: one query, one array."""
    wanted = bindparam("emails", sorted(emails), type_=ARRAY(String))
    rows = session.execute(
        select(func.lower(Account.email), Account.id).where(func.lower(Account.email) == any_(wanted))
    )
    return dict(rows.all())


def preview_rows(session, tenant, text: str) -> tuple[list[dict], dict[int, str]]:
    """Every row and every problem by line, for the preview page."""
    rows, problems, _existing = check(session, tenant, text)
    return rows, dict(sorted(problems.items()))


def preview(session, tenant, text: str) -> dict:
    """What an import would do, line by line, writing nothing."""
    rows, problems = preview_rows(session, tenant, text)
    return {"rows": len(rows), "problems": {str(line): reason for line, reason in problems.items()}}


def export(session) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for entry, account in register(session):
        writer.writerow(
            [
                csv_files.spreadsheet_text(account.email),
                csv_files.spreadsheet_text(account.name),
                entry.status,
                entry.since.isoformat(),
                entry.member_class,
            ]
        )
    return out.getvalue()
