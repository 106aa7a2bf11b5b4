"""Strict reading of YAML content: every key keeps its line, and problems are collected, not raised.

Content authors fix files from the messages alone, so each message names the file and
the line, and one run reports every problem instead of stopping at the first.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from pathlib import Path

import yaml
from yaml.constructor import ConstructorError

from app import config as settings
from app.content.curriculum import content_version
from app.content.problems import Problem


class YamlMap(dict):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[object, int] = {}


class YamlList(list):
    """A sequence that remembers its own line and the line of each item (1-based)."""

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


class _LineLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that builds YamlMap/YamlList and notes duplicate keys."""

    def __init__(self, stream: str, line_offset: int) -> None:
        super().__init__(stream)
        self.line_offset = line_offset
        self.duplicates: list[tuple[int, object]] = []

    def line_of(self, node: yaml.Node) -> int:
        return node.start_mark.line + 1 + self.line_offset


def _construct_map(loader: _LineLoader, node: yaml.MappingNode):
    data = YamlMap(loader.line_of(node))
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise ConstructorError(None, None, "found a key that is not a plain value", key_node.start_mark)
        line = loader.line_of(key_node)
        if key in data:
            loader.duplicates.append((line, key))
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode):
    data = YamlList(loader.line_of(node))
    yield data
    for child in node.value:
        data.append(loader.construct_object(child, deep=True))
        data.item_lines.append(loader.line_of(child))


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def display_path(path: Path) -> str:
    """The path as a person types it: relative to the project when it is inside it."""
    try:
        return str(path.resolve().relative_to(settings.PROJECT_ROOT))
    except ValueError:
        return str(path)


class FileReport:
    """Collects the problems of one file and reads typed values out of its YAML."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.label = display_path(path)
        self.problems = problems
        self.count_at_start = len(problems)

    @property
    def is_clean(self) -> bool:
        return len(self.problems) == self.count_at_start

    def add(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.label, line, message))

    # --- parsing ------------------------------------------------------------------------

    def load_yaml(self, text: str, *, line_offset: int = 0) -> object | None:
        """Parse ``text``; syntax errors and duplicate keys become problems. None on failure."""
        loader = _LineLoader(text, line_offset)
        try:
            data = loader.get_single_data()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 + line_offset if mark else None
            self.add(line, f"YAML syntax error: {error.problem or error.context}")
            return None
        except yaml.YAMLError as error:
            self.add(None, f"YAML syntax error: {error}")
            return None
        finally:
            loader.dispose()
        for line, key in loader.duplicates:
            self.add(line, f"the key '{key}' appears twice in the same mapping")
        return data

    # --- shapes ---------------------------------------------------------------------------

    def mapping(self, value: object, where: str, line: int | None) -> YamlMap | None:
        if isinstance(value, YamlMap):
            return value
        self.add(line, f"{where} must be a mapping of keys to values, not {_kind(value)}")
        return None

    def keys(
        self, data: YamlMap, required: Iterable[str], optional: Iterable[str] = (), *, where: str
    ) -> None:
        """Report unknown keys (with their line) and missing ones (at the mapping's line)."""
        required, optional = list(required), list(optional)
        allowed = required + optional
        for key in data:
            if key not in allowed:
                self.add(
                    data.key_lines.get(key, data.line),
                    f"unknown key '{key}' in {where}; allowed keys: {', '.join(allowed)}",
                )
        for key in required:
            if key not in data:
                self.add(data.line, f"missing key '{key}' in {where}")

    def line(self, data: YamlMap, key: str) -> int:
        return data.key_lines.get(key, data.line)

    # --- typed values ---------------------------------------------------------------------

    def text(self, data: YamlMap, key: str, where: str) -> str | None:
        """A non-empty string; None when absent (already reported) or wrong."""
        if key not in data:
            return None
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            self.add(self.line(data, key), f"'{key}' in {where} must be non-empty text, not {_kind(value)}")
            return None
        return value.strip()

    def choice(self, data: YamlMap, key: str, where: str, allowed: Iterable[str]) -> str | None:
        """One of ``allowed``; None when absent or anything else (reported, naming the choices)."""
        if key not in data:
            return None
        allowed = tuple(allowed)
        value = data[key]
        if value not in allowed:
            shown = f"'{value}'" if isinstance(value, str) else _kind(value)
            self.add(self.line(data, key), f"'{key}' in {where} must be {' or '.join(allowed)}, not {shown}")
            return None
        return value

    def integer(
        self, data: YamlMap, key: str, where: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        if key not in data:
            return None
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(self.line(data, key), f"'{key}' in {where} must be a whole number, not {_kind(value)}")
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = _bounds(minimum, maximum)
            self.add(self.line(data, key), f"'{key}' in {where} must be {bounds}, not {value}")
            return None
        return value

    def sequence(self, data: YamlMap, key: str, where: str) -> YamlList | None:
        if key not in data:
            return None
        value = data[key]
        if not isinstance(value, YamlList):
            self.add(self.line(data, key), f"'{key}' in {where} must be a list, not {_kind(value)}")
            return None
        return value

    def text_list(self, data: YamlMap, key: str, where: str, *, at_least: int = 1) -> tuple[str, ...] | None:
        items = self.sequence(data, key, where)
        if items is None:
            return None
        result = []
        for item, line in zip(items, items.item_lines, strict=True):
            if not isinstance(item, str) or not item.strip():
                self.add(line, f"every item of '{key}' in {where} must be non-empty text, not {_kind(item)}")
            else:
                result.append(item.strip())
        if len(items) < at_least:
            self.add(self.line(data, key), f"'{key}' in {where} needs at least {at_least} item(s)")
        return tuple(result) if len(result) == len(items) else None


def read_source(path: Path, report: FileReport) -> tuple[str, str] | None:
    """The file's text and content version, or None (reported) if unreadable."""
    try:
        data = path.read_bytes()
    except OSError as error:
        report.add(None, f"cannot read the file: {error.strerror}")
        return None
    try:
        return data.decode("utf-8"), content_version(data)
    except UnicodeDecodeError:
        report.add(None, "the file is not UTF-8 text")
        return None


def _bounds(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"between {minimum} and {maximum}"
    if minimum is not None:
        return f"at least {minimum}"
    return f"at most {maximum}"


def _kind(value: object) -> str:
    """How a wrong value reads in a message: 'a list', 'text', 'the number 3'."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'" if value.strip() else "empty text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
