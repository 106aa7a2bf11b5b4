"""Each kind of identifying detail goes through the guard of a real form, in a test of its own.

A reflection holding one detail of one kind is held back with a warning naming that
kind, and saved once its author confirms; the audit names the kind, never the text.
Dropping any one kind from the detector fails exactly one of these tests.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.logbook.models import SessionRecord
from app.privacy import KIND_LABELS
from tests.logbook.test_views import SESSION_FORM

ONE_OF_EACH_KIND = {
    "person-name": ("Mrs Jones said she could not face it.", "Mrs Jones"),
    "date": ("She said the date, 14 March 1962, twice.", "14 March 1962"),
    "phone": ("She rang from 07700 900123 after the session.", "07700 900123"),
    "email": ("He wrote from jo.bloggs@example.com later.", "jo.bloggs@example.com"),
    "address": ("They live at 12 Church Lane now.", "12 Church Lane"),
    "postcode": ("She moved to SW1A 1AA last year.", "SW1A 1AA"),
    "id-number": ("The letter gave NHS number 943 476 5919 in bold.", "943 476 5919"),
}


def test_every_kind_the_guard_knows_has_its_own_test():
    assert set(ONE_OF_EACH_KIND) == set(KIND_LABELS)


@pytest.mark.parametrize("kind", sorted(ONE_OF_EACH_KIND))
def test_the_guard_holds_back_each_kind_until_confirmed(world, client, kind):
    text, detail = ONE_OF_EACH_KIND[kind]
    url = f"/logbook/enrolments/{world.enrolment.id}/sessions/new"
    form = {**SESSION_FORM, "reflection": text, "save": "Save as draft"}
    client.login("trainee@x.test")

    held = client.submit(url, form)
    assert held.status_code == 200
    html = held.get_data(as_text=True)
    assert f"this looks like {KIND_LABELS[kind]} (&#34;{detail}&#34;)" in html
    assert db.session.scalars(select(SessionRecord)).all() == []

    saved = client.submit(url, {**form, "privacy_confirmed": "y"})
    assert saved.status_code == 302
    assert db.session.scalar(select(SessionRecord.reflection)) == text
    override = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "privacy.override"))
    assert override.details["kinds"] == {"reflection": [kind]}
    assert detail not in str(override.details)
