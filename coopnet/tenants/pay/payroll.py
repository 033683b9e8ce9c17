"""Pay policies (versioned by the day they take effect) and pay runs.

The policy in force on each day prices that day's time. A run is computed for a
period, reviewed, then finalised: that locks the period, and a finalised run is
never edited (corrections go into the next run as adjustments).

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

import csv
import io
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from flask_babel import gettext as _
from sqlalchemy import func, select

from coopnet import csv_files
from coopnet.database import utcnow
from coopnet.days import add_months
from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.i18n import day as shown_day
from coopnet.money import cents, show, show_hours
from coopnet.tenants.membership.models import MemberRecord
from coopnet.tenants.pay import adjustments as corrections
from coopnet.tenants.pay.expenses import fiscal_year_of, hold_the_books, refuse_a_split_year
from coopnet.tenants.pay.models import PayLine, PayPolicy, PayRun, TimeEntry
from coopnet.tenants.pay.timesheets import hold_pay_periods, locked_until

SCHEMES = ("hourly", "base_plus_hourly", "salary")
RATE_CLASSES = ("member", "candidate", "trainee")


def set_policy(session, values: dict, proposal_id: int | None = None) -> PayPolicy:
    """A new version from ``effective_from``; two versions never start the same day, and a
    version never starts inside a finalised pay run's period."""
    problems = {}
    try:
        effective_from = date.fromisoformat(str(values.get("effective_from")))
    except ValueError:
        effective_from = None
        problems["effective_from"] = _("Give the first day it applies, such as 2026-01-01.")
    scheme = values.get("scheme", "hourly")
    if scheme not in SCHEMES:
        problems["scheme"] = _("Choose one of: %(values)s.", values=", ".join(SCHEMES))
    rates = {}
    raw_rates = values.get("rates") or {}
    if not isinstance(raw_rates, dict) or "member" not in raw_rates:
        problems["rates"] = _('Give at least the member rate an hour, such as {"member": "25.00"}.')
    else:
        for key, value in raw_rates.items():
            if key not in RATE_CLASSES:
                problems[f"rates.{key}"] = _("Rates are by class: %(values)s.", values=", ".join(RATE_CLASSES))
                continue
            try:
                rates[key] = cents(value, f"rates.{key}")
            except ValidationFailed as error:
                problems.update(error.fields)
    multipliers = {}
    for key, value in (values.get("kind_multipliers") or {}).items():
        try:
            multiplier = Fraction(str(value))
            if not 0 < multiplier <= 10 or isinstance(value, float):
                raise ValueError
            multipliers[key] = str(multiplier)
        except (ValueError, ZeroDivisionError):
            problems[f"kind_multipliers.{key}"] = _('A multiple of the rate such as "2".')
    money = {}
    for field in ("monthly_salary", "member_fee"):
        if values.get(field) is not None:
            try:
                money[field] = cents(values[field], field)
            except ValidationFailed as error:
                problems.update(error.fields)
    for field, low, high in (("base_hours", 0, 744), ("yearly_hours", 1, 8784), ("leave_weeks", 0, 52)):
        value = values.get(field)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high):
            problems[field] = _("A whole number from %(low)s to %(high)s.", low=low, high=high)
    if scheme == "salary" and (money.get("monthly_salary") is None or values.get("yearly_hours") is None):
        problems["monthly_salary"] = _("A salary scheme needs the monthly salary and the yearly hours.")
    if scheme == "base_plus_hourly" and not values.get("base_hours"):
        problems["base_hours"] = _("How many hours a month are paid at least.")
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    if session.scalar(select(PayPolicy.id).where(PayPolicy.effective_from == effective_from)) is not None:
        raise Conflict(
            _("A version already starts that day."),
            {"effective_from": _("A version already starts that day.")},
            code="policy_overlaps",
        )
    locked = locked_until(session)
    if locked is not None and effective_from <= locked:
        raise Conflict(
            _("That day is in a finalised pay period."),
            {"effective_from": _("Start after %(value)s.", value=shown_day(locked))},
            code="period_locked",
        )
    policy = PayPolicy(
        effective_from=effective_from,
        scheme=scheme,
        rates=rates,
        kind_multipliers=multipliers,
        base_hours=values.get("base_hours"),
        monthly_salary=money.get("monthly_salary"),
        yearly_hours=values.get("yearly_hours"),
        leave_weeks=values.get("leave_weeks") or 0,
        member_fee=money.get("member_fee", 0),
        proposal_id=proposal_id,
    )
    session.add(policy)
    session.flush()
    return policy


