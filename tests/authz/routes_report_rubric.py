"""The competency report's PDF and the trainee's acknowledgement in the authorization matrix."""

from __future__ import annotations

import datetime as dt

from app.extensions import db
from app.requirements import reports
from tests.authz.cases import NOT_THEIRS, RouteCase, expect


def _report(world, *, is_signed: bool):
    report = reports.save_report(
        world.supervisor,
        world.enrolment.id,
        kind="periodic",
        period_start=None,
        period_end=dt.date(2025, 6, 1),
        ratings={c.id: 3 for c in reports.competencies_for(world.enrolment)},
        narrative="Keeps the group with the relationship.",
        recommendation="not_yet",
    )
    if is_signed:
        reports.sign_report(world.supervisor, report.id)
    return report


def cases(world) -> list[RouteCase]:
    draft, signed = _report(world, is_signed=False), _report(world, is_signed=True)
    db.session.commit()
    return [
        RouteCase(
            "progress.report_pdf",
            "GET",
            f"/progress/reports/{draft.id}.pdf",
            expect(302, 404, 200, 200, 404),  # the trainee sees a report once signed
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "progress.report_pdf",
            "GET",
            f"/progress/reports/{signed.id}.pdf",
            expect(302, 200, 200, 200, 404),
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "progress.acknowledge",
            "POST",
            f"/progress/reports/{draft.id}/acknowledge",
            expect(302, 404, 403, 403, 404),
            data={"comment": ""},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "progress.acknowledge",
            "POST",
            f"/progress/reports/{signed.id}/acknowledge",
            expect(302, 302, 403, 403, 404),
            data={"comment": "Thank you."},
            is_destructive=True,
            neighbours=NOT_THEIRS,
        ),
    ]
