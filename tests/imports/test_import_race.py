"""Two admins confirming the same import at the same moment: the second one is not shown an
error page; every row exists once. (Found in review: the unique index answered with a 500.)"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.imports import services
from app.programmes.models import Enrolment
from tests.imports.test_import import GOOD, confirm, upload


def _first_admin_imports_and_holds(app, admin_id: int, association_id: int, applied: threading.Event):
    """The first admin's import on its own connection: written, held for a moment, committed."""
    with app.app_context():
        try:
            admin = db.session.get(User, admin_id)
            services.apply(admin, association_id, "people.csv", GOOD.encode())
            applied.set()
            threading.Event().wait(0.7)  # hold the rows while the second admin's import reaches them
            db.session.commit()
        finally:
            applied.set()
            db.session.remove()


def test_the_admin_who_confirms_a_moment_later_sees_the_import_done_not_an_error(app, world, client, backend):
    if backend != "postgresql":
        pytest.skip("SQLite locks the whole database for a write, so two imports never overlap there")
    client.login("admin@x.test")
    preview = upload(client, "people.csv", GOOD.encode()).get_data(as_text=True)
    applied = threading.Event()
    first = threading.Thread(
        target=_first_admin_imports_and_holds, args=(app, world.admin.id, world.association.id, applied)
    )
    first.start()
    assert applied.wait(timeout=20)
    response = confirm(client, preview)  # its insert waits on the first import's rows
    first.join(timeout=30)
    assert response.status_code == 200
    assert "Nothing to change" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == "ann@x.test")) == 1
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 3  # the world's, and two
