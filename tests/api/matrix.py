"""The API's authorization matrix: for every operation, the status each role gets.

Roles: the world's ``trainee``, their assigned ``supervisor``, the association's
``admin``, and ``other_admin`` (an admin of another association, acting there); and,
inside the same association, the three people most likely to reach too far: ``peer``
(a trainee of another enrolment), ``unassigned`` (a supervisor of that other
enrolment, not of the trainee's) and ``co_leader`` (a supervisor named as co-leader on
one of the trainee's sessions, who supervises nobody here).
A write's request is built so that a permitted caller gets past authorization and
either succeeds or stops at a later check (422, 409). ``test_authorization`` runs
the reads on one shared scene and each write on a fresh one, the denied roles
first, so a permitted write cannot change what a denied role sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.applications import services as applications
from app.certificates import issuing
from app.certificates.models import CertificateBatch
from app.content.curriculum import get_curriculum
from app.extensions import db
from app.learning import quizzes
from app.requirements import reports
from app.statuslevels import services as status_levels
from tests.groups.attendance_support import says_not_there
from tests.groups.conftest import matrix_co_leading, matrix_group
from tests.logbook.fixtures import a_session, accredit, create, signed
from tests.vignettes.helpers import SLUG, submitted

ROLES = ("trainee", "supervisor", "admin", "other_admin", "peer", "unassigned", "co_leader")
OTHER_SLUG = "the-man-with-the-list"
FUTURE = (date.today() + timedelta(days=30)).isoformat()


@dataclass(frozen=True)
class Scene:
    """Ids of one of each object the operations act on, in the world's association."""

    programme: int
    enrolment: int
    rule_set: int
    trainee: int
    trainee2: int
    supervisor2: int
    draft: int
    submitted: int
    signed: int
    reflection: int
    report: int
    certificate: int
    serial: str
    attempt: int
    accreditation: int
    lesson: str
    batch: int
    group: int
    group_session: int
    group_member: int
    co_led_session: int
    feedback: int
    observation: int
    application: int = 0
    holding: int = 0  # the second supervisor's status level
    answer: int = 0  # the co-led session's member says "not there", unresolved


def build_scene(world, *, with_certificate: bool = True, with_application: bool = True) -> Scene:
    """One of each object, made through the services; the certificate (a PDF render, the
    slowest part) only when asked for."""
    accreditation = accredit(world.supervisor, world.association)
    draft = create(world)
    confirmable = a_session(co_leader_id=world.supervisor2.id, co_leader_name="")
    waiting = create(world, confirmable, submit=True)
    done = signed(world)
    reflection = submitted(world, SLUG)
    report = reports.save_report(
        world.supervisor,
        world.enrolment.id,
        kind="periodic",
        period_start=None,
        period_end=date.today(),
        ratings={c.id: 3 for c in reports.competencies_for(world.enrolment)},
        narrative="Steady progress with the frame.",
        recommendation="not_yet",
    )
    certificate = (
        issuing.issue(
            world.admin, world.enrolment.id, override_reason="Issued to exercise the API's authorization."
        )
        if with_certificate
        else None
    )
    lesson = get_curriculum().lessons[0].slug
    # An empty batch, just issued: undoing it revokes nothing, and needs no PDF rendered.
    batch = CertificateBatch(association_id=world.association.id, created_by_id=world.admin.id, size=0)
    db.session.add(batch)
    group = matrix_group(world)
    co_leading = matrix_co_leading(world)
    attempt = quizzes.start_attempt(world.trainee, world.association.id, "lesson", lesson)
    # The trainee's open application, with no panel named yet (a PDF render: only when asked for).
    application = (
        applications.apply(world.trainee, world.association.id, world.enrolment.id)
        if with_application
        else None
    )
    # A level held in 2020 only: nobody holds a level today (a holder could sit on a panel).
    holding = status_levels.grant(
        world.admin,
        world.association.id,
        world.supervisor2.id,
        "certified-leader",
        date(2020, 1, 1),
        date(2020, 12, 31),
    )
    answer = says_not_there(world, co_leading.session, "gwen@example.org")
    db.session.commit()
    return Scene(
        programme=world.programme.id,
        enrolment=world.enrolment.id,
        rule_set=world.enrolment.rule_set_id,
        trainee=world.trainee.id,
        trainee2=world.trainee2.id,
        supervisor2=world.supervisor2.id,
        draft=draft.id,
        submitted=waiting.id,
        signed=done.id,
        reflection=reflection.id,
        report=report.id,
        certificate=certificate.id if certificate else 0,
        serial=certificate.serial if certificate else "",
        attempt=attempt.id,
        accreditation=accreditation.id,
        lesson=lesson,
        batch=batch.id,
        group=group.group,
        group_session=group.session,
        group_member=group.member,
        co_led_session=co_leading.session,
        feedback=co_leading.feedback,
        observation=co_leading.observation,
        application=application.id if application else 0,
        holding=holding.id,
        answer=answer.id,
    )


