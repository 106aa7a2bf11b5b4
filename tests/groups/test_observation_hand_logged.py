"""An observation the observer logged by hand, then a report they sign on the same session:
the trainee has one observation, counted once, not two."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa

from app.errors import ValidationError
from app.extensions import db
from app.groups import observation
from app.logbook import records, signoff
from app.logbook.kinds import RecordStatus
from app.logbook.models import Observation
from app.logbook.validation import ObservationInput
from app.requirements.engine import NOT_MET
from tests.groups.test_observation import GOOD, _assigned, _progress
from tests.logbook.fixtures import accredit

HELD_ON = date(2025, 3, 6)

TWO_OBSERVATIONS = """\
title: "Observed twice"
requirements:
  - id: observed
    label: "Two observations"
    kind: total
    records: observations
    at_least: 2
"""


def _by_hand(world, observer, *, outcome="satisfactory", submit=False, sign=False) -> Observation:
    record = records.create_record(
        observer,
        world.association.id,
        world.enrolment.id,
        ObservationInput(
            occurred_on=HELD_ON, setting="Thursday GP group", outcome=outcome, report="Logged by hand."
        ),
        submit=submit or sign,
    )
    if sign:
        signoff.sign(observer, world.association.id, record.id)
    db.session.commit()
    return record


def _observations(world) -> list[Observation]:
    return db.session.scalars(
        sa.select(Observation).where(Observation.enrolment_id == world.enrolment.id).order_by(Observation.id)
    ).all()


@pytest.mark.parametrize("submitted", [False, True], ids=["draft", "submitted"])
def test_the_report_takes_over_the_observers_unsigned_hand_logged_observation(world, scene, submitted):
    accredit(world.supervisor2, world.association)
    by_hand = _by_hand(world, world.supervisor2, outcome="needs-development", submit=submitted)
    report = _assigned(world, scene, held_on=HELD_ON)
    observation.sign_report(world.supervisor2, world.association.id, report.id, GOOD)
    db.session.commit()
    [only] = _observations(world)
    assert only.id == by_hand.id == report.record_id
    assert (only.status, only.outcome, only.report, only.signer_id) == (
        RecordStatus.SIGNED.value,
        "satisfactory",
        GOOD.narrative,
        world.supervisor2.id,
    )
    assert _progress(world, TWO_OBSERVATIONS) == (NOT_MET, NOT_MET)  # counted once


def test_a_signed_hand_logged_observation_is_linked_when_the_outcomes_agree(world, scene):
    accredit(world.supervisor2, world.association)
    by_hand = _by_hand(world, world.supervisor2, sign=True)
    report = _assigned(world, scene, held_on=HELD_ON)
    observation.sign_report(world.supervisor2, world.association.id, report.id, GOOD)
    db.session.commit()
    assert [record.id for record in _observations(world)] == [by_hand.id] == [report.record_id]
    assert _progress(world, TWO_OBSERVATIONS) == (NOT_MET, NOT_MET)


def test_a_signed_hand_logged_observation_with_another_outcome_stops_the_report(world, scene):
    accredit(world.supervisor2, world.association)
    _by_hand(world, world.supervisor2, outcome="needs-development", sign=True)
    report = _assigned(world, scene, held_on=HELD_ON)
    with pytest.raises(ValidationError) as refused:
        observation.sign_report(world.supervisor2, world.association.id, report.id, GOOD)
    assert "outcome" in refused.value.fields
    db.session.rollback()
    assert len(_observations(world)) == 1 and not db.session.get(type(report), report.id).is_signed
    agreeing = replace(GOOD, outcome="needs-development")
    observation.sign_report(world.supervisor2, world.association.id, report.id, agreeing)
    db.session.commit()
    assert len(_observations(world)) == 1


def test_another_observers_observation_of_the_same_day_stays_its_own(world, scene):
    accredit(world.supervisor, world.association)
    accredit(world.supervisor2, world.association)
    by_hand = _by_hand(world, world.supervisor, sign=True)
    report = _assigned(world, scene, held_on=HELD_ON)
    observation.sign_report(world.supervisor2, world.association.id, report.id, GOOD)
    db.session.commit()
    assert [record.id for record in _observations(world)] == [by_hand.id, report.record_id]


def test_the_report_form_tells_the_observer_what_signing_takes_over(world, scene, client):
    accredit(world.supervisor2, world.association)
    _by_hand(world, world.supervisor2, outcome="needs-development", sign=True)
    report = _assigned(world, scene, held_on=HELD_ON)
    client.login("sup2@x.test")
    url = f"/groups/observations/{report.id}/sign"
    page = client.get(url).get_data(as_text=True)
    assert "You signed an observation of Tomas Trainee on this day" in page and "Needs development" in page
    form = {f"rating_{code}": str(level) for code, level in GOOD.ratings.items()}
    refused = client.submit(
        url, {**form, "outcome": "satisfactory", "narrative": GOOD.narrative, "is_final": "y"}
    )
    assert refused.status_code == 200 and "give the same outcome, or ask an admin" in refused.get_data(
        as_text=True
    )
    assert len(_observations(world)) == 1
