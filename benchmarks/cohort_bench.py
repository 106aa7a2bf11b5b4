"""Cohort and single-enrolment evaluation speed (a benchmark, not a test).

    .venv/bin/python benchmarks/cohort_bench.py [--trainees 2000] [--records 100] [--database-url URL]
        [--preset anz-style]

Seeds a throw-away SQLite database (or ``--database-url``, which must be an empty
database) with ``flask bench-seed``'s generator, then times, in one run:
* the admin's cohort page rendered over HTTP, with the number of SQL statements a view
  runs: as it opens (by name: only the 50 trainees shown are judged) and sorted by
  progress (every trainee judged against every requirement, as filtering by state does);
* the cohort service alone (every trainee: queries + evaluation);
* one enrolment with 1,000 records: gathering its facts and evaluating them.
Targets from issue 6: cohort page under 1 s for 2,000 x 100; one enrolment under 20 ms.

Timings on a shared machine vary with whatever else runs: the load average is printed
before and after, and each figure is a median with its minimum beside it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, select


def timed(function, repeat: int) -> list[float]:
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        durations.append(time.perf_counter() - started)
    return durations


def milliseconds(durations: list[float], digits: int = 0) -> str:
    return (
        f"median {statistics.median(durations) * 1000:.{digits}f} ms "
        f"(min {min(durations) * 1000:.{digits}f}, {len(durations)} runs)"
    )


def load() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def statements_during(engine, function) -> int:
    """How many SQL statements ``function`` runs."""
    count = 0

    def counted(*_args, **_kwargs):
        nonlocal count
        count += 1

    event.listen(engine, "before_cursor_execute", counted)
    try:
        function()
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=2000)
    parser.add_argument("--records", type=int, default=100)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeat", type=int, default=7, help="Page and service runs to time.")
    parser.add_argument("--preset", default="anz-style", help="The rule set judged (a preset's file name).")
    args = parser.parse_args()

    from app import create_app
    from app.accounts.models import User
    from app.demo.bench_seed import seed
    from app.extensions import db
    from app.programmes.models import Enrolment
    from app.requirements import services, sources
    from app.requirements.engine import evaluate

    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "PASSWORD_HASH_PROFILE": "minimum",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",  # the sign-in throttle reads it
        }
    )
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        cohort = seed(args.trainees, args.records, preset=args.preset)
        elapsed = time.perf_counter() - started
        print(f"{db.engine.dialect.name}: seeded {args.trainees} x {args.records} records in {elapsed:.1f} s")
        single = seed(1, 1000, preset=args.preset)
        admin = db.session.scalar(select(User).where(User.email == f"{cohort.slug}-admin@bench.test"))
        association_id = cohort.id
        print(f"before timing: {load()}")

        client = app.test_client()
        client.post("/login", data={"email": admin.email, "password": "stillpoint-demo"})

        def page(query: str = "") -> None:
            response = client.get(f"/progress/cohort{query}")
            assert response.status_code == 200, response.status_code
            response.close()

        size = f"{args.trainees} trainees x {args.records} records"
        for label, query in (("as it opens", ""), ("sorted by progress", "?sort=progress")):
            page(query)  # the first view compiles templates and fills caches
            statements = statements_during(db.engine, lambda query=query: page(query))
            times = timed(lambda query=query: page(query), repeat=args.repeat)
            print(
                f"cohort page {label}, {size}: {milliseconds(times)}, {statements} SQL statements "
                "(target < 1000 ms)"
            )
        service_times = timed(lambda: services.cohort(admin, association_id), repeat=args.repeat)
        print(f"cohort service alone (everyone judged): {milliseconds(service_times)}")

        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.association_id == single.id))
        full = timed(lambda: services.progress_for(enrolment), repeat=30)
        facts = sources.gather([enrolment])[enrolment.id]
        rule_set = services.parsed(enrolment.rule_set)
        engine_only = timed(lambda: evaluate(rule_set, facts), repeat=50)
        print(
            f"one enrolment with {len(facts.facts)} records: gather + evaluate {milliseconds(full, 1)} "
            f"(target < 20 ms); evaluate alone {milliseconds(engine_only, 1)}"
        )
        print(f"after timing: {load()}")


if __name__ == "__main__":
    main()
