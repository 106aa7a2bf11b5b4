"""Sign-off pages: the queue and batch signing, sign/return/reopen, confirmations, accreditations."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from app.accounts.models import Role
from app.auth import current_association, member_required, role_required
from app.errors import ValidationError
from app.extensions import db
from app.forms_util import apply_errors
from app.logbook import access, accreditations, signoff
from app.logbook.forms import (
    AccreditationForm,
    ActionForm,
    BatchSignForm,
    FinalActionForm,
    ReopenForm,
    ReturnForm,
)
from app.logbook.labels import describe
from app.logbook.models import RecordKind
from app.logbook.views import bp, render_record


def _association_id() -> int:
    return current_association().id


@bp.get("/queue")
@role_required(Role.SUPERVISOR)
def queue():
    association_id = _association_id()
    enrolment_id = request.args.get("trainee", type=int)
    kind = request.args.get("kind", "")
    search = request.args.get("q", "")
    return render_template(
        "logbook/queue.html",
        page=signoff.queue(
            current_user,
            association_id,
            enrolment_id=enrolment_id,
            kind=kind,
            page=request.args.get("page", 1, type=int),
            search=search,
        ),
        kinds=list(RecordKind),
        chosen_trainee=enrolment_id,
        search=search,
        chosen_kind=kind,
        form=BatchSignForm(),
        unfinished=signoff.unfinished_observations(current_user, association_id),
        is_accredited_today=accreditations.is_accredited_on(current_user.id, association_id, signoff.today()),
    )


@bp.post("/queue/sign")
@role_required(Role.SUPERVISOR)
def sign_batch():
    form = BatchSignForm()
    if not form.chosen_ids:
        flash(_("Tick the records you want to sign first."), "error")
        return redirect(url_for("logbook.queue"))
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm that signing is final. Nothing was signed."), "error")
        return redirect(url_for("logbook.queue"))
    outcomes = signoff.sign_many(current_user, _association_id(), form.chosen_ids)
    db.session.commit()
    signed = sum(outcome.is_signed for outcome in outcomes)
    refused = len(outcomes) - signed
    flash(
        ngettext("%(num)d record signed.", "%(num)d records signed.", signed),
        "success" if signed else "info",
    )
    if refused:
        flash(
            ngettext("%(num)d record was not signed.", "%(num)d records were not signed.", refused), "error"
        )
    return render_template("logbook/batch_result.html", outcomes=outcomes)


@bp.post("/records/<int:record_id>/sign")
@role_required(Role.SUPERVISOR)
def sign(record_id: int):
    """Sign (after the final tick), then go on to the next record waiting in the queue (or
    the queue, when none is left)."""
    form = FinalActionForm()
    if not form.validate_on_submit():
        record = access.get_record(current_user, _association_id(), record_id)
        return render_record(record, final_form=form, status=422)
    record = signoff.sign(current_user, _association_id(), record_id)
    db.session.commit()
    next_id = signoff.next_in_queue(current_user, _association_id())
    flash(_("Signed. The record is now final.") + " " + describe(record), "success")
    if next_id is None:
        flash(_("Nothing else waits for your signature."), "info")
        return redirect(url_for("logbook.queue"))
    flash(_("Here is the next record waiting for you."), "info")
    return redirect(url_for("logbook.record", record_id=next_id))


@bp.post("/records/<int:record_id>/return")
@role_required(Role.SUPERVISOR)
def return_record(record_id: int):
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            signoff.return_record(
                current_user,
                _association_id(),
                record_id,
                form.comment.data or "",
                privacy_confirmed=bool(form.privacy_confirmed.data),
            )
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Returned to the author with your comment."), "success")
            return redirect(url_for("logbook.record", record_id=record_id))
    record = access.get_record(current_user, _association_id(), record_id)
    return render_record(record, return_form=form)


@bp.post("/records/<int:record_id>/reopen")
@role_required(Role.ADMIN)
def reopen(record_id: int):
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            new = signoff.reopen(
                current_user,
                _association_id(),
                record_id,
                form.reason.data or "",
                privacy_confirmed=bool(form.privacy_confirmed.data),
            )
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Reopened: this is the new version. The signed one is kept unchanged."), "success")
            return redirect(url_for("logbook.record", record_id=new.id))
    record = access.get_record(current_user, _association_id(), record_id)
    return render_record(record, reopen_form=form)


@bp.get("/confirmations")
@member_required
def confirmations():
    return render_template(
        "logbook/confirmations.html",
        sessions=signoff.awaiting_confirmation(current_user, _association_id()),
        form=ActionForm(),
    )


@bp.post("/records/<int:record_id>/confirm")
@member_required
def confirm(record_id: int):
    if ActionForm().validate_on_submit():
        signoff.confirm(current_user, _association_id(), record_id)
        db.session.commit()
        flash(_("Thank you: your confirmation is recorded beside the session."), "success")
    return redirect(url_for("logbook.confirmations"))


@bp.route("/admin/accreditations", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def accreditations_page():
    association_id = _association_id()
    today = signoff.today()
    standing = accreditations.list_standing(current_user, association_id, today=today)
    form = AccreditationForm()
    form.supervisor_id.choices = [SelectChoice("", _("Choose a supervisor"))] + [
        SelectChoice(item.supervisor.id, item.supervisor.name) for item in standing
    ]
    if form.validate_on_submit():
        try:
            accreditations.grant(
                current_user,
                association_id,
                supervisor_id=form.supervisor_id.data,
                valid_from=form.valid_from.data,
                valid_until=form.valid_until.data,
                note=form.note.data or "",
            )
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Accreditation recorded."), "success")
            return redirect(url_for("logbook.accreditations_page"))
    return render_template(
        "logbook/accreditations.html", standing=standing, form=form, action_form=ActionForm(), today=today
    )


@bp.post("/admin/accreditations/<int:accreditation_id>/end")
@role_required(Role.ADMIN)
def end_accreditation(accreditation_id: int):
    if ActionForm().validate_on_submit():
        accreditations.end(current_user, _association_id(), accreditation_id, today=signoff.today())
        db.session.commit()
        flash(_("Accreditation ended: from today this supervisor cannot sign."), "success")
    return redirect(url_for("logbook.accreditations_page"))
