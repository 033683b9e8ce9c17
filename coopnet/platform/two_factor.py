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
from sqlalchemy import select, update

from coopnet import sealed
from coopnet.database import utcnow
from coopnet.errors import Conflict, ValidationFailed
from coopnet.platform.accounts import check_password
from coopnet.platform.models import Account, Membership, RecoveryCode, Tenant

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
        raise Conflict("Two-factor authentication is already on.", code="two_factor_on")
    secret = pyotp.random_base32()
    account.totp_secret = sealed.seal("two_factor", secret)
    session.flush()
    return Setup(secret, account.email)


def pending_setup(account: Account) -> Setup | None:
    """The setup begun and not yet confirmed, to show again."""
    secret = sealed.unseal("two_factor", account.totp_secret)
    return Setup(secret, account.email) if secret and not account.two_factor_enabled else None


def confirm_setup(session, account: Account, code: str) -> list[str]:
    """Turn two-factor on with a code from the app; returns the recovery codes (shown once)."""
    if account.two_factor_enabled:
        raise Conflict("Two-factor authentication is already on.", code="two_factor_on")
    secret = sealed.unseal("two_factor", account.totp_secret)
    if secret is None:
        raise Conflict("Start setting up two-factor authentication first.", code="two_factor_not_started")
    step = _matching_step(secret, code, after=None)
    if step is None:
        raise ValidationFailed(
            "That code does not match. Type the 6 digits your app shows now.",
            {"code": "That code does not match. Type the 6 digits your app shows now."},
        )
    account.totp_enabled_at, account.totp_last_step = utcnow(), step
    codes = _new_recovery_codes(session, account)
    session.flush()
    return codes


def disable(session, hasher, account: Account, password: str) -> None:
    """Turn two-factor off (the password again); refused while a co-op of the account requires it."""
    if not check_password(hasher, account, password):
        raise ValidationFailed("That is not your current password.", {"password": "That is not your current password."})
    requiring = requiring_coops(session, account)
    if requiring:
        raise Conflict(
            f"{', '.join(requiring)} require two-factor authentication of their members; it stays on.",
            code="two_factor_required_by_coop",
        )
    account.totp_secret = account.totp_enabled_at = account.totp_last_step = None
    session.execute(update(RecoveryCode).where(RecoveryCode.account_id == account.id).values(used_at=utcnow()))
    session.flush()


def regenerate_recovery_codes(session, hasher, account: Account, password: str) -> list[str]:
    if not account.two_factor_enabled:
        raise Conflict("Two-factor authentication is off.", code="two_factor_off")
    if not check_password(hasher, account, password):
        raise ValidationFailed("That is not your current password.", {"password": "That is not your current password."})
    codes = _new_recovery_codes(session, account)
    session.flush()
    return codes


def recovery_codes_left(session, account: Account) -> int:
    return len(
        session.scalars(
            select(RecoveryCode.id).where(RecoveryCode.account_id == account.id, RecoveryCode.used_at.is_(None))
        ).all()
    )


def check_code(session, account: Account, code) -> bool:
    """True (and the code spent) for a current authenticator code or an unused recovery code."""
    if not isinstance(code, str) or not account.two_factor_enabled:
        return False
    code = code.strip().replace(" ", "")
    if code.isdigit() and len(code) == 6:
        secret = sealed.unseal("two_factor", account.totp_secret)
        step = _matching_step(secret, code, after=account.totp_last_step) if secret else None
        if step is None:
            return False
        # Conditional, so two requests racing with one code cannot both pass.
        spent = session.execute(
            update(Account).where(Account.id == account.id, Account.totp_last_step < step).values(totp_last_step=step)
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
            "Turn on two-factor authentication for your own account first, or you would lock yourself out.",
            code="two_factor_off",
        )
    session.execute(update(Tenant).where(Tenant.id == tenant_id).values(require_two_factor=bool(required)))
    session.flush()


def _matching_step(secret: str, code, after: int | None) -> int | None:
    """The time step whose code is ``code`` (within the drift), later than ``after``."""
    if not isinstance(code, str):
        return None
    code = code.strip().replace(" ", "")
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


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
