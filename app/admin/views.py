"""The association admin's pages. Each view parses input, calls one service, commits."""

from __future__ import annotations

import datetime as dt
import io
import tempfile

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wsgi import wrap_file
from wtforms import SelectChoice

from app import csv_safe, policy
from app.accounts import services as accounts
from app.accounts.models import Role
from app.admin.forms import (
    ConfirmForm,
    EnrolForm,
    InviteForm,
    ProgrammeForm,
    RoleForm,
    RuleSetForm,
    SupervisorsForm,
    ValidityForm,
)
from app.audit import services as audit
from app.audit import words
from app.auth import current_association, role_required
from app.errors import DomainError, InvalidState, ValidationError
from app.extensions import db
from app.forms_util import apply_errors
from app.groups import participant_rule_sets
from app.mail import services as mail
from app.programmes import presets, renewal_rules, rule_sets
from app.programmes import services as programmes
from app.programmes.models import ENROLMENT_STATUS_VALUES

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.before_request
@role_required(Role.ADMIN)
def require_admin():
    """Every page here is for the current association's admins only."""


def _association_id() -> int:
    return current_association().id


def _page() -> int:
    return request.args.get("page", 1, type=int)


def _invite_choices(form: InviteForm) -> InviteForm:
    association_id = _association_id()
    form.programme_id.choices = [SelectChoice(0, _("No programme"))] + [
        SelectChoice(p.id, p.title) for p in programmes.list_programmes(current_user, association_id)
    ]
    form.supervisor_ids.choices = [
        SelectChoice(u.id, u.name)
        for u in programmes.people_with_role(current_user, association_id, Role.SUPERVISOR)
    ]
    return form


def _members_page(invite_form: InviteForm, status: int = 200):
    page, roles = accounts.list_members(
        current_user,
        _association_id(),
        search=request.args.get("q", ""),
        role=request.args.get("role", ""),
        page=_page(),
    )
    return render_template(
        "admin/members.html",
        page=page,
        roles=roles,
        invite_form=invite_form,
        confirm_form=ConfirmForm(),
        invitations=accounts.list_pending_invitations(current_user, _association_id()),
    ), status


@bp.get("/members")
def members():
    return _members_page(_invite_choices(InviteForm(prefix="invite")))


@bp.post("/invitations")
def invite():
    form = _invite_choices(InviteForm(prefix="invite"))
    if form.validate_on_submit():
        try:
            accounts.invite(
                current_user,
                _association_id(),
                form.email.data,
                form.role.data,
                programme_id=form.programme_id.data or None,
                supervisor_ids=form.supervisor_ids.data or [],
            )
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("admin.members"))
    return _members_page(form, status=422)


@bp.post("/invitations/<int:invitation_id>/resend")
def resend_invitation(invitation_id: int):
    if ConfirmForm().validate_on_submit():
        try:
            invitation = accounts.resend_invitation(current_user, _association_id(), invitation_id)
        except InvalidState as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "Invitation sent again to %(email)s; the earlier link no longer works.",
                    email=invitation.email,
                ),
                "success",
            )
    return redirect(url_for("admin.members"))


@bp.post("/invitations/<int:invitation_id>/revoke")
def revoke_invitation(invitation_id: int):
    if ConfirmForm().validate_on_submit():
        try:
            invitation = accounts.revoke_invitation(current_user, _association_id(), invitation_id)
        except InvalidState as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                _("Invitation to %(email)s revoked: its link no longer works.", email=invitation.email),
                "success",
            )
    return redirect(url_for("admin.members"))


@bp.get("/members/<int:user_id>")
def member(user_id: int):
    user = accounts.get_member(current_user, _association_id(), user_id)
    held = sorted(policy.roles_in(user, _association_id()))
    return render_template(
        "admin/member.html",
        member=user,
        held=held,
        grant_form=RoleForm(prefix="grant"),
        confirm_form=ConfirmForm(),
    )


@bp.post("/members/<int:user_id>/roles")
def grant_role(user_id: int):
    form = RoleForm(prefix="grant")
    if form.validate_on_submit():
        accounts.grant_role(current_user, _association_id(), user_id, form.role.data)
        db.session.commit()
        flash(_("Role added."), "success")
    return redirect(url_for("admin.member", user_id=user_id))


