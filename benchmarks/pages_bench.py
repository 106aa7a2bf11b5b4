# ruff: noqa: S105, S310, S603  (a local benchmark: fixed commands, local URLs, demo secrets)
"""Every role's main pages under load, against a bare Flask app (a benchmark, not a test).

    .venv/bin/python benchmarks/pages_bench.py [--trainees 10000] [--records 50]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/stillpoint_bench]
        [--reuse] [--duration 5] [--connections 16] [--workers 2]

What it does, in one run (issue 14, "Speed targets"):
1. (Re)creates the database named in ``--database-url`` (a dedicated one: it is dropped),
   builds the schema with the Alembic migrations (``flask db upgrade``) and seeds it with
   ``flask bench-seed``'s generator. ``--reuse`` keeps a database an earlier run seeded.
2. Serves a bare Flask "hello" app (``benchmarks/hello_app.py``) and Stillpoint (``wsgi:app``)
   under gunicorn with ``--workers`` sync workers each, on local ports.
3. Signs in as a trainee, as a supervisor (of a tenth of the trainees: 1,000 at full size)
   and as the admin, through the login form, and loads each page with ``wrk`` at
   ``--connections`` connections for ``--duration`` seconds with that session's cookie.
4. Prints per page: requests/s, the ratio to the bare app (the mean of its rate at the
   start and at the end of the run), p50 and p99 latency, non-2xx answers, the page's size
   and its SQL statements (counted in-process with SQLAlchemy's ``before_cursor_execute``
   event, on the same database, on a second view so that caches are warm).

The machine's load average is printed at the start and the end: on a shared machine
every figure moves with whatever else runs. Needs ``wrk`` (Debian package ``wrk``) and
``gunicorn`` in the venv.
"""

from __future__ import annotations

import argparse
import contextvars
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "stillpoint-demo"  # app.demo.data.DEMO_PASSWORD, which bench-seed gives everyone
SECRET_KEY = "benchmark-secret-key-that-is-long-enough-0123456789"
TARGETS = {"trainee": 0.15, "supervisor": 0.10, "admin": 0.05}

# (page, who, path); {enrolment} is the trainee's enrolment.
PAGES = [
    ("trainee home", "trainee", "/home"),
    ("trainee progress", "trainee", "/progress/"),
    ("trainee logbook", "trainee", "/logbook/enrolments/{enrolment}"),
    ("trainee lessons", "trainee", "/learning/"),
    ("supervisor home", "supervisor", "/home"),
    ("supervisor trainees", "supervisor", "/progress/trainees"),
    ("sign-off queue", "supervisor", "/logbook/queue"),
    ("review queue", "supervisor", "/vignettes/review"),
    ("admin home", "admin", "/home"),
    ("cohort first page", "admin", "/progress/cohort"),
    ("ready list", "admin", "/progress/cohort?state=ready"),
    ("ready list (certificates)", "admin", "/certificates/ready"),
    ("cohort by progress", "admin", "/progress/cohort?sort=progress"),
]


@dataclass
class Load:
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int


def load_average() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _milliseconds(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, *, duration: int, connections: int, cookie: str = "") -> Load:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    timeouts = re.search(r"timeout (\d+)", output)
    return Load(
        rate, p50, p99, int(errors.group(1) if errors else 0) + int(timeouts.group(1) if timeouts else 0)
    )


