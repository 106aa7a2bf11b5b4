"""Pages of the logbook: a trainee's logbook, record forms, the record page and exports.

Sign-off pages (queue, sign, return, reopen, confirm, accreditations) are in
``signoff_views.py`` and register on the same blueprint.
"""

from __future__ import annotations

import io

from flask import Blueprint, Response, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import SelectChoice

from app import policy
from app.accounts.models import Role
from app.audit.models import AuditEvent
from app.auth import current_association, member_required, role_required
from app.errors import ValidationError
from app.extensions import db
from app.forms_util import apply_errors
from app.jobs import kinds
from app.logbook import access, exports, labels, records, signoff, summary, uploads
from app.logbook.forms import (
    ActionForm,
    EventForm,
    FinalActionForm,
    ObservationForm,
    ReopenForm,
    ReturnForm,
    SessionForm,
    SupervisionForm,
)
from app.logbook.models import LogbookRecord, Observation, SessionRecord, SupervisionRecord, TrainingEvent
from app.programmes import services as programmes
from app.programmes.models import Enrolment

bp = Blueprint("logbook", __name__, url_prefix="/logbook", template_folder="templates")

FORMS = {
    SessionRecord: SessionForm,
    SupervisionRecord: SupervisionForm,
    TrainingEvent: EventForm,
    Observation: ObservationForm,
}
HEADINGS = {
    SessionRecord: (_l("Log a group session"), _l("Edit group session")),
    SupervisionRecord: (_l("Log supervision received"), _l("Edit supervision")),
    TrainingEvent: (_l("Add a training event"), _l("Edit training event")),
    Observation: (_l("Record an observation"), _l("Edit observation")),
}


@bp.record_once
def _configure(state) -> None:
    """Template helpers for labels (upload limits live in ``app.config``)."""
    labels.register(state.app)


@bp.app_context_processor
def logbook_counts() -> dict[str, object]:
    """Lazy counts for the home page blocks: each costs one query, and only when shown."""

    def association_id() -> int | None:
        association = current_association() if current_user.is_authenticated else None
        return association.id if association else None

    return {
        "logbook_status_counts": lambda: summary.status_counts(current_user, association_id()),
        "logbook_queue_count": lambda: signoff.queue_count(current_user, association_id()),
        "logbook_confirmations": lambda: signoff.awaiting_confirmation(current_user, association_id()),
    }


def _association_id() -> int:
    return current_association().id


def _page() -> int:
    return request.args.get("page", 1, type=int)


@bp.get("/")
@member_required
def index():
    """Trainees go straight to their logbook; supervisors and admins choose one."""
    association_id = _association_id()
    roles = policy.roles_in(current_user, association_id)
    if roles == {Role.TRAINEE}:
        own = programmes.enrolments_of_trainee(current_user, association_id)
        if own:
            return redirect(url_for("logbook.enrolment_logbook", enrolment_id=own[0].id))
    page = summary.viewable_enrolments(current_user, association_id, page=_page())
    return render_template("logbook/index.html", page=page)


@bp.get("/enrolments/<int:enrolment_id>")
@member_required
def enrolment_logbook(enrolment_id: int):
    enrolment = access.get_enrolment(current_user, _association_id(), enrolment_id)
    filters = summary.Filters.parse(
        request.args.get("kind", ""),
        request.args.get("status", ""),
        request.args.get("from", ""),
        request.args.get("to", ""),
    )
    return render_template(
        "logbook/logbook.html",
        enrolment=enrolment,
        totals=summary.totals(enrolment),
        page=summary.list_records(enrolment, filters, page=_page()),
        filters=filters,
        is_own=enrolment.trainee_id == current_user.id,
    )


def _fill_choices(form, enrolment: Enrolment | None) -> None:
    if isinstance(form, SessionForm):
        people = records.co_leader_candidates(current_user, _association_id())
        form.co_leader_id.choices = [SelectChoice("", _("— nobody, or not in Stillpoint —"))] + [
            SelectChoice(user.id, user.name) for user in people
        ]
    elif isinstance(form, SupervisionForm) and enrolment is not None:
        form.supervisor_id.choices = [SelectChoice(s.id, s.name) for s in enrolment.supervisors]
    elif isinstance(form, EventForm):
        form.certificate.description = _(
            "A PDF, PNG or JPEG file of up to %(size)s.", size=uploads.megabytes(uploads.max_bytes())
        )
    elif isinstance(form, ObservationForm) and form.enrolment_id is not None:
        # Editing removes the field (``del form.enrolment_id`` leaves it None): the
        # observed trainee is fixed once the draft exists.
        enrolments = summary.observable_enrolments(current_user, _association_id())
        form.enrolment_id.choices = [SelectChoice("", _("Choose a trainee"))] + [
            SelectChoice(e.id, f"{e.trainee.name} — {e.programme.title}") for e in enrolments
        ]


