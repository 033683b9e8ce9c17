"""Membership demo data from the stories: Quilted's and Design Action's registers, their
probation policies and progress (Quilted: 6 months and 520 hours and a $5,000 buy-in;
Design Action: 9 months), a founder's withdrawal agreed by vote with the buy-in owed back,
officers, Electric Embers' support rota with a member away and a swap asked, and a GAIA
Host style accountability statement."""

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from coopnet.database import tenant_scope
from coopnet.platform.models import Account
from coopnet.platform.tenants import get_tenant
from coopnet.tenants.governance import proposals
from coopnet.tenants.membership import exits, lifecycle, probation, roles, rota
from coopnet.tenants.membership.people import NO_PASSWORD


def _account(session, email):
    return session.scalar(select(Account).where(Account.email == email))


def _enrol(session, tenant, admin_id, email, status, since, member_class="member"):
    lifecycle.enrol(
        session,
        tenant,
        _account(session, email),
        status,
        since,
        member_class,
        admin_id,
        "brought over from the co-op's spreadsheet",
    )


def _person(session, tenant, admin_id, name, email, status, since, member_class="member"):
    """Someone on the co-op's old spreadsheet who has no coopnet account yet (no password)."""
    account = Account(name=name, email=email, password_hash=NO_PASSWORD)
    session.add(account)
    session.flush()
    _enrol(session, tenant, admin_id, email, status, since, member_class)
    return account


def _decided(session, tenant, proposal_id):
    """Everyone who may vote agrees, and the proposal closes (the register changes with it)."""
    rule = proposals.rule_of(session, proposals.get(session, proposal_id))
    for account_id in proposals.eligible_voters(session, tenant, rule):
        proposals.take_position(session, tenant, proposal_id, account_id, "agree", None)
    proposals.close(session, tenant, proposal_id, "early")


def _hours(session, tenant, account, admin_id, total, since):
    day, left = since, total
    while left > 0:
        if day.weekday() < 5:
            probation.add_hours(session, tenant, account.id, day, min(8, left), admin_id)
            left -= min(8, left)
        day += timedelta(days=1)


def load(session):
    _quilted(session)
    _design_action(session)
    _electric_embers(session)


def _quilted(session):
    tenant = get_tenant(session, "quilted")
    erik, colin = _account(session, "erik@quilted.example"), _account(session, "colin@quilted.example")
    alex, kyle = _account(session, "alex@quilted.example"), _account(session, "kyle@quilted.example")
    today = date.today()
    with tenant_scope(session, "quilted"):
        lifecycle.set_policy(
            session,
            {
                "probation_months": 6,
                "probation_hours": "520",
                "require": "both",
                "buy_in": "5000.00",
                "buy_in_instalments": 10,
                "entrance_fee": "0.00",
            },
        )
        _enrol(session, tenant, erik.id, erik.email, "member", date(2011, 3, 1))
        _enrol(session, tenant, erik.id, colin.email, "member", date(2013, 9, 1))
        _enrol(session, tenant, erik.id, alex.email, "candidate", today - timedelta(days=120))
        _enrol(session, tenant, erik.id, kyle.email, "candidate", today - timedelta(days=230))
        _hours(session, tenant, alex, erik.id, 300, today - timedelta(days=118))
        for month in range(4):
            probation.pay_buy_in(session, tenant, alex.id, "500.00", today - timedelta(days=110 - 30 * month), erik.id)
        for month in range(10):
            probation.pay_buy_in(session, tenant, kyle.id, "500.00", today - timedelta(days=220 - 21 * month), erik.id)
        # Kyle has served seven months and reaches 520 hours: his admission vote opens.
        _hours(session, tenant, kyle, erik.id, 520, today - timedelta(days=200))
        roles.appoint(session, "bookkeeper", colin.id, date(today.year, 1, 1), date(today.year, 12, 31))
        roles.appoint(session, "coordinator", erik.id, date(today.year, 1, 1), date(today.year, 6, 30))
        # "Two full-time employees and a trainee in the Gulf area", and "one potential
        # candidate for part-time participation" in Boston.
        _person(
            session,
            tenant,
            erik.id,
            "Gulf area trainee",
            "trainee@quilted.example",
            "member",
            date(2019, 9, 1),
            "trainee",
        )
        _person(
            session,
            tenant,
            erik.id,
            "Boston part-timer",
            "boston@quilted.example",
            "applicant",
            today - timedelta(days=20),
        )
        # One of the five founding freelancers paid the buy-in, then moved on: the co-op agreed
        # to the withdrawal by consensus and owes back the $5,000, $2,000 refunded so far.
        founder = _person(
            session, tenant, erik.id, "Founding freelancer", "founder@quilted.example", "member", date(2007, 6, 1)
        )
        for instalment in range(10):
            probation.pay_buy_in(session, tenant, founder.id, "500.00", date(2012, 1 + instalment, 1), erik.id)
        leaving = exits.propose_exit(
            session, tenant, founder.id, "withdrawn", "Moving back to freelancing in Europe.", founder.id, "member"
        )
        _decided(session, tenant, leaving.proposal_id)
        exits.refund_at_exit(session, founder.id, colin.id, today, "2000.00")
        session.commit()


