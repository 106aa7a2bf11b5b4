"""Offset pagination for HTML lists: one query gives the page and the total.

The total rides on each row as a window count (``count(*) OVER ()``, computed before
LIMIT), so a page costs one statement instead of a count and a page query. Only a page
past the end (no rows, so no total) costs two more: the count, then the last page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import Select, func, select

from app.extensions import db


@dataclass(frozen=True)
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(query: Select, *, page: int = 1, per_page: int | None = None) -> Page:
    """Run ``query`` (one entity or column per row, no DISTINCT) for one page. Out-of-range
    pages clamp instead of failing."""
    per_page = per_page or current_app.config["PAGE_SIZE"]
    page = max(1, page)
    rows = _page_rows(query, page, per_page)
    if rows:
        return Page(items=[row[0] for row in rows], page=page, per_page=per_page, total=rows[0][-1])
    if page == 1:
        return Page(items=[], page=1, per_page=per_page, total=0)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    last = max(1, -(-total // per_page))
    rows = _page_rows(query, last, per_page) if total else []
    return Page(items=[row[0] for row in rows], page=last, per_page=per_page, total=total)


def _page_rows(query: Select, page: int, per_page: int) -> list:
    counted = query.add_columns(func.count().over().label("pagination_total"))
    return list(db.session.execute(counted.limit(per_page).offset((page - 1) * per_page)))
