"""Log-in sessions in the signed cookie that the server can still end.

A cookie carries the account's session generation and a random session id.
The user loader accepts it only while the generation is the account's (log out
everywhere raises it), the id was not logged out, and the session is neither
idle too long nor older than PERMANENT_SESSION_LIFETIME."""

import secrets
import time
from typing import NamedTuple

from flask import current_app, session
from flask_login import login_user, logout_user

from coopnet.extensions import db
from coopnet.platform import accounts

# "seen" is rewritten at most this often, so most responses set no cookie.
SEEN_RESOLUTION = 300


class Claims(NamedTuple):
    generation: int
    session_id: str


def start_session(account):
    """Log in with a fresh session: nothing from before (CSRF token included) carries over."""
    session.clear()
    login_user(account)
    now = int(time.time())
    session.update(generation=account.session_generation, session_id=secrets.token_urlsafe(16), started=now, seen=now)


def end_session(account):
    """Log out: this cookie, and any copy of it, stops working."""
    session_id = session.get("session_id")
    if account.is_authenticated and isinstance(session_id, str):
        accounts.end_session(db.session, account.id, session_id, current_app.permanent_session_lifetime)
        db.session.commit()
    session.clear()
    logout_user()


def end_other_sessions(account):
    """Log out everywhere else: every other cookie of this account stops working, this one stays."""
    generation = accounts.end_all_sessions(db.session, account)
    db.session.commit()
    if "session_id" in session:
        session["generation"] = generation


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
    if now - seen > SEEN_RESOLUTION:
        session["seen"] = now
    return Claims(generation, session_id)
