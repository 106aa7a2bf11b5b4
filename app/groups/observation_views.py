"""Pages of observed leadership: ask for an observer, write and sign the report, read it.

Routes on the groups blueprint (``groups.assign_observer``, ``groups.sign_observation``,
``groups.read_observation``); the rules are in ``app.groups.observation``.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.auth import member_required
from app.errors import ValidationError
from app.extensions import db
from app.forms_util import apply_errors
from app.groups import observation, observation_records
from app.groups.forms import AssignObserverForm, ObservationReportForm
from app.groups.views import _association_id, bp
from app.requirements.rubric import get_rubric


@bp.route("/sessions/<int:session_id>/observation", methods=["GET", "POST"])
@member_required
def assign_observer(session_id: int):
    """An admin, or the trainee who leads the session, asks a supervisor to observe it."""
    association_id = _association_id()
    found, leaders = observation.observable_leaders(current_user, association_id, session_id)
    form = AssignObserverForm()
    form.trainee_id.choices = [SelectChoice(user.id, user.name) for user in leaders]
    form.observer_id.choices = [SelectChoice("", _("Choose a supervisor"))] + [
        SelectChoice(user.id, user.name) for user in observation.observer_candidates(association_id, found)
    ]
    if form.validate_on_submit():
        try:
            report = observation.assign_observer(
                current_user,
                association_id,
                session_id,
                trainee_id=form.trainee_id.data,
                observer_id=form.observer_id.data,
                observer_status=form.observer_status.data or "",
            )
        except ValidationError as error:
            db.session.rollback()
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("%(name)s is asked to observe the session.", name=report.observer.name), "success")
            return redirect(url_for("groups.session", session_id=session_id, _anchor="observation"))
    return render_template("groups/observation_assign.html", form=form, session=found)


@bp.route("/observations/<int:report_id>/sign", methods=["GET", "POST"])
@member_required
def sign_observation(report_id: int):
    """The observer fills in the rubric, the outcome and the narrative, and signs: final."""
    association_id = _association_id()
    report = observation.report_to_sign(current_user, association_id, report_id)
    items = observation.competencies()
    form = ObservationReportForm.with_items(items, get_rubric().levels)()
    if form.validate_on_submit():
        if not form.is_final.data:
            form.is_final.errors = [_("Tick the box to confirm: a signed report cannot be changed.")]
        else:
            try:
                observation.sign_report(
                    current_user,
                    association_id,
                    report_id,
                    form.to_input(),
                    privacy_confirmed=bool(form.privacy_confirmed.data),
                )
            except ValidationError as error:
                db.session.rollback()
                apply_errors(form, error) or flash(error.message, "error")
            else:
                db.session.commit()
                flash(
                    _("The observation report is signed and sent to %(name)s.", name=report.trainee.name),
                    "success",
                )
                return redirect(url_for("groups.read_observation", report_id=report_id))
    return render_template(
        "groups/observation_form.html",
        form=form,
        report=report,
        session=report.session,
        items=items,
        by_hand=observation_records.hand_logged_for(report),
    )


@bp.get("/observations/<int:report_id>")
@member_required
def read_observation(report_id: int):
    report = observation.get_report(current_user, _association_id(), report_id)
    return render_template(
        "groups/observation.html",
        report=report,
        session=report.session,
        items=observation.competencies(),
        levels=get_rubric().levels,
    )
