"""YAML loading that remembers line numbers, so errors can point at the line to fix."""

from __future__ import annotations

from typing import Any

import yaml


class LineDict(dict):
    """A mapping from YAML that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    line: int = 0
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    pass


def _mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    result = LineDict(loader.construct_mapping(node, deep=True))
    result.line = node.start_mark.line + 1
    result.key_lines = {key.value: key.start_mark.line + 1 for key, _ in node.value}
    return result


def _sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_sequence(node, deep=True))
    result.line = node.start_mark.line + 1
    result.item_lines = [item.start_mark.line + 1 for item in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_with_lines(source: str) -> Any:
    """``yaml.safe_load`` whose mappings and lists carry line numbers (1-based)."""
    return yaml.load(source, Loader=_LineLoader)  # noqa: S506  (a SafeLoader subclass)
