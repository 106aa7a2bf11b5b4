"""Forms of groups and sessions. They parse input into plain values; the services judge it.

As in the logbook, choices and numbers are not validated here: the service's messages
appear beside the same fields, so the rules live in one place.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Optional

from app.groups.feedback import FeedbackInput
from app.groups.kinds import BriefingVersion, GroupFormat, GroupKind, ObserverStatus, Rhythm, SessionMode
from app.groups.labels import choices
from app.groups.observation import ReportInput
from app.groups.process_notes import NoteInput
from app.groups.services import GroupInput, LeaderInput
from app.groups.sessions import PlanInput
from app.logbook.forms import optional_int
from app.logbook.kinds import ObservationOutcome, SettingCategory
from app.logbook.labels import choices as logbook_choices
from app.privacy.forms import PrivacyConfirmMixin
from app.vignettes.schema import DIMENSIONS, RATING_VALUES


def _text(value: str | None) -> str:
    return value or ""


class GroupForm(PrivacyConfirmMixin, FlaskForm):
    name = StringField(_l("Name of the group"), validators=[Optional()])
    setting_category = SelectField(
        _l("Setting"), choices=logbook_choices(SettingCategory), validate_choice=False
    )
    setting = StringField(
        _l("The group in a few words (optional)"),
        validators=[Optional()],
        description=_l("e.g. GP trainees, city practice. Describe the group, never a patient."),
    )
    profession_mix = StringField(
        _l("Profession mix (optional)"),
        validators=[Optional()],
        description=_l("e.g. GPs and practice nurses."),
    )
    format = SelectField(_l("Format"), choices=choices(GroupFormat), validate_choice=False)
    kind = SelectField(_l("Kind of group"), choices=choices(GroupKind), validate_choice=False)
    rhythm = SelectField(_l("Rhythm"), choices=choices(Rhythm), validate_choice=False)
    starts_on = DateField(_l("Starts on"), validators=[Optional()])
    ends_on = DateField(_l("Ends on (optional)"), validators=[Optional()])
    leader_id = SelectField(_l("Leader"), coerce=optional_int, validate_choice=False)
    is_leader_accredited = BooleanField(_l("The leader is an accredited Balint leader"))
    co_leader_id = SelectField(_l("Co-leader (optional)"), coerce=optional_int, validate_choice=False)
    is_co_leader_accredited = BooleanField(_l("The co-leader is an accredited Balint leader"))
    submit = SubmitField(_l("Create the group"))

    def to_input(self) -> GroupInput:
        return GroupInput(
            name=_text(self.name.data),
            setting_category=_text(self.setting_category.data),
            format=_text(self.format.data),
            kind=_text(self.kind.data),
            rhythm=_text(self.rhythm.data),
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            setting=_text(self.setting.data),
            profession_mix=_text(self.profession_mix.data),
        )

    def to_leaders(self) -> list[LeaderInput]:
        leaders = []
        if self.leader_id.data is not None:
            leaders.append(LeaderInput(self.leader_id.data, "leader", bool(self.is_leader_accredited.data)))
        if self.co_leader_id.data is not None:
            leaders.append(
                LeaderInput(self.co_leader_id.data, "co-leader", bool(self.is_co_leader_accredited.data))
            )
        return leaders


class MemberForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Optional()])
    email = EmailField(
        _l("E-mail address"),
        validators=[Optional()],
        description=_l("A member with an account here is linked to it by this address."),
    )
    joined_on = DateField(_l("Joined on"), validators=[Optional()])
    submit = SubmitField(_l("Add the member"))


class PlanForm(FlaskForm):
    held_on = DateField(_l("Date"), validators=[Optional()])
    starts_at = TimeField(_l("Starts at"), validators=[Optional()])
    planned_minutes = IntegerField(
        _l("Planned length in minutes"), validators=[Optional()], description=_l("From 15 to 600, e.g. 90.")
    )
    mode = SelectField(_l("Held"), choices=choices(SessionMode), validate_choice=False)
    submit = SubmitField(_l("Plan the session"))

    def to_input(self) -> PlanInput:
        return PlanInput(
            held_on=self.held_on.data,
            starts_at=self.starts_at.data,
            planned_minutes=self.planned_minutes.data,
            mode=_text(self.mode.data),
        )


class BriefingForm(FlaskForm):
    version = RadioField(_l("Version given"), choices=choices(BriefingVersion), validate_choice=False)
    submit = SubmitField(_l("Briefing given"))


class PhaseForm(FlaskForm):
    phase = HiddenField()
    #: When the leader tapped, by the phone's clock (ISO 8601), so a replay keeps the time.
    at = HiddenField()


class AttendanceForm(FlaskForm):
    """The CSRF token of the attendance list; each member's mark arrives as ``m-<id>``."""

    submit = SubmitField(_l("Save attendance"))


