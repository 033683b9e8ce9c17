"""Export one tenant schema to a self-contained file and import it under a new slug."""
import base64
import gzip
import json

from sqlalchemy import select

from coopnet.errors import Conflict, ValidationFailed
from coopnet.platform.accounts import find_account
from coopnet.platform.migrate import tenant_script, tenant_versions, upgrade_tenant
from coopnet.platform.models import Account, Membership, Tenant
from coopnet.platform.provisioning import quote_schema
from coopnet.platform.tenants import get_tenant, require_tenant, slug_problem
from coopnet.platform.tenancy import schema_for

FORMAT = "coopnet-tenant-export"


def _tables_in_order(connection, schema):
    from coopnet.tenants.registry import tenant_metadata

    known = [t.name for t in tenant_metadata.sorted_tables]
    present = {r[0] for r in connection.exec_driver_sql(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = %s AND table_type = 'BASE TABLE'", (schema,)
    )}
    present.discard("alembic_version")
    # Tables a newer or older revision has that the models do not know go last.
    return [t for t in known if t in present] + sorted(present - set(known))


def export_tenant(session, slug):
    """A dict (gzip+JSON when written) holding the schema's rows in COPY format,
    its migration revision, and the co-op's members by email."""
    tenant = require_tenant(session, slug)
    connection = session.connection()
    schema = tenant.schema
    version = tenant_versions(connection, [schema])[schema]
    tables = {}
    cursor = connection.connection.dbapi_connection.cursor()
    for table in _tables_in_order(connection, schema):
        chunks = []
        with cursor.copy(f"COPY {quote_schema(schema)}.\"{table}\" TO STDOUT") as copy:
            for chunk in copy:
                chunks.append(bytes(chunk))
        tables[table] = base64.b64encode(b"".join(chunks)).decode()
    members = session.execute(
        select(Account.email, Membership.role).join(Membership, Membership.account_id == Account.id)
        .where(Membership.tenant_id == tenant.id).order_by(Account.email)
    ).all()
    return {
        "format": FORMAT,
        "format_version": 1,
        "tenant": {"slug": tenant.slug, "name": tenant.name},
        "revision": version,
        "tables": tables,
        "members": [{"email": email, "role": role} for email, role in members],
    }


def write_export(data, path):
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(data, fh)


def read_export(path):
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        raise ValidationFailed(f"{path} is not a coopnet tenant export: {exc}")
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationFailed(f"{path} is not a coopnet tenant export.")
    revisions = {r.revision for r in tenant_script().walk_revisions()}
    if data.get("revision") not in revisions:
        raise ValidationFailed(
            f"{path} was exported at tenant revision {data.get('revision')!r}, which this version of "
            "coopnet does not know; import it with the version that exported it, or a newer one."
        )
    return data


def import_tenant(session, data, slug, name=None):
    """Restore an export as a new tenant ``slug`` in one transaction: build the schema
    with the tenant migrations up to the export's revision, load the rows, migrate
    to head, and re-link members whose accounts exist here."""
    if problem := slug_problem(slug):
        raise ValidationFailed(problem, {"slug": problem})
    if get_tenant(session, slug) is not None:
        raise Conflict(f"'{slug}' is taken.", {"slug": f"'{slug}' is taken."})
    schema = schema_for(slug)
    connection = session.connection()
    tenant = Tenant(slug=slug, name=name or data["tenant"]["name"])
    session.add(tenant)
    session.flush()
    connection.exec_driver_sql(f"CREATE SCHEMA {quote_schema(schema)}")
    upgrade_tenant(connection, schema, target=data["revision"])
    cursor = connection.connection.dbapi_connection.cursor()
    for table, payload in data["tables"].items():
        with cursor.copy(f"COPY {quote_schema(schema)}.\"{table}\" FROM STDIN") as copy:
            copy.write(base64.b64decode(payload))
    _reset_identities(connection, schema)
    upgrade_tenant(connection, schema)
    relinked = 0
    for member in data.get("members", []):
        account = find_account(session, member["email"])
        if account is not None:
            session.add(Membership(tenant_id=tenant.id, account_id=account.id, role=member["role"]))
            relinked += 1
    session.commit()
    return tenant, relinked


def _reset_identities(connection, schema):
    rows = connection.exec_driver_sql(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = %s AND is_identity = 'YES'", (schema,)
    ).all()
    for table, column in rows:
        qualified = f'{quote_schema(schema)}."{table}"'
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{qualified}', '{column}'), "
            f"COALESCE((SELECT MAX(\"{column}\") FROM {qualified}), 0) + 1, false)"
        )
