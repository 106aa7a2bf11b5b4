"""Forms of the vignettes feature, built per vignette because each has its own exercises.

They validate input only: a draft may be incomplete, so completeness is the
service's rule when submitting. Field names come from ``answers.field_name`` so
that the service's errors land beside the right control.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput

from app.forms_util import FinalConfirmMixin
from app.privacy.forms import PrivacyConfirmMixin
from app.vignettes.answers import MAX_ANSWER_LENGTH, field_name
from app.vignettes.ordering import ordered_options
from app.vignettes.review import MAX_COMMENT_LENGTH
from app.vignettes.schema import DIMENSIONS, NO_ONE, NO_ONE_LABEL, RATING_VALUES, Exercise, Vignette

TEXT_LABELS = {
    "clarifying-questions": _l("Your questions"),
    "imagine-feelings": _l("What they might feel, fear and hope for"),
    "rate-dimensions": _l("Why you rated the telling this way"),
    "image-metaphor": _l("Your image, and how you would reframe it"),
    "choose-intervention": _l("Why this intervention"),
    "reader-response": _l("Why do you think you sided this way?"),
    "colleague-test": _l("How would you change the details you marked, so the case can still be told?"),
}


class _InRange:
    def __call__(self, form, field) -> None:
        if field.data is not None and field.data not in RATING_VALUES:
            raise ValidationError(_l("Choose a rating from -2 to 2."))


CHOOSE_AN_OPTION = _l("Choose one of the options.")


class _OneOf:
    def __init__(self, ids, message=CHOOSE_AN_OPTION):
        self.ids, self.message = set(ids), message

    def __call__(self, form, field) -> None:
        values = field.data if isinstance(field.data, list) else [field.data]
        if any(value and value not in self.ids for value in values):
            raise ValidationError(self.message)


class ReflectionFormBase(FinalConfirmMixin, PrivacyConfirmMixin, FlaskForm):
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit for review"))
    final_buttons = ("submit",)


def _answer_fields(exercise: Exercise, option_order: list[str] | None) -> dict:
    fields: dict = {}
    if exercise.kind == "rate-dimensions":
        for dimension in DIMENSIONS:
            fields[field_name(exercise.id, dimension.key)] = RadioField(
                dimension.name,
                choices=[SelectChoice(value, dimension.label(value)) for value in RATING_VALUES],
                coerce=int,
                validate_choice=False,
                invalid_value_message=_l("Choose a rating from -2 to 2."),
                validators=[Optional(), _InRange()],
            )
    if exercise.kind == "choose-intervention":
        fields[field_name(exercise.id, "choice")] = RadioField(
            _l("What would you do?"),
            choices=[
                SelectChoice(option.id, option.text) for option in ordered_options(exercise, option_order)
            ],
            validate_choice=False,
            validators=[Optional(), _OneOf(option.id for option in exercise.options)],
        )
    if exercise.kind == "reader-response":
        fields[field_name(exercise.id, "feeling")] = TextAreaField(
            _l("What did you feel while reading the case?"),
            validators=[Optional(), Length(max=MAX_ANSWER_LENGTH)],
            render_kw={"rows": 3, "class": "vg-prose-input"},
        )
        sides = [SelectChoice(person.id, person.text) for person in exercise.people]
        fields[field_name(exercise.id, "sided_with")] = RadioField(
            _l("With whom did you find yourself siding?"),
            choices=[*sides, SelectChoice(NO_ONE, NO_ONE_LABEL)],
            validate_choice=False,
            validators=[Optional(), _OneOf(exercise.side_ids, _l("Choose one of the people, or no one."))],
        )
    if exercise.kind == "colleague-test":
        fields[field_name(exercise.id, "marked")] = SelectMultipleField(
            _l("Mark every detail that would let a colleague recognise the person"),
            choices=[SelectChoice(detail.id, detail.text) for detail in exercise.details],
            option_widget=CheckboxInput(),
            validate_choice=False,
            validators=[_OneOf((d.id for d in exercise.details), _l("Mark only details from the passage."))],
        )
    fields[field_name(exercise.id, "text")] = TextAreaField(
        TEXT_LABELS[exercise.kind],
        validators=[Optional(), Length(max=MAX_ANSWER_LENGTH)],
        render_kw={"rows": 7, "class": "vg-prose-input"},
    )
    return fields


def reflection_form(
    vignette: Vignette, answers: dict | None = None, option_order: dict | None = None
) -> ReflectionFormBase:
    """The exercises of ``vignette`` as one form, filled with ``answers`` unless posted.

    ``option_order`` is the trainee's order of each exercise's options (see ``ordering``).
    """
    fields: dict = {}
    for exercise in vignette.exercises:
        fields.update(_answer_fields(exercise, (option_order or {}).get(exercise.id)))
    form_class = type("ReflectionForm", (ReflectionFormBase,), fields)
    return form_class(data=_answers_to_data(vignette, answers or {}))


def _answers_to_data(vignette: Vignette, answers: dict) -> dict:
    data: dict = {}
    for exercise in vignette.exercises:
        entry = answers.get(exercise.id) or {}
        data[field_name(exercise.id, "text")] = entry.get("text", "")
        for key, value in (entry.get("ratings") or {}).items():
            data[field_name(exercise.id, key)] = value
        if entry.get("choice"):
            data[field_name(exercise.id, "choice")] = entry["choice"]
        if exercise.kind == "reader-response":
            data[field_name(exercise.id, "feeling")] = entry.get("feeling", "")
            data[field_name(exercise.id, "sided_with")] = entry.get("sided_with")
        if exercise.kind == "colleague-test":
            data[field_name(exercise.id, "marked")] = list(entry.get("marked") or [])
    return data


def answers_from_form(form: FlaskForm, vignette: Vignette) -> dict:
    """The answers as the services take them (see ``Reflection.answers``)."""
    answers: dict = {}
    for exercise in vignette.exercises:
        entry: dict = {"text": form[field_name(exercise.id, "text")].data or ""}
        if exercise.kind == "rate-dimensions":
            entry["ratings"] = {
                dimension.key: form[field_name(exercise.id, dimension.key)].data
                for dimension in DIMENSIONS
                if form[field_name(exercise.id, dimension.key)].data is not None
            }
        if exercise.kind == "choose-intervention":
            entry["choice"] = form[field_name(exercise.id, "choice")].data or None
        if exercise.kind == "reader-response":
            entry["feeling"] = form[field_name(exercise.id, "feeling")].data or ""
            entry["sided_with"] = form[field_name(exercise.id, "sided_with")].data or None
        if exercise.kind == "colleague-test":
            entry["marked"] = list(form[field_name(exercise.id, "marked")].data or [])
        answers[exercise.id] = entry
    return answers


class ReviewFormBase(FinalConfirmMixin, PrivacyConfirmMixin, FlaskForm):
    final_buttons = ("accept",)

    overall_comment = TextAreaField(
        _l("Overall feedback"),
        validators=[Optional(), Length(max=MAX_COMMENT_LENGTH)],
        description=_l("The trainee reads this. It is required when you ask for a revision."),
        render_kw={"rows": 6, "class": "vg-prose-input"},
    )
    accept = SubmitField(_l("Accept"))
    revise = SubmitField(_l("Request a revision"))


def review_form(exercise_ids: list[str]) -> ReviewFormBase:
    """Overall feedback plus an optional comment field per exercise."""
    fields = {
        field_name(exercise_id, "comment"): TextAreaField(
            _l("Your comment on this exercise (optional)"),
            validators=[Optional(), Length(max=MAX_COMMENT_LENGTH)],
            render_kw={"rows": 3, "class": "vg-prose-input"},
        )
        for exercise_id in exercise_ids
    }
    return type("ReviewForm", (ReviewFormBase,), fields)()


def comments_from_form(form: FlaskForm, exercise_ids: list[str]) -> dict[str, str]:
    return {exercise_id: form[field_name(exercise_id, "comment")].data or "" for exercise_id in exercise_ids}
