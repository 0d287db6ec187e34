"""A worker killed (`kill -9`) in the middle of a task: the task is delivered again, to
another worker, on Redis and on RabbitMQ, and completes once; nothing is lost and
nothing is billed twice.

The task is the real monthly billing (``catalog.bill_month``) of a partner with two
subscriptions. The test holds a row lock on the second one, so the first worker bills
the first subscription (committed), then waits on the lock, its message unacknowledged:
that is where it is killed. A second worker then takes the task back; the lock is
released; it finds the first subscription billed and bills the second.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from celery import Celery
from django.db import connection
from django_tenants.utils import tenant_context

from common.db import database_url

pytestmark = [pytest.mark.committed, pytest.mark.slow]
RECEIVED = re.compile(r"Task catalog\.bill_month\[[^\]]+\] received")

ROOT = Path(__file__).resolve().parents[2]
BROKERS = {
    "redis": os.environ.get("REDELIVERY_REDIS_URL", "redis://127.0.0.1:6379/0"),
    "rabbitmq": os.environ.get("REDELIVERY_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//"),
}


def _answers(url: str) -> bool:
    parts = urlsplit(url)
    default = 6379 if parts.scheme.startswith("redis") else 5672
    try:
        socket.create_connection((parts.hostname, parts.port or default), timeout=2).close()
    except OSError:
        return False
    return True


def _wait_for(predicate, timeout: float, what: str, *workers: Worker) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    logs = "".join(f"\n--- {w.log.name}:\n{w.output()[-4000:]}" for w in workers)
    raise AssertionError(f"not within {timeout:.0f} s: {what}{logs}")


class Broker:
    """One test run's private corner of a real broker: its own queue (and, on Redis, its
    own key prefix), a producer, and the commands to inspect and clean up."""

    def __init__(self, kind: str, url: str) -> None:
        self.kind, self.url = kind, url
        self.run = uuid.uuid4().hex[:12]
        self.queue = f"essaim-redelivery-{self.run}"
        self.key_prefix = f"essaim-test-{self.run}:"
        self.producer = Celery("redelivery-probe", broker=url)
        if kind == "redis":
            self.producer.conf.broker_transport_options = {"global_keyprefix": self.key_prefix}

    def send(self, task: str, *, schema: str, kwargs: dict) -> None:
        # tenant-schemas-celery reads the schema from this header on the worker.
        self.producer.send_task(
            task, kwargs=kwargs, queue=self.queue, headers={"_schema_name": schema}
        )

    def _redis(self):
        import redis

        return redis.Redis.from_url(self.url)

    def ready(self) -> int:
        """Messages in the queue, waiting for a worker."""
        if self.kind == "redis":
            with self._redis() as client:
                return client.llen(f"{self.key_prefix}{self.queue}")
        with self.producer.connection_for_write() as conn:
            return conn.default_channel.queue_declare(self.queue, passive=True).message_count

    def unacknowledged(self) -> int:
        """Redis only: messages a worker took and has not acknowledged (RabbitMQ does not
        tell over AMQP; it puts them back in the queue when the worker's connection
        drops)."""
        with self._redis() as client:
            return client.hlen(f"{self.key_prefix}unacked")

    def clean_up(self) -> None:
        if self.kind == "redis":
            with self._redis() as client:
                for key in client.scan_iter(match=f"{self.key_prefix}*"):
                    client.delete(key)
        else:
            with self.producer.connection_for_write() as conn:
                conn.default_channel.queue_delete(self.queue)
                conn.default_channel.exchange_delete(self.queue)
        self.producer.close()


@pytest.fixture(params=sorted(BROKERS))
def broker(request):
    kind = request.param
    url = BROKERS[kind]
    if not _answers(url):
        pytest.skip(f"no {kind} broker answers at {url} (CI runs one)")
    broker = Broker(kind, url)
    yield broker
    broker.clean_up()


class Worker:
    """A real `celery -A config worker` process (prefork, one child), in its own process
    group so that `kill -9` takes the whole worker at once, as when its machine dies."""

    def __init__(self, broker: Broker, name: str, log: Path) -> None:
        self.log = log
        env = dict(
            os.environ,
            PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'platform'}",
            DJANGO_SETTINGS_MODULE="tests.platform.redelivery_settings",
            DATABASE_URL=database_url(connection.settings_dict),
            CELERY_BROKER_URL=broker.url,
            REDELIVERY_KEY_PREFIX=broker.key_prefix,
        )
        env.pop("CELERY_RESULT_BACKEND", None)
        with log.open("w") as output:
            self.process = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "celery"),
                    "-A",
                    "config",
                    "worker",
                    "--queues",
                    broker.queue,
                    "--hostname",
                    f"{name}-{broker.run}@%h",
                    "--concurrency",
                    "1",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel",
                    "info",
                ],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text()

    def kill_9(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """Warm shutdown: a message still unacknowledged would go back to the queue."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)