class CloseForm(FlaskForm):
    cases = IntegerField(_l("Number of cases"), validators=[Optional()])
    minutes = IntegerField(
        _l("How long the session ran, in minutes"), validators=[Optional()], description=_l("From 15 to 600.")
    )
    at = HiddenField()
    confirm = BooleanField(_l("I have checked attendance and the figures: close the session for good."))
    submit = SubmitField(_l("Close the session"))


def _position_name(key: str) -> str:
    return "position_" + key.replace("-", "_")


def _moved_name(key: str) -> str:
    return "moved_" + key.replace("-", "_")


def _with_dimension_fields(form_class: type) -> type:
    """A place on the scale and a 'what moved it' box for each dimension of mentalizing."""
    for dimension in DIMENSIONS:
        scale = [SelectChoice("", _l("not noticed"))]
        scale += [SelectChoice(str(value), dimension.label(value)) for value in RATING_VALUES]
        setattr(
            form_class, _position_name(dimension.key), RadioField(dimension.name, choices=scale, default="")
        )
        setattr(
            form_class,
            _moved_name(dimension.key),
            TextAreaField(_l("What moved the group on it, and when?"), validators=[Optional()]),
        )
    return form_class


@_with_dimension_fields
class ProcessNoteForm(PrivacyConfirmMixin, FlaskForm):
    """The leader's process note; its dimension fields are added by ``_with_dimension_fields``."""

    leader_actions = TextAreaField(
        _l("What did you do as leader, and what did it change?"),
        validators=[Optional()],
        description=_l("Your own interventions: a question, a pause, bringing the group back to the case."),
    )
    for_supervision = TextAreaField(_l("What will you take to supervision?"), validators=[Optional()])
    submit = SubmitField(_l("Save the note"))

    def position_fields(self):
        """Each dimension with its scale and its text box, in the dimensions' order."""
        return [(d, self[_position_name(d.key)], self[_moved_name(d.key)]) for d in DIMENSIONS]

    def load(self, note) -> None:
        for dimension in DIMENSIONS:
            value = (note.positions or {}).get(dimension.key)
            self[_position_name(dimension.key)].data = "" if value is None else str(value)
            self[_moved_name(dimension.key)].data = (note.movements or {}).get(dimension.key, "")
        self.leader_actions.data = note.leader_actions
        self.for_supervision.data = note.for_supervision

    def to_input(self) -> NoteInput:
        positions = {}
        for dimension in DIMENSIONS:
            raw = self[_position_name(dimension.key)].data or ""
            positions[dimension.key] = int(raw) if raw.lstrip("-").isdigit() else None
        return NoteInput(
            positions=positions,
            movements={d.key: _text(self[_moved_name(d.key)].data) for d in DIMENSIONS},
            leader_actions=_text(self.leader_actions.data),
            for_supervision=_text(self.for_supervision.data),
        )


class CoLeaderFeedbackForm(PrivacyConfirmMixin, FlaskForm):
    """Ratings on the co-leading items of the rubric, added per request by ``with_items``."""

    went_well = TextAreaField(_l("What went well in their leading?"), validators=[Optional()])
    to_try = TextAreaField(_l("What could they try next time? (optional)"), validators=[Optional()])
    is_final = BooleanField(
        _l("I understand that this feedback is signed when I send it and cannot be changed afterwards.")
    )
    submit = SubmitField(_l("Sign and send the feedback"))

    @classmethod
    def with_items(cls, items, level_names):
        """A form class with one rating field per rubric item (the rubric is data)."""

        class Form(cls):
            pass

        for item in items:
            scale = [SelectChoice("", _l("not seen enough to say"))]
            scale += [SelectChoice(str(n), f"{n} · {name}") for n, name in enumerate(level_names, start=1)]
            setattr(Form, f"rating_{item.code}", RadioField(item.label, choices=scale, default=""))
        Form.item_codes = [item.code for item in items]
        return Form

    def rating_fields(self):
        return [self[f"rating_{code}"] for code in self.item_codes]

    def to_input(self) -> FeedbackInput:
        ratings = {}
        for code in self.item_codes:
            raw = self[f"rating_{code}"].data or ""
            ratings[code] = int(raw) if raw.isdigit() else None
        return FeedbackInput(
            ratings=ratings, went_well=_text(self.went_well.data), to_try=_text(self.to_try.data)
        )


