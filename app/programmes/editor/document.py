"""A rule set as the editor sees it: the YAML document as plain data, edited in place.

The editor never builds ``Requirement`` objects itself: it edits the mapping the YAML
holds, writes it back as YAML (``dump``) and lets ``parse_rule_set`` judge the result,
so whatever the parser accepts the editor accepts too. Requirements are addressed by
a path of indexes down the nested ``requirements`` lists ("0", "2.1").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from app.requirements.ruleset import RuleSetError, RuleSetProblem, parse_rule_set
from app.requirements.yaml_lines import LineDict, load_with_lines

#: The order keys are written in: who and what first, children last (so that every line
#: of a requirement's own keys comes before the lines of its parts).
FIRST_KEYS = ("id", "label", "kind", "level", "source", "when")
TOP_FIRST_KEYS = (
    "title",
    "version",
    "description",
    "units",
    "competencies",
    "count_unsigned",
    "count_imported",
)


class DocumentError(ValueError):
    """The draft is not a rule-set document the editor can work on (not a mapping, ...)."""


def load(source: str) -> dict:
    """The YAML document as plain data; a document that is not a mapping cannot be edited
    in forms (import it anyway: the problems are listed)."""
    try:
        document = yaml.safe_load(source) if source.strip() else {}
    except yaml.YAMLError as error:
        raise DocumentError("not valid YAML") from error
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise DocumentError("a rule set is a mapping with 'title' and 'requirements'")
    if not isinstance(document.get("requirements", []), list):
        raise DocumentError("'requirements' must be a list")
    return document


class _Dumper(yaml.SafeDumper):
    """Block style, but short lists of plain values on one line (``[60, 120]``)."""


def _represent_list(dumper: yaml.SafeDumper, data: list):
    flow = bool(data) and all(isinstance(item, str | int | float | bool) for item in data) and len(data) <= 8
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_str(dumper: yaml.SafeDumper, data: str):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)


def ordered(mapping: dict, first: tuple[str, ...] = FIRST_KEYS) -> dict:
    """The mapping with ``first`` keys first, ``requirements`` last, the rest as they were."""
    keys = [key for key in first if key in mapping]
    keys += [key for key in mapping if key not in first and key != "requirements"]
    if "requirements" in mapping:
        keys.append("requirements")
    result = {key: mapping[key] for key in keys}
    if isinstance(result.get("requirements"), list):
        result["requirements"] = [
            ordered(child) if isinstance(child, dict) else child for child in result["requirements"]
        ]
    return result


def dump(document: dict) -> str:
    """YAML text of the document, keys in the editor's order."""
    return yaml.dump(
        ordered(document, TOP_FIRST_KEYS), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )


