"""What a trainee can do next about each requirement, and what waits for someone else.

``action_for`` turns a requirement's kind and filters into one link: log a session of the
right kind (the form prefilled from the filters), open the next lesson, open the next
vignette, log the supervision received. Every kind the rule-set engine knows has an entry
in ``GUIDES``; a test fails when a new kind arrives without one.

``waiting_for_others`` names what the trainee has handed on and is waiting for: records
waiting for a signature, sessions waiting for a co-leader's confirmation, reflections with
a supervisor. It runs a fixed number of statements per enrolment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property

from flask import url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.logbook.kinds import RecordStatus
from app.logbook.models import CoLeaderConfirmation, LogbookRecord, SessionRecord
from app.programmes.models import Enrolment
from app.requirements.engine import Outcome
from app.requirements.ruleset import Requirement


@dataclass(frozen=True)
class Action:
    """A next step: the words, and the page that does it (None: someone else acts)."""

    label: str
    url: str | None = None


@dataclass
class Context:
    """What the guides need to know about one enrolment, looked up only when asked."""

    enrolment: Enrolment

    @cached_property
    def next_lesson(self) -> str | None:
        from app.content.curriculum import get_curriculum
        from app.learning.models import LessonCompletion

        done = set(
            db.session.scalars(
                select(LessonCompletion.lesson_slug).where(
                    LessonCompletion.association_id == self.enrolment.association_id,
                    LessonCompletion.trainee_id == self.enrolment.trainee_id,
                )
            )
        )
        return next((lesson.slug for lesson in get_curriculum().lessons if lesson.slug not in done), None)

    @cached_property
    def next_vignette(self) -> str | None:
        from app.vignettes.content import library
        from app.vignettes.models import Reflection

        started = set(
            db.session.scalars(
                select(Reflection.vignette_slug)
                .where(Reflection.enrolment_id == self.enrolment.id)
                .distinct()
            )
        )
        return next((v.slug for v in library().vignettes if v.slug not in started), None)


#: Rule-set filters the logbook forms can take as prefilled values, per record type.
PREFILL = {
    "sessions": ("role", "mode", "group_kind", "setting_category"),
    "supervision": ("mode", "channel"),
    "events": ("event_kind",),
}

RECORD_ACTIONS = {
    "sessions": ("logbook.new_session", lambda: _("Log a session")),
    "supervision": ("logbook.new_supervision", lambda: _("Log supervision you received")),
    "events": ("logbook.new_event", lambda: _("Log an event you attended")),
}


def _prefill(requirement: Requirement) -> dict[str, str]:
    """The filters with one allowed value, as the form's query arguments."""
    allowed = PREFILL.get(requirement.records or "", ())
    values = {}
    for name, accepted in requirement.where:
        if name in allowed and isinstance(accepted, frozenset) and len(accepted) == 1:
            values[name] = str(next(iter(accepted)))
    return values


def _records(requirement: Requirement, context: Context) -> Action:
    if requirement.records == "observations":
        return Action(_("Ask your supervisor to observe one of the groups you lead."))
    if requirement.records == "attendance":
        return Action(_("Your group's leaders record your attendance at each session."))
    if requirement.records == "exams":
        return Action(_("Your association's admins record your exams from the examiner's result."))
    endpoint, label = RECORD_ACTIONS[requirement.records]
    prefill = _prefill(requirement)
    url = url_for(endpoint, enrolment_id=context.enrolment.id, **prefill)
    if requirement.records == "sessions" and "role" in prefill:
        from app.logbook.kinds import SessionRole
        from app.logbook.labels import label as label_of

        role = label_of(SessionRole, prefill["role"]).lower()
        return Action(_("Log a session as %(role)s", role=role), url)
    return Action(label(), url)


def _module(requirement: Requirement, context: Context) -> Action:
    slug = context.next_lesson
    if slug is not None:
        return Action(_("Open the next lesson"), url_for("learning.lesson", slug=slug))
    return Action(_("Take the final knowledge check"), url_for("learning.final_test"))


def _reflections(requirement: Requirement, context: Context) -> Action:
    slug = context.next_vignette
    if slug is not None:
        return Action(_("Open the next vignette"), url_for("vignettes.vignette", slug=slug))
    return Action(_("Open the case vignettes"), url_for("vignettes.index"))