#: Choices a link may preselect on a new record's form (the progress page's "log a session
#: as co-leader" links, built by ``app.requirements.guidance``).
PREFILLABLE = ("role", "mode", "group_kind", "setting_category", "channel", "event_kind")


def _prefill(form) -> None:
    for name in PREFILLABLE:
        value = request.args.get(name)
        if value and name in form and value in {str(choice.value) for choice in form[name].choices}:
            form[name].data = value


def _upload(form) -> uploads.Upload | None:
    storage = getattr(form, "certificate", None) and form.certificate.data
    if not storage or not getattr(storage, "filename", ""):
        return None
    return uploads.Upload(filename=storage.filename, data=storage.read(uploads.max_bytes() + 1))


def _render_form(form, record_type, *, enrolment, record=None, status=200):
    heading = HEADINGS[record_type][0 if record is None else 1]
    return (
        render_template(
            "logbook/record_form.html",
            form=form,
            record_type=record_type.__name__,
            heading=heading,
            enrolment=enrolment,
            record=record,
        ),
        status,
    )


def _new(record_type, enrolment_id: int | None):
    association_id = _association_id()
    if record_type is Observation:
        enrolment = None
    else:
        enrolment = records.trainee_enrolment(current_user, association_id, enrolment_id)
    form = FORMS[record_type]()
    _fill_choices(form, enrolment)
    if request.method == "GET" and record_type is Observation:
        form.enrolment_id.data = request.args.get("enrolment", type=int)
    elif request.method == "GET":
        _prefill(form)
    if form.validate_on_submit():
        try:
            record = records.create_record(
                current_user,
                association_id,
                form.enrolment_id.data if record_type is Observation else enrolment_id,
                form.to_input(),
                privacy_confirmed=bool(form.privacy_confirmed.data),
                submit=form.wants_submit,
                certificate=_upload(form),
            )
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Submitted for signature.") if form.wants_submit else _("Saved as a draft."), "success")
            return redirect(url_for("logbook.record", record_id=record.id))
    return _render_form(form, record_type, enrolment=enrolment)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error):
    """A body over MAX_CONTENT_LENGTH cannot be read at all: show the event form again, empty,
    with the reason beside the file field (Flask raises before the view, in the CSRF check)."""
    association_id = _association_id() if current_user.is_authenticated and current_association() else None
    args = request.view_args or {}
    if association_id and request.endpoint == "logbook.new_event":
        enrolment = records.trainee_enrolment(current_user, association_id, args["enrolment_id"])
        form, record = EventForm(formdata=None), None
    elif association_id and request.endpoint == "logbook.edit_record":
        record = records.editable_record(current_user, association_id, args["record_id"])
        enrolment = record.enrolment
        form = EventForm(formdata=None, obj=record) if isinstance(record, TrainingEvent) else None
    else:
        form = None
    if form is None:
        return render_template(
            "errors/error.html", status=413, title=_("Too large"), message=uploads.too_large_message()
        ), 413
    form.certificate.errors = [uploads.too_large_message()]
    return _render_form(form, TrainingEvent, enrolment=enrolment, record=record, status=413)


@bp.route("/enrolments/<int:enrolment_id>/sessions/new", methods=["GET", "POST"])
@role_required(Role.TRAINEE)
def new_session(enrolment_id: int):
    return _new(SessionRecord, enrolment_id)


@bp.route("/enrolments/<int:enrolment_id>/supervision/new", methods=["GET", "POST"])
@role_required(Role.TRAINEE)
def new_supervision(enrolment_id: int):
    return _new(SupervisionRecord, enrolment_id)


@bp.route("/enrolments/<int:enrolment_id>/events/new", methods=["GET", "POST"])
@role_required(Role.TRAINEE)
def new_event(enrolment_id: int):
    return _new(TrainingEvent, enrolment_id)


@bp.route("/observations/new", methods=["GET", "POST"])
@role_required(Role.SUPERVISOR)
def new_observation():
    return _new(Observation, None)


def _history(record: LogbookRecord) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.association_id == record.association_id,
                AuditEvent.object_type == type(record).__name__,
                AuditEvent.object_id == str(record.id),
                AuditEvent.action.like("logbook.%") | AuditEvent.action.like("attachments.%"),
            )
            .options(selectinload(AuditEvent.actor))
            .order_by(AuditEvent.created_at, AuditEvent.id)
            .limit(50)
        )
    )


