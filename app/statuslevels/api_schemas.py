"""Request and response models of the status levels API (``app.statuslevels.api``)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from app.api.schemas import Id, Model, Strict


class LevelOut(Model):
    slug: str
    label: str
    is_granted_on_accreditation: bool


class HoldingOut(Model):
    id: int
    user_id: int
    name: str
    level: str
    since: dt.date
    until: dt.date | None
    application_id: int | None


class StatusLevelsOut(Model):
    """The association's levels, the levels each permission asks for, and who holds which when."""

    levels: list[LevelOut]
    permissions: dict[str, list[str]]
    holdings: list[HoldingOut]


class GrantIn(Strict):
    user_id: Id
    level: str = Field(max_length=40, description="One of the association's levels (its slug)")
    since: dt.date
    until: dt.date | None = None


class EndIn(Strict):
    until: dt.date = Field(description="The last day the level is held")
