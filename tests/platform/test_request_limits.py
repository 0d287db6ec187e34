"""A very long query string is answered by Django with 414 in the API's error shape, also
behind gunicorn, whose own limit lets such request lines through up to 8190 bytes."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONFIG = ["-c", "python:config.gunicorn_conf"]


def test_an_over_long_query_string_gets_414_in_the_api_shape(client, partner_a, settings):
    host = f"{partner_a.slug}.{settings.PLATFORM_DOMAIN}"
    limit = settings.MAX_QUERY_STRING_BYTES

    response = client.get(f"/api/v1/clients/?search={'x' * limit}", HTTP_HOST=host)

    assert response.status_code == 414
    assert response.json() == {
        "message": f"The query string is too long: {limit + 7} bytes, at most {limit}.",
        "code": "query_string_too_long",
        "extra": {},
    }


def test_a_query_string_at_the_limit_is_served(client, partner_a, settings):
    host = f"{partner_a.slug}.{settings.PLATFORM_DOMAIN}"
    padding = "x" * (settings.MAX_QUERY_STRING_BYTES - len("search="))

    response = client.get(f"/api/v1/clients/?search={padding}", HTTP_HOST=host)

    # Not refused for its length: the API asks for a token as usual.
    assert response.status_code == 401


def test_an_over_long_query_string_outside_the_api_gets_plain_text(client, settings):
    response = client.get(f"/admin/?q={'x' * settings.MAX_QUERY_STRING_BYTES}")

    assert response.status_code == 414
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _raw_get(port: int, target: str) -> tuple[str, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(f"GET {target} HTTP/1.0\r\nHost: localhost\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _sep, body = data.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {
        name.lower(): value.strip() for name, value in (line.split(":", 1) for line in lines)
    }
    return status, headers, body


@pytest.fixture
def gunicorn(django_db_setup):
    """gunicorn as deployed (its config module), on a free port of 127.0.0.1."""
    from common.db import database_url

    port = _free_port()
    env = dict(
        os.environ,
        PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'platform'}",
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DATABASE_URL=database_url(connection.settings_dict),
        LOG_LEVEL="WARNING",
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            *GUNICORN_CONFIG,
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
def test_behind_gunicorn_a_long_query_string_reaches_django(gunicorn):
    # A 6,000-byte query string: over gunicorn's default request-line limit (4094)
    status, headers, body = _raw_get(gunicorn, f"/api/v1/clients/?search={'x' * 6000}")

    assert status.split()[1] == "414"
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["code"] == "query_string_too_long"


@pytest.mark.slow
def test_gunicorn_still_bounds_the_request_line(gunicorn):
    # Past 8190 bytes gunicorn refuses the line itself (a bound must stay).
    status, headers, _body = _raw_get(gunicorn, f"/api/v1/clients/?search={'x' * 9000}")

    assert status.split()[1] == "414"
    assert headers["content-type"] == "text/html"


def test_every_gunicorn_start_uses_the_config_module():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    dockerfile_cmd = next(
        line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD")
    )
    dev = (ROOT / "dev.py").read_text()

    assert compose["services"]["web"]["command"][:3] == ["gunicorn", *GUNICORN_CONFIG]
    assert json.loads(dockerfile_cmd[len("CMD") :])[:3] == ["gunicorn", *GUNICORN_CONFIG]
    assert '"-c",\n                    "python:config.gunicorn_conf",' in dev
