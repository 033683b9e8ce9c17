"""Links mailed to an account's owner: reset a forgotten password, verify the
address, move the account to a new address, sign in without the password (when
failed log-ins from elsewhere throttle the owner).

Each link works once and expires; only its token's SHA-256 is stored. Asking for a
reset or a sign-in link answers the same whether or not the address has an account:
the mail tells the owner. Who commits: the caller; these functions flush."""

import secrets
from collections.abc import Callable
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from coopnet.database import utcnow
from coopnet.errors import Conflict, NotFound, ValidationFailed
from coopnet.i18n import speaking_to
from coopnet.platform.accounts import (
    WRONG_PASSWORD,
    address_holder,
    check_password,
    email_problem,
    find_account,
    password_problem,
    raise_problems,
    revoke_all_tokens,
    token_digest,
)
from coopnet.platform.addresses import normalise_email
from coopnet.platform.mail import compose_platform
from coopnet.platform.models import Account, AccountLink
from coopnet.platform.sessions import end_all_sessions, end_mailed_links
from coopnet.platform.two_factor import require_second_factor

LIFETIMES = {
    "reset_password": timedelta(hours=1),
    "verify_email": timedelta(days=2),
    "change_email": timedelta(days=1),
    "sign_in": timedelta(minutes=15),
}
LINK_INVALID = _l("This link is not valid, was used, or has expired. Ask for a new one.")
MakeLink = Callable[[str, str], str]  # (purpose, token) -> the URL to mail


