"""Demo certificates, loaded by ``flask demo`` after people, enrolments and logbooks exist.

* ``ready@demo.test`` (Márta Győri) meets every requirement of the course completion and
  holds no certificate yet: she is on the admin's 'ready' list.
* ``certified@demo.test`` (Łukasz Wróbel) met them too; his first certificate printed
  his name without its accents and was re-issued, so he holds one superseded and one
  valid certificate.
  His valid certificate was suspended once during a complaint and the suspension lifted,
  so its verification page shows the period.
* ``former@demo.test`` (Андрей Соколов) was issued one by mistake, with an override,
  and it was revoked.
* ``suspended@demo.test`` (Ingrid Halvorsen) met every requirement and holds a
  certificate that is suspended now, while a complaint is looked into: its verification
  page and the association's suspension list show it.
* ``renewing@demo.test`` (Ingrid Solberg) was certified almost five years ago; her
  certificate expires within weeks, and the sessions she led and the supervision she
  received since meet the programme's renewal rules: she is on the admins' "Due for
  renewal" page (linked from the register and the ready list), and her certificates
  page shows her progress.

Their evidence is inserted the way it would have accumulated: signed co-led sessions
(signed rows carry their real content hash), reflections submitted and accepted
through the vignette services, a passed final test. Certificates are issued,
re-issued and revoked through the certificate services. Idempotent: a person who is
already enrolled, or whose enrolment already has a certificate, is left alone.
"""

from __future__ import annotations

from datetime import date, timedelta

import yaml
from flask import current_app
from sqlalchemy import select

from app.accounts.models import Association, Membership, Role, User
from app.certificates import corrections, issuing, suspension
from app.certificates.models import Certificate
from app.database import utcnow
from app.extensions import db
from app.learning.models import QuizAttempt, QuizKind
from app.logbook.models import LogbookRecord, RecordStatus, SessionRecord, SupervisionRecord
from app.programmes import services as programmes
from app.programmes.models import Enrolment, Programme
from app.vignettes import review
from app.vignettes import services as vignettes
from app.vignettes.demo import DATA_FILE
from app.vignettes.models import Decision

PEOPLE = {
    "ready@demo.test": "Márta Győri",
    "certified@demo.test": "Łukasz Wróbel",
    "former@demo.test": "Андрей Соколов",
    "suspended@demo.test": "Ingrid Halvorsen",
    "renewing@demo.test": "Ingrid Solberg",
}
EVIDENCE_FOR = ("ready@demo.test", "certified@demo.test", "suspended@demo.test", "renewing@demo.test")
#: Ingrid's certificate was issued this many days ago; with the course completion's five years
#: of validity it expires in about six weeks.
RENEWING_ISSUED_DAYS_AGO = 5 * 365 - 40
REFLECTION_SLUGS = (
    "the-man-with-the-list",
    "a-typical-presentation",
    "the-birth-plan",
    "the-box-of-pastries",
)
SETTINGS = ["GP trainees, hospital", "Established GPs, city practice", "Palliative care team"]
MONTHS = 14


def load(users: dict, associations: dict) -> None:
    """``users`` maps demo e-mail to User, ``associations`` maps slug to Association."""
    association: Association = associations["demo"]
    admin, supervisor = users["admin@demo.test"], users["supervisor@demo.test"]
    password_hash = users["trainee@demo.test"].password_hash
    programme = db.session.scalar(
        select(Programme).where(
            Programme.association_id == association.id, Programme.slug == "course-completion"
        )
    )
    enrolments = {}
    for email, name in PEOPLE.items():
        trainee = _trainee(email, name, password_hash, association)
        users[email] = trainee
        months = 72 if email == "renewing@demo.test" else MONTHS
        enrolment, is_new = _enrolment(admin, supervisor, trainee, programme, months)
        enrolments[email] = enrolment
        if is_new and email in EVIDENCE_FOR:
            _evidence(enrolment, trainee, supervisor, association)
    db.session.flush()
    _certificates(admin, enrolments)
    db.session.flush()


def _trainee(email: str, name: str, password_hash: str, association: Association) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, password_hash=password_hash)
        db.session.add(user)
        db.session.flush()
    is_member = db.session.scalar(
        select(Membership.id).where(
            Membership.user_id == user.id,
            Membership.association_id == association.id,
            Membership.role == Role.TRAINEE.value,
        )
    )
    if not is_member:
        db.session.add(Membership(user_id=user.id, association_id=association.id, role=Role.TRAINEE.value))
        db.session.flush()
    return user


def _enrolment(
    admin: User, supervisor: User, trainee: User, programme: Programme, months: int = MONTHS
) -> tuple[Enrolment, bool]:
    enrolment = db.session.scalar(
        select(Enrolment).where(Enrolment.trainee_id == trainee.id, Enrolment.programme_id == programme.id)
    )
    if enrolment is not None:
        return enrolment, False
    enrolment = programmes.enrol(
        admin,
        programme.association_id,
        trainee_id=trainee.id,
        programme_id=programme.id,
        supervisor_ids=[supervisor.id],
        started_on=date.today() - timedelta(days=30 * months),
    )
    return enrolment, True


