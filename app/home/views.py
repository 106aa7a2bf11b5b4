"""Home: one page whose sections follow the roles a person holds in the current association."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app import policy, summaries
from app.accounts import services as accounts
from app.accounts.forms import SwitchAssociationForm
from app.accounts.models import User
from app.admin import dashboard as admin_dashboard
from app.auth import current_association
from app.learning import services as learning
from app.logbook import summary as logbook
from app.programmes import services as programmes
from app.requirements import services as progress
from app.vignettes import review as vignettes

bp = Blueprint("home", __name__, template_folder="templates")


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    return redirect(url_for("home.dashboard"))


@bp.get("/home")
@login_required
def dashboard():
    association = current_association()
    if association is None:
        return render_template("home/no_membership.html"), 403
    trainee_enrolments = supervised = None  # supervised: one page (a supervisor may follow a thousand)
    if policy.is_trainee(current_user, association.id):
        # The small numbers of every trainee block (counts, pass mark, best score): one statement.
        summaries.prefetch(trainee_numbers(current_user._get_current_object(), association.id))
        # The same enrolments the progress block judges (kept for the request): one read.
        trainee_enrolments = [p.enrolment for p in progress.own_progress(current_user, association.id)]
    if policy.is_supervisor(current_user, association.id):
        supervised = programmes.supervised_page(
            current_user, association.id, page=request.args.get("page", 1, type=int)
        )
    admin_numbers = None
    if policy.is_admin(current_user, association.id):
        admin_numbers = admin_dashboard.numbers(current_user, association.id)
    return render_template(
        "home/dashboard.html",
        admin_numbers=admin_numbers,
        trainee_enrolments=trainee_enrolments,
        supervised=supervised,
        associations=accounts.associations_of(current_user),
        switch_form=SwitchAssociationForm(),
    )


def trainee_numbers(user: User, association_id: int) -> list[summaries.Numbers]:
    """The small numbers of the trainee's blocks, each of which reads its own from the prefetch."""
    return [
        vignettes.trainee_summary_numbers(user, association_id),
        logbook.status_numbers(user, association_id),
        learning.pass_mark_numbers(user.id, association_id),
        learning.extra_attempts_numbers(user.id, association_id),
        learning.best_final_numbers(user.id, association_id),
    ]
