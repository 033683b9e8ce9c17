"""Bringing people into the register: one by one or a whole CSV, creating accounts for
those who have none (no password yet) and mailing them a link to set one.

Who commits: the caller; these functions add, flush and queue mail after the commit.
"""

from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from coopnet.database import utcnow
from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.i18n import speaking
from coopnet.platform.accounts import address_holder, email_problem, name_problem, normalise_email, password_problem
from coopnet.platform.models import Account, AccountSession, Membership
from coopnet.tenants.membership import register_csv
from coopnet.tenants.membership.bulk import insert_columns
from coopnet.tenants.membership.jobs import deliver_all
from coopnet.tenants.membership.lifecycle import ACCESS, enrol, grant_access, is_member, policy
from coopnet.tenants.membership.models import MemberRecord, StatusChange
from coopnet.tenants.outbox.mail import compose
from coopnet.tenants.outbox.models import OutboxMessage
from coopnet.worker.queues import enqueue_after_commit

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
        key: value
        for key, value in (("email", email_problem(email)), ("name", name_problem(name, _("a name"))))
        if value
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
        try:
            with session.begin_nested():
                session.add(account)
                session.flush()
        except IntegrityError:  # the same address added (or signed up) at the same moment
            raise Conflict(
                _("%(email)s was just added by someone else; reload the register.", email=email),
                {"email": _("This address was just taken.")},
                code="email_taken",
            ) from None
    enrol(session, tenant, account, status, since, member_class, by)
    if created:
        link = make_link(welcome_token(secret_key, account, tenant))
        compose(session, tenant, to=email, **welcome_mail(tenant, name, link))
    return account, created


def welcome_mail(tenant, name: str, link: str, formatted: bool = True) -> dict:
    """Subject and body of the mail that asks someone the co-op added to set a password,
    in the co-op's language (``formatted=False``: the body with %(name)s and %(link)s left
    in, to fill in for many people at once)."""
    with speaking(tenant=tenant):
        subject = _("%(coop)s has added you on coopnet", coop=tenant.name)
        body = _(
            "Hello %(name)s,\n\n%(coop)s has added you to its member register. Set your password "
            "to log in (the link works for %(days)s days):\n%(link)s\n",
            name="%(name)s",
            coop=tenant.name.replace("%", "%%"),
            days=WELCOME_DAYS,
            link="%(link)s",
        )
    return {"subject": subject, "body": body % {"name": name, "link": link} if formatted else body}


def import_register(session, tenant, by: int, text: str, secret_key: str, make_link) -> int:
    """All rows or none: any bad row and nothing is written (every bad line is named).

    A few statements for the whole file, however long: the look-ups of every address,
    one INSERT each for accounts, register entries, status history, access grants and
    welcome mail, and one job that queues the mail's delivery."""
    rows, problems, existing = register_csv.check(session, tenant, text)
    if problems:
        raise ValidationFailed(
            "Some rows have problems; nothing was imported.",
            {f"line {line}": reason for line, reason in sorted(problems.items())},
        )
    try:
        with session.begin_nested():
            count = _write_register(session, tenant, by, rows, existing, secret_key, make_link)
    except IntegrityError:  # another import or admin added one of these people a moment ago
        raise Conflict(
            _("Someone in the file was added to coopnet a moment ago; nothing was imported. Preview the file again."),
            code="import_raced",
        ) from None
    return count


def _write_register(session, tenant, by, rows, existing, secret_key, make_link) -> int:
    new = [row for row in rows if row["email"].lower() not in existing]
    created = insert_columns(
        session,
        Account.__table__,
        {
            "email": [r["email"] for r in new],
            "name": [r["name"] for r in new],
            "password_hash": [NO_PASSWORD] * len(new),
        },
        {"created_at": func.now()},
        returning=(Account.id, Account.email),
    )
    ids = {email.lower(): account_id for account_id, email in created}
    ids.update(existing)
    people = [ids[row["email"].lower()] for row in rows]
    fee = policy(session).entrance_fee
    insert_columns(
        session,
        MemberRecord.__table__,
        {
            "account_id": people,
            "status": [r["status"] for r in rows],
            "since": [r["since"] for r in rows],
            "class": [r["class"] for r in rows],
            "candidate_since": [r["since"] if r["status"] == "candidate" else None for r in rows],
            "entrance_fee_owed": [fee] * len(rows),
            "entrance_fee_deferred": [False] * len(rows),
        },
    )
    insert_columns(
        session,
        StatusChange.__table__,
        {
            "account_id": people,
            "to_status": [r["status"] for r in rows],
            "effective_on": [r["since"] for r in rows],
            "changed_by": [by] * len(rows),
            "reason": ["imported from the register file"] * len(rows),
        },
        {"recorded_at": func.now()},
    )
    granted = [row for row in new if row["status"] in ACCESS]
    insert_columns(
        session,
        Membership.__table__,
        {
            "tenant_id": [tenant.id] * len(granted),
            "account_id": [ids[row["email"].lower()] for row in granted],
            "role": [ACCESS[row["status"]] for row in granted],
        },
        {"created_at": func.now()},
    )
    for row in rows:  # people who already had access: their grant follows their status
        if row["email"].lower() in existing:
            grant_access(session, tenant, existing[row["email"].lower()], row["status"])
    _welcome_all(session, tenant, [(row, ids[row["email"].lower()]) for row in new], secret_key, make_link)
    session.flush()
    return len(rows)


def _welcome_all(session, tenant, people, secret_key, make_link):
    """The welcome mail of every new account, in the outbox in one statement."""
    if not people:
        return
    serializer = _serializer(secret_key)
    mail = welcome_mail(tenant, "%(name)s", "%(link)s", formatted=False)
    subject, body = mail["subject"], mail["body"]
    bodies = [
        body
        % {
            "name": row["name"],
            "link": make_link(serializer.dumps({"id": account_id, "h": NO_PASSWORD, "t": tenant.id})),
        }
        for row, account_id in people
    ]
    message_ids = insert_columns(
        session,
        OutboxMessage.__table__,
        {
            "to_address": [row["email"] for row, _account_id in people],
            "subject": [subject] * len(people),
            "body": bodies,
            "status": ["queued"] * len(people),
            "attempts": [0] * len(people),
        },
        {"created_at": func.now()},
        returning=(OutboxMessage.id,),
    )
    enqueue_after_commit(session, deliver_all, sorted(i for (i,) in message_ids), tenant=tenant)


def names(session, tenant, account_ids) -> dict[int, str]:
    """Names of this co-op's people (in its register or with access) only."""
    ids = list({i for i in account_ids if i})
    if not ids:
        return {}
    ours = or_(
        Account.id.in_(select(MemberRecord.account_id)),
        Account.id.in_(select(Membership.account_id).where(Membership.tenant_id == tenant.id)),
    )
    return dict(session.execute(select(Account.id, Account.name).where(Account.id.in_(ids), ours)).all())


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
    # Someone who got in another way (a sign-in link) since: the link would skip their
    # second factor, and the sent copy of the mail must not be a way in.
    logged_in = session.scalar(select(AccountSession.id).where(AccountSession.account_id == account.id).limit(1))
    if logged_in is not None or account.two_factor_enabled:
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
