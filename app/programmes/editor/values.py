"""A requirement mapping to the editor's form values and back.

The form is plain HTML fields named after the YAML keys (``f.<key>`` for a kind's own
keys, ``where-N-field``/``-cmp``/``-value`` rows for filters, ``window.<bound>``,
``when.<profile field>``), so it works without JavaScript. What an admin typed always
comes back as typed (``Values.text``); ``to_requirement`` reads it into YAML values and
says which field it could not read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from app.programmes.editor import kinds

#: Keys always kept as the text typed (never read as numbers or dates).
TEXT_KEYS = {
    "id",
    "label",
    "kind",
    "level",
    "source",
    "description",
    "records",
    "field",
    "measure",
    "per",
    "since",
}
FILTER_SECTIONS = ("where", "numerator")
BLANK_FILTER_ROWS = 2


@dataclass
class FilterRow:
    field: str = ""
    cmp: str = "is"
    value: str = ""


@dataclass
class Values:
    """What the form shows: every field as text, and the problems found reading it."""

    text: dict[str, str] = field(default_factory=dict)
    filters: dict[str, list[FilterRow]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def get(self, key: str) -> str:
        return self.text.get(key, "")

    def rows(self, section: str) -> list[FilterRow]:
        """The section's filled rows and a few blank ones to add more without JavaScript."""
        return [*self.filters.get(section, []), *(FilterRow() for _ in range(BLANK_FILTER_ROWS))]

    def fail(self, key: str, message: str) -> None:
        self.errors.setdefault(key, []).append(message)


def show(value: Any) -> str:
    """A YAML value as one line of text an admin can edit."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(show(item) for item in value)
    text = yaml.safe_dump(value, default_flow_style=True, width=10_000).strip()
    if text.endswith("\n..."):
        text = text[:-4].strip()
    if isinstance(value, dict) and text.startswith("{") and text.endswith("}"):
        text = text[1:-1].strip()
    return text


def read(text: str, *, as_text: bool = False) -> Any:
    """Typed text as a YAML value: '12' a number, 'true' a truth value, 'hours: 30,
    records: 12' a mapping, 'first, last' a list, '2024-01-31' a date. ValueError when YAML cannot read it."""
    text = text.strip()
    if as_text:
        return text
    if ":" in text and not text.startswith(("{", "[", '"', "'")) and not _is_date_time(text):
        text = "{" + text + "}"
    elif "," in text and not text.startswith(("{", "[", '"', "'")):
        text = "[" + text + "]"  # 'first, last', as ``show`` writes a list
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        raise ValueError(text) from None


