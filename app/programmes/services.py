"""Creating programmes and rule-set versions, enrolling trainees, assigning supervisors."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app import policy
from app import search as text_search
from app.accounts.models import Membership, Role, User
from app.audit.services import record
from app.database import utcnow
from app.errors import InvalidState, NotFound, ValidationError
from app.extensions import db
from app.pagination import Page, paginate
from app.programmes.models import (
    Enrolment,
    EnrolmentStatus,
    Programme,
    RuleSet,
    enrolment_supervisor,
)
from app.programmes.rule_sets import content_hash, parse_rule_set_source

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def list_programmes(actor: User, association_id: int) -> list[Programme]:
    policy.require_member(actor, association_id)
    return list(
        db.session.scalars(
            select(Programme)
            .where(Programme.association_id == association_id)
            .options(selectinload(Programme.rule_sets))
            .order_by(Programme.title)
        )
    )


def programme_choices(actor: User, association_id: int) -> list[Programme]:
    """The association's programmes for a pick list: one statement, no rule sets loaded."""
    policy.require_member(actor, association_id)
    return list(
        db.session.scalars(
            select(Programme).where(Programme.association_id == association_id).order_by(Programme.title)
        )
    )


def get_programme(actor: User, association_id: int, programme_id: int) -> Programme:
    policy.require_member(actor, association_id)
    programme = db.session.get(Programme, programme_id)
    if programme is None or programme.association_id != association_id:
        raise NotFound(_("No such programme."))
    return programme


def create_programme(
    actor: User,
    association_id: int,
    *,
    slug: str,
    title: str,
    rule_set_source: str,
    description: str = "",
    validity_months: int | None = None,
    module_pass_mark: int = 80,
) -> Programme:
    """A new programme with its first rule-set version."""
    policy.require_admin(actor, association_id)
    slug = slug.strip().lower()
    if not SLUG_PATTERN.match(slug):
        raise ValidationError(
            _("Use lower-case letters, digits and hyphens."),
            fields={"slug": [_("Use lower-case letters, digits and hyphens.")]},
        )
    taken = db.session.scalar(
        select(Programme.id).where(Programme.association_id == association_id, Programme.slug == slug)
    )
    if taken:
        raise ValidationError(
            _("A programme with this short name exists."),
            fields={"slug": [_("Already used by another programme.")]},
        )
    _check_validity(validity_months)
    if not 0 <= module_pass_mark <= 100:
        raise ValidationError(
            _("The pass mark is a percentage from 0 to 100."),
            fields={"module_pass_mark": [_("From 0 to 100.")]},
        )
    parse_rule_set_source(rule_set_source, association_id)
    programme = Programme(
        association_id=association_id,
        slug=slug,
        title=title.strip(),
        description=description.strip(),
        validity_months=validity_months,
        module_pass_mark=module_pass_mark,
    )
    db.session.add(programme)
    db.session.flush()
    _add_rule_set(actor, programme, rule_set_source)
    record("programme.created", programme, actor=actor, slug=slug)
    return programme


MAX_VALIDITY_MONTHS = 600


def _check_validity(validity_months: int | None) -> None:
    if validity_months is not None and not 1 <= validity_months <= MAX_VALIDITY_MONTHS:
        raise ValidationError(
            _("Validity must be from 1 to 600 months, or empty for no expiry."),
            fields={"validity_months": [_("From 1 to 600, or leave empty.")]},
        )


def set_certificate_validity(
    actor: User, association_id: int, programme_id: int, validity_months: int | None
) -> Programme:
    """How long the programme's certificates are valid (None: no expiry). Applies to
    certificates issued or renewed from now on; issued ones keep their printed dates."""
    programme = get_programme(actor, association_id, programme_id)
    policy.require_admin(actor, association_id)
    _check_validity(validity_months)
    before = programme.validity_months
    if before != validity_months:
        programme.validity_months = validity_months
        record(
            "programme.validity_changed",
            programme,
            actor=actor,
            association_id=association_id,
            before=before,
            after=validity_months,
        )
    return programme


def add_rule_set_version(actor: User, association_id: int, programme_id: int, source: str) -> RuleSet:
    """Store a new version; existing enrolments stay on the version they were pinned to."""
    programme = get_programme(actor, association_id, programme_id)
    policy.require_admin(actor, association_id)
    parse_rule_set_source(source, association_id)
    current = programme.current_rule_set
    if current is not None and current.content_hash == content_hash(source):
        raise InvalidState(_("This rule set is identical to the current version."))
    return _add_rule_set(actor, programme, source)