def _statuses(
    trainee: int, supervisor: int, admin: int, other_admin: int, *, peer: int, unassigned: int, co_leader: int
) -> dict[str, int]:
    return dict(
        trainee=trainee,
        supervisor=supervisor,
        admin=admin,
        other_admin=other_admin,
        peer=peer,
        unassigned=unassigned,
        co_leader=co_leader,
    )


def add_neighbours(world, make_user) -> dict[str, object]:
    """The peer trainee with an enrolment of their own, supervised by ``unassigned``;
    ``co_leader`` is the world's second supervisor (named on the scene's waiting session)."""
    from app.accounts.models import Role
    from app.programmes import services as programmes

    unassigned = make_user("sup3@x.test", world.association, Role.SUPERVISOR, name="Uma Unassigned")
    peer = make_user("peer@x.test", world.association, Role.TRAINEE, name="Pia Peer")
    programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=peer.id,
        programme_id=world.programme.id,
        supervisor_ids=[unassigned.id],
        started_on=date(2025, 2, 1),
    )
    db.session.commit()
    return {"peer": peer, "unassigned": unassigned, "co_leader": world.supervisor2}


def _session_body(x: Scene, **changes) -> dict:
    body = {
        "enrolment_id": x.enrolment,
        # A permitted caller stops at the service's validation (the year), so nothing is
        # made; the coded values are valid, since the schema refuses wrong ones for anyone.
        "occurred_on": "1950-03-04",
        "role": "co-leader",
        "minutes": 90,
        "mode": "in-person",
        "group_kind": "ongoing",
        "setting_category": "primary-care",
        "members": 8,
        "cases": 1,
        "co_leader_name": "Dr Helen Marsh",
        "reflection": "I waited before speaking.",
    }
    return {**body, **changes}


def _supervision_body(x: Scene) -> dict:
    return {
        "enrolment_id": x.enrolment,
        "occurred_on": "1950-03-10",
        "minutes": 60,
        "mode": "individual",
        "channel": "online",
        "supervisor_id": x.supervisor2,
    }


def _event_body(x: Scene) -> dict:
    return {
        "enrolment_id": x.enrolment,
        "event_kind": "residential-weekend",
        "title": "Leadership weekend",
        "provider": "Balint Society",
        "starts_on": "2025-02-08",
        "ends_on": "2025-02-07",  # before the start: refused by the service
        "days": 2,
    }


def _observation_body(x: Scene) -> dict:
    return {
        "enrolment_id": x.enrolment,
        "occurred_on": "1950-04-01",  # refused by the service: nothing is made
        "setting": "Ongoing group",
        "outcome": "satisfactory",
        "report": "Kept the focus on the relationship.",
    }


def _report_body() -> dict:
    return {"kind": "periodic", "period_end": FUTURE, "ratings": {}, "recommendation": "not_yet"}


