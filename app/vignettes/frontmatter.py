"""Splitting a vignette file into YAML front matter and body, keeping line numbers.

``yaml.safe_load`` forgets where each value came from, but an author fixing a
vignette needs the line. This loader is ``SafeLoader`` with two changes: mappings
and lists remember the file line of each key and item (and where each value ends,
so a privacy finding inside a folded block can be traced to its line), and a key
given twice is reported instead of silently keeping the last value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml


class LineMap(dict):
    """A mapping from the front matter, with the file line of each key and value."""

    line: int = 0
    key_lines: dict
    value_lines: dict  # key -> (first line, last line) of the value
    duplicates: list  # (key, line) of keys given more than once


class LineList(list):
    """A list from the front matter, with the file lines of each item."""

    line: int = 0
    item_lines: list  # (first line, last line) per item


@dataclass
class SplitFile:
    """The two parts of a vignette file. ``problems`` are (line, message) pairs."""

    front_matter: object = None
    body: str = ""
    body_line: int = 0  # file line of the body's first line
    problems: list[tuple[int | None, str]] = field(default_factory=list)


def _make_loader(first_line: int) -> type[yaml.SafeLoader]:
    """A SafeLoader whose marks are turned into 1-based file lines."""

    def line_of(mark: yaml.Mark) -> int:
        return mark.line + first_line

    def end_line_of(node: yaml.Node) -> int:
        # A block scalar's end mark sits at the start of the line after it.
        end = node.end_mark
        return line_of(end) - 1 if end.column == 0 and end.line > node.start_mark.line else line_of(end)

    class LineLoader(yaml.SafeLoader):
        pass

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LineMap:
        loader.flatten_mapping(node)
        result = LineMap()
        result.line = line_of(node.start_mark)
        result.key_lines, result.value_lines, result.duplicates = {}, {}, []
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                key = str(key)
            if key in result:
                result.duplicates.append((key, line_of(key_node.start_mark)))
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_lines[key] = line_of(key_node.start_mark)
            result.value_lines[key] = (line_of(value_node.start_mark), end_line_of(value_node))
        return result

    def construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> LineList:
        result = LineList(loader.construct_object(child, deep=True) for child in node.value)
        result.line = line_of(node.start_mark)
        result.item_lines = [(line_of(child.start_mark), end_line_of(child)) for child in node.value]
        return result

    LineLoader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    LineLoader.add_constructor("tag:yaml.org,2002:seq", construct_sequence)
    return LineLoader


def split_file(text: str) -> SplitFile:
    """Separate the front matter (parsed) from the Markdown body.

    The file must open with a line ``---`` and the front matter ends at the next
    line that is exactly ``---``.
    """
    result = SplitFile()
    lines = text.split("\n")
    if not lines or lines[0].rstrip("\r") != "---":
        result.problems.append((1, "the file must start with a line '---' that opens the front matter"))
        return result
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip("\r") == "---"), None)
    if closing is None:
        result.problems.append((1, "the front matter is not closed by a line '---'"))
        return result
    result.body = "\n".join(lines[closing + 1 :])
    result.body_line = closing + 2
    source = "\n".join(lines[1:closing])
    try:
        result.front_matter = yaml.load(source, Loader=_make_loader(first_line=2))  # noqa: S506  (SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark is not None else None
        result.problems.append((line, f"the front matter is not valid YAML: {error.problem or error}"))
    except yaml.YAMLError as error:
        result.problems.append((2, f"the front matter is not valid YAML: {error}"))
    return result
