"""The supervisor's competency report: assigned supervisors only, privacy-guarded, final once signed.

Final in the services, and against direct SQL in the database too (``app.requirements.triggers``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.privacy.guard import PrivacyWarning
from app.programmes import services as programmes
from app.requirements import reports, services, triggers

UK = (Path(__file__).resolve().parents[2] / "curriculum" / "programmes" / "uk-style.yaml").read_text()
RATINGS = {"safe-frame": 4, "relationship-focus": 3, "group-processes": 3, "own-style": 4, "development": 5}


@pytest.fixture
def uk_enrolment(world):
    programme = programmes.create_programme(
        world.admin, world.association.id, slug="uk", title="UK", rule_set_source=UK
    )
    enrolment = programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=world.trainee2.id,
        programme_id=programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=dt.date(2024, 1, 1),
    )
    db.session.commit()
    return enrolment


def draft(world, enrolment, **changes):
    values = {
        "kind": "final",
        "period_start": dt.date(2024, 1, 1),
        "period_end": dt.date(2025, 12, 1),
        "ratings": RATINGS,
        "narrative": "Holds the frame well; learning to stay with silence.",
        "recommendation": "ready",
        **changes,
    }
    return reports.save_report(world.supervisor, enrolment.id, **values)


def test_a_signed_ready_report_meets_the_uk_report_requirement(world, uk_enrolment):
    report = draft(world, uk_enrolment)
    reports.sign_report(world.supervisor, report.id)
    db.session.commit()
    outcomes = {
        o.requirement.id: o
        for o in services.enrolment_progress(world.admin, uk_enrolment.id).evaluation.outcomes
    }
    assert outcomes["supervisor-report"].status == "met"
    assert report.content_hash and len(report.content_hash) == 64


def test_a_low_rating_does_not_meet_the_minimum(world, uk_enrolment):
    # The UK guidelines publish no minimum rating; a rule set that sets one is held to it.
    with_minimum = UK.replace("recommendation: ready\n", "recommendation: ready\n    min_rating: 3\n", 1)
    assert with_minimum != UK
    version = programmes.add_rule_set_version(
        world.admin, world.association.id, uk_enrolment.programme_id, with_minimum
    )
    services.migrate_enrolment(world.admin, uk_enrolment.id, version.id)
    report = draft(world, uk_enrolment, ratings={**RATINGS, "group-processes": 2})
    reports.sign_report(world.supervisor, report.id)
    db.session.commit()
    outcomes = services.enrolment_progress(world.admin, uk_enrolment.id).evaluation.outcomes
    outcome = next(o for o in outcomes if o.requirement.id == "supervisor-report")
    assert outcome.status == "not_met"
    assert outcome.excluded == ((report.id, "rated below 3 on group-processes"),)


def test_every_competency_of_the_rule_set_must_be_rated(world, uk_enrolment):
    with pytest.raises(ValidationError) as error:
        draft(world, uk_enrolment, ratings={"safe-frame": 4})
    assert "rating_development" in error.value.fields


def test_signed_reports_are_final(world, uk_enrolment):
    report = draft(world, uk_enrolment)
    reports.sign_report(world.supervisor, report.id)
    db.session.commit()
    with pytest.raises(InvalidState):
        draft(world, uk_enrolment, report_id=report.id, narrative="Changed afterwards.")
    with pytest.raises(InvalidState):
        reports.sign_report(world.supervisor, report.id)


def test_only_an_assigned_supervisor_writes_and_signs(world, uk_enrolment):
    with pytest.raises(Forbidden):
        reports.save_report(
            world.supervisor2,
            uk_enrolment.id,
            kind="final",
            period_start=None,
            period_end=dt.date(2025, 1, 1),
            ratings=RATINGS,
            narrative="x",
            recommendation="ready",
        )
    with pytest.raises(Forbidden):
        reports.save_report(
            world.trainee2,
            uk_enrolment.id,
            kind="final",
            period_start=None,
            period_end=dt.date(2025, 1, 1),
            ratings=RATINGS,
            narrative="x",
            recommendation="ready",
        )
    report = draft(world, uk_enrolment)
    db.session.commit()
    with pytest.raises(NotFound):
        reports.get_report(world.trainee2, report.id)  # the trainee sees it once signed
    with pytest.raises(NotFound):
        reports.get_report(world.other_admin, report.id)


def test_the_narrative_goes_through_the_privacy_guard(world, uk_enrolment):
    with pytest.raises(PrivacyWarning) as warning:
        draft(world, uk_enrolment, narrative="She handled Mrs Jennings' case on 3 March 2025 with care.")
    assert set(warning.value.kinds["narrative"]) >= {"person-name", "date"}
    db.session.rollback()
    draft(world, uk_enrolment, narrative="She handled Mrs Jennings' case with care.", privacy_confirmed=True)
    db.session.commit()
    override = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "privacy.override")).one()
    assert override.details == {"kinds": {"narrative": ["person-name"]}}
    assert "Jennings" not in str(override.details)


def test_the_report_form_keeps_what_was_typed_on_a_privacy_warning(app, world, uk_enrolment):
    client = app.test_client()
    client.login("sup@x.test")
    url = f"/progress/enrolments/{uk_enrolment.id}/reports/new"
    data = {
        "kind": "final",
        "period_end": "2025-12-01",
        "recommendation": "ready",
        "narrative": "Worked well with the group of Dr Kovacs in Leeds.",
        **{f"rating_{key}": value for key, value in RATINGS.items()},
    }
    response = client.submit(url, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Check for identifying details" in html
    assert "Worked well with the group of Dr Kovacs in Leeds." in html
    response = client.submit(url, {**data, "privacy_confirmed": "y"})
    assert response.status_code == 302


# -- the database's own guard (app/requirements/triggers.py) ---------------------------------


def _execute(sql: str, **params) -> None:
    db.session.execute(sa.text(sql), params)
    db.session.flush()


@pytest.fixture
def signed_report(world, uk_enrolment):
    report = draft(world, uk_enrolment)
    reports.sign_report(world.supervisor, report.id)
    db.session.commit()
    return report


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE competency_report SET status = 'draft' WHERE id = :id",
        "UPDATE competency_report SET recommendation = 'not_yet' WHERE id = :id",
        "UPDATE competency_report SET narrative = 'rewritten' WHERE id = :id",
        "UPDATE competency_report SET content_hash = 'forged' WHERE id = :id",
        "UPDATE competency_report SET signed_at = signed_at WHERE id = :id",
        "DELETE FROM competency_report WHERE id = :id",
    ],
)
def test_database_refuses_to_change_or_delete_a_signed_report(signed_report, statement):
    with pytest.raises(sa.exc.IntegrityError, match="signed report is final"):
        _execute(statement, id=signed_report.id)
    db.session.rollback()
    row = db.session.execute(
        sa.text(
            "SELECT status, recommendation, narrative, content_hash FROM competency_report WHERE id = :id"
        ),
        {"id": signed_report.id},
    ).one()
    assert (row.status, row.recommendation, row.content_hash) == (
        "signed",
        "ready",
        signed_report.content_hash,
    )
    assert row.narrative.startswith("Holds the frame")


def test_database_lets_a_draft_report_be_edited_signed_and_deleted(world, uk_enrolment):
    report = draft(world, uk_enrolment)
    db.session.commit()
    _execute("UPDATE competency_report SET narrative = 'Second thoughts.' WHERE id = :id", id=report.id)
    db.session.commit()
    assert db.session.scalar(sa.text("SELECT narrative FROM competency_report")) == "Second thoughts."
    reports.sign_report(world.supervisor, report.id)  # signing updates a draft row: allowed
    db.session.commit()
    other = draft(world, uk_enrolment, kind="periodic")
    db.session.commit()
    _execute("DELETE FROM competency_report WHERE id = :id", id=other.id)
    db.session.commit()
    assert db.session.scalar(sa.text("SELECT count(*) FROM competency_report")) == 1


def test_suspended_lifts_the_guard_for_one_block_only(signed_report):
    report_id = signed_report.id  # read now: inside the block the session would wait for the table lock
    db.session.rollback()
    with db.engine.begin() as connection, triggers.suspended(connection):
        repair = sa.text("UPDATE competency_report SET narrative = 'repaired' WHERE id = :id")
        connection.execute(repair, {"id": report_id})
    assert db.session.scalar(sa.text("SELECT narrative FROM competency_report")) == "repaired"
    with pytest.raises(sa.exc.IntegrityError, match="signed report is final"):
        _execute("DELETE FROM competency_report WHERE id = :id", id=report_id)
    db.session.rollback()


def test_the_trainees_own_name_in_the_narrative_is_not_flagged(world, uk_enrolment):
    # The report is about the trainee: their name is expected, and no patient's.
    report = draft(world, uk_enrolment, narrative="Tilda holds the frame well. Tilda Two is ready to lead.")
    assert report.narrative.startswith("Tilda holds")
    with pytest.raises(PrivacyWarning) as warning:
        draft(world, uk_enrolment, narrative="Tilda handled Mrs Jennings' case with care.")
    assert "Jennings" in str(warning.value.fields["narrative"])
    assert "Tilda" not in str(warning.value.fields["narrative"])
