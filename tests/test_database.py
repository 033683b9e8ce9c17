"""Tenant scopes: switching with pending writes is an error, never a silent rollback."""

import pytest
from sqlalchemy import select

from coopnet.database import PendingWrites, bind_tenant, current_schema, has_pending_writes, tenant_scope
from coopnet.extensions import db as _db
from coopnet.tenants.outbox.models import OutboxMessage


def note(text):
    return OutboxMessage(to_address="ops@example.org", subject=text, body=text, status="held", attempts=0)


def subjects(slug):
    with tenant_scope(_db.session, slug):
        return [m.subject for m in _db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


@pytest.fixture
def two(make_tenant):
    return make_tenant("quilted"), make_tenant("design-action")


def test_switching_with_unflushed_writes_raises_and_keeps_them(app, ctx, two):
    bind_tenant(_db.session, "quilted")
    _db.session.add(note("for quilted"))
    with pytest.raises(PendingWrites):
        bind_tenant(_db.session, "design-action")
    assert current_schema(_db.session) == "t_quilted"
    _db.session.commit()  # the write was not dropped
    assert subjects("quilted") == ["for quilted"]


def test_switching_with_flushed_but_uncommitted_writes_raises(app, ctx, two):
    bind_tenant(_db.session, "quilted")
    _db.session.add(note("flushed"))
    _db.session.flush()
    assert has_pending_writes(_db.session)
    with pytest.raises(PendingWrites):
        bind_tenant(_db.session, "design-action")
    _db.session.commit()
    assert not has_pending_writes(_db.session)
    bind_tenant(_db.session, "design-action")  # nothing pending: switching is fine
    assert current_schema(_db.session) == "t_design_action"
    assert subjects("quilted") == ["flushed"]


def test_tenant_scope_restores_the_previous_binding(app, ctx, two):
    bind_tenant(_db.session, "quilted")
    with tenant_scope(_db.session, "design-action"):
        _db.session.add(note("for design action"))
        _db.session.commit()
    assert current_schema(_db.session) == "t_quilted"
    assert subjects("design-action") == ["for design action"]
    assert subjects("quilted") == []


def test_tenant_scope_left_with_writes_pending_raises_and_writes_nothing(app, ctx, two):
    with pytest.raises(PendingWrites), tenant_scope(_db.session, "quilted"):
        _db.session.add(note("forgotten"))
    assert current_schema(_db.session) is None
    assert subjects("quilted") == []


def test_an_error_inside_a_scope_rolls_back_only_that_scope(app, ctx, two):
    with pytest.raises(ZeroDivisionError), tenant_scope(_db.session, "quilted"):
        _db.session.add(note("half-written"))
        _db.session.flush()
        raise ZeroDivisionError("mid-scope")
    assert current_schema(_db.session) is None
    assert subjects("quilted") == []
