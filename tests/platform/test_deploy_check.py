"""`manage.py check --deploy` with the production settings reports nothing, and the
production settings really serve HTTPS only."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def deploy_check() -> list[str]:
    """The issue ids (``security.W004``…) that check --deploy reports in production."""
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        LOG_LEVEL="WARNING",
    )
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_COOKIES", "DEBUG"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert "System check identified" in output, output
    return re.findall(r"\(([a-z_]+\.[A-Z]\d+)\)", output)


def test_check_deploy_reports_no_security_issue(deploy_check):
    assert [issue for issue in deploy_check if not issue.startswith("drf_spectacular.")] == []


def test_check_deploy_reports_nothing_at_all(deploy_check):
    assert deploy_check == []


def test_production_redirects_plain_http_and_sends_hsts(db, settings):
    # Given the production HTTPS settings (read from the module, as a server reads them)
    env = dict(
        os.environ,
        SECRET_KEY=secrets.token_urlsafe(50),
        PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'platform'}",
    )
    code = (
        "import json, config.settings.production as p\n"
        "print(json.dumps([p.SECURE_SSL_REDIRECT, p.SECURE_HSTS_SECONDS,"
        " p.SECURE_HSTS_INCLUDE_SUBDOMAINS, p.SECURE_HSTS_PRELOAD, p.SECURE_PROXY_SSL_HEADER,"
        " p.SESSION_COOKIE_SECURE, p.CSRF_COOKIE_SECURE]))"
    )
    read = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert read.returncode == 0, read.stderr
    values = json.loads(read.stdout)
    (redirect, hsts, subdomains, preload, proxy_header, session_secure, csrf_secure) = values
    settings.SECURE_SSL_REDIRECT = redirect
    settings.SECURE_HSTS_SECONDS = hsts
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = subdomains
    settings.SECURE_HSTS_PRELOAD = preload
    settings.SECURE_PROXY_SSL_HEADER = tuple(proxy_header)
    from django.test import Client

    client = Client()

    # When a client calls over plain HTTP, then through the TLS proxy
    plain = client.get("/api/schema/", HTTP_HOST="localhost")
    proxied = client.get("/api/schema/", HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")

    # Then plain HTTP is sent to HTTPS, and HTTPS answers with a year of HSTS on subdomains
    assert plain.status_code == 301
    assert plain["Location"] == "https://localhost/api/schema/"
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert (session_secure, csrf_secure) == (True, True)
