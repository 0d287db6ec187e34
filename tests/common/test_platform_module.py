"""The stdlib's `platform` module stays reachable although the repository has a
`platform/` folder (which must never become a package)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_platform_is_the_standard_library_under_pytest():
    import platform

    assert platform.system()
    assert Path(platform.__file__).parent != ROOT / "platform"


def test_platform_folder_is_not_a_package():
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_platform_and_celery_import_under_manage_py():
    code = "import platform; platform.system(); from celery import Celery; print('ok')"
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=os.environ,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")
