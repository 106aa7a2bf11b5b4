"""What a person is told when an entry does not make sense: every problem, on its field, at once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.errors import ValidationError
from app.extensions import db
from app.logbook import records
from app.logbook.models import LogbookRecord
from app.privacy.guard import PrivacyWarning
from tests.logbook.fixtures import a_session, a_supervision, an_event, create, today


def _errors(world, data, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        records.create_record(world.trainee, world.association.id, world.enrolment.id, data, **kwargs)
    assert db.session.query(LogbookRecord).count() == 0
    return error.value.fields


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"occurred_on": None}, "occurred_on", "Enter the date"),
        ({"occurred_on": date.today() + timedelta(days=2)}, "occurred_on", "in the future"),
        ({"occurred_on": date(1950, 5, 1)}, "occurred_on", "Check the year"),
        ({"minutes": 14}, "minutes", "from 15 to 600"),
        ({"minutes": 601}, "minutes", "from 15 to 600"),
        ({"minutes": None}, "minutes", "from 15 to 600"),
        ({"members": 0}, "members", "from 1 to 30"),
        ({"members": 31}, "members", "from 1 to 30"),
        ({"cases": -1}, "cases", "from 0 to 20"),
        ({"role": "observer"}, "role", "Choose one of the options"),
        ({"mode": "by letter"}, "mode", "Choose one of the options"),
        ({"group_kind": ""}, "group_kind", "Choose one of the options"),
        ({"setting_category": "moon"}, "setting_category", "Choose one of the options"),
        ({"phases": ("opening", "dancing")}, "phases", "Choose phases"),
        ({"role": "leader", "reflection": " "}, "reflection", "write a short reflection"),
        ({"role": "co-leader", "co_leader_name": ""}, "co_leader_id", "name the leader you worked with"),
        ({"reflection": "x" * 5001}, "reflection", "under 5000 characters"),
    ],
)
def test_session_entries_that_make_no_sense_are_explained(world, changes, field, words):
    fields = _errors(world, a_session(**changes))
    assert any(words in message for message in fields[field]), fields


def test_every_problem_is_reported_together(world):
    fields = _errors(world, a_session(minutes=5, members=40, occurred_on=None))
    assert set(fields) == {"minutes", "members", "occurred_on"}


def test_a_member_or_presenter_need_not_reflect(world):
    for role in ("member", "presenter"):
        record = create(world, a_session(role=role, reflection="", co_leader_name=""))
        assert record.reflection == ""


def test_today_is_not_the_future(world):
    assert create(world, a_session(occurred_on=today())).occurred_on == today()


def test_co_leader_is_chosen_or_named_not_both_and_never_oneself(world, make_user):
    fields = _errors(world, a_session(co_leader_id=world.supervisor2.id, co_leader_name="Dr Marsh"))
    assert "not both" in fields["co_leader_name"][0]
    fields = _errors(world, a_session(co_leader_id=world.trainee.id, co_leader_name=""))
    assert "your own co-leader" in fields["co_leader_id"][0]
    stranger = make_user("stranger@other.test", world.other)
    fields = _errors(world, a_session(co_leader_id=stranger.id, co_leader_name=""))
    assert "Choose someone from the list" in fields["co_leader_id"][0]


def test_phases_are_kept_in_session_order(world):
    record = create(world, a_session(phases=("closing", "opening", "questions")))
    assert record.phases == ["opening", "questions", "closing"]


def test_supervision_minutes_and_supervisor_are_checked(world):
    fields = _errors(world, a_supervision(world.supervisor.id, minutes=700, channel="pigeon"))
    assert set(fields) == {"minutes", "channel"}
    fields = _errors(world, a_supervision(None))
    assert "assigned supervisors" in fields["supervisor_id"][0]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"ends_on": date(2025, 2, 6)}, "ends_on", "cannot be before the first day"),
        ({"days": 3}, "days", "is 2 days"),
        ({"days": 0}, "days", "at least 1"),
        ({"title": " "}, "title", "Enter the title"),
        ({"provider": ""}, "provider", "Enter who ran it"),
        ({"starts_on": None}, "starts_on", "Enter the first day"),
        ({"ends_on": date.today() + timedelta(days=1)}, "ends_on", "in the future"),
        ({"event_kind": "party"}, "event_kind", "Choose one of the options"),
        ({"minutes": 0}, "minutes", "at least 1"),
        ({"days": 1, "ends_on": date(2025, 2, 7), "minutes": 24 * 60 + 1}, "minutes", "24 hours a day"),
    ],
)
def test_event_dates_and_days_must_agree(world, changes, field, words):
    fields = _errors(world, an_event(**changes))
    assert any(words in message for message in fields[field]), fields


def test_a_one_day_event(world):
    record = create(world, an_event(starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 1), days=1))
    assert (record.occurred_on, record.ends_on, record.days) == (date(2025, 5, 1), date(2025, 5, 1), 1)


def test_privacy_guard_stops_identifying_details_until_confirmed(world):
    text = "Mrs Jane Smith, born 12/03/1961, cried when I asked about her husband."
    with pytest.raises(PrivacyWarning) as warning:
        records.create_record(
            world.trainee, world.association.id, world.enrolment.id, a_session(reflection=text)
        )
    assert "reflection" in warning.value.fields
    assert db.session.query(LogbookRecord).count() == 0
    record = records.create_record(
        world.trainee,
        world.association.id,
        world.enrolment.id,
        a_session(reflection=text),
        privacy_confirmed=True,
    )
    assert record.reflection == text


def test_privacy_guard_reads_supervision_notes_and_event_titles(world):
    with pytest.raises(PrivacyWarning) as warning:
        records.create_record(
            world.trainee,
            world.association.id,
            world.enrolment.id,
            a_supervision(world.supervisor.id, notes="We discussed Mr John Brown's angry letter."),
        )
    assert "notes" in warning.value.fields


def test_trainee_cannot_log_in_an_enrolment_that_is_not_active(world):
    from app.errors import InvalidState

    world.enrolment.status = "completed"
    db.session.commit()
    with pytest.raises(InvalidState):
        records.create_record(world.trainee, world.association.id, world.enrolment.id, a_session())
