"""The machinery every API operation shares: one declaration per operation.

``operation(...)`` registers a Flask route on ``bp`` and records the pydantic models
it validates its query, body and response with. The OpenAPI document (``spec.py``) is
built from the same records, so the schemas published are the schemas enforced.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import wraps
from typing import Any

import pydantic
from flask import Blueprint, Response, current_app, g, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app import policy
from app.accounts.models import User
from app.api import tokens
from app.api.models import ApiToken, IdempotencyRecord
from app.api.schemas import MAX_ID
from app.database import utcnow
from app.errors import DomainError, NotFound
from app.extensions import csrf, db, limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1", template_folder="templates")
# The API never reads the session cookie: only the Authorization header authenticates,
# so a cross-site request carrying a cookie gets 401 and CSRF tokens have nothing to guard.
csrf.exempt(bp)

IDEMPOTENCY_TTL = timedelta(hours=24)
DEFAULT_LIMIT = 50
MAX_LIMIT = 100


class ApiError(Exception):
    """A failure the API answers itself (401, 400) in the common error shape."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


@dataclass
class Operation:
    """What the OpenAPI document says about one route, and what the route enforces."""

    rule: str
    method: str
    endpoint: str
    summary: str
    tag: str
    status: int = 200
    query: type[pydantic.BaseModel] | None = None
    body: type[pydantic.BaseModel] | None = None
    response: type[pydantic.BaseModel] | None = None
    media_type: str = "application/json"
    is_public: bool = False
    is_write: bool = False
    is_idempotent: bool = False
    errors: tuple[int, ...] = ()
    description: str = ""
    path_params: dict[str, dict] = field(default_factory=dict)


OPERATIONS: list[Operation] = []


def _rate_key() -> str:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]
    return "addr:" + (request.remote_addr or "")


limiter.limit(lambda: current_app.config.get("API_RATE_LIMIT", "300 per minute"), key_func=_rate_key)(bp)


@bp.after_app_request
def _no_store(response: Response) -> Response:
    """API answers carry personal data and tokens: no cache may keep them.

    Registered on the app, so that answers the blueprint never sees (an unknown path or
    method under /api/v1) are covered too."""
    if request.path == bp.url_prefix or request.path.startswith(bp.url_prefix + "/"):
        response.headers["Cache-Control"] = "no-store"
    return response


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _fail(status: int, code: str, message: str, fields: dict | None = None) -> Response:
    response = jsonify(error_body(code, message, fields))
    response.status_code = status
    return response


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    db.session.rollback()
    response = _fail(error.status, error.code, error.message, error.fields)
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="stillpoint"'
    return response


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError):
    db.session.rollback()
    return _fail(error.status, error.code, error.message, error.fields)


@bp.errorhandler(Exception)
def _any_error(error: Exception):
    """Every other failure under /api/v1 in the one error shape; never an HTML page."""
    from werkzeug.exceptions import HTTPException

    db.session.rollback()
    if isinstance(error, HTTPException):
        if error.code == 429:
            message = _("Too many requests. Wait for the number of seconds in Retry-After.")
            return _fail(429, "rate_limited", message)
        response = _fail(
            error.code or 500, (error.name or "error").lower().replace(" ", "_"), error.description or ""
        )
        for name, value in error.get_headers():  # Allow on a 405, Retry-After, ...
            if name.lower() != "content-type":
                response.headers[name] = value
        return response
    current_app.logger.exception("API request failed")
    return _fail(500, "server_error", _("An unexpected error occurred. It has been logged."))


# --- who is calling -------------------------------------------------------------------


def _authenticate() -> ApiToken:
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, "unauthorized", _("Send an API token as 'Authorization: Bearer <token>'."))
    token = tokens.authenticate(secret.strip())
    if token is None:
        raise ApiError(401, "unauthorized", _("This token is unknown, revoked or expired."))
    return token


def current_user() -> User:
    return g.api_token.user


