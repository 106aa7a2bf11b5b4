"""Progress pages: the trainee's dashboard, the supervisor's trainees, the admin's cohort."""

from __future__ import annotations

import datetime as dt
import io
import tempfile

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func
from werkzeug.utils import secure_filename
from werkzeug.wsgi import wrap_file
from wtforms import SelectChoice

from app import csv_safe, policy
from app.accounts.models import Role, User
from app.auth import current_association, role_required
from app.certificates import records
from app.database import utcnow
from app.errors import DomainError, ValidationError
from app.extensions import db
from app.forms_util import apply_errors
from app.pagination import Page, paginate
from app.pdf import render_pdf
from app.profiles import services as profile_services
from app.programmes import services as programmes
from app.programmes.models import Enrolment
from app.requirements import guidance, reports, services, snapshots
from app.requirements.forms import (
    AcknowledgeForm,
    DecisionForm,
    ProfileForm,
    SignForm,
    VersionForm,
    report_form_class,
)
from app.requirements.models import ProgressSnapshot
from app.requirements.rubric import get_rubric

bp = Blueprint("progress", __name__, url_prefix="/progress", template_folder="templates")

COHORT_PAGE_SIZE = 50
COHORT_STATES = ("ready", "certified", "not-ready")  # filters that judge the whole cohort
# By start date, then by name as the list by name has it.
STARTED_ORDER = (Enrolment.started_on, func.lower(User.name), Enrolment.id)


@bp.get("/")
@role_required(Role.TRAINEE)
def mine():
    association = current_association()
    progresses = services.own_progress(current_user, association.id)
    return render_template(
        "requirements/mine.html",
        progresses=progresses,
        guides={p.enrolment.id: guidance.guidance_for(p.enrolment) for p in progresses},
        issuer=guidance.issuer(association) if any(p.evaluation.is_ready for p in progresses) else None,
    )


@bp.get("/enrolments/<int:enrolment_id>")
@login_required
def enrolment(enrolment_id: int):
    progress = services.enrolment_progress(current_user, enrolment_id)
    enrolment = progress.enrolment
    is_admin = policy.is_admin(current_user, enrolment.association_id)
    context = {
        "progress": progress,
        "reports": reports.reports_of(current_user, enrolment_id),
        "can_report": policy.is_supervisor(current_user, enrolment.association_id)
        and any(s.id == current_user.id for s in enrolment.supervisors),
        "is_admin": is_admin,
        "record_names": guidance.record_names(enrolment, progress.evaluation.outcomes),
        "profile_facts": profile_services.profile_facts(current_user, enrolment_id),
    }
    if is_admin:
        context.update(_admin_forms(progress))
        context["decisions"] = services.decisions_of(current_user, enrolment_id)
    return render_template("requirements/enrolment.html", **context)


def _admin_forms(progress, decision_form=None, profile_form=None):
    decision_form = decision_form or DecisionForm()
    decision_form.requirement_id.choices = [SelectChoice(r.id, r.label) for r in progress.rule_set.walk()]
    version_form = VersionForm()
    version_form.rule_set_id.choices = [
        SelectChoice(rs.id, _("Version %(v)d", v=rs.version)) for rs in progress.enrolment.programme.rule_sets
    ]
    version_form.rule_set_id.data = progress.enrolment.rule_set_id
    if profile_form is None:
        profile_form = ProfileForm(
            has_psychodynamic_training=progress.enrolment.has_psychodynamic_training,
            qualified_on=progress.enrolment.qualified_on,
        )
    return {"decision_form": decision_form, "version_form": version_form, "profile_form": profile_form}


@bp.post("/enrolments/<int:enrolment_id>/decisions")
@login_required
def decide(enrolment_id: int):
    form = DecisionForm()
    progress = services.enrolment_progress(current_user, enrolment_id)
    if not policy.is_admin(current_user, progress.enrolment.association_id):
        abort(403)
    if form.validate_on_submit():
        try:
            if form.decision.data == "waived":
                services.waive(current_user, enrolment_id, form.requirement_id.data, form.reason.data)
            elif form.decision.data == "withdrawn":
                services.withdraw_decision(
                    current_user, enrolment_id, form.requirement_id.data, form.reason.data
                )
            else:
                services.decide_manual(
                    current_user,
                    enrolment_id,
                    form.requirement_id.data,
                    is_met=form.decision.data == "met",
                    reason=form.reason.data,
                )
        except DomainError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Decision recorded."), "success")
            return redirect(url_for("progress.enrolment", enrolment_id=enrolment_id))
    return _rerender(progress, decision_form=form)


