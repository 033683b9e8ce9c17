"""coopnet: the platform worker co-ops, federations and membership organisations run on."""

import os

from flask import Flask, g, request, session

from coopnet import capabilities, embedded, i18n
from coopnet.api import Api, RowIdConverter
from coopnet.cli import register_commands
from coopnet.config import load_config
from coopnet.database import install_engine_hooks, prefer_connection_for
from coopnet.errors import register_error_handlers
from coopnet.extensions import babel, csrf, db, limiter, login_manager
from coopnet.inputs import limit_json_body, refuse_nul_bytes, refuse_nul_in_path
from coopnet.logs import configure_logging
from coopnet.platform import account_api, account_views, auth, jobs_api, language
from coopnet.platform import api as platform_api
from coopnet.platform import views as platform_views
from coopnet.platform.accounts import password_hasher
from coopnet.platform.context import has_role
from coopnet.platform.subdomains import SubdomainToPath


def create_app(config=None):
    """Build the app. ``config`` overrides settings read from the environment."""
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("COOPNET_INSTANCE") or None
    app = Flask(__name__, instance_path=os.path.abspath(instance_path) if instance_path else None)
    app.config.update(load_config(**(config or {})))
    configure_logging(app)
    configure_services(app)
    capabilities.load_models()
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_error_handlers(app)
    register_commands(app)
    return app


def configure_services(app):
    """DATABASE_URL and REDIS_URL, or the embedded servers in the instance folder."""
    url = app.config["DATABASE_URL"]
    app.config["DATABASE_URL"] = (
        embedded.normalise_database_url(url) if url else embedded.postgres_url(app.instance_path)
    )
    app.config["EMBEDDED_REDIS"] = not app.config["REDIS_URL"]
    app.config["REDIS_URL"] = app.config["REDIS_URL"] or embedded.redis_url(app.instance_path)
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"].update(
        pool_pre_ping=True,
        pool_recycle=app.config["DB_POOL_RECYCLE"],
        pool_size=app.config["DB_POOL_SIZE"],
        # No server-side prepared statements: each tenant's SQL names its own schema,
        # so psycopg's per-connection cache (100 statements) would churn with many
        # tenants and make pages slower the more tenants there are. Also what
        # pgbouncer in transaction mode needs.
        connect_args={"prepare_threshold": None},
    )
    redis_url = app.config["REDIS_URL"]
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI",
        redis_url.replace("unix://", "redis+unix://", 1) if redis_url.startswith("unix://") else redis_url,
    )
    domain = app.config.get("PLATFORM_DOMAIN")
    if domain:
        # Flask defines these keys (as None), so setdefault would never set them. The
        # cookie is the apex's and every co-op's: log in once, at either.
        app.config["SESSION_COOKIE_DOMAIN"] = app.config.get("SESSION_COOKIE_DOMAIN") or domain
        app.config["REMEMBER_COOKIE_DOMAIN"] = app.config.get("REMEMBER_COOKIE_DOMAIN") or domain
        # Any other Host is refused (400) there: nothing is built from an attacker's Host.
        app.wsgi_app = SubdomainToPath(app.wsgi_app, domain, app.config["BASE_URL"])


def register_extensions(app):
    db.init_app(app)
    with app.app_context():
        install_engine_hooks(db.engine, app.config["DB_TENANTS_PER_CONNECTION"])  # connects lazily
    app.teardown_appcontext(lambda error: prefer_connection_for(None))  # the next request names its own
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    auth.configure(login_manager)
    babel.init_app(app, default_locale=i18n.DEFAULT_LOCALE, locale_selector=i18n.select_locale)
    i18n.register(app)
    app.extensions["coopnet.hasher"] = password_hasher(app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"])
    app.url_map.converters["id"] = RowIdConverter
    app.extensions["coopnet.api"] = api = Api(app)
    api.register_converter(RowIdConverter, lambda converter: {"type": "integer", "format": "int64", "minimum": 1})


def register_blueprints(app):
    """The platform's own blueprints, then each capability's pages and API."""
    api = app.extensions["coopnet.api"]
    app.register_blueprint(platform_views.blueprint)
    app.register_blueprint(language.blueprint)
    app.register_blueprint(account_views.blueprint)
    app.register_blueprint(account_views.coop_blueprint)
    api_blueprints = [
        platform_api.blueprint,
        account_api.blueprint,
        account_api.coop_blueprint,
        jobs_api.blueprint,
        language.api,
    ]
    for capability in capabilities.capabilities():
        pages = capability.attribute("views", "blueprint")
        if pages is not None:
            app.register_blueprint(pages)
        for name in ("blueprint", "platform_blueprint"):
            json_api = capability.attribute("api", name)
            if json_api is not None:
                api_blueprints.append(json_api)
    capabilities.load_jobs()
    for blueprint in api_blueprints:
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)


def register_request_hooks(app):
    app.url_value_preprocessor(refuse_nul_in_path)
    app.before_request(limit_json_body)
    app.before_request(refuse_nul_bytes)

    def tenant_navigation():
        tenant = g.get("tenant")
        return capabilities.navigation(tenant.kind, has_role) if tenant is not None else []

    @app.context_processor
    def template_globals():
        return {
            "current_tenant": g.get("tenant"),
            "current_membership": g.get("membership"),
            "has_role": has_role,
            "tenant_navigation": tenant_navigation,
        }

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
        if request.endpoint != "static" and ("_user_id" in session or request.authorization):
            # What a logged-in person sees (a new token's secret, their co-ops) stays out of
            # shared caches and the browser's back-button cache.
            response.headers["Cache-Control"] = "no-store"
        return response
