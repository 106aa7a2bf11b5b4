"""The leader's process note: written by a session's leaders after it has begun, read by the
author and the author's assigned supervisors only, and privacy-guarded like any group text."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.errors import Forbidden, NotFound, ValidationError
from app.extensions import db
from app.groups import process_notes, sessions
from app.groups.process_notes import NoteInput
from app.privacy.guard import PrivacyWarning
from tests.groups.conftest import plan

NOTE = NoteInput(
    positions={"automatic-controlled": -2, "affective-cognitive": 1},
    movements={"automatic-controlled": "The questions came fast; a pause after the third slowed us."},
    leader_actions="I asked the group to stay with the doctor's tiredness before solving anything.",
    for_supervision="Why did I rescue the presenter so early?",
)


def _begun(world, scene):
    session = plan(world, scene.group)
    sessions.start_phase(world.trainee, world.association.id, session.id, "opening")
    db.session.commit()
    return session


def test_the_leader_writes_and_rewrites_a_note_and_its_trail_holds_no_text(world, scene):
    session = _begun(world, scene)
    note = process_notes.save_note(world.trainee, world.association.id, session.id, NOTE)
    db.session.commit()
    assert note.positions == {
        "automatic-controlled": -2,
        "self-other": None,
        "external-internal": None,
        "affective-cognitive": 1,
    }
    again = process_notes.save_note(
        world.trainee,
        world.association.id,
        session.id,
        NoteInput(leader_actions="Shorter, on second thought."),
    )
    db.session.commit()
    assert again.id == note.id and again.leader_actions == "Shorter, on second thought."
    assert again.positions["automatic-controlled"] is None
    trail = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "group.process_note_saved")
    ).all()
    assert len(trail) == 2 and "Shorter" not in str([event.details for event in trail])


def test_no_note_before_the_session_begins_nor_by_someone_who_did_not_lead_it(world, scene):
    planned = plan(world, scene.group)
    db.session.commit()
    with pytest.raises(Forbidden):
        process_notes.save_note(world.trainee, world.association.id, planned.id, NOTE)
    with pytest.raises(Forbidden):
        process_notes.own_note(world.supervisor, world.association.id, planned.id)
    with pytest.raises(NotFound):
        process_notes.own_note(world.other_admin, world.other.id, planned.id)


def test_an_empty_note_or_a_place_off_the_scale_is_refused_by_field(world, scene):
    session = _begun(world, scene)
    with pytest.raises(ValidationError) as empty:
        process_notes.save_note(world.trainee, world.association.id, session.id, NoteInput())
    assert "leader_actions" in empty.value.fields
    with pytest.raises(ValidationError) as off:
        process_notes.save_note(
            world.trainee, world.association.id, session.id, NoteInput(positions={"self-other": 3})
        )
    assert "position_self_other" in off.value.fields


def test_identifying_detail_needs_the_authors_confirmation(world, scene):
    session = _begun(world, scene)
    risky = NoteInput(leader_actions="Mrs Eleanor Whitfield, born 12/03/1961, was discussed at length.")
    with pytest.raises(PrivacyWarning) as warned:
        process_notes.save_note(world.trainee, world.association.id, session.id, risky)
    assert "leader_actions" in warned.value.fields
    kept = process_notes.save_note(
        world.trainee, world.association.id, session.id, risky, privacy_confirmed=True
    )
    assert kept.id


def test_the_author_and_their_supervisor_read_it_the_co_leader_and_admins_never_learn_of_it(world, scene):
    session = _begun(world, scene)
    note = process_notes.save_note(world.trainee, world.association.id, session.id, NOTE)
    db.session.commit()
    a = world.association.id
    assert process_notes.get_note(world.trainee, a, note.id) == note
    assert process_notes.get_note(world.supervisor, a, note.id) == note
    for outsider in (world.trainee2, world.supervisor2, world.admin):
        with pytest.raises(NotFound):
            process_notes.get_note(outsider, a, note.id)
    with pytest.raises(NotFound):
        process_notes.get_note(world.other_admin, world.other.id, note.id)
    found = sessions.get_session(world.supervisor, a, session.id)
    assert process_notes.notes_on_session(world.supervisor, found) == [note]
    assert process_notes.notes_on_session(world.trainee2, found) == []


def test_the_note_form_keeps_what_was_typed_on_a_privacy_warning_then_saves(world, scene, client):
    session = _begun(world, scene)
    client.login("trainee@x.test")
    url = f"/groups/sessions/{session.id}/note"
    assert "Write your process note" in client.get(f"/groups/sessions/{session.id}").get_data(as_text=True)
    typed = {
        "position_self_other": "-1",
        "moved_self_other": "We stayed with our own reactions for most of the hour.",
        "leader_actions": "Call me on 07700 900123 about Mrs Eleanor Whitfield.",
    }
    warned = client.submit(url, typed)
    html = warned.get_data(as_text=True)
    assert warned.status_code == 200 and "privacy_confirmed" in html
    assert "We stayed with our own reactions" in html
    chosen = re.search(r'<input[^>]*name="position_self_other"[^>]*value="-1"[^>]*>', html).group(0)
    assert "checked" in chosen
    saved = client.submit(url, {**typed, "leader_actions": "I named the silence and waited."})
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "leaning self" in page and "I named the silence and waited." in page
    client.logout()
    client.login("sup@x.test")
    assert "I named the silence" in client.get(saved.headers["Location"]).get_data(as_text=True)


def test_the_authors_data_export_holds_their_notes_and_nobody_elses(world, scene, client):
    import io
    import json
    import zipfile

    session = _begun(world, scene)
    process_notes.save_note(world.trainee, world.association.id, session.id, NOTE)
    db.session.commit()
    client.login("trainee@x.test")
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/data/export").data))
    notes = json.loads(archive.read("process_notes.json"))
    assert [note["for_supervision"] for note in notes] == [NOTE.for_supervision]
    client.logout()
    client.login("trainee2@x.test")
    archive = zipfile.ZipFile(io.BytesIO(client.get("/account/data/export").data))
    assert json.loads(archive.read("process_notes.json")) == []


def test_erasing_the_author_in_the_association_deletes_their_notes(world, scene):
    from app.groups.models import ProcessNote
    from app.personal_data.erasure import erase_in_association

    session = _begun(world, scene)
    process_notes.save_note(world.trainee, world.association.id, session.id, NOTE)
    db.session.commit()
    counts = erase_in_association(world.trainee, world.association.id)
    db.session.commit()
    assert counts["process_notes_deleted"] == 1
    assert db.session.scalar(sa.select(sa.func.count(ProcessNote.id))) == 0
