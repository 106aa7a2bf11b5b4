"""Pages of the notifications feature: the list, mark all read, and following one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth import current_association, member_required
from app.extensions import db
from app.jobs import reminders
from app.notifications import services
from app.notifications.forms import NotificationActionForm, ReminderSettingsForm

bp = Blueprint("notifications", __name__, url_prefix="/notifications", template_folder="templates")


@bp.app_context_processor
def unread_notifications() -> dict[str, object]:
    """``unread_notifications()`` for the navigation: counted only when a template asks."""

    def count() -> int:
        association = current_association() if current_user.is_authenticated else None
        return services.unread_count(current_user, association.id) if association else 0

    return {"unread_notifications": count}


@bp.get("/")
@member_required
def index():
    page = services.list_notifications(
        current_user, current_association().id, page=request.args.get("page", 1, type=int)
    )
    return render_template("notifications/index.html", page=page, form=NotificationActionForm())


@bp.post("/read")
@member_required
def read_all():
    if NotificationActionForm().validate_on_submit():
        count = services.mark_all_read(current_user, current_association().id)
        db.session.commit()
        flash(
            ngettext("%(num)d notification marked read.", "%(num)d notifications marked read.", count),
            "success",
        )
    return redirect(url_for("notifications.index"))


@bp.post("/<int:notification_id>/open")
@member_required
def open_one(notification_id: int):
    if not NotificationActionForm().validate_on_submit():
        return redirect(url_for("notifications.index"))
    link = services.open_notification(current_user, current_association().id, notification_id)
    db.session.commit()
    if not link:
        flash(_("Marked read."), "success")
    return redirect(link or url_for("notifications.index"))


@bp.route("/settings", methods=["GET", "POST"])
@member_required
def settings():
    """Each person switches each kind of reminder on or off for themselves."""
    form = ReminderSettingsForm(data=reminders.reminder_settings(current_user))
    if form.validate_on_submit():
        reminders.save_reminder_settings(
            current_user, {kind: getattr(form, kind).data for kind in reminders.KINDS}
        )
        db.session.commit()
        flash(_("Your reminder settings are saved."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form)
