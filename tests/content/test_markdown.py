"""Markdown from content is rendered safely: no raw HTML reaches the page unescaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markupsafe import Markup

from app.content.curriculum import load_curriculum
from app.content.markdown import render_markdown
from tests.content.conftest import REAL_CURRICULUM

#: Every tag the lesson and briefing Markdown may produce (the figure comes from the caller).
ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "em", "strong", "blockquote", "a", "code", "pre", "hr", "br",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


class TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.extend(attrs)


def tags_in(html: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(html)
    return collector


def test_raw_html_in_content_comes_out_escaped():
    html = render_markdown(
        '<script>alert("x")</script>\n\nHello <b onclick="steal()">world</b> <!-- note -->'
    )
    assert "<script" not in html
    assert "<b" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b onclick=&quot;steal()&quot;&gt;world&lt;/b&gt;" in html
    assert "&lt;!-- note --&gt;" in html


def test_images_and_script_links_are_not_rendered():
    html = render_markdown("![tracker](https://example.org/pixel.png) [click](javascript:alert(1))")
    collected = tags_in(html)
    assert "img" not in collected.tags
    hrefs = [value for name, value in collected.attributes if name == "href"]
    assert not [href for href in hrefs if href.startswith("javascript:")]
    assert "[click](javascript:alert(1))" in html  # refused links stay as text


def test_a_figure_line_is_replaced_by_the_given_figure():
    figure = Markup('<figure class="lr-figure"><svg viewBox="0 0 1 1"></svg></figure>')
    html = render_markdown(
        "Before.\n\n::figure session-time-course\n\nAfter.", {"session-time-course": figure}
    )
    assert '<figure class="lr-figure"><svg viewBox="0 0 1 1"></svg></figure>' in html
    assert "::figure" not in html
    assert html.index("Before.") < html.index("<figure") < html.index("After.")


def test_a_figure_line_that_is_indented_or_inside_text_stays_text():
    figure = Markup("<figure></figure>")
    html = render_markdown(
        "    ::figure session-time-course\n\nSee ::figure session-time-course",
        {"session-time-course": figure},
    )
    assert "<figure>" not in html


def test_every_real_lesson_and_the_briefing_render_to_plain_safe_html():
    curriculum, _ = load_curriculum(REAL_CURRICULUM)
    for body in [lesson.body for lesson in curriculum.lessons] + [curriculum.briefing.body]:
        collected = tags_in(render_markdown(body))
        assert collected.tags <= ALLOWED_TAGS, collected.tags - ALLOWED_TAGS
        assert not [name for name, _ in collected.attributes if name.startswith("on") or name == "style"]


def test_headings_start_at_h2_in_every_lesson():
    curriculum, _ = load_curriculum(REAL_CURRICULUM)
    for lesson in curriculum.lessons:
        levels = [int(level) for level in re.findall(r"<h(\d)>", render_markdown(lesson.body))]
        assert levels[0] == 2
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), lesson.slug
