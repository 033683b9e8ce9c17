"""Writing new Alembic revisions from the models: `coopnet db revision`."""

import os
import uuid
from pathlib import Path

from alembic import command
from flask import current_app

from coopnet.errors import ValidationFailed
from coopnet.extensions import db
from coopnet.platform.migrate import MIGRATIONS, shared_config, tenant_version_locations, upgrade_tenant
from coopnet.platform.schemas_sql import quote_schema


def new_revision(tree: str, message: str, capability: str | None = None, version_path: str | None = None) -> str:
    """Autogenerate a revision of ``tree`` ("shared" or "tenant"); returns the file's path.

    A tenant revision is compared against a scratch schema brought to the tenant
    head inside a transaction that is rolled back, so nothing is left behind."""
    if tree == "tenant":
        version_path = version_path or _capability_folder(capability)
        return _tenant_revision(message, version_path)
    with db.engine.begin() as connection:
        cfg = shared_config(connection)
        script = command.revision(cfg, message, autogenerate=True, version_path=version_path)
    return script.path


def _capability_folder(name):
    if name is None:
        return None
    from coopnet.capabilities import capabilities

    for capability in capabilities():
        if capability.name == name:
            package = Path(current_app.root_path).parent.joinpath(*capability.package.split("."))
            folder = package / "migrations"
            folder.mkdir(exist_ok=True)
            return str(folder)
    raise ValidationFailed(f"No capability named {name!r}.")


def _tenant_revision(message, version_path):
    from alembic.config import Config

    locations = tenant_version_locations()
    if version_path is not None and str(version_path) not in locations:
        locations.append(str(version_path))
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS / "tenant"))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(locations))
    schema = f"t_zz_scratch_{uuid.uuid4().hex[:12]}"
    with db.engine.connect() as connection:
        transaction = connection.begin()
        try:
            connection.exec_driver_sql(f"CREATE SCHEMA {quote_schema(schema)}")
            upgrade_tenant(connection, schema)
            connection.exec_driver_sql(f"SET LOCAL search_path TO {quote_schema(schema)}")
            cfg.attributes.update(connection=connection, schema=schema)
            script = command.revision(cfg, message, autogenerate=True, version_path=version_path)
        finally:
            transaction.rollback()
    return script.path
