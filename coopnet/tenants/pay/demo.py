"""Pay demo data from the stories: a year of time at Quilted and Design Action, Quilted's
equal pay ($25 an hour for members and candidates, $15 for trainees), a finalised pay run,
Quilted's clients on its sliding scale with an invoice paid, one sent and one overdue, and
last year's surplus split (Design Action keeps 25% and shares the rest by hours), and Web Collective
on its salary with last year closed short (when the network demo has made it)."""

from datetime import date, timedelta

from sqlalchemy import select

from coopnet.database import tenant_scope
from coopnet.platform.models import Account, Tenant
from coopnet.tenants.pay import instalments, invoices, payroll, salary, surplus, timesheets
from coopnet.tenants.pay.demo_books import load as load_books
from coopnet.tenants.pay.models import LeaveTaken, TimeEntry

LAST_YEAR = date.today().year - 1


def _ids(session, emails):
    return [session.scalar(select(Account.id).where(Account.email == email)) for email in emails]


def _a_year_of_time(session, people, daily_minutes, admin_id, clients=()):
    """Weekdays of last year and this year so far, each person their usual day, client and internal work
    (client work billable to the clients in turn, when there are any)."""
    day = date(LAST_YEAR, 1, 1)
    entries = []
    while day < date.today() - timedelta(days=1):
        if day.weekday() < 5:
            for index, (person, minutes) in enumerate(zip(people, daily_minutes, strict=True)):
                kind = "internal" if (day.toordinal() + index) % 5 == 0 else "client"
                entries.append(
                    TimeEntry(
                        account_id=person,
                        worked_on=day,
                        minutes=minutes,
                        kind=kind,
                        billable=kind == "client",
                        client_id=clients[(day.toordinal() + index) % len(clients)]
                        if clients and kind == "client"
                        else None,
                        entered_by=admin_id,
                    )
                )
        day += timedelta(days=1)
    session.add_all(entries)
    session.flush()


def load(session):
    _quilted(session)
    _design_action(session)
    _web_collective(session)
    load_books(session)  # projects and expenses


def _quilted(session):
    people = _ids(session, [f"{who}@quilted.example" for who in ("erik", "colin", "alex")])
    tenant = session.scalar(select(Tenant).where(Tenant.slug == "quilted"))
    with tenant_scope(session, "quilted"):
        timesheets.ensure_kinds(session)
        payroll.set_policy(
            session,
            {
                "effective_from": f"{LAST_YEAR}-01-01",
                "scheme": "hourly",
                "rates": {"member": "25.00", "candidate": "25.00", "trainee": "15.00"},
            },
        )
        union = timesheets.add_client(
            session, "Tenants' union (sliding scale)", 4000, email="books@tenantsunion.example", payment_days=30
        )
        food = timesheets.add_client(
            session, "Regional food co-op", 15000, email="accounts@foodcoop.example", payment_days=14
        )
        # Kyle, a candidate since the spring, is not on the timesheet: an officer entered his
        # probation hours by hand (the membership demo), and the two would count twice.
        _a_year_of_time(session, people, [420, 360, 300], people[0], clients=(union.id, food.id))
        _invoices(session, people[0], union.id, food.id)
        last_month_end = date.today().replace(day=1) - timedelta(days=1)
        run = payroll.start_run(session, tenant, people[0], last_month_end.replace(day=1), last_month_end)
        payroll.finalise(session, tenant, run.id)
        surplus.set_policy(
            session,
            {
                "reserve_share": "0.10",
                "basis": "hours",
                "cash_share": "0.20",
                "funds": [{"name": "Reinvestment", "share": "0.10"}, {"name": "Subsidised projects", "share": "0.05"}],
            },
        )
        surplus.allocate(session, people[0], LAST_YEAR, "48000.00")
        session.commit()


def _month(months_ago):
    first = date.today().replace(day=1)
    for _ in range(months_ago):
        first = (first - timedelta(days=1)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def _invoices(session, by, union, food):
    """Three months ago's union invoice paid, two months ago's food co-op invoice overdue,
    last month's union invoice sent and not yet due."""
    tenant = session.scalar(select(Tenant).where(Tenant.slug == "quilted"))
    for months_ago, client_id, paid in ((3, union, True), (2, food, False), (1, union, False)):
        start, end = _month(months_ago)
        issued = end + timedelta(days=1)
        invoice = invoices.create(
            session, by, {"client_id": client_id, "period_start": start, "period_end": end}, today=issued
        )
        invoices.send(session, tenant, invoice.id, by)
        if paid:
            invoices.mark_paid(session, invoice.id, by, paid_on=issued + timedelta(days=20))


def _design_action(session):
    emails = [f"{who}@designaction.example" for who in ("coordinator", "prepress", "web", "print", "campaigns")]
    people = _ids(session, emails)
    with tenant_scope(session, "design-action"):
        timesheets.ensure_kinds(session)
        payroll.set_policy(session, {"effective_from": f"{LAST_YEAR}-01-01", "rates": {"member": "32.00"}})
        _a_year_of_time(session, people, [480, 450, 420, 360, 300], people[0])
        surplus.set_policy(
            session,
            {
                "reserve_share": "0.25",
                "basis": "hours",
                "cash_share": "0.20",
                "cash_instalments": 4,
                "instalment_months": 3,
            },
        )
        allocation = surplus.allocate(session, people[0], LAST_YEAR, "120000.00")
        # The first of each member's four quarterly instalments is paid the day of the split.
        for due in instalments.listing(session, allocation.id):
            if due.number == 1:
                instalments.record_paid(session, people[0], allocation.id, due.id, date.today().isoformat())
        session.commit()


def _web_collective(session):
    """$3,500 a month against 1,820 hours a year with six weeks' paid leave: six and a half hours
    a weekday and four weeks off each August, so last year closed short and the shortfall is owed."""
    tenant = session.scalar(select(Tenant).where(Tenant.slug == "web-collective"))
    if tenant is None:
        return
    (coordinator,) = _ids(session, ["admin@webcollective.example"])
    with tenant_scope(session, "web-collective"):
        timesheets.ensure_kinds(session)
        payroll.set_policy(
            session,
            {
                "effective_from": f"{LAST_YEAR}-01-01",
                "scheme": "salary",
                "rates": {"member": "0.00"},
                "monthly_salary": "3500.00",
                "yearly_hours": 1820,
                "leave_weeks": 6,
            },
        )
        day, rows = date(LAST_YEAR, 1, 1), []
        while day < date.today() - timedelta(days=1):
            if day.weekday() < 5 and day.month == 8 and day.day <= 28:
                rows.append(LeaveTaken(account_id=coordinator, taken_on=day, minutes=420, recorded_by=coordinator))
            elif day.weekday() < 5:
                kind = "internal" if day.weekday() == 4 else "client"
                rows.append(
                    TimeEntry(account_id=coordinator, worked_on=day, minutes=390, kind=kind, entered_by=coordinator)
                )
            day += timedelta(days=1)
        session.add_all(rows)
        session.flush()
        salary.close_year(session, tenant, coordinator, LAST_YEAR, "repay", "carry")
        session.commit()