def current_association_id() -> int:
    """The association the call acts in: the service token's own; else the one named in
    the ``X-Association-Id`` header; else the caller's first association."""
    token: ApiToken = g.api_token
    if token.association_id is not None:
        return token.association_id
    roles = policy.roles_by_association(token.user)
    if "X-Association-Id" in request.headers:
        named = request.headers["X-Association-Id"].strip()
        if not (named.isascii() and named.isdigit()) or int(named) > MAX_ID:
            raise ApiError(
                400, "bad_request", _("X-Association-Id must be the number of one of your associations.")
            )
        if int(named) not in roles:
            raise NotFound(_("You are not a member of this association."))
        return int(named)
    if not roles:
        raise NotFound(_("You are not a member of any association."))
    return min(roles)


def _check_association_scope() -> None:
    """A service token reaches nothing outside its association, whatever its user holds."""
    token: ApiToken = g.api_token
    if token.association_id is not None and not policy.is_member(token.user, token.association_id):
        raise ApiError(401, "unauthorized", _("The token's owner no longer belongs to its association."))


def in_acting_association(association_id: int) -> None:
    """A service token sees only its association; objects elsewhere read as not found."""
    token_association = current_association_id()
    if association_id != token_association:
        raise NotFound(_("No such object."))


# --- input ----------------------------------------------------------------------------


def _fields_of(error: pydantic.ValidationError) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]) or "body"
        fields.setdefault(name, []).append(item["msg"])
    return fields


def _parse(model: type[pydantic.BaseModel], data: Any) -> pydantic.BaseModel:
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as error:
        raise ApiError(422, "invalid", _("Please correct the marked fields."), _fields_of(error)) from None


def _json_body() -> Any:
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    if not request.is_json:
        raise ApiError(400, "bad_request", _("Send the body as JSON with Content-Type: application/json."))
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "malformed_json", _("The request body is not valid JSON.")) from None
    except RecursionError:
        # A body nested deeper than the parser's stack is an attack, not a request.
        raise ApiError(400, "malformed_json", _("The request body is nested too deeply.")) from None


def _query_args(model: type[pydantic.BaseModel]) -> dict:
    args: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        values = request.args.getlist(name)
        if not values:
            continue
        origin = getattr(info.annotation, "__origin__", None)
        args[name] = values if origin is list else values[-1]
    return args


# --- idempotency ----------------------------------------------------------------------


