"""Request and response models of the profile-facts API (they generate its OpenAPI part)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from app.api.schemas import Id, Model, Strict
from app.profiles.kinds import EXAM_KINDS, EXAM_OUTCOMES, QUALIFICATION_KINDS

QualificationKind = Literal[tuple(QUALIFICATION_KINDS)]  # type: ignore[valid-type]
ExamKind = Literal[tuple(EXAM_KINDS)]  # type: ignore[valid-type]
ExamOutcome = Literal[tuple(EXAM_OUTCOMES)]  # type: ignore[valid-type]


class TrackOut(Model):
    id: str
    label: str


class MembershipOut(Model):
    id: int
    started_on: dt.date
    ended_on: dt.date | None


class QualificationOut(Model):
    id: int
    kind: str
    obtained_on: dt.date


class ExamOut(Model):
    id: int
    kind: str
    outcome: str
    occurred_on: dt.date
    examiner_id: int | None
    examiner_name: str
    note: str


class ProfileFactsOut(Model):
    enrolment_id: int
    track: str | None
    tracks: list[TrackOut]
    memberships: list[MembershipOut]
    qualifications: list[QualificationOut]
    exams: list[ExamOut]


class TrackIn(Strict):
    track: str | None = Field(None, max_length=40, description="One of the rule set's tracks, or null")


class MembershipIn(Strict):
    started_on: dt.date
    ended_on: dt.date | None = Field(None, description="The last day of membership; null while it continues")


class QualificationIn(Strict):
    kind: QualificationKind
    obtained_on: dt.date


class ExamIn(Strict):
    kind: ExamKind
    outcome: ExamOutcome
    occurred_on: dt.date
    examiner_id: Id | None = None
    examiner_name: str = Field("", max_length=200)
    note: str = Field("", max_length=2000)
