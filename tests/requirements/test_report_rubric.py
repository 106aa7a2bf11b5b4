"""The competency report as a rubric: the default ten, evidence, required fields, and the
trainee's acknowledgement (a row of its own: the signed report stays as signed)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.errors import Forbidden, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.requirements import reports
from app.requirements.rubric import check_rubric, get_rubric
from tests.certificates.pdfs import text_of
from tests.logbook.fixtures import signed
from tests.vignettes.helpers import submitted


def ten(world) -> dict[str, int]:
    return {c.id: 4 for c in reports.competencies_for(world.enrolment)}


def draft(world, **changes):
    values = {
        "kind": "periodic",
        "period_start": dt.date(2025, 1, 15),
        "period_end": dt.date(2025, 11, 1),
        "ratings": ten(world),
        "narrative": "Tomas keeps the group with the relationship.",
        "recommendation": "not_yet",
        **changes,
    }
    report = reports.save_report(world.supervisor, world.enrolment.id, **values)
    db.session.commit()
    return report


def test_a_programme_that_names_no_competencies_is_rated_on_the_canonical_ten(app, world):
    rows = reports.competencies_for(world.enrolment)
    assert [row.code for row in rows] == [f"C{n}" for n in range(1, 11)]
    assert all(len(row.descriptors) == 5 for row in rows)
    assert get_rubric().levels[0] == "Not yet evident"
    with pytest.raises(ValidationError) as error:
        draft(world, ratings={"safe-frame": 4})
    assert error.value.fields["rating_confidentiality"] == [
        "Choose a level from 1 to 5 for “Keeps confidentiality”."
    ]


def test_every_required_field_has_a_human_message(world):
    with pytest.raises(ValidationError) as error:
        draft(world, ratings={}, narrative="  ", recommendation=None, kind="weekly", period_end=None)
    fields = error.value.fields
    assert fields["narrative"] == ["Write the narrative: how the trainee has developed as a leader."]
    assert fields["recommendation"] == ["Choose your recommendation: ready, or not yet ready."]
    assert fields["kind"] == ["Choose a periodic or a final report."]
    assert fields["period_end"] == ["Give the date the period ends."]
    assert len([name for name in fields if name.startswith("rating_")]) == 10


def test_evidence_cites_the_trainees_own_records_and_reflections(world):
    record = signed(world)
    reflection = submitted(world)
    report = draft(world, evidence={"safe-frame": [f"record:{record.id}", f"reflection:{reflection.id}"]})
    cited = reports.cited_evidence(report)
    assert [item.ref for item in cited["safe-frame"]] == [
        f"record:{record.id}",
        f"reflection:{reflection.id}",
    ]
    assert cited["safe-frame"][0].label.startswith("Group session of")
    assert "Reflection on" in cited["safe-frame"][1].label
    reports.sign_report(world.supervisor, report.id)
    db.session.commit()
    assert '"evidence"' in reports.content_of(report)  # what was cited is part of what was signed


def test_evidence_of_someone_else_or_an_unknown_competency_is_refused(world):
    record = signed(world)
    with pytest.raises(ValidationError) as error:
        draft(world, evidence={"safe-frame": ["record:999999"]})
    assert "evidence_safe-frame" in error.value.fields
    with pytest.raises(ValidationError) as error:
        draft(world, evidence={"juggling": [f"record:{record.id}"]})
    assert "evidence" in error.value.fields


def test_the_trainee_acknowledges_a_signed_report_once_with_a_comment(world):
    report = draft(world)
    with pytest.raises(NotFound):  # a draft is not the trainee's to see
        reports.acknowledge_report(world.trainee, report.id)
    reports.sign_report(world.supervisor, report.id)
    db.session.commit()
    signed_hash = report.content_hash
    with pytest.raises(Forbidden):
        reports.acknowledge_report(world.supervisor, report.id, comment="Not mine to acknowledge.")
    acknowledgement = reports.acknowledge_report(
        world.trainee, report.id, comment="I see the co-leading differently; Sven and I spoke about it."
    )
    db.session.commit()
    assert acknowledgement.acknowledged_at is not None
    assert report.acknowledgement.comment.startswith("I see the co-leading")
    assert report.content_hash == signed_hash and report.is_signed
    with pytest.raises(InvalidState):
        reports.acknowledge_report(world.trainee, report.id, comment="Again.")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.acknowledged")).one()
    assert event.details == {"has_comment": True}


def test_the_rubric_file_is_checked_with_file_and_line(tmp_path):
    folder = tmp_path / "rubric"
    folder.mkdir()
    (folder / "competencies.yaml").write_text(
        'levels: ["a", "b", "c", "d", "e"]\n'
        "competencies:\n"
        "  - code: C1\n"
        "    id: frame\n"
        '    label: "Frame"\n'
        '    descriptors: ["1", "2", "3"]\n'
        "    colour: blue\n"
    )
    rubric, problems = check_rubric(tmp_path)
    assert rubric is None
    messages = [str(problem) for problem in problems]
    assert any(":7: unknown key 'colour'" in message for message in messages), messages
    assert any(":6: competency 1 needs exactly 5 descriptors" in message for message in messages), messages


# --- HTTP, with CSRF on ---------------------------------------------------------------------


def test_the_form_is_a_rubric_with_nothing_preselected_and_required_marks(client, world):
    client.login("sup@x.test")
    html = client.get(f"/progress/enrolments/{world.enrolment.id}/reports/new").get_data(as_text=True)
    assert "Competencies (1 to 5)" not in html
    assert "Introduces Balint work, its purpose and history, to new groups" in html
    assert "Lets the group diagnose, advise or lecture" in html  # a level descriptor
    assert " checked" not in html  # no recommendation, no level preselected
    assert html.count('class="required"') >= 1 + 1 + 10 + 1 + 1  # kind, period end, ten, narrative, rec.
    assert 'class="rp-prose"' in html


def test_a_blank_form_names_every_missing_field_and_keeps_the_evidence(client, world):
    record = signed(world)
    client.login("sup@x.test")
    url = f"/progress/enrolments/{world.enrolment.id}/reports/new"
    response = client.submit(url, {"kind": "periodic", "evidence_safe-frame": f"record:{record.id}"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing was saved yet" in html
    assert "Give the date the period ends." in html
    assert "Write the narrative: how the trainee has developed as a leader." in html
    assert "Choose your recommendation: ready, or not yet ready." in html
    assert "Choose a level from 1 to 5 for “Protects the presenter”." in html
    assert f'value="record:{record.id}" id="evidence_safe-frame-1" checked' in html


def test_supervisor_writes_signs_and_trainee_acknowledges_over_http(app, client, world):
    record = signed(world)
    client.login("sup@x.test")
    url = f"/progress/enrolments/{world.enrolment.id}/reports/new"
    data = {
        "kind": "final",
        "period_end": "2025-11-01",
        "narrative": "Tomas Trainee holds the frame and protects the presenter.",
        "recommendation": "ready",
        "evidence_protects-presenter": f"record:{record.id}",
        **{f"rating_{c.id}": "4" for c in reports.competencies_for(world.enrolment)},
    }
    response = client.submit(url, data)
    assert response.status_code == 302, response.get_data(as_text=True)  # no privacy override needed
    report_url = response.headers["Location"]
    report_id = int(report_url.rsplit("/", 1)[1])
    unticked = client.submit(report_url, {}, action=f"/progress/reports/{report_id}/sign")
    assert unticked.status_code == 302 and unticked.location.endswith(report_url)  # nothing signed
    response = client.submit(report_url, {"confirm_final": "y"}, action=f"/progress/reports/{report_id}/sign")
    assert response.status_code == 302
    client.logout()

    client.login("trainee@x.test")
    html = client.get(report_url).get_data(as_text=True)
    assert "Not yet acknowledged by the trainee." in html
    assert "Group session of" in html  # the cited evidence, linked
    response = client.submit(
        report_url,
        {"comment": "Thank you. I would like more co-leading."},
        action=f"{report_url}/acknowledge",
    )
    assert response.status_code == 302
    html = client.get(report_url).get_data(as_text=True)
    assert "Acknowledged by Tomas Trainee on" in html
    assert "I would like more co-leading." in html
    assert f'action="/progress/reports/{report_id}/acknowledge"' not in html  # once only
    pdf = client.get(f"/progress/reports/{report_id}.pdf")
    assert pdf.mimetype == "application/pdf"
    text = " ".join(text_of(pdf.data).split())
    assert "Acknowledged by Tomas Trainee on" in text
    assert "I would like more co-leading." in text
    assert "Protects the presenter" in text and "Recommendation" in text