def _is_date_time(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def from_requirement(requirement: Mapping) -> Values:
    """The form's values for a stored requirement."""
    values = Values()
    for key, value in requirement.items():
        if key in ("where", "numerator"):
            values.filters[key] = _rows(value)
        elif key == "window" and isinstance(value, dict):
            for bound in (*kinds.WINDOW_KEYS, *value):  # a bound added to the parser later too
                values.text[f"window.{bound}"] = show(value.get(bound))
        elif key == "when" and isinstance(value, dict):
            for name, wanted in (value.get("profile") or {}).items():
                values.text[f"when.{name}"] = show(wanted)
            if "track" in value:
                values.text["when.track"] = show(value["track"])
        elif key == "since" and isinstance(value, dict):  # {qualification: <kind>}
            values.text["since"] = f"qualification:{value.get('qualification')}"
        elif key == "requirements":
            continue
        else:
            values.text[key] = show(value)
    return values


def _rows(where: Any) -> list[FilterRow]:
    if not isinstance(where, dict):
        return []
    rows = []
    for name, wanted in where.items():
        if isinstance(wanted, dict):
            rows.extend(FilterRow(str(name), str(cmp), show(value)) for cmp, value in wanted.items())
        else:
            rows.append(FilterRow(str(name), "is", show(wanted)))
    return rows


def from_form(form: Mapping[str, str]) -> Values:
    """The values as posted (typed text kept as it is)."""
    values = Values()
    for key, text in form.items():
        if key.startswith("f."):
            values.text[key[2:]] = text
        elif key.startswith(("window.", "when.")) or key in (*kinds.HEAD, *kinds.INHERITED, "kind"):
            values.text[key] = text
    for section in FILTER_SECTIONS:
        rows = []
        index = 0
        while f"{section}-{index}-field" in form:
            row = FilterRow(
                form.get(f"{section}-{index}-field", "").strip(),
                form.get(f"{section}-{index}-cmp", "is").strip() or "is",
                form.get(f"{section}-{index}-value", ""),
            )
            if row.field or row.value.strip():
                rows.append(row)
            index += 1
        if rows:
            values.filters[section] = rows
    return values


def to_requirement(values: Values, kind: str, keep: Mapping | None = None) -> dict:
    """The requirement mapping the values describe (problems reading a field go to
    ``values.errors``). Keys the kind does not allow are left out; ``keep`` supplies the
    stored requirement's parts, which are edited on their own."""
    requirement: dict[str, Any] = {
        "id": values.get("id").strip(),
        "label": values.get("label").strip(),
        "kind": kind,
    }
    level = values.get("level").strip()
    if level and level != "essential":
        requirement["level"] = level
    if values.get("source").strip():
        requirement["source"] = " ".join(values.get("source").split())
    for key in kinds.INHERITED:
        chosen = values.get(key).strip()
        if chosen in ("true", "false"):
            requirement[key] = chosen == "true"
    when = {}
    for name, allowed in kinds.PROFILE_FIELDS.items():
        chosen = values.get(f"when.{name}").strip()
        if chosen:
            wanted = _read_field(values, f"when.{name}", chosen)
            if wanted not in allowed:
                values.fail(f"when.{name}", f"choose one of {', '.join(show(v) for v in allowed)}")
            when[name] = wanted
    track = values.get("when.track").strip()
    if when or track:
        requirement["when"] = {**({"profile": when} if when else {})}
        if track:
            requirement["when"]["track"] = _read_field(values, "when.track", track)
    for spec in kinds.fields_for(kind, values.get("records").strip() or None):
        text = values.get(spec.key)
        if not text.strip():
            continue
        requirement[spec.key] = _read_field(values, spec.key, text)
    if kinds.has_filters(kind):
        _filters(values, "where", requirement)
    if kinds.has_numerator(kind):
        _filters(values, "numerator", requirement)
    if kinds.has_window(kind):
        window = {}
        for bound in window_keys(values):
            text = values.get(f"window.{bound}")
            if text.strip():
                window[bound] = _read_field(values, f"window.{bound}", text)
        if window:
            requirement["window"] = window
    if kinds.has_parts(kind):
        parts = (keep or {}).get("requirements")
        requirement["requirements"] = parts if isinstance(parts, list) else []
    _keep_unshown(requirement, kind, keep or {})
    return requirement


def window_keys(values: Values) -> list[str]:
    """The window's bounds: the known ones, then any other the stored window has."""
    extra = [key[7:] for key in values.text if key.startswith("window.") and key[7:] not in kinds.WINDOW_KEYS]
    return [*kinds.WINDOW_KEYS, *extra]


def _keep_unshown(requirement: dict, kind: str, keep: Mapping) -> None:
    """Keys of the stored requirement that no field shows (a key added to the parser's
    common keys later, say) are kept as they were rather than dropped by an edit."""
    shown = {*kinds.HEAD, *kinds.INHERITED, *kinds.STRUCTURED, "kind"}
    shown |= {spec.key for spec in kinds.fields_for(kind, requirement.get("records"))}
    for key, value in keep.items():
        if key not in shown and key in kinds.allowed_keys(kind):
            requirement[key] = value


def _read_field(values: Values, key: str, text: str) -> Any:
    if key == "since" and text.strip().startswith("qualification:"):  # the elapsed kind's choice
        return {"qualification": text.strip().removeprefix("qualification:")}
    try:
        return read(text, as_text=key in TEXT_KEYS)
    except ValueError:
        values.fail(key, "this is not a value the rule set can hold; check quotes and brackets")
        return text.strip()


def _filters(values: Values, section: str, requirement: dict) -> None:
    where: dict[str, Any] = {}
    for index, row in enumerate(values.filters.get(section, [])):
        key = f"{section}-{index}"
        if not row.field:
            values.fail(key, "choose the field this filter is on")
            continue
        if row.cmp not in kinds.FILTER_COMPARISONS:
            values.fail(key, f"compare with one of {', '.join(kinds.FILTER_COMPARISONS)}")
            continue
        parts = [part for part in row.value.split(",") if part.strip()]
        try:
            items = [read(part) for part in parts]
        except ValueError:
            values.fail(key, "this is not a value the rule set can hold; check quotes and brackets")
            continue
        if not items:
            values.fail(key, "give the value to compare with")
            continue
        if row.cmp == "is":
            if row.field in where:
                values.fail(key, f"{row.field} is filtered twice: list its values in one row")
                continue
            where[row.field] = items[0] if len(items) == 1 else items
            continue
        wanted = items if row.cmp in ("between", "one_of") else items[0]
        existing = where.setdefault(row.field, {})
        if not isinstance(existing, dict):
            values.fail(key, f"{row.field} is filtered twice: use comparisons only, or one 'is' row")
            continue
        existing[row.cmp] = wanted
    if where:
        requirement[section] = where
