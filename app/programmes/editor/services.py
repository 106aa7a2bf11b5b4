"""The rule-set editor's work: a programme's draft, edited requirement by requirement,
imported, exported, compared and published as a new version (admins only)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import policy
from app.accounts.models import User
from app.audit.services import record
from app.errors import InvalidState, NotFound, ValidationError
from app.extensions import db
from app.programmes import renewal_rules, rule_sets
from app.programmes import services as programmes
from app.programmes.editor import document
from app.programmes.editor.models import RuleSetDraft
from app.programmes.editor.values import Values, to_requirement
from app.programmes.models import Enrolment, EnrolmentStatus, Programme, RuleSet
from app.requirements.ruleset import RuleSetError, parse_rule_set

MAX_SOURCE_CHARS = 200_000


@dataclass
class Workspace:
    """A programme, its draft (None until the first change), and the YAML being edited."""

    programme: Programme
    draft: RuleSetDraft | None

    @property
    def source(self) -> str:
        if self.draft is not None:
            return self.draft.source_yaml
        current = self.programme.current_rule_set
        return current.source_yaml if current else ""

    @property
    def has_changes(self) -> bool:
        current = self.programme.current_rule_set
        return self.draft is not None and (current is None or current.source_yaml != self.draft.source_yaml)


def workspace(actor: User, association_id: int, programme_id: int) -> Workspace:
    """The programme and its draft, for the association's admins."""
    programme = programmes.get_programme(actor, association_id, programme_id)
    policy.require_admin(actor, association_id)
    draft = db.session.scalar(select(RuleSetDraft).where(RuleSetDraft.programme_id == programme.id))
    return Workspace(programme, draft)


def check(source: str) -> document.Checked:
    """The draft's requirements with their problems (a document the forms cannot edit
    has no rows, only its problem)."""
    try:
        document.load(source)
    except document.DocumentError as error:
        return document.Checked(source, [], [str(error)])
    try:
        parsed = rule_sets.parse_rule_set_source(source)
    except ValidationError:
        try:  # the parser's own rows, whose lines place each problem
            parse_rule_set(source)
        except RuleSetError as error:
            return document.place(source, error.problems)
        problems = renewal_rules.check_named(parse_rule_set(source))
        return document.place(source, problems)
    return document.place(source, [], parsed)


def tree_of(space: Workspace) -> dict:
    """The draft as plain data, for the forms (InvalidState when it is not a mapping)."""
    try:
        return document.load(space.source)
    except document.DocumentError as error:
        raise InvalidState(
            _(
                "The draft cannot be edited in forms (%(problem)s): import a corrected YAML.",
                problem=str(error),
            )
        ) from None


def _store(actor: User, space: Workspace, source: str) -> RuleSetDraft:
    if space.draft is None:
        current = space.programme.current_rule_set
        space.draft = RuleSetDraft(
            programme_id=space.programme.id,
            base_version=current.version if current else None,
            source_yaml=source,
            updated_by_id=actor.id,
        )
        db.session.add(space.draft)
    else:
        space.draft.source_yaml = source
        space.draft.updated_by_id = actor.id
    db.session.flush()
    return space.draft


class RequirementProblems(ValidationError):
    """The edited requirement does not pass the parser; ``values`` carry what was typed
    and the problems beside each field."""

    def __init__(self, values: Values, problems: list[str]):
        super().__init__(_("The requirement has problems: nothing was saved."))
        self.values = values
        self.problems = problems


def save_requirement(
    actor: User,
    association_id: int,
    programme_id: int,
    *,
    values: Values,
    kind: str,
    path: str = "",
    parent: str = "",
    expected_id: str | None = None,
) -> str:
    """Write one requirement into the draft (replacing ``path``, or added under ``parent``
    or at the top level) when the parser finds no problem in it; its path in the draft.
    With ``expected_id``, the requirement at ``path`` must still be that one (NotFound if
    the draft changed meanwhile)."""
    space = workspace(actor, association_id, programme_id)
    tree = tree_of(space)
    try:
        old = document.get(tree, path) if path else None
        if old is not None and expected_id is not None and str(old.get("id", "")) != expected_id:
            raise KeyError(path)
        requirement = to_requirement(values, kind, keep=old)
        new_path = document.put(tree, path or None, parent or None, requirement)
    except KeyError:
        raise NotFound(_("No such requirement in the draft.")) from None
    checked = document.check(tree)
    row = checked.row(new_path)
    blocking = row.blocking if row else []
    if values.errors or blocking:
        for key, messages in (row.field_problems if row else {}).items():
            for message in messages:
                values.fail(key, message)
        placed = {message for messages in values.errors.values() for message in messages}
        raise RequirementProblems(values, [message for message in blocking if message not in placed])
    _store(actor, space, checked.source)
    return new_path


def remove_requirement(
    actor: User, association_id: int, programme_id: int, path: str, expected_id: str | None = None
) -> dict:
    """Take a requirement (and its parts) out of the draft. A path is a position: with
    ``expected_id`` (the id the page showed there) a second click, or a page left open while
    the draft changed, is refused rather than removing the requirement that moved up."""
    space = workspace(actor, association_id, programme_id)
    tree = tree_of(space)
    try:
        if expected_id is not None and str(document.get(tree, path).get("id", "")) != expected_id:
            raise KeyError(path)
        removed = document.remove(tree, path)
    except KeyError:
        raise InvalidState(
            _("The draft changed meanwhile (in another tab, or by a second click): nothing was removed.")
        ) from None
    _store(actor, space, document.dump(tree))
    return removed


