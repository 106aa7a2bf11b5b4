"""Request and response models. The OpenAPI document is generated from these classes."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

#: Database ids are 32-bit on every backend: larger numbers are invalid input, not a crash.
MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

_LOCAL_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def _local_time_text(value: object) -> object:
    """Only the documented form: pydantic alone would also take a number of seconds
    (66600.5) or a zone, and give back a time the document does not allow."""
    if isinstance(value, dt.time) and value.tzinfo is None and not value.microsecond:
        return value
    if isinstance(value, str) and re.fullmatch(_LOCAL_TIME, value):
        return value
    raise ValueError("a local time of day, HH:MM or HH:MM:SS, without a zone")


#: A wall-clock time of day (a session starts at 18:30 where the group meets). JSON
#: Schema's "time" format is RFC 3339's, which requires a zone offset ("18:30:00Z"):
#: documenting these as "time" made every returned value invalid against the document.
LocalTime = Annotated[
    dt.time,
    BeforeValidator(_local_time_text),
    WithJsonSchema(
        {"type": "string", "pattern": _LOCAL_TIME, "description": "A local time of day, HH:MM or HH:MM:SS"}
    ),
]


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Strict(BaseModel):
    """Request bodies: unknown keys are errors, so a typo is not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class ErrorDetail(Model):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorBody(Model):
    error: ErrorDetail


class ListQuery(Strict):
    cursor: str | None = Field(None, max_length=200, description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, description="Page size; values above 100 are capped at 100.")


# --- me -------------------------------------------------------------------------------


class MembershipOut(Model):
    association_id: int
    association_name: str
    roles: list[str]


class MeOut(Model):
    id: int
    name: str
    email: str
    acting_association_id: int
    memberships: list[MembershipOut]


class MemberOut(Model):
    id: int
    name: str
    email: str
    roles: list[str]


class MemberList(Model):
    items: list[MemberOut]
    next_cursor: str | None


class MemberQuery(ListQuery):
    role: Literal["trainee", "supervisor", "admin"] | None = None
    search: str | None = Field(None, max_length=100, description="Part of a name or e-mail address")


class RoleIn(Strict):
    role: Literal["trainee", "supervisor", "admin"]


class AccreditationIn(Strict):
    supervisor_id: Id
    valid_from: dt.date
    valid_until: dt.date | None = Field(None, description="Empty for open-ended")
    note: str = Field(default="", max_length=200)


class AccreditationOut(Model):
    id: int
    supervisor_id: int
    valid_from: dt.date
    valid_until: dt.date | None
    note: str


class AccreditationList(Model):
    items: list[AccreditationOut]
    next_cursor: str | None


class InvitationIn(Strict):
    email: str = Field(min_length=3, max_length=254)
    role: Literal["trainee", "supervisor", "admin"]


class InvitationOut(Model):
    id: int
    email: str
    role: str
    created_at: dt.datetime
    expires_at: dt.datetime


class InvitationList(Model):
    items: list[InvitationOut]
    next_cursor: str | None


# --- programmes -----------------------------------------------------------------------


class ProgrammeOut(Model):
    id: int
    slug: str
    title: str
    description: str
    validity_months: int | None
    module_pass_mark: int


class ProgrammeList(Model):
    items: list[ProgrammeOut]
    next_cursor: str | None


class RuleSetOut(Model):
    id: int
    programme_id: int
    version: int
    content_hash: str
    source_yaml: str
    created_at: dt.datetime


class RuleSetList(Model):
    items: list[RuleSetOut]
    next_cursor: str | None


class RuleSetIn(Strict):
    source_yaml: str = Field(min_length=1, max_length=100000)


class ProgrammeIn(Strict):
    """A programme with its first rule-set version (the format is in
    curriculum/programmes/README.md)."""

    slug: str = Field(min_length=1, max_length=60)
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)
    validity_months: int | None = Field(None, ge=1, le=600)
    module_pass_mark: int = Field(80, ge=0, le=100)
    source_yaml: str = Field(min_length=1, max_length=100000)


# --- enrolments and progress ----------------------------------------------------------


class EnrolmentOut(Model):
    id: int
    programme_id: int
    trainee_id: int
    rule_set_id: int
    status: str
    started_on: dt.date
    supervisor_ids: list[int]
    has_psychodynamic_training: bool
    qualified_on: dt.date | None


class EnrolmentList(Model):
    items: list[EnrolmentOut]
    next_cursor: str | None


class EnrolmentQuery(ListQuery):
    programme_id: Id | None = None
    status: Literal["active", "completed", "withdrawn"] | None = None


class EnrolmentIn(Strict):
    trainee_id: Id
    programme_id: Id
    supervisor_ids: list[Id] = Field(min_length=1, max_length=10)
    started_on: dt.date


class SupervisorsIn(Strict):
    supervisor_ids: list[Id] = Field(min_length=1, max_length=10)


