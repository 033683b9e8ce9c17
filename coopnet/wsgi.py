"""WSGI entry point for gunicorn: `coopnet.wsgi:app`."""

from werkzeug.middleware.proxy_fix import ProxyFix

from coopnet import create_app

app = create_app()
# nginx in front sets X-Forwarded-For/Proto/Host (deploy/nginx.conf).
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
