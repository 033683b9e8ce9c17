"""gunicorn settings for coopnet's web processes: `gunicorn -c deploy/gunicorn.conf.py`."""

import multiprocessing
import os

wsgi_app = "coopnet.wsgi:app"
bind = os.environ.get("COOPNET_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("COOPNET_THREADS", "4"))
timeout = 30
graceful_timeout = 30
keepalive = 5
max_requests = 5000  # recycle workers now and then (and their DB connections)
max_requests_jitter = 500
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# Each worker builds its own app (and its own connection pool) after the fork.
preload_app = False


def on_starting(server):
    """Check the settings once, in the master: a bad SECRET_KEY is one line and no worker starts."""
    import sys

    from coopnet.config import ConfigError, load_config

    try:
        config = load_config()
    except ConfigError as error:
        print(f"coopnet: {error}", file=sys.stderr, flush=True)
        sys.exit(2)
    _start_embedded_servers(config)


def _start_embedded_servers(config):
    """Without DATABASE_URL or REDIS_URL (a laptop, a trial), the master starts the
    embedded servers and hands their addresses to every worker, so no worker owns
    them and a recycled worker never stops them under the others; they stop with
    the master."""
    from coopnet import embedded

    instance = os.path.abspath(os.environ.get("COOPNET_INSTANCE") or "instance")
    if not config["DATABASE_URL"]:
        os.environ["DATABASE_URL"] = embedded.postgres_url(instance)
    if not config["REDIS_URL"]:
        os.environ["REDIS_URL"] = embedded.redis_url(instance)
