"""Pages of groups and sessions: the group list and page, planning, the run sheet, closing.

The run sheet's forms work as plain forms; ``static/run_sheet.js`` sends the same forms
in the background (answered with JSON) and keeps them in the phone's storage while the
connection is down, so the endpoints take a replay without harm (see ``sessions``).
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app import policy
from app.accounts.models import Role
from app.auth import current_association, member_required, role_required
from app.errors import InvalidState, NotFound, ValidationError, wants_json
from app.extensions import db
from app.forms_util import apply_errors
from app.groups import (
    attendance_answers,
    closing,
    feedback,
    labels,
    observation,
    process_notes,
    services,
    sessions,
)
from app.groups.content import get_run_sheet
from app.groups.forms import (
    AttendanceForm,
    BriefingForm,
    CloseForm,
    CoLeaderFeedbackForm,
    GroupForm,
    MemberForm,
    PhaseForm,
    PlanForm,
    ProcessNoteForm,
    ResolveAnswerForm,
)
from app.groups.kinds import RUN_PHASES
from app.logbook.forms import ActionForm
from app.requirements.rubric import get_rubric

bp = Blueprint("groups", __name__, url_prefix="/groups", template_folder="templates")


@bp.record_once
def _configure(state) -> None:
    labels.register(state.app)


def _association_id() -> int:
    return current_association().id


def _moment(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.get("/")
@member_required
def index():
    page = services.list_groups(current_user, _association_id(), page=request.args.get("page", 1, type=int))
    return render_template("groups/index.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new():
    association_id = _association_id()
    form = GroupForm()
    people = [
        SelectChoice(user.id, user.name) for user in services.leader_candidates(current_user, association_id)
    ]
    form.leader_id.choices = [SelectChoice("", _("Choose the leader")), *people]
    form.co_leader_id.choices = [SelectChoice("", _("— none —")), *people]
    if form.validate_on_submit():
        try:
            group = services.create_group(
                current_user,
                association_id,
                form.to_input(),
                form.to_leaders(),
                privacy_confirmed=bool(form.privacy_confirmed.data),
            )
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The group is created."), "success")
            return redirect(url_for("groups.detail", group_id=group.id))
    return render_template("groups/group_form.html", form=form)


@bp.get("/<int:group_id>")
@member_required
def detail(group_id: int):
    group = services.get_group(current_user, _association_id(), group_id)
    return render_template(
        "groups/group.html",
        group=group,
        sessions=sessions.list_sessions(group),
        member_form=MemberForm(formdata=None),
        can_run=policy.can_run_group(current_user, group),
    )


@bp.post("/<int:group_id>/members")
@member_required
def add_member(group_id: int):
    form = MemberForm()
    if form.validate_on_submit():
        try:
            services.add_member(
                current_user,
                _association_id(),
                group_id,
                form.name.data or "",
                form.email.data or "",
                form.joined_on.data,
            )
        except ValidationError as error:
            db.session.rollback()
            messages = [m for field in error.fields.values() for m in field] or [error.message]
            flash(" ".join(messages), "error")
        else:
            db.session.commit()
            flash(_("The member is added."), "success")
    return redirect(url_for("groups.detail", group_id=group_id, _anchor="members"))


@bp.route("/<int:group_id>/sessions/new", methods=["GET", "POST"])
@member_required
def plan(group_id: int):
    association_id = _association_id()
    group = services.runnable_group(current_user, association_id, group_id)
    form = PlanForm()
    if request.method == "GET":
        form.mode.data = sessions.default_mode(group)
        form.planned_minutes.data = 90
    if form.validate_on_submit():
        try:
            session = sessions.plan_session(current_user, association_id, group_id, form.to_input())
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The session is planned."), "success")
            return redirect(url_for("groups.session", session_id=session.id))
    return render_template("groups/plan.html", form=form, group=group)


@bp.get("/sessions/<int:session_id>")
@member_required
def session(session_id: int):
    found = sessions.get_session(current_user, _association_id(), session_id)
    return session_page(found)


def session_page(found, *, resolve_form: ResolveAnswerForm | None = None, resolving: int | None = None):
    """The session page; ``resolve_form`` (with its errors and what was typed) is shown on the
    answer ``resolving``, so a refused resolution keeps the leader's reason."""
    return render_template(
        "groups/session.html",
        session=found,
        group=found.group,
        can_run=policy.can_run_group(current_user, found.group) and not found.is_closed,
        sheet=get_run_sheet(),
        notes=process_notes.notes_on_session(current_user, found),
        leads=any(leader.user_id == current_user.id for leader in found.leaders),
        feedback=feedback.feedback_on_session(current_user, found),
        observations=observation.reports_on_session(current_user, found),
        can_ask_observer=observation.can_assign(current_user, found),
        answers=attendance_answers.answers_on(current_user, found),
        can_run_group=policy.can_run_group(current_user, found.group),
        ask_form=ActionForm(),
        resolve_form=ResolveAnswerForm(formdata=None),
        refused_resolve_form=resolve_form,
        resolving=resolving,
    )


