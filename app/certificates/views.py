"""Certificate pages: the admins' register and issuing, and the holder's copies.

The public pages (verification, credentials, issuers' keys) live in ``public_views.py``
and register on the same blueprint.
"""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from app import policy
from app.accounts.models import Role
from app.auth import current_association, member_required, role_required
from app.certificates import (
    batches,
    corrections,
    issuing,
    records,
    renewal,
    seal_keys,
    settings,
    sharing,
    suspension,
    verification,
)
from app.certificates.forms import (
    BatchForm,
    IssueForm,
    LiftSuspensionForm,
    PeriodForm,
    RegenerateForm,
    ReissueForm,
    RevokeForm,
    RotateSealForm,
    SettingsForm,
    SuspendForm,
    UndoBatchForm,
)
from app.certificates.verification import STATUS_LABELS
from app.errors import DomainError, ValidationError
from app.extensions import db
from app.forms_util import apply_errors
from app.programmes import services as programmes

bp = Blueprint("certificates", __name__, template_folder="templates")


def _association_id() -> int:
    return current_association().id


def _pdf(name: str, data) -> Response:
    return send_file(data, mimetype="application/pdf", as_attachment=True, download_name=name)


# -- the admins' register and issuing -------------------------------------------------------


@bp.get("/certificates/")
@role_required(Role.ADMIN)
def index():
    page = records.list_certificates(
        current_user,
        _association_id(),
        search=request.args.get("q", ""),
        status=request.args.get("status", ""),
        page=request.args.get("page", 1, type=int),
    )
    return render_template(
        "certificates/index.html",
        page=page,
        batches=records.list_batches(current_user, _association_id()),
        statuses=STATUS_LABELS,
        period_form=PeriodForm(request.args),
    )


def _ready_page(form: BatchForm | None = None, status: int = 200):
    association_id = _association_id()
    programme_list = programmes.list_programmes(current_user, association_id)
    programme_id = request.args.get("programme", type=int)
    rows = records.ready_list(current_user, association_id, programme_id=programme_id)
    form = form or BatchForm()
    form.enrolment_ids.choices = [SelectChoice(row.enrolment.id, row.enrolment.trainee.name) for row in rows]
    return render_template(
        "certificates/ready.html", rows=rows, form=form, programmes=programme_list, programme_id=programme_id
    ), status


@bp.get("/certificates/ready")
@role_required(Role.ADMIN)
def ready():
    return _ready_page()


def _chosen_batch() -> tuple[BatchForm, list | None, Response | None]:
    """The submitted choice and who it would certify; or the page to answer with instead."""
    form = BatchForm()
    form.enrolment_ids.validate_choice = False  # the service checks each id belongs here
    if not form.validate_on_submit():
        return form, None, _ready_page(form, 422)
    try:
        planned = batches.preview_batch(current_user, _association_id(), form.enrolment_ids.data)
    except DomainError as error:
        flash(error.message, "error")
        return form, None, _ready_page(form, error.status)
    return form, planned, None


@bp.post("/certificates/batches/preview")
@role_required(Role.ADMIN)
def preview_batch():
    form, planned, refused = _chosen_batch()
    if refused is not None:
        return refused
    return render_template("certificates/batch_preview.html", form=form, planned=planned)


