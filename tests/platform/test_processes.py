"""The real processes: a Celery worker started from the command line (where the standard
library's `platform` must still be the one imported), the embedded PostgreSQL started and
stopped cleanly, and API docs that load nothing from a CDN."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def test_a_command_line_worker_runs_tasks_with_the_standard_platform_module(
    tmp_path, django_db_setup
):
    from django.db import connection

    from common.db import database_url

    (tmp_path / "results").mkdir()
    env = dict(
        os.environ,
        PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'platform'}",
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DATABASE_URL=database_url(connection.settings_dict),
        ESSAIM_DATA_DIR=str(tmp_path),
        CELERY_BROKER_URL="filesystem://",
        CELERY_RESULT_BACKEND=f"file://{tmp_path / 'results'}",
    )
    connection.close()
    worker = subprocess.Popen(
        [
            str(VENV_BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # ESSAIM_DATA_DIR/broker/out is where the project's settings put the queue.
        probe = Celery("probe", broker="filesystem://", backend=f"file://{tmp_path / 'results'}")
        probe.conf.broker_transport_options = {
            "data_folder_in": str(tmp_path / "broker" / "out"),
            "data_folder_out": str(tmp_path / "broker" / "out"),
            "control_folder": str(tmp_path / "broker" / "control"),
        }
        (tmp_path / "broker" / "out").mkdir(parents=True, exist_ok=True)
        result = probe.send_task("partners.platform_info")
        try:
            answer = result.get(timeout=90)
        except Exception:
            answer = None
    finally:
        worker.terminate()
        output = worker.communicate(timeout=30)[0]
    assert answer is not None, output
    assert answer["system"] == __import__("platform").system(), output
    assert answer["schema"] == "public"


@pytest.mark.slow
def test_embedded_postgresql_starts_and_stops_cleanly(data_home):
    import threading

    tmp_path = data_home

    # The holder's own output goes to a file: an undrained pipe (pytest-xdist's) would
    # block it mid-start.
    with (tmp_path / "holder.log").open("w") as log:
        holder = subprocess.Popen(
            [sys.executable, str(ROOT / "platform" / "config" / "embedded_pg.py"), str(tmp_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            cwd=ROOT,
            env=dict(os.environ, XDG_RUNTIME_DIR=str(tmp_path)),
        )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(holder.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout=120)
    try:
        assert lines, "the embedded PostgreSQL did not start within 120 s"
        url = lines[0].strip()
        assert url.startswith("postgresql://")
        import psycopg

        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        holder.stdin.close()
        try:
            holder.wait(timeout=60)
        except subprocess.TimeoutExpired:
            holder.kill()
            raise
    # pg_ctl stop removes the pid file when the server is down.
    deadline = time.monotonic() + 20
    while (tmp_path / "pg" / "postmaster.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not (tmp_path / "pg" / "postmaster.pid").exists()


def test_api_docs_load_their_assets_locally(client, db):
    page = client.get("/api/docs/", HTTP_HOST="localhost")
    assert page.status_code == 200
    html = page.content.decode()
    for cdn in ("cdn", "unpkg", "jsdelivr"):
        assert cdn not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html
