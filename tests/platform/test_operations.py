"""Running it as an operator would: an unmigrated database, logging, embedded servers, migrations."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

from coopnet import create_app
from coopnet.logs import ContextFilter
from coopnet.platform.migrate import shared_config, tenant_script

ROOT = Path(__file__).resolve().parents[2]


def test_a_database_never_migrated_answers_503_and_logs_what_to_run(app, caplog, monkeypatch):
    from sqlalchemy import create_engine

    from coopnet import errors

    monkeypatch.setattr(errors, "_told_to_migrate", False)

    with app.app_context():
        from coopnet.extensions import db

        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("DROP DATABASE IF EXISTS never_migrated")
            conn.exec_driver_sql("CREATE DATABASE never_migrated")
        url = db.engine.url.set(database="never_migrated")
    fresh = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": app.instance_path,
            "DATABASE_URL": url.render_as_string(hide_password=False),
            "REDIS_URL": app.config["REDIS_URL"],
        }
    )
    client = fresh.test_client()
    with caplog.at_level(logging.ERROR):
        page = client.get("/c/quilted/")
        api = client.post("/api/v1/session", json={"email": "a@b.org", "password": "x" * 12})
    assert page.status_code == 503 and "not ready" in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)
    assert api.status_code == 503 and api.get_json()["error"]["code"] == "not_migrated"
    assert any("coopnet db upgrade" in r.getMessage() for r in caplog.records)
    with fresh.app_context():
        from coopnet.extensions import db

        db.engine.dispose()
    create_engine(url).dispose()


def test_a_tenant_schema_missing_a_table_is_a_500_not_a_misleading_503(app, client, login, make_tenant, engine):
    _, admin = make_tenant("quilted")
    login(admin.email)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE t_quilted.outbox_messages")
    response = client.get("/c/quilted/api/v1/outbox")
    assert response.status_code == 500 and response.get_json()["error"]["code"] == "internal_error"


def test_log_records_carry_request_tenant_and_account(app, client, login, make_tenant):
    _, admin = make_tenant("quilted")
    login(admin.email)
    with app.test_request_context("/c/quilted/"):
        from flask import g

        g.request_id, g.tenant = "abc123", type("T", (), {"slug": "quilted"})()
        record = logging.LogRecord("coopnet", logging.INFO, __file__, 1, "hello", (), None)
        ContextFilter().filter(record)
        seen = {k: getattr(record, k) for k in ("request_id", "tenant", "account_id", "job_id")}
    assert seen == {"request_id": "abc123", "tenant": "quilted", "account_id": "-", "job_id": "-"}
    response = client.get("/c/quilted/api/v1/", headers={"X-Request-ID": "trace0001"})
    assert response.headers["X-Request-ID"] == "trace0001"
    assert len(client.get("/c/quilted/api/v1/").headers["X-Request-ID"]) == 32


def test_production_logs_are_json_lines(tmp_path):
    script = (
        "import logging, os;"
        "from coopnet import create_app;"
        "app = create_app({'ENV_NAME': 'production', 'SECRET_KEY': os.urandom(32).hex(),"
        " 'DATABASE_URL': 'postgresql://nobody@127.0.0.1:1/none', 'REDIS_URL': 'redis://127.0.0.1:1/0'});"
        "logging.getLogger('coopnet').warning('started')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        env=dict(os.environ, COOPNET_ENV="development"),
    )
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "started" and line["level"] == "WARNING" and line["request_id"] == "-"


def live(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def test_no_embedded_server_survives_the_process_that_started_it(tmp_path):
    instance = tmp_path / "instance"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(COOPNET_INSTANCE=str(instance), ARGON2_TIME_COST="1", ARGON2_MEMORY_COST="1024")
    result = subprocess.run(
        [sys.executable, "-m", "coopnet", "worker", "--burst"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    redis_pid = (
        int(next(instance.rglob("redis.pid")).read_text().strip()) if list(instance.rglob("redis.pid")) else None
    )
    pg_pid_file = instance / "pgdata" / "postmaster.pid"
    pg_pid = int(pg_pid_file.read_text().splitlines()[0]) if pg_pid_file.exists() else None
    assert redis_pid is None or not live(redis_pid), "embedded Redis still running"
    assert pg_pid is None or not live(pg_pid), "embedded PostgreSQL still running"
    settings = list(instance.glob("redis.db.settings"))
    assert settings, "the worker did start an embedded Redis"


def test_each_migration_tree_has_a_single_head():
    from alembic.script import ScriptDirectory

    assert len(ScriptDirectory.from_config(shared_config()).get_heads()) == 1
    assert len(tenant_script().get_heads()) == 1


def test_db_revision_autogenerates_a_tenant_revision_against_a_scratch_schema(app, engine, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["db", "revision", "--tenant", "-m", "nothing changed", "--version-path", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    written = list(tmp_path.glob("*.py"))
    assert len(written) == 1
    text = written[0].read_text()
    assert f"down_revision = '{tenant_script().get_current_head()}'" in text or (
        f'down_revision = "{tenant_script().get_current_head()}"' in text
    )
    assert "op.create_table" not in text and "op.drop_table" not in text  # the models equal the tree
    with engine.connect() as conn:
        left = conn.exec_driver_sql("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 't_zz_scratch%%'").scalar()
    assert left == 0
