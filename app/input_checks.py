"""Refuse input that no text field can hold, before any view sees it.

PostgreSQL's ``text`` cannot store a NUL character (``\\x00``) and refuses it in a query
parameter too, so a NUL in a form field, a query string, a path segment or a JSON body
became a 500 on PostgreSQL wherever it reached the database (the API fuzzer found one in
a revocation reason). No person types one, so the answer is a clear 422 for the whole
request, in one place, instead of a check in every form and schema.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, request
from flask_babel import gettext as _

from app.errors import ValidationError

NUL = "\x00"


def _holds_nul(value: Any) -> bool:
    """Whether any string (key or value) in parsed JSON holds a NUL, without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _json_holds_nul() -> bool:
    raw = request.get_data(cache=True)
    if b"u0000" not in raw.lower():  # JSON can carry a NUL only as the escape \u0000
        return False
    try:
        return _holds_nul(json.loads(raw))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False  # malformed: the API's own parser answers it


def request_holds_nul() -> bool:
    if NUL in request.path:
        return True
    if any(NUL in key or NUL in value for key, value in request.args.items(multi=True)):
        return True
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data") and any(
        NUL in key or NUL in value for key, value in request.form.items(multi=True)
    ):
        return True
    return request.is_json and _json_holds_nul()


def register_input_checks(app: Flask) -> None:
    @app.before_request
    def refuse_nul_characters() -> None:
        if request_holds_nul():
            raise ValidationError(
                _("The request contains a NUL character, which no text can hold. Nothing was saved.")
            )
