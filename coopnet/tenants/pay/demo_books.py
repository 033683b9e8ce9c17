"""Pay demo data for the books: Quilted's web projects for its clients (the union's recent client
time is on its website project, the food co-op's on its online ordering), Design Action's client
projects, and each co-op's expenses last year and this year so far, so the surplus page shows a
net surplus from the books.

The expenses are written as rows, like the demo's time: last year's are from before its split."""

from datetime import date, timedelta

from sqlalchemy import select, update

from coopnet.database import tenant_scope
from coopnet.platform.models import Account
from coopnet.tenants.pay import projects, timesheets
from coopnet.tenants.pay.models import Client, Expense, TimeEntry

LAST_YEAR = date.today().year - 1

# (day of the month, description, category, cents) each month
QUILTED_MONTHLY = (
    (1, "Shared office, Bay Area", "rent", 90000),
    (5, "Hosting for client sites", "hosting", 6000),
    (20, "Accounting software", "software", 3500),
)
DESIGN_ACTION_MONTHLY = (
    (1, "Studio rent, downtown Oakland", "rent", 420000),
    (10, "Communications Workers union dues", "dues", 18000),
    (15, "Design software licences", "software", 24000),
)


def _months():
    """The first of each month from January last year to this month."""
    day = date(LAST_YEAR, 1, 1)
    while day <= date.today():
        yield day
        day = (day + timedelta(days=32)).replace(day=1)


def _expenses(session, by: int, monthly, once=()):
    rows = [
        Expense(spent_on=first.replace(day=dom), amount=cents, description=what, category=category, recorded_by=by)
        for first in _months()
        for dom, what, category, cents in monthly
        if first.replace(day=dom) < date.today()
    ]
    rows += [
        Expense(spent_on=day, amount=cents, description=what, category=category, recorded_by=by)
        for day, what, category, cents in once
    ]
    session.add_all(rows)
    session.flush()


def _client(session, name: str) -> Client | None:
    return session.scalar(select(Client).where(Client.name == name))


def _quilted(session, by: int):
    union = _client(session, "Tenants' union (sliding scale)")
    food = _client(session, "Regional food co-op")
    if union is None or food is None:
        return
    site = projects.create_project(session, union.id, {"name": "Lease clinic website (Drupal)"})
    projects.create_project(session, union.id, {"name": "Member newsletter"})
    ordering = projects.create_project(session, food.id, {"name": "Online ordering (Ruby on Rails)"})
    report = projects.create_project(session, food.id, {"name": "Annual report, last year"})
    projects.update_project(session, food.id, report.id, {"archived": True})
    since = date.today() - timedelta(days=180)
    for client, project in ((union, site), (food, ordering)):
        session.execute(
            update(TimeEntry)
            .where(TimeEntry.client_id == client.id, TimeEntry.worked_on >= since)
            .values(project_id=project.id)
        )
    _expenses(
        session,
        by,
        QUILTED_MONTHLY,
        once=((date(LAST_YEAR, 6, 12), "Laptop for Alex's training", "equipment", 140000),),
    )


def _design_action(session, by: int):
    ruckus = timesheets.add_client(session, "Ruckus Society", 9500, email="office@ruckus.example")
    projects.create_project(session, ruckus.id, {"name": "Action camp posters"})
    projects.create_project(session, ruckus.id, {"name": "Website redesign"})
    _expenses(
        session,
        by,
        DESIGN_ACTION_MONTHLY,
        once=((date(LAST_YEAR, 9, 3), "Green business certification", "fees", 35000),),
    )


def load(session):
    for slug, email, add in (
        ("quilted", "erik@quilted.example", _quilted),
        ("design-action", "coordinator@designaction.example", _design_action),
    ):
        by = session.scalar(select(Account.id).where(Account.email == email))
        if by is None:
            continue
        with tenant_scope(session, slug):
            add(session, by)
            session.commit()
