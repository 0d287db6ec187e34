#!/usr/bin/env python3
"""Essaim's two commands, for a fresh machine with only Python 3.11+ and a C compiler.

    python3 dev.py demo     install everything, then run the demo federation
                            (web, worker, beat) until Ctrl-C
    python3 dev.py test     install everything, then run the whole test suite
    python3 dev.py messages extract translatable strings into locale/*/django.po
    python3 dev.py lint     ruff check and ruff format --check over the tree
    python3 dev.py install  only install

Each creates ``.venv`` and installs the project into it (again only when pyproject.toml
changed), with progress lines, and compiles the translation catalogues with Babel; the
demo also collects static files. With no ``DATABASE_URL``, an embedded PostgreSQL (from a
wheel) runs under ``.data/`` for the duration of the command; with no
``CELERY_BROKER_URL``, Celery uses a file-system broker.

``.venv`` belongs to the Python version that created it; run by another version (e.g.
``python3.13 dev.py test`` beside a 3.11 ``.venv``), dev.py uses ``.venv-3.13`` instead,
so both supported lines can be installed and tested side by side. ``ESSAIM_VENV`` names
another folder.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def _venv_folder() -> Path:
    """``.venv`` if it is missing or was made by this Python's X.Y, else ``.venv-X.Y``."""
    if os.environ.get("ESSAIM_VENV"):
        return Path(os.environ["ESSAIM_VENV"]).resolve()
    default = ROOT / ".venv"
    this = f"{sys.version_info.major}.{sys.version_info.minor}"
    config = default / "pyvenv.cfg"
    if not config.exists():
        return default
    for line in config.read_text().splitlines():
        key, _sep, value = line.partition("=")
        if key.strip() in {"version", "version_info"}:
            made_by = ".".join(value.strip().split(".")[:2])
            return default if made_by == this else ROOT / f".venv-{this}"
    return default


VENV = _venv_folder()
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
DATA = Path(os.environ.get("ESSAIM_DATA_DIR", ROOT / ".data"))


def run(*argv: str | Path, **kwargs) -> None:
    subprocess.run([str(a) for a in argv], check=True, cwd=ROOT, **kwargs)


def _count(number: int) -> str:
    return f"{number} package" + ("" if number == 1 else "s")


class PipProgress:
    """Turns pip's output into a few progress lines: where pip is (packages resolved so
    far, the wheel being built, the install phase) whenever the phase changes and at least
    every ``every`` seconds meanwhile, then how many packages it installed. ``say`` prints
    one line; ``clock`` gives seconds."""

    def __init__(self, step: str, say, clock=time.monotonic, every: float = 5.0) -> None:
        self.step, self.say, self.clock, self.every = step, say, clock, every
        self.started = self.last = clock()
        self.status = "preparing"
        self.collected = 0
        self.finished = False

    def _say(self, text: str) -> None:
        self.last = self.clock()
        self.say(f"  {self.step}: {text} ({self.clock() - self.started:.0f} s)")

    def _status(self, status: str, *, urgent: bool) -> None:
        self.status = status
        if urgent or self.clock() - self.last >= self.every:
            self._say(status)

    def line(self, text: str) -> None:
        if text.startswith("Collecting "):
            self.collected += 1
            self._status(f"{_count(self.collected)} resolved", urgent=self.collected == 1)
        elif text.startswith("Building wheel for "):
            self._status(f"building {text.split()[3]}", urgent=True)
        elif text.startswith("Installing collected packages:"):
            count = len(text.split(":", 1)[1].split(","))
            self._status(f"installing {_count(count)}", urgent=True)
        elif text.startswith("Successfully installed "):
            self.finished = True
            self._say(f"{_count(len(text.split()) - 2)} installed")

    def tick(self) -> None:
        """Called while pip prints nothing: the current phase every ``every`` seconds."""
        if self.clock() - self.last >= self.every:
            self._say(self.status)

    def end(self) -> None:
        if not self.finished:
            self._say("nothing to install")