def move_requirement(actor: User, association_id: int, programme_id: int, path: str, step: int) -> str:
    """Move a requirement one place up or down among its siblings."""
    space = workspace(actor, association_id, programme_id)
    tree = tree_of(space)
    try:
        moved = document.move(tree, path, -1 if step < 0 else 1)
    except KeyError:
        raise NotFound(_("No such requirement in the draft.")) from None
    _store(actor, space, document.dump(tree))
    return moved


def set_title(actor: User, association_id: int, programme_id: int, title: str) -> None:
    space = workspace(actor, association_id, programme_id)
    tree = tree_of(space)
    if not title.strip():
        raise ValidationError(_("Give the rule set a title."), fields={"title": [_("Required.")]})
    tree["title"] = title.strip()
    _store(actor, space, document.dump(tree))


def import_source(actor: User, association_id: int, programme_id: int, source: str) -> RuleSetDraft:
    """Make pasted or uploaded YAML the draft, as written (its problems are listed on the
    editor page; publishing waits until there are none)."""
    space = workspace(actor, association_id, programme_id)
    source = source.replace("\r\n", "\n")
    if not source.strip():
        raise ValidationError(_("Paste or upload a rule set."), fields={"source": [_("Nothing to import.")]})
    if len(source) > MAX_SOURCE_CHARS:
        raise ValidationError(
            _("The rule set is too long."), fields={"source": [_("At most 200,000 characters.")]}
        )
    try:
        document.load(source)
    except document.DocumentError as error:
        message = _("Not a rule set: %(problem)s.", problem=str(error))
        raise ValidationError(message, fields={"source": [message]}) from None
    draft = _store(actor, space, source)
    record(
        "rule_set.draft_imported",
        space.programme,
        actor=actor,
        association_id=association_id,
        programme=space.programme.slug,
    )
    return draft


def discard_draft(actor: User, association_id: int, programme_id: int) -> None:
    """Throw the draft away; the editor starts again from the current version."""
    space = workspace(actor, association_id, programme_id)
    if space.draft is None:
        raise InvalidState(_("There is no draft to discard."))
    db.session.delete(space.draft)
    record(
        "rule_set.draft_discarded",
        space.programme,
        actor=actor,
        association_id=association_id,
        programme=space.programme.slug,
    )


def publish(
    actor: User,
    association_id: int,
    programme_id: int,
    *,
    changed: int | None = None,
    move_enrolments: bool = False,
) -> RuleSet:
    """Store the draft as the programme's next version and delete the draft. Enrolments
    stay on their versions unless ``move_enrolments`` moves the active ones (each audited
    as a move, like a move made one by one)."""
    space = workspace(actor, association_id, programme_id)
    if not space.has_changes:
        raise InvalidState(_("The draft has no changes to publish."))
    rule_set = programmes.add_rule_set_version(actor, association_id, programme_id, space.draft.source_yaml)
    db.session.delete(space.draft)
    moved = _move_active_enrolments(actor, space.programme, rule_set) if move_enrolments else 0
    record(
        "rule_set.published",
        rule_set,
        actor=actor,
        association_id=association_id,
        programme=space.programme.slug,
        version=rule_set.version,
        enrolments_changing=changed,
        enrolments_moved=moved,
    )
    return rule_set


def _move_active_enrolments(actor: User, programme: Programme, rule_set: RuleSet) -> int:
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(
            Enrolment.programme_id == programme.id,
            Enrolment.status == EnrolmentStatus.ACTIVE.value,
            Enrolment.rule_set_id != rule_set.id,
        )
        .options(joinedload(Enrolment.rule_set))
    ).all()
    for enrolment in enrolments:
        before = enrolment.rule_set.version
        enrolment.rule_set = rule_set
        record("enrolment.rule_set_migrated", enrolment, actor=actor, before=before, after=rule_set.version)
    return len(enrolments)


# -- versions: export and diff -------------------------------------------------------------------


def version_source(space: Workspace, version: str) -> tuple[str, str]:
    """("version 3", its YAML) or ("draft", the draft's YAML); NotFound otherwise."""
    if version == "draft":
        return _("draft"), space.source
    for rule_set in space.programme.rule_sets:
        if str(rule_set.version) == version:
            return _("version %(v)d", v=rule_set.version), rule_set.source_yaml
    raise NotFound(_("No such version of this programme."))


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed", "gap"
    old_number: int | None
    new_number: int | None
    text: str


def diff(old: str, new: str, context: int = 3) -> list[DiffLine]:
    """The lines that differ between two YAML texts, with ``context`` lines around each
    change and a gap marker between far-apart changes."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", None, None, "…"))
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                lines.extend(
                    DiffLine("same", a1 + i + 1, b1 + i + 1, old_lines[a1 + i]) for i in range(a2 - a1)
                )
                continue
            lines.extend(DiffLine("removed", a1 + i + 1, None, old_lines[a1 + i]) for i in range(a2 - a1))
            lines.extend(DiffLine("added", None, b1 + i + 1, new_lines[b1 + i]) for i in range(b2 - b1))
    return lines
