"""The logbook pages: forms that keep what was typed and explain errors beside fields, and the flows."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.logbook.models import (
    LogbookRecord,
    Observation,
    RecordStatus,
    SessionRecord,
    SupervisorAccreditation,
)
from tests.logbook.fixtures import a_session, accredit, an_event, create, signed, today

SESSION_FORM = {
    "occurred_on": "2025-03-04",
    "role": "co-leader",
    "minutes": "90",
    "mode": "in-person",
    "group_kind": "ongoing",
    "setting_category": "primary-care",
    "setting": "GP trainees, hospital",
    "members": "8",
    "cases": "2",
    "co_leader_id": "",
    "co_leader_name": "Dr Helen Marsh",
    "is_co_leader_accredited": "y",
    "phases": ["opening", "presentation", "return"],
    "reflection": "I waited before speaking and the group found its own way.",
}


def _new_session_url(world) -> str:
    return f"/logbook/enrolments/{world.enrolment.id}/sessions/new"


def _error_of(html: str, field: str) -> str:
    match = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', html, re.S)
    assert match, f"no error beside {field}"
    return match.group(1)


def test_trainee_logs_a_session_as_draft_then_submits_it(world, client):
    client.login("trainee@x.test")
    response = client.submit(_new_session_url(world), {**SESSION_FORM, "save": "Save as draft"})
    assert response.status_code == 302
    record = db.session.scalar(select(SessionRecord))
    assert (record.status, record.minutes, record.phases) == (
        "draft",
        90,
        ["opening", "presentation", "return"],
    )
    assert record.is_co_leader_accredited is True
    page = client.get(response.location).get_data(as_text=True)
    assert "Saved as a draft." in page
    response = client.submit(
        response.location,
        {"confirm_final": "y"},
        action=f"/logbook/records/{record.id}/submit",
        follow_redirects=True,
    )
    assert "Submitted for signature." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(LogbookRecord, record.id).status == RecordStatus.SUBMITTED


def test_save_and_submit_in_one_step(world, client):
    client.login("trainee@x.test")
    client.submit(
        _new_session_url(world),
        {**SESSION_FORM, "save_submit": "Save and submit for signature", "confirm_final": "y"},
    )
    assert db.session.scalar(select(SessionRecord.status)) == RecordStatus.SUBMITTED


def test_errors_appear_beside_their_fields_and_what_was_typed_is_kept(world, client):
    client.login("trainee@x.test")
    future = (today() + timedelta(days=3)).isoformat()
    form = {**SESSION_FORM, "occurred_on": future, "minutes": "5", "members": "45", "save": "Save as draft"}
    response = client.submit(_new_session_url(world), form)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "in the future" in _error_of(html, "occurred_on")
    assert "from 15 to 600" in _error_of(html, "minutes")
    assert "from 1 to 30" in _error_of(html, "members")
    assert f'value="{future}"' in html and 'value="5"' in html and 'value="45"' in html
    assert 'value="GP trainees, hospital"' in html
    assert "I waited before speaking" in html
    assert re.search(r'<input[^>]*checked[^>]*value="return"|<input[^>]*value="return"[^>]*checked', html)
    assert 'aria-invalid="true"' in html
    assert db.session.query(LogbookRecord).count() == 0


def test_text_in_a_number_field_is_kept_and_explained(world, client):
    client.login("trainee@x.test")
    html = client.submit(_new_session_url(world), {**SESSION_FORM, "minutes": "ninety"}).get_data(
        as_text=True
    )
    assert "valid integer" in _error_of(html, "minutes")
    assert 'value="ninety"' in html


def test_leading_without_a_reflection_is_explained(world, client):
    client.login("trainee@x.test")
    html = client.submit(
        _new_session_url(world), {**SESSION_FORM, "role": "leader", "reflection": ""}
    ).get_data(as_text=True)
    assert "write a short reflection" in _error_of(html, "reflection")


def test_privacy_warning_then_confirmation(world, client):
    client.login("trainee@x.test")
    text = "Mrs Jane Smith of 12 Church Lane wept."
    html = client.submit(_new_session_url(world), {**SESSION_FORM, "reflection": text}).get_data(as_text=True)
    assert "Check for identifying details" in html
    assert "privacy_confirmed" in html
    assert text in html
    response = client.submit(
        _new_session_url(world), {**SESSION_FORM, "reflection": text, "privacy_confirmed": "y"}
    )
    assert response.status_code == 302
    assert db.session.scalar(select(SessionRecord.reflection)) == text


def test_returned_record_shows_the_comment_and_can_be_corrected(world, client):
    accredit(world.supervisor, world.association)
    record = create(world, submit=True)
    client.login("sup@x.test")
    html = client.submit(
        f"/logbook/records/{record.id}", {"comment": ""}, action=f"/logbook/records/{record.id}/return"
    ).get_data(as_text=True)
    assert "Say what the author should change" in _error_of(html, "comment")
    client.submit(
        f"/logbook/records/{record.id}",
        {"comment": "Add the cases discussed."},
        action=f"/logbook/records/{record.id}/return",
    )
    client.logout()
    client.login("trainee@x.test")
    edit = client.get(f"/logbook/records/{record.id}/edit").get_data(as_text=True)
    assert "Add the cases discussed." in edit
    assert 'value="GP trainees, hospital"' in edit  # the form starts from the record
    response = client.submit(
        f"/logbook/records/{record.id}/edit",
        {**SESSION_FORM, "cases": "3", "save_submit": "Save and submit", "confirm_final": "y"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    corrected = db.session.get(LogbookRecord, record.id)
    assert (corrected.status, corrected.cases) == (RecordStatus.SUBMITTED, 3)


def test_supervisor_signs_from_the_record_page(world, client):
    accredit(world.supervisor, world.association)
    record = create(world, submit=True)
    client.login("sup@x.test")
    page = client.get(f"/logbook/records/{record.id}").get_data(as_text=True)
    assert "Sign this record" in page
    response = client.submit(
        f"/logbook/records/{record.id}",
        {"confirm_final": "y"},
        action=f"/logbook/records/{record.id}/sign",
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    db.session.expire_all()
    signed_record = db.session.get(LogbookRecord, record.id)
    assert "Signed. The record is now final." in html
    assert "Nothing else waits for your signature." in html  # back on the (empty) queue
    html = client.get(f"/logbook/records/{record.id}").get_data(as_text=True)
    assert signed_record.content_hash in html
    assert "Sven Supervisor" in html


def test_unaccredited_supervisor_sees_why_there_is_no_sign_button(world, client):
    record = create(world, submit=True)
    client.login("sup@x.test")
    page = client.get(f"/logbook/records/{record.id}").get_data(as_text=True)
    assert "Sign this record" not in page
    assert "not recorded as valid today" in page
    response = client.submit(
        f"/logbook/records/{record.id}", {"confirm_final": "y"}, action=f"/logbook/records/{record.id}/sign"
    )
    assert response.status_code == 409
    assert "accreditation as a supervisor is not valid" in response.get_data(as_text=True)


def test_admin_reopens_from_the_record_page(world, client):
    record = signed(world)
    client.login("admin@x.test")
    html = client.submit(
        f"/logbook/records/{record.id}", {"reason": ""}, action=f"/logbook/records/{record.id}/reopen"
    ).get_data(as_text=True)
    assert "Give the reason" in _error_of(html, "reason")
    response = client.submit(
        f"/logbook/records/{record.id}",
        {"reason": "The date was wrong."},
        action=f"/logbook/records/{record.id}/reopen",
    )
    new = db.session.scalar(select(LogbookRecord).where(LogbookRecord.supersedes_id == record.id))
    assert response.location.endswith(f"/logbook/records/{new.id}")
    old_page = client.get(f"/logbook/records/{record.id}").get_data(as_text=True)
    assert "A newer version replaces this record." in old_page


def test_co_leader_confirms_from_their_list(world, client):
    record = create(world, a_session(co_leader_name="", co_leader_id=world.supervisor2.id), submit=True)
    client.login("sup2@x.test")
    page = client.get("/logbook/confirmations").get_data(as_text=True)
    assert "Tomas Trainee" in page
    response = client.submit(
        "/logbook/confirmations", {}, action=f"/logbook/records/{record.id}/confirm", follow_redirects=True
    )
    assert "your confirmation is recorded" in response.get_data(as_text=True)
    assert db.session.get(SessionRecord, record.id).confirmation() is not None


def test_logbook_page_shows_totals_and_filters(world, client):
    signed(world)
    create(world, an_event(), submit=True)
    create(world, a_session(minutes=60, role="member", co_leader_name="", reflection=""))
    client.login("trainee@x.test")
    html = client.get(f"/logbook/enrolments/{world.enrolment.id}").get_data(as_text=True)
    assert "3 records" in html
    role_rows = re.search(r"Sessions by your role.*?</table>", html, re.S).group(0)
    assert re.search(r"Co-leader</th>\s*<td class=\"num\">1<span class=\"logged\"> / 1", role_rows)
    assert re.search(r"Member</th>\s*<td class=\"num\">0<span class=\"logged\"> / 1", role_rows)
    assert re.search(
        r"Total</th><td class=\"num\">1<span class=\"logged\"> / 2</span></td><td class=\"num\">1.5<span class=\"logged\"> / 2.5",
        role_rows,
    )
    only_events = client.get(f"/logbook/enrolments/{world.enrolment.id}?kind=event").get_data(as_text=True)
    assert "1 record" in only_events and "Leadership weekend" in only_events
    dated = client.get(
        f"/logbook/enrolments/{world.enrolment.id}?from=2025-03-01&to=2025-03-31&status=signed"
    )
    assert "1 record" in dated.get_data(as_text=True)


def test_logbook_is_paginated(world, client, app):
    app.config["PAGE_SIZE"] = 2
    for _ in range(5):
        create(world, a_session(role="member", co_leader_name="", reflection=""))
    client.login("trainee@x.test")
    html = client.get(f"/logbook/enrolments/{world.enrolment.id}?page=3").get_data(as_text=True)
    assert "Page 3 of 3" in html
    assert html.count('class="record-link"') == 1


def test_supervisor_records_an_observation_for_any_trainee_of_the_association(world, client):
    accredit(world.supervisor2, world.association)
    client.login("sup2@x.test")
    url = f"/logbook/observations/new?enrolment={world.enrolment.id}"
    form = {
        "enrolment_id": str(world.enrolment.id),
        "occurred_on": "2025-04-01",
        "setting": "Ongoing GP trainee group",
        "outcome": "satisfactory",
        "report": "Clear opening; the push-back was protected well.",
        "save_submit": "Save and submit",
        "confirm_final": "y",
    }
    response = client.submit(url, form)
    observation = db.session.scalar(select(Observation))
    assert response.location.endswith(f"/logbook/records/{observation.id}")
    page = client.get(response.location).get_data(as_text=True)
    assert "Sign this record" in page
    client.submit(response.location, {"confirm_final": "y"}, action=f"/logbook/records/{observation.id}/sign")
    db.session.expire_all()
    assert db.session.get(Observation, observation.id).status == RecordStatus.SIGNED


def test_admin_records_and_ends_an_accreditation(world, client):
    client.login("admin@x.test")
    html = client.submit(
        "/logbook/admin/accreditations",
        {"supervisor_id": str(world.supervisor.id), "valid_from": "2025-05-01", "valid_until": "2025-04-01"},
    ).get_data(as_text=True)
    assert "cannot be before the first day" in _error_of(html, "valid_until")
    assert 'value="2025-05-01"' in html
    start = (today() - timedelta(days=30)).isoformat()
    response = client.submit(
        "/logbook/admin/accreditations",
        {"supervisor_id": str(world.supervisor.id), "valid_from": start},
        follow_redirects=True,
    )
    assert "accredited today" in response.get_data(as_text=True)
    accreditation = db.session.scalar(select(SupervisorAccreditation))
    client.submit(
        "/logbook/admin/accreditations", {}, action=f"/logbook/admin/accreditations/{accreditation.id}/end"
    )
    db.session.expire_all()
    assert db.session.get(SupervisorAccreditation, accreditation.id).valid_until == today() - timedelta(
        days=1
    )
    assert "not accredited today" in client.get("/logbook/admin/accreditations").get_data(as_text=True)


def test_home_page_blocks_show_the_logbook_counts(world, client):
    accredit(world.supervisor, world.association)
    create(world, submit=True)
    client.login("sup@x.test")
    assert "1 record waits for your signature." in client.get("/home").get_data(as_text=True)
    client.logout()
    client.login("trainee@x.test")
    html = client.get("/home").get_data(as_text=True)
    assert "awaiting signature" in html and "Open your logbook" in html


def test_trainee_index_goes_to_their_logbook(world, client):
    client.login("trainee@x.test")
    response = client.get("/logbook/")
    assert response.location.endswith(f"/logbook/enrolments/{world.enrolment.id}")


def test_an_observers_unfinished_observation_waits_on_their_queue_page(world, client):
    client.login("sup2@x.test")
    form = {
        "enrolment_id": str(world.enrolment.id),
        "occurred_on": "2025-04-01",
        "setting": "Ongoing GP trainee group",
        "outcome": "needs-development",
        "report": "The ending was rushed.",
        "save": "Save as draft",
    }
    client.submit("/logbook/observations/new", form)
    html = client.get("/logbook/queue").get_data(as_text=True)
    assert "Your unfinished observations" in html and "Needs development" in html


@pytest.mark.parametrize("viewer", ["sup2@x.test", "trainee@x.test", "sup@x.test"])
def test_an_observation_draft_edit_page_answers_without_error(world, client, viewer):
    """Finding 14 of issue 13: GET .../edit of an observation draft was a 500."""
    client.login("sup2@x.test")
    form = {
        "enrolment_id": str(world.enrolment.id),
        "occurred_on": "2025-04-01",
        "setting": "Ongoing GP trainee group",
        "outcome": "needs-development",
        "report": "The ending was rushed.",
        "save": "Save as draft",
    }
    client.submit("/logbook/observations/new", form)
    observation = db.session.scalar(select(Observation))
    client.logout()
    client.login(viewer)
    response = client.get(f"/logbook/records/{observation.id}/edit")
    if viewer == "sup2@x.test":
        assert response.status_code == 200
        assert "The ending was rushed." in response.get_data(as_text=True)
        edit = {key: value for key, value in form.items() if key != "enrolment_id"}
        saved = client.submit(
            f"/logbook/records/{observation.id}/edit", {**edit, "report": "The ending was calmer."}
        )
        assert saved.status_code == 302
        db.session.expire_all()
        assert db.session.get(Observation, observation.id).report == "The ending was calmer."
    else:
        assert response.status_code in (403, 404)
