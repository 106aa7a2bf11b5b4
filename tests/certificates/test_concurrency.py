"""Issuing under concurrency, on PostgreSQL: threads with their own app contexts and connections.

SQLite serialises every writer for the whole database, so races between issuers cannot
happen there; these tests only mean something against a server with real concurrency.
"""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from app.accounts.models import Role, User
from app.certificates import issuing, serials
from app.certificates.models import Certificate
from app.errors import InvalidState
from app.extensions import db
from app.programmes import services as programmes
from tests.certificates.conftest import make_ready

ATTEMPTS = 20
TODAY = dt.date(2026, 3, 5)


@pytest.fixture(autouse=True)
def _postgresql_only(backend):
    if backend != "postgresql":
        pytest.skip("SQLite runs one writer at a time, so there is no race to test; PostgreSQL only")


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": ATTEMPTS + 2, "max_overflow": 5}}


def _in_parallel(app, admin_id: int, enrolment_ids: list[int]) -> list[str]:
    """Issue for each enrolment id at the same moment, each in its own thread and transaction."""
    start = threading.Barrier(len(enrolment_ids))

    def attempt(enrolment_id: int) -> str:
        with app.app_context():
            try:
                admin = db.session.get(User, admin_id)
                start.wait()
                certificate = issuing.issue(admin, enrolment_id, today=TODAY)
                db.session.commit()
                return certificate.serial
            except InvalidState:
                db.session.rollback()
                return "refused"
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(enrolment_ids)) as pool:
        return list(pool.map(attempt, enrolment_ids))


def test_twenty_parallel_issues_for_one_enrolment_make_exactly_one_certificate(app, world, ready):
    outcomes = _in_parallel(app, world.admin.id, [ready.id] * ATTEMPTS)
    issued = [outcome for outcome in outcomes if outcome != "refused"]
    assert len(issued) == 1
    assert outcomes.count("refused") == ATTEMPTS - 1
    assert db.session.scalar(select(func.count(Certificate.id))) == 1
    # Refused attempts rolled back their counter bump: no numbers were skipped.
    assert [serials.readable_part(serial) for serial in issued] == ["BSX-2026-00001"]


def test_parallel_issues_for_different_trainees_never_share_a_serial(app, world, make_user):
    enrolment_ids = []
    for number in range(ATTEMPTS):
        trainee = make_user(
            f"t{number}@x.test", world.association, Role.TRAINEE, name=f"Trainee {number:02d}"
        )
        enrolment = programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=trainee.id,
            programme_id=world.programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=dt.date(2025, 1, 15),
        )
        db.session.commit()
        make_ready(enrolment, world.supervisor)
        enrolment_ids.append(enrolment.id)
    outcomes = _in_parallel(app, world.admin.id, enrolment_ids)
    assert "refused" not in outcomes
    assert len(set(outcomes)) == ATTEMPTS
    assert sorted(serials.readable_part(serial) for serial in outcomes) == [
        f"BSX-2026-{n:05d}" for n in range(1, ATTEMPTS + 1)
    ]
