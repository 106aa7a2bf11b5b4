"""Pages of the vignettes feature: the library, working on a vignette, reviewing.

Each view parses the form, calls one service, commits, then redirects; on a refused
request it re-renders the form with everything that was typed.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup

from app import policy
from app.accounts.models import Role
from app.auth import current_association, member_required, role_required
from app.errors import InvalidState, ValidationError
from app.extensions import db
from app.forms_util import apply_errors
from app.vignettes import review as reviews
from app.vignettes import revisions, services
from app.vignettes.answers import field_name
from app.vignettes.chart import rating_chart
from app.vignettes.content import library
from app.vignettes.forms import answers_from_form, comments_from_form, reflection_form, review_form
from app.vignettes.models import Decision, ReflectionStatus
from app.vignettes.ordering import ordered_options
from app.vignettes.schema import DIMENSIONS, signed

bp = Blueprint("vignettes", __name__, url_prefix="/vignettes", template_folder="templates")


def _association_id() -> int:
    return current_association().id


def _page() -> int:
    return request.args.get("page", 1, type=int)


STATUS_LABELS = {
    ReflectionStatus.DRAFT.value: _l("Draft"),
    ReflectionStatus.SUBMITTED.value: _l("Waiting for review"),
    ReflectionStatus.ACCEPTED.value: _l("Accepted"),
    ReflectionStatus.REVISION_REQUESTED.value: _l("Revision requested"),
}


@bp.app_template_global()
def status_label(reflection) -> str:
    if reflection.is_draft and reflection.version > 1:
        return _("Revising")
    return str(STATUS_LABELS[reflection.status])


@bp.app_template_global()
def ratings_chart(reflection, exercise) -> Markup:
    ratings = reflection.answer(exercise.id).get("ratings") or {}
    return rating_chart(
        ratings,
        exercise.reference,
        chart_id=f"chart-{reflection.id}-{exercise.id}",
        is_own=reflection.trainee_id == current_user.id,
    )


@bp.app_template_global()
def my_vignette_summary() -> dict[str, int]:
    """For the trainee's home block; one query, only when the block is shown."""
    return reviews.trainee_summary(current_user, _association_id())


@bp.app_template_global()
def reflections_waiting() -> int:
    """For the supervisor's home block; one query, only when the block is shown."""
    return reviews.waiting_count(current_user, _association_id())


bp.add_app_template_global(signed, "signed")
bp.add_app_template_global(DIMENSIONS, "vignette_dimensions")
bp.add_app_template_global(ordered_options, "ordered_options")


@bp.get("/")
@member_required
def index():
    return render_template(
        "vignettes/library.html", rows=services.library_rows(current_user, _association_id())
    )


def _render_vignette(work: services.VignetteWork, form):
    return render_template("vignettes/vignette.html", work=work, form=form)


@bp.get("/<slug>")
@member_required
def vignette(slug: str):
    work = services.vignette_work(current_user, _association_id(), slug)
    form = reflection_form(work.vignette, work.current.answers if work.current else None, work.option_order)
    return _render_vignette(work, form)


