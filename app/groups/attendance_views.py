"""Pages of attendance confirmations: checking and issuing, reading, downloading, revoking,
the member's own list, and the public verification page with its JSON twin."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app import policy
from app.auth import current_association, member_required
from app.certificates.limits import lookup_limit
from app.errors import InvalidState, NotFound, ValidationError
from app.extensions import db
from app.forms_util import apply_errors
from app.groups import attendance_answers, participant_rule_sets
from app.groups import attendance_confirmations as confirmations
from app.groups.forms import (
    AnswerForm,
    ConfirmationCheckForm,
    ConfirmationIssueForm,
    ConfirmationRevokeForm,
    ResolveAnswerForm,
    RuleSetChoiceForm,
)
from app.groups.views import session_page

bp = Blueprint("attendance", __name__, template_folder="templates")


def _association_id() -> int:
    return current_association().id


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@bp.route("/groups/<int:group_id>/members/<int:member_id>/attendance", methods=["GET", "POST"])
@member_required
def issue(group_id: int, member_id: int):
    association_id = _association_id()
    group, member = confirmations.led_member(current_user, association_id, group_id, member_id)
    if request.method == "POST":
        issue_form = ConfirmationIssueForm()
        if issue_form.validate_on_submit():
            try:
                confirmation = confirmations.issue(
                    current_user,
                    association_id,
                    group_id,
                    member_id,
                    kind=issue_form.kind.data,
                    session_id=_id(issue_form.session_id.data),
                    period_from=_day(issue_form.period_from.data),
                    period_to=_day(issue_form.period_to.data),
                )
            except ValidationError as error:
                db.session.rollback()
                flash(error.message, "error")
            else:
                db.session.commit()
                flash(_("The confirmation is issued and sent to %(name)s.", name=member.name), "success")
                return redirect(url_for("attendance.detail", confirmation_id=confirmation.id))
        return redirect(url_for("attendance.issue", group_id=group_id, member_id=member_id))

    form = ConfirmationCheckForm(request.args)
    sessions = confirmations.issuable_sessions(member)
    form.session_id.choices = [SelectChoice("", _("Choose a session"))] + [
        SelectChoice(s.id, f"{s.held_on.isoformat()} · {s.minutes} min") for s in sessions
    ]
    if not request.args:
        form.kind.data = "period"
        if sessions:
            form.period_from.data, form.period_to.data = sessions[0].held_on, sessions[-1].held_on
    draft, issue_form, status = None, None, 200
    if request.args.get("submit") and form.validate():
        try:
            draft = confirmations.preview(
                current_user,
                association_id,
                group_id,
                member_id,
                kind=form.kind.data,
                session_id=form.session_id.data,
                period_from=form.period_from.data,
                period_to=form.period_to.data,
            )
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
            status = 422
        else:
            issue_form = ConfirmationIssueForm(
                formdata=None,
                kind=draft.kind,
                session_id=str(draft.session.id) if draft.session else "",
                period_from=draft.period_from.isoformat(),
                period_to=draft.period_to.isoformat(),
            )
    may_issue = policy.can_issue_attendance(current_user, group)
    return render_template(
        "attendance/issue.html",
        group=group,
        member=member,
        form=form,
        draft=draft,
        issue_form=issue_form,
        may_issue=may_issue,
        why_not="" if may_issue else policy.why_not_issue_attendance(group),
        issued=confirmations.issued_to(member),
        rule_set_form=_rule_set_form(member.rule_set),
        rule_set_title=participant_rule_sets.title_of(member.rule_set),
        hours=participant_rule_sets.hours,
    ), status


def _rule_set_form(current: str) -> RuleSetChoiceForm:
    form = RuleSetChoiceForm(formdata=None, rule_set=current)
    form.rule_set.choices = [SelectChoice(name, title) for name, title in participant_rule_sets.choices()]
    return form


@bp.post("/groups/<int:group_id>/members/<int:member_id>/rule-set")
@member_required
def choose_rule_set(group_id: int, member_id: int):
    """Record the participant rule set the member chose."""
    form = RuleSetChoiceForm()
    association_id = _association_id()
    confirmations.led_member(current_user, association_id, group_id, member_id)
    if form.validate_on_submit():
        try:
            participant_rule_sets.choose(
                current_user, association_id, group_id, member_id, form.rule_set.data
            )
        except ValidationError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The member's rule set is saved."), "success")
    return redirect(url_for("attendance.issue", group_id=group_id, member_id=member_id))


@bp.get("/attendance/confirmations/<int:confirmation_id>")
@member_required
def detail(confirmation_id: int):
    confirmation = confirmations.get_confirmation(current_user, _association_id(), confirmation_id)
    return render_template(
        "attendance/detail.html",
        c=confirmation,
        verify_url=confirmations.verify_url(confirmation.serial),
        pdf_ready=confirmations.pdf_ready(confirmation),
        can_revoke=policy.can_revoke_attendance_confirmation(current_user, confirmation)
        and not confirmation.is_revoked,
        revoke_form=ConfirmationRevokeForm(formdata=None),
        leads_group=policy.can_run_group(current_user, confirmation.group),
        hours=participant_rule_sets.hours,
        rule_set_title=participant_rule_sets.title_as_issued(confirmation.rule_set),
    )


@bp.get("/attendance/confirmations/<int:confirmation_id>/pdf")
@member_required
def pdf(confirmation_id: int):
    confirmation = confirmations.get_confirmation(current_user, _association_id(), confirmation_id)
    stored = confirmations.stored_pdf(confirmation)
    response = Response(stored.content, mimetype=stored.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="attendance-{confirmation.serial}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/attendance/confirmations/<int:confirmation_id>/revoke")
@member_required
def revoke(confirmation_id: int):
    form = ConfirmationRevokeForm()
    if form.validate_on_submit():
        try:
            confirmations.revoke(current_user, _association_id(), confirmation_id, form.reason.data or "")
        except (ValidationError, InvalidState) as error:
            db.session.rollback()
            messages = [m for field in getattr(error, "fields", {}).values() for m in field] or [
                error.message
            ]
            flash(" ".join(messages), "error")
        else:
            db.session.commit()
            flash(_("The confirmation is revoked."), "success")
    else:
        confirmations.get_confirmation(current_user, _association_id(), confirmation_id)
    return redirect(url_for("attendance.detail", confirmation_id=confirmation_id))


@bp.get("/attendance/mine")
@member_required
def mine():
    page = confirmations.list_mine(
        current_user, _association_id(), page=request.args.get("page", 1, type=int)
    )
    return render_template("attendance/mine.html", page=page, hours=participant_rule_sets.hours)


# -- public verification: no login, one lookup budget with the certificates ------------------


@bp.get("/attendance/<serial>")
@lookup_limit
def verify(serial: str):
    confirmation = confirmations.find_by_serial(serial)
    return render_template(
        "attendance/verify.html",
        c=confirmation,
        record=confirmations.public_record(confirmation),
        hours=participant_rule_sets.hours,
        rule_set_title=participant_rule_sets.title_as_issued(confirmation.rule_set),
    )


@bp.get("/attendance/<serial>.json")
@lookup_limit
def verify_json(serial: str):
    try:
        body, status = confirmations.public_record(confirmations.find_by_serial(serial)), 200
    except NotFound as error:
        body, status = {"error": {"code": error.code, "message": error.message}}, 404
    response = jsonify(body)
    response.status_code = status
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/attendance/answer/<token>", methods=["GET", "POST"])
@lookup_limit
def answer(token: str):
    """A member's one-time page: were you at this session? No sign-in needed."""
    try:
        asked = attendance_answers.open_answer(token)
    except (NotFound, InvalidState) as error:
        return render_template("attendance/answer.html", asked=None, message=error.message), error.status
    form = AnswerForm()
    if form.validate_on_submit():
        value = "confirmed" if form.confirm.data else "not-there" if form.not_there.data else ""
        try:
            attendance_answers.give_answer(token, value)
        except ValidationError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            return render_template(
                "attendance/answer.html", asked=None, message=_("Thank you: your answer is recorded.")
            )
    response = render_template("attendance/answer.html", asked=asked, form=form, message="")
    return response, 200, {"Cache-Control": "no-store"}


@bp.post("/attendance/answers/<int:answer_id>/resolve")
@member_required
def resolve(answer_id: int):
    """A leader settles a member's "I was not there" on a closed session."""
    form = ResolveAnswerForm()
    association_id = _association_id()
    answer = attendance_answers.answer_for_leader(current_user, association_id, answer_id)
    if form.validate_on_submit():
        resolution = "corrected" if form.correct.data else "kept" if form.keep.data else ""
        try:
            attendance_answers.resolve(
                current_user,
                association_id,
                answer_id,
                resolution,
                form.reason.data,
                privacy_confirmed=bool(form.privacy_confirmed.data),
            )
        except ValidationError as error:
            # The page again, with the error beside the reason and the reason as typed.
            db.session.rollback()
            apply_errors(form, error) or flash(error.message, "error")
            found = attendance_answers.answer_for_leader(current_user, association_id, answer_id).session
            return session_page(found, resolve_form=form, resolving=answer_id), 422
        except InvalidState as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("The member's answer is resolved."), "success")
    return redirect(url_for("groups.session", session_id=answer.session_id, _anchor="members-answers"))
