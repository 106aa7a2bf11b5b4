"""API operations for people, programmes, enrolments, progress and the audit trail."""

from __future__ import annotations

from flask import jsonify, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import policy
from app.accounts import services as accounts
from app.api import schemas as s
from app.api.core import (
    bp,
    current_association_id,
    current_user,
    cursor_query,
    in_acting_association,
    operation,
    page_of,
)
from app.audit.models import AuditEvent
from app.extensions import db
from app.programmes import services as programmes
from app.programmes.models import Enrolment, RuleSet
from app.requirements import services as requirements


@bp.get("/openapi.json")
def openapi_document():
    """The OpenAPI 3.1 description of this API, generated from the route declarations."""
    from app.api.spec import document

    return jsonify(document())


@bp.get("/docs")
def docs():
    """The API reference, rendered in the browser by a bundled script from openapi.json."""
    return render_template("api/docs.html")


# --- me -------------------------------------------------------------------------------


@operation("/me", "GET", summary="Who the token acts as, and their memberships", tag="me", response=s.MeOut)
def me():
    user = current_user()
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "acting_association_id": current_association_id(),
        "memberships": [
            {"association_id": a.id, "association_name": a.name, "roles": sorted(roles)}
            for a, roles in accounts.associations_of(user)
        ],
    }


# --- programmes and rule sets ---------------------------------------------------------


@operation(
    "/programmes",
    "GET",
    summary="The association's programmes",
    tag="programmes",
    query=s.ListQuery,
    response=s.ProgrammeList,
)
def list_programmes(query: s.ListQuery):
    items = programmes.list_programmes(current_user(), current_association_id())
    return page_of(items, query.cursor, query.limit)


@operation(
    "/programmes",
    "POST",
    summary="Create a programme with its first rule set (admins)",
    tag="programmes",
    body=s.ProgrammeIn,
    response=s.ProgrammeOut,
    status=201,
    is_idempotent=True,
)
def create_programme(body: s.ProgrammeIn):
    """A rule set with errors is refused (422) with each error's line under `source_yaml`."""
    return programmes.create_programme(
        current_user(),
        current_association_id(),
        slug=body.slug,
        title=body.title,
        rule_set_source=body.source_yaml,
        description=body.description,
        validity_months=body.validity_months,
        module_pass_mark=body.module_pass_mark,
    )


@operation(
    "/programmes/<int:programme_id>",
    "GET",
    summary="One programme",
    tag="programmes",
    response=s.ProgrammeOut,
)
def get_programme(programme_id: int):
    return programmes.get_programme(current_user(), current_association_id(), programme_id)


@operation(
    "/programmes/<int:programme_id>/rule-sets",
    "GET",
    summary="The programme's rule-set versions",
    tag="programmes",
    query=s.ListQuery,
    response=s.RuleSetList,
)
def list_rule_sets(programme_id: int, query: s.ListQuery):
    programme = programmes.get_programme(current_user(), current_association_id(), programme_id)
    rows = db.session.scalars(select(RuleSet).where(RuleSet.programme_id == programme.id))
    return page_of(list(rows), query.cursor, query.limit)


@operation(
    "/programmes/<int:programme_id>/rule-sets",
    "POST",
    summary="Add a rule-set version (admins)",
    tag="programmes",
    body=s.RuleSetIn,
    response=s.RuleSetOut,
    status=201,
    is_idempotent=True,
)
def add_rule_set(programme_id: int, body: s.RuleSetIn):
    """Existing enrolments stay on the version they were pinned to."""
    return programmes.add_rule_set_version(
        current_user(), current_association_id(), programme_id, body.source_yaml
    )


# --- enrolments and progress ----------------------------------------------------------


def enrolment_out(enrolment: Enrolment) -> dict:
    return {
        "id": enrolment.id,
        "programme_id": enrolment.programme_id,
        "trainee_id": enrolment.trainee_id,
        "rule_set_id": enrolment.rule_set_id,
        "status": enrolment.status,
        "started_on": enrolment.started_on,
        "supervisor_ids": sorted(sup.id for sup in enrolment.supervisors),
        "has_psychodynamic_training": enrolment.has_psychodynamic_training,
        "qualified_on": enrolment.qualified_on,
    }


@operation(
    "/enrolments",
    "GET",
    summary="Enrolments the caller may see",
    tag="enrolments",
    query=s.EnrolmentQuery,
    response=s.EnrolmentList,
)
def list_enrolments(query: s.EnrolmentQuery):
    """Admins see the association's enrolments; supervisors theirs; trainees their own."""
    user, association_id = current_user(), current_association_id()
    policy.require_member(user, association_id)
    stmt = (
        select(Enrolment)
        .where(Enrolment.association_id == association_id)
        .options(selectinload(Enrolment.supervisors))
    )
    if not policy.is_admin(user, association_id):
        supervised = (
            {e.id for e in programmes.enrolments_supervised_by(user, association_id)}
            if (policy.is_supervisor(user, association_id))
            else set()
        )
        own = {e.id for e in programmes.enrolments_of_trainee(user, association_id)}
        stmt = stmt.where(Enrolment.id.in_(supervised | own))
    if query.programme_id:
        stmt = stmt.where(Enrolment.programme_id == query.programme_id)
    if query.status:
        stmt = stmt.where(Enrolment.status == query.status)
    page = cursor_query(stmt, Enrolment.id, query.cursor, query.limit, descending=False)
    return {"items": [enrolment_out(e) for e in page["items"]], "next_cursor": page["next_cursor"]}