@bp.post("/<slug>")
@role_required(Role.TRAINEE)
def save(slug: str):
    work = services.vignette_work(current_user, _association_id(), slug)
    form = reflection_form(work.vignette, option_order=work.option_order)
    if not form.validate_on_submit():
        flash(_("Please check the highlighted answers. Nothing was saved yet."), "error")
        return _render_vignette(work, form)
    is_submitting = bool(form.submit.data)
    action = services.submit_reflection if is_submitting else services.save_draft
    try:
        reflection = action(
            current_user,
            _association_id(),
            slug,
            answers_from_form(form, work.vignette),
            is_confirmed=bool(form.privacy_confirmed.data),
        )
    except InvalidState as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("vignettes.vignette", slug=slug))
    except ValidationError as error:
        db.session.rollback()  # a draft opened for this request must not linger on the page
        apply_errors(form, error)
        flash(error.message or _("Please check the highlighted answers."), "error")
        return _render_vignette(services.vignette_work(current_user, _association_id(), slug), form)
    db.session.commit()
    if is_submitting:
        flash(_("Submitted. Your supervisor has been told; the guidance is now open to you."), "success")
        return redirect(url_for("vignettes.reflection", reflection_id=reflection.id))
    flash(_("Draft saved."), "success")
    return redirect(url_for("vignettes.vignette", slug=slug) + "#reflection-form")


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError):
    """An expired form: say that nothing was saved, and hand back what was typed to copy."""
    typed: list[tuple[str, str]] = []
    args = request.view_args or {}
    again = url_for("home.index")
    if request.endpoint == "vignettes.save" and (vignette_ := library().get(args.get("slug", ""))):
        again = url_for("vignettes.vignette", slug=vignette_.slug)
        for exercise in vignette_.exercises:
            for part in ("feeling", "text"):
                typed.append((exercise.prompt, request.form.get(field_name(exercise.id, part), "")))
    elif request.endpoint == "vignettes.review":
        again = url_for("vignettes.review", reflection_id=args.get("reflection_id"))
        typed.append((_("Overall feedback"), request.form.get("overall_comment", "")))
        for name, text in request.form.items():
            if name.endswith("__comment"):
                typed.append((_("Comment on an exercise"), text))
    typed = [(label, text.strip()) for label, text in typed if text.strip()]
    return render_template("vignettes/form_expired.html", typed=typed, again=again), 400


@bp.get("/reflections")
@role_required(Role.TRAINEE)
def my_reflections():
    page, earlier = services.list_my_reflections(current_user, _association_id(), page=_page())
    return render_template("vignettes/my_reflections.html", page=page, earlier=earlier, library=library())


@bp.get("/reflections/<int:reflection_id>")
@member_required
def reflection(reflection_id: int):
    view = services.get_reflection(current_user, _association_id(), reflection_id)
    return render_template(
        "vignettes/reflection.html",
        view=view,
        is_reviewer=policy.can_review_reflection(current_user, view.reflection),
    )


@bp.get("/review")
@role_required(Role.SUPERVISOR)
def queue():
    return render_template(
        "vignettes/queue.html",
        page=reviews.review_queue(current_user, _association_id(), page=_page()),
        library=library(),
    )


def _exercise_ids(view: services.ReflectionView) -> list[str]:
    if view.vignette is not None:
        return [exercise.id for exercise in view.vignette.exercises]
    return list(view.reflection.answers)


@bp.route("/review/<int:reflection_id>", methods=["GET", "POST"])
@member_required  # the service answers 404 for another association's reflection, 403 for a non-reviewer
def review(reflection_id: int):
    view = reviews.get_for_review(current_user, _association_id(), reflection_id)
    form = review_form(_exercise_ids(view))
    if form.validate_on_submit():
        decision = Decision.ACCEPTED if form.accept.data else Decision.REVISION_REQUESTED
        try:
            reviews.review_reflection(
                current_user,
                _association_id(),
                reflection_id,
                decision=decision.value,
                overall_comment=form.overall_comment.data or "",
                exercise_comments=comments_from_form(form, _exercise_ids(view)),
                is_confirmed=bool(form.privacy_confirmed.data),
            )
        except InvalidState as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for("vignettes.reflection", reflection_id=reflection_id))
        except ValidationError as error:
            db.session.rollback()
            apply_errors(form, error)
            flash(error.message, "error")
            view = reviews.get_for_review(current_user, _association_id(), reflection_id)
            return _review_page(view, form)
        db.session.commit()
        if decision == Decision.ACCEPTED:
            flash(_("Accepted. %(name)s has been told.", name=view.reflection.trainee.name), "success")
        else:
            flash(
                _("Revision requested. %(name)s has been told.", name=view.reflection.trainee.name), "success"
            )
        return redirect(url_for("vignettes.queue"))
    return _review_page(view, form)


def _review_page(view, form):
    changes = revisions.changes_since_feedback(view.reflection, view.versions)
    return render_template("vignettes/review.html", view=view, form=form, changes=changes)


@bp.get("/overview")
@role_required(Role.ADMIN)
def overview():
    page, rows = reviews.overview(current_user, _association_id(), page=_page())
    return render_template("vignettes/overview.html", page=page, rows=rows)