def _design_action(session):
    tenant = get_tenant(session, "design-action")
    emails = [f"{who}@designaction.example" for who in ("coordinator", "prepress", "web", "print", "campaigns")]
    admin = _account(session, emails[0])
    with tenant_scope(session, "design-action"):
        lifecycle.set_policy(session, {"probation_months": 9, "probation_hours": None, "buy_in": "0.00"})
        for years, email in enumerate(emails):
            _enrol(session, tenant, admin.id, email, "member", date(2003 + 2 * years, 2, 1))
        _enrol(
            session,
            tenant,
            admin.id,
            "newdesigner@designaction.example",
            "candidate",
            date.today() - timedelta(days=200),
        )
        # Nine months served: the daily check opens the vote (hiring and admission by consensus).
        apprentice = _person(
            session,
            tenant,
            admin.id,
            "Print apprentice (9 months served)",
            "apprentice@designaction.example",
            "candidate",
            date.today() - timedelta(days=285),
        )
        probation.consider_admission(session, tenant, apprentice.id)
        roles.appoint(session, "coordinator", admin.id, date(date.today().year, 1, 1))
        roles.appoint(session, "bookkeeper", _account(session, emails[1]).id, date(2020, 1, 1), date(2022, 12, 31))
        roles.appoint(session, "bookkeeper", _account(session, emails[2]).id, date(2023, 1, 1))
        session.commit()


def _electric_embers(session):
    tenant = get_tenant(session, "electric-embers")
    people = [_account(session, f"{where}@electricembers.example") for where in ("oakland", "portland", "sf")]
    with tenant_scope(session, "electric-embers"):
        for since, person in zip((date(2004, 5, 1), date(2006, 1, 1), date(2010, 8, 1)), people, strict=True):
            _enrol(session, tenant, people[0].id, person.email, "member", since)
        monday = datetime.now(timezone.utc).replace(hour=9, minute=0, second=0, microsecond=0)
        monday += timedelta(days=(7 - monday.weekday()) % 7 or 7)
        rota.generate_rota(session, [p.id for p in people], monday, 28, 24)
        roles.file_statement(
            session,
            people[1].id,
            people[1].id,
            "missed deadline",
            "I missed the server migration window we agreed on; I have rescheduled it with the client.",
        )
        # San Francisco asks Oakland to trade a shift; Oakland has not answered yet.
        shifts = rota.rota(session)
        sf_shift = next(shift for shift in shifts if shift.account_id == people[2].id)
        oakland_shift = next(shift for shift in shifts if shift.account_id == people[0].id)
        rota.ask_swap(session, tenant, sf_shift.id, oakland_shift.id, people[2].id)
        # "Supporting his clients when he went to India for a long time": Portland is away.
        lifecycle.change_status(
            session,
            tenant,
            people[1].id,
            "leave",
            date.today() - timedelta(days=10),
            people[0].id,
            "Travelling in India",
        )
        roles.appoint(session, "coordinator", people[0].id, date(date.today().year, 1, 1))
        session.commit()
