"""Attendance confirmations through the services and the pages: issuing, checking, the stored
PDF, verification, revocation and who may do what."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.documents.models import StoredDocument
from app.errors import Forbidden, NotFound, ValidationError
from app.extensions import db
from app.groups import attendance_confirmations as confirmations
from app.groups.models import AttendanceConfirmation
from app.mail.models import MailDelivery
from app.notifications.models import Notification
from tests.groups.attendance_support import accredited_group, hold
from tests.helpers import csrf_token_in


@pytest.fixture
def season(world):
    """Eight members; the first attends three sessions (one online), the second is absent once."""
    scene = accredited_group(world, size=8)
    first, second = scene.members[0], scene.members[1]
    everyone = {member.id: "room" for member in scene.members}
    hold(world, scene.group, date(2025, 1, 8), everyone)
    hold(
        world,
        scene.group,
        date(2025, 2, 5),
        {**everyone, first.id: "online", second.id: "absent"},
        minutes=91,
    )
    hold(world, scene.group, date(2025, 3, 5), everyone, minutes=120)
    return scene


def _issue_period(world, scene, member=None, **dates):
    return confirmations.issue(
        world.trainee,
        world.association.id,
        scene.group.id,
        (member or scene.members[0]).id,
        kind="period",
        period_from=dates.get("start", date(2025, 1, 1)),
        period_to=dates.get("end", date(2025, 12, 31)),
    )


def test_a_certificate_of_attendance_over_a_period_sums_the_hours_and_names_the_unmet_rules(world, season):
    draft = confirmations.preview(
        world.trainee,
        world.association.id,
        season.group.id,
        season.members[0].id,
        kind="period",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 12, 31),
    )
    assert (draft.total_minutes, draft.in_person_minutes, draft.online_minutes) == (301, 210, 91)
    unmet = {rule.key for rule in draft.unmet}
    assert unmet == {"thirty-hours", "six-months", "fifteen-hours-in-person", "online-at-most-90"}
    assert draft.may_issue

    confirmation = _issue_period(world, season)
    db.session.commit()
    assert confirmation.sessions_count == 3 and confirmation.rules_met == 2
    assert confirmation.member_name == "Member 01" and confirmation.issuer_name == "Tomas Trainee"
    assert confirmations.is_well_formed(confirmation.serial)
    stored = db.session.scalar(sa.select(StoredDocument).where(StoredDocument.owner_id == confirmation.id))
    assert stored.kind == "attendance_pdf" and stored.content.startswith(b"%PDF")
    mail = db.session.scalar(sa.select(MailDelivery).where(MailDelivery.recipient == "m1@example.org"))
    assert f"http://localhost/attendance/{confirmation.serial}" in mail.body  # on BASE_URL
    events = db.session.scalars(sa.select(AuditEvent.action)).all()
    assert "attendance_confirmation.issued" in events


def test_a_period_the_member_did_not_attend_is_refused_with_a_reason(world, season):
    with pytest.raises(ValidationError) as error:
        _issue_period(world, season, start=date(2025, 4, 1), end=date(2025, 5, 1))
    assert "attended no closed session" in str(error.value.fields)
    with pytest.raises(ValidationError) as error:
        _issue_period(world, season, start=date(2025, 5, 1), end=date(2025, 4, 1))
    assert "ends before it begins" in str(error.value.fields)


def test_a_per_session_confirmation_needs_a_session_the_member_attended(world, season):
    absent_from = confirmations.issuable_sessions(season.members[0])[1]
    with pytest.raises(ValidationError):
        confirmations.issue(
            world.trainee,
            world.association.id,
            season.group.id,
            season.members[1].id,
            kind="session",
            session_id=absent_from.id,
        )
    confirmation = confirmations.issue(
        world.trainee,
        world.association.id,
        season.group.id,
        season.members[0].id,
        kind="session",
        session_id=absent_from.id,
    )
    assert (confirmation.total_minutes, confirmation.online_minutes) == (91, 91)
    assert confirmation.period_from == confirmation.period_to == date(2025, 2, 5)


def test_a_leader_in_training_records_attendance_but_cannot_issue(world):
    scene = accredited_group(world, leader_is_accredited=False)
    hold(world, scene.group, date(2025, 1, 8), {member.id: "room" for member in scene.members})
    draft = confirmations.preview(
        world.trainee,
        world.association.id,
        scene.group.id,
        scene.members[0].id,
        kind="period",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 1, 31),
    )
    assert not draft.may_issue and "Certified Balint group leader" in draft.why_not
    with pytest.raises(Forbidden):
        _issue_period(world, scene)
    assert db.session.scalar(sa.select(sa.func.count(AttendanceConfirmation.id))) == 0


def test_another_association_never_sees_the_member_or_the_confirmation(world, season):
    confirmation = _issue_period(world, season)
    db.session.commit()
    with pytest.raises(NotFound):
        confirmations.preview(
            world.other_admin, world.other.id, season.group.id, season.members[0].id, kind="period"
        )
    with pytest.raises(NotFound):
        confirmations.get_confirmation(world.other_admin, world.other.id, confirmation.id)
    with pytest.raises(Forbidden):
        confirmations.get_confirmation(world.supervisor2, world.association.id, confirmation.id)


def test_revocation_by_the_issuer_or_an_admin_only(world, season):
    confirmation = _issue_period(world, season)
    db.session.commit()
    with pytest.raises(Forbidden):
        confirmations.revoke(world.trainee2, world.association.id, confirmation.id, "mistake")
    with pytest.raises(ValidationError):
        confirmations.revoke(world.admin, world.association.id, confirmation.id, "  ")
    confirmations.revoke(world.admin, world.association.id, confirmation.id, "Wrong member")
    db.session.commit()
    assert confirmations.public_record(confirmation)["status"] == "revoked"
    assert "attendance_confirmation.revoked" in db.session.scalars(sa.select(AuditEvent.action)).all()


# --- the pages -------------------------------------------------------------------------------


def test_the_leader_checks_then_issues_through_the_pages_and_the_download_is_the_stored_bytes(
    world, season, client
):
    client.login("trainee@x.test")
    page = f"/groups/{season.group.id}/members/{season.members[0].id}/attendance"
    html = client.get(
        page,
        query_string={
            "kind": "period",
            "period_from": "2025-01-01",
            "period_to": "2025-12-31",
            "submit": "Check",
        },
    ).get_data(as_text=True)
    assert "not met" in html and "6.69 of 30 teaching hours (45 minutes)." in html  # 301 minutes
    assert "1 of 1 session attended does not have minutes at most 90: 2025-02-05." in html
    form = {"kind": "period", "session_id": "", "period_from": "2025-01-01", "period_to": "2025-12-31"}
    assert client.post(page, data=form).status_code == 400  # no CSRF token: refused
    assert db.session.scalar(sa.select(sa.func.count(AttendanceConfirmation.id))) == 0
    response = client.post(page, data={**form, "csrf_token": csrf_token_in(html)})
    assert response.status_code == 302
    confirmation = db.session.scalar(sa.select(AttendanceConfirmation))
    assert response.headers["Location"].endswith(f"/attendance/confirmations/{confirmation.id}")
    download = client.get(f"/attendance/confirmations/{confirmation.id}/pdf")
    stored = confirmations.stored_pdf(confirmation)
    assert download.status_code == 200 and download.data == stored.content
    assert download.mimetype == "application/pdf"


def test_a_member_with_an_account_is_notified_and_sees_it_on_their_page(world, season, make_user, client):
    from app.accounts.models import Role

    member_user = make_user("m1@example.org", world.association, Role.TRAINEE, name="Member 01")
    season.members[0].user_id = member_user.id
    db.session.commit()
    confirmation = _issue_period(world, season)
    db.session.commit()
    note = db.session.scalar(sa.select(Notification).where(Notification.user_id == member_user.id))
    assert note.link == f"/attendance/confirmations/{confirmation.id}"
    client.login("m1@example.org")
    html = client.get("/attendance/mine").get_data(as_text=True)
    assert f"/attendance/confirmations/{confirmation.id}" in html and "Wednesday Balint group" in html
    assert client.get(f"/attendance/confirmations/{confirmation.id}").status_code == 200
    assert client.get(f"/attendance/confirmations/{confirmation.id}/pdf").data.startswith(b"%PDF")


def test_the_public_page_and_json_show_valid_then_revoked_and_unknown_serials_alike(world, season, client):
    confirmation = _issue_period(world, season)
    db.session.commit()
    html = client.get(f"/attendance/{confirmation.serial}").get_data(as_text=True)
    assert "Valid" in html and "Member 01" in html and "Wednesday Balint group" in html
    assert "Tomas Trainee" in html and "5.02 in total" in html
    body = client.get(f"/attendance/{confirmation.serial}.json").get_json()
    assert body["status"] == "valid" and body["hours"]["online"] == pytest.approx(91 / 60)
    wrong_check = confirmation.serial[:-1] + ("0" if confirmation.serial[-1] != "0" else "1")
    for serial in (wrong_check, "AT-0000-0000-0000-0", "nonsense"):
        assert client.get(f"/attendance/{serial}").status_code == 404
        assert client.get(f"/attendance/{serial}.json").status_code == 404

    client.login("trainee@x.test")
    detail = client.get(f"/attendance/confirmations/{confirmation.id}").get_data(as_text=True)
    response = client.post(
        f"/attendance/confirmations/{confirmation.id}/revoke",
        data={"csrf_token": csrf_token_in(detail), "reason": "Issued to the wrong member"},
    )
    assert response.status_code == 302
    assert "Revoked on" in client.get(f"/attendance/confirmations/{confirmation.id}").get_data(as_text=True)
    assert client.get(f"/attendance/{confirmation.serial}.json").get_json()["status"] == "revoked"
    assert "Revoked on" in client.get(f"/attendance/{confirmation.serial}").get_data(as_text=True)


def test_public_lookups_share_the_certificates_rate_limit(world, season, app, client):
    app.config["CERTIFICATE_VERIFY_LIMIT"] = "2 per minute"
    from app.extensions import limiter

    was_enabled, limiter.enabled = limiter.enabled, True
    try:
        limiter.reset()
        codes = [client.get("/attendance/AT-0000-0000-0000-0").status_code for _ in range(3)]
    finally:
        limiter.reset()
        limiter.enabled = was_enabled
    assert codes[-1] == 429


def test_a_leader_in_training_is_told_why_on_the_page_and_cannot_post_an_issue(world, client):
    scene = accredited_group(world, leader_is_accredited=False)
    hold(world, scene.group, date(2025, 1, 8), {member.id: "room" for member in scene.members})
    client.login("trainee@x.test")
    page = f"/groups/{scene.group.id}/members/{scene.members[0].id}/attendance"
    html = client.get(
        page,
        query_string={
            "kind": "period",
            "period_from": "2025-01-01",
            "period_to": "2025-01-31",
            "submit": "Check",
        },
    ).get_data(as_text=True)
    assert "you cannot issue confirmations" in html and "Issue the confirmation" not in html
    form = {"kind": "period", "period_from": "2025-01-01", "period_to": "2025-01-31"}
    assert client.post(page, data={**form, "csrf_token": csrf_token_in(html)}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(AttendanceConfirmation.id))) == 0


def test_the_database_refuses_to_change_an_issued_confirmation_except_to_revoke_it_once(world, season):
    confirmation = _issue_period(world, season)
    db.session.commit()
    table = AttendanceConfirmation.__table__
    where = table.c.id == confirmation.id
    for change in ({"total_minutes": 9999}, {"member_name": "Someone Else"}, {"rules": []}):
        with pytest.raises(sa.exc.DBAPIError), db.session.begin_nested():
            db.session.execute(sa.update(table).where(where).values(**change))
    with pytest.raises(sa.exc.DBAPIError), db.session.begin_nested():
        db.session.execute(sa.delete(table).where(where))
    confirmations.revoke(world.trainee, world.association.id, confirmation.id, "Issued twice")
    db.session.commit()
    # Revoked is final too.
    with pytest.raises(sa.exc.DBAPIError), db.session.begin_nested():
        db.session.execute(sa.update(table).where(where).values(revocation_reason="changed"))
