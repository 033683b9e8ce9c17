"""The web pool's tenant affinity: each tenant has a home connection.

A PostgreSQL backend meeting a tenant for the first time reads that tenant's tables,
indexes and statistics from the catalog (0.25-0.45 ms of database CPU a request,
BENCHMARKS.md issue #13) and keeps them for its lifetime; a backend that has seen the
tenant answers from its cache. So the pool's ``pool_size`` connections share the tenants
out: a tenant's home is slot ``crc32(schema) % pool_size``, each backend caches about
1/pool_size of the tenants, and a request is new to its connection about once per
connection lifetime instead of on most requests.

This module imports nothing of coopnet's; coopnet.database installs the pool.
"""

import time
import zlib
from contextvars import ContextVar
from threading import get_ident

from sqlalchemy.pool import QueuePool

SERVED = "tenant_schemas"  # key in a pooled connection's info: the schemas it has served
HOME_WAIT = 0.05  # seconds a checkout waits for its tenant's home connection to come back

# The tenant schema the next checkouts in this thread or task are for (None: any).
wanted_schema: ContextVar[str | None] = ContextVar("coopnet_wanted_schema", default=None)


def home_slot(schema: str, slots: int) -> int:
    # A stable hash (not hash(), which changes with each process): every web process
    # then splits the tenants the same way, and tests can rely on it.
    return zlib.crc32(schema.encode()) % max(slots, 1)


class TenantAffinePool(QueuePool):
    """A QueuePool whose checkout for a tenant (``wanted_schema``) takes, in this order:

    1. an idle connection that has served the tenant before;
    2. its home connection when idle; an empty home adopts an idle connection that has
       none, or a new one while the pool is below its size;
    3. after waiting up to HOME_WAIT for one of those (never for a connection its own
       thread holds), the idle connection that has served the fewest tenants, or
       whatever QueuePool gives.

    Only the pool's ``pool_size`` kept connections have homes; overflow connections
    have none, and are the ones closed when a connection comes back to a full pool.
    All bookkeeping is under the queue's mutex."""

    # Log under sqlalchemy.pool like QueuePool (quiet unless SQLAlchemy logging is on).
    _sqla_logger_namespace = "sqlalchemy.pool.impl.TenantAffinePool"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._homes = {}  # slot -> the connection record living there
        self._slot_of = {}  # and back
        self._making = set()  # slots whose connection is being opened
        self._holders = {}  # checked-out record -> the thread holding it

    @classmethod
    def replacing(cls, pool: QueuePool) -> "TenantAffinePool":
        return cls(
            pool._creator,
            pool_size=pool._pool.maxsize,
            max_overflow=pool._max_overflow,
            pre_ping=pool._pre_ping,
            use_lifo=pool._pool.use_lifo,
            timeout=pool._timeout,
            recycle=pool._recycle,
            echo=pool.echo,
            logging_name=pool._orig_logging_name,
            reset_on_return=pool._reset_on_return,
            _dispatch=pool.dispatch,
            dialect=pool._dialect,
        )

    def _do_get(self):
        schema = wanted_schema.get()
        if schema is None:
            return self._handed_out(super()._do_get())
        queue = self._pool
        home = home_slot(schema, queue.maxsize)
        give_up = time.monotonic() + HOME_WAIT
        opening = False
        with queue.mutex:
            while True:
                idle = queue.queue
                chosen = next((r for r in idle if schema in r.info.get(SERVED, ())), None)
                resident = self._homes.get(home)
                if chosen is None and resident is None:
                    chosen = next((r for r in idle if r not in self._slot_of), None)
                    if chosen is not None:
                        self._settle(chosen, home)
                    elif home not in self._making and self._overflow < 0 and self._inc_overflow():
                        self._making.add(home)
                        opening = True
                        break
                elif chosen is None and resident in idle:
                    chosen = resident
                late = time.monotonic() >= give_up or self._holders.get(resident) == get_ident()
                if chosen is None and late and idle:
                    chosen = min(idle, key=lambda r: len(r.info.get(SERVED, ())))
                if chosen is not None:
                    idle.remove(chosen)
                    queue.not_full.notify()
                    return self._handed_out(chosen)
                if late:
                    break
                # The home is busy: part of a request's time spent waiting costs less
                # than teaching another backend this tenant's catalog.
                queue.not_empty.wait(give_up - time.monotonic())
        if not opening:
            return self._handed_out(super()._do_get())
        try:
            record = self._create_connection()
        except BaseException:
            self._dec_overflow()
            with queue.mutex:
                self._making.discard(home)
            raise
        with queue.mutex:
            self._making.discard(home)
            self._settle(record, home)
        return self._handed_out(record)

    def _do_return_conn(self, record):
        queue = self._pool
        closing = None
        with queue.mutex:
            self._holders.pop(record, None)
            if queue.maxsize > 0 and len(queue.queue) >= queue.maxsize:
                # Full: close a connection without a home rather than one with.
                homeless = next((r for r in queue.queue if r not in self._slot_of), None)
                if homeless is not None and record in self._slot_of:
                    queue.queue.remove(homeless)
                    queue.queue.append(record)
                    closing = homeless
                else:
                    closing = record
                self._forget(closing)
            else:
                queue.queue.append(record)
            queue.not_empty.notify_all()  # every waiter looks: each waits for its own home
        if closing is not None:
            try:
                closing.close()
            finally:
                self._dec_overflow()

    def dispose(self):
        super().dispose()
        with self._pool.mutex:
            self._homes.clear()
            self._slot_of.clear()

    def _handed_out(self, record):
        """Note the thread holding ``record``; a kept connection without a home takes the
        first empty slot, so it becomes the home of the tenants there."""
        with self._pool.mutex:
            self._holders[record] = get_ident()
            if record not in self._slot_of:
                free = (s for s in range(self._pool.maxsize) if s not in self._homes and s not in self._making)
                slot = next(free, None)
                if slot is not None:
                    self._settle(record, slot)
        return record

    def _settle(self, record, slot):
        self._homes[slot] = record
        self._slot_of[record] = slot

    def _forget(self, record):
        slot = self._slot_of.pop(record, None)
        if slot is not None and self._homes.get(slot) is record:
            del self._homes[slot]