@bp.post("/certificates/batches")
@role_required(Role.ADMIN)
def issue_batch():
    form, planned, refused = _chosen_batch()
    if refused is not None:
        return refused
    if form.confirmed.data != "y" or not form.confirm_final.data:  # nothing goes without the preview's tick
        if form.confirmed.data == "y":
            form.confirm_final.errors = [_("Tick the box to confirm: this cannot be undone.")]
            return render_template("certificates/batch_preview.html", form=form, planned=planned), 422
        return render_template("certificates/batch_preview.html", form=form, planned=planned)
    try:
        batch = issuing.issue_batch(current_user, _association_id(), form.enrolment_ids.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _ready_page(form, error.status)
    db.session.commit()
    flash(ngettext("%(num)d certificate issued.", "%(num)d certificates issued.", batch.size), "success")
    return redirect(url_for("certificates.batch", batch_id=batch.id))


@bp.get("/certificates/batches/<int:batch_id>")
@role_required(Role.ADMIN)
def batch(batch_id: int):
    return batch_page(batch_id)


def batch_page(batch_id: int, undo_form: UndoBatchForm | None = None, status: int = 200):
    batch, certificates = records.get_batch(current_user, batch_id)
    return render_template(
        "certificates/batch.html",
        batch=batch,
        certificates=certificates,
        can_undo=batches.can_undo(batch),
        undo_deadline=batches.undo_deadline(batch),
        undo_form=undo_form or UndoBatchForm(),
    ), status


@bp.get("/certificates/batches/<int:batch_id>/certificates.zip")
@role_required(Role.ADMIN)
def batch_zip(batch_id: int):
    name, data = records.batch_zip(current_user, batch_id)
    return send_file(data, mimetype="application/zip", as_attachment=True, download_name=name)


@bp.get("/certificates/batches/<int:batch_id>/certificates.pdf")
@role_required(Role.ADMIN)
def batch_pdf(batch_id: int):
    name, data = records.batch_pdf(current_user, batch_id)
    return _pdf(name, data)


@bp.route("/certificates/issue/<int:enrolment_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def issue(enrolment_id: int):
    progress = issuing.readiness(current_user, enrolment_id)
    form = IssueForm(holder_name=progress.enrolment.trainee.name) if request.method == "GET" else IssueForm()
    if form.validate_on_submit():
        try:
            certificate = issuing.issue(
                current_user,
                enrolment_id,
                override_reason=form.override_reason.data,
                holder_name=form.holder_name.data,
                privacy_confirmed=form.privacy_confirmed.data,
            )
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        except issuing.NotReady as error:
            apply_errors(form, error)
            flash(error.message, "error")
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Certificate %(serial)s issued.", serial=certificate.serial), "success")
            return redirect(url_for("certificates.detail", certificate_id=certificate.id))
    status = 422 if request.method == "POST" else 200
    return render_template("certificates/issue.html", progress=progress, form=form), status


# -- one certificate: holder and admins -----------------------------------------------------


def _detail_page(
    certificate,
    *,
    revoke_form=None,
    reissue_form=None,
    regenerate_form=None,
    suspend_form=None,
    lift_form=None,
    status: int = 200,
):
    can_manage = policy.can_manage_certificates(current_user, certificate.association_id)
    return render_template(
        "certificates/detail.html",
        certificate=certificate,
        record=verification.public_record(certificate),
        pdf_sha256=records.current_pdf_sha256(certificate),
        can_manage=can_manage,
        revoke_form=revoke_form or RevokeForm(prefix="revoke"),
        reissue_form=reissue_form or ReissueForm(prefix="reissue", holder_name=certificate.holder_name),
        regenerate_form=regenerate_form or RegenerateForm(prefix="regenerate"),
        suspend_form=suspend_form or SuspendForm(prefix="suspend"),
        lift_form=lift_form or LiftSuspensionForm(prefix="lift"),
        statuses=STATUS_LABELS,
        sharing=sharing,
        is_holder=certificate.holder_id == current_user.id,
    ), status


@bp.get("/certificates/<int:certificate_id>")
@login_required
def detail(certificate_id: int):
    return _detail_page(records.get_certificate(current_user, certificate_id))


@bp.get("/certificates/<int:certificate_id>/certificate.pdf")
@login_required
def download(certificate_id: int):
    name, pdf = records.certificate_pdf(current_user, certificate_id)
    db.session.commit()  # a certificate from before stored documents has its PDF stored now
    return Response(
        pdf, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.post("/certificates/<int:certificate_id>/revoke")
@login_required
def revoke(certificate_id: int):
    certificate = records.get_certificate(current_user, certificate_id)
    if not policy.can_manage_certificates(current_user, certificate.association_id):
        abort(403)
    form = RevokeForm(prefix="revoke")
    if form.validate_on_submit():
        try:
            corrections.revoke(
                current_user,
                certificate_id,
                reason=form.reason.data,
                privacy_confirmed=form.privacy_confirmed.data,
            )
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Certificate %(serial)s is revoked.", serial=certificate.serial), "success")
            return redirect(url_for("certificates.detail", certificate_id=certificate_id))
    return _detail_page(certificate, revoke_form=form, status=422)


def _change_standing(certificate_id: int, name: str, form: FlaskForm, change, done: str):
    """Suspend or lift from the detail page: apply ``change(form)``, or show the page again.

    A refusal of the form's content (the privacy guard) shows the form with its errors;
    a refusal of the change itself (already suspended, no longer suspended) is a message
    on the page as it now stands.
    """
    certificate = records.get_certificate(current_user, certificate_id)
    if not policy.can_manage_certificates(current_user, certificate.association_id):
        abort(403)
    if form.validate_on_submit():
        try:
            change(form)
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for("certificates.detail", certificate_id=certificate_id))
        else:
            db.session.commit()
            flash(done % {"serial": certificate.serial}, "success")
            return redirect(url_for("certificates.detail", certificate_id=certificate_id))
    return _detail_page(certificate, **{f"{name}_form": form}, status=422)


@bp.post("/certificates/<int:certificate_id>/suspend")
@login_required
def suspend(certificate_id: int):
    return _change_standing(
        certificate_id,
        "suspend",
        SuspendForm(prefix="suspend"),
        lambda form: suspension.suspend(
            current_user,
            certificate_id,
            reason=form.reason.data,
            privacy_confirmed=form.privacy_confirmed.data,
        ),
        _("Certificate %(serial)s is suspended."),
    )


@bp.post("/certificates/<int:certificate_id>/lift-suspension")
@login_required
def lift_suspension(certificate_id: int):
    return _change_standing(
        certificate_id,
        "lift",
        LiftSuspensionForm(prefix="lift"),
        lambda form: suspension.lift(
            current_user, certificate_id, note=form.note.data, privacy_confirmed=form.privacy_confirmed.data
        ),
        _("The suspension of %(serial)s is lifted."),
    )


@bp.post("/certificates/<int:certificate_id>/reissue")
@login_required
def reissue(certificate_id: int):
    certificate = records.get_certificate(current_user, certificate_id)
    if not policy.can_manage_certificates(current_user, certificate.association_id):
        abort(403)
    form = ReissueForm(prefix="reissue")
    if form.validate_on_submit():
        try:
            new = corrections.reissue(
                current_user,
                certificate_id,
                reason=form.reason.data,
                holder_name=form.holder_name.data,
                privacy_confirmed=form.privacy_confirmed.data,
            )
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Certificate %(serial)s issued in place of the old one.", serial=new.serial), "success")
            return redirect(url_for("certificates.detail", certificate_id=new.id))
    return _detail_page(certificate, reissue_form=form, status=422)


@bp.post("/certificates/<int:certificate_id>/regenerate")
@login_required
def regenerate(certificate_id: int):
    certificate = records.get_certificate(current_user, certificate_id)
    if not policy.can_manage_certificates(current_user, certificate.association_id):
        abort(403)
    form = RegenerateForm(prefix="regenerate")
    if form.validate_on_submit():
        try:
            stored = corrections.regenerate(current_user, certificate_id, reason=form.reason.data)
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _("The PDF was regenerated: version %(n)d is now the one downloaded.", n=stored.version),
                "success",
            )
            return redirect(url_for("certificates.detail", certificate_id=certificate_id))
    return _detail_page(certificate, regenerate_form=form, status=422)


@bp.get("/certificates/mine")
@member_required
def mine():
    certificates = records.holder_certificates(current_user, _association_id())
    return render_template(
        "certificates/mine.html",
        certificates=certificates,
        renewals=renewal.holder_progress(current_user, certificates),
        statuses=STATUS_LABELS,
        sharing=sharing,
    )


@bp.route("/certificates/settings", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def settings_page():
    association = settings.get_association(current_user, _association_id())
    if request.method == "GET":
        form = SettingsForm(obj=association, page_size=association.certificate_page_size)
    else:
        form = SettingsForm()
    if form.validate_on_submit():
        upload = form.logo.data
        try:
            settings.update_settings(
                current_user,
                association.id,
                signatory_name=form.signatory_name.data,
                signatory_role=form.signatory_role.data,
                serial_prefix=form.serial_prefix.data,
                page_size=form.page_size.data,
                logo=upload.read() if upload else None,
                remove_logo=form.remove_logo.data,
                linkedin_organization_id=form.linkedin_organization_id.data or "",
            )
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Certificate settings saved. They apply to certificates issued from now on."), "success")
            return redirect(url_for("certificates.settings_page"))
    status = 422 if request.method == "POST" else 200
    return _settings_page(association, form, RotateSealForm(prefix="seal"), status)


def _settings_page(association, form: SettingsForm, seal_form: RotateSealForm, status: int):
    return render_template(
        "certificates/settings.html",
        form=form,
        seal_form=seal_form,
        association=association,
        seal_keys=seal_keys.keys_of(current_user, association.id),
    ), status


@bp.post("/certificates/settings/seal")
@role_required(Role.ADMIN)
def rotate_seal():
    association = settings.get_association(current_user, _association_id())
    seal_form = RotateSealForm(prefix="seal")
    if not seal_form.validate_on_submit():
        form = SettingsForm(obj=association, page_size=association.certificate_page_size)
        return _settings_page(association, form, seal_form, 422)
    key = seal_keys.rotate(current_user, association.id)
    db.session.commit()
    flash(
        _(
            "New seal key made (fingerprint %(fingerprint)s). The old one is retired.",
            fingerprint=key.fingerprint_colons,
        ),
        "success",
    )
    return redirect(url_for("certificates.settings_page"))


@bp.get("/certificates/settings/sample.pdf")
@role_required(Role.ADMIN)
def sample():
    return Response(
        settings.sample_pdf(current_user, _association_id()),
        mimetype="application/pdf",
        headers={"Content-Disposition": 'inline; filename="certificate-sample.pdf"'},
    )


@bp.app_context_processor
def certificate_helpers() -> dict:
    """Lazy helpers for the home page: computed only when a template calls them."""

    def my_certificates():
        """Once per request, however many blocks of the home ask (the certificates block and
        the progress block's "certified")."""
        association = current_association()
        if association is None or not current_user.is_authenticated:
            return []
        if "_my_certificates" not in g:
            g._my_certificates = records.holder_certificates(current_user, association.id)
        return g._my_certificates

    def certificate_status(certificate) -> str:
        return certificate.status_on(dt.date.today()).value

    def my_renewal(certificate):
        """The holder's renewal progress for one of their certificates (None without one)."""
        return renewal.holder_progress(current_user, [certificate]).get(certificate.id)

    return {
        "my_certificates": my_certificates,
        "my_renewal": my_renewal,
        "certificate_status": certificate_status,
        "certificate_statuses": STATUS_LABELS,
    }


# Routes registered on ``bp`` by their own modules: /verify, /credentials and /issuers;
# undoing batches and period downloads; the credential for wallets.
from app.certificates import batch_views, public_views, sharing_views  # noqa: E402,F401
