"""Pages of the learning feature: the module, its lessons and tests, progress, the briefing."""

from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, Response, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app import policy
from app.accounts.models import Role
from app.auth import current_association, member_required, role_required
from app.content.curriculum import CurriculumError, Figure, get_curriculum
from app.content.markdown import render_markdown
from app.errors import DomainError, InvalidState, ValidationError
from app.extensions import db
from app.forms_util import apply_errors
from app.learning import allowances, item_stats, quizzes, reports, services
from app.learning.figures import render_time_course
from app.learning.forms import (
    DIMENSION_LABELS,
    POLE_LABELS,
    CompleteLessonForm,
    ExtraAttemptsForm,
    StartQuizForm,
    build_quiz_form,
)
from app.learning.models import QuizKind
from app.learning.scoring import Answer
from app.pdf import render_pdf

bp = Blueprint("learning", __name__, url_prefix="/learning", template_folder="templates")


def _association_id() -> int:
    return current_association().id


@lru_cache(maxsize=64)
def _render_body(body: str, figures: tuple[Figure, ...], locale: str) -> Markup:
    """Lesson HTML, cached per content and locale (the figure's axis words are translated)."""
    return render_markdown(body, {figure.slug: render_time_course(figure) for figure in figures})


def body_html(body: str) -> Markup:
    return _render_body(body, get_curriculum().figures, str(get_locale() or "en"))


@bp.errorhandler(CurriculumError)
def broken_content(error: CurriculumError):
    """Content that fails the check cannot be served; say so instead of a stack trace."""
    current_app.logger.error("curriculum has problems: %s", "; ".join(map(str, error.problems)))
    message = _(
        "The module's content has errors, so it cannot be shown. "
        "An administrator can list them with 'flask content check'."
    )
    page = render_template("errors/error.html", status=503, title=_("Module unavailable"), message=message)
    return page, 503


@bp.app_context_processor
def learning_template_globals() -> dict[str, object]:
    def learning_summary() -> services.ModuleProgress | None:
        """The trainee's module progress for the home page, computed once and only if shown."""
        if "learning_summary" not in g:
            try:
                g.learning_summary = services.module_progress(current_user, _association_id())
            except (CurriculumError, DomainError):
                g.learning_summary = None
        return g.learning_summary

    return {
        "learning_summary": learning_summary,
        "dimension_labels": DIMENSION_LABELS,
        "pole_labels": POLE_LABELS,
    }


# --- the trainee's module ------------------------------------------------------------


@bp.get("/")
@role_required(Role.TRAINEE)
def overview():
    progress = services.module_progress(current_user, _association_id())
    return render_template("learning/overview.html", progress=progress)


@bp.get("/lessons/<slug>")
@role_required(Role.TRAINEE)
def lesson(slug: str):
    lesson = services.get_lesson(current_user, _association_id(), slug)
    progress = services.module_progress(current_user, _association_id())
    previous, following = progress.curriculum.neighbours(lesson)
    return render_template(
        "learning/lesson.html",
        lesson=lesson,
        body=body_html(lesson.body),
        state=progress.state_of(slug),
        open_check=progress.open_checks.get(slug),
        progress=progress,
        previous=previous,
        following=following,
        complete_form=CompleteLessonForm(),
        start_form=StartQuizForm(),
    )


@bp.post("/lessons/<slug>/complete")
@role_required(Role.TRAINEE)
def complete_lesson(slug: str):
    if CompleteLessonForm().validate_on_submit():
        services.complete_lesson(current_user, _association_id(), slug)
        db.session.commit()
        flash(_("Lesson marked as complete."), "success")
    return redirect(url_for("learning.lesson", slug=slug, _anchor="lesson-actions"))


@bp.post("/lessons/<slug>/check")
@role_required(Role.TRAINEE)
def start_check(slug: str):
    return _start(QuizKind.LESSON, slug, url_for("learning.lesson", slug=slug, _anchor="lesson-actions"))


@bp.get("/final")
@role_required(Role.TRAINEE)
def final_test():
    progress = services.module_progress(current_user, _association_id())
    return render_template("learning/final.html", progress=progress, start_form=StartQuizForm())


@bp.post("/final")
@role_required(Role.TRAINEE)
def start_final():
    return _start(QuizKind.FINAL, None, url_for("learning.final_test"))


