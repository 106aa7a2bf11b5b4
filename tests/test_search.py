"""Every search box ignores case and accents, on SQLite and PostgreSQL alike (app/search.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app import search
from app.accounts import services as accounts
from app.accounts.models import Role, User
from app.extensions import db
from app.logbook import signoff
from app.requirements import services as requirements
from tests.logbook.fixtures import accredit, create

pytestmark = pytest.mark.both_databases  # its subject differs by database


def test_fold_drops_case_and_accents():
    assert search.fold("Márta ÖLVECZKY-Łukasz Çelik") == "marta olveczky-lukasz celik"
    assert search.fold(None) is None


def test_the_database_folds_like_python(world):
    name = "Ágnes Sørensen Ďurčo"
    assert db.session.scalar(select(search.folded(db.literal(name)))) == search.fold(name)


def test_marta_finds_marta_with_an_accent_in_the_member_search(world, make_user):
    make_user("marta@x.test", world.association, Role.TRAINEE, name="Márta Ölveczky")
    for typed in ("marta", "MARTA", "Márta", "olvec"):
        found = db.session.scalars(accounts.members_query(world.admin, world.association.id, search=typed))
        assert [user.name for user in found] == ["Márta Ölveczky"], typed
    assert not list(
        db.session.scalars(accounts.members_query(world.admin, world.association.id, search="m%a"))
    )


def test_the_cohort_and_the_queue_search_ignore_accents(world):
    world.trainee.name = "Tomás Trainée"
    db.session.commit()
    cohort = requirements.cohort_enrolments(world.admin, world.association.id, search="tomas trainee")
    assert [enrolment.id for enrolment in cohort] == [world.enrolment.id]
    accredit(world.supervisor, world.association)
    create(world, submit=True)
    queue = signoff.queue(world.supervisor, world.association.id, search="TOMAS")
    assert queue.total == 1


def test_the_members_page_finds_marta(world, make_user, client):
    make_user("marta@x.test", world.association, Role.TRAINEE, name="Márta Ölveczky")
    client.login("admin@x.test")
    assert "Márta Ölveczky" in client.get("/admin/members?q=marta").get_data(as_text=True)
    assert db.session.scalar(select(User.id).where(search.matches("MARTA", User.name))) is not None
