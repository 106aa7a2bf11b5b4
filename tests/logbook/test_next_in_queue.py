"""After a signature the supervisor goes on to the next waiting record; the queue previews records."""

from __future__ import annotations

from app.extensions import db
from app.logbook.models import LogbookRecord, RecordStatus
from app.programmes import services as programmes
from tests.logbook.fixtures import a_session, a_supervision, accredit, create


def _sign(client, record_id: int):
    return client.submit(
        f"/logbook/records/{record_id}", {"confirm_final": "y"}, action=f"/logbook/records/{record_id}/sign"
    )


def test_signing_leads_to_the_next_waiting_record_then_to_the_queue(world, client):
    accredit(world.supervisor, world.association)
    first = create(world, submit=True)
    second = create(world, a_supervision(world.supervisor.id), submit=True)
    client.login("sup@x.test")
    response = _sign(client, first.id)
    assert response.status_code == 302
    assert response.location.endswith(f"/logbook/records/{second.id}")
    html = client.get(response.location).get_data(as_text=True)
    assert "Here is the next record waiting for you." in html and "Sign this record" in html
    response = _sign(client, second.id)
    assert response.location.endswith("/logbook/queue")
    assert "Nothing else waits for your signature." in client.get(response.location).get_data(as_text=True)
    db.session.expire_all()
    assert {db.session.get(LogbookRecord, r.id).status for r in (first, second)} == {RecordStatus.SIGNED}


def test_the_next_record_is_one_this_supervisor_is_asked_to_sign(world, client):
    """A record waiting for another supervisor is not 'next' for this one."""
    accredit(world.supervisor, world.association)
    programmes.set_supervisors(world.admin, world.enrolment.id, [world.supervisor.id, world.supervisor2.id])
    db.session.commit()
    first = create(world, submit=True)
    create(world, a_supervision(world.supervisor2.id), submit=True)
    client.login("sup@x.test")
    assert _sign(client, first.id).location.endswith("/logbook/queue")


def test_the_queue_previews_each_record_and_links_the_trainee(world, client):
    create(world, a_session(reflection="I waited before speaking and the group found its way."), submit=True)
    client.login("sup@x.test")
    html = client.get("/logbook/queue").get_data(as_text=True)
    assert '<details class="record-preview">' in html
    assert "I waited before speaking and the group found its way." in html
    assert f'href="/progress/enrolments/{world.enrolment.id}"' in html
