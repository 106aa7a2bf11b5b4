"""The form that adds an evidence file, and the button that removes one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SubmitField


class AttachForm(FlaskForm):
    file = FileField(
        _l("Evidence file"),
        description=_l("A signed attendance sheet or a workshop certificate: a PDF, PNG or JPEG file."),
        render_kw={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"},
    )
    submit = SubmitField(_l("Attach the file"))


class RemoveForm(FlaskForm):
    submit = SubmitField(_l("Remove"))