def _rerender(progress, **forms):
    return render_template(
        "requirements/enrolment.html",
        progress=progress,
        reports=reports.reports_of(current_user, progress.enrolment.id),
        can_report=False,
        is_admin=True,
        decisions=services.decisions_of(current_user, progress.enrolment.id),
        **_admin_forms(progress, **forms),
    ), 422


@bp.post("/enrolments/<int:enrolment_id>/version")
@login_required
def migrate(enrolment_id: int):
    enrolment = programmes.get_enrolment(current_user, enrolment_id)
    if not policy.is_admin(current_user, enrolment.association_id):
        abort(403)
    form = VersionForm()
    if form.validate_on_submit():
        services.migrate_enrolment(current_user, enrolment_id, form.rule_set_id.data)
        db.session.commit()
        flash(_("The enrolment now follows the chosen rule-set version."), "success")
    else:
        abort(400)
    return redirect(url_for("progress.enrolment", enrolment_id=enrolment_id))


@bp.post("/enrolments/<int:enrolment_id>/profile")
@login_required
def profile(enrolment_id: int):
    form = ProfileForm()
    progress = services.enrolment_progress(current_user, enrolment_id)
    if not policy.is_admin(current_user, progress.enrolment.association_id):
        abort(403)
    if form.validate_on_submit():
        try:
            services.update_profile(
                current_user,
                enrolment_id,
                has_psychodynamic_training=form.has_psychodynamic_training.data,
                qualified_on=form.qualified_on.data,
            )
        except DomainError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Profile saved."), "success")
            return redirect(url_for("progress.enrolment", enrolment_id=enrolment_id))
    return _rerender(progress, profile_form=form)


@bp.get("/trainees")
@role_required(Role.SUPERVISOR)
def trainees():
    page, progresses, pending = services.supervised_progress(
        current_user, current_association().id, page=request.args.get("page", 1, type=int)
    )
    return render_template("requirements/trainees.html", page=page, progresses=progresses, pending=pending)


def _cohort_query():
    """The programmes, the chosen one, and the query of its enrolments matching the search."""
    association = current_association()
    programme_list = programmes.programme_choices(current_user, association.id)
    programme_id = request.args.get("programme", type=int) or (
        programme_list[0].id if programme_list else None
    )
    query = services.cohort_query(
        current_user, association.id, programme_id=programme_id, search=request.args.get("q", "")
    )
    return programme_list, programme_id, query


def _kept(rows: list, certificates: dict, state: str | None = None) -> list:
    """Only the rows in the state asked for. "Ready" is the ready list's rule
    (``records.ready_list``): meets the requirements and holds no certificate yet."""
    state = request.args.get("state", "") if state is None else state
    if state == "ready":
        return [
            row
            for row in rows
            if row.evaluation.is_ready and not records.holds_certificate(certificates.get(row.enrolment.id))
        ]
    if state == "certified":
        return [row for row in rows if records.holds_certificate(certificates.get(row.enrolment.id))]
    if state == "not-ready":
        return [row for row in rows if not row.evaluation.is_ready]
    return rows


def _page_of(query) -> Page:
    return paginate(query, page=request.args.get("page", 1, type=int), per_page=COHORT_PAGE_SIZE)


def _judged_page(query) -> Page:
    """A page of the cohort filtered by state or ranked by progress, in SQL on the stored
    snapshots (``snapshots``), after bringing those not current up to date."""
    snapshots.refresh_outdated(query)
    query = query.join(ProgressSnapshot, ProgressSnapshot.enrolment_id == Enrolment.id)
    condition = records.state_condition(request.args.get("state", ""))
    if condition is not None:
        query = query.where(condition)
    sort = request.args.get("sort", "name")
    if sort == "progress":
        query = query.order_by(None).order_by(
            ProgressSnapshot.fraction.desc(), func.lower(User.name), Enrolment.id
        )
    elif sort == "started":
        query = query.order_by(None).order_by(*STARTED_ORDER)
    return _page_of(query)


@bp.get("/cohort")
@role_required(Role.ADMIN)
def cohort():
    programme_list, programme_id, query = _cohort_query()
    if request.args.get("format") == "csv":
        return _cohort_csv(query)
    if request.args.get("state") in COHORT_STATES or request.args.get("sort") == "progress":
        one = _judged_page(query)
    else:  # by name or start date: one page is read, and only its trainees are judged
        if request.args.get("sort") == "started":
            query = query.order_by(None).order_by(*STARTED_ORDER)
        one = _page_of(query)
    shown = snapshots.progress_of_many(one.items)
    certificates = records.current_certificates([enrolment.id for enrolment in one.items])
    columns = shown[0].rule_set.requirements if shown else ()
    return render_template(
        "requirements/cohort.html",
        programmes=programme_list,
        programme_id=programme_id,
        rows=shown,
        total=one.total,
        page=one.page,
        pages=one.pages,
        columns=columns,
        certificates=certificates,
        today=dt.date.today(),
        as_of=_oldest(shown),
    )


