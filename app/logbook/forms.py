"""Logbook forms. They parse input into plain values; the services decide what is acceptable.

Choices are not validated here (``validate_choice=False``) and numbers carry no range
validators: the service checks them and its messages appear beside the same fields, so
the rules live in one place and every message reads the same in the pages and the API.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms_util import FinalConfirmMixin
from app.logbook.labels import choices
from app.logbook.models import (
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
from app.logbook.validation import EventInput, ObservationInput, SessionInput, SupervisionInput
from app.privacy.forms import PrivacyConfirmMixin


def optional_int(value: object) -> int | None:
    """Select values arrive as text; the empty option means 'nobody'."""
    if value in (None, "", "None"):
        return None
    return int(value)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _select(label, kind: type, **kwargs) -> SelectField:
    return SelectField(label, choices=choices(kind), validate_choice=False, **kwargs)


def _text(value: str | None) -> str:
    return value or ""


class DraftButtons(FinalConfirmMixin):
    final_buttons = ("save_submit",)
    save = SubmitField(_l("Save as draft"))
    save_submit = SubmitField(_l("Save and submit for signature"))

    @property
    def wants_submit(self) -> bool:
        return bool(self.save_submit.data)


class SessionForm(DraftButtons, PrivacyConfirmMixin, FlaskForm):
    occurred_on = DateField(_l("Date of the session"), validators=[Optional()])
    role = _select(_l("Your role"), SessionRole)
    minutes = IntegerField(
        _l("Length in minutes"), validators=[Optional()], description=_l("From 15 to 600, e.g. 90.")
    )
    mode = _select(_l("Mode"), SessionMode)
    group_kind = _select(_l("Kind of group"), GroupKind)
    setting_category = _select(_l("Setting"), SettingCategory)
    setting = StringField(
        _l("Setting in your words (optional)"),
        validators=[Optional()],
        description=_l("e.g. GP trainees, hospital. Describe the group, never a patient."),
    )
    members = IntegerField(
        _l("Members in the group"), validators=[Optional()], description=_l("From 1 to 30.")
    )
    cases = IntegerField(_l("Cases discussed"), validators=[Optional()])
    co_leader_id = SelectField(
        _l("Co-leader in Stillpoint"),
        coerce=optional_int,
        validate_choice=False,
        description=_l("Needed when you co-led. A co-leader chosen here is asked to confirm the session."),
    )
    co_leader_name = StringField(
        _l("Or the co-leader's name"),
        validators=[Optional()],
        description=_l("If they do not use Stillpoint."),
    )
    is_co_leader_accredited = BooleanField(_l("The co-leader is an accredited Balint leader"))
    phases = MultiCheckboxField(_l("Phases run"), choices=choices(Phase), validate_choice=False)
    reflection = TextAreaField(
        _l("Reflection on your own leading"),
        validators=[Optional()],
        description=_l(
            "Asked for when you co-led or led. Write about your leading, not about the case: "
            "no case details are kept in the logbook."
        ),
    )

    def to_input(self) -> SessionInput:
        return SessionInput(
            occurred_on=self.occurred_on.data,
            role=_text(self.role.data),
            minutes=self.minutes.data,
            mode=_text(self.mode.data),
            group_kind=_text(self.group_kind.data),
            setting_category=_text(self.setting_category.data),
            setting=_text(self.setting.data),
            members=self.members.data,
            cases=self.cases.data,
            co_leader_id=self.co_leader_id.data,
            co_leader_name=_text(self.co_leader_name.data),
            is_co_leader_accredited=bool(self.is_co_leader_accredited.data),
            phases=tuple(self.phases.data or ()),
            reflection=_text(self.reflection.data),
        )


class SupervisionForm(DraftButtons, PrivacyConfirmMixin, FlaskForm):
    occurred_on = DateField(_l("Date"), validators=[Optional()])
    minutes = IntegerField(
        _l("Length in minutes"), validators=[Optional()], description=_l("From 15 to 600.")
    )
    mode = _select(_l("Supervision"), SupervisionMode)
    channel = _select(_l("Held"), SupervisionChannel)
    supervisor_id = SelectField(
        _l("Supervisor"),
        coerce=optional_int,
        validate_choice=False,
        description=_l("The supervisor who gave it signs it."),
    )
    has_recording = BooleanField(_l("A recording of a group I led was used"))
    notes = TextAreaField(
        _l("Notes (optional)"),
        validators=[Optional()],
        description=_l("What you worked on, in your own words. No case details."),
    )

    def to_input(self) -> SupervisionInput:
        return SupervisionInput(
            occurred_on=self.occurred_on.data,
            minutes=self.minutes.data,
            mode=_text(self.mode.data),
            channel=_text(self.channel.data),
            supervisor_id=self.supervisor_id.data,
            has_recording=bool(self.has_recording.data),
            notes=_text(self.notes.data),
        )


class EventForm(DraftButtons, PrivacyConfirmMixin, FlaskForm):
    event_kind = _select(_l("Kind of event"), EventKind)
    title = StringField(_l("Title"), validators=[Optional()])
    provider = StringField(
        _l("Run by"), validators=[Optional()], description=_l("The society or body, e.g. Balint Society UK.")
    )
    starts_on = DateField(_l("First day"), validators=[Optional()])
    ends_on = DateField(_l("Last day"), validators=[Optional()])
    days = IntegerField(_l("Days attended"), validators=[Optional()])
    minutes = IntegerField(
        _l("Teaching time in minutes (optional)"),
        validators=[Optional()],
        description=_l("The length of the programme you attended, e.g. 270 for three double sessions."),
    )
    certificate = FileField(
        _l("Certificate of attendance (optional)"),
        description=_l("A PDF, PNG or JPEG file."),
        render_kw={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"},
    )
    remove_certificate = BooleanField(_l("Remove the current certificate"))

    def to_input(self) -> EventInput:
        return EventInput(
            event_kind=_text(self.event_kind.data),
            title=_text(self.title.data),
            provider=_text(self.provider.data),
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            days=self.days.data,
            minutes=self.minutes.data,
        )


class ObservationForm(DraftButtons, PrivacyConfirmMixin, FlaskForm):
    enrolment_id = SelectField(_l("Trainee observed"), coerce=optional_int, validate_choice=False)
    occurred_on = DateField(_l("Date observed"), validators=[Optional()])
    setting = StringField(
        _l("Group observed"),
        validators=[Optional()],
        description=_l("e.g. ongoing GP trainee group, online."),
    )
    outcome = _select(_l("Outcome"), ObservationOutcome)
    report = TextAreaField(
        _l("Short report"),
        validators=[Optional()],
        description=_l("How the trainee led: frame, focus on the relationship, the group's process."),
    )

    def to_input(self) -> ObservationInput:
        return ObservationInput(
            occurred_on=self.occurred_on.data,
            setting=_text(self.setting.data),
            outcome=_text(self.outcome.data),
            report=_text(self.report.data),
        )


class ReturnForm(PrivacyConfirmMixin, FlaskForm):
    comment = TextAreaField(
        _l("Comment for the author"),
        validators=[Optional()],
        description=_l("What should change before you can sign it."),
    )
    submit = SubmitField(_l("Return with this comment"))


class ReopenForm(PrivacyConfirmMixin, FlaskForm):
    reason = TextAreaField(
        _l("Reason for reopening"),
        validators=[Optional()],
        description=_l("Kept in the audit trail with the signed version, which stays unchanged."),
    )
    submit = SubmitField(_l("Reopen as a new version"))


class ActionForm(FlaskForm):
    """A button that changes state: sign, submit, delete, confirm."""

    submit = SubmitField(_l("Confirm"))


class FinalActionForm(FinalConfirmMixin, FlaskForm):
    """A button whose action is final (submitting for signature, signing): it needs the tick."""

    submit = SubmitField(_l("Confirm"))


class BatchSignForm(FinalConfirmMixin, FlaskForm):
    record_ids = SelectMultipleField(_l("Records"), coerce=int, validate_choice=False)
    page_ids = SelectMultipleField(_l("Records on this page"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Sign the selected records"))
    sign_page = SubmitField(_l("Sign every record on this page"))

    @property
    def chosen_ids(self) -> list[int]:
        return list(self.page_ids.data or []) if self.sign_page.data else list(self.record_ids.data or [])


class AccreditationForm(FlaskForm):
    supervisor_id = SelectField(_l("Supervisor"), coerce=optional_int, validate_choice=False)
    valid_from = DateField(_l("Accredited from"), validators=[Optional()])
    valid_until = DateField(
        _l("Until (last day)"), validators=[Optional()], description=_l("Leave empty if it has no end date.")
    )
    note = StringField(
        _l("Note (optional)"), validators=[Optional()], description=_l("e.g. accredited leader, 2024 list.")
    )
    submit = SubmitField(_l("Record accreditation"))
