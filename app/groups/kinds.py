"""The closed vocabularies of groups and sessions, stored as their string values.

Where a value has a logbook counterpart (a group's kind, a session's mode) the mapping
is here, so the records a closed session writes say the same thing as the session.
"""

from __future__ import annotations

import enum

from app.logbook.kinds import GroupKind as LogbookGroupKind
from app.logbook.kinds import Phase


class GroupFormat(enum.StrEnum):
    IN_PERSON = "in-person"
    ONLINE = "online"
    MIXED = "mixed"


class GroupKind(enum.StrEnum):
    ONGOING = "ongoing"
    WEEKEND = "weekend"
    INTENSIVE = "intensive"
    CONFERENCE_DEMONSTRATION = "conference-demonstration"


#: What the leader's logbook calls each kind of group.
LOGBOOK_GROUP_KIND = {
    GroupKind.ONGOING: LogbookGroupKind.ONGOING,
    GroupKind.WEEKEND: LogbookGroupKind.RESIDENTIAL_WEEKEND,
    GroupKind.INTENSIVE: LogbookGroupKind.INTENSIVE,
    GroupKind.CONFERENCE_DEMONSTRATION: LogbookGroupKind.STUDY_CONFERENCE,
}


class Rhythm(enum.StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    BLOCK = "block"


class LeaderRole(enum.StrEnum):
    LEADER = "leader"
    CO_LEADER = "co-leader"


class SessionStatus(enum.StrEnum):
    """Planned, then running once the run sheet is opened, then closed (final)."""

    PLANNED = "planned"
    RUNNING = "running"
    CLOSED = "closed"


class SessionMode(enum.StrEnum):
    IN_PERSON = "in-person"
    ONLINE = "online"


class BriefingVersion(enum.StrEnum):
    SHORT = "short"
    FULL = "full"
    NEW_MEMBERS = "new-members"
    ONLINE = "online"


#: The five phases of the run sheet, in order. They use the logbook's phase names, so
#: the phases a session ran become the ``phases`` of the records it writes.
RUN_PHASES = (Phase.OPENING, Phase.PRESENTATION, Phase.QUESTIONS, Phase.PUSH_BACK, Phase.RETURN)


class ObserverStatus(enum.StrEnum):
    """The standing an observer signs a report with, as they state it on the report.

    The association keeps no table of status levels yet, so the observer's status is a
    small closed vocabulary chosen when the observer is assigned: a leader trainer (who
    trains Balint leaders), an accredited Balint leader, or a supervisor of the
    association. It travels with the report and its logbook observation.
    """

    LEADER_TRAINER = "leader-trainer"
    ACCREDITED_LEADER = "accredited-leader"
    SUPERVISOR = "supervisor"