class AssignObserverForm(FlaskForm):
    """Who is observed, by whom, and in what status the observer observes."""

    trainee_id = SelectField(_l("Leader to be observed"), coerce=optional_int, validate_choice=False)
    observer_id = SelectField(_l("Observer"), coerce=optional_int, validate_choice=False)
    observer_status = SelectField(
        _l("The observer observes as"), choices=choices(ObserverStatus), validate_choice=False
    )
    submit = SubmitField(_l("Ask them to observe"))


class ObservationReportForm(PrivacyConfirmMixin, FlaskForm):
    """The rubric: a level and an evidence note per competency, added per request by ``with_items``."""

    outcome = RadioField(_l("Overall outcome"), choices=choices(ObservationOutcome), validate_choice=False)
    narrative = TextAreaField(
        _l("What you observed"),
        validators=[Optional()],
        description=_l("The trainee's leading as you saw it: never the case or its people."),
    )
    is_final = BooleanField(
        _l("I understand that this report is signed when I send it and cannot be changed afterwards.")
    )
    submit = SubmitField(_l("Sign the observation report"))

    @classmethod
    def with_items(cls, items, level_names):
        """A form class with a level and an evidence note per rubric competency (the rubric is data)."""

        class Form(cls):
            pass

        for item in items:
            scale = [SelectChoice("", _l("not seen"))]
            scale += [SelectChoice(str(n), f"{n} · {name}") for n, name in enumerate(level_names, start=1)]
            setattr(Form, f"rating_{item.code}", RadioField(item.label, choices=scale, default=""))
            setattr(
                Form,
                f"evidence_{item.code}",
                TextAreaField(_l("Evidence (optional)"), validators=[Optional()], render_kw={"rows": 3}),
            )
        Form.item_codes = [item.code for item in items]
        return Form

    def rubric_fields(self):
        return [(self[f"rating_{code}"], self[f"evidence_{code}"]) for code in self.item_codes]

    def to_input(self) -> ReportInput:
        ratings, evidence = {}, {}
        for code in self.item_codes:
            raw = self[f"rating_{code}"].data or ""
            ratings[code] = int(raw) if raw.isdigit() else None
            evidence[code] = _text(self[f"evidence_{code}"].data)
        return ReportInput(
            ratings=ratings,
            evidence=evidence,
            outcome=_text(self.outcome.data),
            narrative=_text(self.narrative.data),
        )


class ConfirmationCheckForm(FlaskForm):
    """What to confirm (sent by GET: looking changes nothing, so no CSRF token)."""

    class Meta:
        csrf = False

    kind = RadioField(
        _l("Confirm"),
        choices=[
            SelectChoice("period", _l("A period (certificate of attendance)")),
            SelectChoice("session", _l("One session")),
        ],
        default="period",
        validate_choice=False,
    )
    session_id = SelectField(
        _l("Session"),
        coerce=optional_int,
        validate_choice=False,
        description=_l("For one session only; a period ignores it."),
    )
    period_from = DateField(
        _l("From"), validators=[Optional()], description=_l("For a period: its first and last day.")
    )
    period_to = DateField(_l("To"), validators=[Optional()])
    submit = SubmitField(_l("Check against the participant rules"))


class ConfirmationIssueForm(FlaskForm):
    """The checked choice again, to issue it."""

    kind = HiddenField()
    session_id = HiddenField()
    period_from = HiddenField()
    period_to = HiddenField()
    submit = SubmitField(_l("Issue the confirmation"))


class ConfirmationRevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is it revoked?"), description=_l("Kept with the association; not shown publicly.")
    )
    submit = SubmitField(_l("Revoke the confirmation"))


class AnswerForm(FlaskForm):
    """A member's answer on their one-time page: two buttons, nothing to type."""

    confirm = SubmitField(_l("Yes, I was there"))
    not_there = SubmitField(_l("No, I was not there"))


class ResolveAnswerForm(PrivacyConfirmMixin, FlaskForm):
    """A leader settles a member's "I was not there": two buttons; a reason to keep the record
    (free text, so the privacy guard may ask for a confirmation)."""

    reason = TextAreaField(
        _l("Reason"),
        description=_l("Needed to keep your record: why the member was there after all."),
    )
    correct = SubmitField(_l("The member was not there"))
    keep = SubmitField(_l("Keep my record"))


class RuleSetChoiceForm(FlaskForm):
    """The participant rule set a member's attendance is checked against (choices set by the view)."""

    rule_set = SelectField(_l("Participant rule set"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Save the rule set"))