def _start(kind: QuizKind, slug: str | None, back: str):
    if StartQuizForm().validate_on_submit():
        try:
            attempt = quizzes.start_attempt(current_user, _association_id(), kind, slug)
        except InvalidState as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            return redirect(url_for("learning.attempt", attempt_id=attempt.id))
    return redirect(back)


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@role_required(Role.TRAINEE)
def attempt(attempt_id: int):
    """An open attempt shows its questions; a submitted one shows the feedback."""
    attempt = quizzes.get_attempt(current_user, _association_id(), attempt_id)
    curriculum = get_curriculum()
    presented = quizzes.presented_questions(attempt, curriculum)
    lesson = curriculum.lesson(attempt.lesson_slug) if attempt.lesson_slug else None
    if not attempt.is_open:
        if request.method == "POST":
            flash(_("These answers were already submitted."), "info")
            return redirect(url_for("learning.attempt", attempt_id=attempt_id))
        return render_template(
            "learning/feedback.html",
            attempt=attempt,
            lesson=lesson,
            items=[
                (item, Answer.from_json((attempt.answers or {}).get(item.question.id))) for item in presented
            ],
            removed=len(attempt.question_ids) - len(presented),
            progress=services.module_progress(current_user, _association_id()),
        )
    form = build_quiz_form(presented)
    if form.validate_on_submit():
        try:
            quizzes.submit_attempt(current_user, _association_id(), attempt_id, form.answers(presented))
        except ValidationError as error:
            _place_errors(form, presented, error)
            flash(error.message, "error")
        except InvalidState as error:
            flash(error.message, "info")
            return redirect(url_for("learning.attempt", attempt_id=attempt_id))
        else:
            db.session.commit()
            return redirect(url_for("learning.attempt", attempt_id=attempt_id, _anchor="result"))
    elif request.method == "POST":
        unanswered = sum(1 for item in presented if form[item.field_name].errors)
        flash(_("Please answer every question (%(n)d left).", n=unanswered), "error")
    return render_template(
        "learning/quiz.html", attempt=attempt, lesson=lesson, presented=presented, form=form
    )


def _place_errors(form, presented, error: ValidationError) -> None:
    by_id = {item.question.id: item.field_name for item in presented}
    for question_id, messages in error.fields.items():
        field = form[by_id[question_id]] if question_id in by_id else None
        if field is not None:
            field.errors = list(field.errors) + list(messages)


# --- supervisors and admins -------------------------------------------------------------


@bp.get("/progress")
@role_required(Role.SUPERVISOR, Role.ADMIN)
def progress():
    page = reports.progress_of_trainees(
        current_user,
        _association_id(),
        search=request.args.get("q", ""),
        page=request.args.get("page", 1, type=int),
    )
    return render_template(
        "learning/progress.html",
        page=page,
        curriculum=get_curriculum(),
        is_admin=policy.is_admin(current_user, _association_id()),
    )


@bp.get("/item-statistics")
@role_required(Role.ADMIN)
def item_statistics():
    """How each question behaves in real attempts: answered, facility, discrimination, flags."""
    report = item_stats.item_statistics(current_user, _association_id())
    return render_template("learning/item_statistics.html", report=report, limits=item_stats)


@bp.route("/progress/<int:trainee_id>/attempts", methods=["GET", "POST"])
@role_required(Role.SUPERVISOR, Role.ADMIN)
def extra_attempts(trainee_id: int):
    """Allow a trainee who used every attempt at the final test to try again."""
    association_id = _association_id()
    standing = allowances.final_test_standing(current_user, association_id, trainee_id)
    form = ExtraAttemptsForm()
    if form.validate_on_submit():
        try:
            allowances.grant_final_attempts(
                current_user,
                association_id,
                trainee_id,
                attempts=form.attempts.data,
                reason=form.reason.data,
                privacy_confirmed=form.privacy_confirmed.data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s can take the final test again.", name=standing.trainee.name), "success")
            return redirect(url_for("learning.progress"))
    return render_template("learning/extra_attempts.html", form=form, standing=standing)


# --- the briefing --------------------------------------------------------------------------


@bp.get("/briefing")
@member_required
def briefing():
    briefing = services.get_briefing(current_user, _association_id())
    return render_template("learning/briefing.html", briefing=briefing, body=render_markdown(briefing.body))


@bp.get("/briefing.pdf")
@member_required
def briefing_pdf():
    briefing = services.get_briefing(current_user, _association_id())
    pdf = render_pdf(
        "briefing.html",
        briefing=briefing,
        body=render_markdown(briefing.body),
        association=current_association(),
    )
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": 'inline; filename="stillpoint-session-briefing.pdf"'},
    )
