"""Markdown of lessons and the briefing: safe rendering, and the checks ``content check`` runs.

Rendering uses markdown-it's CommonMark preset with raw HTML off, so any tag in the
content reaches the page escaped, and images off, so content cannot pull in outside
resources. A line ``::figure <slug>`` becomes the figure the caller supplies.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markupsafe import Markup

from app.content.schema import FileReport

FIGURE_LINE = re.compile(r"^::figure ([a-z0-9]+(?:-[a-z0-9]+)*)$")
ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
WORD = re.compile(r"\w+(?:['’-]\w+)*")


def _figure_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule: a whole, unindented ``::figure <slug>`` line is a figure token."""
    start = state.bMarks[start_line] + state.tShift[start_line]
    if state.tShift[start_line] != 0:
        return False
    match = FIGURE_LINE.match(state.src[start : state.eMarks[start_line]])
    if not match:
        return False
    if silent:
        return True
    token = state.push("figure", "figure", 0)
    token.info = match.group(1)
    token.map = [start_line, start_line + 1]
    token.block = True
    state.line = start_line + 1
    return True


def _render_figure(renderer, tokens, index, options, env) -> str:
    return str(env.get("figures", {}).get(tokens[index].info, ""))


def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table").disable("image")
    md.block.ruler.before("paragraph", "figure", _figure_block, {"alt": ["paragraph"]})
    md.add_render_rule("figure", _render_figure)
    return md


_RENDERER = _renderer()


def render_markdown(text: str, figures: Mapping[str, Markup] | None = None) -> Markup:
    """HTML for ``text``; raw HTML in it comes out escaped, figures come from ``figures``."""
    return Markup(_RENDERER.render(text, {"figures": dict(figures or {})}))  # noqa: S704  (html off)


# --- checks ------------------------------------------------------------------------------

_CHECKER = MarkdownIt("commonmark", {"html": True}).enable("table")


def word_count(text: str) -> int:
    return len(WORD.findall(text))


def check_body(
    body: str,
    report: FileReport,
    *,
    first_line: int,
    figure_slugs: Collection[str],
    words: tuple[int, int],
    needs_key_points: bool = False,
) -> None:
    """Report the house rules for a Markdown body; ``first_line`` is its line in the file."""
    tokens = _CHECKER.parse(body)
    previous_level = 1
    last_h2: str | None = None
    list_after_last_h2 = False
    for position, token in enumerate(tokens):
        line = first_line + token.map[0] if token.map else None
        if token.type == "heading_open":
            level = int(token.tag[1])
            title = tokens[position + 1].content
            if level == 1:
                report.add(line, "use '##' or deeper for headings: the lesson title is the page's only '#'")
            elif level > previous_level + 1:
                report.add(
                    line,
                    f"heading '{title}' jumps from level {previous_level} to {level}; "
                    "go down one level at a time",
                )
            previous_level = level
            if level == 2:
                last_h2, list_after_last_h2 = title, False
        elif token.type == "bullet_list_open":
            list_after_last_h2 = True
        elif token.type == "html_block":
            report.add(line, "raw HTML is not allowed in content; use Markdown")
        elif token.type == "inline":
            _check_inline(token, line, report)
    _check_figure_lines(body, report, first_line, figure_slugs)
    if needs_key_points and (last_h2 != "Key points" or not list_after_last_h2):
        report.add(first_line, "the body must end with a '## Key points' section holding a bulleted list")
    count = word_count(body)
    low, high = words
    if not low <= count <= high:
        report.add(first_line, f"the body has {count} words; write between {low} and {high}")


def _check_inline(token, line: int | None, report: FileReport) -> None:
    for child in token.children or []:
        if child.type == "html_inline":
            report.add(line, f"raw HTML is not allowed in content: {child.content!r}")
        elif child.type == "image":
            report.add(line, "images are not allowed in content; ask for a figure drawn from data")
    for entity in ENTITY.findall(token.content):
        report.add(line, f"HTML entity {entity} is not allowed; type the character itself")


def _check_figure_lines(
    body: str, report: FileReport, first_line: int, figure_slugs: Collection[str]
) -> None:
    for offset, text in enumerate(body.splitlines()):
        if not text.strip().startswith("::figure"):
            continue
        match = FIGURE_LINE.match(text)
        if match is None:
            report.add(
                first_line + offset,
                "a figure line must be exactly '::figure <slug>' at the start of a line, with nothing else",
            )
        elif match.group(1) not in figure_slugs:
            known = ", ".join(sorted(figure_slugs)) or "none"
            report.add(first_line + offset, f"no figure '{match.group(1)}' in figures/ (known: {known})")