def _add_rule_set(actor: User, programme: Programme, source: str) -> RuleSet:
    version = (programme.current_rule_set.version + 1) if programme.rule_sets else 1
    rule_set = RuleSet(
        programme_id=programme.id,
        version=version,
        source_yaml=source,
        content_hash=content_hash(source),
        created_by_id=actor.id,
    )
    db.session.add(rule_set)
    programme.rule_sets.append(rule_set)
    db.session.flush()
    record(
        "rule_set.created",
        rule_set,
        actor=actor,
        association_id=programme.association_id,
        programme=programme.slug,
        version=version,
    )
    return rule_set


def _users_with_role(association_id: int, user_ids: list[int], role: Role) -> dict[int, User]:
    if not user_ids:
        return {}
    users = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.role == role.value,
            Membership.is_active.is_(True),
            User.id.in_(user_ids),
        )
    )
    return {user.id: user for user in users}


def _supervisors(
    association_id: int, supervisor_ids: list[int], already: frozenset[int] = frozenset()
) -> list[User]:
    """The supervisors, checked: each a supervisor here and, where the association asks for a
    status level to supervise, holding one today (``already`` assigned ones keep their place)."""
    found = _users_with_role(association_id, supervisor_ids, Role.SUPERVISOR)
    missing = set(supervisor_ids) - set(found)
    if missing:
        raise ValidationError(
            _("Every assigned supervisor must be a supervisor of this association."),
            fields={"supervisor_ids": [_("Not a supervisor here.")]},
        )
    newcomers = [user for user in found.values() if user.id not in already]
    refused = policy.without_level_to_supervise(association_id, newcomers, date.today())
    if refused:
        message = policy.why_not_supervise(association_id, refused[0].name)
        raise ValidationError(message, fields={"supervisor_ids": [message]})
    return sorted(found.values(), key=lambda user: user.name)


def enrol(
    actor: User,
    association_id: int,
    *,
    trainee_id: int,
    programme_id: int,
    supervisor_ids: list[int],
    started_on: date,
) -> Enrolment:
    """Enrol a trainee on the programme's current rule-set version."""
    programme = get_programme(actor, association_id, programme_id)
    policy.require_admin(actor, association_id)
    trainee = _users_with_role(association_id, [trainee_id], Role.TRAINEE).get(trainee_id)
    if trainee is None:
        raise ValidationError(
            _("Only trainees of this association can be enrolled."),
            fields={"trainee_id": [_("Not a trainee here.")]},
        )
    already = db.session.scalar(
        select(Enrolment.id).where(
            Enrolment.trainee_id == trainee_id,
            Enrolment.programme_id == programme.id,
            Enrolment.status == EnrolmentStatus.ACTIVE.value,
        )
    )
    if already:
        raise InvalidState(_("%(name)s is already enrolled on this programme.", name=trainee.name))
    if programme.current_rule_set is None:
        raise InvalidState(_("This programme has no rule set yet."))
    return _create_enrolment(
        actor, programme, trainee, _supervisors(association_id, supervisor_ids), started_on=started_on
    )


def _create_enrolment(
    actor: User, programme: Programme, trainee: User, supervisors: list[User], *, started_on: date, **audit
) -> Enrolment:
    enrolment = Enrolment(
        association_id=programme.association_id,
        programme_id=programme.id,
        trainee_id=trainee.id,
        rule_set_id=programme.current_rule_set.id,
        started_on=started_on,
        supervisors=supervisors,
    )
    db.session.add(enrolment)
    db.session.flush()
    record(
        "enrolment.created",
        enrolment,
        actor=actor,
        trainee=trainee.email,
        programme=programme.slug,
        rule_set_version=programme.current_rule_set.version,
        supervisors=[s.id for s in enrolment.supervisors],
        **audit,
    )
    return enrolment


def invitation_enrolment(
    association_id: int, programme_id: int | None, supervisor_ids: list[int]
) -> tuple[Programme | None, list[User]]:
    """The programme and supervisors an invitation may carry, checked; (None, []) for none."""
    if not programme_id:
        if supervisor_ids:
            raise ValidationError(
                _("Choose the programme the supervisors are for."),
                fields={"programme_id": [_("Choose a programme.")]},
            )
        return None, []
    programme = db.session.get(Programme, programme_id)
    if programme is None or programme.association_id != association_id:
        raise ValidationError(_("No such programme."), fields={"programme_id": [_("No such programme.")]})
    if programme.current_rule_set is None:
        raise ValidationError(
            _("This programme has no rule set yet."),
            fields={"programme_id": [_("This programme has no rule set yet.")]},
        )
    if not supervisor_ids:
        raise ValidationError(
            _("Choose at least one supervisor."),
            fields={"supervisor_ids": [_("Choose at least one supervisor.")]},
        )
    return programme, _supervisors(association_id, supervisor_ids)


