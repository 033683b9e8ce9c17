"""coopnet: the platform worker co-ops, federations and membership organisations run on."""
import os

from flask import Flask

from coopnet.config import load_config


def create_app(config=None):
    """Build the app. ``config`` overrides settings read from the environment."""
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("COOPNET_INSTANCE") or None
    app = Flask(__name__, instance_path=os.path.abspath(instance_path) if instance_path else None)
    app.config.update(load_config(**(config or {})))
    configure_services(app)
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    from coopnet.errors import register_error_handlers

    register_error_handlers(app)
    from coopnet.cli import register_commands

    register_commands(app)
    return app


def configure_services(app):
    """DATABASE_URL and REDIS_URL, or the embedded servers in the instance folder."""
    from coopnet import embedded

    url = app.config["DATABASE_URL"]
    app.config["DATABASE_URL"] = embedded.normalise_database_url(url) if url else embedded.postgres_url(app.instance_path)
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
    if app.config.get("PLATFORM_DOMAIN"):
        app.config.setdefault("SESSION_COOKIE_DOMAIN", "." + app.config["PLATFORM_DOMAIN"])
        from coopnet.platform.subdomains import SubdomainToPath

        app.wsgi_app = SubdomainToPath(app.wsgi_app, app.config["PLATFORM_DOMAIN"])


def register_extensions(app):
    from coopnet.api import Api
    from coopnet.extensions import csrf, db, limiter, login_manager
    from coopnet.platform.accounts import password_hasher

    db.init_app(app)
    from coopnet.platform.tenancy import install_engine_hooks

    with app.app_context():
        install_engine_hooks(db.engine, app.config["DB_TENANTS_PER_CONNECTION"])  # connects lazily
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "platform.login"
    login_manager.login_message = "Log in to see that page."
    login_manager.login_message_category = "info"
    app.extensions["coopnet.hasher"] = password_hasher(app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"])
    from coopnet.api import RowIdConverter

    app.url_map.converters["id"] = RowIdConverter
    app.extensions["coopnet.api"] = api = Api(app)
    api.register_converter(RowIdConverter, lambda converter: {"type": "integer", "format": "int64", "minimum": 1})

    from coopnet.platform import auth  # noqa: F401  (user and request loaders)


def register_blueprints(app):
    from coopnet.extensions import csrf
    from coopnet.platform import api as platform_api
    from coopnet.platform import views as platform_views
    from coopnet.tenants import api as tenant_api
    from coopnet.tenants import views as tenant_views

    api = app.extensions["coopnet.api"]
    app.register_blueprint(platform_views.blueprint)
    app.register_blueprint(tenant_views.blueprint)
    for blueprint in (platform_api.blueprint, tenant_api.blueprint):
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)


def register_request_hooks(app):
    from flask import g

    from coopnet.inputs import refuse_nul_bytes
    from coopnet.platform.context import has_role

    app.before_request(refuse_nul_bytes)

    @app.context_processor
    def template_globals():
        return {"current_tenant": g.get("tenant"), "current_membership": g.get("membership"), "has_role": has_role}

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
        return response
