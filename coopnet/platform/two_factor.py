"""Two-factor authentication: a TOTP authenticator app (RFC 6238, via pyotp) and ten
single-use recovery codes; a co-op's admins may require it of everyone in the co-op.

Setting up takes two steps (a secret to scan, then a code from the app proves it
was scanned). A code is accepted once: the last accepted time step is kept. Who
commits: the caller; these functions flush."""

import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from coopnet import sealed
from coopnet.database import utcnow
from coopnet.errors import Conflict, ServiceError, ValidationFailed
from coopnet.platform.accounts import require_password
from coopnet.platform.mail import tell_owner
from coopnet.platform.models import Account, Membership, RecoveryCode, Tenant
from coopnet.platform.sessions import end_all_sessions
from coopnet.platform.throttle import Attempts


class CodeNeeded(ServiceError):
    status, code = 401, "two_factor_code_required"


class WrongCode(ServiceError):
    status, code = 401, "invalid_two_factor_code"


WRONG_CODES = Attempts(
    "TWO_FACTOR_LIMIT", "two-factor", _l("Too many wrong codes for this account. Wait 15 minutes and try again.")
)


ISSUER = "coopnet"
RECOVERY_CODES = 10
# Codes from the step before and after the current one are accepted (clock drift).
DRIFT_STEPS = 1


class Setup:
    """What the person scans or types into their authenticator app."""

    def __init__(self, secret: str, email: str):
        self.secret = secret
        self.uri = pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)

    def qr_svg(self) -> str:
        return segno.make(self.uri, error="m").svg_inline(scale=4, dark="#111", light="#fff")


def begin_setup(session, account: Account) -> Setup:
    """A new secret for the account, not in force until confirm_setup sees a code from it."""
    if account.two_factor_enabled:
        raise Conflict(_("Two-factor authentication is already on."), code="two_factor_on")
    secret = pyotp.random_base32()
    account.totp_secret = sealed.seal("two_factor", secret)
    session.flush()
    return Setup(secret, account.email)


def pending_setup(account: Account) -> Setup | None:
    """The setup begun and not yet confirmed, to show again."""
    secret = sealed.unseal("two_factor", account.totp_secret)
    return Setup(secret, account.email) if secret and not account.two_factor_enabled else None


def confirm_setup(session, hasher, account: Account, code: str, password: str, keep_session=None) -> list[str]:
    """Turn two-factor on with a code from the app and the password (a borrowed session
    alone cannot enrol its own phone); returns the recovery codes (shown once). Every
    session but ``keep_session`` ends: none passed the second factor."""
    require_password(hasher, account, password)
    session.refresh(account, with_for_update=True)  # two confirms at once: the second waits, then finds it on
    if account.two_factor_enabled:
        raise Conflict(_("Two-factor authentication is already on."), code="two_factor_on")
    secret = sealed.unseal("two_factor", account.totp_secret)
    if secret is None:
        raise Conflict(_("Start setting up two-factor authentication first."), code="two_factor_not_started")
    step = _matching_step(secret, code, after=None)
    if step is None:
        message = _("That code does not match. Type the 6 digits your app shows now.")
        raise ValidationFailed(message, {"code": message})
    account.totp_enabled_at, account.totp_last_step = utcnow(), step
    codes = _new_recovery_codes(session, account)
    end_all_sessions(session, account, keep_session)
    tell_owner(session, account, _l("Two-factor authentication was turned on for your coopnet account."))
    session.flush()
    return codes


def disable(session, hasher, account: Account, password: str) -> None:
    """Turn two-factor off (the password again); refused while a co-op of the account requires it."""
    require_password(hasher, account, password)
    requiring = requiring_coops(session, account)
    if requiring:
        raise Conflict(
            _("%(names)s require two-factor authentication of their members; it stays on.", names=", ".join(requiring)),
            code="two_factor_required_by_coop",
        )
    account.totp_secret = account.totp_enabled_at = account.totp_last_step = None
    session.execute(update(RecoveryCode).where(RecoveryCode.account_id == account.id).values(used_at=utcnow()))
    tell_owner(session, account, _l("Two-factor authentication was turned off for your coopnet account."))
    session.flush()