def enrol_invitee(
    trainee: User, programme: Programme, supervisors: list[User], *, invitation_id: int
) -> Enrolment | None:
    """Enrol a trainee who just accepted an invitation that named a programme.

    The invitee is the actor; the admin's choice was checked when the invitation was
    made. Supervisors who have since lost the role are left out. Nothing happens when
    the trainee is already on the programme.
    """
    already = db.session.scalar(
        select(Enrolment.id).where(
            Enrolment.trainee_id == trainee.id,
            Enrolment.programme_id == programme.id,
            Enrolment.status == EnrolmentStatus.ACTIVE.value,
        )
    )
    if already or programme.current_rule_set is None:
        return None
    still = _users_with_role(programme.association_id, [s.id for s in supervisors], Role.SUPERVISOR)
    return _create_enrolment(
        trainee,
        programme,
        trainee,
        sorted(still.values(), key=lambda user: user.name),
        started_on=utcnow().date(),
        invitation_id=invitation_id,
    )


def get_enrolment(actor: User, enrolment_id: int) -> Enrolment:
    """An enrolment the actor may see; other associations' enrolments read as not found."""
    enrolment = db.session.get(
        Enrolment,
        enrolment_id,
        options=[
            joinedload(Enrolment.trainee),
            joinedload(Enrolment.programme),
            joinedload(Enrolment.rule_set),
        ],
    )
    if enrolment is None or not policy.is_member(actor, enrolment.association_id):
        raise NotFound(_("No such enrolment."))
    policy.require_view_enrolment(actor, enrolment)
    return enrolment


def set_supervisors(actor: User, enrolment_id: int, supervisor_ids: list[int]) -> Enrolment:
    """Replace the supervisors assigned to an enrolment (at least one)."""
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None:
        raise NotFound(_("No such enrolment."))
    policy.require_admin(actor, enrolment.association_id)
    if not supervisor_ids:
        raise ValidationError(
            _("Assign at least one supervisor."),
            fields={"supervisor_ids": [_("Choose at least one.")]},
        )
    before = [s.id for s in enrolment.supervisors]
    enrolment.supervisors = _supervisors(enrolment.association_id, supervisor_ids, frozenset(before))
    record(
        "enrolment.supervisors_changed",
        enrolment,
        actor=actor,
        before=before,
        after=[s.id for s in enrolment.supervisors],
    )
    return enrolment


def list_enrolments(
    actor: User,
    association_id: int,
    *,
    search: str = "",
    programme_id: int | None = None,
    status: str = "",
    page: int = 1,
) -> Page:
    """A page of the association's enrolments with trainee, programme and supervisors loaded."""
    policy.require_admin(actor, association_id)
    query = (
        select(Enrolment)
        .join(User, User.id == Enrolment.trainee_id)
        .where(Enrolment.association_id == association_id)
        .options(
            selectinload(Enrolment.trainee),
            selectinload(Enrolment.programme),
            selectinload(Enrolment.rule_set),
            selectinload(Enrolment.supervisors),
        )
    )
    if search.strip():
        query = query.where(text_search.matches(search, User.name, User.email))
    if programme_id:
        query = query.where(Enrolment.programme_id == programme_id)
    if status:
        query = query.where(Enrolment.status == status)
    return paginate(query.order_by(func.lower(User.name), Enrolment.id), page=page)


def enrolments_of_trainee(user: User, association_id: int) -> list[Enrolment]:
    policy.require_member(user, association_id)
    return list(
        db.session.scalars(
            select(Enrolment)
            .where(Enrolment.association_id == association_id, Enrolment.trainee_id == user.id)
            .options(joinedload(Enrolment.programme), selectinload(Enrolment.supervisors))
            .order_by(Enrolment.started_on.desc())
        )
    )


def _supervised_query(user: User, association_id: int):
    return (
        select(Enrolment)
        .join(enrolment_supervisor, enrolment_supervisor.c.enrolment_id == Enrolment.id)
        .where(
            Enrolment.association_id == association_id,
            enrolment_supervisor.c.supervisor_id == user.id,
        )
        .options(joinedload(Enrolment.trainee), joinedload(Enrolment.programme))
        .order_by(Enrolment.started_on.desc(), Enrolment.id.desc())
    )


def enrolments_supervised_by(user: User, association_id: int) -> list[Enrolment]:
    policy.require_supervisor(user, association_id)
    return list(db.session.scalars(_supervised_query(user, association_id)))


def supervised_page(user: User, association_id: int, *, page: int = 1) -> Page:
    """One page of the enrolments a supervisor follows, newest first, with the total."""
    policy.require_supervisor(user, association_id)
    return paginate(_supervised_query(user, association_id), page=page)


def people_with_role(actor: User, association_id: int, role: Role) -> list[User]:
    """Everyone holding ``role`` in the association, for pick lists in admin forms."""
    policy.require_admin(actor, association_id)
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.association_id == association_id,
                Membership.role == role.value,
                Membership.is_active.is_(True),
            )
            .order_by(func.lower(User.name))
        )
    )