def _report(requirement: Requirement, context: Context) -> Action:
    return Action(_("Your supervisor writes this report: ask them for it when you are ready."))


def _manual(requirement: Requirement, context: Context) -> Action:
    return Action(_("Your association's admins record this: send them your evidence."))


def _elapsed(requirement: Requirement, context: Context) -> Action:
    """Time meets it; the only thing a trainee can do is make sure the start date is known."""
    if requirement.since == "qualification" and context.enrolment.qualified_on is None:
        return Action(_("Send your association's admins the date of your professional qualification."))
    if requirement.since == "membership":
        return Action(_("Your association's admins record your membership; keep it without a break."))
    if (requirement.since or "").startswith("qualification:"):
        return Action(_("Send your association's admins the date of the qualification named here."))
    return Action(_("Nothing to do: it is met with time, on the date shown."))


def _combinator(requirement: Requirement, context: Context) -> Action | None:
    return None  # each part below carries its own step


#: One guide per requirement kind of the engine (``app.requirements.ruleset.KINDS``).
GUIDES: dict[str, Callable[[Requirement, Context], Action | None]] = {
    "total": _records,
    "distinct": _records,
    "share": _records,
    "rate": _records,
    "span": _records,
    "every": _records,
    "ends": _records,
    "module": _module,
    "reflections": _reflections,
    "report": _report,
    "manual": _manual,
    "elapsed": _elapsed,
    "all_of": _combinator,
    "any_of": _combinator,
    "at_least_k_of": _combinator,
}


def action_for(outcome: Outcome, context: Context) -> Action | None:
    """The next step for an unmet requirement; None when it is met or its parts carry the steps."""
    if outcome.is_satisfied or outcome.status == "not_applicable":
        return None
    requirement = outcome.requirement
    if outcome.unit == "track":  # a branch for one track, and no track recorded yet
        return Action(_("Your association's admins record your professional background (track)."))
    if (
        requirement.kind in ("total", "distinct", "share", "rate", "span", "every", "ends")
        and not requirement.records
    ):
        return None
    return _window_action(outcome) or GUIDES[requirement.kind](requirement, context)


def _window_action(outcome: Outcome) -> Action | None:
    """When a window's anchor is not known yet, what the trainee can do about it (see ``windows``)."""
    reasons = {reason for _id, reason in outcome.excluded}
    if "no membership start date is recorded yet" in reasons:
        return Action(_("Send your association's admins the date your membership of the society began."))
    if "after your application: counted once you apply" in reasons:
        return Action(_("These count once you apply for accreditation."))
    return None


# -- what waits for someone else ---------------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    text: str
    url: str | None = None


@dataclass
class Guidance:
    context: Context
    waiting: list[Waiting] = field(default_factory=list)

    def action(self, outcome: Outcome) -> Action | None:
        return action_for(outcome, self.context)


def _since(when: datetime | date | None) -> str:
    return format_date(when, "long") if when else ""


def _names(people) -> str:
    names = [person.name for person in people]
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s or %(last)s", first=", ".join(names[:-1]), last=names[-1])


