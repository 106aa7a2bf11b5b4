"""The rule-set editor's pages, on the admin blueprint (admins of the association only).

Plain forms throughout: choosing a kind submits the form and comes back with that
kind's fields, with everything typed so far kept.
"""

from __future__ import annotations

import contextlib

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin.views import bp
from app.auth import current_association
from app.errors import DomainError, InvalidState, NotFound, ValidationError
from app.extensions import db
from app.forms_util import apply_errors
from app.programmes.editor import document, kinds, preview, serialize, services
from app.programmes.editor.forms import ActionForm, ImportForm, PublishForm, RequirementForm, TitleForm
from app.programmes.editor.values import Values, from_form, from_requirement, window_keys
from app.requirements.ruleset import RuleSetError, parse_rule_set

YAML_TYPE = "application/yaml; charset=utf-8"


def _space(programme_id: int) -> services.Workspace:
    return services.workspace(current_user, current_association().id, programme_id)


def _editor_url(programme_id: int, path: str = "") -> str:
    anchor = f"r-{path}" if path else None
    return url_for("admin.ruleset_editor", programme_id=programme_id, _anchor=anchor)


@bp.get("/programmes/<int:programme_id>/editor")
def ruleset_editor(programme_id: int):
    """The draft's requirements, nested as in the rule set, each with its problems."""
    space = _space(programme_id)
    checked = services.check(space.source)
    title = ""
    with contextlib.suppress(document.DocumentError):
        title = str(document.load(space.source).get("title", ""))
    return render_template(
        "admin/ruleset_editor.html",
        space=space,
        checked=checked,
        action_form=ActionForm(),
        title_form=TitleForm(formdata=None, title=title),
        versions=[rule_set.version for rule_set in reversed(space.programme.rule_sets)],
    )


def _units(source: str) -> tuple[str, ...]:
    try:
        units = document.load(source).get("units")
    except document.DocumentError:
        return ()
    return tuple(units) if isinstance(units, dict) else ()


def _requirement_page(space, form, values: Values, kind: str, *, problems=(), status: int = 200):
    records = values.get("records").strip() or None
    return render_template(
        "admin/ruleset_requirement.html",
        space=space,
        form=form,
        values=values,
        kind=kind,
        kinds=kinds,
        specs=kinds.fields_for(kind, records, _units(space.source)) if kind else [],
        filter_fields=kinds.filter_fields(records),
        problems=problems,
        is_new=not form.path.data,
        window_keys=window_keys,
    ), status


@bp.route("/programmes/<int:programme_id>/editor/requirement", methods=["GET", "POST"])
def ruleset_requirement(programme_id: int):
    """Add or edit one requirement: its kind first, then the fields that kind has."""
    space = _space(programme_id)
    form = RequirementForm()
    if request.method == "GET":
        form.path.data = request.args.get("path", "")
        form.parent.data = request.args.get("parent", "")
        values = Values()
        if form.path.data:
            try:
                values = from_requirement(document.get(services.tree_of(space), form.path.data))
            except KeyError:
                raise NotFound(_("No such requirement in the draft.")) from None
            form.requirement_id.data = values.get("id")
            row = services.check(space.source).row(form.path.data)
            for key, messages in (row.field_problems if row else {}).items():
                for message in messages:
                    values.fail(key, message)
            problems = row.problems if row else []
            return _requirement_page(space, form, values, values.get("kind"), problems=problems)
        kind = request.args.get("kind", "")
        return _requirement_page(space, form, values, kind if kind in kinds.BY_KIND else "")
    values = from_form(request.form)
    kind = request.form.get("kind", "")
    if not form.validate_on_submit():
        return _requirement_page(space, form, values, kind, status=400)
    if kind not in kinds.BY_KIND:
        values.fail("kind", _("Choose what kind of requirement this is."))
        return _requirement_page(space, form, values, "", status=422)
    if "save" not in request.form:  # "Show the fields of this kind": nothing is saved yet
        return _requirement_page(space, form, values, kind)
    try:
        path = services.save_requirement(
            current_user,
            current_association().id,
            programme_id,
            values=values,
            kind=kind,
            path=form.path.data or "",
            parent=form.parent.data or "",
            expected_id=form.requirement_id.data or None,
        )
    except services.RequirementProblems as error:
        return _requirement_page(space, form, error.values, kind, problems=error.problems, status=422)
    except (NotFound, InvalidState) as error:
        # Removed in another tab, or the draft made unreadable by an import: say so and keep
        # what was typed here, rather than a bare error page.
        db.session.rollback()
        space = _space(programme_id)
        return _requirement_page(space, form, values, kind, problems=[error.message], status=409)
    db.session.commit()
    flash(_("Saved in the draft. Publish the draft to make it a new version."), "success")
    return redirect(_editor_url(programme_id, path))


@bp.post("/programmes/<int:programme_id>/editor/remove")
def ruleset_remove(programme_id: int):
    _space(programme_id)  # another association's programme: not found, whatever was posted
    form = ActionForm()
    if form.validate_on_submit() and form.path.data:
        try:
            removed = services.remove_requirement(
                current_user,
                current_association().id,
                programme_id,
                form.path.data or "",
                expected_id=form.requirement_id.data or None,
            )
        except InvalidState as error:
            flash(error.message, "error")
            return redirect(_editor_url(programme_id))
        db.session.commit()
        flash(
            _("Removed “%(label)s” from the draft.", label=removed.get("label", removed.get("id", ""))),
            "success",
        )
    return redirect(_editor_url(programme_id))


