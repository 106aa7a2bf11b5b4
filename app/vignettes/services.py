"""The trainee's side of the reflection workflow: the library, drafts and submitting.

A trainee works on a vignette inside their current enrolment, so that a supervisor
assigned to that enrolment can review the result. Free text goes through the
privacy guard here, in the service, so no page or API can store it unchecked.
The supervisor's side (queue, review) is in ``app.vignettes.review``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, selectinload

from app import policy
from app.accounts.models import User
from app.audit.services import record
from app.database import utcnow
from app.errors import InvalidState, NotFound, ValidationError
from app.extensions import db
from app.notifications.services import link_to, notify
from app.pagination import Page, paginate
from app.privacy.guard import PrivacyWarning, guard_free_text
from app.programmes.models import Enrolment, EnrolmentStatus
from app.vignettes import ordering
from app.vignettes.answers import clean_answers, free_texts, missing_parts
from app.vignettes.content import library
from app.vignettes.models import Reflection, ReflectionFeedback, ReflectionStatus
from app.vignettes.schema import Vignette


def get_vignette(slug: str) -> Vignette:
    vignette = library().get(slug)
    if vignette is None:
        raise NotFound(_("There is no vignette with this name."))
    return vignette


def current_enrolment(trainee: User, association_id: int) -> Enrolment | None:
    """The trainee's most recent active enrolment here: the one new reflections belong to."""
    return db.session.scalar(
        select(Enrolment)
        .where(
            Enrolment.trainee_id == trainee.id,
            Enrolment.association_id == association_id,
            Enrolment.status == EnrolmentStatus.ACTIVE.value,
        )
        .options(selectinload(Enrolment.supervisors))
        .order_by(Enrolment.started_on.desc(), Enrolment.id.desc())
        .limit(1)
    )


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryRow:
    vignette: Vignette
    latest: Reflection | None  # the trainee's newest version, if they started it


def library_rows(actor: User, association_id: int) -> list[LibraryRow]:
    """Every vignette, with the acting trainee's newest reflection on it: one query."""
    policy.require_member(actor, association_id)
    latest: dict[str, Reflection] = {}
    if policy.is_trainee(actor, association_id):
        for reflection in db.session.scalars(
            select(Reflection)
            .where(Reflection.trainee_id == actor.id, Reflection.association_id == association_id)
            .order_by(Reflection.id)
        ):
            latest[reflection.vignette_slug] = reflection
    return [LibraryRow(vignette, latest.get(vignette.slug)) for vignette in library().vignettes]


@dataclass(frozen=True)
class VignetteWork:
    """A vignette as one trainee sees it: their versions so far and whether they may edit."""

    vignette: Vignette
    enrolment: Enrolment | None
    versions: list[Reflection]  # oldest first, feedback loaded

    @property
    def current(self) -> Reflection | None:
        return self.versions[-1] if self.versions else None

    @property
    def is_editable(self) -> bool:
        return self.enrolment is not None and (self.current is None or self.current.is_draft)

    @property
    def option_order(self) -> dict[str, list[str]]:
        """The order this trainee sees the options in: recorded, or the one their first save records."""
        if self.current is not None:
            return self.current.option_order or {}
        seed = ordering.seed_for(self.enrolment.id, self.vignette.slug) if self.enrolment else None
        return ordering.option_orders(self.vignette, seed)


def versions_of(enrolment_id: int, slug: str) -> list[Reflection]:
    """Every version of one trainee's reflection on one vignette, oldest first."""
    return list(
        db.session.scalars(
            select(Reflection)
            .where(Reflection.enrolment_id == enrolment_id, Reflection.vignette_slug == slug)
            .options(selectinload(Reflection.feedback).selectinload(ReflectionFeedback.author))
            .order_by(Reflection.version)
        )
    )


def vignette_work(actor: User, association_id: int, slug: str) -> VignetteWork:
    """The vignette page's data; supervisors and admins may read the case without working on it."""
    policy.require_member(actor, association_id)
    vignette = get_vignette(slug)
    enrolment = current_enrolment(actor, association_id) if policy.is_trainee(actor, association_id) else None
    versions = versions_of(enrolment.id, slug) if enrolment else []
    return VignetteWork(vignette, enrolment, versions)