def pip_install(step: str, *args: str) -> None:
    """``pip install ARGS`` into the venv, showing progress; its output is kept in
    ``<venv>/pip.log`` and shown whole if it fails."""
    import queue
    import threading

    log_path = VENV / "pip.log"
    progress = PipProgress(step, lambda text: print(text, flush=True))
    process = subprocess.Popen(
        [str(PY), "-m", "pip", "install", "--progress-bar", "off", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for text in process.stdout:
            lines.put(text)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    with log_path.open("a") as log:
        log.write(f"$ pip install {' '.join(args)}\n")
        while True:
            try:
                text = lines.get(timeout=1)
            except queue.Empty:
                progress.tick()
                continue
            if text is None:
                break
            log.write(text)
            progress.line(text)
    if process.wait() != 0:
        print(log_path.read_text()[-20000:], file=sys.stderr)
        sys.exit(f"pip install failed ({step}); the whole output is in {log_path}.")
    progress.end()


def install() -> None:
    """Create the virtualenv and install the project with its test dependencies."""
    # A fresh machine's python3 may be older than the project's target: say so plainly.
    if sys.version_info < (3, 11):  # noqa: UP036
        sys.exit("Essaim needs Python 3.11 or newer.")
    if not PY.exists():
        print(f"Creating {VENV.name} for Python {sys.version.split()[0]} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".essaim-installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        print(
            f"Installing dependencies into {VENV.name} (a first run takes a few minutes) ...",
            flush=True,
        )
        pip_install("pip", "--upgrade", "pip")
        pip_install("Essaim and its dependencies", ".[dev]")
        stamp.write_text(wanted)
    if any((ROOT / "locale").glob("*/LC_MESSAGES/django.po")):
        run(BIN / "pybabel", "-q", "compile", "-d", "locale", "-D", "django")
    DATA.mkdir(parents=True, exist_ok=True)


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "platform")])
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    # pgserver keeps a lock file in the runtime directory, which must be private (0700).
    runtime = DATA / "run"
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    env.setdefault("XDG_RUNTIME_DIR", str(runtime))
    return env