def regenerate_recovery_codes(session, hasher, account: Account, password: str) -> list[str]:
    if not account.two_factor_enabled:
        raise Conflict(_("Two-factor authentication is off."), code="two_factor_off")
    require_password(hasher, account, password)
    codes = _new_recovery_codes(session, account)
    session.flush()
    return codes


def recovery_codes_left(session, account: Account) -> int:
    return session.scalar(
        select(func.count()).where(RecoveryCode.account_id == account.id, RecoveryCode.used_at.is_(None))
    )


def require_second_factor(session, account: Account, code) -> None:
    """Nothing when the account has no two-factor or ``code`` is good (and now spent);
    otherwise a 401 saying a code is needed or was wrong."""
    if not account.two_factor_enabled:
        return
    if not code:
        raise CodeNeeded(_("Send a code from your authenticator app (or a recovery code)."))
    if not check_code(session, account, code):
        raise WrongCode(_("That code is wrong or was used already."))


def check_code(session, account: Account, code) -> bool:
    """True (and the code spent) for a current authenticator code or an unused recovery
    code. Wrong codes count against the account, wherever they are typed (log-in page,
    JSON log-in, sign-in link): past TWO_FACTOR_LIMIT it answers 429 until the window ends."""
    WRONG_CODES.check(account.id)
    good = _spend_code(session, account, code)
    if not good:
        WRONG_CODES.failed(account.id)
    return good


def _spend_code(session, account: Account, code) -> bool:
    if not isinstance(code, str) or not account.two_factor_enabled:
        return False
    code = _normalise(code)
    if code.isdigit() and len(code) == 6:
        secret = sealed.unseal("two_factor", account.totp_secret)
        step = _matching_step(secret, code, after=account.totp_last_step) if secret else None
        if step is None:
            return False
        # Conditional, so two requests racing with one code cannot both pass.
        spent = session.execute(
            update(Account)
            .where(Account.id == account.id, func.coalesce(Account.totp_last_step, -1) < step)
            .values(totp_last_step=step)
        ).rowcount
        if spent:
            account.totp_last_step = step
        return bool(spent)
    normalised = code.lower().replace("-", "")
    if len(normalised) != 10 or not normalised.isalnum():
        return False
    return bool(
        session.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.account_id == account.id,
                RecoveryCode.code_hash == _hash(normalised),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=utcnow())
        ).rowcount
    )


def requiring_coops(session, account: Account) -> list[str]:
    """Names of the account's co-ops that require two-factor authentication."""
    return session.scalars(
        select(Tenant.name)
        .join(Membership, Membership.tenant_id == Tenant.id)
        .where(Membership.account_id == account.id, Tenant.require_two_factor)
        .order_by(Tenant.name)
    ).all()


def set_requirement(session, tenant_id: int, admin: Account, required: bool) -> None:
    """A co-op's admins require two-factor of every member (an admin without it cannot)."""
    if required and not admin.two_factor_enabled:
        raise Conflict(
            _("Turn on two-factor authentication for your own account first, or you would lock yourself out."),
            code="two_factor_off",
        )
    session.execute(update(Tenant).where(Tenant.id == tenant_id).values(require_two_factor=bool(required)))
    session.flush()


def _matching_step(secret: str, code, after: int | None) -> int | None:
    """The time step whose code is ``code`` (within the drift), later than ``after``."""
    if not isinstance(code, str):
        return None
    code = _normalise(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp, now = pyotp.TOTP(secret), time.time()
    current = totp.timecode(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _new_recovery_codes(session, account: Account) -> list[str]:
    session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.account_id == account.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
    )
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = ["".join(secrets.choice(alphabet) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(account_id=account.id, code_hash=_hash(code)) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def _normalise(code: str) -> str:
    return code.strip().replace(" ", "")


def _hash(code: str) -> str:
    """HMAC under a server key: a leaked table of codes cannot be searched offline."""
    key = hashlib.sha256(b"coopnet recovery codes\0" + current_app.config["SECRET_KEY"].encode()).digest()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()
