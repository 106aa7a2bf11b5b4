"""The confirmation box that appears on a form once the privacy guard has warned."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField


class PrivacyConfirmMixin:
    """Add to any form with free text; pass ``form.privacy_confirmed.data`` to the service."""

    privacy_confirmed = BooleanField(
        _l("I have checked the highlighted details: they are disguised or do not identify anyone."),
    )
