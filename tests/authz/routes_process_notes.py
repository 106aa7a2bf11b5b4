"""The leader's process note in the authorization matrix.

The world's trainee leads a session that has begun and has written a note on it. Only
the session's leaders open the note form (others of the association: 403); the note
itself is read by its author and the author's assigned supervisor, and by nobody else,
not even the association's admins: to everyone else it does not exist (404).
"""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.groups import process_notes, sessions
from tests.authz.cases import RouteCase, expect, neighbours
from tests.groups.conftest import matrix_group, plan

LEADER_ONLY = expect(302, 200, 403, 403, 404)
AUTHOR_AND_SUPERVISOR = expect(302, 200, 200, 404, 404)


def cases(world) -> list[RouteCase]:
    x = matrix_group(world)
    group = sessions.get_session(world.trainee, world.association.id, x.session).group
    held = plan(world, group, held_on=date(2025, 3, 6))
    sessions.start_phase(world.trainee, world.association.id, held.id, "opening")
    note = process_notes.save_note(
        world.trainee,
        world.association.id,
        held.id,
        process_notes.NoteInput(positions={"self-other": -1}, leader_actions="I slowed the questions down."),
    )
    db.session.commit()
    form = f"/groups/sessions/{held.id}/note"
    return [
        RouteCase("groups.note", "GET", form, LEADER_ONLY, neighbours=neighbours(403, 403, 403)),
        RouteCase("groups.note", "POST", form, LEADER_ONLY, data={}, neighbours=neighbours(403, 403, 403)),
        RouteCase(
            "groups.read_note",
            "GET",
            f"/groups/notes/{note.id}",
            AUTHOR_AND_SUPERVISOR,
            neighbours=neighbours(404, 404, 404),
        ),
    ]
