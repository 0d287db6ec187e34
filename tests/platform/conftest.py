import shutil
import tempfile
from pathlib import Path

import pytest


@pytest.fixture
def data_home():
    """A folder for an embedded PostgreSQL of its own. Not pytest's tmp_path: the server
    runs as an unprivileged user that must traverse every parent folder, and each pytest
    session (others may run on the same machine) resets its base folder to 0700."""
    folder = Path(tempfile.mkdtemp(prefix="essaim-pg-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