@pytest.fixture
def start_worker(broker, tmp_path):
    """``start_worker(name)`` → a running Worker; every one still running at the end of the
    test (a failure half-way) is killed."""
    started: list[Worker] = []

    def start(name: str) -> Worker:
        worker = Worker(broker, name, tmp_path / f"{name}.log")
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.process.poll() is None:
            worker.kill_9()


@pytest.fixture
def partner_with_two_subscriptions(committed_partner, django_db_blocker):
    from tests.services_catalog.factories import ServiceFactory, SubscriptionFactory

    partner = committed_partner(country="BE", tier="open_smart")
    with django_db_blocker.unblock(), tenant_context(partner):
        service = ServiceFactory(code="accounting_be", price_amount=Decimal("30.00"))
        first = SubscriptionFactory(service=service, starts_on=dt.date(2025, 3, 1))
        second = SubscriptionFactory(service=service, starts_on=dt.date(2025, 3, 1))
    return partner, first, second


def _locked(partner, subscription):
    """A connection of its own holding a row lock on ``subscription`` until it is closed."""
    from services_catalog.local.models import Subscription

    holder = psycopg.connect(database_url(connection.settings_dict))
    holder.execute(f'SET search_path TO "{partner.schema_name}"')
    holder.execute(
        f"SELECT id FROM {Subscription._meta.db_table} WHERE id = %s FOR UPDATE",
        [subscription.pk],
    )
    return holder


def test_a_task_of_a_killed_worker_runs_again_once_and_bills_once(
    broker, start_worker, partner_with_two_subscriptions, django_db_blocker
):
    from services_catalog.local.models import ServiceCharge
    from tenants.members.models import LedgerEntry

    partner, first, second = partner_with_two_subscriptions
    with django_db_blocker.unblock():
        charges = lambda: ServiceCharge.objects.filter(  # noqa: E731
            subscription__in=[first, second]
        ).values_list("subscription_id", flat=True)
        lock = _locked(partner, second)
        try:
            # Given a worker that took March's billing, billed the first subscription and
            # waits on the second, the message unacknowledged
            doomed = start_worker("doomed")
            broker.send(
                "catalog.bill_month", schema=partner.schema_name, kwargs={"period": "2025-03-01"}
            )
            with tenant_context(partner):
                _wait_for(
                    lambda: list(charges()) == [first.pk],
                    120,
                    "the first subscription billed",
                    doomed,
                )
            assert broker.ready() == 0
            if broker.kind == "redis":
                assert broker.unacknowledged() == 1

            # When it is killed there, and another worker starts
            doomed.kill_9()
            if broker.kind == "rabbitmq":
                _wait_for(lambda: broker.ready() == 1, 30, "RabbitMQ requeued the message")
            rescuer = start_worker("rescuer")
            _wait_for(
                lambda: RECEIVED.search(rescuer.output()),
                120,
                "the task delivered again to the second worker",
                doomed,
                rescuer,
            )
        finally:
            lock.close()

        try:
            # Then the second worker bills what was left, and only that
            with tenant_context(partner):
                _wait_for(
                    lambda: sorted(charges()) == [first.pk, second.pk], 120, "both billed", rescuer
                )
                entries = LedgerEntry.objects.filter(
                    activity__in=[first.activity, second.activity], kind="service_charge"
                )
                assert sorted(entries.values_list("activity_id", "amount")) == sorted(
                    [
                        (first.activity_id, Decimal("-30.000")),
                        (second.activity_id, Decimal("-30.000")),
                    ]
                )
            _wait_for(lambda: "succeeded" in rescuer.output(), 60, "the task acknowledged", rescuer)
        finally:
            rescuer.stop()
        runs = re.findall(
            r"Task catalog\.bill_month\[[^\]]+\] succeeded in [^:]+: (.*)", rescuer.output()
        )
        assert len(runs) == 1, rescuer.output()
        assert "'billed': 1," in runs[0]
        assert "'already_billed': 1," in runs[0]
        assert "succeeded" not in doomed.output()
        # and, the second worker stopped, nothing is left to deliver: it was acknowledged.
        assert broker.ready() == 0
        if broker.kind == "redis":
            assert broker.unacknowledged() == 0
