"""The tenant-affine pool's bookkeeping, with stand-in DBAPI connections (no database):
the pool's own counts and choices, which the database tests cannot reach."""

import threading
import time
from itertools import count

import pytest

from coopnet import pool as affinity
from coopnet.pool import SERVED, TenantAffinePool, home_slot, wanted_schema


class Connection:
    """Just enough of a DBAPI connection for the pool: it is reset and closed."""

    opened = count(1)

    def __init__(self, delay=0.0):
        time.sleep(delay)
        self.number = next(self.opened)
        self.closed = False

    def rollback(self):
        pass

    def close(self):
        self.closed = True


def schemas_at(slot, slots=2, how_many=1):
    found = (f"t_coop_{i}" for i in count() if home_slot(f"t_coop_{i}", slots) == slot)
    return [next(found) for _ in range(how_many)]


@pytest.fixture
def make_pool():
    made = []

    def make(size=2, overflow=0, delay=0.0, recycle=-1):
        pool = TenantAffinePool(
            lambda: Connection(delay), pool_size=size, max_overflow=overflow, timeout=5, recycle=recycle
        )
        made.append(pool)
        return pool

    yield make
    wanted_schema.set(None)
    for pool in made:
        pool.dispose()


def checkout(pool, schema):
    wanted_schema.set(schema)
    proxy = pool.connect()
    proxy._connection_record.info.setdefault(SERVED, set()).add(schema)  # as the engine hook counts it
    return proxy


def test_threads_that_stop_waiting_for_a_home_being_opened_stay_within_the_pool(make_pool, monkeypatch):
    """A slow connect must not let waiters open connections the pool does not count."""
    monkeypatch.setattr(affinity, "HOME_WAIT", 0.05)
    pool = make_pool(size=2, overflow=0, delay=0.3)
    schemas = schemas_at(0, how_many=6)
    held, errors, most = [], [], []

    def request(schema):
        try:
            proxy = checkout(pool, schema)
            held.append(proxy)
            most.append(pool.checkedout())
            time.sleep(0.2)
            proxy.close()
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=request, args=(s,)) for s in schemas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert max(most) <= 2
    assert pool.checkedout() == 0 and pool.overflow() == 0 - 2 + pool.checkedin()
    assert len({p.dbapi_connection.number if p.dbapi_connection else None for p in held}) <= 3


def test_after_a_burst_a_tenant_reuses_an_idle_connection_instead_of_opening_one(make_pool):
    pool = make_pool(size=2, overflow=10)
    wanted_schema.set(None)
    burst = [pool.connect() for _ in range(5)]  # three overflow connections
    for proxy in reversed(burst):  # the overflow ones come back first and fill the queue
        proxy.close()
    assert pool.checkedin() == 2
    opened_before = next(Connection.opened)
    for schema in schemas_at(0, how_many=4) + schemas_at(1, how_many=4):
        checkout(pool, schema).close()
    # Both homes were filled from the two idle connections: nothing new was opened.
    assert next(Connection.opened) == opened_before + 1
    assert pool.checkedin() == 2


def test_a_full_pool_closes_the_connection_without_a_home(make_pool):
    pool = make_pool(size=2, overflow=10)
    home_0, home_1 = schemas_at(0)[0], schemas_at(1)[0]
    first, second = checkout(pool, home_0), checkout(pool, home_1)
    wanted_schema.set(None)
    extra = pool.connect()  # overflow: no slot left for it
    extra_connection = extra.dbapi_connection
    extra.close()  # back into the queue while the homes are out
    first.close()  # the queue is full now: the homeless one goes, not this home
    second.close()
    assert extra_connection.closed
    assert checkout(pool, home_0).dbapi_connection is not extra_connection


def test_a_connection_replaced_under_its_holder_is_still_known_as_held(make_pool, monkeypatch):
    """A connection replaced at checkout (recycled, or after a failed pre-ping) loses its
    info; the pool must still know its thread holds it, or a second checkout by that
    thread waits HOME_WAIT for it."""
    monkeypatch.setattr(affinity, "HOME_WAIT", 5)
    pool = make_pool(size=2, recycle=0.001)
    schema = schemas_at(0)[0]
    checkout(pool, schema).close()
    time.sleep(0.01)
    outer = checkout(pool, schema)  # its home, replaced on the way out: recycle time passed
    began = time.monotonic()
    inner = checkout(pool, schema)
    assert time.monotonic() - began < 5
    assert inner.dbapi_connection is not outer.dbapi_connection
    inner.close()
    outer.close()


def test_dispose_forgets_every_home(make_pool):
    pool = make_pool(size=2)
    schema = schemas_at(0)[0]
    checkout(pool, schema).close()
    pool.dispose()
    again = checkout(pool, schema)
    assert again.dbapi_connection is not None and pool.checkedout() == 1
    again.close()
    assert pool.checkedout() == 0