def waiting_for_others(enrolment: Enrolment) -> list[Waiting]:
    """Counted and named: who holds what the trainee has handed on, and since when (two statements)."""
    from app.accounts.models import User
    from app.vignettes.models import Reflection, ReflectionStatus

    submitted_records = (LogbookRecord.enrolment_id == enrolment.id) & (
        LogbookRecord.status == RecordStatus.SUBMITTED.value
    )
    submitted_reflections = (Reflection.enrolment_id == enrolment.id) & (
        Reflection.status == ReflectionStatus.SUBMITTED.value
    )
    records, records_since, reflections, reflections_since = db.session.execute(
        select(
            select(func.count(LogbookRecord.id)).where(submitted_records).scalar_subquery(),
            select(func.min(LogbookRecord.submitted_at)).where(submitted_records).scalar_subquery(),
            select(func.count(Reflection.id)).where(submitted_reflections).scalar_subquery(),
            select(func.min(Reflection.submitted_at)).where(submitted_reflections).scalar_subquery(),
        )
    ).one()
    waiting: list[Waiting] = []
    logbook = url_for("logbook.enrolment_logbook", enrolment_id=enrolment.id, status="submitted")
    if records:
        supervisors = _names(enrolment.supervisors) or _("your supervisor")
        waiting.append(
            Waiting(
                ngettext(
                    "%(num)d record waiting for %(who)s's signature since %(date)s",
                    "%(num)d records waiting for %(who)s's signature since %(date)s",
                    records,
                    who=supervisors,
                    date=_since(records_since),
                ),
                logbook,
            )
        )
    co_leaders = db.session.execute(
        select(User.name, func.count(SessionRecord.id))
        .join(User, User.id == SessionRecord.co_leader_id)
        .where(
            SessionRecord.enrolment_id == enrolment.id,
            SessionRecord.status == RecordStatus.SUBMITTED.value,
            ~select(CoLeaderConfirmation.id)
            .where(CoLeaderConfirmation.record_id == SessionRecord.id)
            .correlate(SessionRecord)
            .exists(),
        )
        .group_by(User.id, User.name)
        .order_by(User.name)
    ).all()
    for name, number in co_leaders:
        waiting.append(
            Waiting(
                ngettext(
                    "%(num)d session waiting for %(who)s to confirm as co-leader",
                    "%(num)d sessions waiting for %(who)s to confirm as co-leader",
                    number,
                    who=name,
                ),
                logbook,
            )
        )
    if reflections:
        waiting.append(
            Waiting(
                ngettext(
                    "%(num)d reflection with your supervisor since %(date)s",
                    "%(num)d reflections with your supervisor since %(date)s",
                    reflections,
                    date=_since(reflections_since),
                ),
                url_for("vignettes.my_reflections"),
            )
        )
    return waiting


def guidance_for(enrolment: Enrolment) -> Guidance:
    return Guidance(Context(enrolment), waiting_for_others(enrolment))


@dataclass(frozen=True)
class Issuer:
    """Who issues the certificate, and whom to write to about it."""

    name: str
    admins: list


def issuer(association) -> Issuer:
    from app.accounts.models import Membership, Role, User

    admins = list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.association_id == association.id,
                Membership.role == Role.ADMIN.value,
                Membership.is_active.is_(True),
            )
            .order_by(User.name)
            .limit(5)
        )
    )
    return Issuer(association.name, admins)


# -- records by name, for the "which records counted and why" details ---------------------------


def record_name(record: LogbookRecord) -> str:
    """'Group session as co-leader, 3 December 2026': kind, role or title, and the long date."""
    from app.logbook.kinds import RecordKind, SessionRole, SupervisionMode
    from app.logbook.labels import label

    day = format_date(record.occurred_on, "long")
    kind = label(RecordKind, record.kind)
    if record.kind == RecordKind.SESSION:
        role = label(SessionRole, record.role).lower()
        return _("%(kind)s as %(role)s, %(date)s", kind=kind, role=role, date=day)
    if record.kind == RecordKind.SUPERVISION:
        mode = label(SupervisionMode, record.mode).lower()
        return _("%(kind)s (%(mode)s), %(date)s", kind=kind, mode=mode, date=day)
    if record.kind == RecordKind.EVENT and record.title:
        return _("%(kind)s “%(title)s”, %(date)s", kind=kind, title=record.title, date=day)
    return _("%(kind)s, %(date)s", kind=kind, date=day)


def _record_ids(outcomes) -> set[int]:
    ids: set[int] = set()
    stack = list(outcomes)
    while stack:
        outcome = stack.pop()
        stack.extend(outcome.children)
        if outcome.requirement.records and outcome.requirement.records != "exams":
            ids.update(outcome.counted)
            ids.update(record_id for record_id, _reason in outcome.excluded)
    return ids


def record_names(enrolment: Enrolment, outcomes) -> dict[int, tuple[str, str]]:
    """Record id -> (name, link) for every record the outcomes count or leave out, in one statement."""
    ids = _record_ids(outcomes)
    if not ids:
        return {}
    rows = db.session.scalars(
        select(LogbookRecord).where(LogbookRecord.enrolment_id == enrolment.id, LogbookRecord.id.in_(ids))
    )
    return {
        record.id: (record_name(record), url_for("logbook.record", record_id=record.id)) for record in rows
    }
