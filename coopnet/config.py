"""Settings from the environment, with embedded PostgreSQL and Redis as the defaults."""

import os
from datetime import timedelta

DEV_SECRET_KEY = "dev-only-not-secret"


class ConfigError(RuntimeError):
    """A setting is missing or unsafe; start-up stops with this message."""


def load_config(env=None, **overrides):
    env = os.environ if env is None else env
    production = env.get("COOPNET_ENV", "development") == "production"
    config = {
        "ENV_NAME": "production" if production else "development",
        "SECRET_KEY": env.get("SECRET_KEY", DEV_SECRET_KEY),
        "DATABASE_URL": env.get("DATABASE_URL") or None,
        "REDIS_URL": env.get("REDIS_URL") or None,
        "PLATFORM_DOMAIN": (env.get("PLATFORM_DOMAIN") or "").lower().strip(".") or None,
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": env.get("MAIL_USE_TLS", "") in ("1", "true", "yes"),
        "MAIL_FROM": env.get("MAIL_FROM", "coopnet <noreply@localhost>"),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        # Recycle pooled connections so PostgreSQL's per-connection catalog
        # cache (one entry per tenant table touched) cannot grow for ever.
        "DB_POOL_RECYCLE": int(env.get("DB_POOL_RECYCLE", "1800")),
        "DB_POOL_SIZE": int(env.get("DB_POOL_SIZE", "5")),
        # ...and replace a connection once it has served this many tenants.
        "DB_TENANTS_PER_CONNECTION": int(env.get("DB_TENANTS_PER_CONNECTION", "200")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": timedelta(days=14),
        "WTF_CSRF_TIME_LIMIT": 3600 * 8,
        "INVITATION_TTL": timedelta(days=int(env.get("INVITATION_TTL_DAYS", "7"))),
        # argon2id cost; tests lower it, production keeps the library defaults.
        "ARGON2_TIME_COST": int(env.get("ARGON2_TIME_COST", "3")),
        "ARGON2_MEMORY_COST": int(env.get("ARGON2_MEMORY_COST", "65536")),
        "LOGIN_ACCOUNT_LIMIT": env.get("LOGIN_ACCOUNT_LIMIT", "5 per 15 minutes"),
        "LOGIN_ADDRESS_LIMIT": env.get("LOGIN_ADDRESS_LIMIT", "30 per 15 minutes"),
        "SIGNUP_ADDRESS_LIMIT": env.get("SIGNUP_ADDRESS_LIMIT", "10 per day"),
        "RATELIMIT_KEY_PREFIX": env.get("RATELIMIT_KEY_PREFIX", "coopnet"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RQ_QUEUES": ["default"],
        "API_TITLE": "coopnet",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "API_SPEC_OPTIONS": {
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer"},
                    "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "session"},
                }
            },
            "security": [{"bearerAuth": []}, {"cookieAuth": []}],
        },
    }
    # Where people reach the app, for links made outside a request (demo data, jobs).
    domain = config["PLATFORM_DOMAIN"]
    config["BASE_URL"] = env.get("BASE_URL") or (f"https://{domain}" if domain else "http://127.0.0.1:5000")
    config.update(overrides)
    if config["ENV_NAME"] == "production":
        check_production(config)
    return config


def check_production(config):
    key = config.get("SECRET_KEY")
    if not key or key == DEV_SECRET_KEY or len(key) < 32:
        raise ConfigError(
            "SECRET_KEY must be set to a random value of at least 32 characters "
            "when COOPNET_ENV=production (try: python -c 'import secrets; "
            "print(secrets.token_urlsafe(48))')."
        )
