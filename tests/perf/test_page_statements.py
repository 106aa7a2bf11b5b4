"""Every role's main pages run at most 10 SQL statements, and no more when the data grows.

Two worlds are seeded with ``flask bench-seed``'s generator, the second five times the
first (trainees and records per trainee); each page is read once to warm the caches that
hold content and rule sets, then counted on its second read in each world.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.demo.bench_seed import seed
from app.extensions import db
from app.programmes.models import Enrolment
from tests.perf.statements import statements_of_get

LIMIT = 10
SMALL = (20, 4)  # trainees, records each; supervisor 0 has a tenth of the trainees
BIG = (100, 20)

PAGES = {
    "trainee home": ("t0", lambda world: "/home"),
    "trainee progress": ("t0", lambda world: "/progress/"),
    "trainee logbook": ("t0", lambda world: f"/logbook/enrolments/{world['enrolment_id']}"),
    "trainee lessons": ("t0", lambda world: "/learning/"),
    "supervisor home": ("sup0", lambda world: "/home"),
    "supervisor trainees": ("sup0", lambda world: "/progress/trainees"),
    "sign-off queue": ("sup0", lambda world: "/logbook/queue"),
    "review queue": ("sup0", lambda world: "/vignettes/review"),
    "admin home": ("admin", lambda world: "/home"),
    "cohort first page": ("admin", lambda world: "/progress/cohort"),
    "cohort ready filter": ("admin", lambda world: "/progress/cohort?state=ready"),
    "ready list": ("admin", lambda world: "/certificates/ready"),
    "cohort certified filter": ("admin", lambda world: "/progress/cohort?state=certified"),
    "dashboard: waiting sign-offs": ("admin", lambda world: "/admin/waiting"),
    "dashboard: stalled trainees": ("admin", lambda world: "/admin/stalled"),
    "dashboard: expiring certificates": ("admin", lambda world: "/certificates/?status=expiring"),
    "audit trail in words": ("admin", lambda world: "/admin/audit"),
}


def _world(trainees: int, records: int) -> dict:
    association = seed(trainees, records)
    slug = association.slug
    trainee = db.session.scalar(select(User).where(User.email == f"{slug}-t0@bench.test"))
    enrolment_id = db.session.scalar(select(Enrolment.id).where(Enrolment.trainee_id == trainee.id))
    db.session.remove()
    return {"slug": slug, "enrolment_id": enrolment_id}


def _count(app, world: dict, who: str, url: str):
    client = app.test_client()
    client.login(f"{world['slug']}-{who}@bench.test")
    first = client.get(url)
    assert first.status_code == 200, (url, first.status_code)
    first.get_data()
    status, log = statements_of_get(client, db.engine, url)
    assert status == 200, (url, status)
    return log


# The trainee's home gathers five features' blocks in 10 statements (issue 14): the frame 2,
# the blocks' small numbers 1 (``app.summaries``: reflection and logbook counts, pass mark,
# extra attempts, best final score), enrolments with supervisors 1, requirement
# measurements 1, reports and decisions 1, module progress 2, sessions to confirm 1,
# certificates 1.
@pytest.mark.parametrize("name", list(PAGES))
def test_page_statements_bounded_and_constant(app, name, measurements):
    who, url_of = PAGES[name]
    small, big = _world(*SMALL), _world(*BIG)
    small_log = _count(app, small, who, url_of(small))
    big_log = _count(app, big, who, url_of(big))
    measurements.append(f"{name} [{db.engine.dialect.name}]: {small_log.count} / {big_log.count} statements")
    assert big_log.count <= LIMIT, f"{name}: {big_log.count} statements\n{big_log}"
    assert big_log.count == small_log.count, (
        f"{name}: {small_log.count} statements in the small world, {big_log.count} in the big one\n"
        f"small:\n{small_log}\nbig:\n{big_log}"
    )


def test_the_cohort_csv_is_written_in_chunks_and_streamed(app, monkeypatch):
    from app.requirements import views

    monkeypatch.setattr(views, "CSV_CHUNK", 7)
    world = _world(30, 2)
    client = app.test_client()
    client.login(f"{world['slug']}-admin@bench.test")
    response = client.get("/progress/cohort?format=csv")
    assert response.status_code == 200
    assert response.is_streamed
    lines = response.get_data(as_text=True).splitlines()
    response.close()
    assert lines[0].startswith("trainee,email,programme")
    names = [line.split(",")[0] for line in lines[1:]]
    assert names == [f"Trainee {number:05d}" for number in range(30)]


def test_the_sign_off_queue_searches_trainees_by_name_instead_of_listing_them(app):
    world = _world(40, 6)  # supervisor 0 follows trainees 0, 10, 20, 30
    client = app.test_client()
    client.login(f"{world['slug']}-sup0@bench.test")
    everyone = client.get("/logbook/queue").get_data(as_text=True)
    assert "<option" not in everyone.split('id="kind"')[0]  # no pick list of trainees
    html = client.get("/logbook/queue?q=trainee+00010&kind=session").get_data(as_text=True)
    shown = set(re.findall(r"Trainee \d{5}", html.split('class="record-list')[-1]))
    assert shown <= {"Trainee 00010"}
    assert 'value="trainee 00010"' in html  # the search stays in the form, so it survives paging