class ProfileIn(Strict):
    """The profile facts a rule set's conditions may read."""

    has_psychodynamic_training: bool
    qualified_on: dt.date | None = None


class RuleSetMoveIn(Strict):
    rule_set_id: Id


class OutcomeOut(Model):
    requirement_id: str
    label: str
    level: str
    status: str
    current: float
    required: float
    unit: str
    missing: str
    counted: list[int]
    excluded: list[list[int | str]]
    children: list[OutcomeOut]


class ProgressOut(Model):
    enrolment_id: int
    as_of: dt.date
    is_ready: bool
    fraction: float
    outcomes: list[OutcomeOut]


# --- learning -------------------------------------------------------------------------


class LessonOut(Model):
    slug: str
    position: int
    title: str
    summary: str
    version: str
    reading_minutes: int
    is_completed: bool


class LessonDetailOut(LessonOut):
    objectives: list[str]
    body_markdown: str


class LessonList(Model):
    items: list[LessonOut]
    next_cursor: str | None = None


class CompletionOut(Model):
    id: int
    lesson_slug: str
    content_version: str
    completed_at: dt.datetime


class AttemptIn(Strict):
    kind: Literal["lesson", "final"]
    lesson_slug: str | None = Field(None, max_length=80)


class QuestionOut(Model):
    """A question as the trainee sees it. ``single`` and ``multiple`` questions are answered
    with option indexes; ``classify`` ones with a dimension and one of its two poles."""

    id: str
    kind: str
    prompt: str
    options: list[str] = Field(description="in the order shown to the trainee, shuffled per attempt")
    option_indexes: list[int] = Field(
        default_factory=list, description="for each option shown, the index to answer it with"
    )
    dimensions: dict[str, list[str]] = Field(
        default_factory=dict, description="classify only: each dimension and its two poles"
    )


class AttemptOut(Model):
    id: int
    kind: str
    lesson_slug: str | None
    question_ids: list[str]
    questions: list[QuestionOut]
    score_percent: float | None
    is_passed: bool | None
    pass_mark: int
    started_at: dt.datetime
    submitted_at: dt.datetime | None


class AnswerIn(Strict):
    options: list[Annotated[int, Field(ge=0, le=1000)]] = Field(default_factory=list, max_length=20)
    dimension: str | None = Field(None, max_length=80)
    pole: str | None = Field(None, max_length=80)


class AnswersIn(Strict):
    answers: dict[str, AnswerIn] = Field(max_length=200)


class ExtraAttemptsIn(Strict):
    attempts: int = Field(1, ge=1, le=3)
    reason: str = Field(min_length=1, max_length=500)
    privacy_confirmed: bool = False


class ExtraAttemptsOut(Model):
    id: int
    trainee_id: int
    attempts: int
    reason: str
    granted_by_id: int
    granted_at: dt.datetime


# --- vignettes ------------------------------------------------------------------------


class VignetteOut(Model):
    slug: str
    title: str
    latest_reflection_id: int | None
    latest_status: str | None


class VignetteList(Model):
    items: list[VignetteOut]
    next_cursor: str | None = None


class OptionOut(Model):
    id: str
    text: str


class ExerciseOut(Model):
    """One reflection exercise. Its answer is ``{"text": ...}``, plus ``ratings`` (each
    of ``rating_dimensions`` from -2 to 2) for ``rate-dimensions``, ``choice`` (an
    option id) for ``choose-intervention``, ``feeling`` and ``sided_with`` (a ``people``
    id, or ``no-one``) for ``reader-response``, and ``marked`` (``details`` ids) for
    ``colleague-test``. ``options`` come in the order this trainee is shown them."""

    id: str
    kind: str
    prompt: str
    person: str | None
    options: list[OptionOut]
    rating_dimensions: list[str]
    people: list[OptionOut] = []
    passage: str | None = None
    details: list[OptionOut] = []


class VignetteDetailOut(Model):
    slug: str
    title: str
    profession: str
    setting: str
    summary: str
    body_markdown: str
    version: str
    exercises: list[ExerciseOut]


class ReflectionAnswer(Strict):
    text: str = Field(default="", max_length=10000)
    ratings: dict[str, int] | None = Field(None, max_length=10)
    choice: str | None = Field(None, max_length=80)
    feeling: str | None = Field(None, max_length=10000)
    sided_with: str | None = Field(None, max_length=80)
    marked: list[str] | None = Field(None, max_length=20)


class ReflectionIn(Strict):
    """Answers keyed by exercise id. Problems are reported per part, keyed
    ``<exercise id>__text``, ``__<dimension>`` or ``__choice``."""

    answers: dict[str, ReflectionAnswer] = Field(max_length=100)
    privacy_confirmed: bool = False


