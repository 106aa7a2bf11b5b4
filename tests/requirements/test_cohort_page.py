"""The admin's cohort page: the same rows whether one page or the whole cohort is judged."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import event

from app.accounts.models import Role
from app.extensions import db
from app.programmes import services as programmes
from app.requirements import services, snapshot_jobs
from app.requirements.models import ProgressSnapshot
from app.requirements.views import COHORT_PAGE_SIZE
from tests.requirements.records import add_session

TRAINEES = COHORT_PAGE_SIZE + 5


@pytest.fixture
def cohort(world, make_user):
    """The world's trainee plus enough more for two pages; every third one has done the work."""
    for number in range(TRAINEES - 1):
        user = make_user(
            f"c{number:02d}@x.test", world.association, Role.TRAINEE, name=f"Cohort {number:02d}"
        )
        enrolment = programmes.enrol(
            world.admin,
            world.association.id,
            trainee_id=user.id,
            programme_id=world.programme.id,
            supervisor_ids=[world.supervisor.id],
            started_on=dt.date(2025, 1, 1) + dt.timedelta(days=(number * 7) % 60),
        )
        for day in range(2 if number % 3 == 0 else number % 3 - 1):
            add_session(enrolment, dt.date(2025, 3, 1) + dt.timedelta(days=day))
    db.session.commit()
    snapshot_jobs.refresh_all()  # the job worker has caught up (jobs here run in the caller)
    db.session.commit()
    return world


def names_on(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html)


def ready_on(html: str) -> int:
    return html.count('<span class="status status-met">')


def expected(world, *, state: str = "", sort: str = "name") -> list:
    rows = services.cohort(world.admin, world.association.id, programme_id=world.programme.id)
    if state:
        rows = [row for row in rows if row.evaluation.is_ready == (state == "ready")]
    if sort == "started":
        rows.sort(key=lambda row: row.enrolment.started_on)
    if sort == "progress":
        rows.sort(key=lambda row: (-row.fraction, row.enrolment.trainee.name.lower()))
    return rows


@pytest.mark.parametrize(
    "query",
    ["", "page=2", "sort=started", "sort=started&page=2", "state=ready", "state=not-ready", "sort=progress"],
)
def test_each_page_shows_the_rows_the_whole_cohort_would(client, cohort, query):
    client.login("admin@x.test")
    html = client.get(f"/progress/cohort?{query}").get_data(as_text=True)
    args = dict(part.split("=") for part in query.split("&") if part)
    rows = expected(cohort, state=args.get("state", ""), sort=args.get("sort", "name"))
    page = int(args.get("page", 1))
    shown = rows[(page - 1) * COHORT_PAGE_SIZE : page * COHORT_PAGE_SIZE]
    assert names_on(html) == [row.enrolment.trainee.name for row in shown]
    assert ready_on(html) == sum(row.evaluation.is_ready for row in shown)
    assert f"{len(rows)} trainees" in html


def test_a_page_by_name_judges_only_its_own_trainees(client, cohort, monkeypatch):
    """Pages read stored progress (``snapshots``); without it, a page by name evaluates
    its own trainees (and stores them), and a filter first brings the rest up to date."""
    judged = []
    real = services.progress_of_many

    def counting(enrolments, *args):
        judged.append(len(enrolments))
        return real(enrolments, *args)

    monkeypatch.setattr(services, "progress_of_many", counting)
    client.login("admin@x.test")
    client.get("/progress/cohort?page=2")
    client.get("/progress/cohort?state=ready")
    assert judged == []  # every snapshot was stored by the job after the cohort was committed
    db.session.execute(ProgressSnapshot.__table__.delete())
    db.session.commit()
    client.get("/progress/cohort?page=2")
    client.get("/progress/cohort?state=ready")
    client.get("/progress/cohort?sort=progress")
    # the page's five, evaluated for it (a worker would store them; here jobs run in the
    # caller, which leaves that to the next page that needs them: test_snapshots.py); then
    # the filter brings all of them up to date at once, and the sort finds nothing to do
    assert judged == [TRAINEES - COHORT_PAGE_SIZE, TRAINEES]


def statements_of(client, url: str) -> int:
    statements = []

    def count(*args, **kwargs):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_cohort_page_runs_as_many_statements_for_one_page_as_for_everyone(client, cohort):
    client.login("admin@x.test")
    counts = [statements_of(client, f"/progress/cohort?{query}") for query in ("", "page=2", "state=ready")]
    # Every page is read from the database as one page of stored progress; a filter first
    # asks which snapshots are not current (one statement; none here, so nothing more).
    assert counts[0] == counts[1] == counts[2] - 1, counts
