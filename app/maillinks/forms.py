"""The one form of an e-mailed link: a button per allowed action and an optional comment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import Optional

from app.privacy.forms import PrivacyConfirmMixin


class MailLinkForm(PrivacyConfirmMixin, FlaskForm):
    comment = TextAreaField(
        _l("Comment"),
        validators=[Optional()],
        description=_l("Needed to return a record or to ask for a revision; optional otherwise."),
    )
    action = HiddenField()  # the pressed button's value overrides it
    #: Signing, accepting and confirming are final: the view refuses them without this tick
    #: (``static/confirm.js`` asks in a dialog and ticks it); returning or asking for a
    #: revision is not final and needs no tick.
    confirm_final = BooleanField(_l("I understand that this is final and cannot be undone."))


class RevokeForm(FlaskForm):
    """A button: withdraw one link."""
