"""Two-factor sign-in: an authenticator app, recovery codes, passkeys, remembered devices.

The blueprint lives here so that ``accounts.views`` can import the login hook without
importing every page of the feature; ``views`` imports the modules that add routes.
"""

from flask import Blueprint
from flask_login import current_user

bp = Blueprint("twofactor", __name__, template_folder="templates")


def signed_in_user():
    """The signed-in user itself, not the proxy (audit events name the object's class)."""
    return current_user._get_current_object()