def start_gunicorn(target: str, port: int, workers: int, env: dict[str, str]) -> subprocess.Popen:
    """Serve ``target``; its output (the app's access log: a line per request, work that
    production does too) goes to a file in the temporary folder, not to this terminal."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = Path(tempfile.gettempdir()) / f"stillpoint-bench-{port}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(gunicorn), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning", target],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn for {target} exited with {process.returncode}") from None
            time.sleep(0.2)
    raise SystemExit(f"gunicorn for {target} did not start")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(base: str, email: str) -> str:
    """Log in through the form; the session cookie as ``name=value``."""
    opener = urllib.request.build_opener(NoRedirect)
    with opener.open(f"{base}/login") as response:
        cookies = _cookies(response.headers.get_all("Set-Cookie") or [])
        html = response.read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": PASSWORD}).encode()
    request = urllib.request.Request(f"{base}/login", data=data, headers={"Cookie": cookies})
    try:
        opener.open(request)
    except urllib.error.HTTPError as answer:  # the 302 after a good login
        if answer.code != 302:
            raise SystemExit(f"login of {email} answered {answer.code}") from None
        cookies = _cookies(answer.headers.get_all("Set-Cookie") or []) or cookies
    else:
        raise SystemExit(f"login of {email} did not redirect (wrong password?)")
    return cookies


def _cookies(headers: list[str]) -> str:
    return "; ".join(header.split(";", 1)[0] for header in headers)


def fetch(url: str, cookie: str) -> tuple[int, int]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as answer:
        return answer.code, 0


def recreate_database(url: str) -> None:
    name = sa.make_url(url).database
    server = sa.create_engine(sa.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    server.dispose()


def seed_database(args, env: dict[str, str]) -> None:
    recreate_database(args.database_url)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    started = time.perf_counter()
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    print(f"schema by migrations in {time.perf_counter() - started:.1f} s", flush=True)
    started = time.perf_counter()
    subprocess.run(
        [*flask, "bench-seed", "--trainees", str(args.trainees), "--records", str(args.records)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    print(f"seeded {args.trainees} x {args.records} in {time.perf_counter() - started:.1f} s", flush=True)


def compute_snapshots(env: dict[str, str]) -> None:
    """Store every enrolment's progress snapshot, as the job after midnight does (a bulk
    seed bypasses the services that queue it); nothing to do if they are current."""
    started = time.perf_counter()
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    done = subprocess.run([*flask, "progress-snapshots"], cwd=ROOT, env=env, check=True, capture_output=True)
    print(f"{done.stdout.decode().strip()} ({time.perf_counter() - started:.1f} s)", flush=True)


def people(url: str) -> dict[str, object]:
    """The bench association's e-mail addresses and the trainee's enrolment."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        slug = connection.scalar(
            sa.text("SELECT slug FROM association WHERE slug LIKE 'bench-%' ORDER BY id DESC")
        )
        trainee = f"{slug}-t0@bench.test"
        enrolment = connection.scalar(
            sa.text(
                'SELECT e.id FROM enrolment e JOIN "user" u ON u.id = e.trainee_id WHERE u.email = :email'
            ),
            {"email": trainee},
        )
    engine.dispose()
    return {
        "trainee": trainee,
        "supervisor": f"{slug}-sup0@bench.test",
        "admin": f"{slug}-admin@bench.test",
        "enrolment": enrolment,
    }


