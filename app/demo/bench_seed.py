"""``flask bench-seed``: fill a database fast with synthetic, valid data for benchmarks.

Rows go in with bulk ``INSERT``s of explicit ids (logbook records are a base table
plus one table per kind, so ids must be known up front), in chunks, without the ORM.
Everything is fictitious; no names of real people.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, insert, select, text

from app.accounts.models import Association, Membership, User
from app.accounts.passwords import hash_password
from app.database import utcnow
from app.demo.data import DEMO_PASSWORD
from app.extensions import db
from app.learning.models import QuizAttempt
from app.logbook.models import LogbookRecord, Observation, SessionRecord, SupervisionRecord, TrainingEvent
from app.programmes.models import Enrolment, Programme, RuleSet, enrolment_supervisor
from app.programmes.rule_sets import content_hash
from app.vignettes.models import Reflection

CHUNK = 5_000


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _bulk(table, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start : start + CHUNK])


def _fix_sequences(models) -> None:
    if db.engine.dialect.name != "postgresql":
        return
    for model in models:
        table = model.__table__.name  # our own table names, never input
        sequence = f"pg_get_serial_sequence('\"{table}\"', 'id')"
        statement = f'SELECT setval({sequence}, (SELECT MAX(id) FROM "{table}"))'  # noqa: S608
        db.session.execute(text(statement))


def seed(trainees: int, records: int, *, preset: str = "anz-style", seed_value: int = 7) -> Association:
    """One association with ``trainees`` enrolled trainees and ``records`` logbook records each."""
    rng = random.Random(seed_value)  # noqa: S311  (synthetic data, not security)
    now, today = utcnow(), dt.date.today()
    number = db.session.scalar(select(func.count(Association.id))) + 1
    association = Association(
        slug=f"bench-{number}", name=f"Benchmark Society {number}", serial_prefix="BNCH"
    )
    db.session.add(association)
    db.session.flush()
    source = (Path(current_app.config["PROGRAMME_PRESETS_DIR"]) / f"{preset}.yaml").read_text()
    programme = Programme(association_id=association.id, slug=preset, title=f"Benchmark {preset}")
    db.session.add(programme)
    db.session.flush()
    rule_set = RuleSet(
        programme_id=programme.id, version=1, source_yaml=source, content_hash=content_hash(source)
    )
    db.session.add(rule_set)
    db.session.flush()

    password_hash = hash_password(DEMO_PASSWORD)
    user_id, enrolment_id = _next_id(User), _next_id(Enrolment)
    supervisors = list(range(user_id, user_id + 10))
    users, memberships, enrolments, links = [], [], [], []
    for index, uid in enumerate(supervisors):
        users.append(
            {
                "id": uid,
                "email": f"{association.slug}-sup{index}@bench.test",
                "name": f"Supervisor {index}",
                "password_hash": password_hash,
                "is_enabled": True,
                "created_at": now,
            }
        )
        memberships.append(
            {
                "user_id": uid,
                "association_id": association.id,
                "role": "supervisor",
                "is_active": True,
                "created_at": now,
            }
        )
    admin_id = user_id + len(supervisors)
    users.append(
        {
            "id": admin_id,
            "email": f"{association.slug}-admin@bench.test",
            "name": "Benchmark Admin",
            "password_hash": password_hash,
            "is_enabled": True,
            "created_at": now,
        }
    )
    memberships.append(
        {
            "user_id": admin_id,
            "association_id": association.id,
            "role": "admin",
            "is_active": True,
            "created_at": now,
        }
    )
    first_trainee = admin_id + 1
    for index in range(trainees):
        uid, eid = first_trainee + index, enrolment_id + index
        users.append(
            {
                "id": uid,
                "email": f"{association.slug}-t{index}@bench.test",
                "name": f"Trainee {index:05d}",
                "password_hash": password_hash,
                "is_enabled": True,
                "created_at": now,
            }
        )
        memberships.append(
            {
                "user_id": uid,
                "association_id": association.id,
                "role": "trainee",
                "is_active": True,
                "created_at": now,
            }
        )
        enrolments.append(
            {
                "id": eid,
                "association_id": association.id,
                "programme_id": programme.id,
                "trainee_id": uid,
                "rule_set_id": rule_set.id,
                "status": "active",
                "started_on": today - dt.timedelta(days=rng.randint(200, 900)),
                "created_at": now,
                "has_psychodynamic_training": rng.random() < 0.3,
            }
        )
        links.append({"enrolment_id": eid, "supervisor_id": supervisors[index % len(supervisors)]})
    _bulk(User.__table__, users)
    _bulk(Membership.__table__, memberships)
    _bulk(Enrolment.__table__, enrolments)
    _bulk(enrolment_supervisor, links)
    _seed_records(rng, association.id, enrolments, links, records, now)
    _seed_learning(rng, association.id, enrolments, links, now)
    _fix_sequences([User, Membership, Enrolment, LogbookRecord, Reflection, QuizAttempt])
    db.session.commit()
    _analyze()
    return association


def _analyze() -> None:
    """PostgreSQL: planner statistics and a visibility map right after the bulk load.

    A production server's autovacuum does this a minute or so after a load like this
    (this machine's PostgreSQL has autovacuum off); a benchmark that starts at once
    would otherwise time plans made for nearly empty tables (the cohort's largest
    query took 0.56 s instead of 0.1 s). VACUUM cannot run inside a transaction.
    """
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


def _seed_records(rng, association_id, enrolments, links, per_trainee, now) -> None:
    record_id = _next_id(LogbookRecord)
    base, kinds = [], {"session": [], "supervision": [], "event": [], "observation": []}
    for enrolment, link in zip(enrolments, links, strict=True):
        supervisor = link["supervisor_id"]
        span = max(1, (dt.date.today() - enrolment["started_on"]).days)
        for _ in range(per_trainee):
            roll = rng.random()
            kind = (
                "session"
                if roll < 0.7
                else "supervision"
                if roll < 0.9
                else "event"
                if roll < 0.97
                else "observation"
            )
            status = rng.choices(["signed", "submitted", "draft", "returned"], [70, 15, 10, 5])[0]
            day = enrolment["started_on"] + dt.timedelta(days=rng.randint(0, span - 1))
            row = {
                "id": record_id,
                "association_id": association_id,
                "enrolment_id": enrolment["id"],
                "kind": kind,
                "status": status,
                "occurred_on": day,
                "author_id": enrolment["trainee_id"],
                "created_at": now,
                "updated_at": now,
                "return_comment": "",
                "reopen_reason": "",
            }
            is_signed = status == "signed"  # every row needs the same keys for executemany
            # Submitted some evening within a week of the session (never in the future):
            # the supervisor's queue is ordered by it and the admin counts the overdue.
            # Spread by the id, not by ``rng``: another draw would change every later one,
            # and with them the world a seed has always built.
            sent = dt.datetime.combine(day, dt.time(20), tzinfo=dt.UTC) + dt.timedelta(days=record_id % 7)
            row.update(
                submitted_at=min(sent, now) if status != "draft" else None,
                signer_id=supervisor if is_signed else None,
                signed_at=now if is_signed else None,
                content_hash="b" * 64 if is_signed else None,
            )
            base.append(row)
            if kind == "session":
                kinds["session"].append(
                    {
                        "id": record_id,
                        "role": rng.choice(["member", "co-leader", "co-leader", "leader"]),
                        "minutes": rng.choice([60, 90, 90]),
                        "mode": rng.choice(["in-person", "in-person", "online"]),
                        "group_kind": rng.choice(["ongoing", "ongoing", "residential-weekend", "intensive"]),
                        "setting_category": rng.choice(["primary-care", "hospital", "mental-health"]),
                        "setting": "",
                        "members": rng.randint(4, 12),
                        "cases": rng.randint(1, 3),
                        "co_leader_name": f"Co-leader {rng.randint(1, 6)}",
                        "is_co_leader_accredited": True,
                        "phases_run": "",
                        "reflection": "",
                    }
                )
            elif kind == "supervision":
                kinds["supervision"].append(
                    {
                        "id": record_id,
                        "minutes": 60,
                        "mode": "individual",
                        "channel": "online",
                        "supervisor_id": supervisor,
                        "has_recording": False,
                        "notes": "",
                    }
                )
            elif kind == "event":
                kinds["event"].append(
                    {
                        "id": record_id,
                        "event_kind": rng.choice(["intensive", "leadership-workshop"]),
                        "title": "Workshop",
                        "provider": "Benchmark Society",
                        "ends_on": day,
                        "days": 1,
                        "certificate_name": "",
                        "certificate_type": "",
                    }
                )
            else:
                kinds["observation"].append(
                    {
                        "id": record_id,
                        "observer_id": supervisor,
                        "setting": "Ongoing group",
                        "outcome": "satisfactory",
                        "report": "Observed a calm session.",
                    }
                )
            record_id += 1
    _bulk(LogbookRecord.__table__, base)
    _bulk(SessionRecord.__table__, kinds["session"])
    _bulk(SupervisionRecord.__table__, kinds["supervision"])
    _bulk(TrainingEvent.__table__, kinds["event"])
    _bulk(Observation.__table__, kinds["observation"])


def _seed_learning(rng, association_id, enrolments, links, now) -> None:
    reflections, attempts = [], []
    for enrolment, link in zip(enrolments, links, strict=True):
        for slug_number in range(rng.randint(0, 5)):
            reflections.append(
                {
                    "association_id": association_id,
                    "enrolment_id": enrolment["id"],
                    "trainee_id": enrolment["trainee_id"],
                    "vignette_slug": f"vignette-{slug_number}",
                    "content_version": "bench",
                    "version": 1,
                    "status": "accepted",
                    "answers": {},
                    "reviewer_id": link["supervisor_id"],
                    "created_at": now,
                    "updated_at": now,
                    "submitted_at": now,
                    "reviewed_at": now,
                }
            )
        score = rng.choice([None, 60.0, 85.0, 95.0])
        if score is not None:
            attempts.append(
                {
                    "association_id": association_id,
                    "trainee_id": enrolment["trainee_id"],
                    "kind": "final",
                    "question_ids": [],
                    "answers": {},
                    "question_versions": {},
                    "score_percent": score,
                    "is_passed": score >= 80,
                    "pass_mark": 80,
                    "started_at": now,
                    "submitted_at": now,
                }
            )
    _bulk(Reflection.__table__, reflections)
    _bulk(QuizAttempt.__table__, attempts)


@click.command("bench-seed")
@click.option("--trainees", default=1000, show_default=True)
@click.option("--records", default=50, show_default=True, help="Logbook records per trainee.")
@click.option("--preset", default="anz-style", show_default=True)
@with_appcontext
def bench_seed_command(trainees: int, records: int, preset: str) -> None:
    """Bulk-load a synthetic association for benchmarks (never in production)."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("bench-seed is for benchmark databases only; refusing in production.")
    started = time.perf_counter()
    association = seed(trainees, records, preset=preset)
    click.echo(
        f"Seeded {association.slug}: {trainees} trainees x {records} records "
        f"in {time.perf_counter() - started:.1f} s (admin login: {association.slug}-admin@bench.test)."
    )