def start_database(env: dict[str, str]) -> subprocess.Popen | None:
    """Start the embedded PostgreSQL unless DATABASE_URL is set; returns its holder."""
    if env.get("DATABASE_URL"):
        return None
    holder = subprocess.Popen(
        [str(PY), str(ROOT / "platform" / "config" / "embedded_pg.py"), str(DATA)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    url = holder.stdout.readline().strip()
    if not url.startswith("postgresql"):
        holder.kill()
        sys.exit("The embedded PostgreSQL did not start; see .data/pg/log.")
    env["DATABASE_URL"] = url
    print(f"Embedded PostgreSQL running under {DATA / 'pg'}", flush=True)
    return holder


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def stop_database(holder: subprocess.Popen | None) -> None:
    if holder is not None:
        holder.stdin.close()
        try:
            holder.wait(timeout=30)
        except subprocess.TimeoutExpired:
            holder.kill()


def test(args: list[str]) -> int:
    install()
    env = environment()
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    holder = start_database(env)
    try:
        workers = ["-n", str(min(os.cpu_count() or 1, 4))] if (os.cpu_count() or 1) > 1 else []
        return subprocess.run(
            [str(PY), "-m", "pytest", *workers, *args], cwd=ROOT, env=env
        ).returncode
    finally:
        stop_database(holder)


def _stop_on_sigterm() -> None:
    """SIGTERM (a service manager, `kill`) stops the demo like Ctrl-C: children first."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def demo(args: list[str]) -> int:
    _stop_on_sigterm()
    install()
    env = environment()
    port = os.environ.get("PORT", "8000")
    domain = env.setdefault("PLATFORM_DOMAIN", "localhost")
    holder = start_database(env)
    processes: list[subprocess.Popen] = []
    try:
        manage = [str(PY), str(ROOT / "manage.py")]
        subprocess.run(
            [*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "seed_demo"], cwd=ROOT, env=env, check=True)
        processes.append(
            subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "-c",
                    "python:config.gunicorn_conf",
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--access-logfile",
                    "-",
                ],
                cwd=ROOT,
                env=env,
            )
        )
        processes.append(
            subprocess.Popen(
                [
                    str(BIN / "celery"),
                    "-A",
                    "config",
                    "worker",
                    "--loglevel",
                    "info",
                    "--concurrency",
                    "2",
                ],
                cwd=ROOT,
                env=env,
            )
        )
        processes.append(
            subprocess.Popen(
                [
                    str(BIN / "celery"),
                    "-A",
                    "config",
                    "beat",
                    "--loglevel",
                    "info",
                    "--schedule",
                    str(DATA / "celerybeat-schedule"),
                ],
                cwd=ROOT,
                env=env,
            )
        )
        print(
            f"\nEssaim demo running.\n"
            f"  federation (headquarters): http://{domain}:{port}/api/docs/  "
            f"admin: http://{domain}:{port}/admin/\n"
            f"  a partner:                 http://be.{domain}:{port}/api/docs/ "
            f"(be, fr, de, it, es, at, se, philadelphia, chile)\n"
            f"  logins: see the table printed by seed_demo above (password: essaim-demo)\n"
            f"  e.g. curl -H 'Host: de.{domain}' -X POST -d username=de-admin "
            f"-d password=essaim-demo http://127.0.0.1:{port}/api/v1/auth/token/\n"
            f"  send the token as: Authorization: Token <token>\n"
            f"Ctrl-C stops everything.",
            flush=True,
        )
        if "--check" in args:
            return _check(port, domain, processes)
        while all(p.poll() is None for p in processes):
            time.sleep(1)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop(processes)
        stop_database(holder)


def _check(port: str, domain: str, processes: list[subprocess.Popen]) -> int:
    """``demo --check``: wait for the web server, call a few URLs, make sure the worker and
    beat are still alive a little later, then stop."""
    import json
    import urllib.request

    def call(host: str, path: str, data: dict | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}",
            headers={"Host": host, "Content-Type": "application/json"},
            data=json.dumps(data).encode() if data is not None else None,
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    for _ in range(60):
        try:
            if call(domain, "/api/schema/")[0] == 200:
                break
        except OSError:
            time.sleep(1)
    checks = [
        call(domain, "/api/docs/")[0] == 200,
        call(
            f"be.{domain}",
            "/api/v1/auth/token/",
            {"username": "be-admin", "password": "essaim-demo"},
        )[0]
        == 200,
        call(domain, "/api/v1/auth/token/", {"username": "hq-admin", "password": "essaim-demo"})[0]
        == 200,
        call(f"nowhere.{domain}", "/api/v1/members/")[0] == 404,
    ]
    time.sleep(10)
    checks.append(all(p.poll() is None for p in processes))
    print("demo check:", "ok" if all(checks) else f"FAILED {checks}", flush=True)
    return 0 if all(checks) else 1


LANGUAGES = ["fr", "nl", "de", "it", "es", "sv"]
KEYWORDS = [
    "gettext_lazy",
    "gettext_noop",
    "ngettext_lazy:1,2",
    "pgettext:1c,2",
    "pgettext_lazy:1c,2",
]


def messages(args: list[str]) -> int:
    """Extract strings with Babel (no GNU gettext needed) and merge them into each
    language's catalogue; translators then fill the empty msgstr entries."""
    install()
    pot = ROOT / "locale" / "django.pot"
    pot.parent.mkdir(exist_ok=True)
    keywords = [arg for k in KEYWORDS for arg in ("-k", k)]
    run(
        BIN / "pybabel",
        "-q",
        "extract",
        "-F",
        "babel.cfg",
        *keywords,
        "--no-location",
        "--sort-output",
        "-o",
        pot,
        ".",
    )
    for language in LANGUAGES:
        po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
        if po.exists():
            run(
                BIN / "pybabel",
                "-q",
                "update",
                "-D",
                "django",
                "-i",
                pot,
                "-d",
                "locale",
                "-l",
                language,
                "--no-fuzzy-matching",
                "--ignore-obsolete",
            )
        else:
            run(
                BIN / "pybabel",
                "-q",
                "init",
                "-D",
                "django",
                "-i",
                pot,
                "-d",
                "locale",
                "-l",
                language,
            )
    return 0


def lint(args: list[str]) -> int:
    """``ruff check`` and ``ruff format --check`` over the tree, with the pinned ruff."""
    install()
    checked = subprocess.run([str(BIN / "ruff"), "check", ".", *args], cwd=ROOT).returncode
    formatted = subprocess.run([str(BIN / "ruff"), "format", "--check", "."], cwd=ROOT).returncode
    return checked or formatted


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test", "install", "messages", "lint"}:
        print(__doc__)
        return 2
    command, args = sys.argv[1], sys.argv[2:]
    if command == "install":
        install()
        return 0
    return {"demo": demo, "test": test, "messages": messages, "lint": lint}[command](args)


if __name__ == "__main__":
    sys.exit(main())
