"""Inviting people into a co-op and accepting an invitation (single use, expiring).

Who commits: the caller (view, command or job) that owns the unit of work;
these functions add, flush and return.
"""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from coopnet.database import utcnow
from coopnet.errors import Conflict, Forbidden, NotFound, ServiceError, ValidationFailed
from coopnet.i18n import speaking
from coopnet.platform.accounts import email_problem, find_account, has_control_characters, normalise_email
from coopnet.platform.models import Account, Membership, Tenant
from coopnet.platform.roles import role_problem
from coopnet.platform.tenants import add_member, membership_of
from coopnet.tenants.membership.models import Invitation
from coopnet.tenants.outbox.mail import compose
from coopnet.terms import term


class InvitationGone(ServiceError):
    status, code = 410, "invitation_expired"


class TooManyInvitations(ServiceError):
    status, code = 429, "too_many_invitations"


@dataclass(frozen=True)
class InvitationLimits:
    """How many invitations a co-op may send: ``per_hour`` always, and at most
    ``young_per_day`` a day while it is younger than ``young_for`` (a fresh signup
    is the cheapest way to send mail with sender-written text)."""

    per_hour: int = 20
    young_per_day: int = 10
    young_for: timedelta = timedelta(days=7)

    @classmethod
    def from_config(cls, config) -> "InvitationLimits":
        return cls(config["INVITATIONS_PER_COOP_HOUR"], config["YOUNG_COOP_INVITATIONS_PER_DAY"])


def _check_limits(session, tenant, limits: InvitationLimits, now) -> None:
    def sent_since(moment):
        return session.scalar(select(func.count()).select_from(Invitation).where(Invitation.created_at > moment))

    if sent_since(now - timedelta(hours=1)) >= limits.per_hour:
        raise TooManyInvitations(
            _(
                "%(name)s has sent %(per_hour)s invitations in the last hour. Try again later.",
                name=tenant.name,
                per_hour=limits.per_hour,
            )
        )
    founded = session.scalar(select(Tenant.created_at).where(Tenant.id == tenant.id))
    if founded is not None and now - founded < limits.young_for:
        if sent_since(now - timedelta(days=1)) >= limits.young_per_day:
            raise TooManyInvitations(
                _(
                    "A co-op in its first %(days)s days may send %(young_per_day)s invitations a day. Try again tomorrow, or ask the platform operator.",
                    days=limits.young_for.days,
                    young_per_day=limits.young_per_day,
                )
            )


def one_line(text: str) -> str:
    """A name as one plain line for a mail subject (names typed before CR/LF were refused)."""
    return " ".join("".join(" " if has_control_characters(c) else c for c in text).split())


def _hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def invite(
    session,
    tenant,
    inviter: Account,
    email: str,
    role: str,
    ttl: timedelta,
    make_link: Callable[[str], str],
    limits: InvitationLimits = InvitationLimits(),
) -> Invitation:
    """Record an invitation and its email in the tenant's outbox; the mail goes out
    once the caller commits. Inviting the same address again replaces the pending
    invitation, so only the newest link works. The mail is plain text."""
    email = normalise_email(email)
    problems = {}
    if problem := email_problem(email):
        problems["email"] = problem
    if problem := role_problem(role):
        problems["role"] = problem
    if problems:
        raise ValidationFailed(_("Some fields are missing or invalid."), problems)
    existing = find_account(session, email)
    if existing is not None and membership_of(session, tenant, existing) is not None:
        raise Conflict(
            _("%(email)s is already a member.", email=email),
            {"email": _("%(email)s is already a member of %(name)s.", email=email, name=tenant.name)},
            code="already_member",
        )
    now = utcnow()
    _check_limits(session, tenant, limits, now)
    session.execute(
        update(Invitation)
        .where(
            func.lower(Invitation.email) == email.lower(),
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email, role=role, token_hash=_hash(token), invited_by=inviter.id, created_at=now, expires_at=now + ttl
    )
    session.add(invitation)
    link = make_link(token)
    days = max(1, round(ttl.total_seconds() / 86400))
    with speaking(tenant=tenant):  # the invitee has no language of their own here yet
        subject = _(
            "%(inviter)s invites you to join %(coop)s on coopnet",
            inviter=one_line(inviter.name),
            coop=one_line(tenant.name),
        )
        body = (
            _(
                "%(inviter)s has invited you to join %(coop)s as %(role)s.",
                inviter=one_line(inviter.name),
                coop=one_line(tenant.name),
                role=term(role),
            )
            + "\n\n"
            + _("Accept the invitation here (the link works once, for %(days)s days):", days=days)
            + f"\n{link}\n"
        )
    compose(session, tenant, to=email, subject=subject, body=body)
    session.flush()
    return invitation


def find_invitation(session, token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return session.scalar(select(Invitation).where(Invitation.token_hash == _hash(token)))


def check_usable(invitation):
    if invitation is None:
        raise NotFound(
            _("This invitation link is not valid. Ask the co-op for a new one."), code="invitation_not_found"
        )
    if invitation.accepted_at is not None:
        raise Conflict(_("This invitation has already been used."), code="invitation_used")
    if invitation.revoked_at is not None:
        raise InvitationGone(_("This invitation was withdrawn or replaced by a newer one."), code="invitation_revoked")
    if invitation.expires_at <= utcnow():
        raise InvitationGone(_("This invitation has expired. Ask the co-op for a new one."))
    return invitation


def check_addressed_to(invitation: Invitation, account: Account) -> None:
    """Only the person the invitation was sent to may take its role: a forwarded or
    leaked link is refused, and stays pending for the right person."""
    if normalise_email(account.email).lower() != normalise_email(invitation.email).lower():
        raise Forbidden(
            _(
                "This invitation was sent to %(email)s, and you are logged in as %(email2)s. Log in with the account for %(email)s, or ask the co-op to invite %(email2)s.",
                email=invitation.email,
                email2=account.email,
            ),
            code="invitation_for_another_address",
        )
    if not account.email_verified:
        raise Forbidden(
            _(
                "Confirm that %(email)s is yours first: use the link we mail you from your account page.",
                email=account.email,
            ),
            code="email_unverified",
        )


def accept(session, tenant, token: str, account: Account) -> Membership:
    """Make ``account`` a member with the invited role; the link is spent (not committed).
    The account's verified address must be the invited one."""
    invitation = check_usable(find_invitation(session, token))
    check_addressed_to(invitation, account)
    if membership_of(session, tenant, account) is not None:
        raise Conflict(_("You are already a member of %(name)s.", name=tenant.name), code="already_member")
    now = utcnow()
    # The conditional update makes the link single-use even under concurrent clicks.
    claimed = session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(accepted_at=now, accepted_by=account.id)
        .returning(Invitation.id)
    ).scalar()
    if claimed is None:
        raise Conflict(_("This invitation has already been used."), code="invitation_used")
    membership = add_member(session, tenant, account, invitation.role)
    session.refresh(invitation)
    return membership


def list_invitations(session) -> list[Invitation]:
    return session.scalars(select(Invitation).order_by(Invitation.created_at.desc())).all()


def revoke(session, invitation_id: int) -> Invitation:
    invitation = session.get(Invitation, invitation_id)
    if invitation is None:
        raise NotFound(_("No such invitation."))
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
    return invitation
