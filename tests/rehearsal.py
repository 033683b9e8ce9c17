"""A copy of the tenant migration tree with one new revision (a column and an index),
for rehearsing `db upgrade` in tests and in the benchmarks."""

import shutil
import textwrap
from pathlib import Path

from coopnet.platform.migrate import tenant_head, tenant_script, tenant_version_locations

NEW_REVISION = "9999"
# What the revision does, as SQL: the peer benchmark's Django migration runs this.
PRIORITY_SQL = (
    "ALTER TABLE outbox_messages ADD COLUMN priority INTEGER",
    "CREATE INDEX ix_outbox_messages_priority ON outbox_messages (priority)",
)


def write_priority_revision(versions):
    """Write revision 9999 (outbox_messages.priority and its index) into the folder ``versions``."""
    (versions / f"{NEW_REVISION}_priority.py").write_text(
        textwrap.dedent(f'''
        from alembic import op
        import sqlalchemy as sa

        revision = "{NEW_REVISION}"
        down_revision = "{tenant_head()}"
        branch_labels = None
        depends_on = None

        def upgrade():
            op.add_column("outbox_messages", sa.Column("priority", sa.Integer(), nullable=True))
            op.create_index("ix_outbox_messages_priority", "outbox_messages", ["priority"])
    ''')
    )


def tree_with_priority_column(location):
    """Copy the tenant tree to ``location`` and add revision 9999 adding
    outbox_messages.priority with its index. Returns the ScriptDirectory."""
    shutil.rmtree(location, ignore_errors=True)
    shutil.copytree(tenant_script().dir, location)
    # Capabilities keep their revisions in their own folders: one folder in the copy.
    for folder in tenant_version_locations()[1:]:
        for revision in Path(folder).glob("*.py"):
            shutil.copy(revision, location / "versions" / revision.name)
    write_priority_revision(location / "versions")
    return tenant_script(str(location))
