"""The e-mailed link's page over HTTP: real forms with CSRF, no login."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import Role
from app.extensions import db
from app.logbook.models import LogbookRecord, RecordStatus
from app.maillinks.models import MailLink
from app.twofactor.models import AssociationSecurity
from app.vignettes import services as vignettes
from app.vignettes.models import Reflection
from tests.helpers import csrf_token_in
from tests.logbook.fixtures import a_session, accredit, create
from tests.maillinks.helpers import last_token
from tests.vignettes.helpers import SLUG, complete_answers


def _record_submitted(world):
    accredit(world.supervisor, world.association)
    return create(world, submit=True)


def test_the_link_opens_the_record_without_a_login_and_signs_it(world, client):
    record = _record_submitted(world)
    page = client.get(f"/m/{last_token('sup@x.test')}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert "Sign this record" in html and "Tomas Trainee" in html
    assert "I held the frame better" in html  # the record's own reflection: they sign what they read
    unticked = client.post(
        f"/m/{last_token('sup@x.test')}", data={"csrf_token": csrf_token_in(html), "final_action": "sign"}
    )
    assert unticked.status_code == 422 and "Tick the box to confirm" in unticked.get_data(as_text=True)
    assert db.session.get(LogbookRecord, record.id).status == RecordStatus.SUBMITTED  # nothing signed
    done = client.post(
        f"/m/{last_token('sup@x.test')}",
        data={"csrf_token": csrf_token_in(html), "final_action": "sign", "confirm_final": "y"},
    )
    assert done.status_code == 200 and "Signed. The record is now final." in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(LogbookRecord, record.id).status == RecordStatus.SIGNED
    again = client.get(f"/m/{last_token('sup@x.test')}")
    assert again.status_code == 409 and "already been used" in again.get_data(as_text=True)


def test_the_form_needs_its_csrf_token(world, client):
    record = _record_submitted(world)
    response = client.post(f"/m/{last_token('sup@x.test')}", data={"action": "sign"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(LogbookRecord, record.id).status == RecordStatus.SUBMITTED


def test_a_return_without_comment_is_refused_on_the_form_and_the_link_still_works(world, client):
    _record_submitted(world)
    url = f"/m/{last_token('sup@x.test')}"
    html = client.get(url).get_data(as_text=True)
    refused = client.post(url, data={"csrf_token": csrf_token_in(html), "action": "return", "comment": ""})
    assert refused.status_code == 422
    assert "Say what the author should change" in refused.get_data(as_text=True)
    html = refused.get_data(as_text=True)
    returned = client.post(
        url, data={"csrf_token": csrf_token_in(html), "action": "return", "comment": "Add the phases."}
    )
    assert "Returned to the author" in returned.get_data(as_text=True)


def test_an_unknown_link_is_not_found(world, client):
    assert client.get("/m/not-a-token").status_code == 404


def test_a_two_factor_association_sends_the_link_to_the_login_then_the_record(world, client):
    record = _record_submitted(world)
    db.session.add(AssociationSecurity(association_id=world.association.id, requires_two_factor=True))
    db.session.commit()
    response = client.get(f"/m/{last_token('sup@x.test')}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert f"/logbook/records/{record.id}" in response.headers["Location"].replace("%2F", "/")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sign this record" not in html


def test_the_sender_withdraws_a_link_from_the_list(world, client):
    record = _record_submitted(world)
    client.login("trainee@x.test")
    assert 'href="/mail-links"' in client.get(f"/logbook/records/{record.id}").get_data(as_text=True)
    html = client.get("/mail-links").get_data(as_text=True)
    assert "Sven Supervisor" in html
    link_id = db.session.scalar(select(MailLink.id))
    client.post(f"/mail-links/{link_id}/revoke", data={"csrf_token": csrf_token_in(html)})
    assert "No open links." in client.get("/mail-links").get_data(as_text=True)
    client.logout()
    assert client.get(f"/m/{last_token('sup@x.test')}").status_code == 409


def test_a_reflection_link_shows_the_answers_and_asks_for_a_revision(world, client):
    vignettes.submit_reflection(world.trainee, world.association.id, SLUG, complete_answers())
    db.session.commit()
    url = f"/m/{last_token('sup@x.test')}"
    html = client.get(url).get_data(as_text=True)
    assert "Review a reflection" in html and "Ask for a revision" in html
    assert "The son seems frightened for his mother" in html  # the answers they decide on
    done = client.post(
        url,
        data={"csrf_token": csrf_token_in(html), "action": "revise", "comment": "Say more about the doctor."},
    )
    assert "asked to revise" in done.get_data(as_text=True)
    assert db.session.scalar(select(Reflection.status).where(Reflection.version == 1)) == "revision_requested"


def test_a_co_leader_confirms_from_the_link(world, client, make_user):
    colleague = make_user("co@x.test", world.association, Role.TRAINEE, name="Cora Colleague")
    record = create(world, a_session(co_leader_name="", co_leader_id=colleague.id), submit=True)
    url = f"/m/{last_token('co@x.test')}"
    html = client.get(url).get_data(as_text=True)
    assert "Confirm this session" in html and "Sign this record" not in html
    client.post(
        url, data={"csrf_token": csrf_token_in(html), "final_action": "confirm", "confirm_final": "y"}
    )
    db.session.expire_all()
    assert db.session.get(LogbookRecord, record.id).confirmation() is not None
