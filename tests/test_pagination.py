"""Pagination: one statement per page (the total rides on each row), clamped past the end."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.pagination import paginate
from tests.perf.statements import counting_statements


def test_pages_totals_and_clamping(app, make_user):
    for n in range(7):
        make_user(f"p{n}@x.test")
    query = select(User).order_by(User.email)
    with counting_statements(db.engine) as log:
        second = paginate(query, page=2, per_page=3)
    assert log.count == 1
    assert [u.email for u in second.items] == ["p3@x.test", "p4@x.test", "p5@x.test"]
    assert (second.total, second.pages, second.has_prev, second.has_next) == (7, 3, True, True)
    past = paginate(query, page=9, per_page=3)
    assert (past.page, [u.email for u in past.items]) == (3, ["p6@x.test"])
    assert paginate(query, page=-4, per_page=3).page == 1
    nobody = paginate(select(User).where(User.email == "none@x.test"), page=5, per_page=3)
    assert (nobody.items, nobody.page, nobody.total, nobody.pages) == ([], 1, 0, 1)
    emails = paginate(select(User.email).order_by(User.email), page=1, per_page=2)
    assert emails.items == ["p0@x.test", "p1@x.test"]
