"""Signing a co-op up from outside: nothing is created until the founder follows
the link mailed to their address, and the answer never says whether the address
already has an account (the mail tells its owner).

Who commits: request_signup flushes and leaves the commit to the caller;
confirm_signup ends in tenants.signup, which owns its transaction and commits."""

import secrets
from collections.abc import Callable
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from coopnet.database import utcnow
from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.platform.accounts import account_problems, address_holder, token_digest
from coopnet.platform.addresses import normalise_email
from coopnet.platform.mail import compose_platform
from coopnet.platform.models import Account, SignupRequest
from coopnet.platform.tenants import check_slug_free, signup, tenant_problems

SIGNUP_LINK_TTL = timedelta(hours=24)


def request_signup(
    session, hasher, name: str, slug: str, kind: str, founder: dict, make_link: Callable[[str], str], login_link: str
) -> None:
    """Check everything a visitor typed, then mail the founder's address: a link that
    creates the co-op, or (the address has an account) a note to its owner. Both
    paths hash the password and write one mail, so they answer alike in time too."""
    name, slug = (name or "").strip(), (slug or "").strip()
    founder_name = (founder.get("name") or "").strip()
    email, password = normalise_email(founder.get("email")), founder.get("password")
    problems = tenant_problems(name, slug, kind)
    problems.update(account_problems(founder_name, email, password, "founder."))
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    check_slug_free(session, slug)
    password_hash = hasher.hash(password)
    holder = address_holder(session, email)
    if holder is not None:
        compose_platform(
            session,
            email,
            _("Someone tried to sign up on coopnet with your address"),
            _("Someone, perhaps you, asked to sign a co-op up on coopnet with this address.")
            + "\n\n"
            + (
                _(
                    "There is already a coopnet account for it, so nothing was created. If it was you, "
                    "log in and found the co-op from your account:\n%(link)s",
                    link=login_link,
                )
                if holder.email == email
                else _(
                    "It looks like the address of another coopnet account, so it cannot be used. Nothing was created."
                )
            )
            + "\n\n"
            + _("If it was not you, there is nothing to do.")
            + "\n",
        )
        return
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        SignupRequest(
            token_hash=token_digest(token),
            email=email,
            founder_name=founder_name,
            password_hash=password_hash,
            name=name,
            slug=slug,
            kind=kind,
            created_at=now,
            expires_at=now + SIGNUP_LINK_TTL,
        )
    )
    compose_platform(
        session,
        email,
        _("Confirm your address to create your co-op on coopnet"),
        _("Someone, perhaps you, asked to sign the co-op %(name)s up on coopnet with this address.", name=name)
        + "\n\n"
        + _("To create it, follow this link within 24 hours:\n%(link)s", link=make_link(token))
        + "\n\n"
        + _("If it was not you, ignore this mail: nothing is created without it.")
        + "\n",
    )
    session.flush()


def confirm_signup(session, token: str):
    """Create the co-op and its founder's verified account from a mailed link (single
    use, expiring); returns (tenant, account), committed."""
    now = utcnow()
    request_id = None
    if token and len(token) <= 100:
        request_id = session.execute(
            update(SignupRequest)
            .where(
                SignupRequest.token_hash == token_digest(token),
                SignupRequest.used_at.is_(None),
                SignupRequest.expires_at > now,
            )
            .values(used_at=now)
            .returning(SignupRequest.id)
        ).scalar()
    if request_id is None:
        raise NotFound(
            _("This sign-up link is not valid, was used, or has expired. Sign up again."), code="signup_link_invalid"
        )
    pending = session.scalar(select(SignupRequest).where(SignupRequest.id == request_id))
    if address_holder(session, pending.email) is not None:
        session.rollback()
        raise Conflict(
            _(
                "%(email)s got an account in the meantime. Log in and found the co-op from your account.",
                email=pending.email,
            ),
            code="email_taken",
        )
    account = Account(
        name=pending.founder_name, email=pending.email, password_hash=pending.password_hash, email_verified_at=now
    )
    session.add(account)
    session.flush()
    return signup(session, None, pending.name, pending.slug, founder_account=account, kind=pending.kind)
