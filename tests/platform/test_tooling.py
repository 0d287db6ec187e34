"""Tooling: one ruff version everywhere (pyproject's pin, the pre-commit hooks, the
installed one), CI lints before it tests, and dev.py's install is never silent."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _dev():
    spec = importlib.util.spec_from_file_location("essaim_dev", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ruff_is_pinned_to_one_version_everywhere():
    pyproject = (ROOT / "pyproject.toml").read_text()
    pins = re.findall(r'"ruff==([0-9.]+)"', pyproject)
    hooks = re.findall(r'"ruff==([0-9.]+)"', (ROOT / ".pre-commit-config.yaml").read_text())
    installed = subprocess.run(
        [str(Path(sys.executable).parent / "ruff"), "--version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[1]
    assert len(pins) == 1
    assert set(hooks) == {pins[0]}
    assert installed == pins[0]


def test_pre_commit_runs_ruff_check_and_format():
    config = (ROOT / ".pre-commit-config.yaml").read_text()
    assert re.search(r"entry: ruff check\b", config)
    assert re.search(r"entry: ruff format\b", config)


def test_ci_lints_before_it_tests():
    lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    lint = lines.index("python3 dev.py lint")
    first_test = lines.index("python3 dev.py test")
    assert lint < first_test
    assert '"$newest" dev.py test' in lines


def test_pip_progress_reports_while_pip_works():
    # Given a clock and a progress line every 5 s at most
    now = [0.0]
    said: list[str] = []
    progress = _dev().PipProgress("deps", said.append, clock=lambda: now[0], every=5)

    # When pip prepares for 6 s, resolves 10 packages at 1 s each, builds one, then
    # installs them for 12 s
    now[0] += 6
    progress.tick()
    for number in range(10):
        progress.line(f"Collecting package{number}>=1\n")
        now[0] += 1
        progress.tick()
    progress.line("Building wheel for essaim (pyproject.toml): started\n")
    progress.line("Installing collected packages: a, b, c\n")
    for _second in range(12):
        now[0] += 1
        progress.tick()
    progress.line("Successfully installed a-1 b-2 c-3\n")
    progress.end()

    # Then each phase change and, within a phase, one line every 5 s were reported
    assert said == [
        "  deps: preparing (6 s)",
        "  deps: 1 package resolved (6 s)",
        "  deps: 5 packages resolved (11 s)",
        "  deps: 10 packages resolved (16 s)",
        "  deps: building essaim (16 s)",
        "  deps: installing 3 packages (16 s)",
        "  deps: installing 3 packages (21 s)",
        "  deps: installing 3 packages (26 s)",
        "  deps: 3 packages installed (28 s)",
    ]


def test_pip_progress_says_when_there_was_nothing_to_install():
    said: list[str] = []
    progress = _dev().PipProgress("pip", said.append, clock=lambda: 0.0)
    progress.line("Requirement already satisfied: pip in ./.venv/lib (25.0)\n")
    progress.end()
    assert said == ["  pip: nothing to install (0 s)"]


def test_each_python_version_gets_its_own_venv(tmp_path, monkeypatch):
    dev = _dev()
    monkeypatch.delenv("ESSAIM_VENV", raising=False)
    monkeypatch.setattr(dev, "ROOT", tmp_path)
    this = f"{sys.version_info.major}.{sys.version_info.minor}"

    assert dev._venv_folder() == tmp_path / ".venv"
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "pyvenv.cfg").write_text(f"home = /x\nversion = {this}.9\n")
    assert dev._venv_folder() == tmp_path / ".venv"
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("home = /x\nversion = 3.9.18\n")
    assert dev._venv_folder() == tmp_path / f".venv-{this}"
