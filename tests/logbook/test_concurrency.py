"""Two supervisors signing the same record at the same moment end with exactly one signature."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.audit.models import AuditEvent
from app.errors import InvalidState
from app.extensions import db
from app.logbook import signoff
from app.logbook.models import LogbookRecord, RecordStatus
from app.programmes import services as programmes
from tests.logbook.fixtures import accredit, create


@pytest.fixture
def two_supervisors(world, backend):
    if backend != "postgresql":
        pytest.skip(
            "SQLite locks the whole database for a write, so two signers never overlap there; "
            "the row-level race only exists on PostgreSQL"
        )
    programmes.set_supervisors(world.admin, world.enrolment.id, [world.supervisor.id, world.supervisor2.id])
    accredit(world.supervisor, world.association)
    accredit(world.supervisor2, world.association)
    db.session.commit()
    return world.supervisor.id, world.supervisor2.id


def _sign_in_own_context(
    app,
    user_id: int,
    association_id: int,
    record_id: int,
    results: dict,
    *,
    after_update: threading.Event | None = None,
    wait_for: threading.Event | None = None,
    start: threading.Barrier | None = None,
) -> None:
    """Sign on a separate app context, hence a separate session and database connection."""
    with app.app_context():
        try:
            actor = db.session.get(User, user_id)
            if wait_for is not None:
                wait_for.wait(timeout=10)
            if start is not None:
                start.wait(timeout=10)
            signoff.sign(actor, association_id, record_id)
            if after_update is not None:
                after_update.set()  # the row is written and locked, not yet committed
                threading.Event().wait(0.5)  # hold the lock while the other signer reaches it
            db.session.commit()
            results[user_id] = "signed"
        except InvalidState as error:
            db.session.rollback()
            results[user_id] = error.message
        finally:
            if after_update is not None:
                after_update.set()
            db.session.remove()


def test_the_second_signer_who_read_the_record_before_the_first_committed_is_refused(
    app, world, two_supervisors
):
    first, second = two_supervisors
    record = create(world, submit=True)
    results: dict[int, str] = {}
    updated = threading.Event()
    threads = [
        threading.Thread(
            target=_sign_in_own_context,
            args=(app, first, world.association.id, record.id, results),
            kwargs={"after_update": updated},
        ),
        threading.Thread(
            target=_sign_in_own_context,
            args=(app, second, world.association.id, record.id, results),
            kwargs={"wait_for": updated},
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert results[first] == "signed"
    assert "Someone else signed or returned this record a moment ago" in results[second]
    db.session.expire_all()
    final = db.session.get(LogbookRecord, record.id)
    assert (final.status, final.signer_id) == (RecordStatus.SIGNED, first)
    signatures = db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "logbook.signed", AuditEvent.object_id == str(record.id)
        )
    )
    assert signatures == 1


def test_two_signers_released_together_leave_exactly_one_signature(app, world, two_supervisors):
    for _round in range(5):
        record = create(world, submit=True)
        results: dict[int, str] = {}
        start = threading.Barrier(2)
        threads = [
            threading.Thread(
                target=_sign_in_own_context,
                args=(app, user_id, world.association.id, record.id, results),
                kwargs={"start": start},
            )
            for user_id in two_supervisors
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
        assert sorted(results.values()).count("signed") == 1, results
        db.session.expire_all()
        final = db.session.get(LogbookRecord, record.id)
        assert final.status == RecordStatus.SIGNED
        assert final.signer_id == next(user_id for user_id, result in results.items() if result == "signed")
        signatures = select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "logbook.signed", AuditEvent.object_id == str(record.id)
        )
        assert db.session.scalar(signatures) == 1
