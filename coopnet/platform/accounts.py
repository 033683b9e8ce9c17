"""Accounts, passwords (argon2id) and personal API tokens.

Who commits: the caller that owns the unit of work; these functions add, flush
and return (account_for_token records a token's use in its own short commit).
"""

import hashlib
import secrets
import unicodedata
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from coopnet.database import utcnow
from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.platform.addresses import mixes_scripts, normalise_email, skeleton
from coopnet.platform.mail import tell_owner
from coopnet.platform.models import Account, ApiToken, Membership, Tenant
from coopnet.platform.sessions import end_all_sessions
from coopnet.platform.throttle import Attempts

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
TOKEN_PREFIX = "cn_"


def password_hasher(time_cost=3, memory_cost=65536):
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)


def hasher() -> PasswordHasher:
    """The app's password hasher (its cost is a setting); the one way to reach it."""
    return current_app.extensions["coopnet.hasher"]


def email_problem(email):
    if not email:
        return _("Enter an email address.")
    if len(email) > 254:
        return _("An email address has at most 254 characters.")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        # email_validator explains in English only.
        return _("Enter a valid email address, such as name@example.org.")
    if mixes_scripts(normalise_email(email)):
        return _("This address mixes letters from different alphabets; type it in one alphabet.")
    return None


def password_problem(password, email=""):
    if not password:
        return _("Choose a password.")
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("A password needs at least %(limit)s characters.", limit=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _("A password has at most %(limit)s characters.", limit=MAX_PASSWORD_LENGTH)
    if len(set(password)) < 4:
        return _("That password repeats too few characters; choose a less guessable one.")
    if email and password.lower() == email.lower():
        return _("Your password cannot be your email address.")
    return None


def has_control_characters(text: str) -> bool:
    """Line breaks and other control characters: a name with them could add lines
    (or headers) to the mail it is written into."""
    return any(unicodedata.category(character) in ("Cc", "Zl", "Zp") for character in text)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def name_problem(name, what, limit=200):
    """``what`` is the thing as it reads mid-sentence, marked for translation (``_("a title")``),
    so each problem is one translated sentence: "Enter a title.", "A title has at most 200 characters."."""
    if not name or not name.strip():
        return _sentence(_("Enter %(what)s.", what=what))
    if len(name) > limit:
        return _sentence(_("%(what)s has at most %(limit)s characters.", what=what, limit=limit))
    if has_control_characters(name):
        return _sentence(_("%(what)s must be one line, without line breaks or control characters.", what=what))
    return None


def account_problems(name, email, password, prefix=""):
    problems = {
        f"{prefix}name": name_problem(name, _("your name")),
        f"{prefix}email": email_problem(email),
        f"{prefix}password": password_problem(password, email),
    }
    return {key: value for key, value in problems.items() if value}


def find_account(session, email):
    return session.scalar(select(Account).where(func.lower(Account.email) == normalise_email(email).lower()))


def address_holder(session, email: str) -> Account | None:
    """The account holding ``email``, or one whose address ``email`` only looks like
    (the same letters from another alphabet)."""
    email = normalise_email(email)
    holder = find_account(session, email)
    if holder is None and not email.isascii():
        lookalike = skeleton(email)
        holder = find_account(session, lookalike) if lookalike != email else None
    return holder


def create_account(session, hasher, name, email, password, prefix="", verified=False):
    """Add a new account to the session (not committed). Email is unique in any case.
    ``verified``: the caller has proof the person reads mail at ``email`` (they
    followed a link sent there)."""
    name, email = (name or "").strip(), normalise_email(email)
    problems = account_problems(name, email, password, prefix)
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    if address_holder(session, email) is not None:
        raise Conflict(
            _("An account with this email already exists."),
            {f"{prefix}email": _("An account with this email already exists; log in instead.")},
            code="email_taken",
        )
    account = Account(
        name=name, email=email, password_hash=hasher.hash(password), email_verified_at=utcnow() if verified else None
    )
    session.add(account)
    session.flush()
    return account


def authenticate(session, hasher, email, password):
    """The account for these credentials, or None. Always spends one hash's time."""
    account = find_account(session, email) if email else None
    if account is None:
        hasher.hash(password or "x")  # same cost whether or not the account exists
        return None
    try:
        hasher.verify(account.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hasher.hash(password)
    return account


WRONG_PASSWORDS = Attempts(
    "LOGIN_ACCOUNT_LIMIT", "password-again", _l("Too many wrong passwords. Wait 15 minutes and try again.")
)


def check_password(hasher, account, password) -> bool:
    """True when ``password`` is the account's, for a change made while logged in.
    Wrong guesses count against the account, as failed log-ins do (a borrowed
    session must not become a way to guess the password)."""
    WRONG_PASSWORDS.check(account.id)
    try:
        if isinstance(password, str) and password and hasher.verify(account.password_hash, password):
            return True
    except (VerificationError, InvalidHashError):
        pass
    WRONG_PASSWORDS.failed(account.id)
    return False


WRONG_PASSWORD = _l("That is not your current password.")


def require_password(hasher, account, password, field="password") -> None:
    """Raise ValidationFailed (on ``field``) unless ``password`` is the account's."""
    if not check_password(hasher, account, password):
        raise_problems({field: str(WRONG_PASSWORD)})


def raise_problems(problems: dict) -> None:
    """Raise ValidationFailed with every field that has a problem (None means none), if any."""
    problems = {key: value for key, value in problems.items() if value}
    if problems:
        raise ValidationFailed(next(iter(problems.values())), problems)


def change_password(session, hasher, account, current: str, new: str, keep_session: str | None) -> None:
    """A new password; every session of the account but ``keep_session`` ends."""
    raise_problems(
        {
            "current_password": None if check_password(hasher, account, current) else str(WRONG_PASSWORD),
            "new_password": password_problem(new, account.email),
        }
    )
    account.password_hash = hasher.hash(new)
    end_all_sessions(session, account, keep_session)
    tell_owner(session, account, _l("The password of your coopnet account was changed."))
    session.flush()


def token_digest(secret: str) -> str:
    """What is stored of a secret token (API token, mailed link): its SHA-256, never the token."""
    return hashlib.sha256(secret.encode()).hexdigest()


MAX_TOKEN_DAYS = 366


def issue_token(session, account, name, expires_in_days=None, read_only=False, tenant_slug=None):
    """A new token and its secret. Optional scopes: it stops working after
    ``expires_in_days``, can only read, or works in one co-op (one of the account's)."""
    name = (name or "").strip()
    problems = {"name": name_problem(name, _("a token name"), 100)}
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        problems["expires_in_days"] = _(
            "A token lasts from 1 to %(limit)s days, or leave it empty.", limit=MAX_TOKEN_DAYS
        )
    tenant_id = None
    if tenant_slug:
        tenant_id = session.scalar(
            select(Membership.tenant_id)
            .join(Tenant, Tenant.id == Membership.tenant_id)
            .where(Tenant.slug == tenant_slug, Membership.account_id == account.id)
        )
        if tenant_id is None:
            problems["tenant"] = _("You are not a member of a co-op at this address.")
    raise_problems(problems)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        account_id=account.id,
        name=name,
        token_hash=token_digest(secret),
        prefix=secret[:10],
        expires_at=utcnow() + timedelta(days=expires_in_days) if expires_in_days else None,
        read_only=bool(read_only),
        tenant_id=tenant_id,
    )
    session.add(token)
    session.flush()
    return token, secret


TOKEN_USE_RESOLUTION = timedelta(minutes=5)


# A token login row is (account, *TOKEN_COLUMNS, ...): the login query in
# coopnet.platform.auth reads them from public.login_by_token (shared revision s0009) as
# TOKEN_FIELDS.
TOKEN_COLUMNS = (ApiToken.id, ApiToken.last_used_at, ApiToken.read_only, ApiToken.tenant_id)
TOKEN_FIELDS = "l.token_id, l.token_last_used_at, l.token_read_only, l.token_tenant_id"


def account_for_token(session, secret, statement, params=None):
    """The row (account, *TOKEN_COLUMNS, ...) for a live, unexpired token in one query, or
    None. ``statement`` is the login query (coopnet.platform.auth), binding ``token_hash``
    and ``params``. last_used_at is kept to within five minutes, so most requests write
    nothing."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    row = session.execute(statement, {**(params or {}), "token_hash": token_digest(secret)}).first()
    if row is None:
        return None
    token_id, last_used = row[1], row[2]
    now = utcnow()
    if last_used is None or now - last_used > TOKEN_USE_RESOLUTION:
        session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))
        session.commit()
    return row


def revoke_all_tokens(session, account) -> None:
    session.execute(
        update(ApiToken)
        .where(ApiToken.account_id == account.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def list_tokens(session, account):
    return session.scalars(select(ApiToken).where(ApiToken.account_id == account.id).order_by(ApiToken.id)).all()


def revoke_token(session, account, token_id):
    token = session.scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.account_id == account.id))
    if token is None:
        raise NotFound(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token
