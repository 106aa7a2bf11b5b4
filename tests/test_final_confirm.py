"""Actions that cannot be undone are refused until the "this is final" box is ticked.

With JavaScript a dialog ticks the box (tests/browser/test_journey_keyboard_signoff.py);
without it the person ticks it by hand, so the server is what must refuse.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.certificates import issuing
from app.certificates.models import Certificate
from app.extensions import db
from app.logbook.models import LogbookRecord
from app.vignettes.models import Reflection
from tests.certificates.conftest import make_ready
from tests.helpers import csrf_token_in
from tests.logbook.fixtures import accredit, create
from tests.logbook.test_views import SESSION_FORM
from tests.vignettes.helpers import SLUG, complete_answers, form_data, submitted

REFUSAL = "Tick the box to confirm: this cannot be undone."


def _status_of(record_id: int) -> str:
    db.session.expire_all()
    return db.session.get(LogbookRecord, record_id).status


def test_the_record_page_asks_for_the_tick_before_submitting(world, client):
    record = create(world)
    client.login("trainee@x.test")
    page = client.get(f"/logbook/records/{record.id}").get_data(as_text=True)
    assert 'class="final-confirm"' in page and 'name="confirm_final"' in page
    refused = client.submit(
        f"/logbook/records/{record.id}", {}, action=f"/logbook/records/{record.id}/submit"
    )
    assert refused.status_code == 422 and REFUSAL in refused.get_data(as_text=True)
    assert _status_of(record.id) == "draft"
    client.submit(
        f"/logbook/records/{record.id}", {"confirm_final": "y"}, action=f"/logbook/records/{record.id}/submit"
    )
    assert _status_of(record.id) == "submitted"


def test_save_and_submit_needs_the_tick_but_save_as_draft_does_not(world, client):
    record = create(world)
    client.login("trainee@x.test")
    edit = f"/logbook/records/{record.id}/edit"
    form = SESSION_FORM
    refused = client.submit(edit, {**form, "save_submit": "Save and submit for signature"})
    assert refused.status_code != 302 and REFUSAL in refused.get_data(as_text=True)
    assert _status_of(record.id) == "draft"
    assert client.submit(edit, {**form, "save": "Save as draft"}).status_code == 302


def test_signing_a_record_and_a_batch_need_the_tick(world, client):
    accredit(world.supervisor, world.association)
    first, second = create(world, submit=True), create(world, submit=True)
    client.login("sup@x.test")
    refused = client.submit(f"/logbook/records/{first.id}", {}, action=f"/logbook/records/{first.id}/sign")
    assert refused.status_code == 422 and REFUSAL in refused.get_data(as_text=True)
    assert _status_of(first.id) == "submitted"
    html = client.get("/logbook/queue").get_data(as_text=True)
    assert 'name="confirm_final"' in html
    batch = {"csrf_token": csrf_token_in(html), "record_ids": [str(first.id), str(second.id)], "submit": "1"}
    response = client.post("/logbook/queue/sign", data=batch, follow_redirects=True)
    assert "Nothing was signed." in response.get_data(as_text=True)
    assert {_status_of(first.id), _status_of(second.id)} == {"submitted"}
    client.post("/logbook/queue/sign", data={**batch, "confirm_final": "y"})
    assert {_status_of(first.id), _status_of(second.id)} == {"signed"}


def test_submitting_and_accepting_a_reflection_need_the_tick(world, client):
    client.login("trainee@x.test")
    page = f"/vignettes/{SLUG}"
    refused = client.submit(page, {**form_data(complete_answers()), "submit": "Submit for review"})
    assert REFUSAL in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Reflection.id)).where(Reflection.status != "draft")) == 0
    reflection = submitted(world)
    client.logout()
    client.login("sup@x.test")
    review = f"/vignettes/review/{reflection.id}"
    refused = client.submit(review, {"overall_comment": "Well seen.", "accept": "Accept"})
    assert REFUSAL in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Reflection, reflection.id).status == "submitted"


def test_issuing_and_revoking_need_the_tick(world, client):
    make_ready(world.enrolment, world.supervisor)
    client.login("admin@x.test")
    issue = f"/certificates/issue/{world.enrolment.id}"
    refused = client.submit(issue, {"holder_name": "Tomas Trainee"})
    assert refused.status_code != 302 and REFUSAL in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Certificate.id))) == 0
    certificate = issuing.issue(world.admin, world.enrolment.id)
    db.session.commit()
    detail = f"/certificates/{certificate.id}"
    refused = client.submit(detail, {"revoke-reason": "Withdrawn by the board."}, action=f"{detail}/revoke")
    assert REFUSAL in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).revoked_at is None


def test_a_batch_is_not_issued_from_the_preview_without_the_tick(world, client):
    make_ready(world.enrolment, world.supervisor)
    client.login("admin@x.test")
    html = client.get("/certificates/ready").get_data(as_text=True)
    data = {"csrf_token": csrf_token_in(html), "enrolment_ids": [str(world.enrolment.id)], "confirmed": "y"}
    refused = client.post("/certificates/batches", data=data)
    assert refused.status_code == 422 and REFUSAL in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Certificate.id))) == 0
    assert client.post("/certificates/batches", data={**data, "confirm_final": "y"}).status_code == 302
    assert db.session.scalar(select(func.count(Certificate.id))) == 1
