"""Tenant schema names as SQL: checked before they are ever spliced into a statement."""

import re

SCHEMA_RE = re.compile(r"t_[a-z0-9_]{1,60}")


def quote_schema(schema: str) -> str:
    # Schema names come from validated slugs; check again before splicing into DDL.
    if not SCHEMA_RE.fullmatch(schema):
        raise ValueError(f"not a tenant schema name: {schema!r}")
    return f'"{schema}"'
