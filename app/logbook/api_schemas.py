"""Request and response models of the logbook's API operations (``app.logbook.api``).

The OpenAPI document is generated from these classes; the shared bases (``Model``,
``Strict``, ``ListQuery``, ``Id``) are the API machinery's (``app.api.schemas``).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from app.api.schemas import Id, ListQuery, Model, Strict
from app.logbook.kinds import (
    EventKind,
    GroupKind,
    ObservationOutcome,
    Phase,
    SessionMode,
    SessionRole,
    SettingCategory,
    SupervisionChannel,
    SupervisionMode,
)


class SessionIn(Strict):
    """A Balint group session. The coded fields take the values their enums list; a wrong
    one is answered with 422 and a message for that field."""

    enrolment_id: Id
    occurred_on: dt.date
    role: SessionRole
    minutes: int = Field(ge=1, le=1440)
    mode: SessionMode
    group_kind: GroupKind
    setting_category: SettingCategory
    setting: str = Field(default="", max_length=200)
    members: int = Field(ge=0, le=1000)
    cases: int = Field(ge=0, le=100)
    co_leader_id: Id | None = None
    co_leader_name: str = Field(default="", max_length=120)
    phases: list[Phase] = Field(default_factory=list, max_length=20)
    reflection: str = Field(default="", max_length=20000)
    privacy_confirmed: bool = False
    submit: bool = Field(False, description="Submit for sign-off at once")


class SupervisionIn(Strict):
    """Supervision received from one of the enrolment's supervisors."""

    enrolment_id: Id
    occurred_on: dt.date
    minutes: int = Field(ge=1, le=1440)
    mode: SupervisionMode
    channel: SupervisionChannel
    supervisor_id: Id
    has_recording: bool = False
    notes: str = Field(default="", max_length=20000)
    privacy_confirmed: bool = False
    submit: bool = False


class EventIn(Strict):
    """A workshop, weekend, intensive or seminar attended. Attendance certificates are
    uploaded in the logbook pages."""

    enrolment_id: Id
    event_kind: EventKind
    title: str = Field(max_length=300)
    provider: str = Field(max_length=300)
    starts_on: dt.date
    ends_on: dt.date
    days: int = Field(ge=1, le=366)
    #: The teaching time in minutes, when known (rules can measure events in time).
    minutes: int | None = Field(default=None, ge=1, le=366 * 24 * 60)
    privacy_confirmed: bool = False
    submit: bool = False


class ObservationIn(Strict):
    """A supervisor's observation of the trainee leading (written by the observer)."""

    enrolment_id: Id
    occurred_on: dt.date
    setting: str = Field(max_length=300)
    outcome: ObservationOutcome
    report: str = Field(max_length=20000)
    privacy_confirmed: bool = False
    submit: bool = False


class RecordOut(Model):
    id: int
    enrolment_id: int
    kind: str
    status: str
    occurred_on: dt.date
    author_id: int
    submitted_at: dt.datetime | None
    signed_at: dt.datetime | None
    signer_id: int | None
    is_imported: bool = Field(
        default=False,
        description="Earlier training an admin imported: signer_id is the attesting admin, signed_at the day",
    )
    return_comment: str
    supersedes_id: int | None
    details: dict = Field(description="The kind's own fields, as signed")


class ConfirmationOut(Model):
    record_id: int
    user_id: int
    content_hash: str
    confirmed_at: dt.datetime


class SessionToConfirmOut(Model):
    """What a co-leader confirms: the facts of the session, not the trainee's reflection."""

    record_id: int
    trainee_name: str
    occurred_on: dt.date
    status: str
    role: str
    minutes: int
    mode: str
    group_kind: str
    setting_category: str
    members: int
    cases: int
    is_confirmed: bool


class SessionToConfirmList(Model):
    items: list[SessionToConfirmOut]
    next_cursor: str | None


class RecordList(Model):
    items: list[RecordOut]
    next_cursor: str | None


class RecordQuery(ListQuery):
    status: Literal["draft", "submitted", "signed", "returned"] | None = None
    kind: Literal["session", "supervision", "event", "observation"] | None = None


class QueueQuery(ListQuery):
    enrolment_id: Id | None = None
    kind: Literal["session", "supervision", "event", "observation"] | None = None


class ReopenIn(Strict):
    reason: str = Field(min_length=1, max_length=5000)
    privacy_confirmed: bool = False


class ReturnIn(Strict):
    comment: str = Field(min_length=1, max_length=5000)
    privacy_confirmed: bool = False


class BatchSignIn(Strict):
    record_ids: list[Id] = Field(min_length=1, max_length=100)


class BatchOutcomeOut(Model):
    record_id: int
    is_signed: bool
    message: str


class BatchSignOut(Model):
    items: list[BatchOutcomeOut]
