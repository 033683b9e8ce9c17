"""WSGI entry point for gunicorn: `coopnet.wsgi:app`."""

import sys

from gunicorn.arbiter import Arbiter
from werkzeug.middleware.proxy_fix import ProxyFix

from coopnet import create_app
from coopnet.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    print(f"coopnet: {error}", file=sys.stderr, flush=True)
    # With this status gunicorn stops instead of restarting the worker for ever.
    sys.exit(Arbiter.APP_LOAD_ERROR)
# nginx in front sets X-Forwarded-For/Proto/Host (deploy/nginx.conf).
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
