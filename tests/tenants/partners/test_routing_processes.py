"""Across processes: a suspension reaches a separately running web server within seconds,
without restarting it, and a reactivation too."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _status(port: int, host: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/me/", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _wait_for(port: int, host: str, wanted: int, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            if _status(port, host) == wanted:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{host} did not answer {wanted} within {timeout}s")


@pytest.fixture
def server(django_db_blocker):
    from django.db import connection

    from common.db import database_url

    with django_db_blocker.unblock():
        url = database_url(connection.settings_dict)
    connection.close()
    port = _free_port()
    env = dict(
        os.environ,
        DATABASE_URL=url,
        TENANT_ROUTING_REFRESH_SECONDS="1",
        DJANGO_SETTINGS_MODULE="config.settings.base",
    )
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--nothreading",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_suspension_reaches_a_running_server_within_seconds(
    committed_partner, server, django_db_blocker
):
    from tenants.partners.services import partner_reactivate, partner_suspend

    partner = committed_partner(country="AT")
    host = f"{partner.slug}.localhost"
    _wait_for(server, host, 401, timeout=30)  # served: asks for credentials

    with django_db_blocker.unblock():
        partner_suspend(partner=partner, reason="Test")
    assert _wait_for(server, host, 403, timeout=5) < 5

    with django_db_blocker.unblock():
        partner_reactivate(partner=partner, reason="Test")
    assert _wait_for(server, host, 401, timeout=5) < 5
