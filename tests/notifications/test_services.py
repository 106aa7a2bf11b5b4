"""Notifications: stored for the person, copied by e-mail, read and marked read."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.errors import Forbidden, NotFound
from app.extensions import db
from app.mail.models import OutboxMessage
from app.notifications import services
from app.notifications.models import Notification


def test_notify_stores_the_notification_and_mails_a_copy_with_the_link(world):
    notification = services.notify(
        world.trainee.id,
        world.association.id,
        "Your record was signed.",
        "/logbook/records/7",
        email_subject="Signed",
    )
    db.session.commit()
    assert (notification.user_id, notification.read_at, notification.link) == (
        world.trainee.id,
        None,
        "/logbook/records/7",
    )
    mail = db.session.scalar(select(OutboxMessage))
    assert (mail.recipient, mail.subject, mail.association_id) == (
        "trainee@x.test",
        "Signed",
        world.association.id,
    )
    assert "Your record was signed." in mail.body
    assert "http://localhost/logbook/records/7" in mail.body


def test_subject_defaults_to_a_shortened_message(world):
    services.notify(world.trainee.id, world.association.id, "word " * 40, "")
    db.session.commit()  # the mail is queued when the transaction commits
    subject = db.session.scalar(select(OutboxMessage.subject))
    assert len(subject) <= services.SUBJECT_LENGTH and subject.endswith("…")


def test_disabled_people_get_the_notification_but_no_mail(world):
    world.trainee.is_enabled = False
    services.notify(world.trainee.id, world.association.id, "Hello", "")
    assert db.session.query(Notification).count() == 1
    assert db.session.query(OutboxMessage).count() == 0


def test_unknown_person_is_refused(world):
    with pytest.raises(NotFound):
        services.notify(999_999, world.association.id, "Hello", "")


def test_each_person_sees_only_their_own_notifications_in_this_association(world):
    services.notify(world.trainee.id, world.association.id, "first", "")
    services.notify(world.trainee.id, world.association.id, "second", "")
    services.notify(world.supervisor.id, world.association.id, "not yours", "")
    services.notify(world.trainee.id, world.other.id, "other association", "")
    db.session.commit()
    page = services.list_notifications(world.trainee, world.association.id)
    assert [n.message for n in page.items] == ["second", "first"]
    assert services.unread_count(world.trainee, world.association.id) == 2


def test_mark_all_read_touches_only_the_actors_unread_notifications(world):
    services.notify(world.trainee.id, world.association.id, "one", "")
    services.notify(world.trainee.id, world.association.id, "two", "")
    services.notify(world.supervisor.id, world.association.id, "theirs", "")
    db.session.commit()
    assert services.mark_all_read(world.trainee, world.association.id) == 2
    db.session.commit()
    assert services.unread_count(world.trainee, world.association.id) == 0
    assert services.unread_count(world.supervisor, world.association.id) == 1
    assert services.mark_all_read(world.trainee, world.association.id) == 0


def test_opening_marks_read_and_returns_only_a_local_link(world):
    mine = services.notify(world.trainee.id, world.association.id, "one", "/logbook/records/1")
    odd = services.notify(world.trainee.id, world.association.id, "two", "//evil.invalid/x")
    theirs = services.notify(world.supervisor.id, world.association.id, "three", "/x")
    db.session.commit()
    assert services.open_notification(world.trainee, world.association.id, mine.id) == "/logbook/records/1"
    assert mine.read_at is not None
    assert services.open_notification(world.trainee, world.association.id, odd.id) == ""
    with pytest.raises(NotFound):
        services.open_notification(world.trainee, world.association.id, theirs.id)
    with pytest.raises(Forbidden):  # acting in an association one does not belong to
        services.open_notification(world.trainee, world.other.id, mine.id)


def test_link_to_works_outside_a_request(app):
    assert services.link_to("notifications.index") == "/notifications/"
