"""Log-in sessions: a signed cookie naming a session record the server can end.

The cookie carries the account's session generation and a random session id. The
user loader accepts it only while the generation is the account's, the record of
that id is not ended, and the session is neither idle too long nor older than
PERMANENT_SESSION_LIFETIME. Log-out ends the record; "log out everywhere" and a new
password end all the account's records but the current one, raise the generation,
and void the links mailed to the account that would let someone in again.

Who commits: the functions here that the pages call (start, end, end others, end
one) commit; the record queries take a session and flush."""

import secrets
import time
from datetime import timedelta
from typing import NamedTuple

from flask import current_app, request, session
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from sqlalchemy import delete, or_, select, update

from coopnet.database import utcnow
from coopnet.errors import NotFound
from coopnet.extensions import db
from coopnet.platform.models import Account, AccountLink, AccountSession

# "seen" is rewritten at most this often, so most responses set no cookie and write no row.
SEEN_RESOLUTION = 300


class Claims(NamedTuple):
    generation: int
    session_id: str
    # The cookie's "seen" moved on: the record's seen_at should follow.
    touched: bool = False


def _client():
    agent = request.user_agent.string or ""
    return agent[:300], (request.remote_addr or "")[:64]


def start_session(account):
    """Log in with a fresh session and record it: nothing from before (CSRF token
    included) carries over. Commits."""
    session.clear()
    login_user(account)
    now = int(time.time())
    session_id = secrets.token_urlsafe(16)
    user_agent, address = _client()
    lifetime = current_app.permanent_session_lifetime
    db.session.execute(
        delete(AccountSession).where(
            AccountSession.account_id == account.id,
            or_(AccountSession.ended_at.is_not(None), AccountSession.started_at < utcnow() - lifetime),
        )
    )
    db.session.add(AccountSession(session_id=session_id, account_id=account.id, user_agent=user_agent, address=address))
    db.session.commit()
    session.update(generation=account.session_generation, session_id=session_id, started=now, seen=now)


def end_session(account):
    """Log out: this cookie, and any copy of it, stops working."""
    session_id = session.get("session_id")
    if account.is_authenticated and isinstance(session_id, str):
        db.session.execute(
            update(AccountSession)
            .where(AccountSession.session_id == session_id, AccountSession.account_id == account.id)
            .values(ended_at=utcnow())
        )
        db.session.commit()
    session.clear()
    logout_user()


def end_all_sessions(db_session, account: Account, keep: str | None = None) -> int:
    """End every session of ``account`` but the one with id ``keep`` (log out
    everywhere, a new password, a deleted account). Raises the generation, and
    returns it for the session that stays. Flushes, does not commit."""
    generation = db_session.execute(
        update(Account)
        .where(Account.id == account.id)
        .values(session_generation=Account.session_generation + 1)
        .returning(Account.session_generation)
    ).scalar_one()
    account.session_generation = generation
    ending = update(AccountSession).where(AccountSession.account_id == account.id, AccountSession.ended_at.is_(None))
    if keep:
        ending = ending.where(AccountSession.session_id != keep)
    db_session.execute(ending.values(ended_at=utcnow()))
    end_mailed_links(db_session, account)
    return generation


def end_mailed_links(db_session, account: Account) -> None:
    """Links mailed to the account that would let someone in (reset, sign-in, address
    change) stop working: its sessions ended, or its address moved."""
    db_session.execute(
        update(AccountLink)
        .where(
            AccountLink.account_id == account.id,
            AccountLink.used_at.is_(None),
            AccountLink.purpose.in_(("reset_password", "change_email", "sign_in")),
        )
        .values(used_at=utcnow())
    )


def end_other_sessions(account):
    """Log out everywhere else: every other cookie of this account stops working, this one stays. Commits."""
    end_all_sessions(db.session, account, current_session_id())
    db.session.commit()
    follow_generation(account)


def follow_generation(account):
    """This cookie stays valid after the account's generation was raised (by a change made from it)."""
    if current_session_id():
        session["generation"] = account.session_generation


def end_one_session(account, record_id: int) -> None:
    """End one of the account's sessions by its id in the list. Commits."""
    ended = db.session.execute(
        update(AccountSession)
        .where(
            AccountSession.id == record_id,
            AccountSession.account_id == account.id,
            AccountSession.ended_at.is_(None),
        )
        .values(ended_at=utcnow())
        .returning(AccountSession.session_id)
    ).scalar()
    if ended is None:
        raise NotFound(_("No such session of yours is active."), code="session_not_found")
    db.session.commit()
    if ended == session.get("session_id"):
        session.clear()
        logout_user()


def live_sessions(db_session, account: Account) -> list[AccountSession]:
    """The account's sessions that a cookie could still use, newest first."""
    now = utcnow()
    idle = current_app.config["SESSION_IDLE_TIMEOUT"] + timedelta(seconds=SEEN_RESOLUTION)
    return db_session.scalars(
        select(AccountSession)
        .where(
            AccountSession.account_id == account.id,
            AccountSession.ended_at.is_(None),
            AccountSession.started_at > now - current_app.permanent_session_lifetime,
            AccountSession.seen_at > now - idle,
        )
        .order_by(AccountSession.seen_at.desc(), AccountSession.id.desc())
    ).all()


def current_session_id() -> str | None:
    value = session.get("session_id")
    return value if isinstance(value, str) else None


def touch(claims: Claims) -> None:
    """Move the record's seen_at on when the cookie's moved (every few minutes), in a
    short transaction of its own: the user may be loaded in the middle of a view, whose
    unit of work this must not commit."""
    if claims.touched:
        with db.engine.begin() as connection:
            connection.execute(
                update(AccountSession).where(AccountSession.session_id == claims.session_id).values(seen_at=utcnow())
            )


def sweep_sessions(db_session) -> int:
    """Drop records no cookie can use any more (older than the session lifetime)."""
    cutoff = utcnow() - current_app.permanent_session_lifetime
    return db_session.execute(delete(AccountSession).where(AccountSession.started_at < cutoff)).rowcount


def live_claims():
    """What the session cookie claims, if it is still within its time limits."""
    generation, session_id = session.get("generation"), session.get("session_id")
    started, seen = session.get("started"), session.get("seen")
    if not (isinstance(generation, int) and isinstance(session_id, str)):
        return None
    if not (isinstance(started, int) and isinstance(seen, int)):
        return None
    now = int(time.time())
    idle_limit = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    if now - seen > idle_limit or now - started > current_app.permanent_session_lifetime.total_seconds():
        return None
    touched = now - seen > SEEN_RESOLUTION
    if touched:
        session["seen"] = now
    return Claims(generation, session_id, touched)
