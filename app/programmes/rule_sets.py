"""Reading a rule-set YAML document far enough to store it safely.

The requirement engine interprets the requirements; here we only make sure the
document is a YAML mapping with a title and a list of requirements, and say where
it is broken when it is not.
"""

from __future__ import annotations

import hashlib

import yaml
from flask_babel import gettext as _

from app.errors import ValidationError


def parse_rule_set_source(source: str) -> dict:
    """The parsed document, or a ValidationError naming the line that is wrong."""
    try:
        document = yaml.safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _(" (line %(line)d)", line=mark.line + 1) if mark is not None else ""
        message = _("The rule set is not valid YAML%(where)s.", where=where)
        raise ValidationError(message, fields={"rule_set": [message]}) from None
    if not isinstance(document, dict):
        message = _("The rule set must be a YAML mapping with 'title' and 'requirements'.")
        raise ValidationError(message, fields={"rule_set": [message]})
    missing = [key for key in ("title", "requirements") if key not in document]
    if missing:
        message = _("The rule set is missing: %(keys)s.", keys=", ".join(missing))
        raise ValidationError(message, fields={"rule_set": [message]})
    if not isinstance(document["requirements"], list):
        message = _("'requirements' must be a list.")
        raise ValidationError(message, fields={"rule_set": [message]})
    return document


def content_hash(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()
