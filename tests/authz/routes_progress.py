"""Progress, cohort and competency-report routes in the authorization matrix."""

from __future__ import annotations

import datetime as dt

from app.extensions import db
from app.requirements import reports
from tests.authz.cases import NOT_THEIRS, RouteCase, expect


def cases(world) -> list[RouteCase]:
    report = reports.save_report(
        world.supervisor,
        world.enrolment.id,
        kind="periodic",
        period_start=None,
        period_end=dt.date(2025, 6, 1),
        ratings={c.id: 3 for c in reports.competencies_for(world.enrolment)},
        narrative="Steady growth as a co-leader.",
        recommendation="not_yet",
    )
    db.session.commit()
    e, r = world.enrolment.id, report.id
    return [
        RouteCase("progress.mine", "GET", "/progress/", expect(302, 200, 403, 403, 403)),
        RouteCase(
            "progress.enrolment",
            "GET",
            f"/progress/enrolments/{e}",
            expect(302, 200, 200, 200, 404),
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "progress.decide",
            "POST",
            f"/progress/enrolments/{e}/decisions",
            expect(302, 403, 403, 422, 404),
            data={},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "progress.migrate",
            "POST",
            f"/progress/enrolments/{e}/version",
            expect(302, 403, 403, 409, 404),
            data={"rule_set_id": world.enrolment.rule_set_id},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "progress.profile",
            "POST",
            f"/progress/enrolments/{e}/profile",
            expect(302, 403, 403, 302, 404),
            data={},
            neighbours=NOT_THEIRS,
        ),
        RouteCase("progress.trainees", "GET", "/progress/trainees", expect(302, 403, 200, 403, 403)),
        RouteCase(
            "progress.cohort",
            "GET",
            "/progress/cohort?sort=progress&state=not-ready",
            expect(302, 403, 403, 200, 200),
        ),
        RouteCase("progress.ready", "GET", "/progress/ready", expect(302, 403, 403, 302, 302)),
        RouteCase(
            "progress.report_new",
            "GET",
            f"/progress/enrolments/{e}/reports/new",
            expect(302, 403, 200, 403, 404),
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "progress.report_new",
            "POST",
            f"/progress/enrolments/{e}/reports/new",
            expect(302, 403, 200, 403, 404),
            data={},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "progress.report",
            "GET",
            f"/progress/reports/{r}",
            expect(302, 404, 200, 200, 404),
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "progress.report",
            "POST",
            f"/progress/reports/{r}",
            expect(302, 404, 200, 409, 404),
            data={},
            neighbours=NOT_THEIRS,
        ),
        RouteCase(
            "progress.sign",
            "POST",
            f"/progress/reports/{r}/sign",
            expect(302, 404, 302, 403, 404),
            data={"confirm_final": "y"},
            is_destructive=True,
            neighbours=NOT_THEIRS,
        ),
    ]
