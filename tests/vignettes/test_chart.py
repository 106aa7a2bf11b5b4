"""The dimension-rating chart: accessible, readable in greyscale, no inline styles."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.vignettes.chart import rating_chart

SVG = "{http://www.w3.org/2000/svg}"
REFERENCE = {"automatic-controlled": -2, "self-other": -1, "external-internal": -2, "affective-cognitive": -2}


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314  (our own SVG, not untrusted input)


def test_the_chart_names_every_rating_in_its_title_and_description(app):
    with app.test_request_context():
        chart = parse(rating_chart({"self-other": 1}, REFERENCE, chart_id="c1"))
    assert chart.get("role") == "img"
    assert chart.get("aria-labelledby") == "c1-title c1-desc"
    assert chart.find(f"{SVG}title").text == "Your ratings beside those of experienced leaders"
    desc = chart.find(f"{SVG}desc").text
    assert "Self – other: you +1 (leaning other); leaders −1 (leaning self)." in desc
    assert "Automatic – controlled: not rated; leaders −2 (strongly automatic)." in desc


def test_trainee_and_reference_differ_by_shape_not_only_colour(app):
    with app.test_request_context():
        chart = parse(rating_chart(dict.fromkeys(REFERENCE, 0), REFERENCE, chart_id="c2", is_own=False))
    circles, diamonds = chart.findall(f"{SVG}circle"), chart.findall(f"{SVG}polygon")
    assert len(circles) == 5  # four ratings and the legend
    assert len(diamonds) == 5
    assert all(diamond.get("fill") == "none" for diamond in diamonds)  # hollow, so a circle inside shows
    assert "Trainee's rating" in [text.text for text in chart.iter(f"{SVG}text")]


def test_the_chart_has_no_style_attributes_and_escapes_its_text(app):
    with app.test_request_context():
        markup = str(rating_chart({}, REFERENCE, chart_id="c3"))
    assert "style=" not in markup
    assert all(element.get("style") is None for element in parse(markup).iter())
