"""Two app servers, one state: two ``bin/serve`` instances (gunicorn with two workers
and a job worker each) against one PostgreSQL database and one Redis.

A trainee signs in through instance 1, uploads an event certificate and starts the
printable logbook there; the upload is downloaded through instance 2; the job is run by
whichever worker takes it; its status is polled and the PDF downloaded through instance
2. Each instance has its own instance-local folders (the old upload, key and logo
settings, metrics), so nothing of this path may live on one server's disk.

Runs in the normal suite (about 30 s). Skipped with the reason when PostgreSQL or
Redis is unreachable; under ``CI=true`` that is an error.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
import requests
import sqlalchemy as sa

from app.demo.data import DEMO_PASSWORD
from tests.conftest import _on_postgres_server
from tests.helpers import csrf_token_in
from tests.ops.conftest import redis_or_skip

pytestmark = pytest.mark.multiserver

PROJECT = Path(__file__).resolve().parents[2]
POSTGRES_SERVER = os.environ.get(
    "TEST_POSTGRES_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
METRICS_TOKEN = "two-servers-metrics-token"
STARTUP_SECONDS = 90
UPLOADED_PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def shared_database():
    """A fresh PostgreSQL database for this test (dropped afterwards)."""
    url = sa.make_url(POSTGRES_SERVER).set(database=f"stillpoint_two_servers_{os.getpid()}")
    rendered = url.render_as_string(hide_password=False)
    try:
        _on_postgres_server(rendered, f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    except sa.exc.OperationalError as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL not reachable: {error.orig} (CI must run this test)")
        pytest.skip(f"PostgreSQL not reachable: {error.orig}")
    _on_postgres_server(rendered, f'CREATE DATABASE "{url.database}"')
    yield rendered
    _on_postgres_server(rendered, f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')


@pytest.fixture
def shared_redis():
    """The test Redis and a queue name of this test's own (its keys deleted afterwards)."""
    url = redis_or_skip()
    name = f"stillpoint-two-servers-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    yield url, name
    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"*{name}*"):
        client.delete(key)
    client.close()


