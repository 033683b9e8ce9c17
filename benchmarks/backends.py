"""Memory of PostgreSQL backends, read from /proc (the server runs on this machine)."""

import threading
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool


def private_mb(pid):
    """A backend's own memory: its anonymous pages (palloc'd memory: caches, plans, work
    memory). Not "Private_*", which also counts pages of shared buffers that no other
    process has touched yet."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0
    return sum(int(ln.split()[1]) for ln in rollup.splitlines() if ln.startswith("Anonymous:")) / 1024


class BackendMemory:
    """Largest private memory seen in any client backend but ``own_pid``, sampled in a thread."""

    def __init__(self, engine, own_pid):
        # The sampler's own connection, so no connection of the parent is in use when it forks.
        self.engine = create_engine(engine.url, poolclass=NullPool)
        self.own_pid, self.peak, self.pids = own_pid, 0.0, set()
        self._stop = threading.Event()

    def __enter__(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        with self.engine.connect() as conn:
            sampler = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            while not self._stop.wait(0.1):
                pids = conn.exec_driver_sql(
                    "SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend'"
                ).scalars()
                conn.rollback()
                for pid in pids:
                    if pid not in (sampler, self.own_pid):
                        self.pids.add(pid)
                        self.peak = max(self.peak, private_mb(pid))

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.engine.dispose()