def plain(value: Any) -> Any:
    """YAML data without the line-numbered containers (which the dumper cannot write)."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


# -- paths --------------------------------------------------------------------------------


def parse_path(path: str) -> tuple[int, ...]:
    try:
        indexes = tuple(int(part) for part in path.split("."))
    except ValueError:
        raise KeyError(path) from None
    if not indexes or any(index < 0 for index in indexes):
        raise KeyError(path)
    return indexes


def format_path(indexes: tuple[int, ...]) -> str:
    return ".".join(str(index) for index in indexes)


def siblings(document: dict, indexes: tuple[int, ...]) -> list:
    """The list holding the requirement at ``indexes`` (KeyError when there is none)."""
    items = document.setdefault("requirements", [])
    for index in indexes[:-1]:
        if index >= len(items) or not isinstance(items[index], dict):
            raise KeyError(format_path(indexes))
        items = items[index].setdefault("requirements", [])
        if not isinstance(items, list):
            raise KeyError(format_path(indexes))
    return items


def get(document: dict, path: str) -> dict:
    indexes = parse_path(path)
    items = siblings(document, indexes)
    if indexes[-1] >= len(items) or not isinstance(items[indexes[-1]], dict):
        raise KeyError(path)
    return items[indexes[-1]]


def put(document: dict, path: str | None, parent: str | None, requirement: dict) -> str:
    """Replace the requirement at ``path``, or add it at the end of ``parent``'s parts (or
    of the top level); returns its path."""
    if path:
        indexes = parse_path(path)
        items = siblings(document, indexes)
        if indexes[-1] >= len(items):
            raise KeyError(path)
        old = items[indexes[-1]]
        if (
            isinstance(old, dict)
            and "requirements" in old
            and "requirements" in requirement_keys(requirement)
        ):
            requirement["requirements"] = old["requirements"]  # its parts are edited on their own
        items[indexes[-1]] = requirement
        return path
    if parent:
        owner = get(document, parent)
        children = owner.setdefault("requirements", [])
        children.append(requirement)
        return format_path((*parse_path(parent), len(children) - 1))
    items = document.setdefault("requirements", [])
    items.append(requirement)
    return str(len(items) - 1)


def remove(document: dict, path: str) -> dict:
    indexes = parse_path(path)
    items = siblings(document, indexes)
    if indexes[-1] >= len(items):
        raise KeyError(path)
    return items.pop(indexes[-1])


def move(document: dict, path: str, step: int) -> str:
    """Move the requirement one place up (-1) or down (+1) among its siblings."""
    indexes = parse_path(path)
    items = siblings(document, indexes)
    here, there = indexes[-1], indexes[-1] + step
    if here >= len(items) or not 0 <= there < len(items):
        return path
    items[here], items[there] = items[there], items[here]
    return format_path((*indexes[:-1], there))


def requirement_keys(requirement: dict) -> set[str]:
    from app.programmes.editor.kinds import allowed_keys  # noqa: PLC0415  (kinds imports this module)

    return allowed_keys(requirement.get("kind"))


# -- problems, placed beside the requirement they concern -----------------------------------


@dataclass
class Row:
    """One requirement in the editor's list: where it is, how deep, and its problems."""

    path: str
    depth: int
    requirement: dict
    problems: list[str] = field(default_factory=list)
    #: Problems with the list of its parts (empty, too few for k): fixed by adding parts,
    #: so they never stop the requirement itself from being saved.
    part_problems: list[str] = field(default_factory=list)
    #: Field name -> problems on that field's line.
    field_problems: dict[str, list[str]] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        """Its rule in one line ("records: sessions · at_least: 12 · where: role co-leader")."""
        from app.programmes.editor.values import show  # noqa: PLC0415  (values is built on this module)

        skipped = {"id", "label", "kind", "level", "source", "requirements"}
        parts = []
        for key, value in self.requirement.items():
            if key in skipped:
                continue
            if isinstance(value, dict):
                value = "; ".join(f"{name} {show(wanted)}" for name, wanted in value.items())
            parts.append(f"{key}: {show(value)}")
        return " · ".join(parts)

    @property
    def blocking(self) -> list[str]:
        """Problems that stop the requirement from being saved."""
        return [message for message in self.problems if message not in self.part_problems]

    @property
    def is_combinator(self) -> bool:
        return isinstance(self.requirement.get("requirements"), list) or self.requirement.get("kind") in (
            "all_of",
            "any_of",
            "at_least_k_of",
        )


@dataclass
class Checked:
    """The draft's requirements as rows, each with its problems, and the problems of the
    rule set as a whole (title, units, ...)."""

    source: str
    rows: list[Row]
    general: list[str]
    parsed: Any = None  # the RuleSet when there is no problem

    @property
    def is_valid(self) -> bool:
        return self.parsed is not None

    def children_of(self, path: str = "") -> list[Row]:
        """The rows directly under ``path`` (the top level for "")."""
        depth = path.count(".") + 1 if path else 0
        prefix = f"{path}." if path else ""
        return [row for row in self.rows if row.depth == depth and row.path.startswith(prefix)]

    def row(self, path: str) -> Row | None:
        return next((row for row in self.rows if row.path == path), None)


def check(document: dict, extra: list[RuleSetProblem] = ()) -> Checked:
    """Dump the document, parse it, and put each problem beside its requirement."""
    source = dump(document)
    try:
        parsed = parse_rule_set(source)
        problems = list(extra)
    except RuleSetError as error:
        parsed, problems = None, [*error.problems, *extra]
    if extra:
        parsed = None
    return place(source, problems, parsed)


def place(source: str, problems: list[RuleSetProblem], parsed=None) -> Checked:
    """Rows of the requirements in ``source`` with the problems whose line falls in each."""
    try:
        tree = load_with_lines(source)
    except yaml.YAMLError:
        tree = None
    rows: list[Row] = []
    starts: list[tuple[int, Row, LineDict]] = []

    def visit(items, prefix: tuple[int, ...]) -> None:
        if not isinstance(items, list):
            return
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            row = Row(format_path((*prefix, index)), len(prefix), plain(item))
            rows.append(row)
            if isinstance(item, LineDict):
                starts.append((item.line, row, item))
            visit(item.get("requirements"), (*prefix, index))

    if isinstance(tree, dict):
        visit(tree.get("requirements"), ())
    general: list[str] = []
    for problem in problems:
        owner = None
        for line, row, raw in starts:
            if line <= problem.line:
                owner = (row, raw)
        if owner is None:
            general.append(str(problem))
            continue
        row, raw = owner
        row.problems.append(problem.message)
        if problem.line == raw.key_lines.get("requirements"):
            row.part_problems.append(problem.message)
        for key, key_line in raw.key_lines.items():
            if key_line == problem.line and key != "requirements":
                row.field_problems.setdefault(key, []).append(problem.message)
    return Checked(source, rows, general, parsed)
