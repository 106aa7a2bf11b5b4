"""Cohort and single-enrolment evaluation speed (a benchmark, not a test).

    .venv/bin/python benchmarks/cohort_bench.py [--trainees 2000] [--records 100]

Seeds a throw-away SQLite database (or ``--database-url``) with ``flask bench-seed``'s
generator, then times, in one run:
* the admin's cohort page (every trainee against every requirement), rendered over HTTP;
* the cohort service alone (queries + evaluation);
* one enrolment with 1,000 records: gathering its facts and evaluating them.
Targets from issue 6: cohort page under 1 s for 2,000 x 100; one enrolment under 20 ms.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select


def timed(function, repeat: int) -> list[float]:
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        durations.append(time.perf_counter() - started)
    return durations


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=2000)
    parser.add_argument("--records", type=int, default=100)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    from app import create_app
    from app.accounts.models import User
    from app.demo.bench_seed import seed
    from app.extensions import db
    from app.programmes.models import Enrolment
    from app.requirements import services
    from app.requirements.engine import evaluate

    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "PASSWORD_HASH_PROFILE": "minimum",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        cohort = seed(args.trainees, args.records)
        elapsed = time.perf_counter() - started
        print(f"seeded {args.trainees} trainees x {args.records} records in {elapsed:.1f} s")
        single = seed(1, 1000)
        admin = db.session.scalar(select(User).where(User.email == f"{cohort.slug}-admin@bench.test"))
        association_id = cohort.id

        client = app.test_client()
        client.post("/login", data={"email": admin.email, "password": "stillpoint-demo"})
        page = timed(lambda: client.get("/progress/cohort").close(), repeat=3)
        service = timed(lambda: services.cohort(admin, association_id), repeat=3)
        print(
            f"cohort page, {args.trainees} trainees x {args.records} records: "
            f"median {statistics.median(page) * 1000:.0f} ms (target < 1000 ms)"
        )
        print(f"cohort service alone: median {statistics.median(service) * 1000:.0f} ms")

        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.association_id == single.id))
        full = timed(lambda: services.progress_for(enrolment), repeat=20)
        from app.requirements import sources

        facts = sources.gather([enrolment])[enrolment.id]
        rule_set = services.parsed(enrolment.rule_set)
        engine_only = timed(lambda: evaluate(rule_set, facts), repeat=50)
        print(
            f"one enrolment with {len(facts.facts)} records: gather + evaluate median "
            f"{statistics.median(full) * 1000:.1f} ms (target < 20 ms); evaluate alone "
            f"{statistics.median(engine_only) * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