def _evidence(enrolment: Enrolment, trainee: User, supervisor: User, association: Association) -> None:
    """Twelve signed co-led sessions, four accepted reflections and a passed final test."""
    if db.session.scalar(select(LogbookRecord.id).where(LogbookRecord.enrolment_id == enrolment.id).limit(1)):
        return
    sessions = []
    for index in range(12):
        day = enrolment.started_on + timedelta(days=20 + index * 33)
        sessions.append(
            SessionRecord(
                association_id=association.id,
                enrolment_id=enrolment.id,
                author_id=trainee.id,
                occurred_on=day if day.weekday() < 5 else day - timedelta(days=day.weekday() - 3),
                role="co-leader",
                minutes=90,
                mode="online" if index % 4 == 1 else "in-person",
                group_kind="ongoing",
                setting_category="primary-care" if index % 3 else "hospital",
                setting=SETTINGS[index % len(SETTINGS)],
                members=8 + index % 4,
                cases=1 + index % 2,
                co_leader_name="Dr Helen Marsh",
                is_co_leader_accredited=True,
            )
        )
    db.session.add_all(sessions)
    db.session.flush()
    now = utcnow()
    for record in sessions:  # signed after insertion: the hash covers the record's id
        record.submitted_at = now - timedelta(days=(date.today() - record.occurred_on).days - 1)
        record.status = RecordStatus.SIGNED.value
        record.signer_id = supervisor.id
        record.signed_at = record.submitted_at + timedelta(days=2)
        record.content_hash = record.compute_hash()
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    answers = {**data["answers"], **data["more_answers"]}
    for slug in REFLECTION_SLUGS:
        reflection = vignettes.submit_reflection(trainee, association.id, slug, answers[slug])
        review.review_reflection(
            supervisor,
            association.id,
            reflection.id,
            decision=Decision.ACCEPTED.value,
            overall_comment=data["feedback"][slug],
            exercise_comments=data["comments"].get(slug, {}),
        )
    db.session.add(
        QuizAttempt(
            association_id=association.id,
            trainee_id=trainee.id,
            kind=QuizKind.FINAL.value,
            question_ids=[],
            answers={},
            question_versions={},
            score_percent=92.0,
            is_passed=True,
            pass_mark=enrolment.programme.module_pass_mark,
            started_at=now - timedelta(days=40, minutes=30),
            submitted_at=now - timedelta(days=40),
        )
    )


def _renewal_evidence(enrolment: Enrolment, since: date) -> None:
    """Since her certificate: six sessions she led and 22 hours of supervision, all signed."""
    supervisor = enrolment.supervisors[0]
    records: list[LogbookRecord] = []
    for index in range(6):
        records.append(
            SessionRecord(
                association_id=enrolment.association_id,
                enrolment_id=enrolment.id,
                author_id=enrolment.trainee_id,
                occurred_on=since + timedelta(days=120 + index * 250),
                role="leader",
                minutes=90,
                mode="in-person",
                group_kind="ongoing",
                setting_category="primary-care",
                setting=SETTINGS[index % len(SETTINGS)],
                members=9,
                cases=2,
                co_leader_name="",
            )
        )
    for index in range(11):
        records.append(
            SupervisionRecord(
                association_id=enrolment.association_id,
                enrolment_id=enrolment.id,
                author_id=enrolment.trainee_id,
                occurred_on=since + timedelta(days=60 + index * 150),
                minutes=120,
                mode="group" if index % 2 else "individual",
                channel="online" if index % 3 == 0 else "in-person",
                supervisor_id=supervisor.id,
            )
        )
    db.session.add_all(records)
    db.session.flush()
    now = utcnow()
    for record in records:
        record.submitted_at = now - timedelta(days=(date.today() - record.occurred_on).days - 1)
        record.status = RecordStatus.SIGNED.value
        record.signer_id = supervisor.id
        record.signed_at = record.submitted_at + timedelta(days=2)
        record.content_hash = record.compute_hash()


def _certificates(admin: User, enrolments: dict[str, Enrolment]) -> None:
    def has_certificate(email: str) -> bool:
        enrolment_id = enrolments[email].id
        return bool(db.session.scalar(select(Certificate.id).where(Certificate.enrolment_id == enrolment_id)))

    if not has_certificate("certified@demo.test"):
        first = issuing.issue(admin, enrolments["certified@demo.test"].id, holder_name="Lukasz Wrobel")
        current = corrections.reissue(
            admin,
            first.id,
            holder_name=PEOPLE["certified@demo.test"],
            reason="Name corrected: the holder's name is spelt with Polish letters.",
        )
        suspension.suspend(
            admin,
            current.id,
            reason="A member of one of his groups complained; the board is looking into it.",
        )
        suspension.lift(admin, current.id, note="The board heard both sides; the complaint was not upheld.")
    if not has_certificate("former@demo.test"):
        mistaken = issuing.issue(
            admin,
            enrolments["former@demo.test"].id,
            override_reason="Issued while trying out the certificate pages.",
        )
        corrections.revoke(admin, mistaken.id, reason="Issued in error: the requirements had not been met.")
    if not has_certificate("suspended@demo.test"):
        held = issuing.issue(admin, enrolments["suspended@demo.test"].id)
        suspension.suspend(
            admin,
            held.id,
            reason="A complaint about a group she led is before the ethics committee.",
        )
    if not has_certificate("renewing@demo.test"):
        enrolment = enrolments["renewing@demo.test"]
        issued = issuing.issue(
            admin, enrolment.id, today=date.today() - timedelta(days=RENEWING_ISSUED_DAYS_AGO)
        )
        _renewal_evidence(enrolment, issued.issued_on)
    current_app.logger.info("demo certificates loaded")
