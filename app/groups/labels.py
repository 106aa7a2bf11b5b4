"""Words for the stored values of groups and sessions, for forms and pages alike."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from app.groups.kinds import (
    BriefingVersion,
    GroupFormat,
    GroupKind,
    LeaderRole,
    ObserverStatus,
    Rhythm,
    SessionMode,
    SessionStatus,
)
from app.logbook.kinds import ObservationOutcome

LABELS: dict[type, dict[str, object]] = {
    GroupFormat: {
        GroupFormat.IN_PERSON: _l("In person"),
        GroupFormat.ONLINE: _l("Online"),
        GroupFormat.MIXED: _l("Mixed (in person and online)"),
    },
    GroupKind: {
        GroupKind.ONGOING: _l("Ongoing group"),
        GroupKind.WEEKEND: _l("Weekend"),
        GroupKind.INTENSIVE: _l("Intensive"),
        GroupKind.CONFERENCE_DEMONSTRATION: _l("Conference demonstration"),
    },
    Rhythm: {
        Rhythm.WEEKLY: _l("Weekly"),
        Rhythm.FORTNIGHTLY: _l("Fortnightly"),
        Rhythm.MONTHLY: _l("Monthly"),
        Rhythm.BLOCK: _l("A block"),
    },
    LeaderRole: {LeaderRole.LEADER: _l("Leader"), LeaderRole.CO_LEADER: _l("Co-leader")},
    SessionStatus: {
        SessionStatus.PLANNED: _l("Planned"),
        SessionStatus.RUNNING: _l("Running"),
        SessionStatus.CLOSED: _l("Closed"),
    },
    SessionMode: {SessionMode.IN_PERSON: _l("In person"), SessionMode.ONLINE: _l("Online")},
    BriefingVersion: {
        BriefingVersion.SHORT: _l("Short"),
        BriefingVersion.FULL: _l("Full"),
        BriefingVersion.NEW_MEMBERS: _l("With new members"),
        BriefingVersion.ONLINE: _l("Online"),
    },
    ObserverStatus: {
        ObserverStatus.LEADER_TRAINER: _l("Leader trainer"),
        ObserverStatus.ACCREDITED_LEADER: _l("Accredited Balint leader"),
        ObserverStatus.SUPERVISOR: _l("Supervisor"),
    },
    ObservationOutcome: {
        ObservationOutcome.SATISFACTORY: _l("Satisfactory"),
        ObservationOutcome.NEEDS_DEVELOPMENT: _l("Not yet"),
    },
}


def label(kind: type, value: str) -> str:
    return str(LABELS[kind].get(value, value))


def choices(kind: type) -> list[SelectChoice]:
    return [SelectChoice(value.value, text) for value, text in LABELS[kind].items()]


def register(app) -> None:
    """Template helper: ``group_label('GroupFormat', value)``."""
    by_name = {kind.__name__: kind for kind in LABELS}
    app.jinja_env.globals["group_label"] = lambda kind, value: label(by_name[kind], value)
