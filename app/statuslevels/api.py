"""API operations of status levels, on the API blueprint of ``app.api.core``: read the
association's levels and holdings, grant a level, end one. Admins only; each calls the same
service as the status levels page, so both refuse and allow exactly the same."""

from __future__ import annotations

from app.api.core import current_association_id, current_user, operation
from app.statuslevels import api_schemas as s
from app.statuslevels import services
from app.statuslevels.models import PersonStatusLevel


def _holding(row: PersonStatusLevel) -> dict:
    return {
        "id": row.id,
        "user_id": row.user_id,
        "name": row.holder.name,
        "level": row.level,
        "since": row.since,
        "until": row.until,
        "application_id": row.application_id,
    }


def _overview() -> dict:
    overview = services.overview(current_user(), current_association_id())
    return {
        "levels": [
            {"slug": d.slug, "label": d.label, "is_granted_on_accreditation": d.is_granted_on_accreditation}
            for d in overview.definitions
        ],
        "permissions": overview.permissions,
        "holdings": [_holding(row) for row in overview.holdings],
    }


@operation(
    "/status-levels",
    "GET",
    summary="The association's status levels, what they allow, and who holds which (admins)",
    tag="status-levels",
    response=s.StatusLevelsOut,
)
def get_status_levels():
    return _overview()


@operation(
    "/status-levels/holdings",
    "POST",
    summary="Grant a person a status level from a day (admins)",
    tag="status-levels",
    body=s.GrantIn,
    response=s.HoldingOut,
    status=201,
)
def grant_status_level(body: s.GrantIn):
    """An overlapping period of the same level, or an unknown level, is refused (422)."""
    row = services.grant(
        current_user(), current_association_id(), body.user_id, body.level, body.since, body.until
    )
    return _holding(row)


@operation(
    "/status-levels/holdings/<int:holding_id>/end",
    "POST",
    summary="End a held status level on a day (admins)",
    tag="status-levels",
    body=s.EndIn,
    response=s.HoldingOut,
)
def end_status_level(holding_id: int, body: s.EndIn):
    """Records dated up to that day keep counting as made with a holder of the level."""
    return _holding(services.end(current_user(), current_association_id(), holding_id, body.until))
