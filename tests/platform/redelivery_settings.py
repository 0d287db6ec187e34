"""Settings of the Celery workers that tests/platform/test_redelivery.py starts: the
project's own (config.settings.base, with the broker of CELERY_BROKER_URL), except that a
dead worker's task comes back after seconds rather than the production timeout, and that
this test run's keys and names are its own (other checkouts test on the same brokers)."""

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import CELERY_BROKER_TRANSPORT_OPTIONS

if "visibility_timeout" in CELERY_BROKER_TRANSPORT_OPTIONS:  # Redis
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "visibility_timeout": 3,
        # Look for messages to take back every second (kombu: about every 100 s).
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
        "global_keyprefix": os.environ["REDELIVERY_KEY_PREFIX"],
    }
# Workers of other test runs must not see (or answer) these ones.
CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
