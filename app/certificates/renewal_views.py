"""Renewal pages of the certificate blueprint: the admins' list of certificates due for renewal,
and the confirmation step and renewal of one (``renewal.py`` holds the rules)."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import policy
from app.accounts.models import Role
from app.auth import current_association, role_required
from app.certificates import issuing, records, renewal
from app.certificates.forms import RenewForm
from app.certificates.views import bp
from app.errors import DomainError
from app.extensions import db


@bp.get("/certificates/renewals")
@role_required(Role.ADMIN)
def renewals():
    """Holders whose certificate expires soon or expired within the grace period."""
    return render_template(
        "certificates/renewals.html",
        due=renewal.due_for_renewal(current_user, current_association().id),
        due_days=renewal.DUE_DAYS,
        grace_days=renewal.GRACE_DAYS,
    )


def _renewal_page(certificate, status: int = 200, form: RenewForm | None = None):
    today = dt.date.today()
    progress = renewal.renewal_for_admin(current_user, certificate.id, today)
    months = certificate.programme.validity_months
    return render_template(
        "certificates/renewal.html",
        certificate=certificate,
        progress=progress,
        refusal=renewal.refusal_for(certificate, progress, today),
        new_expires_on=issuing.add_months(today, months) if months else None,
        grace_ends_on=renewal.grace_ends_on(certificate),
        today=today,
        form=form or RenewForm(),
    ), status


@bp.get("/certificates/<int:certificate_id>/renewal")
@login_required
def renewal_page(certificate_id: int):
    """What a renewal would issue, with the renewal rules' outcomes: the confirmation step."""
    certificate = records.get_certificate(current_user, certificate_id)
    if not policy.can_manage_certificates(current_user, certificate.association_id):
        abort(403)
    return _renewal_page(certificate)


@bp.post("/certificates/<int:certificate_id>/renewal")
@login_required
def renew(certificate_id: int):
    certificate = records.get_certificate(current_user, certificate_id)
    if not policy.can_manage_certificates(current_user, certificate.association_id):
        abort(403)
    form = RenewForm()
    if not form.validate_on_submit():
        return _renewal_page(certificate, 422, form)
    try:
        new = renewal.renew(current_user, certificate_id)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return _renewal_page(records.get_certificate(current_user, certificate_id), error.status)
    db.session.commit()
    flash(_("Certificate renewed: %(serial)s replaces the old one.", serial=new.serial), "success")
    return redirect(url_for("certificates.detail", certificate_id=new.id))
