"""Pages of applications for accreditation: the list, applying, one application with its
evidence, panel, recommendations and decision, and the stored portfolio PDF."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app import policy
from app.accounts.models import Role
from app.applications import kinds, services
from app.applications.forms import ApplyForm, DecisionForm, LetterForm, PanelForm, ReviewForm
from app.auth import current_association, member_required, role_required
from app.errors import InvalidState, ValidationError
from app.extensions import db
from app.forms_util import apply_errors
from app.statuslevels import services as status_levels

bp = Blueprint("applications", __name__, url_prefix="/applications", template_folder="templates")


@bp.record_once
def _configure(state) -> None:
    state.app.jinja_env.globals["application_label"] = kinds.label
    state.app.jinja_env.globals["latest_application"] = services.latest_of


def _association_id() -> int:
    return current_association().id


@bp.get("/")
@member_required
def index():
    association_id = _association_id()
    return render_template(
        "applications/index.html",
        applications=services.list_applications(current_user, association_id),
        can_apply=policy.is_trainee(current_user, association_id),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.TRAINEE)
def new():
    association_id = _association_id()
    form = ApplyForm()
    form.enrolment_id.choices = [
        SelectChoice(e.id, e.programme.title) for e in services.own_enrolments(current_user, association_id)
    ]
    current = services.open_application(current_user.id, association_id)
    if form.validate_on_submit():
        try:
            application = services.apply(
                current_user, association_id, form.enrolment_id.data or 0, statement=form.statement.data or ""
            )
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        except InvalidState as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Your application is with the panel. Your progress is frozen as it stands "
                    "today; the portfolio PDF is being prepared from it."
                ),
                "success",
            )
            return redirect(url_for("applications.detail", application_id=application.id))
    return render_template("applications/new.html", form=form, current=current)


def _detail_forms(application):
    panel_form = PanelForm()
    if policy.can_decide_application(current_user, application.association_id) and application.is_open:
        panel_form.user_id.choices = [
            SelectChoice("", _("Choose a person")),
            *(
                SelectChoice(u.id, u.name)
                for u in services.panel_candidates(current_user, application.association_id, application)
            ),
        ]
    return panel_form, ReviewForm(), _decision_form(application.association_id)


def _decision_form(association_id: int) -> DecisionForm:
    """The decision form, offering the association's levels (the one accreditation grants first)."""
    form = DecisionForm()
    granted = status_levels.accreditation_level(association_id)
    levels = sorted(status_levels.definitions(association_id), key=lambda d: d.slug != granted)
    form.level.choices = [SelectChoice(d.slug, d.label) for d in levels]
    return form


def _render(application, panel_form=None, review_form=None, decision_form=None, letter_form=None):
    panel, review, decision = _detail_forms(application)
    return render_template(
        "applications/detail.html",
        application=application,
        snapshot=application.snapshot,
        is_panel_member=services.is_panel_member(current_user, application),
        sees_reviews=services.sees_reviews(current_user, application),
        can_decide=policy.can_decide_application(current_user, application.association_id),
        is_applicant=application.trainee_id == current_user.id,
        panel_form=panel_form or panel,
        review_form=review_form or review,
        decision_form=decision_form or decision,
        letter_form=letter_form or LetterForm(prefix="letter"),
    )


@bp.get("/<int:application_id>")
@member_required
def detail(application_id: int):
    return _render(services.get_application(current_user, _association_id(), application_id))


@bp.get("/<int:application_id>/portfolio.pdf")
@member_required
def portfolio(application_id: int):
    stored = services.portfolio_of(current_user, _association_id(), application_id)
    response = Response(stored.content, mimetype=stored.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="portfolio-{application_id}.pdf"'
    return response


@bp.get("/<int:application_id>/decision-letter.pdf")
@member_required
def letter(application_id: int):
    """The decision letter as stored (the first download of an older decision stores it)."""
    stored = services.letter_of(current_user, _association_id(), application_id)
    db.session.commit()
    response = Response(stored.content, mimetype=stored.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="decision-letter-{application_id}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<int:application_id>/decision-letter")
@member_required
def regenerate_letter(application_id: int):
    association_id = _association_id()
    application = services.get_application(current_user, association_id, application_id)
    policy.require_decide_application(current_user, association_id)
    form = LetterForm(prefix="letter")
    if form.validate_on_submit():
        try:
            stored = services.regenerate_letter(
                current_user, association_id, application_id, reason=form.reason.data or ""
            )
        except ValidationError as error:
            db.session.rollback()
            apply_errors(form, error) or flash(error.message, "error")
        except InvalidState as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for("applications.detail", application_id=application_id))
        else:
            db.session.commit()
            flash(
                _(
                    "The decision letter was made again: version %(n)d is now the one downloaded.",
                    n=stored.version,
                ),
                "success",
            )
            return redirect(url_for("applications.detail", application_id=application_id) + "#decision")
    application = services.get_application(current_user, association_id, application_id)
    return _render(application, letter_form=form), 422


@bp.post("/<int:application_id>/panel")
@member_required
def add_panel_member(application_id: int):
    association_id = _association_id()
    application = services.get_application(current_user, association_id, application_id)
    policy.require_decide_application(current_user, association_id)
    form = PanelForm()
    if form.validate_on_submit():
        try:
            services.add_panel_member(current_user, association_id, application_id, form.user_id.data or 0)
        except (InvalidState, ValidationError) as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Named to the panel."), "success")
    return redirect(url_for("applications.detail", application_id=application.id))


@bp.post("/<int:application_id>/review")
@member_required
def review(application_id: int):
    association_id = _association_id()
    application = services.get_application(current_user, association_id, application_id)
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            services.record_review(
                current_user,
                association_id,
                application_id,
                form.recommendation.data or "",
                form.reasons.data or "",
            )
        except ValidationError as error:
            db.session.rollback()
            apply_errors(form, error) or flash(error.message, "error")
            return _render(application, review_form=form), 422
        except InvalidState as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Your recommendation is recorded."), "success")
    return redirect(url_for("applications.detail", application_id=application_id))


@bp.post("/<int:application_id>/decision")
@member_required
def decide(application_id: int):
    association_id = _association_id()
    application = services.get_application(current_user, association_id, application_id)
    policy.require_decide_application(current_user, association_id)
    form = _decision_form(association_id)
    if not form.validate_on_submit():  # the final tick missing, say: the form again, as typed
        return _render(application, decision_form=form), 422
    try:
        services.decide(
            current_user,
            association_id,
            application_id,
            decision=form.decision.data or "",
            reasons=form.reasons.data or "",
            actions=form.actions.data or "",
            deferred_until=form.deferred_until.data,
            level=form.level.data or None,
        )
    except ValidationError as error:
        db.session.rollback()
        apply_errors(form, error) or flash(error.message, "error")
        application = services.get_application(current_user, association_id, application_id)
        return _render(application, decision_form=form), 422
    except InvalidState as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The decision is signed and sent to the trainee."), "success")
    return redirect(url_for("applications.detail", application_id=application_id))