def list_my_reflections(actor: User, association_id: int, *, page: int = 1) -> tuple[Page, dict]:
    """A page of the trainee's newest versions, and every earlier version of those: two queries."""
    policy.require_trainee(actor, association_id)
    newer = aliased(Reflection)
    query = (
        select(Reflection)
        .where(
            Reflection.trainee_id == actor.id,
            Reflection.association_id == association_id,
            ~exists().where(newer.previous_id == Reflection.id),
        )
        .options(selectinload(Reflection.feedback))
        .order_by(Reflection.updated_at.desc(), Reflection.id.desc())
    )
    result = paginate(query, page=page)
    earlier: dict[tuple[int, str], list[Reflection]] = {}
    chains = {(reflection.enrolment_id, reflection.vignette_slug) for reflection in result.items}
    if chains:
        for reflection in db.session.scalars(
            select(Reflection)
            .where(
                Reflection.trainee_id == actor.id,
                Reflection.association_id == association_id,
                Reflection.vignette_slug.in_({slug for _id, slug in chains}),
                Reflection.id.not_in([item.id for item in result.items]),
            )
            .options(selectinload(Reflection.feedback))
            .order_by(Reflection.version.desc())
        ):
            earlier.setdefault((reflection.enrolment_id, reflection.vignette_slug), []).append(reflection)
    return result, earlier


@dataclass(frozen=True)
class ReflectionView:
    reflection: Reflection
    vignette: Vignette | None  # None if the vignette has since left the library
    versions: list[Reflection]


def load_reflection(
    actor: User, association_id: int, reflection_id: int, *, for_update: bool = False
) -> Reflection:
    """A reflection of this association with what its pages need.

    Reflections of another association, or of one the actor is not a member of, read
    as not found: their existence is nobody else's business.
    """
    query = (
        select(Reflection)
        .where(Reflection.id == reflection_id)
        .options(
            selectinload(Reflection.enrolment).selectinload(Enrolment.supervisors),
            selectinload(Reflection.trainee),
            selectinload(Reflection.feedback).selectinload(ReflectionFeedback.author),
        )
    )
    if for_update:
        query = query.with_for_update(of=Reflection)
    reflection = db.session.scalar(query)
    if (
        reflection is None
        or reflection.association_id != association_id
        or not policy.is_member(actor, association_id)
    ):
        raise NotFound(_("There is no such reflection."))
    return reflection


def get_reflection(actor: User, association_id: int, reflection_id: int) -> ReflectionView:
    """One version for its author, the assigned supervisors and admins, with its whole history."""
    reflection = load_reflection(actor, association_id, reflection_id)
    policy.require_view_reflection(actor, reflection)
    return ReflectionView(
        reflection,
        library().get(reflection.vignette_slug),
        versions_of(reflection.enrolment_id, reflection.vignette_slug),
    )


# --- writing -------------------------------------------------------------------------------


def _open_draft(actor: User, association_id: int, vignette: Vignette) -> Reflection:
    """The draft to write into: the existing one, or a new first version."""
    policy.require_trainee(actor, association_id)
    enrolment = current_enrolment(actor, association_id)
    if enrolment is None:
        raise InvalidState(
            _("You can work on vignettes once you are enrolled on a programme with a supervisor.")
        )
    latest = db.session.scalar(
        select(Reflection)
        .where(Reflection.enrolment_id == enrolment.id, Reflection.vignette_slug == vignette.slug)
        .order_by(Reflection.version.desc())
        .limit(1)
        .with_for_update()
    )
    if latest is not None and latest.status == ReflectionStatus.SUBMITTED.value:
        raise InvalidState(_("This reflection is waiting for your supervisor's review and cannot change."))
    if latest is not None and latest.status == ReflectionStatus.ACCEPTED.value:
        raise InvalidState(_("This reflection has been accepted and is final."))
    if latest is not None and latest.is_draft:
        return latest
    draft = Reflection(
        association_id=association_id,
        enrolment_id=enrolment.id,
        enrolment=enrolment,
        trainee_id=actor.id,
        vignette_slug=vignette.slug,
        content_version=vignette.version,
        version=latest.version + 1 if latest else 1,
        previous_id=latest.id if latest else None,
        answers=dict(latest.answers) if latest else {},
        # A new version keeps the order its trainee has seen; a first one records it.
        option_order=dict(latest.option_order)
        if latest
        else ordering.option_orders(vignette, ordering.seed_for(enrolment.id, vignette.slug)),
    )
    db.session.add(draft)
    try:
        db.session.flush()
    except IntegrityError:
        # The same version was created at the same moment (a double click, two windows).
        # No savepoint here: pysqlite would commit the outer transaction on its release.
        db.session.rollback()
        raise InvalidState(_("This reflection was just started in another window. Please reload.")) from None
    record("reflection.started", draft, actor=actor, vignette=vignette.slug, version=draft.version)
    return draft