class Instance:
    """One ``bin/serve`` process group, stopped with SIGTERM (then SIGKILL) at the end."""

    def __init__(self, name: str, port: int, env: dict[str, str], log: Path):
        self.name, self.port, self.log = name, port, log
        self.url = f"http://127.0.0.1:{port}"
        with log.open("wb") as output:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                ["bash", str(PROJECT / "bin" / "serve")],
                cwd=PROJECT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_until(self, path: str, status: int, seconds: float = STARTUP_SECONDS) -> requests.Response:
        deadline = time.monotonic() + seconds
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited ({self.process.returncode}):\n{self.tail()}")
            try:
                response = requests.get(self.url + path, timeout=5)
                if response.status_code == status:
                    return response
            except requests.RequestException:  # not listening yet, or a worker still booting
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: {path} never answered {status}:\n{self.tail()}")
            time.sleep(0.3)

    def tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-40:])

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def _environment(database: str, redis_url: str, queue: str, base_url: str, folder: Path) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("STILLPOINT_", "PROMETHEUS_"))
    }
    folder.mkdir(parents=True, exist_ok=True)
    env.update(
        VENV=str(Path(sys.executable).parent.parent),
        DATABASE_URL=database,
        JOB_QUEUE_URL=redis_url,
        SECRET_KEY="two-servers-share-this-secret-key-0123456789",
        # Plain HTTP on loopback: production's cookies are Secure-only (and the demo
        # data refuses production), so these instances run as development.
        STILLPOINT_ENV="development",
        STILLPOINT_BASE_URL=base_url,
        STILLPOINT_TRUSTED_PROXY_COUNT="0",  # the test talks to gunicorn directly
        STILLPOINT_SEAL_KEY_SECRET="two-servers-seal-key-secret-0123456789abcdef",  # bin/serve asks for it
        STILLPOINT_JOB_QUEUE_NAME=queue,
        STILLPOINT_METRICS_TOKEN=METRICS_TOKEN,
        STILLPOINT_LOGBOOK_UPLOAD_DIR=str(folder / "uploads"),
        STILLPOINT_CERTIFICATE_KEY_DIR=str(folder / "keys"),
        STILLPOINT_CERTIFICATE_LOGO_DIR=str(folder / "logos"),
        PROMETHEUS_MULTIPROC_DIR=str(folder / "metrics"),
        WEB_CONCURRENCY="2",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _seeded_trainee(database: str) -> tuple[str, int]:
    """The e-mail address and enrolment of the trainee ``flask bench-seed`` made."""
    engine = sa.create_engine(database.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            return tuple(
                connection.execute(
                    sa.text(
                        'SELECT u.email, e.id FROM enrolment e JOIN "user" u ON u.id = e.trainee_id '
                        "WHERE u.email LIKE 'bench-%-t0@bench.test' ORDER BY e.id LIMIT 1"
                    )
                ).one()
            )
    finally:
        engine.dispose()


def test_a_job_started_on_one_server_is_fetched_from_the_other(shared_database, shared_redis, tmp_path):
    redis_url, queue = shared_redis
    port1, port2 = _free_port(), _free_port()
    base_url = f"http://127.0.0.1:{port1}"
    env1 = _environment(shared_database, redis_url, queue, base_url, tmp_path / "one")
    env2 = _environment(shared_database, redis_url, queue, base_url, tmp_path / "two")
    env1["PORT"], env2["PORT"] = str(port1), str(port2)
    # Instance 1 migrates; instance 2 serves no request before that (it boots meanwhile).
    # Periodic jobs are scheduled by one worker only.
    env2["SKIP_MIGRATIONS"] = "1"
    env2["JOB_WORKER_ARGS"] = "--no-periodic"

    instances: list[Instance] = []
    try:
        one = Instance("instance 1", port1, env1, tmp_path / "one.log")
        instances.append(one)
        two = Instance("instance 2", port2, env2, tmp_path / "two.log")
        instances.append(two)
        one.wait_until("/healthz", 200)  # migrated and serving
        # One trainee with a few records, through the CLI (the demo's full world, with its
        # PDFs and sealed certificates, took a third of this test and nothing here uses it).
        demo_env = {k: v for k, v in env1.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
        demo = subprocess.run(
            [env1["VENV"] + "/bin/flask", "--app", "wsgi", "bench-seed", "--trainees", "1", "--records", "3"],
            cwd=PROJECT,
            env=demo_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert demo.returncode == 0, demo.stdout + demo.stderr
        trainee_email, enrolment_id = _seeded_trainee(shared_database)
        for instance in instances:  # database, Redis and a worker's heartbeat
            ready = instance.wait_until("/readyz", 200).json()
            assert ready["checks"] == {"database": "ok", "redis_jobs": "ok", "worker": "ok"}

        browser = requests.Session()
        login = browser.get(f"{one.url}/login", timeout=10)
        signed_in = browser.post(
            f"{one.url}/login",
            data={
                "csrf_token": csrf_token_in(login.text),
                "email": trainee_email,
                "password": DEMO_PASSWORD,
            },
            allow_redirects=False,
            timeout=10,
        )
        assert signed_in.status_code == 302, signed_in.text[:500]

        # An upload through instance 1 is downloaded through instance 2 (kept in the database).
        new_event = f"{one.url}/logbook/enrolments/{enrolment_id}/events/new"
        form = browser.get(new_event, timeout=10)
        saved = browser.post(
            new_event,
            data={
                "csrf_token": csrf_token_in(form.text),
                "event_kind": "leadership-workshop",
                "title": "Leadership weekend",
                "provider": "Balint Society UK",
                "starts_on": "2025-02-07",
                "ends_on": "2025-02-08",
                "days": "2",
                "save": "Save as draft",
            },
            files={"certificate": ("attendance.pdf", UPLOADED_PDF, "application/pdf")},
            allow_redirects=False,
            timeout=10,
        )
        assert saved.status_code == 302, saved.text[:500]
        record_path = saved.headers["Location"].removeprefix(base_url)
        assert record_path.startswith("/logbook/records/")
        uploaded = browser.get(f"{two.url}{record_path}/certificate", timeout=10)
        assert uploaded.status_code == 200 and uploaded.content == UPLOADED_PDF

        export = f"{one.url}/logbook/enrolments/{enrolment_id}/export.pdf"
        form = browser.get(export, timeout=10)
        assert form.status_code == 200
        started = browser.post(
            export, data={"csrf_token": csrf_token_in(form.text)}, allow_redirects=False, timeout=10
        )
        assert started.status_code == 302, started.text[:500]
        job_path = started.headers["Location"].removeprefix(base_url)
        assert job_path.startswith("/jobs/")

        # The same session cookie on the other server (same SECRET_KEY, same database).
        deadline = time.monotonic() + 60
        while True:
            status = browser.get(f"{two.url}{job_path}/status.json", timeout=10)
            assert status.status_code == 200, status.text[:500]
            body = status.json()
            if body["is_finished"] or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert body["state"] == "done", body
        download = browser.get(f"{two.url}{body['download_url'].removeprefix(base_url)}", timeout=30)
        assert download.status_code == 200
        assert download.headers["Content-Type"] == "application/pdf"
        assert download.content.startswith(b"%PDF-")

        # Each instance's gunicorn workers share one metrics view (multiprocess mode).
        metrics = requests.get(
            f"{two.url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=10
        ).text
        assert (
            'stillpoint_http_request_duration_seconds_count{endpoint="jobs.download",method="GET",status="200"}'
            in metrics
        )
        assert "stillpoint_job_queue_up 1.0" in metrics
    finally:
        for instance in reversed(instances):
            instance.stop()
