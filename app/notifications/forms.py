"""The one form of the notifications pages: a CSRF-protected button."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField


class NotificationActionForm(FlaskForm):
    submit = SubmitField(_l("Mark all read"))


class ReminderSettingsForm(FlaskForm):
    """Which reminders a person wants (every kind is on until they switch it off)."""

    supervisor_digest = BooleanField(_l("A weekly digest of what waits for me (supervisors)"))
    stalled_progress = BooleanField(_l("A reminder when my logbook has had no new record for a while"))
    certificate_expiry = BooleanField(_l("A warning 90 and 30 days before my certificate expires"))
    save = SubmitField(_l("Save"))