def _guard(actor: User, reflection: Reflection, answers: dict, is_confirmed: bool) -> None:
    guard_free_text(
        free_texts(answers),
        is_confirmed=is_confirmed,
        actor=actor,
        obj=reflection,
        association_id=reflection.association_id,
    )


def _store(reflection: Reflection, vignette: Vignette, answers: dict) -> None:
    reflection.answers = answers
    reflection.content_version = vignette.version
    reflection.updated_at = utcnow()


def save_draft(
    actor: User, association_id: int, slug: str, answers: dict, *, is_confirmed: bool = False
) -> Reflection:
    """Keep what the trainee has written so far; nothing needs to be complete."""
    vignette = get_vignette(slug)
    cleaned = clean_answers(vignette, answers)
    reflection = _open_draft(actor, association_id, vignette)
    _guard(actor, reflection, cleaned, is_confirmed)
    _store(reflection, vignette, cleaned)
    return reflection


def submit_reflection(
    actor: User, association_id: int, slug: str, answers: dict, *, is_confirmed: bool = False
) -> Reflection:
    """Save and hand in the draft; every exercise must be answered. Tells the supervisors."""
    vignette = get_vignette(slug)
    cleaned = clean_answers(vignette, answers)
    reflection = _open_draft(actor, association_id, vignette)
    missing = missing_parts(vignette, cleaned)
    try:
        _guard(actor, reflection, cleaned, is_confirmed)
    except PrivacyWarning as warning:
        if not missing:
            raise
        names = {*warning.fields, *missing}
        fields = {name: warning.fields.get(name, []) + missing.get(name, []) for name in names}
        raise PrivacyWarning(warning.message, fields=fields, kinds=warning.kinds) from None
    if missing:
        raise ValidationError(
            _(
                "Some exercises are not finished yet. Your answers are still here: "
                "finish them, or save a draft."
            ),
            fields=missing,
        )
    _store(reflection, vignette, cleaned)
    reflection.status = ReflectionStatus.SUBMITTED.value
    reflection.submitted_at = utcnow()
    record("reflection.submitted", reflection, actor=actor, vignette=slug, version=reflection.version)
    _tell_supervisors(actor, reflection, vignette)
    return reflection


def _tell_supervisors(trainee: User, reflection: Reflection, vignette: Vignette) -> None:
    """In the app and by e-mail; the message names the case, never an answer."""
    from app.maillinks.models import LinkPurpose
    from app.maillinks.services import issue_links

    link = link_to("vignettes.review", reflection_id=reflection.id)
    reviewers = [s.id for s in reflection.enrolment.supervisors if s.id != trainee.id]
    mail_links = issue_links(LinkPurpose.REVIEW_REFLECTION, reflection, reviewers, sender=trainee)
    for supervisor in reflection.enrolment.supervisors:
        if supervisor.id == trainee.id:
            continue
        notify(
            supervisor.id,
            reflection.association_id,
            _(
                "%(trainee)s submitted a reflection on \u201c%(title)s\u201d (version %(version)d) "
                "for your review.",
                trainee=trainee.name,
                title=vignette.title,
                version=reflection.version,
            ),
            link,
            email_subject=_("A reflection is waiting for your review"),
            email_link=mail_links[supervisor.id],
        )
