"""API lists cost the same number of queries for a few rows as for a full page."""

from __future__ import annotations

from app.accounts.models import Role
from app.extensions import db
from app.programmes import services as programmes
from tests.learning.helpers import count_queries
from tests.logbook.fixtures import accredit, create


def _queries(api, path: str, as_: str) -> int:
    """Queries of the second of two calls: the first may also note the token's use."""
    api.get(path, as_=as_)
    db.session.expire_all()
    with count_queries() as statements:
        response = api.get(path, as_=as_)
    assert response.status_code == 200, response.get_data(as_text=True)
    return len(statements)


def test_record_lists_and_the_sign_off_queue_do_not_grow_with_their_length(api, world):
    accredit(world.supervisor, world.association)
    for _ in range(3):
        create(world, submit=True)
    few_records = _queries(api, f"/enrolments/{world.enrolment.id}/records", "trainee")
    few_queue = _queries(api, "/sign-off-queue", "supervisor")
    for _ in range(30):
        create(world, submit=True)
    assert _queries(api, f"/enrolments/{world.enrolment.id}/records", "trainee") == few_records
    assert _queries(api, "/sign-off-queue", "supervisor") == few_queue


def test_enrolment_and_member_lists_do_not_grow_with_their_length(api, world, make_user):
    few_enrolments = _queries(api, "/enrolments", "admin")
    few_members = _queries(api, "/members", "admin")
    for number in range(25):
        trainee = make_user(f"bulk{number}@x.test", world.association, Role.TRAINEE)
        programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=trainee.id,
            programme_id=world.programme.id,
            supervisor_ids=[world.supervisor.id, world.supervisor2.id],
            started_on=world.enrolment.started_on,
        )
    db.session.commit()
    assert _queries(api, "/enrolments", "admin") == few_enrolments
    assert _queries(api, "/members", "admin") == few_members
