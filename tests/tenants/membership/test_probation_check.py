"""The daily check finds, in one query, exactly the candidates whose progress says "met"."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopnet.tenants.membership.probation import months_before, months_between


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    months=st.integers(min_value=0, max_value=120),
)
def test_the_cutoff_day_agrees_with_months_served(start, day, months):
    assert (months_between(start, day) >= months) == (start <= months_before(day, months))


@pytest.mark.parametrize(
    ("day", "months", "cutoff"),
    [
        (date(2026, 3, 31), 1, date(2026, 2, 28)),  # no 31 February: the last day of the month
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2026, 8, 15), 9, date(2025, 11, 15)),  # Design Action: nine months
        (date(2026, 1, 10), 6, date(2025, 7, 10)),  # Quilted: six months, across a year
    ],
)
def test_cutoffs_people_would_expect(day, months, cutoff):
    assert months_before(day, months) == cutoff


POLICIES = {
    "design action": {"probation_months": 9, "probation_hours": None, "buy_in": "0.00"},
    "quilted": {"probation_months": 6, "probation_hours": "520", "require": "both", "buy_in": "5000.00"},
    "either": {"probation_months": 6, "probation_hours": "520", "require": "either", "buy_in": "0.00"},
    "hours only": {"probation_months": None, "probation_hours": "100", "buy_in": "0.00"},
    "no minimum": {"probation_months": None, "probation_hours": None, "buy_in": "0.00"},
}
# (days a candidate, hours worked since, hours worked before the candidacy, buy-in paid)
CANDIDATES = [
    (300, 600, 0, "5000.00"),
    (300, 600, 0, "4999.99"),
    (300, 519, 0, "5000.00"),
    (300, 500, 40, "5000.00"),  # hours before the candidacy do not count
    (150, 600, 0, "5000.00"),
    (150, 50, 0, "0.00"),
    (280, 0, 0, "0.00"),
    (20, 101, 0, "0.00"),
]


@pytest.mark.parametrize("name", list(POLICIES))
def test_ready_for_admission_is_probation_met(app, make_tenant, make_account, name):
    from coopnet.database import tenant_scope
    from coopnet.extensions import db
    from coopnet.platform.models import Account, Tenant
    from coopnet.tenants.membership import lifecycle, probation
    from coopnet.tenants.membership.models import BuyInPayment, HoursEntry

    tenant, _ = make_tenant("quilted")
    people = [make_account(name=f"Candidate {i}") for i in range(len(CANDIDATES))]
    today = date.today()
    with app.app_context():
        coop = db.session.get(Tenant, tenant.id)
        with tenant_scope(db.session, "quilted"):
            lifecycle.set_policy(db.session, POLICIES[name])
            for person, (days, hours, before, paid) in zip(people, CANDIDATES, strict=True):
                since = today - timedelta(days=days)
                lifecycle.enrol(db.session, coop, db.session.get(Account, person.id), "candidate", since, "member", 1)
                for worked_on, total in ((since, hours), (since - timedelta(days=1), before)):
                    while total > 0:
                        db.session.add(
                            HoursEntry(account_id=person.id, worked_on=worked_on, hours=min(total, 8), entered_by=1)
                        )
                        total -= min(total, 8)
                        worked_on += timedelta(days=1) if worked_on >= since else -timedelta(days=1)
                if Decimal(paid):
                    db.session.add(BuyInPayment(account_id=person.id, amount=paid, paid_on=today, recorded_by=1))
            db.session.flush()
            ready = set(probation.ready_for_admission(db.session))
            entries = [lifecycle.record(db.session, p.id) for p in people]
            met = {e.account_id for e in entries if probation.probation(db.session, e)["met"]}
            together = probation.progress_of_all(db.session, entries)
            alone = {e.account_id: probation.probation(db.session, e) for e in entries}
            db.session.rollback()
    assert ready == met
    assert together == alone
    expected = {
        "design action": {0, 1, 2, 3, 6},
        "quilted": {0},
        "either": {0, 1, 2, 3, 4, 6},
        "hours only": {0, 1, 2, 3, 4, 7},
        "no minimum": set(range(len(CANDIDATES))),
    }[name]
    assert ready == {people[i].id for i in expected}


def test_the_check_opens_votes_with_a_handful_of_queries(app, make_tenant, make_account, engine):
    """Fifty people, ten of them candidates, one ready: the finding is one query, not one per candidate."""
    from sqlalchemy import event

    from coopnet.database import tenant_scope
    from coopnet.extensions import db
    from coopnet.platform.models import Account, Tenant
    from coopnet.tenants.governance import rulebook
    from coopnet.tenants.membership import lifecycle, probation
    from coopnet.tenants.membership.models import HoursEntry

    tenant, admin = make_tenant("quilted")
    people = [make_account(name=f"Person {i}") for i in range(50)]
    with app.app_context():
        coop = db.session.get(Tenant, tenant.id)
        with tenant_scope(db.session, "quilted"):
            rulebook.adopt_preset(db.session, "quilted", admin.id)
            lifecycle.set_policy(db.session, POLICIES["hours only"])
            for i, person in enumerate(people):
                status = "candidate" if i < 10 else "member"
                since = date.today() - timedelta(days=200)
                lifecycle.enrol(db.session, coop, db.session.get(Account, person.id), status, since, "member", 1)
                if i < 10:
                    db.session.add(
                        HoursEntry(account_id=person.id, worked_on=since, hours=8 if i else 120, entered_by=1)
                    )
            db.session.flush()
            statements = []
            listener = lambda *args: statements.append(args[2])  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                ready = probation.ready_for_admission(db.session)
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
            db.session.rollback()
    assert ready == [people[0].id] and len(statements) <= 2  # the policy, then the candidates


def test_the_check_and_the_page_agree_on_minutes_that_do_not_divide_evenly(app, make_tenant, make_account):
    """Three 20-minute entries are 0.999... hours summed unrounded; both say 1.00 hour, met."""
    from coopnet.database import tenant_scope
    from coopnet.extensions import db
    from coopnet.platform.models import Account, Tenant
    from coopnet.tenants.membership import lifecycle, probation
    from coopnet.tenants.pay import timesheets
    from coopnet.tenants.pay.models import TimeEntry

    tenant, _ = make_tenant("quilted")
    person = make_account(name="Kyle")
    today = date.today()
    with app.app_context():
        coop = db.session.get(Tenant, tenant.id)
        with tenant_scope(db.session, "quilted"):
            lifecycle.set_policy(db.session, {"probation_months": None, "probation_hours": "1", "buy_in": "0.00"})
            lifecycle.enrol(db.session, coop, db.session.get(Account, person.id), "candidate", today, "member", 1)
            timesheets.ensure_kinds(db.session)  # the co-op's kinds of work, stored on first use
            for _ in range(3):
                db.session.add(
                    TimeEntry(account_id=person.id, worked_on=today, minutes=20, kind="internal", entered_by=1)
                )
            db.session.flush()
            page = probation.probation(db.session, lifecycle.record(db.session, person.id))
            ready = probation.ready_for_admission(db.session)
            db.session.rollback()
    assert (page["hours_served"], page["met"]) == (Decimal("1.00"), True)
    assert ready == [person.id]
