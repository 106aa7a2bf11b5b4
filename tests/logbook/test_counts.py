"""One source for each count: once the queue is empty, no page says something still waits."""

from __future__ import annotations

from app.extensions import db
from app.programmes import services as programmes
from app.vignettes import services as vignettes
from tests.helpers import csrf_token_in
from tests.logbook.fixtures import a_session, a_supervision, accredit, create
from tests.vignettes.helpers import SLUG, complete_answers


def test_signing_a_session_one_co_led_leaves_nothing_waiting_anywhere(world, client):
    accredit(world.supervisor, world.association)
    programmes.set_supervisors(world.admin, world.enrolment.id, [world.supervisor.id, world.supervisor2.id])
    db.session.commit()
    record = create(world, a_session(co_leader_name="", co_leader_id=world.supervisor.id), submit=True)
    create(world, a_supervision(world.supervisor2.id), submit=True)  # waits for the other supervisor
    client.login("sup@x.test")
    home = client.get("/home").get_data(as_text=True)
    assert "1 record waits for your signature." in home
    assert "1 session to confirm as co-leader" in home

    page = client.get(f"/logbook/records/{record.id}").get_data(as_text=True)
    client.post(
        f"/logbook/records/{record.id}/sign", data={"csrf_token": csrf_token_in(page), "confirm_final": "y"}
    )

    home = client.get("/home").get_data(as_text=True)
    assert "No records wait for your signature." in home
    assert "to confirm as co-leader" not in home
    assert "Nothing to confirm." in client.get("/logbook/confirmations").get_data(as_text=True)
    page = client.get(f"/logbook/records/{record.id}").get_data(as_text=True)
    assert "Waiting for the co-leader" not in page
    assert "Confirmed by the co-leader, Sven Supervisor" in page
    trainees = client.get("/progress/trainees").get_data(as_text=True)
    assert "0 records" in trainees
    assert "1 record<" not in trainees


def test_trainees_page_counts_what_the_queue_lists(world, client):
    """A record waiting for another supervisor is not waiting for this one."""
    programmes.set_supervisors(world.admin, world.enrolment.id, [world.supervisor.id, world.supervisor2.id])
    db.session.commit()
    create(world, a_supervision(world.supervisor2.id), submit=True)
    create(world, submit=True)
    client.login("sup@x.test")
    assert "1 record<" in client.get("/progress/trainees").get_data(as_text=True)
    client.logout()
    client.login("sup2@x.test")
    assert "2 records<" in client.get("/progress/trainees").get_data(as_text=True)


def test_one_draft_reads_in_the_singular_on_the_home_page(world, client):
    create(world)
    client.login("trainee@x.test")
    html = client.get("/home").get_data(as_text=True)
    assert "<strong>1</strong> draft</li>" in html
    create(world)
    html = client.get("/home").get_data(as_text=True)
    assert "<strong>2</strong> drafts</li>" in html


def test_trainee_names_in_the_supervisors_lists_link_to_their_progress(world, client):
    create(world, submit=True)
    vignettes.submit_reflection(world.trainee, world.association.id, SLUG, complete_answers())
    db.session.commit()
    progress = f'href="/progress/enrolments/{world.enrolment.id}"'
    client.login("sup@x.test")
    for page in ("/home", "/logbook/queue", "/vignettes/review"):
        html = client.get(page).get_data(as_text=True)
        assert progress in html, page
    assert client.get(f"/progress/enrolments/{world.enrolment.id}").status_code == 200
