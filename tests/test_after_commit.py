"""Work queued for after the commit survives savepoints, and one failing callback loses nothing else."""

import pytest
from sqlalchemy import select

from coopnet.database import PendingWrites, after_commit, bind_tenant, has_pending_writes, tenant_scope
from coopnet.extensions import db as _db
from coopnet.tenants.outbox.models import OutboxMessage


def note(text):
    return OutboxMessage(to_address="ops@example.org", subject=text, body=text, status="held", attempts=0)


def test_a_savepoint_rollback_drops_only_what_was_queued_inside_it(app, ctx, make_tenant):
    make_tenant("quilted")
    ran = []
    after_commit(_db.session, lambda: ran.append("outer"))
    savepoint = _db.session.begin_nested()
    after_commit(_db.session, lambda: ran.append("inner"))
    savepoint.rollback()
    _db.session.commit()
    assert ran == ["outer"]


def test_a_savepoint_rollback_keeps_the_pending_writes_visible(app, ctx, make_tenant):
    make_tenant("quilted")
    make_tenant("design-action")
    bind_tenant(_db.session, "quilted")
    _db.session.add(note("flushed before the savepoint"))
    _db.session.flush()
    _db.session.begin_nested().rollback()
    assert has_pending_writes(_db.session)
    with pytest.raises(PendingWrites):
        bind_tenant(_db.session, "design-action")
    _db.session.commit()
    with tenant_scope(_db.session, "quilted"):
        assert [m.subject for m in _db.session.scalars(select(OutboxMessage))] == ["flushed before the savepoint"]


def test_one_failing_callback_does_not_stop_the_others_or_the_session(app, ctx, make_tenant, caplog):
    make_tenant("quilted")
    ran = []

    def broken():
        raise ConnectionError("Redis is down")

    after_commit(_db.session, broken)
    after_commit(_db.session, lambda: ran.append("second party"))
    _db.session.commit()
    assert ran == ["second party"]
    assert "periodic sweep" in caplog.text
    _db.session.rollback()  # the session is usable afterwards


def test_a_scope_never_rolls_back_work_done_before_it(app, ctx, make_tenant):
    make_tenant("quilted")
    make_tenant("design-action")
    bind_tenant(_db.session, "quilted")
    _db.session.add(note("before the scope"))
    with pytest.raises(KeyError), tenant_scope(_db.session, "quilted"):  # same tenant: nothing changes
        raise KeyError("inside")
    with pytest.raises(PendingWrites), tenant_scope(_db.session, "design-action"):
        pass
    _db.session.commit()
    with tenant_scope(_db.session, "quilted"):
        assert [m.subject for m in _db.session.scalars(select(OutboxMessage))] == ["before the scope"]
