"""Tenant scopes: switching with pending writes is an error, never a silent rollback."""

import threading
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from coopnet import pool
from coopnet.database import (
    PendingWrites,
    bind_tenant,
    current_schema,
    has_pending_writes,
    prefer_connection_for,
    tenant_scope,
)
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


def backend_pid(connection):
    return connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()


def served(connection, slug):
    translated = connection.execution_options(schema_translate_map={"tenant": f"t_{slug.replace('-', '_')}"})
    translated.execute(select(OutboxMessage)).all()
    return backend_pid(connection)


@pytest.fixture
def affine_engine(engine):
    from sqlalchemy import create_engine

    from coopnet.database import install_engine_hooks
    from coopnet.pool import TenantAffinePool

    small = create_engine(engine.url, pool_size=2, max_overflow=0)
    install_engine_hooks(small, tenants_per_connection=100)
    assert isinstance(small.pool, TenantAffinePool)
    yield small
    prefer_connection_for(None)
    small.dispose()


def test_a_checkout_for_a_tenant_gets_the_connection_that_served_it(affine_engine, two):
    with affine_engine.connect() as first, affine_engine.connect() as second:
        quilted, design = served(first, "quilted"), served(second, "design-action")
    assert quilted != design
    # A plain FIFO pool would hand out design-action's connection first, then alternate.
    order = ["quilted", "quilted", "design-action", "quilted", "design-action", "design-action"]
    for slug, pid in [(slug, quilted if slug == "quilted" else design) for slug in order]:
        prefer_connection_for(slug)
        with affine_engine.connect() as conn:
            assert backend_pid(conn) == pid
    # With no tenant named, the pool hands out connections in its usual order.
    prefer_connection_for(None)
    with affine_engine.connect() as conn:
        assert backend_pid(conn) in (quilted, design)


def by_home(make_tenant, slots=2, per_slot=2):
    """Tenants made for the test, grouped by their home slot in a pool of ``slots``."""
    import uuid

    from coopnet.database import schema_for
    from coopnet.pool import home_slot

    homes = {slot: [] for slot in range(slots)}
    while any(len(slugs) < per_slot for slugs in homes.values()):
        slug = f"home-{uuid.uuid4().hex[:8]}"
        slot = home_slot(schema_for(slug), slots)
        if len(homes[slot]) < per_slot:
            homes[slot].append(make_tenant(slug)[0].slug)
    return homes


def test_each_tenant_gets_its_home_connection(affine_engine, make_tenant):

    homes = by_home(make_tenant)
    pids = {}
    for slugs in homes.values():
        for slug in slugs:
            prefer_connection_for(slug)
            with affine_engine.connect() as conn:
                pids[slug] = served(conn, slug)
    # Tenants of one home share its connection; the two homes are two connections.
    assert [len({pids[slug] for slug in slugs}) for slugs in homes.values()] == [1, 1]
    assert pids[homes[0][0]] != pids[homes[1][0]]
    for slug in [*homes[1], *homes[0], *homes[1]]:
        prefer_connection_for(slug)
        with affine_engine.connect() as conn:
            assert backend_pid(conn) == pids[slug]


def home_pids(affine_engine, homes):

    pids = []
    for slugs in homes.values():
        prefer_connection_for(slugs[0])
        with affine_engine.connect() as conn:
            pids.append(served(conn, slugs[0]))
    return pids


@contextmanager
def home_held_by_another_thread(affine_engine, slug, release_after=None):
    """Another thread checks out ``slug``'s home and holds it until the block ends, or
    for ``release_after`` seconds."""
    taken, release = threading.Event(), threading.Event()

    def hold_home():
        prefer_connection_for(slug)
        with affine_engine.connect():
            taken.set()
            release.wait(10)

    holder = threading.Thread(target=hold_home)
    holder.start()
    taken.wait(10)
    if release_after is not None:
        threading.Timer(release_after, release.set).start()
    try:
        yield
    finally:
        release.set()
        holder.join()


def test_a_checkout_waits_for_the_home_connection_another_thread_holds(affine_engine, make_tenant, monkeypatch):
    monkeypatch.setattr(pool, "HOME_WAIT", 30)
    homes = by_home(make_tenant, per_slot=1)
    home, other = home_pids(affine_engine, homes)
    with home_held_by_another_thread(affine_engine, homes[0][0], release_after=0.2):
        prefer_connection_for(homes[0][0])
        with affine_engine.connect() as conn:
            # The other connection was idle all along; the checkout waited for the home.
            assert backend_pid(conn) == home != other


def test_a_checkout_stops_waiting_and_takes_another_connection(affine_engine, make_tenant, monkeypatch):
    monkeypatch.setattr(pool, "HOME_WAIT", 0.05)
    homes = by_home(make_tenant, per_slot=1)
    _, other = home_pids(affine_engine, homes)
    with home_held_by_another_thread(affine_engine, homes[0][0]):
        prefer_connection_for(homes[0][0])
        with affine_engine.connect() as conn:
            assert backend_pid(conn) == other


def test_a_thread_never_waits_for_the_connection_it_holds_itself(affine_engine, make_tenant, monkeypatch):
    monkeypatch.setattr(pool, "HOME_WAIT", 5)
    homes = by_home(make_tenant, per_slot=1)
    home, other = home_pids(affine_engine, homes)
    prefer_connection_for(homes[0][0])
    began = time.monotonic()
    with affine_engine.connect() as outer, affine_engine.connect() as inner:
        assert (backend_pid(outer), backend_pid(inner)) == (home, other)
    assert time.monotonic() - began < 5  # it did not sit out the wait for its own connection
