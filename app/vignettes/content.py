"""Loading the case vignettes from ``VIGNETTES_DIR`` and checking them.

The library is read once per folder and kept for the life of the process: vignettes
change only with a deployment. Each vignette's version is a short SHA-256 of its
file's bytes, so a reflection records exactly which text it was written against.

``check_vignette_folder`` is what ``flask content check`` runs: every format rule,
plus the privacy scan of every text a trainee will read.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from markdown_it import MarkdownIt
from markupsafe import Markup

from app.config import PROJECT_ROOT
from app.content.problems import Problem
from app.vignettes.frontmatter import LineList, LineMap, SplitFile, split_file
from app.vignettes.schema import FILE_NAME_PATTERN, Library, Vignette
from app.vignettes.validation import (
    MAX_LONGEST_RECOMMENDED,
    check_body,
    check_front_matter,
    longest_recommended_share,
)

VERSION_LENGTH = 12  # hex digits of the SHA-256 kept as the content version

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False})
_libraries: dict[str, Library] = {}
_lock = threading.Lock()


class ContentError(RuntimeError):
    """The vignette folder breaks the documented format; ``problems`` says where."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class _Parsed:
    """One file as read: its parts (for the privacy scan) and the vignette, if valid."""

    path: Path
    shown_path: str
    split: SplitFile | None = None
    vignette: Vignette | None = None
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.shown_path, line, message))


def render_markdown(source: str) -> Markup:
    """HTML of the telling; raw HTML in the source is escaped, never passed through."""
    return Markup(_renderer.render(source))  # noqa: S704  (html disabled: the renderer escapes)


def content_version(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:VERSION_LENGTH]


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _parse_file(path: Path, number: int, file_slug: str) -> _Parsed:
    parsed = _Parsed(path, _shown(path))
    try:
        data = path.read_bytes()
        text = data.decode("utf-8").removeprefix("\ufeff")
    except OSError as error:
        parsed.problem(None, f"cannot read the file: {error.strerror or error}")
        return parsed
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        parsed.problem(line, "the file is not UTF-8 text")
        return parsed
    parsed.split = split_file(text)
    for line, message in parsed.split.problems:
        parsed.problem(line, message)
    if parsed.split.problems:
        return parsed
    fields, problems = check_front_matter(parsed.split.front_matter, file_slug=file_slug)
    problems += check_body(parsed.split.body, parsed.split.body_line)
    for line, message in problems:
        parsed.problem(line, message)
    if fields is not None and not problems:
        body = parsed.split.body.strip("\n")
        parsed.vignette = Vignette(
            number=number,
            file_name=path.name,
            body=body,
            body_html=render_markdown(body),
            version=content_version(data),
            **fields,
        )
    return parsed


def _parse_folder(folder: Path) -> tuple[list[_Parsed], list[Problem]]:
    """Every vignette file of the folder, and the problems of the folder as a whole."""
    problems: list[Problem] = []
    if not folder.is_dir():
        return [], [Problem(_shown(folder), None, "the vignette folder does not exist")]
    parsed: list[_Parsed] = []
    numbers: dict[int, str] = {}
    slugs: dict[str, str] = {}
    for path in sorted(folder.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        match = FILE_NAME_PATTERN.match(path.name)
        if match is None:
            problems.append(
                Problem(_shown(path), None, "the file name must be NN-<slug>.md, e.g. 07-the-old-dog.md")
            )
            continue
        number = int(match["number"])
        for key, seen, what in ((number, numbers, "number"), (match["slug"], slugs, "slug")):
            if key in seen:
                problems.append(Problem(_shown(path), None, f"the {what} is also used by {seen[key]}"))
            seen[key] = path.name
        parsed.append(_parse_file(path, number, match["slug"]))
    if not parsed and not problems:
        problems.append(Problem(_shown(folder), None, "the folder holds no vignettes"))
    return parsed, problems


def load_library(folder: Path) -> Library:
    """Read and validate every vignette; any problem raises ``ContentError`` naming them all."""
    parsed, problems = _parse_folder(folder)
    problems += [problem for item in parsed for problem in item.problems]
    if problems:
        raise ContentError(problems)
    return Library(tuple(item.vignette for item in parsed))


def library() -> Library:
    """The library of the app's ``VIGNETTES_DIR``, loaded on first use and then kept."""
    folder = str(Path(current_app.config["VIGNETTES_DIR"]).resolve())
    library_ = _libraries.get(folder)
    if library_ is None:
        with _lock:
            library_ = _libraries.get(folder) or load_library(Path(folder))
            _libraries[folder] = library_
    return library_


def forget_cached_libraries() -> None:
    """For tests that rewrite a folder: the next ``library()`` reads it again."""
    with _lock:
        _libraries.clear()


# --- the check that CI runs ----------------------------------------------------------------


def _strings(value: object, lines: tuple[int, int]) -> Iterator[tuple[str, int, int]]:
    """Every text in the front matter with the file lines its value spans."""
    if isinstance(value, str):
        yield value, lines[0], lines[1]
    elif isinstance(value, LineMap):
        for key, item in value.items():
            yield from _strings(item, value.value_lines[key])
    elif isinstance(value, LineList):
        for item, item_lines in zip(value, value.item_lines, strict=True):
            yield from _strings(item, item_lines)


def _line_of(found: str, first: int, last: int, file_lines: list[str]) -> int:
    """The file line where a finding in a (possibly folded) YAML text starts."""
    words = found.split()
    if first == last or not words:
        return first
    for number in range(first, last + 1):
        if words[0] in file_lines[number - 1]:
            return number
    return first


def _privacy_problems(parsed: _Parsed) -> list[Problem]:
    from app.privacy import KIND_LABELS, scan

    split = parsed.split
    if split is None or split.problems:
        return []
    problems: list[Problem] = []

    def report(line: int, kind: str, text: str) -> None:
        label = KIND_LABELS.get(kind, kind)
        shown = " ".join(text.split())
        problems.append(Problem(parsed.shown_path, line, f"privacy: {label} ({kind}): {shown!r}"))

    file_lines = parsed.path.read_text(encoding="utf-8").split("\n")
    if isinstance(split.front_matter, LineMap):
        for text, first, last in _strings(split.front_matter, (2, 2)):
            for finding in scan(text):
                report(_line_of(finding.text, first, last, file_lines), finding.kind, finding.text)
    for finding in scan(split.body):
        report(split.body_line + finding.line - 1, finding.kind, finding.text)
    return problems


def _length_bias(folder: Path, parsed: list[_Parsed]) -> list[Problem]:
    """The library as a whole: the recommended intervention must not give itself away by length."""
    exercises = [exercise for item in parsed if item.vignette for exercise in item.vignette.exercises]
    share = longest_recommended_share(exercises)
    if share <= MAX_LONGEST_RECOMMENDED:
        return []
    message = (
        f"in {share:.0%} of the choose-intervention exercises the recommended option is the longest; "
        f"at most {MAX_LONGEST_RECOMMENDED:.0%} may be, or length gives the answer away"
    )
    return [Problem(_shown(folder), None, message)]


def check_vignette_folder(folder: Path) -> list[Problem]:
    """Every problem in the vignette folder: format rules first, then the library's length
    bias, then privacy findings."""
    parsed, problems = _parse_folder(folder)
    for item in parsed:
        problems += item.problems
    problems += _length_bias(folder, parsed)
    for item in parsed:
        problems += _privacy_problems(item)
    return problems