@bp.post("/sessions/<int:session_id>/ask-members")
@member_required
def ask_members(session_id: int):
    """E-mail the present members a link to confirm their own attendance."""
    if not ActionForm().validate_on_submit():
        return redirect(url_for("groups.session", session_id=session_id))
    outcome = attendance_answers.ask_members(current_user, _association_id(), session_id)
    db.session.commit()
    flash(
        _(
            "Asked %(asked)d members to confirm; %(already)d were asked before; %(none)d have no e-mail.",
            asked=outcome.asked,
            already=outcome.already,
            none=outcome.without_email,
        ),
        "success",
    )
    return redirect(url_for("groups.session", session_id=session_id, _anchor="members-answers"))


@bp.route("/sessions/<int:session_id>/feedback/<int:recipient_id>", methods=["GET", "POST"])
@member_required
def give_feedback(session_id: int, recipient_id: int):
    """One leader's signed feedback to another on a closed session they led together.

    Feedback already given (in another tab, say) is shown above the form, which keeps what
    was typed so nothing is lost; it is never a bare conflict page.
    """
    association_id = _association_id()
    found, others = feedback.recipients(current_user, association_id, session_id)
    recipient = next((user for user in others if user.id == recipient_id), None)
    if recipient is None:
        raise NotFound(_("They did not lead this session with you."))
    items = feedback.items()
    form = CoLeaderFeedbackForm.with_items(items, get_rubric().levels)()
    given = feedback.already_given(current_user, session_id, recipient_id)
    if given is None and form.validate_on_submit():
        if not form.is_final.data:
            form.is_final.errors = [_("Tick the box to confirm: signed feedback cannot be changed.")]
        else:
            try:
                given = feedback.give_feedback(
                    current_user,
                    association_id,
                    session_id,
                    recipient_id,
                    form.to_input(),
                    privacy_confirmed=bool(form.privacy_confirmed.data),
                )
            except ValidationError as error:
                db.session.rollback()
                apply_errors(form, error) or flash(error.message, "error")
            except InvalidState:
                # Signed a moment ago elsewhere: show that one, keep what was typed here.
                db.session.rollback()
                given = feedback.already_given(current_user, session_id, recipient_id)
                if given is None:
                    raise
            else:
                db.session.commit()
                flash(_("Your feedback is signed and sent to %(name)s.", name=recipient.name), "success")
                return redirect(url_for("groups.read_feedback", feedback_id=given.id))
    return render_template(
        "groups/feedback_form.html",
        form=form,
        session=found,
        recipient=recipient,
        items=items,
        given=given,
        levels=get_rubric().levels,
    )


@bp.get("/feedback/<int:feedback_id>")
@member_required
def read_feedback(feedback_id: int):
    given = feedback.get_feedback(current_user, _association_id(), feedback_id)
    return render_template(
        "groups/feedback.html",
        given=given,
        session=given.session,
        items=feedback.items(),
        levels=get_rubric().levels,
    )


@bp.route("/sessions/<int:session_id>/note", methods=["GET", "POST"])
@member_required
def note(session_id: int):
    """The leader's process note on a session: written after it, rewritten at will."""
    association_id = _association_id()
    found, existing = process_notes.own_note(current_user, association_id, session_id)
    form = ProcessNoteForm()
    if request.method == "GET" and existing is not None:
        form.load(existing)
    if form.validate_on_submit():
        try:
            saved = process_notes.save_note(
                current_user,
                association_id,
                session_id,
                form.to_input(),
                privacy_confirmed=bool(form.privacy_confirmed.data),
            )
        except ValidationError as error:
            db.session.rollback()
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Your process note is saved. Only you and your supervisors can read it."), "success")
            return redirect(url_for("groups.read_note", note_id=saved.id))
    return render_template("groups/note_form.html", form=form, session=found, group=found.group)


