"""Builds the demo world through the same services the pages use.

Running it twice changes nothing: each person, programme and enrolment is looked up
before it is created.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from app.accounts.models import Association, Membership, Role, User
from app.accounts.passwords import hash_password
from app.applications import demo as applications_demo
from app.certificates import demo as certificates_demo
from app.extensions import db
from app.groups import demo as groups_demo
from app.learning import demo as learning_demo
from app.logbook import demo as logbook_demo
from app.programmes import presets
from app.programmes import services as programmes
from app.programmes.models import Enrolment, Programme
from app.statuslevels import demo as status_levels_demo
from app.vignettes import demo as vignettes_demo

DEMO_PASSWORD = "stillpoint-demo"  # noqa: S105  (documented demo login)

PEOPLE = [
    ("admin@demo.test", "Ada Admin", "demo", [Role.ADMIN], "admin of the Demo Balint Society"),
    (
        "supervisor@demo.test",
        "Sam Supervisor",
        "demo",
        [Role.SUPERVISOR],
        "supervisor (also a trainee in the Other Society)",
    ),
    ("supervisor2@demo.test", "Sasha Second", "demo", [Role.SUPERVISOR], "second supervisor"),
    ("trainee@demo.test", "Tara Trainee", "demo", [Role.TRAINEE], "trainee, well under way"),
    ("trainee2@demo.test", "Teo Novak", "demo", [Role.TRAINEE], "trainee, just started"),
    ("trainee3@demo.test", "Réka Szabó", "demo", [Role.TRAINEE], "trainee, half way"),
    ("trainee4@demo.test", "Jonas Weber", "demo", [Role.TRAINEE], "trainee, nearly done"),
    ("trainee5@demo.test", "Zofia Kowalska", "demo", [Role.TRAINEE], "trainee, not yet enrolled"),
    ("admin@other.test", "Otto Other", "other", [Role.ADMIN], "admin of the Other Society"),
    ("supervisor@demo.test", "Sam Supervisor", "other", [Role.TRAINEE], None),
]

# People the certificates demo adds (app/certificates/demo.py), listed with the rest.
CERTIFICATE_LOGINS = [
    ("ready@demo.test", "trainee who meets every requirement, no certificate yet"),
    ("certified@demo.test", "holder of a valid certificate (and a superseded one)"),
    ("former@demo.test", "holder of a revoked certificate"),
    ("suspended@demo.test", "holder of a certificate suspended during a complaint"),
    ("renewing@demo.test", "certificate expiring soon, renewal requirements met (due for renewal)"),
]

ASSOCIATIONS = {
    "demo": ("Demo Balint Society", "DEMO", "Dr Ada Admin", "Chair of the Accreditation Committee"),
    "other": ("Other Balint Society", "OTHR", "Dr Otto Other", "President"),
}

# trainee e-mail -> (months since enrolment, supervisor e-mails)
ENROLMENTS = {
    "trainee@demo.test": (18, ["supervisor@demo.test"]),
    "trainee2@demo.test": (1, ["supervisor@demo.test"]),
    "trainee3@demo.test": (9, ["supervisor2@demo.test"]),
    "trainee4@demo.test": (22, ["supervisor@demo.test", "supervisor2@demo.test"]),
}


def load_demo() -> list[tuple[str, str]]:
    associations = {slug: _association(slug, *values) for slug, values in ASSOCIATIONS.items()}
    password_hash = hash_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    logins: list[tuple[str, str]] = []
    for email, name, association_slug, roles, description in PEOPLE:
        user = users.get(email) or _user(email, name, password_hash)
        users[email] = user
        for role in roles:
            _membership(user, associations[association_slug], role)
        if description:
            logins.append((email, description))
    db.session.flush()
    for association_slug, admin_email in (
        ("demo", "admin@demo.test"),
        ("other", "admin@other.test"),
    ):
        _programme(users[admin_email], associations[association_slug])
    _enrolments(users, associations["demo"])
    db.session.flush()
    for feature_demo in (
        status_levels_demo,  # first: rules and the panel's snapshot read who held which level
        learning_demo,
        vignettes_demo,
        logbook_demo,
        groups_demo,
        certificates_demo,
        applications_demo,
    ):
        feature_demo.load(users, associations)
    logins.extend(CERTIFICATE_LOGINS)
    db.session.commit()
    current_app.logger.info("demo data loaded")
    return logins


def _association(slug: str, name: str, prefix: str, signatory: str, signatory_role: str) -> Association:
    association = db.session.scalar(select(Association).where(Association.slug == slug))
    if association is None:
        association = Association(
            slug=slug,
            name=name,
            serial_prefix=prefix,
            signatory_name=signatory,
            signatory_role=signatory_role,
        )
        db.session.add(association)
        db.session.flush()
    return association


def _user(email: str, name: str, password_hash: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, password_hash=password_hash)
        db.session.add(user)
        db.session.flush()
    return user


def _membership(user: User, association: Association, role: Role) -> None:
    exists = db.session.scalar(
        select(Membership.id).where(
            Membership.user_id == user.id,
            Membership.association_id == association.id,
            Membership.role == role.value,
        )
    )
    if not exists:
        db.session.add(Membership(user_id=user.id, association_id=association.id, role=role.value))
        db.session.flush()


def _programme(admin: User, association: Association) -> Programme:
    programme = db.session.scalar(
        select(Programme).where(
            Programme.association_id == association.id, Programme.slug == "course-completion"
        )
    )
    if programme is None:
        programme = programmes.create_programme(
            admin,
            association.id,
            slug="course-completion",
            title="Balint group leadership course: completion",
            description="The mentalization module, four vignette reflections and ten co-led sessions.",
            validity_months=60,
            rule_set_source=presets.read_preset("course-completion"),
        )
    return programme


def _enrolments(users: dict[str, User], association: Association) -> None:
    admin = users["admin@demo.test"]
    programme = _programme(admin, association)
    for trainee_email, (months, supervisor_emails) in ENROLMENTS.items():
        trainee = users[trainee_email]
        exists = db.session.scalar(
            select(Enrolment.id).where(
                Enrolment.trainee_id == trainee.id, Enrolment.programme_id == programme.id
            )
        )
        if exists:
            continue
        programmes.enrol(
            admin,
            association.id,
            trainee_id=trainee.id,
            programme_id=programme.id,
            supervisor_ids=[users[email].id for email in supervisor_emails],
            started_on=date.today() - timedelta(days=30 * months),
        )
