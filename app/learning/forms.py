"""Learning forms: marking a lesson read, starting a check, and the answers of one attempt.

The quiz form is built per attempt, one field per drawn question, so WTForms parses
and validates the answers (and CSRF) like any other form.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectChoice, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from app.content.curriculum import DIMENSIONS
from app.learning.quizzes import PresentedQuestion
from app.learning.scoring import Answer
from app.privacy.forms import PrivacyConfirmMixin

DIMENSION_LABELS = {
    "automatic-controlled": _l("Automatic – controlled"),
    "self-other": _l("Self – other"),
    "external-internal": _l("External – internal"),
    "affective-cognitive": _l("Affective – cognitive"),
}
POLE_LABELS = {
    "automatic": _l("automatic"),
    "controlled": _l("controlled"),
    "self": _l("self"),
    "other": _l("other"),
    "external": _l("external"),
    "internal": _l("internal"),
    "affective": _l("affective"),
    "cognitive": _l("cognitive"),
}


class CompleteLessonForm(FlaskForm):
    submit = SubmitField(_l("Mark as complete"))


class StartQuizForm(FlaskForm):
    submit = SubmitField(_l("Start"))


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes, for 'choose all that apply' questions."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QuizForm(FlaskForm):
    submit = SubmitField(_l("Submit answers"))

    def answers(self, presented: list[PresentedQuestion]) -> dict[str, Answer]:
        """The answers given, by question id; unanswered questions are left out."""
        result: dict[str, Answer] = {}
        for item in presented:
            data = self[item.field_name].data
            if not data:
                continue
            if item.question.kind == "classify":
                dimension, _, pole = str(data).partition(":")
                result[item.question.id] = Answer(dimension=dimension, pole=pole)
            else:
                values = data if isinstance(data, list) else [data]
                result[item.question.id] = Answer(options=frozenset(int(value) for value in values))
        return result


def build_quiz_form(presented: list[PresentedQuestion]) -> QuizForm:
    """A QuizForm subclass with one field per question of the attempt."""

    class AttemptForm(QuizForm):
        pass

    required = InputRequired(message=_l("Choose an answer."))
    for item in presented:
        question = item.question
        if question.kind == "classify":
            choices = [
                SelectChoice(f"{dimension}:{pole}", POLE_LABELS[pole])
                for dimension, poles in DIMENSIONS.items()
                for pole in poles
            ]
            field = RadioField(question.text, choices=choices, validators=[required])
        else:
            choices = [SelectChoice(str(option.index), option.text) for option in item.options]
            if question.kind == "multiple":
                field = CheckboxesField(question.text, choices=choices, validators=[required])
            else:
                field = RadioField(question.text, choices=choices, validators=[required])
        setattr(AttemptForm, item.field_name, field)
    return AttemptForm()


class ExtraAttemptsForm(PrivacyConfirmMixin, FlaskForm):
    """A supervisor or admin allows a trainee more attempts at the final test."""

    attempts = IntegerField(
        _l("Further attempts"), default=1, validators=[InputRequired(), NumberRange(min=1, max=3)]
    )
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Kept in the audit trail. For example: talked through the missed topics together."),
        validators=[InputRequired(), Length(min=5, max=500)],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Allow the attempts"))
