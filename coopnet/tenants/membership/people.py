"""Bringing people into the register: one by one or a whole CSV, creating accounts for
those who have none (no password yet) and mailing them a link to set one.

Who commits: the caller; these functions add, flush and queue mail after the commit.
"""

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, update

from coopnet.database import utcnow
from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.platform.accounts import address_holder, email_problem, name_problem, normalise_email, password_problem
from coopnet.platform.models import Account
from coopnet.tenants.membership import register_csv
from coopnet.tenants.membership.lifecycle import enrol, is_member
from coopnet.tenants.outbox.mail import compose

NO_PASSWORD = "!"  # never a valid argon2 hash: nobody can log in until a password is set
WELCOME_SALT = "coopnet-set-password"
WELCOME_DAYS = 14


def add_person(
    session, tenant, by: int, email: str, name: str, status: str, since, member_class: str, secret_key: str, make_link
) -> tuple[Account, bool]:
    """Enter a person in the register. Returns (account, created): a new account has no
    password, and its owner is mailed a link to set one."""
    email, name = normalise_email(email), (name or "").strip()
    problems = {
        key: value for key, value in (("email", email_problem(email)), ("name", name_problem(name, "a name"))) if value
    }
    if problems:
        raise ValidationFailed("Some fields are missing or invalid.", problems)
    account, created = address_holder(session, email), False
    if account is not None and not is_member(session, tenant, account.id):
        # Nobody is pulled into a co-op without saying yes: people with an account are invited.
        raise Conflict(
            f"{email} already has a coopnet account; invite them from the members page, then add them to the register.",
            {"email": "This person has an account: send an invitation instead."},
            code="invite_instead",
        )
    if account is None:
        account, created = Account(name=name, email=email, password_hash=NO_PASSWORD), True
        session.add(account)
        session.flush()
    enrol(session, tenant, account, status, since, member_class, by)
    if created:
        link = make_link(welcome_token(secret_key, account, tenant))
        compose(
            session,
            tenant,
            to=email,
            subject=f"{tenant.name} has added you on coopnet",
            body=(
                f"Hello {name},\n\n{tenant.name} has added you to its member register. Set your password "
                f"to log in (the link works for {WELCOME_DAYS} days):\n{link}\n"
            ),
        )
    return account, created


def import_register(session, tenant, by: int, text: str, secret_key: str, make_link) -> int:
    """All rows or none: any bad row and nothing is written (every bad line is named)."""
    found = register_csv.preview(session, tenant, text)
    if found["problems"]:
        raise ValidationFailed(
            "Some rows have problems; nothing was imported.",
            {f"line {line}": reason for line, reason in found["problems"].items()},
        )
    rows, _ = register_csv.parse(text)
    for row in rows:
        add_person(
            session,
            tenant,
            by,
            row["email"],
            row["name"],
            row["status"],
            row["since"],
            row["class"],
            secret_key,
            make_link,
        )
    return len(rows)


def _serializer(secret_key):
    return URLSafeTimedSerializer(secret_key, salt=WELCOME_SALT)


def welcome_token(secret_key: str, account: Account, tenant) -> str:
    # The password hash is in the token, so the link stops working once a password is set;
    # the tenant id, so it works only at the co-op that sent it.
    return _serializer(secret_key).dumps({"id": account.id, "h": account.password_hash, "t": tenant.id})


def account_for_welcome(session, secret_key: str, token: str, tenant) -> Account:
    try:
        data = _serializer(secret_key).loads(token, max_age=WELCOME_DAYS * 86400)
    except SignatureExpired:
        raise NotFound("This link has expired. Ask the co-op to add you again.", code="link_expired") from None
    except BadSignature:
        raise NotFound("This link is not valid.", code="link_invalid") from None
    if not isinstance(data, dict) or tenant is None or data.get("t") != tenant.id:
        raise NotFound("This link is not valid.", code="link_invalid")
    account = session.get(Account, data.get("id"))
    if account is None or account.password_hash != NO_PASSWORD or data.get("h") != NO_PASSWORD:
        raise NotFound("This link has been used already; log in instead.", code="link_used")
    return account


def set_first_password(session, hasher, secret_key: str, token: str, password: str, tenant) -> Account:
    account = account_for_welcome(session, secret_key, token, tenant)
    if problem := password_problem(password, account.email):
        raise ValidationFailed(problem, {"password": problem})
    # Conditional: two clicks at once set a password once.
    claimed = session.execute(
        update(Account)
        .where(Account.id == account.id, Account.password_hash == NO_PASSWORD)
        .values(
            password_hash=hasher.hash(password), email_verified_at=func.coalesce(Account.email_verified_at, utcnow())
        )
        .returning(Account.id)
    ).scalar()
    if claimed is None:
        raise NotFound("This link has been used already; log in instead.", code="link_used")
    session.refresh(account)
    return account
