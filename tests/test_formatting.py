"""One format for dates, times, scores and counts (app/formatting.py), used by every template."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from app import create_app, formatting

TEMPLATES = sorted(Path("app").rglob("*.html"))
MOMENT = dt.datetime(2026, 12, 7, 18, 17, tzinfo=dt.UTC)


@pytest.fixture
def context():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context("/"):
        yield app


def test_the_filters_give_one_format_each(context):
    render = context.jinja_env.from_string
    assert render("{{ d|date }}").render(d=MOMENT.date()) == "Dec 7, 2026"
    assert render('{{ d|date("long") }}').render(d=MOMENT.date()) == "December 7, 2026"
    assert render("{{ t|datetime }}").render(t=MOMENT) == "Dec 7, 2026, 6:17\u202fPM"
    assert render('{{ t|datetime("short") }}').render(t=MOMENT) == render("{{ t|datetime }}").render(t=MOMENT)
    assert render("{{ t|time }}").render(t=MOMENT) == "6:17\u202fPM"
    assert render("{{ none|date }}{{ none|datetime }}").render() == ""


def test_scores_read_points_of_total_with_the_percentage(context):
    assert formatting.score(8, 12) == "8 of 12 (67%)"
    assert formatting.score(7.5, 10) == "7.5 of 10 (75%)"
    assert formatting.score(None, 12) == ""


@pytest.mark.parametrize(("count", "expected"), [(0, "0 drafts"), (1, "1 draft"), (2, "2 drafts")])
def test_plurals_agree_with_the_count(context, count, expected):
    assert formatting.plural(count, "draft", "drafts") == expected


def test_no_template_formats_dates_its_own_way():
    own_ways = re.compile(
        r'\.strftime\(|\|datetime\(|\|date\("(?:short|medium|full)"\)|\.isoformat\(\) ?\}\}'
    )
    offenders = [
        f"{path}:{number}"
        for path in TEMPLATES
        for number, line in enumerate(path.read_text().splitlines(), 1)
        # Machine-readable values (a <time datetime>, a form value, a PDF's metadata) keep ISO.
        if own_ways.search(line) and not any(attr in line for attr in ('datetime="', 'value="', 'content="'))
    ]
    assert offenders == []


def test_no_template_writes_a_count_and_a_plural_noun_by_hand():
    by_hand = re.compile(r'_\("%\((?:n|num|count)\)d (?:minutes|records|drafts|sessions|hours)\b')
    offenders = [str(path) for path in TEMPLATES if by_hand.search(path.read_text())]
    assert offenders == []


def test_a_score_kept_as_a_percentage_reads_as_points_too(context):
    assert formatting.score_of_percent(66.66666666666667, 12) == "8 of 12 (67%)"
    assert formatting.score_of_percent(75.0, 0) == "75%"
    assert formatting.score_of_percent(None, 12) == ""
