"""The closed vocabularies of the logbook: kinds, statuses and the choices a record offers.

Stored as their string values; ``labels.py`` gives the words people read.
"""

from __future__ import annotations

import enum


class RecordKind(enum.StrEnum):
    SESSION = "session"
    SUPERVISION = "supervision"
    EVENT = "event"
    OBSERVATION = "observation"


class RecordStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SIGNED = "signed"
    RETURNED = "returned"


class SessionRole(enum.StrEnum):
    MEMBER = "member"
    PRESENTER = "presenter"
    CO_LEADER = "co-leader"
    LEADER = "leader"


#: Roles in which the trainee led, and so is asked to reflect on their own leading.
LEADING_ROLES = frozenset({SessionRole.CO_LEADER, SessionRole.LEADER})


class SessionMode(enum.StrEnum):
    IN_PERSON = "in-person"
    ONLINE = "online"


class GroupKind(enum.StrEnum):
    ONGOING = "ongoing"
    RESIDENTIAL_WEEKEND = "residential-weekend"
    INTENSIVE = "intensive"
    STUDY_CONFERENCE = "study-conference"
    LARGE_GROUP = "large-group"


class SettingCategory(enum.StrEnum):
    PRIMARY_CARE = "primary-care"
    HOSPITAL = "hospital"
    MENTAL_HEALTH = "mental-health"
    EDUCATION = "education"
    SOCIAL_CARE = "social-care"
    MIXED = "mixed"
    OTHER = "other"


class Phase(enum.StrEnum):
    """The phases of a Balint session, in the order they are run."""

    OPENING = "opening"
    PRESENTATION = "presentation"
    QUESTIONS = "questions"
    PUSH_BACK = "push-back"
    RETURN = "return"
    CLOSING = "closing"


class SupervisionMode(enum.StrEnum):
    INDIVIDUAL = "individual"
    GROUP = "group"


class SupervisionChannel(enum.StrEnum):
    IN_PERSON = "in-person"
    ONLINE = "online"
    PHONE = "phone"


class EventKind(enum.StrEnum):
    LEADERSHIP_WORKSHOP = "leadership-workshop"
    RESIDENTIAL_WEEKEND = "residential-weekend"
    INTENSIVE = "intensive"
    SEMINAR = "seminar"
    INTERNATIONAL_WORKSHOP = "international-workshop"


class ObservationOutcome(enum.StrEnum):
    SATISFACTORY = "satisfactory"
    NEEDS_DEVELOPMENT = "needs-development"
