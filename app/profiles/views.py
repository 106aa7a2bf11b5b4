"""The admin's page of a trainee's dated profile facts: track, memberships, qualifications, exams."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from app import policy
from app.accounts.models import Membership, Role, User
from app.errors import DomainError
from app.extensions import db
from app.forms_util import apply_errors
from app.profiles import services
from app.profiles.forms import ExamForm, MembershipForm, QualificationForm, RemoveForm, TrackForm

bp = Blueprint("profiles", __name__, url_prefix="/progress/enrolments", template_folder="templates")


def _facts_for_admin(enrolment_id: int):
    facts = services.profile_facts(current_user, enrolment_id)
    if not policy.is_admin(current_user, facts.enrolment.association_id):
        abort(403)
    return facts


def _examiners(association_id: int, trainee_id: int) -> list[SelectChoice]:
    """Supervisors and admins of the association (not the trainee), and 'from outside'."""
    people = db.session.execute(
        select(User.id, User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.role.in_([Role.SUPERVISOR.value, Role.ADMIN.value]),
            User.id != trainee_id,
        )
        .distinct()
        .order_by(User.name)
    )
    return [SelectChoice(0, _("From outside (name below)")), *(SelectChoice(i, n) for i, n in people)]


def _render(facts, status=200, **forms):
    enrolment = facts.enrolment
    track_form = forms.get("track_form") or TrackForm(track=enrolment.track or "")
    track_form.track.choices = [
        SelectChoice("", _("Not recorded")),
        *(SelectChoice(track, label) for track, label in facts.tracks),
    ]
    exam_form = forms.get("exam_form") or ExamForm()
    exam_form.examiner_id.choices = _examiners(enrolment.association_id, enrolment.trainee_id)
    return render_template(
        "profiles/facts.html",
        facts=facts,
        track_form=track_form,
        membership_form=forms.get("membership_form") or MembershipForm(),
        qualification_form=forms.get("qualification_form") or QualificationForm(),
        exam_form=exam_form,
        remove_form=RemoveForm(),
    ), status


@bp.get("/<int:enrolment_id>/facts")
@login_required
def page(enrolment_id: int):
    return _render(_facts_for_admin(enrolment_id))


def _save(enrolment_id: int, form, form_name: str, action, done: str):
    """Validate, call the service, commit and go back; or show the page with the errors."""
    facts = _facts_for_admin(enrolment_id)
    if form.validate_on_submit():
        try:
            action(form)
        except DomainError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(done, "success")
            return redirect(url_for("profiles.page", enrolment_id=enrolment_id))
    return _render(facts, 422, **{form_name: form})


@bp.post("/<int:enrolment_id>/facts/track")
@login_required
def track(enrolment_id: int):
    return _save(
        enrolment_id,
        TrackForm(),
        "track_form",
        lambda form: services.set_track(current_user, enrolment_id, form.track.data or None),
        _("Track saved."),
    )


@bp.post("/<int:enrolment_id>/facts/memberships")
@login_required
def add_membership(enrolment_id: int):
    return _save(
        enrolment_id,
        MembershipForm(),
        "membership_form",
        lambda form: services.add_membership(
            current_user, enrolment_id, started_on=form.started_on.data, ended_on=form.ended_on.data
        ),
        _("Membership period recorded."),
    )


@bp.post("/<int:enrolment_id>/facts/qualifications")
@login_required
def add_qualification(enrolment_id: int):
    return _save(
        enrolment_id,
        QualificationForm(),
        "qualification_form",
        lambda form: services.add_qualification(
            current_user, enrolment_id, kind=form.kind.data, obtained_on=form.obtained_on.data
        ),
        _("Qualification recorded."),
    )


@bp.post("/<int:enrolment_id>/facts/exams")
@login_required
def record_exam(enrolment_id: int):
    return _save(
        enrolment_id,
        ExamForm(),
        "exam_form",
        lambda form: services.record_exam(
            current_user,
            enrolment_id,
            kind=form.kind.data,
            outcome=form.outcome.data,
            occurred_on=form.occurred_on.data,
            examiner_id=form.examiner_id.data or None,
            examiner_name=form.examiner_name.data or "",
            note=form.note.data or "",
        ),
        _("Result recorded."),
    )


@bp.post("/<int:enrolment_id>/facts/<any(membership, qualification, exam):what>/<int:fact_id>/remove")
@login_required
def remove(enrolment_id: int, what: str, fact_id: int):
    _facts_for_admin(enrolment_id)
    if not RemoveForm().validate_on_submit():
        abort(400)
    services.remove(current_user, enrolment_id, what, fact_id)
    db.session.commit()
    flash(_("Removed."), "success")
    return redirect(url_for("profiles.page", enrolment_id=enrolment_id))
