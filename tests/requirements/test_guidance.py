"""The progress page's next steps, what waits for others, who issues the certificate, and records by name."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask_babel import format_date

from app.content.curriculum import get_curriculum
from app.extensions import db
from app.requirements import guidance
from app.requirements.engine import Outcome
from app.requirements.ruleset import KINDS, Requirement
from app.vignettes.content import library
from tests.certificates.conftest import certificate, make_ready, ready  # noqa: F401
from tests.logbook.fixtures import a_session, create
from tests.requirements.records import add_session
from tests.vignettes.helpers import submitted

SESSIONS = {"records": "sessions", "at_least": (("records", 2.0),)}
CHILD = Requirement(id="child", label="Child", kind="total", **SESSIONS)

#: A requirement of each kind the engine knows. A new kind must be added here, and to GUIDES.
SAMPLES = {
    "total": Requirement(
        id="t", label="T", kind="total", where=(("role", frozenset({"co-leader"})),), **SESSIONS
    ),
    "distinct": Requirement(id="d", label="D", kind="distinct", records="sessions", field="setting_category"),
    "share": Requirement(id="s", label="S", kind="share", records="supervision"),
    "rate": Requirement(id="r", label="R", kind="rate", records="events", per="year"),
    "span": Requirement(id="p", label="P", kind="span", records="observations", months=12),
    "module": Requirement(id="m", label="M", kind="module"),
    "reflections": Requirement(id="f", label="F", kind="reflections"),
    "report": Requirement(id="o", label="O", kind="report"),
    "manual": Requirement(id="n", label="N", kind="manual"),
    "elapsed": Requirement(id="e", label="E", kind="elapsed", since="qualification", months=36),
    "all_of": Requirement(id="a", label="A", kind="all_of", children=(CHILD,)),
    "any_of": Requirement(id="y", label="Y", kind="any_of", children=(CHILD,)),
    "at_least_k_of": Requirement(id="k", label="K", kind="at_least_k_of", k=1, children=(CHILD,)),
    "every": Requirement(
        id="v", label="V", kind="every", records="sessions", where=(("role", frozenset({"leader"})),)
    ),
    "ends": Requirement(id="z", label="Z", kind="ends", records="attendance", ends=("first", "last")),
}
COMBINATORS = {"all_of", "any_of", "at_least_k_of"}


def _unmet(requirement: Requirement) -> Outcome:
    return Outcome(requirement, "not_met", 0, 1, "records")


def test_every_requirement_kind_has_a_guide_and_a_sample_here():
    assert set(guidance.GUIDES) == set(KINDS)
    assert set(SAMPLES) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_gives_a_next_step(app, world, kind):
    with app.test_request_context():
        action = guidance.action_for(_unmet(SAMPLES[kind]), guidance.Context(world.enrolment))
    if kind in COMBINATORS:
        assert action is None  # each part carries its own step
        return
    assert action is not None and action.label
    expected = {
        "total": f"/logbook/enrolments/{world.enrolment.id}/sessions/new?role=co-leader",
        "distinct": f"/logbook/enrolments/{world.enrolment.id}/sessions/new",
        "share": f"/logbook/enrolments/{world.enrolment.id}/supervision/new",
        "rate": f"/logbook/enrolments/{world.enrolment.id}/events/new",
        "module": f"/learning/lessons/{get_curriculum().lessons[0].slug}",
        "reflections": f"/vignettes/{library().vignettes[0].slug}",
        "every": f"/logbook/enrolments/{world.enrolment.id}/sessions/new?role=leader",
    }
    assert action.url == expected.get(kind)  # None: someone else acts (observer, supervisor, admins)


def test_a_met_requirement_has_no_step(app, world):
    met = Outcome(SAMPLES["total"], "met", 2, 2, "records")
    with app.test_request_context():
        assert guidance.action_for(met, guidance.Context(world.enrolment)) is None


def test_the_next_vignette_and_lesson_skip_what_is_started(app, world):
    submitted(world, library().vignettes[0].slug)
    with app.test_request_context():
        action = guidance.action_for(_unmet(SAMPLES["reflections"]), guidance.Context(world.enrolment))
    assert action.url == f"/vignettes/{library().vignettes[1].slug}"


def test_the_progress_page_links_each_requirement_to_its_form_prefilled(world, client):
    client.login("trainee@x.test")
    page = client.get("/progress/").get_data(as_text=True)
    url = f"/logbook/enrolments/{world.enrolment.id}/sessions/new?role=co-leader"
    assert f'href="{url}"' in page and "Log a session" in page
    form = client.get(url).get_data(as_text=True)
    assert re.search(r'<option selected value="co-leader">|<option value="co-leader" selected>', form), form[
        :0
    ]


def test_what_waits_for_others_is_counted_and_named(world, client):
    create(world, submit=True)
    create(
        world, a_session(role="co-leader", co_leader_id=world.supervisor2.id, co_leader_name=""), submit=True
    )
    submitted(world)
    client.login("trainee@x.test")
    page = client.get("/progress/").get_data(as_text=True)
    assert "2 records waiting for Sven Supervisor&#39;s signature since" in page
    assert "1 session waiting for Sara Second to confirm as co-leader" in page
    assert "1 reflection with your supervisor since" in page


def test_nothing_waits_when_nothing_is_handed_on(world, client):
    create(world)  # a draft waits for nobody
    client.login("trainee@x.test")
    page = client.get("/progress/").get_data(as_text=True)
    assert "Waiting for someone else" not in page


def test_a_ready_trainee_is_told_who_issues_the_certificate(world, client, ready):  # noqa: F811
    client.login("trainee@x.test")
    page = client.get("/progress/").get_data(as_text=True)
    assert "Balint Society X issues the certificate" in page
    assert 'href="mailto:admin@x.test"' in page and "Alma Admin" in page


def test_a_trainee_not_ready_is_not_told_yet(world, client):
    client.login("trainee@x.test")
    assert "issues the certificate" not in client.get("/progress/").get_data(as_text=True)


def test_after_issue_the_home_says_certified(world, client, certificate):  # noqa: F811
    client.login("trainee@x.test")
    home = client.get("/home").get_data(as_text=True)
    assert "Certified: Leader training" in home
    assert f'href="/certificates/{certificate.id}"' in home
    assert "Towards your certificate" not in home


def test_the_details_name_records_by_kind_and_date(world, client):
    add_session(world.enrolment, dt.date(2026, 12, 3), signer=world.supervisor)
    add_session(world.enrolment, dt.date(2026, 11, 5), role="member", signer=world.supervisor)
    db.session.commit()
    client.login("trainee@x.test")
    page = client.get(f"/progress/enrolments/{world.enrolment.id}").get_data(as_text=True)
    # The long date of the locale ("3 December 2026", or "December 3, 2026" in American English).
    assert f"Group session as co-leader, {format_date(dt.date(2026, 12, 3), 'long')}" in page
    assert f"Group session as member, {format_date(dt.date(2026, 11, 5), 'long')}" in page
    assert "Record " not in re.sub(r"<[^>]+>", "", page)


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("no membership start date is recorded yet", "the date your membership of the society began"),
        ("after your application: counted once you apply", "count once you apply"),
    ],
)
def test_a_window_waiting_for_an_anchor_says_what_the_trainee_can_do(app, world, reason, words):
    outcome = Outcome(SAMPLES["total"], "not_met", 0, 2, "sessions", excluded=((1, reason),))
    with app.test_request_context():
        action = guidance.action_for(outcome, guidance.Context(world.enrolment))
    assert words in action.label