@bp.post("/members/<int:user_id>/roles/<role>/revoke")
def revoke_role(user_id: int, role: str):
    if ConfirmForm().validate_on_submit():
        accounts.revoke_role(current_user, _association_id(), user_id, role)
        db.session.commit()
        flash(_("Role removed."), "success")
    return redirect(url_for("admin.member", user_id=user_id))


@bp.post("/members/<int:user_id>/disable")
def disable_member(user_id: int):
    if ConfirmForm().validate_on_submit():
        accounts.disable_member(current_user, _association_id(), user_id)
        db.session.commit()
        flash(_("The member is disabled and has been logged out everywhere."), "success")
    return redirect(url_for("admin.members"))


@bp.get("/programmes")
def programme_list():
    return render_template(
        "admin/programmes.html",
        programmes=programmes.list_programmes(current_user, _association_id()),
    )


@bp.route("/programmes/new", methods=["GET", "POST"])
def programme_new():
    form = ProgrammeForm()
    form.preset.choices = [SelectChoice("", _("None"))] + [
        SelectChoice(name) for name in presets.preset_paths() if name not in participant_rule_sets.offered()
    ]
    if form.validate_on_submit():
        source = form.rule_set.data or presets.read_preset(form.preset.data) or ""
        try:
            programme = programmes.create_programme(
                current_user,
                _association_id(),
                slug=form.slug.data,
                title=form.title.data,
                description=form.description.data or "",
                validity_months=form.validity_months.data,
                module_pass_mark=form.module_pass_mark.data or 80,
                rule_set_source=source,
            )
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Programme created."), "success")
            return redirect(url_for("admin.programme_detail", programme_id=programme.id))
    return render_template("admin/programme_new.html", form=form)


@bp.route("/programmes/<int:programme_id>", methods=["GET", "POST"])
def programme_detail(programme_id: int):
    programme = programmes.get_programme(current_user, _association_id(), programme_id)
    form = RuleSetForm()
    if request.method == "GET" and programme.current_rule_set:
        form.rule_set.data = programme.current_rule_set.source_yaml
    if form.validate_on_submit():
        try:
            rule_set = programmes.add_rule_set_version(
                current_user, _association_id(), programme_id, form.rule_set.data
            )
        except DomainError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Saved as version %(v)d.", v=rule_set.version), "success")
            return redirect(url_for("admin.programme_detail", programme_id=programme_id))
    return _programme_page(programme, form=form)


def _programme_page(programme, *, form=None, validity_form=None, status: int = 200):
    return render_template(
        "admin/programme_detail.html",
        programme=programme,
        form=form or RuleSetForm(formdata=None, rule_set=_current_source(programme)),
        validity_form=validity_form
        or ValidityForm(formdata=None, prefix="validity", validity_months=programme.validity_months),
        renewal_name=renewal_rules.name_for(programme),
        requirement_rows=rule_sets.requirement_rows(_current_source(programme)),
    ), status


def _current_source(programme) -> str:
    return programme.current_rule_set.source_yaml if programme.current_rule_set else ""


@bp.post("/programmes/<int:programme_id>/validity")
def programme_validity(programme_id: int):
    """How long the programme's certificates are valid."""
    programme = programmes.get_programme(current_user, _association_id(), programme_id)
    form = ValidityForm(prefix="validity")
    if form.validate_on_submit():
        try:
            programmes.set_certificate_validity(
                current_user, _association_id(), programme_id, form.validity_months.data
            )
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Certificate validity saved."), "success")
            return redirect(url_for("admin.programme_detail", programme_id=programme_id))
    return _programme_page(programme, validity_form=form, status=422)


@bp.get("/enrolments")
def enrolments():
    return render_template(
        "admin/enrolments.html",
        page=programmes.list_enrolments(
            current_user,
            _association_id(),
            search=request.args.get("q", ""),
            programme_id=request.args.get("programme", type=int),
            status=request.args.get("status", ""),
            page=_page(),
        ),
        programmes=programmes.list_programmes(current_user, _association_id()),
        statuses=ENROLMENT_STATUS_VALUES,
    )


def _enrol_choices(form) -> None:
    association_id = _association_id()
    if hasattr(form, "trainee_id"):
        form.trainee_id.choices = [
            SelectChoice(u.id, f"{u.name} <{u.email}>")
            for u in programmes.people_with_role(current_user, association_id, Role.TRAINEE)
        ]
        form.programme_id.choices = [
            SelectChoice(p.id, p.title) for p in programmes.list_programmes(current_user, association_id)
        ]
    form.supervisor_ids.choices = [
        SelectChoice(u.id, u.name)
        for u in programmes.people_with_role(current_user, association_id, Role.SUPERVISOR)
    ]


