"""Export one tenant schema to a self-contained file and import it under a new slug.

An export file is untrusted input: table and column names in it are checked
against the tenant schema the import builds at the export's revision, and only
ever reach SQL quoted as identifiers. The whole import is one transaction.
"""

import base64
import binascii
import gzip
import json

from psycopg import sql
from sqlalchemy import select

from coopnet.database import schema_for
from coopnet.errors import Conflict, ValidationFailed
from coopnet.platform.accounts import find_account
from coopnet.platform.migrate import tenant_script, tenant_versions, upgrade_tenant
from coopnet.platform.models import Account, Membership, Tenant
from coopnet.platform.roles import ROLES
from coopnet.platform.schemas_sql import quote_schema
from coopnet.platform.tenants import get_tenant, kind_problem, require_tenant, slug_problem

FORMAT = "coopnet-tenant-export"


def _columns(connection, schema):
    """{table: [column, ...]} of the schema's base tables, in column order."""
    rows = connection.exec_driver_sql(
        "SELECT c.table_name, c.column_name FROM information_schema.columns c "
        "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
        "WHERE c.table_schema = %s AND t.table_type = 'BASE TABLE' AND c.table_name <> 'alembic_version' "
        "ORDER BY c.table_name, c.ordinal_position",
        (schema,),
    )
    columns = {}
    for table, column in rows:
        columns.setdefault(table, []).append(column)
    return columns


def _copy(schema, table, columns, direction):
    statement = sql.SQL("COPY {}.{} ({}) " + direction).format(
        sql.Identifier(schema), sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    return statement


def export_tenant(session, slug):
    """A dict (gzip+JSON when written) holding the schema's rows in COPY format with
    their column names, its migration revision, and the co-op's members by email."""
    tenant = require_tenant(session, slug)
    connection = session.connection()
    schema = tenant.schema
    version = tenant_versions(connection, [schema])[schema]
    tables = {}
    cursor = connection.connection.dbapi_connection.cursor()
    for table, columns in _columns(connection, schema).items():
        chunks = []
        with cursor.copy(_copy(schema, table, columns, "TO STDOUT")) as copy:
            for chunk in copy:
                chunks.append(bytes(chunk))
        tables[table] = {"columns": columns, "rows": base64.b64encode(b"".join(chunks)).decode()}
    members = session.execute(
        select(Account.email, Membership.role)
        .join(Membership, Membership.account_id == Account.id)
        .where(Membership.tenant_id == tenant.id)
        .order_by(Account.email)
    ).all()
    return {
        "format": FORMAT,
        "format_version": 2,
        "tenant": {"slug": tenant.slug, "name": tenant.name, "kind": tenant.kind},
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
        raise ValidationFailed(f"{path} is not a coopnet tenant export: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationFailed(f"{path} is not a coopnet tenant export.")
    revisions = {r.revision for r in tenant_script().walk_revisions()}
    if not isinstance(data.get("revision"), str) or data["revision"] not in revisions:
        raise ValidationFailed(
            f"{path} was exported at tenant revision {data.get('revision')!r}, which this version of "
            "coopnet does not know; import it with the version that exported it, or a newer one."
        )
    return data


def _checked_tables(data, known):
    """[(table, columns, bytes)] from the file, refusing any table or column the
    schema at the export's revision does not have."""
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise ValidationFailed("The export has no table data.")
    checked = []
    for table, payload in tables.items():
        if table not in known:
            raise ValidationFailed(f"The export names a table this revision does not have: {table!r}.")
        if not isinstance(payload, dict) or not isinstance(payload.get("columns"), list):
            raise ValidationFailed(f"The data of table {table!r} is malformed.")
        columns = payload["columns"]
        unknown = [c for c in columns if c not in known[table]]
        if unknown or not columns or len(set(columns)) != len(columns):
            raise ValidationFailed(f"The export names columns table {table!r} does not have: {unknown or columns!r}.")
        try:
            rows = base64.b64decode(payload.get("rows", ""), validate=True)
        except (binascii.Error, TypeError, ValueError) as exc:
            raise ValidationFailed(f"The rows of table {table!r} are not valid base64.") from exc
        checked.append((table, columns, rows))
    return checked


def _in_dependency_order(tables):
    """Parents before children (the models' order), whatever order the file has."""
    from coopnet.database import TenantModel

    rank = {table.name: i for i, table in enumerate(TenantModel.metadata.sorted_tables)}
    return sorted(tables, key=lambda item: (rank.get(item[0], len(rank)), item[0]))


def _checked_members(data):
    members = data.get("members", [])
    if not isinstance(members, list) or not all(
        isinstance(m, dict) and isinstance(m.get("email"), str) and m.get("role") in ROLES for m in members
    ):
        raise ValidationFailed("The export's member list is malformed.")
    return members


def import_tenant(session, data, slug, name=None, relink_members=False):
    """Restore an export as a new tenant ``slug`` in one transaction: build the schema
    with the tenant migrations up to the export's revision, load the rows, migrate
    to head. Members are re-linked by email only when the operator says so
    (``relink_members``): a file must not hand anyone's account a role by itself.
    On any error nothing is left behind: no schema, no registry row."""
    if problem := slug_problem(slug):
        raise ValidationFailed(problem, {"slug": problem})
    if get_tenant(session, slug) is not None:
        raise Conflict(f"'{slug}' is taken.", {"slug": f"'{slug}' is taken."})
    members = _checked_members(data)
    info = data.get("tenant") if isinstance(data.get("tenant"), dict) else {}
    kind = info.get("kind", "coop")
    if problem := kind_problem(kind):
        raise ValidationFailed(f"The export's kind is not one this platform knows: {problem}")
    schema = schema_for(slug)
    try:
        connection = session.connection()
        tenant = Tenant(slug=slug, name=name or str(info.get("name") or slug)[:200], kind=kind)
        session.add(tenant)
        session.flush()
        connection.exec_driver_sql(f"CREATE SCHEMA {quote_schema(schema)}")
        upgrade_tenant(connection, schema, target=data["revision"])
        cursor = connection.connection.dbapi_connection.cursor()
        for table, columns, rows in _in_dependency_order(_checked_tables(data, _columns(connection, schema))):
            with cursor.copy(_copy(schema, table, columns, "FROM STDIN")) as copy:
                copy.write(rows)
        _reset_identities(connection, schema)
        upgrade_tenant(connection, schema)
        relinked = 0
        for member in members if relink_members else []:
            account = find_account(session, member["email"])
            if account is not None:
                session.add(Membership(tenant_id=tenant.id, account_id=account.id, role=member["role"]))
                relinked += 1
        session.commit()
    except Exception as exc:
        session.rollback()
        if isinstance(exc, ValidationFailed):
            raise
        raise ValidationFailed(f"The export could not be imported: {str(exc).splitlines()[0]}") from exc
    return tenant, relinked


def _reset_identities(connection, schema):
    rows = connection.exec_driver_sql(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = %s AND is_identity = 'YES'",
        (schema,),
    ).all()
    for table, column in rows:
        qualified = sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(table))
        statement = sql.SQL(
            "SELECT setval(pg_get_serial_sequence({name}, {column}), COALESCE((SELECT MAX({col}) FROM {table}), 0) + 1, false)"
        ).format(
            name=sql.Literal(qualified.as_string()),
            column=sql.Literal(column),
            col=sql.Identifier(column),
            table=qualified,
        )
        with connection.connection.dbapi_connection.cursor() as cursor:
            cursor.execute(statement)