def _oldest(progresses) -> dt.datetime | None:
    """When the oldest stored result shown was computed (None: all evaluated for this page)."""
    times = [p.computed_at for p in progresses if p.computed_at is not None]
    return min(times) if times else None


@bp.get("/ready")
@role_required(Role.ADMIN)
def ready():
    """The one ready list lives with the certificates (``records.ready_list``); this old
    address, kept for bookmarks, leads there."""
    return redirect(
        url_for("certificates.ready", **{k: v for k, v in request.args.items() if k == "programme"})
    )


CSV_CHUNK = 500
CSV_SPOOL = 1024 * 1024


def _cohort_rows(query, state: str):
    """Judged rows of ``query``, read and judged ``CSV_CHUNK`` enrolments at a time; each
    chunk leaves the session once written, so the whole cohort is never held at once."""
    offset = 0
    while True:
        chunk = list(db.session.scalars(query.limit(CSV_CHUNK).offset(offset)))
        if not chunk:
            return
        certificates = records.current_certificates([enrolment.id for enrolment in chunk])
        yield from _kept(snapshots.progress_of_many(chunk), certificates, state)
        for enrolment in chunk:  # done with: out of the session, so it can be freed
            db.session.expunge(enrolment)
        offset += CSV_CHUNK


def _csv_line(values) -> str:
    out = io.StringIO()
    csv_safe.writer(out).writerow(values)
    return out.getvalue()


def _cohort_csv(query) -> Response:
    """The whole cohort (as filtered) as CSV, judged and written a chunk at a time.

    In the order of the trainees' names (or start dates with ``sort=started``); ranking by
    progress would need everyone judged before the first line, so it is not offered here.
    """
    if request.args.get("sort") == "started":
        query = query.order_by(None).order_by(*STARTED_ORDER)

    # Written chunk by chunk into a spooled file (memory up to CSV_SPOOL bytes, then a
    # temporary file on disk) while the request's database session is open, then sent from
    # that file in blocks: neither the enrolments nor the text are held whole.
    body = tempfile.SpooledTemporaryFile(max_size=CSV_SPOOL, mode="w+b")  # noqa: SIM115  (closed by the response)
    for line in _csv_lines(query, request.args.get("state", "")):
        body.write(line.encode())
    body.seek(0)
    return Response(
        wrap_file(request.environ, body),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=cohort.csv"},
        direct_passthrough=True,
    )


def _csv_lines(query, state: str):
    header = ["trainee", "email", "programme", "rule_set_version", "started_on", "ready", "progress"]
    is_first = True
    for row in _cohort_rows(query, state):
        if is_first:
            yield _csv_line(header + [f"{r.id} ({r.level})" for r in row.rule_set.requirements])
            is_first = False
        cells = [
            f"{outcome.status} {outcome.current:g}/{outcome.required:g}"
            for outcome in row.evaluation.outcomes
        ]
        yield _csv_line(
            [
                row.enrolment.trainee.name,
                row.enrolment.trainee.email,
                row.enrolment.programme.slug,
                row.enrolment.rule_set.version,
                row.enrolment.started_on.isoformat(),
                "yes" if row.evaluation.is_ready else "no",
                f"{row.fraction:.0%}",
                *cells,
            ]
        )
    if is_first:
        yield _csv_line(header)


@bp.route("/enrolments/<int:enrolment_id>/reports/new", methods=["GET", "POST"])
@login_required
def report_new(enrolment_id: int):
    enrolment = programmes.get_enrolment(current_user, enrolment_id)
    reports.require_assigned_supervisor(current_user, enrolment)
    competencies = reports.competencies_for(enrolment)
    options = reports.evidence_options(enrolment)
    form = report_form_class(competencies, [SelectChoice(item.ref, item.label) for item in options])()
    if form.validate_on_submit():
        try:
            report = reports.save_report(current_user, enrolment_id, **_report_values(form, competencies))
        except DomainError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Draft saved. Sign it when it is complete."), "success")
            return redirect(url_for("progress.report", report_id=report.id))
    return _report_form_page(form, enrolment, competencies, options, report=None)


def _report_form_page(form, enrolment, competencies, options, report):
    return render_template(
        "requirements/report_form.html",
        form=form,
        enrolment=enrolment,
        competencies=competencies,
        evidence=options,
        levels=get_rubric().levels,
        report=report,
        sign_form=SignForm(),
    )


