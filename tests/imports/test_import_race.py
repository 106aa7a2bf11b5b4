"""Two admins confirming the same import at the same moment: the second one is not shown an
error page; every row exists once. (Found in review: the unique index answered with a 500.)"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text

from app.accounts.models import User
from app.extensions import db
from app.imports import services
from app.programmes.models import Enrolment
from tests.imports.test_import import GOOD, confirm, upload

pytestmark = pytest.mark.both_databases  # its subject differs by database


def _another_transaction_waits_on_a_lock(timeout: float = 20.0) -> bool:
    """Whether, within ``timeout`` seconds, some other connection to this database waits on a
    row lock (the second import's insert of a row the first has written and not committed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.engine.connect() as connection:  # a fresh snapshot of pg_stat_activity each time
            waiting = connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        if waiting:
            return True
        threading.Event().wait(0.05)
    return False


def _first_admin_imports_and_holds(app, admin_id: int, association_id: int, applied, raced: list):
    """The first admin's import on its own connection: written, held until the second admin's
    import waits on its rows (so the race happens, however slow the machine), committed."""
    with app.app_context():
        try:
            admin = db.session.get(User, admin_id)
            services.apply(admin, association_id, "people.csv", GOOD.encode())
            db.session.flush()
            applied.set()
            raced.append(_another_transaction_waits_on_a_lock())
            db.session.commit()
        finally:
            applied.set()
            db.session.remove()


def test_the_admin_who_confirms_a_moment_later_sees_the_import_done_not_an_error(app, world, client, backend):
    if backend != "postgresql":
        pytest.skip("SQLite locks the whole database for a write, so two imports never overlap there")
    client.login("admin@x.test")
    preview = upload(client, "people.csv", GOOD.encode()).get_data(as_text=True)
    applied, raced = threading.Event(), []
    first = threading.Thread(
        target=_first_admin_imports_and_holds,
        args=(app, world.admin.id, world.association.id, applied, raced),
    )
    first.start()
    assert applied.wait(timeout=20)
    response = confirm(client, preview)  # its insert waits on the first import's rows
    first.join(timeout=30)
    assert raced == [True], "the second import never waited on the first one's rows: no race was tested"
    assert response.status_code == 200
    assert "Nothing to change" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(User).where(User.email == "ann@x.test")) == 1
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 3  # the world's, and two