@bp.route("/enrolments/new", methods=["GET", "POST"])
def enrolment_new():
    form = EnrolForm()
    _enrol_choices(form)
    if request.method == "GET" and request.args.get("trainee", type=int):
        form.trainee_id.data = request.args.get("trainee", type=int)
    if form.validate_on_submit():
        try:
            enrolment = programmes.enrol(
                current_user,
                _association_id(),
                trainee_id=form.trainee_id.data,
                programme_id=form.programme_id.data,
                supervisor_ids=form.supervisor_ids.data,
                started_on=form.started_on.data,
            )
        except DomainError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Enrolled."), "success")
            return redirect(url_for("admin.enrolment_detail", enrolment_id=enrolment.id))
    return render_template("admin/enrolment_new.html", form=form)


@bp.route("/enrolments/<int:enrolment_id>", methods=["GET", "POST"])
def enrolment_detail(enrolment_id: int):
    enrolment = programmes.get_enrolment(current_user, enrolment_id)
    if enrolment.association_id != _association_id():
        abort(404)
    form = SupervisorsForm()
    _enrol_choices(form)
    if request.method == "GET":
        form.supervisor_ids.data = [s.id for s in enrolment.supervisors]
    if form.validate_on_submit():
        try:
            programmes.set_supervisors(current_user, enrolment_id, form.supervisor_ids.data)
        except DomainError as error:
            apply_errors(form, error) or flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Supervisors saved."), "success")
            return redirect(url_for("admin.enrolment_detail", enrolment_id=enrolment_id))
    return render_template("admin/enrolment_detail.html", enrolment=enrolment, form=form)


@bp.get("/outbox")
def outbox():
    return render_template(
        "admin/outbox.html",
        page=mail.list_outbox(
            current_user, _association_id(), page=_page(), search=request.args.get("q", "")
        ),
        shown_body=mail.shown_body,
    )


@bp.get("/outbox/dead")
def dead_letters():
    return render_template(
        "admin/dead_letters.html", page=mail.list_dead_letters(current_user, _association_id(), page=_page())
    )


def _day(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _audit_filters() -> dict:
    return {
        "action": request.args.get("kind", ""),
        "actor_id": request.args.get("person", type=int),
        "start": _day("from"),
        "end": _day("to"),
    }


@bp.get("/audit")
def audit_trail():
    page = audit.list_events(current_user, _association_id(), page=_page(), **_audit_filters())
    return render_template(
        "admin/audit.html",
        page=page,
        described=words.describe(page.items),
        people=audit.actors(current_user, _association_id()),
        kinds=[(kind, words.kind_label(kind)) for kind in words.kinds()],
    )


CSV_SPOOL = 1024 * 1024


@bp.get("/audit.csv")
def audit_csv():
    """The filtered trail as CSV, a chunk of events at a time into a spooled file (memory
    up to ``CSV_SPOOL`` bytes, then disk), sent from that file in blocks: neither the
    events nor the text are held whole (as the cohort's CSV)."""
    body = tempfile.SpooledTemporaryFile(max_size=CSV_SPOOL, mode="w+b")  # noqa: SIM115  (closed by the response)
    out = io.StringIO()
    writer = csv_safe.writer(out)
    writer.writerow(["when_utc", "who", "what", "kind", "object_type", "object_id"])
    for chunk in audit.iter_events(current_user, _association_id(), **_audit_filters()):
        for item in words.describe(chunk):
            event = item.event
            writer.writerow(
                [
                    event.created_at.isoformat(),
                    event.actor.name if event.actor else "",
                    item.sentence,
                    event.action,
                    event.object_type,
                    event.object_id or "",
                ]
            )
        body.write(out.getvalue().encode())
        out.seek(0)
        out.truncate()
    body.write(out.getvalue().encode())
    body.seek(0)
    return Response(
        wrap_file(request.environ, body),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=audit-trail.csv"},
        direct_passthrough=True,
    )


# Routes registered on ``bp`` by their own modules: the lists behind the dashboard.
from app.admin import dashboard_views  # noqa: E402,F401