def world_size(url: str) -> str:
    """What the database holds, read back (so that ``--reuse`` reports what it measured)."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        trainees = connection.scalar(sa.text("SELECT count(*) FROM enrolment"))
        records = connection.scalar(sa.text("SELECT count(*) FROM logbook_record"))
    engine.dispose()
    return f"{trainees} enrolments, {records} logbook records"


def fresh(call, *args, **kwargs):
    """Run a test-client request in an empty context, as a real request runs: with the
    app context held open here, Flask would otherwise reuse its ``g`` and session."""
    return contextvars.Context().run(call, *args, **kwargs)


def statement_counts(url: str, who: dict[str, object]) -> dict[str, int]:
    """SQL statements of each page on its second view, in-process against the same database."""
    sys.path.insert(0, str(ROOT))
    from app import create_app
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY, "WTF_CSRF_ENABLED": False})
    counts: dict[str, int] = {}
    with app.app_context():
        clients = {}
        for role in ("trainee", "supervisor", "admin"):
            clients[role] = app.test_client()
            fresh(clients[role].post, "/login", data={"email": who[role], "password": PASSWORD})
        for name, role, path in PAGES:
            path = path.format(enrolment=who["enrolment"])
            fresh(clients[role].get, path).close()
            statements = []

            def count(*_args, statements=statements, **_kwargs):
                statements.append(1)

            sa.event.listen(db.engine, "before_cursor_execute", count)
            try:
                response = fresh(clients[role].get, path)
                response.get_data()
                response.close()
            finally:
                sa.event.remove(db.engine, "before_cursor_execute", count)
            counts[name] = len(statements)
        db.engine.dispose()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainees", type=int, default=10_000)
    parser.add_argument("--records", type=int, default=50)
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/stillpoint_bench"
    )
    parser.add_argument("--reuse", action="store_true", help="Keep the database an earlier run seeded.")
    parser.add_argument("--seed-only", action="store_true", help="Seed the database, measure nothing.")
    parser.add_argument("--duration", type=int, default=5, help="Seconds of wrk per page.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    if not Path(sys.executable).with_name("gunicorn").exists():
        raise SystemExit("gunicorn is not installed in this venv (pip install gunicorn)")

    instance = Path(tempfile.mkdtemp(prefix="stillpoint-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "SECRET_KEY": SECRET_KEY,
        "PYTHONPATH": str(ROOT),
        "STILLPOINT_JOB_QUEUE_URL": f"sqlite:///{instance / 'jobs.sqlite3'}",
    }
    env.pop("STILLPOINT_ENV", None)
    print(f"start: {load_average()}", flush=True)
    if not args.reuse:
        seed_database(args, env)
    compute_snapshots(env)
    if args.seed_only:
        return
    who = people(args.database_url)
    size = world_size(args.database_url)
    counts = statement_counts(args.database_url, who)

    hello_port, app_port = free_port(), free_port()
    hello = start_gunicorn("benchmarks.hello_app:app", hello_port, args.workers, env)
    stillpoint = start_gunicorn("wsgi:app", app_port, args.workers, env)
    try:
        hello_url, base = f"http://127.0.0.1:{hello_port}/", f"http://127.0.0.1:{app_port}"
        cookies = {role: sign_in(base, who[role]) for role in ("trainee", "supervisor", "admin")}
        load = dict(duration=args.duration, connections=args.connections)
        before = run_wrk(hello_url, **load)
        print(f"bare Flask at the start: {before.rate:.0f} requests/s ({load_average()})", flush=True)
        rows = []
        for name, role, path in PAGES:
            url = base + path.format(enrolment=who["enrolment"])
            status, page_bytes = fetch(url, cookies[role])
            if status != 200:
                raise SystemExit(f"{name}: {url} answered {status}")
            for _ in range(2 * args.workers):  # warm every worker's caches, leaving no queue behind
                fetch(url, cookies[role])
            rows.append((name, role, page_bytes, run_wrk(url, **load, cookie=cookies[role])))
            print(f"  {name}: {rows[-1][3].rate:.1f} requests/s", flush=True)
        after = run_wrk(hello_url, **load)
        print(f"bare Flask at the end: {after.rate:.0f} requests/s ({load_average()})", flush=True)
    finally:
        stop(stillpoint)
        stop(hello)
        shutil.rmtree(instance, ignore_errors=True)

    bare = (before.rate + after.rate) / 2
    print()
    print(
        f"{size}, PostgreSQL, gunicorn {args.workers} workers, "
        f"wrk {args.connections} connections x {args.duration} s per page"
    )
    print(
        f"bare Flask: {before.rate:.0f} requests/s at the start, {after.rate:.0f} at the end "
        f"(mean {bare:.0f})"
    )
    print()
    print(
        "| page | requests/s | ratio to bare Flask (target) | p50 | p99 | non-2xx | HTML | SQL statements |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, role, page_bytes, result in rows:
        print(
            f"| {name} | {result.rate:.1f} | {result.rate / bare:.3f} (≥ {TARGETS[role]:.2f}) "
            f"| {result.p50_ms:.1f} ms | {result.p99_ms:.1f} ms | {result.errors} "
            f"| {page_bytes / 1024:.0f} KiB | {counts[name]} |"
        )
    print()
    print(f"end: {load_average()}")


if __name__ == "__main__":
    main()
