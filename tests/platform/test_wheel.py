"""A wheel (not an editable checkout) carries its migrations: install it, migrate, sign a co-op up."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-3000:])
    return result.stdout


def test_a_wheel_install_migrates_and_signs_a_coop_up(app, tmp_path):
    from coopnet.extensions import db

    dist, target = tmp_path / "dist", tmp_path / "site"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)])
    wheel = next(dist.glob("coopnet-*.whl"))
    run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)])
    assert list(target.glob("coopnet/migrations/tenant/versions/*.py")), "the wheel has no tenant migrations"

    with app.app_context(), db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("DROP DATABASE IF EXISTS from_wheel")
        conn.exec_driver_sql("CREATE DATABASE from_wheel")
        url = db.engine.url.set(database="from_wheel").render_as_string(hide_password=False)
    env = dict(
        os.environ,
        PYTHONPATH=str(target),
        DATABASE_URL=url,
        REDIS_URL=app.config["REDIS_URL"],
        COOPNET_INSTANCE=str(tmp_path / "instance"),
        ARGON2_TIME_COST="1",
        ARGON2_MEMORY_COST="1024",
    )
    where = run([sys.executable, "-c", "import coopnet; print(coopnet.__file__)"], env=env, cwd=tmp_path)
    assert where.strip().startswith(str(target)), where  # the wheel, not the checkout
    # The compiled catalogues ship too: the wheel's app speaks Spanish and Russian.
    assert (target / "coopnet" / "translations" / "es" / "LC_MESSAGES" / "messages.mo").exists()
    speaks = (
        "from coopnet import create_app\n"
        "from flask_babel import gettext\n"
        "app = create_app()\n"
        "for lang in ('es', 'ru'):\n"
        "    with app.test_request_context(headers={'Accept-Language': lang}):\n"
        "        print(gettext('Log in'))\n"
    )
    assert run([sys.executable, "-c", speaks], env=env, cwd=tmp_path).split() == ["Iniciar", "sesión", "Войти"]
    coopnet = [sys.executable, "-m", "coopnet"]
    assert "shared schema at head" in run([*coopnet, "db", "upgrade"], env=env, cwd=tmp_path)
    created = run(
        [
            *coopnet,
            "tenants",
            "create",
            "quilted",
            "--name",
            "Quilted",
            "--founder-email",
            "erik@quilted.example",
            "--password",
            "solidarity-2026",
        ],
        env=env,
        cwd=tmp_path,
    )
    assert "created quilted (t_quilted)" in created
    assert "quilted" in run([*coopnet, "tenants", "list"], env=env, cwd=tmp_path)
