"""Certificate test fixtures: a trainee who is ready (keys and logos: tests/conftest.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.certificates import issuing
from app.extensions import db
from tests.requirements.records import add_session


def make_ready(enrolment, signer) -> None:
    """The world's rule set asks for two signed co-led sessions."""
    add_session(enrolment, dt.date(2025, 3, 4), signer=signer)
    add_session(enrolment, dt.date(2026, 2, 10), signer=signer)
    db.session.commit()


@pytest.fixture
def ready(world):
    """The world's enrolment, meeting every requirement of its programme."""
    make_ready(world.enrolment, world.supervisor)
    return world.enrolment


@pytest.fixture
def certificate(world, ready):
    """A certificate issued to the world's trainee and committed."""
    issued = issuing.issue(world.admin, ready.id, today=dt.date(2026, 3, 5))
    db.session.commit()
    return issued