class ReflectionOut(Model):
    id: int
    enrolment_id: int
    trainee_id: int
    vignette_slug: str
    version: int
    status: str
    answers: dict[str, ReflectionAnswer]
    option_order: dict[str, list[str]] = Field(
        default_factory=dict, description="Per choose-intervention exercise, the option ids as shown"
    )
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None


class ReflectionList(Model):
    items: list[ReflectionOut]
    next_cursor: str | None


class ReviewIn(Strict):
    decision: Literal["accepted", "revision_requested"]
    overall_comment: str = Field(default="", max_length=20000)
    exercise_comments: dict[str, str] = Field(default_factory=dict, max_length=100)
    privacy_confirmed: bool = False


class ReviewOut(Model):
    id: int
    reflection_id: int
    decision: str
    overall_comment: str
    created_at: dt.datetime


# --- supervisor reports ---------------------------------------------------------------


class AcknowledgementOut(Model):
    """The trainee's acknowledgement of a signed report, with their comment."""

    trainee_id: int
    comment: str
    acknowledged_at: dt.datetime


class AcknowledgementIn(Strict):
    comment: str = Field(default="", max_length=5000)
    privacy_confirmed: bool = False


class ReportOut(Model):
    id: int
    enrolment_id: int
    supervisor_id: int
    kind: str
    period_start: dt.date | None
    period_end: dt.date
    ratings: dict[str, int]
    evidence: dict[str, list[str]] = {}
    narrative: str
    recommendation: str
    status: str
    signed_at: dt.datetime | None
    acknowledgement: AcknowledgementOut | None = None


class ReportList(Model):
    items: list[ReportOut]
    next_cursor: str | None


class ReportIn(Strict):
    """A draft report. ``ratings`` rates, from 1 to 5, each competency the programme's
    rule set names (see ``GET /programmes/{id}/rule-sets``), or, when it names none, the
    ten of the association-wide rubric (``curriculum/rubric/competencies.yaml``).
    ``evidence`` maps a competency id to the trainee's records and reflections that
    support its rating, as ``"record:<id>"`` or ``"reflection:<id>"``."""

    kind: Literal["periodic", "final"]
    period_start: dt.date | None = None
    period_end: dt.date
    ratings: dict[str, int] = Field(max_length=50)
    evidence: dict[str, list[str]] = Field(default_factory=dict, max_length=50)
    narrative: str = Field(default="", max_length=20000)
    recommendation: Literal["ready", "not_yet"]
    is_reviewed_with_trainee: bool = False
    privacy_confirmed: bool = False


# --- the association's decisions on requirements --------------------------------------


class DecisionIn(Strict):
    """``waived`` for any requirement; ``met`` or ``not_met`` for manual ones;
    ``withdrawn`` takes back the previous decision."""

    requirement_id: str = Field(min_length=1, max_length=80)
    decision: Literal["waived", "met", "not_met", "withdrawn"]
    reason: str = Field(min_length=1, max_length=5000)


class DecisionOut(Model):
    id: int
    enrolment_id: int
    requirement_id: str
    decision: str
    reason: str
    decided_by_id: int
    decided_at: dt.datetime


class DecisionList(Model):
    items: list[DecisionOut]
    next_cursor: str | None


# --- certificates ---------------------------------------------------------------------


class CertificateIn(Strict):
    enrolment_id: Id
    holder_name: str = Field(default="", max_length=200)
    override_reason: str = Field(default="", max_length=5000)
    privacy_confirmed: bool = False


class CertificateOut(Model):
    id: int
    serial: str
    enrolment_id: int
    holder_id: int
    holder_name: str
    programme_title: str
    state: str
    issued_on: dt.date
    first_awarded_on: dt.date | None = None
    expires_on: dt.date | None
    revoked_at: dt.datetime | None
    verify_url: str
    pdf_sha256: str


class CertificateList(Model):
    items: list[CertificateOut]
    next_cursor: str | None


class CertificateQuery(ListQuery):
    state: Literal["valid", "revoked", "superseded"] | None = None
    enrolment_id: Id | None = None
    holder_id: Id | None = None


class RevokeIn(Strict):
    reason: str = Field(min_length=1, max_length=5000)
    privacy_confirmed: bool = False


class VerificationOut(Model):
    serial: str
    status: str
    holder_name: str
    programme_title: str
    association_name: str
    issued_on: dt.date
    #: The original award; renewals and corrections keep it (``issued_on`` starts the current period).
    first_awarded_on: dt.date | None = None
    expires_on: dt.date | None
    revoked_on: dt.date | None
    superseded_by: str | None
    suspended_since: dt.date | None = None


# --- audit ----------------------------------------------------------------------------


class AuditEventOut(Model):
    id: int
    actor_id: int | None
    action: str
    object_type: str
    object_id: str | None
    details: dict
    created_at: dt.datetime


class AuditList(Model):
    items: list[AuditEventOut]
    next_cursor: str | None


class AuditQuery(ListQuery):
    action: str | None = Field(None, max_length=80)
