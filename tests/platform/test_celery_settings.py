"""The broker settings a worker gets from the environment: on Redis a visibility timeout
that fits the longest task (45 minutes, see the settings' comment), nothing to set on
RabbitMQ, the file-system folders otherwise."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _transport_options(broker_url: str, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "CELERY_VISIBILITY_TIMEOUT"}
    env.update(
        PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'platform'}",
        CELERY_BROKER_URL=broker_url,
        ESSAIM_DATA_DIR="/tmp/essaim-settings-probe",
        **extra,
    )
    code = (
        "import json, config.settings.base as s\n"
        "print(json.dumps(s.CELERY_BROKER_TRANSPORT_OPTIONS))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "rediss://cache.example:6380/1"])
def test_redis_takes_a_dead_workers_task_back_after_45_minutes(url):
    assert _transport_options(url) == {"visibility_timeout": 2700}


def test_the_visibility_timeout_comes_from_the_environment():
    options = _transport_options("redis://127.0.0.1:6379/0", CELERY_VISIBILITY_TIMEOUT="5400")
    assert options == {"visibility_timeout": 5400}


def test_rabbitmq_needs_no_transport_option():
    assert _transport_options("amqp://guest:guest@127.0.0.1:5672//") == {}


def test_the_file_system_broker_keeps_its_folders_under_the_data_folder():
    options = _transport_options("filesystem://")
    assert options["data_folder_in"] == "/tmp/essaim-settings-probe/broker/out"
    assert "visibility_timeout" not in options
