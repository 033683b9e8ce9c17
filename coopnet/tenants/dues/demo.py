"""May First's dues in the demo: a register of member organisations (two votes) and
individuals (one vote) on the sliding scale, payments by check and transfer over the
past year, some members in grace and one lapsed, and a public support queue that any
member may answer. No Stripe keys are set, so card payments show as not connected."""

from datetime import timedelta

from sqlalchemy import select

from coopnet.database import tenant_scope, utcnow
from coopnet.platform.models import Account
from coopnet.platform.tenants import get_tenant
from coopnet.tenants.dues import register, settings, support

SCHEDULE = {
    "period": "annual",
    "tiers": {"organization": "250.00", "individual": "50.00"},
    "bands": [
        {"income_up_to": "50000.00", "amount": "100.00"},
        {"income_up_to": "250000.00", "amount": "250.00"},
        {"income_up_to": "1000000.00", "amount": "500.00"},
        {"income_up_to": None, "amount": "1000.00"},
    ],
    "minimum": "25.00",
}

# (name, email, kind, declared income, days since the renewal date (negative: unpaid), paid by, months ago)
REGISTER = [
    ("Palante Technology Cooperative", "dues@palante.example", "organization", "180000.00", 200, "transfer", 7),
    ("Brooklyn tenants' union", "treasurer@tenants.example", "organization", "40000.00", 300, "check", 10),
    ("Immigrant workers' centre", "admin@workerscentre.example", "organization", "320000.00", 90, "transfer", 3),
    ("Community radio collective", "radio@collective.example", "organization", "75000.00", 150, "check", 5),
    ("Food co-op federation", "office@foodcoops.example", "organization", "2400000.00", 30, "transfer", 1),
    ("Jamie Ortiz", "jamie@people.example", "individual", None, 240, "check", 8),
    ("Sam Lee", "sam@people.example", "individual", None, 120, "transfer", 4),
    ("Neighbourhood legal clinic", "clinic@legal.example", "organization", "60000.00", -20, None, None),
    ("Ana Gómez", "ana@people.example", "individual", None, -45, None, None),
    ("Tenants' newsletter", "news@newsletter.example", "organization", "15000.00", -90, None, None),
]

TICKETS = [
    (
        "Mail for our domain bounces since Tuesday",
        "Messages to our list come back with 'relay denied'. Did something change on the mail servers?",
        True,
        "The relay rules were tightened on Tuesday; send through the submission port (587) with your "
        "list password and it goes through. Answered by a member who had the same problem.",
    ),
    (
        "How do we add a second admin to our Nextcloud?",
        "Our old admin left; how do we give the new coordinator admin rights?",
        True,
        "Any current admin can do it under Users; if nobody can log in, file it here and a member with "
        "server access will reset it.",
    ),
    ("Invoice address change", "Please send our dues invoice to the new treasurer.", False, None),
]


def _account_id(session, email):
    return session.scalar(select(Account.id).where(Account.email == email))


def load(session):
    tenant = get_tenant(session, "may-first")
    if tenant is None:
        return
    coordinator = _account_id(session, "coordinator@mayfirst.example")
    delegate = _account_id(session, "delegate@mayfirst.example")
    today = utcnow().date()
    with tenant_scope(session, "may-first"):
        if settings.schedule(session) is not None:
            return
        settings.save(session, {"currency": "usd", "grace_days": 60, "reminder_days": 14, "support_queue": True})
        settings.save_schedule(session, **SCHEDULE)
        for name, email, kind, income, days_since, method, months_ago in REGISTER:
            member = register.join(
                session,
                {
                    "name": name,
                    "email": email,
                    "kind": kind,
                    "declared_income": income,
                    "renews_on": today - timedelta(days=abs(days_since)),
                    "account_id": delegate if email == "dues@palante.example" else None,
                },
                today,
            )
            if method is None:  # not paid since its renewal date: in grace, or lapsed past it
                continue
            register.record_payment(
                session,
                tenant,
                member.id,
                {
                    "amount": f"{member.amount // 100}.{member.amount % 100:02d}",
                    "method": method,
                    "reference": f"{method} {1000 + member.id}",
                    "received_on": today - timedelta(days=30 * months_ago),
                },
                coordinator,
                today,
            )
        for subject, body, public, answer in TICKETS:
            ticket = support.file_ticket(session, delegate, "Member organisation delegate", subject, body, public)
            if answer:
                support.answer(session, ticket.id, coordinator, "May First coordinator", answer)
        session.commit()