def _request_hash() -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode() + b" " + request.path.encode() + b"\n")
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _replay(user: User, association_id: int, key: str) -> Response | None:
    db.session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - IDEMPOTENCY_TTL)
    )
    stored = db.session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == user.id,
            IdempotencyRecord.association_id == association_id,
            IdempotencyRecord.key == key,
            IdempotencyRecord.endpoint == request.path,
        )
    )
    if stored is None:
        return None
    if stored.request_hash != _request_hash():
        raise ApiError(
            422,
            "idempotency_key_reused",
            _("This Idempotency-Key was used with a different request. Use a new key."),
        )
    response = current_app.response_class(stored.body, status=stored.status, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _remember(user: User, association_id: int, key: str, response: Response) -> None:
    db.session.add(
        IdempotencyRecord(
            user_id=user.id,
            association_id=association_id,
            key=key,
            endpoint=request.path,
            request_hash=_request_hash(),
            status=response.status_code,
            body=response.get_data(as_text=True),
        )
    )


# --- output ---------------------------------------------------------------------------


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        after = value["after"]
        # Ids fit the database's integer; a larger number would overflow the query.
        if isinstance(after, int) and not isinstance(after, bool) and 0 <= after <= MAX_ID:
            return after
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
        pass
    raise ApiError(422, "invalid", _("This cursor is not valid."), {"cursor": [_("Not a cursor we issued.")]})


def page_of(items: list, cursor: str | None, limit: int | None, *, descending: bool = False) -> dict:
    """One page of ``items`` (anything with ``.id``) in stable id order, after ``cursor``."""
    after = decode_cursor(cursor)
    limit = min(max(limit or DEFAULT_LIMIT, 1), MAX_LIMIT)
    ordered = sorted(items, key=lambda item: item.id, reverse=descending)
    if after is not None:
        ordered = [i for i in ordered if (i.id < after if descending else i.id > after)]
    chunk = ordered[:limit]
    more = len(ordered) > limit
    return {"items": chunk, "next_cursor": encode_cursor(chunk[-1].id) if more and chunk else None}


def cursor_query(query, column, cursor: str | None, limit: int, *, descending: bool = True) -> dict:
    """One page of a query in stable id order: the cursor carries the last id seen."""
    after = decode_cursor(cursor)
    limit = min(max(limit, 1), 100)
    if after is not None:
        query = query.where(column < after if descending else column > after)
    query = query.order_by(column.desc() if descending else column).limit(limit + 1)
    rows = list(db.session.scalars(query))
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_cursor": encode_cursor(rows[-1].id) if more and rows else None}


def _serialize(op: Operation, result: Any) -> Response:
    if isinstance(result, Response):
        return result
    if op.response is None:
        return current_app.response_class(status=op.status)
    payload = op.response.model_validate(result, from_attributes=True).model_dump(mode="json")
    response = jsonify(payload)
    response.status_code = op.status
    return response


def operation(
    rule: str,
    method: str,
    *,
    summary: str,
    tag: str,
    status: int = 200,
    query: type[pydantic.BaseModel] | None = None,
    body: type[pydantic.BaseModel] | None = None,
    response: type[pydantic.BaseModel] | None = None,
    media_type: str = "application/json",
    is_public: bool = False,
    is_idempotent: bool = False,
    errors: tuple[int, ...] = (),
) -> Callable:
    """Register an API route; the view gets path values plus ``query=`` and ``body=`` models."""

    def decorator(view: Callable) -> Callable:
        op = Operation(
            rule=rule,
            method=method,
            endpoint=f"api.{view.__name__}",
            summary=summary,
            tag=tag,
            status=status,
            query=query,
            body=body,
            response=response,
            media_type=media_type,
            is_public=is_public,
            is_write=method != "GET",
            is_idempotent=is_idempotent,
            errors=errors,
            description=(view.__doc__ or "").strip(),
        )
        OPERATIONS.append(op)

        @wraps(view)
        def wrapped(**path_values: Any) -> Response:
            user = None
            if not is_public:
                g.api_token = _authenticate()
                _check_association_scope()
                user = g.api_token.user
                if op.is_write and not g.api_token.can_write:
                    raise ApiError(403, "insufficient_scope", _("This token may only read."))
            if any(isinstance(v, int) and v > MAX_ID for v in path_values.values()):
                raise NotFound(_("No such object."))
            kwargs = dict(path_values)
            if query is not None:
                kwargs["query"] = _parse(query, _query_args(query))
            if body is not None:
                kwargs["body"] = _parse(body, _json_body())
            key = request.headers.get("Idempotency-Key", "").strip()[:200] if is_idempotent else ""
            # A stored answer belongs to the association it was given in: the same key
            # sent while acting in another association is a new request.
            scope = current_association_id() if key and user is not None else None
            if key and user is not None:
                replayed = _replay(user, scope, key)
                if replayed is not None:
                    db.session.commit()  # the token's last use
                    return replayed
            result = _serialize(op, view(**kwargs))
            if key and user is not None and 200 <= result.status_code < 300:
                _remember(user, scope, key, result)
            try:
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                if key:
                    raise ApiError(
                        409, "conflict", _("A request with this Idempotency-Key is in progress.")
                    ) from None
                raise
            return result

        bp.add_url_rule(rule, endpoint=view.__name__, view_func=wrapped, methods=[method])
        return wrapped

    return decorator
