"""The lists behind the admin dashboard's numbers (the numbers are on the home page).

Registered on the admin blueprint (``views.bp``), so its admins-only guard applies.
"""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app.admin import dashboard
from app.admin.views import _association_id, _page, bp


@bp.get("/waiting")
def waiting():
    return render_template(
        "admin/waiting.html",
        page=dashboard.waiting_signoffs(current_user, _association_id(), page=_page()),
        days=dashboard.WAITING_DAYS,
    )


@bp.get("/stalled")
def stalled():
    return render_template(
        "admin/stalled.html",
        page=dashboard.stalled_trainees(current_user, _association_id(), page=_page()),
        days=dashboard.stalled_days(),
    )