@bp.get("/notes/<int:note_id>")
@member_required
def read_note(note_id: int):
    found = process_notes.get_note(current_user, _association_id(), note_id)
    return render_template(
        "groups/note.html", note=found, session=found.session, dimensions=process_notes.dimensions()
    )


@bp.get("/sessions/<int:session_id>/run")
@member_required
def run(session_id: int):
    found = sessions.runnable_session(current_user, _association_id(), session_id)
    sheet = get_run_sheet()
    marks = {
        a.member_id: ("online" if a.is_online else "room") if a.is_present else "absent"
        for a in found.attendance
    }
    return render_template(
        "groups/run.html",
        session=found,
        group=found.group,
        sheet=sheet,
        planned=sheet.planned_minutes(found.planned_minutes),
        phase_order=[p.value for p in RUN_PHASES],
        marks=marks,
        briefing_form=BriefingForm(formdata=None, version=found.briefing_version or "short"),
        phase_form=PhaseForm(formdata=None),
        attendance_form=AttendanceForm(formdata=None),
        close_form=CloseForm(formdata=None, minutes=found.planned_minutes),
    )


def _done(session_id: int, anchor: str, message: str):
    """JSON for the run sheet's script; a redirect back to the sheet for a plain form."""
    db.session.commit()
    if wants_json():
        return jsonify(ok=True)
    flash(message, "success")
    return redirect(url_for("groups.run", session_id=session_id, _anchor=anchor))


def _refused(session_id: int, anchor: str, error: ValidationError):
    db.session.rollback()
    if wants_json():
        raise error
    flash(error.message, "error")
    return redirect(url_for("groups.run", session_id=session_id, _anchor=anchor))


def _csrf_failed(session_id: int, anchor: str):
    if wants_json():
        return jsonify(error={"code": "invalid", "message": _("The form could not be read.")}), 400
    return redirect(url_for("groups.run", session_id=session_id, _anchor=anchor))


@bp.post("/sessions/<int:session_id>/briefing")
@member_required
def briefing(session_id: int):
    form = BriefingForm()
    if not form.validate_on_submit():
        return _csrf_failed(session_id, "briefing")
    try:
        sessions.record_briefing(current_user, _association_id(), session_id, form.version.data or "")
    except ValidationError as error:
        return _refused(session_id, "briefing", error)
    return _done(session_id, "phases", _("The briefing is recorded as given."))


@bp.post("/sessions/<int:session_id>/phase")
@member_required
def phase(session_id: int):
    form = PhaseForm()
    if not form.validate_on_submit():
        return _csrf_failed(session_id, "phases")
    try:
        sessions.start_phase(
            current_user, _association_id(), session_id, form.phase.data or "", at=_moment(form.at.data)
        )
    except ValidationError as error:
        return _refused(session_id, "phases", error)
    return _done(session_id, f"phase-{form.phase.data}", _("Phase started."))


@bp.post("/sessions/<int:session_id>/attendance")
@member_required
def attendance(session_id: int):
    form = AttendanceForm()
    if not form.validate_on_submit():
        return _csrf_failed(session_id, "attendance")
    marks = {}
    for name, value in request.form.items():
        if name.startswith("m-") and name[2:].isdigit():
            marks[int(name[2:])] = value
    try:
        sessions.take_attendance(current_user, _association_id(), session_id, marks)
    except ValidationError as error:
        return _refused(session_id, "attendance", error)
    return _done(session_id, "attendance", _("Attendance saved."))


@bp.post("/sessions/<int:session_id>/close")
@member_required
def close(session_id: int):
    form = CloseForm()
    if not form.validate_on_submit():
        return _csrf_failed(session_id, "close")
    try:
        outcome = closing.close_session(
            current_user,
            _association_id(),
            session_id,
            cases=form.cases.data,
            minutes=form.minutes.data,
            is_confirmed=bool(form.confirm.data),
            at=_moment(form.at.data),
        )
    except ValidationError as error:
        db.session.rollback()
        messages = [m for field in error.fields.values() for m in field] or [error.message]
        flash(" ".join(messages), "error")
        return redirect(url_for("groups.run", session_id=session_id, _anchor="close"))
    db.session.commit()
    written = sum(1 for item in outcome if item.record_id)
    flash(
        _("The session is closed. %(n)d logbook record(s) were written and submitted.", n=written), "success"
    )
    return redirect(url_for("groups.session", session_id=session_id))


# The pages of observed leadership live on this blueprint, in their own module.
from app.groups import observation_views  # noqa: E402, F401
