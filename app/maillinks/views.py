"""The e-mailed link's page (no login) and the senders' and admins' list of open links."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import current_association, member_required
from app.errors import ValidationError
from app.extensions import db
from app.forms_util import apply_errors
from app.maillinks import services
from app.maillinks.forms import MailLinkForm, RevokeForm
from app.maillinks.models import LinkPurpose
from app.vignettes.content import library

bp = Blueprint("maillinks", __name__, template_folder="templates")


@bp.after_request
def _not_kept(response):
    """The link's pages carry a token in their address: no cache keeps them."""
    if request.endpoint in ("maillinks.open", "maillinks.act"):
        response.headers["Cache-Control"] = "no-store"
    return response


def _render(opened: services.OpenedLink, form: MailLinkForm, status: int = 200):
    vignette = None
    if opened.link.purpose == LinkPurpose.REVIEW_REFLECTION:
        vignette = library().get(opened.item.vignette_slug)
    page = render_template(
        "maillinks/item.html", opened=opened, link=opened.link, item=opened.item, vignette=vignette, form=form
    )
    return page, status


@bp.get("/m/<token>")
def open(token: str):  # noqa: A001  (the endpoint reads maillinks.open)
    opened = services.open_link(token)
    if opened.requires_login:
        endpoint, values = services.login_target(opened.link)
        target = url_for(endpoint, **values)
        if current_user.is_authenticated and current_user.id == opened.link.user_id:
            return redirect(target)
        flash(
            _("Your association asks you to log in for sign-off. After logging in you go straight to it."),
            "info",
        )
        return redirect(url_for("accounts.login", next=target))
    return _render(opened, MailLinkForm())


#: What a link does for good; returning a record or asking for a revision is not final.
FINAL_ACTIONS = frozenset({"sign", "accept", "confirm"})


@bp.post("/m/<token>")
def act(token: str):
    form = MailLinkForm()
    if not form.validate_on_submit():
        return _render(services.open_link(token), form, 400)
    action = request.form.get("final_action") or request.form.get("action", "")
    if action in FINAL_ACTIONS and not form.confirm_final.data:
        form.confirm_final.errors = [_("Tick the box to confirm: this cannot be undone.")]
        return _render(services.open_link(token), form, 422)
    try:
        result = services.act(
            token,
            action,
            comment=form.comment.data or "",
            privacy_confirmed=bool(form.privacy_confirmed.data),
        )
    except ValidationError as error:
        db.session.rollback()  # the link was not spent: the corrected form may use it
        apply_errors(form, error) or flash(error.message, "error")
        return _render(services.open_link(token), form, 422)
    db.session.commit()
    return render_template("maillinks/done.html", action=action, item=result)


@bp.get("/mail-links")
@member_required
def index():
    page = services.list_open(
        current_user, current_association().id, page=request.args.get("page", 1, type=int)
    )
    return render_template("maillinks/index.html", page=page, form=RevokeForm())


@bp.post("/mail-links/<int:link_id>/revoke")
@member_required
def revoke(link_id: int):
    if RevokeForm().validate_on_submit():
        services.revoke(current_user, current_association().id, link_id)
        db.session.commit()
        flash(_("Link withdrawn: it no longer opens anything."), "success")
    return redirect(url_for("maillinks.index"))