@operation(
    "/enrolments",
    "POST",
    summary="Enrol a trainee (admins)",
    tag="enrolments",
    body=s.EnrolmentIn,
    response=s.EnrolmentOut,
    status=201,
    is_idempotent=True,
)
def create_enrolment(body: s.EnrolmentIn):
    enrolment = programmes.enrol(
        current_user(),
        current_association_id(),
        trainee_id=body.trainee_id,
        programme_id=body.programme_id,
        supervisor_ids=body.supervisor_ids,
        started_on=body.started_on,
    )
    return enrolment_out(enrolment)


@operation(
    "/enrolments/<int:enrolment_id>",
    "GET",
    summary="One enrolment",
    tag="enrolments",
    response=s.EnrolmentOut,
)
def get_enrolment(enrolment_id: int):
    enrolment = programmes.get_enrolment(current_user(), enrolment_id)
    in_acting_association(enrolment.association_id)
    return enrolment_out(enrolment)


def _admin_change(enrolment_id: int, change) -> dict:
    """Apply an admin's change to an enrolment of the acting association."""
    user = current_user()
    in_acting_association(programmes.get_enrolment(user, enrolment_id).association_id)
    return enrolment_out(change(user))


@operation(
    "/enrolments/<int:enrolment_id>/supervisors",
    "PUT",
    summary="Replace the supervisors assigned to an enrolment (admins)",
    tag="enrolments",
    body=s.SupervisorsIn,
    response=s.EnrolmentOut,
)
def set_supervisors(enrolment_id: int, body: s.SupervisorsIn):
    return _admin_change(
        enrolment_id, lambda user: programmes.set_supervisors(user, enrolment_id, body.supervisor_ids)
    )


@operation(
    "/enrolments/<int:enrolment_id>/profile",
    "PUT",
    summary="Set the trainee's profile facts the rule set reads (admins)",
    tag="enrolments",
    body=s.ProfileIn,
    response=s.EnrolmentOut,
)
def update_profile(enrolment_id: int, body: s.ProfileIn):
    return _admin_change(
        enrolment_id,
        lambda user: requirements.update_profile(
            user,
            enrolment_id,
            has_psychodynamic_training=body.has_psychodynamic_training,
            qualified_on=body.qualified_on,
        ),
    )


@operation(
    "/enrolments/<int:enrolment_id>/rule-set",
    "PUT",
    summary="Move an enrolment to another version of its rule set (admins)",
    tag="enrolments",
    body=s.RuleSetMoveIn,
    response=s.EnrolmentOut,
)
def move_rule_set(enrolment_id: int, body: s.RuleSetMoveIn):
    """An enrolment stays on its version unless moved here; the move is audited."""
    return _admin_change(
        enrolment_id, lambda user: requirements.migrate_enrolment(user, enrolment_id, body.rule_set_id)
    )


def outcome_out(outcome) -> dict:
    return {
        "requirement_id": outcome.requirement.id,
        "label": outcome.requirement.label,
        "level": outcome.requirement.level,
        "status": outcome.status,
        "current": outcome.current,
        "required": outcome.required,
        "unit": outcome.unit,
        "missing": outcome.missing,
        "counted": list(outcome.counted),
        "excluded": [list(pair) for pair in outcome.excluded],
        "children": [outcome_out(child) for child in outcome.children],
    }


@operation(
    "/enrolments/<int:enrolment_id>/progress",
    "GET",
    summary="The rule set evaluated against the records",
    tag="enrolments",
    response=s.ProgressOut,
)
def get_progress(enrolment_id: int):
    progress = requirements.enrolment_progress(current_user(), enrolment_id)
    in_acting_association(progress.enrolment.association_id)
    return {
        "enrolment_id": progress.enrolment.id,
        "as_of": progress.as_of,
        "is_ready": progress.evaluation.is_ready,
        "fraction": progress.fraction,
        "outcomes": [outcome_out(o) for o in progress.evaluation.outcomes],
    }


# --- audit ----------------------------------------------------------------------------


@operation(
    "/audit-events",
    "GET",
    summary="The audit trail (admins)",
    tag="audit",
    query=s.AuditQuery,
    response=s.AuditList,
)
def list_audit_events(query: s.AuditQuery):
    """Newest first. Filter by exact `action`."""
    user, association_id = current_user(), current_association_id()
    policy.require_admin(user, association_id)
    stmt = select(AuditEvent).where(AuditEvent.association_id == association_id)
    if query.action:
        stmt = stmt.where(AuditEvent.action == query.action)
    return cursor_query(stmt, AuditEvent.id, query.cursor, query.limit)