def render_record(
    record: LogbookRecord, *, return_form=None, reopen_form=None, final_form=None, status: int = 200
):
    """The record page; sign-off views re-render it with their form's errors."""
    can_sign = policy.can_sign_record(current_user, record)
    return (
        render_template(
            "logbook/record.html",
            record=record,
            action_form=ActionForm(),
            final_form=final_form or FinalActionForm(),
            return_form=return_form or ReturnForm(),
            reopen_form=reopen_form or ReopenForm(),
            can_sign=can_sign,
            is_accredited_today=can_sign
            and signoff.accreditations.is_accredited_on(
                current_user.id, record.association_id, signoff.today()
            ),
            history=_history(record),
        ),
        status,
    )


@bp.get("/records/<int:record_id>")
@member_required
def record(record_id: int):
    return render_record(access.get_record(current_user, _association_id(), record_id))


@bp.route("/records/<int:record_id>/edit", methods=["GET", "POST"])
@member_required
def edit_record(record_id: int):
    association_id = _association_id()
    existing = records.editable_record(current_user, association_id, record_id)
    record_type = type(existing)
    form = FORMS[record_type](obj=existing)
    if isinstance(form, ObservationForm):
        del form.enrolment_id
    _fill_choices(form, existing.enrolment)
    if form.validate_on_submit():
        try:
            records.update_record(
                current_user,
                association_id,
                record_id,
                form.to_input(),
                privacy_confirmed=bool(form.privacy_confirmed.data),
                submit=form.wants_submit,
                certificate=_upload(form),
                remove_certificate=bool(
                    getattr(form, "remove_certificate", None) and form.remove_certificate.data
                ),
            )
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Submitted for signature.") if form.wants_submit else _("Changes saved."), "success")
            return redirect(url_for("logbook.record", record_id=record_id))
    return _render_form(form, record_type, enrolment=existing.enrolment, record=existing)


@bp.post("/records/<int:record_id>/submit")
@member_required
def submit(record_id: int):
    form = FinalActionForm()
    if not form.validate_on_submit():
        record = access.get_record(current_user, _association_id(), record_id)
        return render_record(record, final_form=form, status=422)
    records.submit_record(current_user, _association_id(), record_id)
    db.session.commit()
    flash(_("Submitted for signature."), "success")
    return redirect(url_for("logbook.record", record_id=record_id))


@bp.post("/records/<int:record_id>/delete")
@member_required
def delete(record_id: int):
    record = access.get_record(current_user, _association_id(), record_id)
    enrolment_id = record.enrolment_id
    if not ActionForm().validate_on_submit():
        return redirect(url_for("logbook.record", record_id=record_id))
    records.delete_record(current_user, _association_id(), record_id)
    db.session.commit()
    flash(_("The draft is deleted."), "success")
    return redirect(url_for("logbook.enrolment_logbook", enrolment_id=enrolment_id))


@bp.get("/records/<int:record_id>/certificate")
@member_required
def certificate(record_id: int):
    event, data = records.certificate_of(current_user, _association_id(), record_id)
    response = send_file(
        io.BytesIO(data),
        mimetype=event.certificate_type,
        as_attachment=True,
        download_name=event.certificate_name or event.certificate_key,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/enrolments/<int:enrolment_id>/export.csv")
@member_required
def export_csv(enrolment_id: int):
    name, text = exports.logbook_csv(current_user, _association_id(), enrolment_id)
    return Response(
        "\ufeff" + text,  # a byte-order mark, so spreadsheet programs read UTF-8 names correctly
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/enrolments/<int:enrolment_id>/export.pdf", methods=["GET", "POST"])
@member_required
def export_pdf(enrolment_id: int):
    """The printable logbook takes seconds to lay out, so it is prepared as a job.

    GET (an old link) shows the button; POST starts the job and opens its progress page.
    """
    form = ActionForm()
    if form.validate_on_submit():
        job = kinds.start_logbook_pdf(current_user, _association_id(), enrolment_id)
        db.session.commit()
        return redirect(url_for("jobs.detail", job_id=job.id))
    enrolment = access.get_enrolment(current_user, _association_id(), enrolment_id)
    return render_template("logbook/export_pdf.html", enrolment=enrolment, form=form)


from app.logbook import signoff_views  # noqa: E402,F401  (registers the sign-off routes on bp)