@bp.post("/programmes/<int:programme_id>/editor/move/<direction>")
def ruleset_move(programme_id: int, direction: str):
    if direction not in ("up", "down"):
        raise NotFound(_("No such move."))
    _space(programme_id)
    form = ActionForm()
    path = form.path.data or ""
    if form.validate_on_submit() and path:
        path = services.move_requirement(
            current_user, current_association().id, programme_id, path, -1 if direction == "up" else 1
        )
        db.session.commit()
    return redirect(_editor_url(programme_id, path))


@bp.post("/programmes/<int:programme_id>/editor/title")
def ruleset_title(programme_id: int):
    _space(programme_id)
    form = TitleForm()
    if form.validate_on_submit():
        try:
            services.set_title(current_user, current_association().id, programme_id, form.title.data)
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Title saved in the draft."), "success")
    else:
        flash(_("Give the rule set a title."), "error")
    return redirect(_editor_url(programme_id))


@bp.post("/programmes/<int:programme_id>/editor/discard")
def ruleset_discard(programme_id: int):
    _space(programme_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            services.discard_draft(current_user, current_association().id, programme_id)
        except DomainError as error:
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(_("Draft discarded: the editor shows the current version again."), "success")
    return redirect(_editor_url(programme_id))


@bp.route("/programmes/<int:programme_id>/editor/import", methods=["GET", "POST"])
def ruleset_import(programme_id: int):
    """Paste or upload YAML as the draft."""
    space = _space(programme_id)
    form = ImportForm()
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        text = form.source.data or ""
        if upload and upload.filename:
            raw = upload.read(services.MAX_SOURCE_CHARS * 4 + 1)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = None
        try:
            if text is None:
                raise ValidationError(
                    _("The file is not UTF-8 text."), fields={"file": [_("Not UTF-8 text.")]}
                )
            services.import_source(current_user, current_association().id, programme_id, text)
        except ValidationError as error:
            apply_errors(form, error) or flash(error.message, "error")
            status = 422
        else:
            db.session.commit()
            flash(
                _("Imported as the draft. Its problems, if any, are listed beside each requirement."),
                "success",
            )
            return redirect(_editor_url(programme_id))
    elif request.method == "POST":
        status = 422
    return render_template("admin/ruleset_import.html", space=space, form=form), status


@bp.get("/programmes/<int:programme_id>/editor/export")
def ruleset_export(programme_id: int):
    """The YAML of a version or of the draft, as a download."""
    space = _space(programme_id)
    version = request.args.get("version", "draft")
    _name, source = services.version_source(space, version)
    filename = f"{space.programme.slug}-{'draft' if version == 'draft' else 'v' + version}.yaml"
    return Response(
        source, mimetype=YAML_TYPE, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@bp.get("/programmes/<int:programme_id>/editor/diff")
def ruleset_diff(programme_id: int):
    """A line diff between two versions (or a version and the draft)."""
    space = _space(programme_id)
    current = space.programme.current_rule_set
    old = request.args.get("old") or (str(current.version) if current else "draft")
    new = request.args.get("new") or "draft"
    old_name, old_source = services.version_source(space, old)
    new_name, new_source = services.version_source(space, new)
    by_meaning = request.args.get("by") == "meaning"
    if by_meaning:
        old_source, new_source = _normalised(old_source), _normalised(new_source)
    return render_template(
        "admin/ruleset_diff.html",
        space=space,
        old=old,
        new=new,
        old_name=old_name,
        new_name=new_name,
        by_meaning=by_meaning,
        lines=services.diff(old_source, new_source),
        versions=[str(rule_set.version) for rule_set in reversed(space.programme.rule_sets)],
    )


def _normalised(source: str) -> str:
    """The rule set written the one way the serializer writes it (comments and layout
    dropped); the text itself when it does not parse."""
    try:
        return serialize.to_yaml(parse_rule_set(source))
    except RuleSetError:
        return source


@bp.route("/programmes/<int:programme_id>/editor/publish", methods=["GET", "POST"])
def ruleset_publish(programme_id: int):
    """Which enrolments the draft would change, then publishing it, confirmed as final."""
    space = _space(programme_id)
    checked = services.check(space.source)
    form = PublishForm()
    shown = (
        preview.preview(space.programme.id, checked.parsed)
        if checked.is_valid and space.has_changes
        else None
    )
    status = 200
    if form.validate_on_submit():
        try:
            rule_set = services.publish(
                current_user,
                current_association().id,
                programme_id,
                changed=len(shown.changes) if shown else None,
                move_enrolments=form.move_enrolments.data,
            )
        except DomainError as error:
            apply_errors(form, error) or flash(error.message, "error")
            status = 422
        else:
            db.session.commit()
            flash(_("Published as version %(v)d.", v=rule_set.version), "success")
            return redirect(url_for("admin.programme_detail", programme_id=programme_id))
    elif request.method == "POST":
        status = 422
    return render_template(
        "admin/ruleset_publish.html", space=space, checked=checked, preview=shown, form=form
    ), status
