"""The editor's forms. A requirement's own fields depend on its kind, so the page renders
them from ``kinds`` and ``values``; these classes carry the CSRF token and the rest."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import BooleanField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.forms_util import FinalConfirmMixin


class RequirementForm(FlaskForm):
    """Where the requirement goes; its fields are read from the request by ``values``.
    ``requirement_id`` is the id of the one being edited when the form opened: a path is a
    position, and a stale form must not replace whatever stands there now."""

    path = HiddenField()
    parent = HiddenField()
    requirement_id = HiddenField()


class ActionForm(FlaskForm):
    """Remove, move or discard: the CSRF token and which requirement (its path, a position,
    and its id as the page showed it, so a stale page never acts on the one now there)."""

    path = HiddenField()
    requirement_id = HiddenField()


class TitleForm(FlaskForm):
    title = StringField(_l("Title of the rule set"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Save the title"))


class ImportForm(FlaskForm):
    source = TextAreaField(
        _l("Paste YAML"),
        validators=[Optional()],
        render_kw={"rows": 12, "spellcheck": "false"},
        description=_l("The whole rule set, as exported or as in curriculum/programmes/."),
    )
    file = FileField(
        _l("Or upload a .yaml file"),
        validators=[FileAllowed(["yaml", "yml"], _l("A .yaml or .yml file."))],
        render_kw={"accept": ".yaml,.yml,application/yaml,text/yaml"},
    )
    submit = SubmitField(_l("Import as the draft"))


class PublishForm(FinalConfirmMixin, FlaskForm):
    move_enrolments = BooleanField(
        _l("Also move the programme's active enrolments to the new version"),
        description=_l("Each move is audited. Without it, everyone stays on their version."),
    )
    submit = SubmitField(_l("Publish as a new version"))
