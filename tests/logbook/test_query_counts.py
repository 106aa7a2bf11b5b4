"""Pages cost a fixed number of queries, whether a logbook holds ten records or a thousand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.extensions import db
from app.logbook.models import RecordStatus, SessionRecord, SupervisionRecord, TrainingEvent
from tests.logbook.fixtures import accredit, count_queries

STATUSES = [RecordStatus.SIGNED, RecordStatus.SIGNED, RecordStatus.SUBMITTED, RecordStatus.DRAFT]


def _fill(world, count: int, start: int = 0) -> None:
    """Insert records in bulk (one flush): sessions, supervision and events in every status."""
    base = {
        "association_id": world.association.id,
        "enrolment_id": world.enrolment.id,
        "author_id": world.trainee.id,
    }
    signed_at = datetime(2025, 6, 1, tzinfo=UTC)
    rows = []
    for number in range(start, start + count):
        status = STATUSES[number % len(STATUSES)].value
        common = {
            **base,
            "status": status,
            "occurred_on": date(2022, 1, 1) + timedelta(days=number % 1000),
            "submitted_at": signed_at if status != "draft" else None,
        }
        if status == "signed":
            common |= {"signer_id": world.supervisor.id, "signed_at": signed_at, "content_hash": "0" * 64}
        if number % 10 == 8:
            rows.append(
                SupervisionRecord(
                    **common,
                    minutes=60,
                    mode="individual",
                    channel="online",
                    supervisor_id=world.supervisor.id,
                )
            )
        elif number % 10 == 9:
            rows.append(
                TrainingEvent(
                    **common,
                    ends_on=common["occurred_on"],
                    days=1,
                    event_kind="seminar",
                    title="Seminar",
                    provider="BSX",
                )
            )
        else:
            rows.append(
                SessionRecord(
                    **common,
                    role=["member", "presenter", "co-leader", "leader"][number % 4],
                    minutes=90,
                    mode="in-person" if number % 3 else "online",
                    group_kind="ongoing",
                    setting_category="primary-care",
                    members=8,
                    cases=2,
                    co_leader_id=world.supervisor2.id if number % 5 == 0 else None,
                )
            )
    db.session.add_all(rows)
    db.session.commit()


def _queries(client, url: str) -> int:
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    response.close()
    return len(statements)


@pytest.mark.parametrize(
    ("login", "url"),
    [
        ("trainee@x.test", "/logbook/enrolments/{enrolment}"),
        ("trainee@x.test", "/logbook/enrolments/{enrolment}?kind=session&status=signed&page=3"),
        ("trainee@x.test", "/home"),
        ("sup@x.test", "/logbook/queue"),
        ("sup@x.test", "/logbook/queue?kind=session&page=2"),
        ("sup@x.test", "/home"),
        ("sup2@x.test", "/logbook/confirmations"),
        ("admin@x.test", "/logbook/enrolments/{enrolment}"),
        ("trainee@x.test", "/logbook/enrolments/{enrolment}/export.csv"),
    ],
)
def test_page_queries_do_not_grow_with_a_thousand_records(world, client, login, url):
    accredit(world.supervisor, world.association)
    url = url.format(enrolment=world.enrolment.id)
    _fill(world, 40)
    client.login(login)
    _queries(client, url)  # warm caches of the first request after login
    small = _queries(client, url)
    _fill(world, 960, start=40)
    large = _queries(client, url)
    assert large == small, f"{url}: {small} queries with 40 records, {large} with 1,000"
    assert small <= 25, f"{url}: {small} queries"
