"""Spare tenant schemas: made ahead at the tenant head, so signup renames one (about a
millisecond) instead of running the tenant DDL (tens to hundreds of milliseconds).

A spare is named ``t__spare_<hex>``. No slug maps to it (a slug starts with a letter
or a digit and never holds "--", so no tenant schema starts with ``t__``), so it is
never bound or served, and it is no tenant row, so nothing lists it. It holds no rows.
Its row in ``spare_schemas`` is what two signups contend for: each locks a different
one (``FOR UPDATE SKIP LOCKED``), or finds none and runs the DDL as before.

A spare is only taken at the revision the running code expects (its row says which),
so a spare made before a release is never handed out after it: ``coopnet db upgrade``
and the periodic refill drop such spares and make new ones, which costs the same DDL
as migrating them and cannot race a signup taking one mid-migration.

Who commits: take_spare runs inside the signup's transaction; keep_spares owns its
transactions, one schema each (dropping many schemas in one transaction takes more
locks than max_locks_per_transaction allows)."""

import secrets
from dataclasses import dataclass

from sqlalchemy import insert, text

from coopnet.platform.migrate import tenant_head
from coopnet.platform.models import SpareSchema
from coopnet.platform.provisioning import drop_schema, provision_schema
from coopnet.platform.schemas_sql import quote_schema

SPARE_PREFIX = "t__spare_"
# Held by whoever makes or drops spares, so two refills never overshoot the pool: the
# periodic job tries it (another upkeep at work finishes the job); `db upgrade` waits for it.
UPKEEP_LOCK = "SELECT pg_try_advisory_xact_lock(hashtext('coopnet:spare_schemas'))"
UPKEEP_LOCK_WAIT = "SELECT true FROM pg_advisory_xact_lock(hashtext('coopnet:spare_schemas'))"

_TAKE = text(
    "DELETE FROM spare_schemas WHERE name = ("
    " SELECT s.name FROM spare_schemas s"
    " WHERE s.revision = :revision AND EXISTS (SELECT FROM pg_namespace n WHERE n.nspname = s.name)"
    " ORDER BY s.created_at, s.name LIMIT 1 FOR UPDATE OF s SKIP LOCKED"
    ") RETURNING name"
)
# A spare at another revision, or whose schema is gone, or one more than the pool wants; only
# ever a name a spare is made with, so a stray row can never drop a tenant's schema.
_DROP_ONE = text(
    "DELETE FROM spare_schemas WHERE name = ("
    " SELECT s.name FROM spare_schemas s"
    " WHERE starts_with(s.name, :prefix) AND (s.revision <> :revision"
    "  OR NOT EXISTS (SELECT FROM pg_namespace n WHERE n.nspname = s.name)"
    "  OR (SELECT count(*) FROM spare_schemas r WHERE r.revision = :revision) > :size)"
    " ORDER BY s.revision = :revision, s.created_at DESC LIMIT 1 FOR UPDATE OF s SKIP LOCKED"
    ") RETURNING name"
)
_READY = text("SELECT count(*) FROM spare_schemas WHERE revision = :revision")


def take_spare(connection, schema: str) -> bool:
    """Rename a free spare at the tenant head to ``schema``, in the caller's transaction.
    False when there is none: the caller runs the DDL instead. If the transaction
    rolls back, the spare and its row are back as they were."""
    name = connection.execute(_TAKE, {"revision": tenant_head()}).scalar()
    if name is None:
        return False
    connection.exec_driver_sql(f"ALTER SCHEMA {quote_schema(name)} RENAME TO {quote_schema(schema)}")
    return True


@dataclass(frozen=True)
class Upkeep:
    dropped: int  # stale (another revision), surplus, or rows whose schema was gone
    made: int
    ready: int  # spares at the revision afterwards


def keep_spares(engine, size: int, wait: bool = False) -> Upkeep:
    """Drop spares not at the tenant head (and any beyond ``size``), then make new ones
    at the head until ``size`` are ready. Another upkeep already at work: unless ``wait``, this one
    stops where it is (that one finishes the job)."""
    revision = tenant_head()  # the revision tenant_ddl() stamps in each new spare
    dropped = made = 0
    while True:
        with engine.begin() as connection:
            if not connection.exec_driver_sql(UPKEEP_LOCK_WAIT if wait else UPKEEP_LOCK).scalar():
                break
            name = connection.execute(_DROP_ONE, {"revision": revision, "size": size, "prefix": SPARE_PREFIX}).scalar()
            if name is None:
                break
            if not name.startswith(SPARE_PREFIX):  # the query's own guard, held twice
                raise RuntimeError(f"refusing to drop {name!r}: not a spare schema")
            drop_schema(connection, name)
        dropped += 1
    while True:
        with engine.begin() as connection:
            if not connection.exec_driver_sql(UPKEEP_LOCK_WAIT if wait else UPKEEP_LOCK).scalar():
                break
            if connection.execute(_READY, {"revision": revision}).scalar() >= size:
                break
            name = SPARE_PREFIX + secrets.token_hex(8)
            provision_schema(connection, name)
            connection.execute(insert(SpareSchema).values(name=name, revision=revision))
        made += 1
    with engine.connect() as connection:
        ready = connection.execute(_READY, {"revision": revision}).scalar()
    return Upkeep(dropped, made, ready)