def issue_link(session, account: Account, purpose: str, make_link: MakeLink, new_email: str | None = None) -> str:
    """A new link for ``purpose``; earlier unused links of the same purpose stop working."""
    now = utcnow()
    session.execute(
        update(AccountLink)
        .where(AccountLink.account_id == account.id, AccountLink.purpose == purpose, AccountLink.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    session.add(
        AccountLink(
            account_id=account.id,
            purpose=purpose,
            token_hash=token_digest(token),
            new_email=new_email,
            created_at=now,
            expires_at=now + LIFETIMES[purpose],
        )
    )
    session.flush()
    return make_link(purpose, token)


def redeem_link(session, token: str, purpose: str) -> AccountLink:
    """Use a link once: the live link for ``token``, now marked used, or NotFound."""
    now = utcnow()
    link_id = None
    if isinstance(token, str) and 0 < len(token) <= 100:
        link_id = session.execute(
            update(AccountLink)
            .where(
                AccountLink.token_hash == token_digest(token),
                AccountLink.purpose == purpose,
                AccountLink.used_at.is_(None),
                AccountLink.expires_at > now,
            )
            .values(used_at=now)
            .returning(AccountLink.id)
        ).scalar()
    link = session.get(AccountLink, link_id) if link_id is not None else None
    if link is None:
        raise NotFound(str(LINK_INVALID), code="link_invalid")
    return link


def peek_link(session, token: str, purpose: str) -> Account:
    """The account a live link is for, leaving the link unused (to ask for a second factor first)."""
    account = None
    if isinstance(token, str) and 0 < len(token) <= 100:
        account = session.scalar(
            select(Account)
            .join(AccountLink, AccountLink.account_id == Account.id)
            .where(
                AccountLink.token_hash == token_digest(token),
                AccountLink.purpose == purpose,
                AccountLink.used_at.is_(None),
                AccountLink.expires_at > utcnow(),
            )
        )
    if account is None:
        raise NotFound(str(LINK_INVALID), code="link_invalid")
    return account


def _live_account(session, email: str) -> Account | None:
    account = find_account(session, email) if email and not email_problem(email) else None
    return account if account is not None and account.deleted_at is None else None


def _paragraphs(*texts: str) -> str:
    return "\n\n".join(texts) + "\n"


def _require_email(email: str) -> None:
    if problem := email_problem(email):
        raise ValidationFailed(_("Enter the email address you log in with."), {"email": problem})


def request_password_reset(session, email: str, make_link: MakeLink) -> None:
    """Mail a reset link to the account at ``email``; a note if there is none (in the
    language of the person asking: whoever reads it has no account to choose one)."""
    email = normalise_email(email)
    _require_email(email)
    account = _live_account(session, email)
    if account is None:
        compose_platform(
            session,
            email,
            _("Password reset on coopnet"),
            _paragraphs(
                _("Someone, perhaps you, asked to reset the coopnet password of this address, but no account uses it."),
                _("If it was not you, there is nothing to do."),
            ),
        )
        return
    link = issue_link(session, account, "reset_password", make_link)
    with speaking_to(account):
        compose_platform(
            session,
            account.email,
            _("Reset your coopnet password"),
            _paragraphs(
                _("Someone, perhaps you, asked to reset the password of your coopnet account."),
                _("To choose a new one, follow this link within an hour (it works once):\n%(link)s", link=link),
                _("If it was not you, ignore this mail: your password stays as it is."),
            ),
        )


def reset_password(session, hasher, token: str, password: str) -> Account:
    """Set a new password from a reset link. Following the link also proves the
    address; every session of the account, every other link it was mailed and every
    API token end (a reset is what someone does when they think they were robbed)."""
    account = peek_link(session, token, "reset_password")
    raise_problems({"password": password_problem(password, account.email)})
    redeem_link(session, token, "reset_password")
    account.password_hash = hasher.hash(password)
    account.email_verified_at = account.email_verified_at or utcnow()
    end_all_sessions(session, account)
    revoke_all_tokens(session, account)
    session.flush()
    return account


def request_verification(session, account: Account, make_link: MakeLink) -> None:
    """Mail a link that proves the account's owner reads its address."""
    if account.email_verified:
        raise Conflict(_("Your address is already verified."), code="already_verified")
    link = issue_link(session, account, "verify_email", make_link, new_email=account.email)
    with speaking_to(account):
        compose_platform(
            session,
            account.email,
            _("Verify your address on coopnet"),
            _paragraphs(
                _("To verify that this address is yours, follow this link within two days:\n%(link)s", link=link),
                _(
                    "Until then you cannot accept invitations to co-ops. If you have no coopnet account, ignore this mail."
                ),
            ),
        )


def verify_email(session, token: str) -> Account:
    link = redeem_link(session, token, "verify_email")
    account = session.get(Account, link.account_id)
    if account.email != link.new_email:
        raise NotFound(_("This link was for an address your account no longer uses."), code="link_invalid")
    account.email_verified_at = account.email_verified_at or utcnow()
    session.flush()
    return account


def request_email_change(session, hasher, account: Account, password: str, new_email: str, make_link: MakeLink):
    """Mail the new address a link that moves the account there. The answer is the
    same when another account holds that address (the mail says so)."""
    new_email = normalise_email(new_email)
    problem = email_problem(new_email)
    if not problem and new_email == account.email:
        problem = _("That is already your address.")
    raise_problems(
        {"email": problem, "password": None if check_password(hasher, account, password) else str(WRONG_PASSWORD)}
    )
    holder = address_holder(session, new_email)
    if holder is not None:
        with speaking_to(holder if holder.email == new_email else None):
            compose_platform(
                session,
                new_email,
                _("An address change on coopnet"),
                _paragraphs(
                    _(
                        "Someone asked to move their coopnet account to this address, but another account uses it "
                        "(or one that looks like it), so nothing changed."
                    ),
                    _("If it was not you, there is nothing to do."),
                ),
            )
        return
    link = issue_link(session, account, "change_email", make_link, new_email=new_email)
    with speaking_to(account):
        compose_platform(
            session,
            new_email,
            _("Confirm your new address on coopnet"),
            _paragraphs(
                _("To move your coopnet account to this address, follow this link within a day:\n%(link)s", link=link),
                _("If you did not ask for this, ignore this mail."),
            ),
        )
        compose_platform(
            session,
            account.email,
            _("Your coopnet address is about to change"),
            _paragraphs(
                _(
                    "Someone logged in to your account asked to move it to %(email)s. Nothing changes until that "
                    "address confirms.",
                    email=new_email,
                ),
                _("If it was not you, log in, change your password and log out everywhere."),
            ),
        )


def confirm_email_change(session, token: str) -> Account:
    """Move the account to the link's address. Links mailed to the old address stop
    working, and the old address is told."""
    link = redeem_link(session, token, "change_email")
    account = session.get(Account, link.account_id)
    taken = Conflict(_("%(email)s got an account in the meantime.", email=link.new_email), code="email_taken")
    holder = address_holder(session, link.new_email)
    if holder is not None and holder.id != account.id:
        raise taken
    old = account.email
    account.email, account.email_verified_at = link.new_email, utcnow()
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:  # someone took the address between the check and here
        raise taken from None
    end_mailed_links(session, account)
    with speaking_to(account):
        compose_platform(
            session,
            old,
            _("Your coopnet address changed"),
            _paragraphs(
                _("Your coopnet account now uses %(email)s; mail for it no longer comes here.", email=link.new_email),
                _("If it was not you, write to the platform's operator at once."),
            ),
        )
    return account


def request_sign_in_link(session, email: str, make_link: MakeLink) -> None:
    """Mail a sign-in link to the account at ``email`` (nothing if there is none):
    the way in for an owner throttled by someone else's failed log-ins."""
    email = normalise_email(email)
    _require_email(email)
    account = _live_account(session, email)
    if account is None:  # the same work as for an account: one mail, telling the owner
        compose_platform(
            session,
            email,
            _("Your coopnet sign-in link"),
            _paragraphs(
                _(
                    "Someone, perhaps you, asked for a link to log in to coopnet with this address, "
                    "but no account uses it."
                ),
                _("If it was not you, there is nothing to do."),
            ),
        )
        return
    link = issue_link(session, account, "sign_in", make_link)
    with speaking_to(account):
        compose_platform(
            session,
            account.email,
            _("Your coopnet sign-in link"),
            _paragraphs(
                _(
                    "To log in to coopnet without your password, follow this link within 15 minutes "
                    "(it works once):\n%(link)s",
                    link=link,
                ),
                _("If you did not ask for it, ignore this mail."),
            ),
        )


def sign_in_with_link(session, token: str, code=None, code_asked_next=False) -> Account:
    """The account a sign-in link logs in. With two-factor on, ``code`` must be good
    before the link is spent (a missing or wrong code leaves it usable), unless the
    caller asks for the code in a step of its own next (``code_asked_next``: the log-in page)."""
    account = peek_link(session, token, "sign_in")
    if not code_asked_next:
        require_second_factor(session, account, code)
    link = redeem_link(session, token, "sign_in")
    account = session.get(Account, link.account_id)
    account.email_verified_at = account.email_verified_at or utcnow()
    session.flush()
    return account
