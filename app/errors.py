"""Domain errors raised by services, and how the web layer turns them into pages.

Services raise these instead of returning error codes, so HTML views and the JSON
API answer the same failure with the same status.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.http import HTTP_STATUS_CODES


class DomainError(Exception):
    """A request that the domain refuses; ``status`` is the HTTP answer to it."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str = "", fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class InvalidState(DomainError):
    """The object exists and the user may act on it, but not in its current state."""

    status = 409
    code = "conflict"


class TooManyAttempts(DomainError):
    """Attempts come too fast; ``retry_after`` says in how many seconds to try again."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str = "", *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class ValidationError(DomainError):
    """Input that is well-formed but not acceptable; ``fields`` maps field to messages."""

    status = 422
    code = "invalid"


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _error_page(status: int, title: str, message: str):
    if wants_json():
        code = HTTP_STATUS_CODES.get(status, "error").lower().replace(" ", "_")
        return jsonify(error={"code": code, "message": message, "fields": {}}), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def register_error_handlers(app: Flask) -> None:
    """Friendly pages for every error a person can reach; never a stack trace."""

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        if wants_json():
            body = {"code": error.code, "message": error.message, "fields": error.fields}
            return jsonify(error=body), error.status
        titles = {
            403: _("Not allowed"),
            404: _("Not found"),
            409: _("Not possible now"),
            429: _("Too many attempts"),
        }
        body, status = _error_page(error.status, titles.get(error.status, _("Please check")), error.message)
        retry_after = getattr(error, "retry_after", None)
        return body, status, ({"Retry-After": str(retry_after)} if retry_after else {})

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _error_page(
            400,
            _("This form has expired"),
            _("Please go back, reload the page and submit again. Nothing was saved."),
        )

    @app.errorhandler(403)
    def forbidden(error):
        return _error_page(403, _("Not allowed"), _("You do not have access to this page."))

    @app.errorhandler(404)
    def not_found(error):
        return _error_page(404, _("Not found"), _("There is nothing at this address."))

    @app.errorhandler(405)
    def method_not_allowed(error):
        body, status = _error_page(405, _("Not allowed"), _("This address does not accept that request."))
        # RFC 9110: a 405 names the methods the address does accept.
        allowed = ", ".join(sorted(getattr(error, "valid_methods", None) or ()))
        return body, status, ({"Allow": allowed} if allowed else {})

    @app.errorhandler(413)
    def too_large(error):
        return _error_page(
            413,
            _("That upload is too large"),
            _("The file is larger than allowed. Please choose a smaller file (PDF or image) and try again."),
        )

    @app.errorhandler(429)
    def too_many_requests(error):
        return _error_page(
            429,
            _("Too many attempts"),
            _("Too many attempts in a short time. Please wait a few minutes and try again."),
        )

    @app.errorhandler(500)
    def server_error(error):
        return _error_page(
            500,
            _("Something went wrong"),
            _("An unexpected error occurred. It has been logged; please try again later."),
        )
