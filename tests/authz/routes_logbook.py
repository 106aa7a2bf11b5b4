"""logbook routes in the authorization matrix. Records are made through the services."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.logbook import accreditations, records, signoff
from app.logbook.uploads import Upload
from app.logbook.validation import EventInput, SessionInput
from tests.authz.cases import NOT_THEIRS, RouteCase, expect, neighbours

TRAINEE_PAGE = expect(302, 200, 403, 403, 403)
SUPERVISOR_PAGE = expect(302, 403, 200, 403, 403)
LOGBOOK_READER = expect(
    302, 200, 200, 200, 404
)  # trainee, assigned supervisor, admins; not other associations
AUTHOR_ONLY = expect(302, 200, 403, 403, 404)
EVERYONE_SIGNED_IN = expect(302, 200, 200, 200, 200)


def _session(**changes) -> SessionInput:
    values = {
        "occurred_on": date(2025, 3, 4),
        "role": "member",
        "minutes": 90,
        "mode": "in-person",
        "group_kind": "ongoing",
        "setting_category": "primary-care",
        "members": 8,
        "cases": 2,
    }
    return SessionInput(**{**values, **changes})


def cases(world) -> list[RouteCase]:
    w = world

    def new(data, **kwargs):
        return records.create_record(w.trainee, w.association.id, w.enrolment.id, data, **kwargs)

    draft = new(_session())
    to_submit = new(_session())
    to_delete = new(_session())
    event = new(
        EventInput("seminar", "Winter seminar", "Balint Society X", date(2025, 2, 1), date(2025, 2, 1), 1),
        certificate=Upload("attendance.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    to_sign = new(_session(), submit=True)
    to_batch_sign = new(_session(), submit=True)
    to_return = new(_session(), submit=True)
    to_reopen = new(_session(), submit=True)
    to_confirm = new(
        _session(role="co-leader", co_leader_id=w.supervisor2.id, reflection="I held the frame."), submit=True
    )
    for supervisor in (w.supervisor, w.supervisor2):
        accreditation = accreditations.grant(
            w.admin,
            w.association.id,
            supervisor_id=supervisor.id,
            valid_from=date(2024, 1, 1),
            valid_until=None,
        )
    signoff.sign(w.supervisor, w.association.id, to_reopen.id)
    db.session.commit()
    enrolment = f"/logbook/enrolments/{w.enrolment.id}"

    return [
        RouteCase("logbook.index", "GET", "/logbook/", expect(302, 302, 200, 200, 200)),
        RouteCase(
            "logbook.enrolment_logbook",
            "GET",
            f"{enrolment}?kind=session&status=draft",
            LOGBOOK_READER,
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "logbook.new_session",
            "GET",
            f"{enrolment}/sessions/new",
            TRAINEE_PAGE,
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "logbook.new_session",
            "POST",
            f"{enrolment}/sessions/new",
            TRAINEE_PAGE,
            data={},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "logbook.new_supervision",
            "GET",
            f"{enrolment}/supervision/new",
            TRAINEE_PAGE,
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "logbook.new_supervision",
            "POST",
            f"{enrolment}/supervision/new",
            TRAINEE_PAGE,
            data={},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "logbook.new_event",
            "GET",
            f"{enrolment}/events/new",
            TRAINEE_PAGE,
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "logbook.new_event",
            "POST",
            f"{enrolment}/events/new",
            TRAINEE_PAGE,
            data={},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "logbook.new_observation",
            "GET",
            f"/logbook/observations/new?enrolment={w.enrolment.id}",
            SUPERVISOR_PAGE,
        ),
        RouteCase("logbook.new_observation", "POST", "/logbook/observations/new", SUPERVISOR_PAGE, data={}),
        RouteCase(
            "logbook.record",
            "GET",
            f"/logbook/records/{draft.id}",
            LOGBOOK_READER,
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "logbook.edit_record",
            "GET",
            f"/logbook/records/{draft.id}/edit",
            AUTHOR_ONLY,
            neighbours=NOT_THEIRS,
        ),
        # Fields left out of the post keep the record's values, so the draft saves unchanged.
        RouteCase(
            "logbook.edit_record",
            "POST",
            f"/logbook/records/{draft.id}/edit",
            expect(302, 302, 403, 403, 404),
            data={},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "logbook.submit",
            "POST",
            f"/logbook/records/{to_submit.id}/submit",
            expect(302, 302, 403, 403, 404),
            data={"confirm_final": "y"},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "logbook.delete",
            "POST",
            f"/logbook/records/{to_delete.id}/delete",
            expect(302, 302, 403, 403, 404),
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "logbook.certificate",
            "GET",
            f"/logbook/records/{event.id}/certificate",
            LOGBOOK_READER,
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "logbook.export_csv",
            "GET",
            f"{enrolment}/export.csv",
            LOGBOOK_READER,
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "logbook.export_pdf",
            "GET",
            f"{enrolment}/export.pdf",
            LOGBOOK_READER,
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "logbook.queue", "GET", f"/logbook/queue?trainee={w.enrolment.id}&kind=session", SUPERVISOR_PAGE
        ),
        RouteCase(
            "logbook.sign_batch",
            "POST",
            "/logbook/queue/sign",
            SUPERVISOR_PAGE,  # the result page, saying what happened to each record
            data={"record_ids": [str(to_batch_sign.id)], "confirm_final": "y"},
        ),
        RouteCase(
            "logbook.sign",
            "POST",
            f"/logbook/records/{to_sign.id}/sign",
            expect(302, 403, 302, 403, 403),
            data={"confirm_final": "y"},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "logbook.return_record",
            "POST",
            f"/logbook/records/{to_return.id}/return",
            expect(302, 403, 302, 403, 403),
            data={"comment": "Please add the number of cases."},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "logbook.reopen",
            "POST",
            f"/logbook/records/{to_reopen.id}/reopen",
            expect(302, 403, 403, 302, 404),
            data={"reason": "The date was wrong."},
            neighbours=NOT_THEIRS,
        ),
        RouteCase("logbook.confirmations", "GET", "/logbook/confirmations", EVERYONE_SIGNED_IN),
        RouteCase(
            "logbook.confirm",
            "POST",
            f"/logbook/records/{to_confirm.id}/confirm",
            expect(302, 403, 403, 403, 404),  # only the named co-leader confirms,
            neighbours=neighbours(403, 403, 302),
        ),
        RouteCase(
            "logbook.accreditations_page",
            "GET",
            "/logbook/admin/accreditations",
            expect(302, 403, 403, 200, 200),
        ),
        RouteCase(
            "logbook.accreditations_page",
            "POST",
            "/logbook/admin/accreditations",
            expect(302, 403, 403, 200, 200),
            data={},
        ),
        RouteCase(
            "logbook.end_accreditation",
            "POST",
            f"/logbook/admin/accreditations/{accreditation.id}/end",
            expect(302, 403, 403, 302, 404),
            neighbours=NOT_THEIRS,
        ),
    ]