def _report_values(form, competencies) -> dict:
    return {
        "kind": form.kind.data,
        "period_start": form.period_start.data,
        "period_end": form.period_end.data,
        "ratings": {c.id: getattr(form, f"rating_{c.id}").data for c in competencies},
        "evidence": {c.id: list(getattr(form, f"evidence_{c.id}").data or []) for c in competencies},
        "narrative": form.narrative.data or "",
        "recommendation": form.recommendation.data,
        "is_reviewed_with_trainee": form.is_reviewed_with_trainee.data,
        "privacy_confirmed": form.privacy_confirmed.data,
    }


def _report_page(report, competencies, ack_form=None, status=200):
    can_acknowledge = report.is_signed and report.acknowledgement is None
    can_acknowledge = can_acknowledge and report.enrolment.trainee_id == current_user.id
    return render_template(
        "requirements/report_view.html",
        report=report,
        competencies=competencies,
        levels=get_rubric().levels,
        cited=reports.cited_evidence(report),
        sign_form=SignForm(),
        ack_form=(ack_form or AcknowledgeForm()) if can_acknowledge else None,
    ), status


@bp.route("/reports/<int:report_id>", methods=["GET", "POST"])
@login_required
def report(report_id: int):
    report = reports.get_report(current_user, report_id)
    competencies = reports.competencies_for(report.enrolment)
    is_author_draft = not report.is_signed and report.supervisor_id == current_user.id
    if not is_author_draft:
        if request.method == "POST":
            abort(409)
        return _report_page(report, competencies)
    options = reports.evidence_options(report.enrolment)
    form_class = report_form_class(competencies, [SelectChoice(item.ref, item.label) for item in options])
    if request.method == "GET":
        data = {f"rating_{k}": v for k, v in report.ratings.items()}
        data |= {f"evidence_{k}": v for k, v in (report.evidence or {}).items()}
        form = form_class(
            kind=report.kind,
            period_start=report.period_start,
            period_end=report.period_end,
            narrative=report.narrative,
            recommendation=report.recommendation,
            is_reviewed_with_trainee=report.is_reviewed_with_trainee,
            **data,
        )
    else:
        form = form_class()
    if form.validate_on_submit():
        try:
            reports.save_report(
                current_user, report.enrolment_id, report_id=report.id, **_report_values(form, competencies)
            )
        except DomainError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Draft saved."), "success")
            return redirect(url_for("progress.report", report_id=report.id))
    return _report_form_page(form, report.enrolment, competencies, options, report)


@bp.post("/reports/<int:report_id>/acknowledge")
@login_required
def acknowledge(report_id: int):
    report = reports.get_report(current_user, report_id)  # unknown or hidden reports answer 404 first
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        return _report_page(report, reports.competencies_for(report.enrolment), form, 400)
    try:
        reports.acknowledge_report(
            current_user,
            report_id,
            comment=form.comment.data or "",
            privacy_confirmed=form.privacy_confirmed.data,
        )
    except ValidationError as error:
        apply_errors(form, error) or flash(error.message, "error")
        return _report_page(report, reports.competencies_for(report.enrolment), form, 400)
    db.session.commit()
    flash(_("You acknowledged the report. Your supervisor has been told."), "success")
    return redirect(url_for("progress.report", report_id=report_id))


@bp.get("/reports/<int:report_id>.pdf")
@login_required
def report_pdf(report_id: int):
    report = reports.get_report(current_user, report_id)
    pdf = render_pdf(
        "report.html",
        report=report,
        competencies=reports.competencies_for(report.enrolment),
        levels=get_rubric().levels,
        cited=reports.cited_evidence(report),
        association=report.enrolment.programme.association,
        generated_at=utcnow(),
    )
    name = f"report-{report.id}-{report.enrolment.trainee.name}".lower().replace(" ", "-")
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{secure_filename(name)}.pdf"'},
    )


@bp.post("/reports/<int:report_id>/sign")
@login_required
def sign(report_id: int):
    reports.get_report(current_user, report_id)  # unknown or hidden reports answer 404 first
    form = SignForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        flash(_("Tick the box to confirm: a signed report cannot be changed."), "error")
        return redirect(url_for("progress.report", report_id=report_id))
    report = reports.sign_report(current_user, report_id)
    db.session.commit()
    flash(_("The report is signed and final."), "success")
    return redirect(url_for("progress.enrolment", enrolment_id=report.enrolment_id))


@bp.app_context_processor
def progress_helpers() -> dict:
    """Lazy helpers for the home page: computed only when a template calls them."""

    def my_progress():
        association = current_association()
        if association is None or not policy.is_trainee(current_user, association.id):
            return []
        return services.own_progress(current_user, association.id)

    return {"my_progress": my_progress}
