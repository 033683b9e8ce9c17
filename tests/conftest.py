"""Fixtures: app (real embedded PostgreSQL and Redis) -> db -> tenant -> client -> factories."""

import itertools
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from coopnet import create_app
from coopnet.database import unbind_tenant
from coopnet.extensions import db as _db
from coopnet.platform.migrate import upgrade_shared
from coopnet.platform.tenants import signup

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(instance),
            # Never a developer's or CI's own database: tests drop schemas.
            "DATABASE_URL": None,
            "REDIS_URL": None,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 1024,
        }
    )
    with app.app_context():
        upgrade_shared(_db.engine)
    yield app
    from coopnet.embedded import stop_postgres, stop_redis

    with app.app_context():
        _db.engine.dispose()
    stop_redis(app.instance_path)
    stop_postgres(app.instance_path)


@pytest.fixture
def db(app):
    """The database, emptied after the test. Requests in tests get their own app
    context (as in production), so this fixture does not hold one open."""
    yield _db
    with app.app_context():
        with _db.engine.connect() as conn:
            schemas = [
                r[0] for r in conn.exec_driver_sql("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", ("t\\_%",))
            ]
        # A schema a transaction: dropping dozens at once takes a lock on every table and
        # index in them, more than max_locks_per_transaction allows.
        for schema in schemas:
            with _db.engine.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        with _db.engine.begin() as conn:
            tables = [
                r[0]
                for r in conn.exec_driver_sql(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                )
            ]
            if tables:
                conn.execute(
                    text(f"TRUNCATE {', '.join(chr(34) + t + chr(34) for t in tables)} RESTART IDENTITY CASCADE")
                )
        from coopnet.worker.queues import redis_connection

        redis_connection(app).flushdb()


@pytest.fixture
def engine(app, db):
    with app.app_context():
        return _db.engine


@pytest.fixture
def ctx(app, db):
    """An app context for calling services directly (not for test-client requests)."""
    with app.app_context():
        yield
        _db.session.rollback()
        unbind_tenant(_db.session)


@pytest.fixture
def hasher(app):
    return app.extensions["coopnet.hasher"]


def unique(prefix):
    return f"{prefix}{next(_counter)}"


def plain(obj, *names):
    return SimpleNamespace(**{name: getattr(obj, name) for name in names})


@pytest.fixture
def make_tenant(app, db, hasher):
    """make_tenant("quilted") -> (tenant, admin) made by the real signup service."""

    def make(slug=None, name=None, admin_email=None, kind="coop"):
        slug = slug or unique("coop")
        with app.app_context():
            tenant, account = signup(
                _db.session,
                hasher,
                name or slug.title(),
                slug,
                founder={
                    "name": f"Admin of {slug}",
                    "email": admin_email or f"admin@{slug}.example",
                    "password": PASSWORD,
                },
                kind=kind,
                founder_verified=True,
            )
            return plain(tenant, "id", "slug", "name", "schema", "kind"), plain(account, "id", "email", "name")

    return make


@pytest.fixture
def make_account(app, db, hasher):
    from coopnet.platform.accounts import create_account

    def make(email=None, name="Member", password=PASSWORD, verified=True):
        with app.app_context():
            email = email or f"{unique('person')}@example.org"
            account = create_account(_db.session, hasher, name, email, password, verified=verified)
            _db.session.commit()
            return plain(account, "id", "email", "name")

    return make


@pytest.fixture
def add_member(app, db):
    from coopnet.platform.models import Account, Tenant
    from coopnet.platform.tenants import add_member as add

    def make(tenant, account, role="member"):
        with app.app_context():
            add(_db.session, _db.session.get(Tenant, tenant.id), _db.session.get(Account, account.id), role)
            _db.session.commit()

    return make


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def login(client):
    def do(email, password=PASSWORD, who=None):
        response = (who or client).post("/api/v1/session", json={"email": email, "password": password})
        assert response.status_code == 200, response.get_json()
        return response

    return do


def csrf_token(client, url):
    page = client.get(url)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)) or re.search(
        r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)
    )
    assert match, f"no CSRF token on {url} ({page.status_code})"
    return match.group(1)


def run_jobs(app):
    """Drain the queues with a real RQ worker on the real Redis (jobs queued for a time already past included)."""
    from rq import SimpleWorker

    from coopnet.worker.queues import get_queue, redis_connection

    with app.app_context():
        queues = [get_queue(name, app) for name in app.config["RQ_QUEUES"]]
        SimpleWorker(queues, connection=redis_connection(app)).work(burst=True, with_scheduler=True)


def counts(engine):
    """Rows and schemas that signup would leave behind."""
    with engine.connect() as conn:
        return {
            "tenants": conn.exec_driver_sql("SELECT count(*) FROM tenants").scalar(),
            "accounts": conn.exec_driver_sql("SELECT count(*) FROM accounts").scalar(),
            "memberships": conn.exec_driver_sql("SELECT count(*) FROM memberships").scalar(),
            "schemas": conn.exec_driver_sql(
                "SELECT count(*) FROM pg_namespace WHERE nspname LIKE %s", ("t\\_%",)
            ).scalar(),
        }


def platform_mail(engine, to=None):
    """Mail the platform wrote (to one address), oldest first, as dicts."""
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT to_address, subject, body, status FROM platform_mail ORDER BY id"
        ).mappings()
        return [dict(row) for row in rows if to is None or row["to_address"] == to]


def link_token(body, path):
    """The token of the first link to ``path``/<token> in a mail body."""
    match = re.search(re.escape(path) + r"/([A-Za-z0-9_.-]+)", body)
    assert match, f"no {path} link in {body!r}"
    return match.group(1)


def sign_up(client, engine, body):
    """Sign up through the API and follow the mailed link, as a founder would."""
    requested = client.post("/api/v1/signup", json=body)
    assert requested.status_code == 202, requested.get_json()
    token = link_token(platform_mail(engine, body["founder"]["email"].lower())[-1]["body"], "/signup/confirm")
    return client.post("/api/v1/signup/confirm", json={"token": token})
