"""Settings from the environment, with embedded PostgreSQL and Redis as the defaults."""

import math
import os
import re
import string
from datetime import timedelta

DEV_SECRET_KEY = "dev-only-not-secret"
# Keys that were ever written in this repository: anyone can read them, so
# anyone could sign a session cookie for any account with them.
PUBLISHED_SECRET_KEYS = frozenset({DEV_SECRET_KEY, "change-me-to-48-random-characters"})
# Four x's, not three: one random urlsafe key in a few hundred holds "xxx" by chance.
PLACEHOLDER_WORDS = re.compile(r"change.?me|example|secret|placeholder|xxxx|password|default|dummy|sample", re.I)
MIN_SECRET_KEY_BITS = 256
MIN_SECRET_KEY_DISTINCT_CHARACTERS = 12
GENERATE_SECRET_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"


class ConfigError(RuntimeError):
    """A setting is missing or unsafe; start-up stops with this message."""


def load_config(env=None, **overrides):
    env = os.environ if env is None else env
    production = env.get("COOPNET_ENV", "development") == "production"
    config = {
        "ENV_NAME": "production" if production else "development",
        "SECRET_KEY": env.get("SECRET_KEY") or (None if production else DEV_SECRET_KEY),
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
        "DB_POOL_RECYCLE": _count(env, "DB_POOL_RECYCLE", 1800),
        "DB_POOL_SIZE": _count(env, "DB_POOL_SIZE", 5),
        # ...and replace a connection once it has served this many tenants.
        "DB_TENANTS_PER_CONNECTION": _count(env, "DB_TENANTS_PER_CONNECTION", 200),
        # Empty tenant schemas kept ready at the head: signup renames one instead of
        # running the tenant DDL; the periodic refill and `db upgrade` keep this many.
        "TENANT_SPARE_SCHEMAS": _count(env, "TENANT_SPARE_SCHEMAS", 3),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Every request body; uploads are the largest thing anyone sends.
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        # JSON bodies are parsed whole into memory, so they get a much smaller limit.
        "MAX_JSON_LENGTH": 1024 * 1024,
        # No cookie is accepted longer than this after log-in, however busy it is
        # (and it is how long an ended session must be remembered).
        "PERMANENT_SESSION_LIFETIME": timedelta(days=14),
        # Session cookies are browser-session cookies (not permanent): closing the
        # browser ends them. A session left alone for a working day ends too, so a
        # cookie left on a shared computer or copied from a laptop is worth a few
        # hours, not two weeks; someone away at lunch or in a meeting stays in.
        "SESSION_IDLE_TIMEOUT": timedelta(hours=8),
        "SESSION_REFRESH_EACH_REQUEST": True,
        "WTF_CSRF_TIME_LIMIT": 3600 * 8,
        "INVITATION_TTL": timedelta(days=int(env.get("INVITATION_TTL_DAYS", "7"))),
        # Invitations carry a co-op's and a person's name to any address: a co-op may
        # send so many an hour, a co-op in its first week so many a day, and one
        # account so many an hour across all its co-ops.
        "INVITATIONS_PER_COOP_HOUR": int(env.get("INVITATIONS_PER_COOP_HOUR", "20")),
        "YOUNG_COOP_INVITATIONS_PER_DAY": int(env.get("YOUNG_COOP_INVITATIONS_PER_DAY", "10")),
        "INVITATIONS_PER_ACCOUNT_LIMIT": env.get("INVITATIONS_PER_ACCOUNT_LIMIT", "30 per hour"),
        # argon2id cost; tests lower it, production keeps the library defaults.
        "ARGON2_TIME_COST": int(env.get("ARGON2_TIME_COST", "3")),
        "ARGON2_MEMORY_COST": int(env.get("ARGON2_MEMORY_COST", "65536")),
        "LOGIN_ACCOUNT_LIMIT": env.get("LOGIN_ACCOUNT_LIMIT", "5 per 15 minutes"),
        "LOGIN_ADDRESS_LIMIT": env.get("LOGIN_ADDRESS_LIMIT", "30 per 15 minutes"),
        "SIGNUP_ADDRESS_LIMIT": env.get("SIGNUP_ADDRESS_LIMIT", "10 per day"),
        # Each signup mails the founder's address: a stranger may not flood one inbox.
        "SIGNUP_EMAIL_LIMIT": env.get("SIGNUP_EMAIL_LIMIT", "3 per day"),
        # Password-reset and sign-in links asked for: per client address, and per address mailed.
        "ACCOUNT_LINK_ADDRESS_LIMIT": env.get("ACCOUNT_LINK_ADDRESS_LIMIT", "20 per hour"),
        "ACCOUNT_LINK_EMAIL_LIMIT": env.get("ACCOUNT_LINK_EMAIL_LIMIT", "5 per hour"),
        # Wrong two-factor codes after a right password, per account.
        "TWO_FACTOR_LIMIT": env.get("TWO_FACTOR_LIMIT", "5 per 15 minutes"),
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
    check_counts(config)
    if config["ENV_NAME"] == "production":
        check_production(config)
    return config


# Settings that count something, and the least each may be (a pool recycle of -1 is
# SQLAlchemy's "never"). A value out of range once slipped through to the code that used it.
COUNTS = {"DB_POOL_SIZE": 1, "DB_TENANTS_PER_CONNECTION": 1, "TENANT_SPARE_SCHEMAS": 0, "DB_POOL_RECYCLE": -1}


def _count(env, name, default):
    """A whole number from the environment, or a ConfigError that names the setting."""
    try:
        return int(env.get(name, default))
    except ValueError:
        raise ConfigError(f"{name} must be a whole number; it is {env[name]!r}.") from None


def check_counts(config):
    """Counts from the environment or from create_app's overrides, checked the same way."""
    for name, least in COUNTS.items():
        value = config[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise ConfigError(f"{name} must be a whole number, {least} or more; it is {value!r}.")


def check_production(config):
    problem = secret_key_problem(config.get("SECRET_KEY"))
    if problem:
        raise ConfigError(
            f"SECRET_KEY {problem}; COOPNET_ENV=production needs at least 32 random bytes "
            f"(generate one with: {GENERATE_SECRET_KEY})."
        )


def secret_key_problem(key):
    """Why ``key`` cannot sign production cookies, or None."""
    if not key:
        return "is not set"
    if key in PUBLISHED_SECRET_KEYS:
        return "is a value published in the coopnet repository"
    if PLACEHOLDER_WORDS.search(key):
        return "looks like a placeholder"
    if len(set(key)) < MIN_SECRET_KEY_DISTINCT_CHARACTERS or estimated_bits(key) < MIN_SECRET_KEY_BITS:
        return "is too short or too regular to be random"
    return None


def estimated_bits(key):
    """Entropy of ``key`` if it were random over the smallest usual alphabet it fits:
    hex (4 bits a character), base64 (6) or printable ASCII (about 6.6)."""
    characters = set(key)
    if characters <= set(string.hexdigits.lower()) or characters <= set(string.hexdigits.upper()):
        alphabet = 16
    elif characters <= set(string.ascii_letters + string.digits + "-_+/="):
        alphabet = 64
    else:
        alphabet = 95
    return len(key) * math.log2(alphabet)
