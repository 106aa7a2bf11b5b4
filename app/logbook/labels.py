"""Words for the logbook's stored values, translated, for forms, pages, CSV and PDF alike."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from app import formatting
from app.logbook.models import (
    EventKind,
    GroupKind,
    LogbookRecord,
    ObservationOutcome,
    Phase,
    RecordKind,
    RecordStatus,
    SessionMode,
    SessionRole,
    SettingCategory,
    SupervisionChannel,
    SupervisionMode,
)

LABELS: dict[type, dict[str, object]] = {
    RecordKind: {
        RecordKind.SESSION: _l("Group session"),
        RecordKind.SUPERVISION: _l("Supervision"),
        RecordKind.EVENT: _l("Training event"),
        RecordKind.OBSERVATION: _l("Observation"),
    },
    RecordStatus: {
        RecordStatus.DRAFT: _l("Draft"),
        RecordStatus.SUBMITTED: _l("Awaiting signature"),
        RecordStatus.SIGNED: _l("Signed"),
        RecordStatus.RETURNED: _l("Returned"),
    },
    SessionRole: {
        SessionRole.MEMBER: _l("Member"),
        SessionRole.PRESENTER: _l("Presenter"),
        SessionRole.CO_LEADER: _l("Co-leader"),
        SessionRole.LEADER: _l("Leader"),
    },
    SessionMode: {SessionMode.IN_PERSON: _l("In person"), SessionMode.ONLINE: _l("Online")},
    GroupKind: {
        GroupKind.ONGOING: _l("Ongoing group"),
        GroupKind.RESIDENTIAL_WEEKEND: _l("Residential weekend"),
        GroupKind.INTENSIVE: _l("Intensive"),
        GroupKind.STUDY_CONFERENCE: _l("Study conference"),
        GroupKind.LARGE_GROUP: _l("Large group"),
    },
    SettingCategory: {
        SettingCategory.PRIMARY_CARE: _l("Primary care"),
        SettingCategory.HOSPITAL: _l("Hospital"),
        SettingCategory.MENTAL_HEALTH: _l("Mental health"),
        SettingCategory.EDUCATION: _l("Education"),
        SettingCategory.SOCIAL_CARE: _l("Social care"),
        SettingCategory.MIXED: _l("Mixed"),
        SettingCategory.OTHER: _l("Other"),
    },
    Phase: {
        Phase.OPENING: _l("Opening"),
        Phase.PRESENTATION: _l("Presentation"),
        Phase.QUESTIONS: _l("Questions"),
        Phase.PUSH_BACK: _l("Push-back"),
        Phase.RETURN: _l("Return to the presenter"),
        Phase.CLOSING: _l("Closing"),
    },
    SupervisionMode: {SupervisionMode.INDIVIDUAL: _l("Individual"), SupervisionMode.GROUP: _l("Group")},
    SupervisionChannel: {
        SupervisionChannel.IN_PERSON: _l("In person"),
        SupervisionChannel.ONLINE: _l("Online"),
        SupervisionChannel.PHONE: _l("Phone"),
    },
    EventKind: {
        EventKind.LEADERSHIP_WORKSHOP: _l("Leadership workshop"),
        EventKind.RESIDENTIAL_WEEKEND: _l("Residential weekend"),
        EventKind.INTENSIVE: _l("Intensive"),
        EventKind.SEMINAR: _l("Seminar"),
        EventKind.INTERNATIONAL_WORKSHOP: _l("International workshop"),
    },
    ObservationOutcome: {
        ObservationOutcome.SATISFACTORY: _l("Satisfactory"),
        ObservationOutcome.NEEDS_DEVELOPMENT: _l("Needs development"),
    },
}


def label(kind: type, value: str | None) -> str:
    """The translated word for a stored value; the value itself if it is unknown."""
    if value is None:
        return ""
    return str(LABELS[kind].get(value, value))


def choices(kind: type) -> list[SelectChoice]:
    return [SelectChoice(value.value, text) for value, text in LABELS[kind].items()]


def hours(minutes: int | float | None) -> str:
    """'1.5' hours, with no trailing zeros: the unit accreditation rules count in."""
    value = round((minutes or 0) / 60, 2)
    return f"{value:.2f}".rstrip("0").rstrip(".")


def describe(record: LogbookRecord) -> str:
    """A short name for a record in messages: 'Group session of 3 Mar 2025'."""

    return _(
        "%(kind)s of %(date)s",
        kind=label(RecordKind, record.kind),
        date=formatting.date(record.occurred_on),
    )


HISTORY = {
    "logbook.created": _l("created it"),
    "logbook.updated": _l("edited it"),
    "logbook.submitted": _l("submitted it for signature"),
    "logbook.returned": _l("returned it with a comment"),
    "logbook.signed": _l("signed it"),
    "logbook.imported": _l("imported it as earlier training and attested it with a document"),
    "logbook.reopened": _l("reopened the signed version as this one"),
    "logbook.confirmed": _l("confirmed it as co-leader"),
    "attachments.added": _l("attached an evidence file"),
    "attachments.removed": _l("removed an evidence file"),
}


def register(app) -> None:
    """Template helpers: ``logbook_label('SessionRole', value)``, ``hours(minutes)``."""
    by_name = {kind.__name__: kind for kind in LABELS}
    app.jinja_env.globals["logbook_label"] = lambda kind, value: label(by_name[kind], value)
    app.jinja_env.globals["logbook_hours"] = hours
    app.jinja_env.globals["describe_record"] = describe
    app.jinja_env.globals["history_label"] = lambda action: str(HISTORY.get(action, action))