def policies(session) -> list[PayPolicy]:
    return session.scalars(select(PayPolicy).order_by(PayPolicy.effective_from)).all()


def in_force(versions: list[PayPolicy], day: date) -> PayPolicy | None:
    current = None
    for version in versions:
        if version.effective_from <= day:
            current = version
    return current


def rate_for(policy: PayPolicy, rate_class: str, kind: str) -> Fraction:
    """Cents an hour for this class and kind of work, exactly."""
    base = policy.rates.get(rate_class, policy.rates["member"])
    return Fraction(base) * Fraction(policy.kind_multipliers.get(kind, "1"))


def rate_classes(session) -> dict[int, str]:
    """Each person's rate class from the register: trainee, candidate or member."""
    rows = session.execute(select(MemberRecord.account_id, MemberRecord.status, MemberRecord.member_class))
    return {a: ("trainee" if c == "trainee" else "candidate" if s == "candidate" else "member") for a, s, c in rows}


def _round(amount: Fraction) -> int:
    return int((Decimal(amount.numerator) / Decimal(amount.denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def salary_for(monthly: int, first: date, last: date) -> int:
    """Cents of a monthly salary earned from ``first`` to ``last``: each month's part by its
    days, counted month to date so that a month's periods (twice monthly, or from the day
    someone joined) sum exactly to what the whole month pays."""
    total, day = 0, first
    while day <= last:
        month_end = add_months(day.replace(day=1), 1) - timedelta(days=1)
        through = min(last, month_end)
        days = month_end.day
        total += _round(Fraction(monthly * through.day, days)) - _round(Fraction(monthly * (day.day - 1), days))
        day = through + timedelta(days=1)
    return total


def salaries(session, tenant, versions: list[PayPolicy], start: date, end: date) -> dict[int, int]:
    """Cents of salary each person earned from ``start`` to ``end``: each day a salary policy
    is in force is paid at that version's monthly salary, over the days the person worked with
    the co-op (from joining, to the day before they left, as the register shows)."""
    pieces = []  # (first, last, monthly) of each salary version's days in the period
    for index, version in enumerate(versions):
        following = versions[index + 1].effective_from if index + 1 < len(versions) else None
        first = max(start, version.effective_from)
        last = min(end, following - timedelta(days=1)) if following else end
        if version.scheme == "salary" and first <= last:
            pieces.append((first, last, version.monthly_salary))
    if not pieces:
        return {}
    earned = {}
    for account_id, (joined, left) in corrections.spans(session, corrections.members(session, tenant)).items():
        total = 0
        for first, last, monthly in pieces:
            since, until = max(first, joined or first), min(last, left or last)
            if since <= until:
                total += salary_for(monthly, since, until)
        if total:
            earned[account_id] = total
    return earned


def compute(session, tenant, start: date, end: date) -> dict[int, dict]:
    """Each member's gross pay for the period from their time and the policies in force. A
    day under a salary policy is paid by the day (``salaries``), whatever time was logged."""
    versions = policies(session)
    if not versions:
        raise Conflict(_("Set a pay policy first."), code="no_pay_policy")
    classes = rate_classes(session)
    # Summed per member, day and kind in the database (a day has one policy in force), so a
    # month of many entries is a few thousand rows here; the sums stay exact fractions.
    rows = session.execute(
        select(TimeEntry.account_id, TimeEntry.worked_on, TimeEntry.kind, func.sum(TimeEntry.minutes))
        .where(TimeEntry.worked_on >= start, TimeEntry.worked_on <= end)
        .group_by(TimeEntry.account_id, TimeEntry.worked_on, TimeEntry.kind)
    )
    amounts = defaultdict(Fraction)
    minutes = defaultdict(int)
    detail = defaultdict(lambda: defaultdict(lambda: [0, Fraction(0)]))
    for account_id, day, kind, mins in rows:
        policy = in_force(versions, day)
        if policy is None:
            raise Conflict(_("No pay policy is in force on %(value)s.", value=shown_day(day)), code="no_pay_policy")
        rate = Fraction(0) if policy.scheme == "salary" else rate_for(policy, classes.get(account_id, "member"), kind)
        amount = rate * mins / 60
        amounts[account_id] += amount
        minutes[account_id] += mins
        line = detail[account_id][(kind, str(rate))]
        line[0] += mins
        line[1] += amount
    policy = in_force(versions, end)
    salaried = salaries(session, tenant, versions, start, end)
    result = {}
    for account_id in sorted(set(minutes) | set(salaried)):
        gross = _round(amounts[account_id]) + salaried.get(account_id, 0)
        if policy.scheme == "base_plus_hourly":
            floor = (
                Fraction(policy.base_hours * 60 - minutes[account_id], 60)
                if minutes[account_id] < policy.base_hours * 60
                else 0
            )
            gross += _round(floor * rate_for(policy, classes.get(account_id, "member"), "internal"))
        result[account_id] = {
            "minutes": minutes[account_id],
            "gross": gross,
            "fee": policy.member_fee,
            "detail": [
                {"kind": kind, "minutes": m, "rate": show(_round(Fraction(rate))), "amount": show(_round(a))}
                for (kind, rate), (m, a) in sorted(detail[account_id].items())
            ],
        }
    return result


def start_run(session, tenant, by: int, start, end, adjustments: dict[int, int] | None = None) -> PayRun:
    try:
        start, end = date.fromisoformat(str(start)), date.fromisoformat(str(end))
    except ValueError:
        raise ValidationFailed(
            _("Give the period's first and last day."), {"period_start": _("Dates such as 2026-03-01.")}
        ) from None
    if end < start or (end - start).days > 31:
        raise ValidationFailed(
            _("A pay period is one month at most."), {"period_end": _("End it within a month of its start.")}
        )
    overlapping = session.scalar(
        select(PayRun).where(PayRun.period_start <= end, PayRun.period_end >= start, PayRun.status == "final")
    )
    if overlapping is not None:
        raise Conflict(_("That period is already paid by a finalised run."), code="period_finalised")
    session.execute(
        PayRun.__table__.delete().where(
            PayRun.status == "draft", PayRun.period_start == start, PayRun.period_end == end
        )
    )
    run = PayRun(period_start=start, period_end=end, created_by=by, status="draft")
    session.add(run)
    session.flush()
    owed = defaultdict(int, adjustments or {})
    for adjustment in corrections.pending_for(session, run):  # taken by this draft; freed if it is recomputed
        owed[adjustment.account_id] += adjustment.amount
        adjustment.paid_in_run_id = run.id
    computed = compute(session, tenant, start, end)
    for account_id in sorted(set(computed) | {a for a, amount in owed.items() if amount}):
        values = computed.get(account_id, {"minutes": 0, "gross": 0, "fee": 0, "detail": []})
        run.lines.append(
            PayLine(
                account_id=account_id,
                minutes=values["minutes"],
                gross=values["gross"],
                fee=values["fee"],
                adjustment=owed[account_id],
                net=values["gross"] - values["fee"] + owed[account_id],
                detail=values["detail"],
            )
        )
    session.flush()
    return run


def get_run(session, run_id: int, lock: bool = False) -> PayRun:
    query = select(PayRun).where(PayRun.id == run_id)
    run = session.scalar(query.with_for_update() if lock else query)
    if run is None:
        raise NotFound(_("No such pay run."))
    return run


def finalise(session, tenant, run_id: int) -> PayRun:
    """Lock the run's period, once its lines are still what its time and policies say: time
    logged or corrected (or a policy set) since it was computed would otherwise be locked unpaid."""
    hold_pay_periods(session, alone=True)  # no time is written into the period meanwhile
    run = get_run(session, run_id, lock=True)
    if run.status == "final":
        raise Conflict(_("This pay run is already final."), code="run_final")
    hold_the_books(session)  # its pay counts in the year its period ends, which must still be open
    refuse_a_split_year(session, fiscal_year_of(session, run.period_end))
    # Lines that only carry an adjustment are not computed from time or salary.
    reviewed = {line.account_id: (line.minutes, line.gross) for line in run.lines if line.minutes or line.gross}
    computed = compute(session, tenant, run.period_start, run.period_end)
    if reviewed != {a: (v["minutes"], v["gross"]) for a, v in computed.items() if v["minutes"] or v["gross"]}:
        raise Conflict(
            _("Time or pay rules changed since this run was computed: compute it again and review it."),
            code="run_stale",
        )
    run.status, run.finalised_at = "final", utcnow()
    session.flush()
    return run


def runs(session) -> list[PayRun]:
    return session.scalars(select(PayRun).order_by(PayRun.period_start.desc())).all()


def run_csv(run: PayRun, names: dict[int, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["account_id", "name", "hours", "gross", "member_fee", "adjustment", "net"])
    for line in run.lines:
        writer.writerow(
            [
                line.account_id,
                csv_files.spreadsheet_text(names.get(line.account_id, "")),
                show_hours(line.minutes),
                show(line.gross),
                show(line.fee),
                show(line.adjustment),
                show(line.net),
            ]
        )
    return out.getvalue()
