"""Pages of the jobs feature: my downloads, a job's progress page, its JSON status, its result."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request
from flask_login import current_user

from app.auth import current_association, member_required
from app.jobs import services

bp = Blueprint("jobs", __name__, url_prefix="/jobs", template_folder="templates")


def _association_id() -> int:
    return current_association().id


@bp.get("/")
@member_required
def index():
    page = services.list_jobs(current_user, _association_id(), page=request.args.get("page", 1, type=int))
    return render_template("jobs/index.html", page=page)


@bp.get("/<int:job_id>")
@member_required
def detail(job_id: int):
    job = services.get_job(current_user, _association_id(), job_id)
    return render_template("jobs/detail.html", job=job)


@bp.get("/<int:job_id>/status.json")
@member_required
def status(job_id: int):
    response = jsonify(services.job_status(current_user, _association_id(), job_id))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:job_id>/download")
@member_required
def download(job_id: int):
    name, mimetype, data = services.job_result(current_user, _association_id(), job_id)
    return Response(
        data,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )
