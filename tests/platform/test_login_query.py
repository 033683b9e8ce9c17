"""The login query of every request runs in PostgreSQL functions (shared revision s0009):
the row they return must say what the plain query said, for tokens and for sessions."""

import pytest

from coopnet.extensions import db as _db
from coopnet.platform.accounts import find_account, issue_token, token_digest
from coopnet.platform.auth import _session_statement, _token_statement
from coopnet.platform.models import Account, AccountSession
from coopnet.platform.tenants import resolve, tenant_refs


@pytest.fixture
def member_of_quilted(app, make_tenant):
    _, admin = make_tenant("quilted")
    make_tenant("design-action")
    with app.app_context():
        account = find_account(_db.session, admin.email)
        _, secret = issue_token(_db.session, account, "script")
        _db.session.commit()
        return account.id, secret


@pytest.mark.parametrize("slug", ["quilted", "design-action", "no-such-coop", None])
def test_a_token_login_row_names_the_tenant_and_role_as_resolve_does(app, member_of_quilted, slug):
    account_id, secret = member_of_quilted
    with app.app_context():
        row = _db.session.execute(_token_statement(), {"token_hash": token_digest(secret), "tenant_slug": slug}).one()
        assert row[0].id == account_id and row[0].email == "admin@quilted.example"
        assert tenant_refs(row) == (resolve(_db.session, slug, account_id) if slug else (None, None))
        # A stranger to design-action sees the co-op but holds no role there.
        assert (tenant_refs(row)[1] is None) == (slug != "quilted")


def test_a_session_login_row_needs_the_live_session_and_the_current_generation(app, member_of_quilted):
    account_id, _ = member_of_quilted
    with app.app_context():
        account = _db.session.get(Account, account_id)
        _db.session.add(AccountSession(session_id="s" * 32, account_id=account_id))
        _db.session.commit()
        params = {"account_id": account_id, "generation": account.session_generation, "tenant_slug": "quilted"}
        row = _db.session.execute(_session_statement(), {**params, "session_id": "s" * 32}).one()
        assert row[0].id == account_id
        assert tenant_refs(row) == resolve(_db.session, "quilted", account_id)
        assert tenant_refs(row)[1].role == "admin"
        assert _db.session.execute(_session_statement(), {**params, "session_id": "t" * 32}).first() is None
        stale = {**params, "session_id": "s" * 32, "generation": account.session_generation + 1}
        assert _db.session.execute(_session_statement(), stale).first() is None


def test_a_column_of_another_type_does_not_stop_log_ins(app, engine, member_of_quilted):
    """RETURN QUERY refuses a type that differs even slightly: the functions cast what they
    return, so a later migration changing a column's type does not lock everyone out."""
    account_id, secret = member_of_quilted
    with engine.connect() as conn:
        conn.exec_driver_sql("ALTER TABLE tenants ALTER COLUMN name TYPE text")
        conn.exec_driver_sql("ALTER TABLE memberships ALTER COLUMN role TYPE text")
        row = conn.exec_driver_sql(
            "SELECT (l.account).id, l.tenant_name, l.member_role FROM public.login_by_token(%s, %s) AS l",
            (token_digest(secret), "quilted"),
        ).one()
        conn.rollback()
    assert tuple(row) == (account_id, "Quilted", "admin")
