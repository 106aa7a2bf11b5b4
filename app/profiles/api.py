"""API operations of profile facts, on the API blueprint of ``app.api.core``: read an
enrolment's track, memberships, qualifications and exams; record them (admins).

Each calls the same service as the pages, so the API refuses and allows exactly what they do.
"""

from __future__ import annotations

from app.api.core import current_user, operation
from app.extensions import db
from app.profiles import api_schemas as s
from app.profiles import services


def _out(enrolment_id: int) -> dict:
    db.session.flush()
    facts = services.profile_facts(current_user(), enrolment_id)
    return {
        "enrolment_id": facts.enrolment.id,
        "track": facts.enrolment.track,
        "tracks": [{"id": track, "label": label} for track, label in facts.tracks],
        "memberships": [
            {"id": m.id, "started_on": m.started_on, "ended_on": m.ended_on} for m in facts.memberships
        ],
        "qualifications": [
            {"id": q.id, "kind": q.kind, "obtained_on": q.obtained_on} for q in facts.qualifications
        ],
        "exams": [
            {
                "id": x.id,
                "kind": x.kind,
                "outcome": x.outcome,
                "occurred_on": x.occurred_on,
                "examiner_id": x.examiner_id,
                "examiner_name": x.examiner_label,
                "note": x.note,
            }
            for x in facts.exams
        ],
    }


@operation(
    "/enrolments/<int:enrolment_id>/profile-facts",
    "GET",
    summary="The dated profile facts rules read: track, memberships, qualifications, exams",
    tag="enrolments",
    response=s.ProfileFactsOut,
)
def get_profile_facts(enrolment_id: int):
    """Whoever may see the enrolment: the trainee, their supervisors, the association's admins."""
    return _out(enrolment_id)


@operation(
    "/enrolments/<int:enrolment_id>/track",
    "PUT",
    summary="Set the professional-background track (admins)",
    tag="enrolments",
    body=s.TrackIn,
    response=s.ProfileFactsOut,
)
def set_enrolment_track(enrolment_id: int, body: s.TrackIn):
    """One of the tracks the enrolment's rule set declares, or null; anything else is 422."""
    services.set_track(current_user(), enrolment_id, body.track)
    return _out(enrolment_id)


@operation(
    "/enrolments/<int:enrolment_id>/memberships",
    "POST",
    summary="Record a period of society membership (admins)",
    tag="enrolments",
    body=s.MembershipIn,
    response=s.ProfileFactsOut,
    status=201,
)
def add_society_membership(enrolment_id: int, body: s.MembershipIn):
    services.add_membership(current_user(), enrolment_id, started_on=body.started_on, ended_on=body.ended_on)
    return _out(enrolment_id)


@operation(
    "/enrolments/<int:enrolment_id>/qualifications",
    "POST",
    summary="Record a professional qualification with its date (admins)",
    tag="enrolments",
    body=s.QualificationIn,
    response=s.ProfileFactsOut,
    status=201,
)
def add_professional_qualification(enrolment_id: int, body: s.QualificationIn):
    services.add_qualification(current_user(), enrolment_id, kind=body.kind, obtained_on=body.obtained_on)
    return _out(enrolment_id)


@operation(
    "/enrolments/<int:enrolment_id>/exams",
    "POST",
    summary="Record an exam or assessed event with the examiner's outcome (admins)",
    tag="enrolments",
    body=s.ExamIn,
    response=s.ProfileFactsOut,
    status=201,
)
def record_exam_result(enrolment_id: int, body: s.ExamIn):
    services.record_exam(
        current_user(),
        enrolment_id,
        kind=body.kind,
        outcome=body.outcome,
        occurred_on=body.occurred_on,
        examiner_id=body.examiner_id,
        examiner_name=body.examiner_name,
        note=body.note,
    )
    return _out(enrolment_id)
