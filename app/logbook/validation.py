"""What a logbook entry must satisfy, with messages that say what to change.

Services call these before touching the database. Every problem of a submission is
collected and raised together as one ``ValidationError`` whose ``fields`` name the form
fields, so the person sees each message beside its field at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from app import formatting
from app.errors import ValidationError
from app.logbook.kinds import (
    LEADING_ROLES,
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

MIN_MINUTES, MAX_MINUTES = 15, 600
MIN_MEMBERS, MAX_MEMBERS = 1, 30
MAX_CASES = 20
MAX_EVENT_DAYS = 60
EARLIEST = date(1960, 1, 1)  # Balint groups for leaders' training did not exist before
MAX_TEXT = 5000
MAX_REPORT = 3000


@dataclass(frozen=True)
class SessionInput:
    occurred_on: date | None
    role: str
    minutes: int | None
    mode: str
    group_kind: str
    setting_category: str
    setting: str = ""
    members: int | None = None
    cases: int | None = None
    co_leader_id: int | None = None
    co_leader_name: str = ""
    is_co_leader_accredited: bool = False
    phases: tuple[str, ...] = ()
    reflection: str = ""


@dataclass(frozen=True)
class SupervisionInput:
    occurred_on: date | None
    minutes: int | None
    mode: str
    channel: str
    supervisor_id: int | None
    has_recording: bool = False
    notes: str = ""


@dataclass(frozen=True)
class EventInput:
    event_kind: str
    title: str
    provider: str
    starts_on: date | None
    ends_on: date | None
    days: int | None
    minutes: int | None = None  # teaching length, optional: rules measure events in time with it


@dataclass(frozen=True)
class ObservationInput:
    occurred_on: date | None
    setting: str
    outcome: str
    report: str


@dataclass
class Problems:
    """Messages per field, raised together."""

    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationError(_("Please correct the highlighted fields."), fields=self.fields)


def _choice(problems: Problems, name: str, value: str, kind: type) -> None:
    if value not in {member.value for member in kind}:
        problems.add(name, _("Choose one of the options."))


def _past_date(problems: Problems, name: str, value: date | None, today: date, missing: str) -> None:
    if value is None:
        problems.add(name, missing)
    elif value > today:
        problems.add(
            name,
            _(
                "%(date)s is in the future. Record it once it has taken place.",
                date=formatting.date(value),
            ),
        )
    elif value < EARLIEST:
        problems.add(name, _("Check the year: this date is before 1960."))


def _between(problems: Problems, name: str, value: int | None, low: int, high: int, message: str) -> None:
    if value is None or not low <= value <= high:
        problems.add(name, message)


def _text(problems: Problems, name: str, value: str, limit: int, *, required: str | None = None) -> None:
    if required and not value.strip():
        problems.add(name, required)
    elif len(value) > limit:
        problems.add(name, _("Keep this under %(limit)d characters (now %(n)d).", limit=limit, n=len(value)))


def _minutes(problems: Problems, value: int | None) -> None:
    _between(
        problems,
        "minutes",
        value,
        MIN_MINUTES,
        MAX_MINUTES,
        _("Enter the length in minutes, from 15 to 600 (ten hours)."),
    )


def check_session(data: SessionInput, *, today: date, trainee_id: int, member_ids: set[int]) -> None:
    """``member_ids``: the people of the association who may be named as co-leader."""
    problems = Problems()
    _past_date(problems, "occurred_on", data.occurred_on, today, _("Enter the date of the session."))
    _choice(problems, "role", data.role, SessionRole)
    _minutes(problems, data.minutes)
    _choice(problems, "mode", data.mode, SessionMode)
    _choice(problems, "group_kind", data.group_kind, GroupKind)
    _choice(problems, "setting_category", data.setting_category, SettingCategory)
    _text(problems, "setting", data.setting, 200)
    _between(
        problems,
        "members",
        data.members,
        MIN_MEMBERS,
        MAX_MEMBERS,
        _("Enter the number of group members, from 1 to 30."),
    )
    _between(
        problems, "cases", data.cases, 0, MAX_CASES, _("Enter the number of cases discussed, from 0 to 20.")
    )
    _check_co_leader(problems, data, trainee_id, member_ids)
    unknown = set(data.phases) - {phase.value for phase in Phase}
    if unknown:
        problems.add("phases", _("Choose phases from the list."))
    required = None
    if data.role in LEADING_ROLES:
        required = _("You co-led or led this session: write a short reflection on your own leading.")
    _text(problems, "reflection", data.reflection, MAX_TEXT, required=required)
    problems.raise_if_any()


def _check_co_leader(problems: Problems, data: SessionInput, trainee_id: int, member_ids: set[int]) -> None:
    name = data.co_leader_name.strip()
    if data.co_leader_id is not None and name:
        problems.add("co_leader_name", _("Choose the co-leader from the list or type a name, not both."))
    if data.co_leader_id is not None:
        if data.co_leader_id == trainee_id:
            problems.add("co_leader_id", _("You cannot be your own co-leader."))
        elif data.co_leader_id not in member_ids:
            problems.add("co_leader_id", _("Choose someone from the list."))
    if len(name) > 120:
        problems.add("co_leader_name", _("Keep the name under 120 characters."))
    if data.role == SessionRole.CO_LEADER and data.co_leader_id is None and not name:
        problems.add(
            "co_leader_id",
            _("You co-led: name the leader you worked with (choose them, or type their name below)."),
        )


def check_supervision(data: SupervisionInput, *, today: date, supervisor_ids: set[int]) -> None:
    """``supervisor_ids``: the supervisors assigned to the enrolment, who alone can sign it."""
    problems = Problems()
    _past_date(problems, "occurred_on", data.occurred_on, today, _("Enter the date of the supervision."))
    _minutes(problems, data.minutes)
    _choice(problems, "mode", data.mode, SupervisionMode)
    _choice(problems, "channel", data.channel, SupervisionChannel)
    if data.supervisor_id is None or data.supervisor_id not in supervisor_ids:
        problems.add("supervisor_id", _("Choose one of your assigned supervisors: they sign this record."))
    _text(problems, "notes", data.notes, MAX_TEXT)
    problems.raise_if_any()


def check_event(data: EventInput, *, today: date) -> None:
    problems = Problems()
    _choice(problems, "event_kind", data.event_kind, EventKind)
    _text(problems, "title", data.title, 200, required=_("Enter the title of the event."))
    _text(problems, "provider", data.provider, 200, required=_("Enter who ran it (the society or body)."))
    _past_date(problems, "starts_on", data.starts_on, today, _("Enter the first day."))
    _past_date(problems, "ends_on", data.ends_on, today, _("Enter the last day."))
    if data.days is None or data.days < 1:
        problems.add("days", _("Enter the number of days you attended, at least 1."))
    if data.minutes is not None and not 1 <= data.minutes <= max(1, data.days or 1) * 24 * 60:
        problems.add(
            "minutes",
            _("The teaching time is a number of minutes, at least 1 and at most 24 hours a day attended."),
        )
    if data.starts_on and data.ends_on and not problems.fields.get("ends_on"):
        if data.ends_on < data.starts_on:
            problems.add("ends_on", _("The last day cannot be before the first day."))
        elif data.days is not None and data.days >= 1:
            span = (data.ends_on - data.starts_on).days + 1
            if data.days > span or data.days > MAX_EVENT_DAYS:
                problems.add(
                    "days",
                    _(
                        "From %(start)s to %(end)s is %(span)d days; "
                        "the days attended cannot be more than that.",
                        start=formatting.date(data.starts_on),
                        end=formatting.date(data.ends_on),
                        span=span,
                    ),
                )
    problems.raise_if_any()


def check_observation(data: ObservationInput, *, today: date) -> None:
    problems = Problems()
    _past_date(problems, "occurred_on", data.occurred_on, today, _("Enter the date you observed."))
    _text(problems, "setting", data.setting, 200, required=_("Describe the group you observed."))
    _choice(problems, "outcome", data.outcome, ObservationOutcome)
    _text(problems, "report", data.report, MAX_REPORT, required=_("Write a short report."))
    problems.raise_if_any()


def check_comment(text: str, *, name: str, required: str) -> None:
    problems = Problems()
    _text(problems, name, text, 2000, required=required)
    problems.raise_if_any()