def cases(x: Scene) -> dict[tuple[str, str], tuple[str, dict | None, dict[str, int]]]:
    """(method, rule) -> (path, body, status by role), for every operation of the API."""
    e, p, r = x.enrolment, x.programme, x.report
    return {
        ("GET", "/me"): ("/me", None, _statuses(200, 200, 200, 200, peer=200, unassigned=200, co_leader=200)),
        # programmes
        ("GET", "/programmes"): (
            "/programmes",
            None,
            _statuses(200, 200, 200, 200, peer=200, unassigned=200, co_leader=200),
        ),
        ("POST", "/programmes"): (
            "/programmes",
            {"slug": "second", "title": "Second", "source_yaml": "x: ["},
            _statuses(403, 403, 422, 422, peer=403, unassigned=403, co_leader=403),
        ),
        ("GET", "/programmes/<int:programme_id>"): (
            f"/programmes/{p}",
            None,
            _statuses(200, 200, 200, 404, peer=200, unassigned=200, co_leader=200),
        ),
        ("GET", "/programmes/<int:programme_id>/rule-sets"): (
            f"/programmes/{p}/rule-sets",
            None,
            _statuses(200, 200, 200, 404, peer=200, unassigned=200, co_leader=200),
        ),
        ("POST", "/programmes/<int:programme_id>/rule-sets"): (
            f"/programmes/{p}/rule-sets",
            {"source_yaml": "x: ["},
            _statuses(403, 403, 422, 404, peer=403, unassigned=403, co_leader=403),
        ),
        # enrolments
        ("GET", "/enrolments"): (
            "/enrolments",
            None,
            _statuses(200, 200, 200, 200, peer=200, unassigned=200, co_leader=200),
        ),
        ("POST", "/enrolments"): (
            "/enrolments",
            {
                "trainee_id": x.trainee2,
                "programme_id": p,
                "supervisor_ids": [x.trainee],
                "started_on": "2025-03-01",
            },
            _statuses(403, 403, 422, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("GET", "/enrolments/<int:enrolment_id>"): (
            f"/enrolments/{e}",
            None,
            _statuses(200, 200, 200, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("GET", "/enrolments/<int:enrolment_id>/progress"): (
            f"/enrolments/{e}/progress",
            None,
            _statuses(200, 200, 200, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("PUT", "/enrolments/<int:enrolment_id>/supervisors"): (
            f"/enrolments/{e}/supervisors",
            {"supervisor_ids": [x.trainee]},
            _statuses(403, 403, 422, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("PUT", "/enrolments/<int:enrolment_id>/profile"): (
            f"/enrolments/{e}/profile",
            {"has_psychodynamic_training": True, "qualified_on": FUTURE},
            _statuses(403, 403, 422, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("PUT", "/enrolments/<int:enrolment_id>/rule-set"): (
            f"/enrolments/{e}/rule-set",
            {"rule_set_id": x.rule_set},
            _statuses(403, 403, 409, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("GET", "/enrolments/<int:enrolment_id>/decisions"): (
            f"/enrolments/{e}/decisions",
            None,
            _statuses(200, 200, 200, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/enrolments/<int:enrolment_id>/decisions"): (
            f"/enrolments/{e}/decisions",
            {"requirement_id": "co-led", "decision": "waived", "reason": "no"},
            _statuses(403, 403, 422, 404, peer=403, unassigned=403, co_leader=403),
        ),
        # supervisor reports
        ("GET", "/enrolments/<int:enrolment_id>/reports"): (
            f"/enrolments/{e}/reports",
            None,
            _statuses(200, 200, 200, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/enrolments/<int:enrolment_id>/reports"): (
            f"/enrolments/{e}/reports",
            _report_body(),
            _statuses(403, 422, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("GET", "/reports/<int:report_id>"): (
            f"/reports/{r}",
            None,
            _statuses(404, 200, 200, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("PUT", "/reports/<int:report_id>"): (
            f"/reports/{r}",
            _report_body(),
            _statuses(404, 422, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/reports/<int:report_id>/signature"): (
            f"/reports/{r}/signature",
            None,
            _statuses(404, 200, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/reports/<int:report_id>/acknowledgement"): (
            f"/reports/{r}/acknowledgement",
            {"comment": ""},
            _statuses(404, 403, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        # logbook
        ("GET", "/enrolments/<int:enrolment_id>/records"): (
            f"/enrolments/{e}/records",
            None,
            _statuses(200, 200, 200, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("GET", "/records/<int:record_id>"): (
            f"/records/{x.submitted}",
            None,
            _statuses(200, 200, 200, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/records/sessions"): (
            "/records/sessions",
            _session_body(x),
            _statuses(422, 403, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("PUT", "/records/sessions/<int:record_id>"): (
            f"/records/sessions/{x.draft}",
            _session_body(x),
            _statuses(422, 403, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/records/supervision"): (
            "/records/supervision",
            _supervision_body(x),
            _statuses(422, 403, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("PUT", "/records/supervision/<int:record_id>"): (
            f"/records/supervision/{x.draft}",
            _supervision_body(x),
            _statuses(422, 403, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/records/events"): (
            "/records/events",
            _event_body(x),
            _statuses(422, 403, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("PUT", "/records/events/<int:record_id>"): (
            f"/records/events/{x.draft}",
            _event_body(x),
            _statuses(422, 403, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/records/observations"): (
            "/records/observations",
            _observation_body(x),
            _statuses(403, 422, 403, 403, peer=403, unassigned=422, co_leader=422),
        ),
        ("PUT", "/records/observations/<int:record_id>"): (
            f"/records/observations/{x.draft}",
            _observation_body(x),
            _statuses(422, 403, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("DELETE", "/records/<int:record_id>"): (
            f"/records/{x.draft}",
            None,
            _statuses(204, 403, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/records/<int:record_id>/submission"): (
            f"/records/{x.draft}/submission",
            None,
            _statuses(200, 403, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("GET", "/confirmations/pending"): (
            "/confirmations/pending",
            None,
            _statuses(200, 200, 200, 200, peer=200, unassigned=200, co_leader=200),
        ),
        ("GET", "/confirmations/<int:record_id>"): (
            f"/confirmations/{x.submitted}",
            None,
            _statuses(404, 404, 404, 404, peer=404, unassigned=404, co_leader=200),
        ),
        ("POST", "/records/<int:record_id>/confirmation"): (
            f"/records/{x.submitted}/confirmation",
            None,
            _statuses(403, 403, 403, 404, peer=403, unassigned=403, co_leader=201),
        ),
        ("GET", "/sign-off-queue"): (
            "/sign-off-queue",
            None,
            _statuses(403, 200, 403, 403, peer=403, unassigned=200, co_leader=200),
        ),
        ("POST", "/records/<int:record_id>/signature"): (
            f"/records/{x.submitted}/signature",
            None,
            _statuses(403, 200, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/records/signatures"): (
            "/records/signatures",
            {"record_ids": [x.submitted]},
            _statuses(403, 200, 403, 403, peer=403, unassigned=200, co_leader=200),
        ),
        ("POST", "/records/<int:record_id>/return"): (
            f"/records/{x.submitted}/return",
            {"comment": "Please add the number of members."},
            _statuses(403, 200, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/records/<int:record_id>/reopening"): (
            f"/records/{x.signed}/reopening",
            {"reason": "The date was entered wrongly."},
            _statuses(403, 403, 201, 404, peer=403, unassigned=403, co_leader=403),
        ),
        # groups and sessions: the trainee leads the scene's group; their supervisor reads it
        ("GET", "/groups"): (
            "/groups",
            None,
            _statuses(200, 200, 200, 200, peer=200, unassigned=200, co_leader=200),
        ),
        ("GET", "/groups/<int:group_id>"): (
            f"/groups/{x.group}",
            None,
            _statuses(200, 200, 200, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("GET", "/groups/<int:group_id>/sessions"): (
            f"/groups/{x.group}/sessions",
            None,
            _statuses(200, 200, 200, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/groups/<int:group_id>/sessions"): (
            f"/groups/{x.group}/sessions",
            {"held_on": FUTURE, "starts_at": "18:30", "planned_minutes": 90, "mode": "in-person"},
            _statuses(201, 403, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("GET", "/group-sessions/<int:session_id>"): (
            f"/group-sessions/{x.group_session}",
            None,
            _statuses(200, 200, 200, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("PUT", "/group-sessions/<int:session_id>/attendance"): (
            f"/group-sessions/{x.group_session}/attendance",
            {"marks": [{"member_id": x.group_member, "is_present": True}]},
            _statuses(200, 403, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/group-sessions/<int:session_id>/closure"): (
            f"/group-sessions/{x.group_session}/closure",
            {"cases": 1, "minutes": 90},  # planned a week ahead: not closable yet (422)
            _statuses(422, 403, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        # co-leader feedback (the second trainee's to the trainee) and observation reports
        # (of the trainee, by their supervisor) on the closed session the two co-led
        ("GET", "/co-leader-feedback"): (
            "/co-leader-feedback",
            None,
            _statuses(200, 200, 200, 200, peer=200, unassigned=200, co_leader=200),
        ),
        ("GET", "/co-leader-feedback/<int:feedback_id>"): (
            f"/co-leader-feedback/{x.feedback}",
            None,
            _statuses(200, 200, 404, 404, peer=404, unassigned=404, co_leader=404),
        ),
        ("POST", "/group-sessions/<int:session_id>/co-leader-feedback"): (
            f"/group-sessions/{x.co_led_session}/co-leader-feedback",
            {"recipient_id": x.trainee2, "ratings": {"C7": 4}, "went_well": "We shared the silences well."},
            _statuses(201, 403, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("GET", "/observation-reports"): (
            "/observation-reports",
            None,
            _statuses(200, 200, 200, 200, peer=200, unassigned=200, co_leader=200),
        ),
        ("GET", "/observation-reports/<int:report_id>"): (
            f"/observation-reports/{x.observation}",
            None,
            _statuses(200, 200, 200, 404, peer=404, unassigned=404, co_leader=404),
        ),
        ("POST", "/group-sessions/<int:session_id>/observation-reports"): (
            f"/group-sessions/{x.co_led_session}/observation-reports",
            # The trainee has an observer for this session already: 409 to those who may ask
            {"trainee_id": x.trainee, "observer_id": x.supervisor2, "observer_status": "leader-trainer"},
            _statuses(409, 403, 409, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/observation-reports/<int:report_id>/signature"): (
            f"/observation-reports/{x.observation}/signature",
            {
                "ratings": {"C1": 4, "C3": 3},
                "outcome": "satisfactory",
                "narrative": "Held the frame and returned the group to the doctor-patient relationship.",
            },
            _statuses(403, 200, 403, 404, peer=404, unassigned=404, co_leader=404),
        ),
        # applications for accreditation: the trainee's is open, with no panel named yet
        ("GET", "/applications"): (
            "/applications",
            None,
            _statuses(200, 200, 200, 200, peer=200, unassigned=200, co_leader=200),
        ),
        ("GET", "/applications/<int:application_id>"): (
            f"/applications/{x.application}",
            None,
            _statuses(200, 403, 200, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/applications"): (
            "/applications",
            {"enrolment_id": x.enrolment},  # the trainee's is open already: 409
            _statuses(409, 403, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/applications/<int:application_id>/panel"): (
            f"/applications/{x.application}/panel",
            {"user_id": x.supervisor2},  # neither an admin nor accredited: 422
            _statuses(403, 403, 422, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/applications/<int:application_id>/reviews"): (
            f"/applications/{x.application}/reviews",
            {"recommendation": "accredit", "reasons": "Fine work throughout."},
            _statuses(403, 403, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/applications/<int:application_id>/decision"): (
            f"/applications/{x.application}/decision",
            {"decision": "accredit", "reasons": "Meets every rule."},  # no panel yet: 409
            _statuses(403, 403, 409, 404, peer=403, unassigned=403, co_leader=403),
        ),
        # status levels: admins only; another association's admin works on their own
        ("GET", "/status-levels"): (
            "/status-levels",
            None,
            _statuses(403, 403, 200, 200, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/status-levels/holdings"): (
            "/status-levels/holdings",
            {
                "user_id": x.trainee2,
                "level": "certified-leader",
                "since": "2024-01-01",
                "until": "2024-12-31",
            },
            _statuses(403, 403, 201, 422, peer=403, unassigned=403, co_leader=403),  # not their member
        ),
        ("POST", "/status-levels/holdings/<int:holding_id>/end"): (
            f"/status-levels/holdings/{x.holding}/end",
            {"until": "2020-06-30"},
            _statuses(403, 403, 200, 404, peer=403, unassigned=403, co_leader=403),
        ),
        # members, accreditations, invitations
        ("GET", "/members"): (
            "/members",
            None,
            _statuses(403, 403, 200, 200, peer=403, unassigned=403, co_leader=403),
        ),
        ("GET", "/members/<int:user_id>"): (
            f"/members/{x.trainee}",
            None,
            _statuses(403, 403, 200, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/members/<int:user_id>/roles"): (
            f"/members/{x.trainee2}/roles",
            {"role": "supervisor"},
            _statuses(403, 403, 200, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("DELETE", "/members/<int:user_id>/roles/<role>"): (
            f"/members/{x.supervisor2}/roles/supervisor",
            None,
            _statuses(403, 403, 204, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("DELETE", "/members/<int:user_id>"): (
            f"/members/{x.trainee2}",
            None,
            _statuses(403, 403, 204, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("GET", "/accreditations"): (
            "/accreditations",
            None,
            _statuses(403, 403, 200, 200, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/accreditations"): (
            "/accreditations",
            {"supervisor_id": x.supervisor2, "valid_from": "2024-01-01"},
            _statuses(403, 403, 201, 422, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/accreditations/<int:accreditation_id>/end"): (
            f"/accreditations/{x.accreditation}/end",
            None,
            _statuses(403, 403, 204, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("GET", "/invitations"): (
            "/invitations",
            None,
            _statuses(403, 403, 200, 200, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/invitations"): (
            "/invitations",
            {"email": "newcomer@x.test", "role": "trainee"},
            _statuses(403, 403, 201, 201, peer=403, unassigned=403, co_leader=403),
        ),
        # learning
        ("GET", "/lessons"): (
            "/lessons",
            None,
            _statuses(200, 403, 403, 403, peer=200, unassigned=403, co_leader=403),
        ),
        ("GET", "/lessons/<slug>"): (
            f"/lessons/{x.lesson}",
            None,
            _statuses(200, 403, 403, 403, peer=200, unassigned=403, co_leader=403),
        ),
        ("POST", "/lessons/<slug>/completion"): (
            f"/lessons/{x.lesson}/completion",
            None,
            _statuses(201, 403, 403, 403, peer=201, unassigned=403, co_leader=403),
        ),
        ("POST", "/attempts"): (
            "/attempts",
            {"kind": "lesson", "lesson_slug": x.lesson},
            _statuses(201, 403, 403, 403, peer=201, unassigned=403, co_leader=403),
        ),
        ("GET", "/attempts/<int:attempt_id>"): (
            f"/attempts/{x.attempt}",
            None,
            _statuses(200, 403, 403, 403, peer=404, unassigned=403, co_leader=403),
        ),
        ("POST", "/attempts/<int:attempt_id>/answers"): (
            f"/attempts/{x.attempt}/answers",
            {"answers": {}},
            _statuses(422, 403, 403, 403, peer=404, unassigned=403, co_leader=403),
        ),
        ("POST", "/trainees/<int:trainee_id>/final-test-attempts"): (
            f"/trainees/{x.trainee}/final-test-attempts",
            {"attempts": 1, "reason": "no"},
            _statuses(403, 422, 422, 404, peer=403, unassigned=403, co_leader=403),
        ),
        # vignettes and reflections
        ("GET", "/vignettes"): (
            "/vignettes",
            None,
            _statuses(200, 200, 200, 200, peer=200, unassigned=200, co_leader=200),
        ),
        ("GET", "/vignettes/<slug>"): (
            f"/vignettes/{SLUG}",
            None,
            _statuses(200, 200, 200, 200, peer=200, unassigned=200, co_leader=200),
        ),
        ("PUT", "/vignettes/<slug>/draft"): (
            f"/vignettes/{OTHER_SLUG}/draft",
            {"answers": {}},
            _statuses(200, 403, 403, 403, peer=200, unassigned=403, co_leader=403),
        ),
        ("POST", "/vignettes/<slug>/submission"): (
            f"/vignettes/{OTHER_SLUG}/submission",
            {"answers": {}},
            _statuses(422, 403, 403, 403, peer=422, unassigned=403, co_leader=403),
        ),
        ("GET", "/reflections/<int:reflection_id>"): (
            f"/reflections/{x.reflection}",
            None,
            _statuses(200, 200, 200, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("GET", "/reviews/pending"): (
            "/reviews/pending",
            None,
            _statuses(403, 200, 403, 403, peer=403, unassigned=200, co_leader=200),
        ),
        ("POST", "/reflections/<int:reflection_id>/review"): (
            f"/reflections/{x.reflection}/review",
            {"decision": "revision_requested"},
            _statuses(403, 422, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        # certificates and verification
        ("GET", "/certificates"): (
            "/certificates",
            None,
            _statuses(200, 200, 200, 200, peer=200, unassigned=200, co_leader=200),
        ),
        ("POST", "/certificates"): (
            "/certificates",
            {"enrolment_id": e},
            _statuses(403, 403, 409, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("GET", "/certificates/<int:certificate_id>"): (
            f"/certificates/{x.certificate}",
            None,
            _statuses(200, 404, 200, 404, peer=404, unassigned=404, co_leader=404),
        ),
        ("POST", "/certificates/<int:certificate_id>/revocation"): (
            f"/certificates/{x.certificate}/revocation",
            {"reason": "Issued in error."},
            _statuses(403, 404, 200, 404, peer=404, unassigned=404, co_leader=404),
        ),
        ("POST", "/certificates/<int:certificate_id>/suspend"): (
            f"/certificates/{x.certificate}/suspend",
            {"reason": "A complaint is being looked into."},
            _statuses(403, 404, 200, 404, peer=404, unassigned=404, co_leader=404),
        ),
        ("POST", "/certificates/<int:certificate_id>/lift-suspension"): (
            f"/certificates/{x.certificate}/lift-suspension",
            {"note": "The complaint was settled."},
            _statuses(403, 404, 409, 404, peer=404, unassigned=404, co_leader=404),
        ),
        ("GET", "/certificates/<int:certificate_id>/renewal"): (
            f"/certificates/{x.certificate}/renewal",
            None,
            _statuses(200, 404, 200, 404, peer=404, unassigned=404, co_leader=404),
        ),
        ("POST", "/certificates/<int:certificate_id>/renewal"): (
            f"/certificates/{x.certificate}/renewal",
            {},
            _statuses(403, 404, 409, 404, peer=404, unassigned=404, co_leader=404),  # 409: it never expires
        ),
        ("GET", "/certificates/<int:certificate_id>/pdf"): (
            f"/certificates/{x.certificate}/pdf",
            None,
            _statuses(200, 404, 200, 404, peer=404, unassigned=404, co_leader=404),
        ),
        ("POST", "/certificates/batches/<int:batch_id>/undo"): (
            f"/certificates/batches/{x.batch}/undo",
            None,
            _statuses(403, 403, 200, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("GET", "/certificates/archive"): (
            "/certificates/archive?start=2001-01-01&end=2001-12-31",  # nothing issued then: 422
            None,
            _statuses(403, 403, 422, 422, peer=403, unassigned=403, co_leader=403),
        ),
        ("GET", "/verify/<serial>"): (
            f"/verify/{x.serial}",
            None,
            _statuses(200, 200, 200, 200, peer=200, unassigned=200, co_leader=200),
        ),
        # audit
        ("GET", "/audit-events"): (
            "/audit-events",
            None,
            _statuses(403, 403, 200, 200, peer=403, unassigned=403, co_leader=403),
        ),
        # participant rule sets and members' answers (leaders choose and resolve)
        ("GET", "/participant-rule-sets"): (
            "/participant-rule-sets",
            None,
            _statuses(200, 200, 200, 200, peer=200, unassigned=200, co_leader=200),
        ),
        ("PUT", "/groups/<int:group_id>/members/<int:member_id>/rule-set"): (
            f"/groups/{x.group}/members/{x.group_member}/rule-set",
            {"rule_set": "participant-de"},
            _statuses(200, 403, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("GET", "/group-sessions/<int:session_id>/attendance-answers"): (
            f"/group-sessions/{x.co_led_session}/attendance-answers",
            None,  # the supervisor reads the session, and is listed no answers
            _statuses(200, 200, 200, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("POST", "/attendance-answers/<int:answer_id>/resolution"): (
            f"/attendance-answers/{x.answer}/resolution",
            {"resolution": "corrected"},
            _statuses(200, 403, 403, 404, peer=403, unassigned=403, co_leader=403),
        ),
        **_profile_cases(x),
    }


def _profile_cases(x: Scene) -> dict:
    """Dated profile facts: read by who sees the enrolment, recorded by its admins. Each write
    is refused after authorization (422): the world's rule set declares no tracks, the
    dates lie in the future, the exam names no examiner."""
    e = x.enrolment
    admin_writes = _statuses(403, 403, 422, 404, peer=403, unassigned=403, co_leader=403)
    return {
        ("GET", "/enrolments/<int:enrolment_id>/profile-facts"): (
            f"/enrolments/{e}/profile-facts",
            None,
            _statuses(200, 200, 200, 404, peer=403, unassigned=403, co_leader=403),
        ),
        ("PUT", "/enrolments/<int:enrolment_id>/track"): (
            f"/enrolments/{e}/track",
            {"track": "gp"},
            admin_writes,
        ),
        ("POST", "/enrolments/<int:enrolment_id>/memberships"): (
            f"/enrolments/{e}/memberships",
            {"started_on": FUTURE},
            admin_writes,
        ),
        ("POST", "/enrolments/<int:enrolment_id>/qualifications"): (
            f"/enrolments/{e}/qualifications",
            {"kind": "medical-degree", "obtained_on": FUTURE},
            admin_writes,
        ),
        ("POST", "/enrolments/<int:enrolment_id>/exams"): (
            f"/enrolments/{e}/exams",
            {"kind": "exam", "outcome": "passed", "occurred_on": "2025-01-01"},
            admin_writes,
        ),
    }
