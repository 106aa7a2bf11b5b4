"""The one form of the notifications pages: a CSRF-protected button."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class NotificationActionForm(FlaskForm):
    submit = SubmitField(_l("Mark all read"))
