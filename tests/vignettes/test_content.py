"""Loading and checking vignette files: every kind of problem is reported with its file and line."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT
from app.vignettes.content import (
    ContentError,
    check_vignette_folder,
    forget_cached_libraries,
    library,
    load_library,
    render_markdown,
)

GUIDANCE = " ".join(["experienced leaders often notice how the group feels about this moment"] * 6)
BODY = "\n\n".join(
    ["I keep coming back to the quiet in that room, and I do not know why it stays with me."] * 25
)

VALID = f"""\
---
slug: the-quiet-room
title: "The quiet room"
profession: general-practitioner
setting: "Small rural practice"
group_format: in-person
summary: "A doctor is unsettled by a patient who says almost nothing."
themes: [silence, helplessness]
exercises:
  - id: questions
    kind: clarifying-questions
    prompt: "Which questions would you ask?"
    guidance: "{GUIDANCE}"
  - id: feelings
    kind: imagine-feelings
    person: "the patient"
    prompt: "What might the patient feel?"
    guidance: "{GUIDANCE}"
  - id: dimensions
    kind: rate-dimensions
    prompt: "Rate the telling."
    reference_ratings:
      automatic-controlled: -1
      self-other: -1
      external-internal: 0
      affective-cognitive: -2
    guidance: "{GUIDANCE}"
  - id: image
    kind: image-metaphor
    prompt: "Find an image."
    guidance: "{GUIDANCE}"
  - id: intervention
    kind: choose-intervention
    moment: "The group falls silent."
    prompt: "What would you do?"
    options:
      - id: wait
        text: "Wait a little longer."
      - id: speak
        text: "Say how heavy the room feels."
      - id: ask
        text: "Ask the presenter a question."
    recommended: wait
    guidance: "{GUIDANCE}"
---
{BODY}
"""
NAME = "03-the-quiet-room.md"


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing ``needle``."""
    hits = [number for number, line in enumerate(text.split("\n"), start=1) if needle in line]
    return hits[occurrence - 1]


def problems(tmp_path: Path, text: str, name: str = NAME) -> list[str]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return [str(problem) for problem in check_vignette_folder(tmp_path)]


def assert_reported(found: list[str], line: int | None, message: str, name: str = NAME) -> None:
    where = f"{name}:{line}: " if line else f"{name}: "
    assert any(where in item and message in item for item in found), f"{where}{message!r} not in {found}"


def test_a_valid_vignette_loads_into_frozen_dataclasses(app, tmp_path):
    (tmp_path / NAME).write_text(VALID, encoding="utf-8")
    (tmp_path / "README.md").write_text("# not a vignette", encoding="utf-8")
    loaded = load_library(tmp_path)
    (vignette,) = loaded.vignettes
    assert (vignette.number, vignette.slug, vignette.profession_label) == (
        3,
        "the-quiet-room",
        "General practitioner",
    )
    assert vignette.version == hashlib.sha256((tmp_path / NAME).read_bytes()).hexdigest()[:12]
    assert vignette.exercise("dimensions").reference == {
        "automatic-controlled": -1,
        "self-other": -1,
        "external-internal": 0,
        "affective-cognitive": -2,
    }
    assert vignette.exercise("intervention").option("speak").text == "Say how heavy the room feels."
    assert vignette.body_html.startswith("<p>I keep coming back")
    with pytest.raises(AttributeError):
        vignette.title = "Another title"  # type: ignore[misc]


def test_unknown_missing_and_duplicate_keys_name_their_lines(app, tmp_path):
    text = (
        VALID.replace("setting:", "colour: blue\nsetting:")
        .replace('    person: "the patient"\n', "")
        .replace('    prompt: "Find an image."\n', '    prompt: "Find an image."\n    prompt: "Again."\n')
    )
    found = problems(tmp_path, text)
    assert_reported(found, line_of(text, "colour: blue"), "unknown key 'colour' in the front matter")
    assert_reported(found, line_of(text, "- id: feelings"), "missing key 'person' in exercise 2")
    assert_reported(found, line_of(text, 'prompt: "Again."'), "key 'prompt' is given twice in exercise 4")


def test_keys_out_of_order_and_extra_keys_of_another_kind_are_reported(app, tmp_path):
    text = VALID.replace(
        'title: "The quiet room"\nprofession: general-practitioner',
        'profession: general-practitioner\ntitle: "The quiet room"',
    )
    text = text.replace("    kind: image-metaphor\n", '    kind: image-metaphor\n    person: "the doctor"\n')
    found = problems(tmp_path, text)
    assert_reported(found, 2, "keys of the front matter must be in this order")
    assert_reported(
        found, line_of(text, 'person: "the doctor"'), "key 'person' is only allowed on imagine-feelings"
    )


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "profession: general-practitioner",
            "profession: astronaut",
            "astronaut",
            "'profession' must be one of",
        ),
        ("group_format: in-person", "group_format: hybrid", "hybrid", "'group_format' must be one of"),
        (
            "slug: the-quiet-room",
            "slug: The_Quiet_Room",
            "The_Quiet_Room",
            "lowercase letters, digits and single",
        ),
        ("slug: the-quiet-room", "slug: the-loud-room", "the-loud-room", "differs from the file name's slug"),
        ('title: "The quiet room"', 'title: "the quiet room"', "the quiet room", "must start with a capital"),
        ('title: "The quiet room"', "title: 2021", "title: 2021", "'title' in the front matter must be text"),
        ("themes: [silence, helplessness]", "themes: [silence]", "themes:", "must have 2 to 5 tags, not 1"),
        (
            "themes: [silence, helplessness]",
            "themes: [silence, Helplessness]",
            "themes:",
            "must be lowercase",
        ),
        ("self-other: -1", "self-other: 3", "self-other: 3", "rating 'self-other' must be a whole number"),
        (
            "self-other: -1",
            "self-other: yes",
            "self-other: yes",
            "rating 'self-other' must be a whole number",
        ),
        ("      self-other: -1\n", "", "automatic-controlled: -1", "missing key 'self-other'"),
        ("recommended: wait", "recommended: run", "recommended: run", "must be the id of one of the options"),
        (
            '      - id: ask\n        text: "Ask the presenter a question."\n',
            "",
            "options:",
            "3 or 4 options",
        ),
        ("- id: ask", "- id: wait  # again", "wait  # again", "option id 'wait' is used twice"),
        (
            "  - id: image",
            "  - id: questions  # again",
            "questions  # again",
            "exercise id 'questions' is used twice",
        ),
        ("kind: image-metaphor", "kind: group-hug", "group-hug", "'kind' must be one of"),
        ('prompt: "Find an image."', 'prompt: ""', 'prompt: ""', "must not be empty"),
    ],
)
def test_bad_values_name_the_file_and_line(app, tmp_path, old, new, needle, message):
    text = VALID.replace(old, new, 1)
    assert text != VALID
    assert_reported(problems(tmp_path, text), line_of(text, needle), message)


def test_guidance_length_and_exercise_mix_are_checked(app, tmp_path):
    text = VALID.replace(f'guidance: "{GUIDANCE}"', 'guidance: "Too short."', 1)
    start = text.index("  - id: image")
    text = text[:start] + text[text.index("  - id: intervention") :]
    text = text.replace("kind: clarifying-questions", "kind: rate-dimensions")
    found = problems(tmp_path, text)
    assert_reported(found, line_of(text, 'guidance: "Too short."'), "has 2 words; write 60 to 150")
    assert_reported(found, line_of(text, "exercises:"), "needs exactly one rate-dimensions exercise")


def test_too_few_exercises_and_kinds_are_reported(app, tmp_path):
    text = VALID[: VALID.index("  - id: feelings")] + VALID[VALID.index("  - id: dimensions") :]
    text = text[: text.index("  - id: intervention")] + text[text.index("---\nI keep") :]
    text = text.replace("kind: image-metaphor", "kind: clarifying-questions")
    found = problems(tmp_path, text)
    assert_reported(found, line_of(text, "exercises:"), "at least 4 exercises, not 3")
    assert_reported(found, line_of(text, "exercises:"), "at least 3 different kinds")


@pytest.mark.parametrize(
    ("insert", "message"),
    [
        ("## What happened\n\n", "a heading is not allowed"),
        ("<div>raw</div>\n\n", "raw HTML is not allowed"),
        ("Read [this](http://example.org) first.\n\n", "a link is not allowed"),
        ("![a photo](photo.png)\n\n", "an image is not allowed"),
        ("- first\n- second\n\n", "a list is not allowed"),
    ],
)
def test_the_telling_is_plain_paragraphs(app, tmp_path, insert, message):
    text = VALID.replace("---\nI keep", "---\n" + insert + "I keep")
    assert_reported(problems(tmp_path, text), line_of(text, "---", 2) + 1, message)


def test_the_telling_has_a_length(app, tmp_path):
    text = VALID.split("---\nI keep")[0] + "---\nToo short a telling.\n"
    assert_reported(problems(tmp_path, text), line_of(text, "Too short"), "has 4 words; write 450 to 800")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("no front matter here\n", 1, "must start with a line '---'"),
        ("---\nslug: x\n", 1, "front matter is not closed"),
        ("---\nslug: [unclosed\n---\nbody\n", 2, "not valid YAML"),
        ("---\n- a list\n---\nbody\n", 2, "must be a mapping of keys"),
    ],
)
def test_broken_files_are_reported(app, tmp_path, text, line, message):
    assert_reported(problems(tmp_path, text), line, message)


def test_a_file_that_is_not_utf8_is_reported_with_its_line(app, tmp_path):
    (tmp_path / NAME).write_bytes(VALID.encode() + b"\nLast line \xff\n")
    found = [str(problem) for problem in check_vignette_folder(tmp_path)]
    assert_reported(found, VALID.count("\n") + 2, "not UTF-8")


def test_file_names_and_numbers_are_checked(app, tmp_path):
    (tmp_path / "1-the-quiet-room.md").write_text(VALID, encoding="utf-8")
    (tmp_path / "03-the-quiet-room.md").write_text(VALID, encoding="utf-8")
    (tmp_path / "03-another-room.md").write_text(
        VALID.replace("the-quiet-room", "another-room"), encoding="utf-8"
    )
    found = [str(problem) for problem in check_vignette_folder(tmp_path)]
    assert_reported(found, None, "must be NN-<slug>.md", name="1-the-quiet-room.md")
    assert_reported(found, None, "the number is also used by 03-another-room.md", name="03-the-quiet-room.md")


def test_every_problem_is_collected_not_just_the_first(app, tmp_path):
    text = VALID.replace("in-person", "hybrid").replace("self-other: -1", "self-other: 9")
    found = problems(tmp_path, text + "\n<div>bold</div>\n")
    assert len(found) == 3


def test_privacy_findings_in_front_matter_and_body_name_line_kind_and_text(app, tmp_path):
    guidance = GUIDANCE.replace("leaders often", "leaders like Mrs Jenkins often", 1)
    text = VALID.replace(
        f'guidance: "{GUIDANCE}"', f"guidance: >-\n      {guidance[:80]}\n      {guidance[80:]}", 1
    )
    text = text.replace('person: "the patient"', 'person: "the patient, born 12 March 1961"')
    text = text.replace(
        "I keep coming back to the quiet", "I keep coming back to 07700 900123 and the quiet", 3
    )
    found = problems(tmp_path, text)
    assert_reported(
        found, line_of(text, "Mrs Jenkins"), "privacy: a personal name (person-name): 'Mrs Jenkins'"
    )
    assert_reported(found, line_of(text, "born 12 March"), "(date): '12 March 1961'")
    assert_reported(
        found, line_of(text, "07700 900123", 3), "privacy: a phone number (phone): '07700 900123'"
    )
    assert len(found) == 5


def test_load_library_refuses_a_broken_folder_listing_every_problem(app, tmp_path):
    (tmp_path / NAME).write_text(VALID.replace("in-person", "hybrid"), encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        load_library(tmp_path)
    assert "group_format" in str(refused.value)
    assert refused.value.problems[0].path.endswith(NAME)


def test_the_library_is_loaded_once_per_folder(app, tmp_path):
    (tmp_path / NAME).write_text(VALID, encoding="utf-8")
    app.config["VIGNETTES_DIR"] = str(tmp_path)
    first = library()
    (tmp_path / NAME).write_text(VALID.replace("The quiet room", "The still room"), encoding="utf-8")
    assert library() is first
    forget_cached_libraries()
    again = library()
    assert again.get("the-quiet-room").title == "The still room"
    assert again.get("the-quiet-room").version != first.get("the-quiet-room").version


def test_markdown_is_rendered_with_raw_html_escaped():
    assert render_markdown("A *quiet* <script>alert(1)</script> room") == (
        "<p>A <em>quiet</em> &lt;script&gt;alert(1)&lt;/script&gt; room</p>\n"
    )


def test_the_real_vignettes_pass_every_check_including_the_privacy_scan(app):
    folder = PROJECT_ROOT / "case_vignettes"
    assert [str(problem) for problem in check_vignette_folder(folder)] == []
    real = load_library(folder)
    assert len(real) >= 12
    assert len({vignette.profession for vignette in real.vignettes}) >= 6
    assert all(len(vignette.exercises) >= 4 for vignette in real.vignettes)


def test_a_slug_may_not_hide_a_page(app, tmp_path):
    text = VALID.replace("slug: the-quiet-room", "slug: review")
    assert_reported(
        problems(tmp_path, text, name="04-review.md"), 2, "is the name of a page", name="04-review.md"
    )


PASSAGE = (
    "A man in his fifties, the only glassblower in the valley, comes every week. "
    "He sings in the choir that won the national prize, and he walks with a stick. "
    "His sister brings him, and she waits outside in the car, reading, until he is finished."
)
NEW_KINDS = f"""\
  - id: reading
    kind: reader-response
    prompt: "What did you feel, and with whom did you side?"
    people:
      - id: presenter
        text: "the doctor"
      - id: patient
        text: "the patient"
    guidance: "{GUIDANCE}"
  - id: colleague
    kind: colleague-test
    prompt: "Would a colleague recognise him?"
    passage: "{PASSAGE}"
    details:
      - id: glassblower
        text: "the only glassblower in the valley"
        identifying: true
        note: "Being the only one of anything points at him."
      - id: choir
        text: "sings in the choir that won the national prize"
        identifying: true
        note: "A prize-winning choir is a small public group."
      - id: stick
        text: "he walks with a stick"
        identifying: false
        note: "Shared by very many people and harmless here."
    guidance: "{GUIDANCE}"
"""
WITH_NEW_KINDS = VALID.replace("  - id: image\n", NEW_KINDS + "  - id: image\n", 1)


def test_reader_response_and_colleague_test_exercises_load(app, tmp_path):
    (tmp_path / NAME).write_text(WITH_NEW_KINDS, encoding="utf-8")
    (vignette,) = load_library(tmp_path).vignettes
    reading, colleague = vignette.exercise("reading"), vignette.exercise("colleague")
    assert [person.text for person in reading.people] == ["the doctor", "the patient"]
    assert [detail.is_identifying for detail in colleague.details] == [True, True, False]
    parts = colleague.passage_parts()
    assert "".join(text for text, _number in parts) == PASSAGE
    assert [number for _text, number in parts if number] == [1, 2, 3]


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            'text: "he walks with a stick"',
            'text: "he rides a bicycle"',
            "he rides a bicycle",
            "does not appear",
        ),
        ("identifying: false", "identifying: maybe", "identifying: maybe", "must be true or false"),
        (
            'identifying: true\n        note: "A prize',
            'identifying: false\n        note: "A prize',
            "  - id: colleague",
            "needs at least 2 identifying details",
        ),
        ("      - id: patient\n", "      - id: no-one\n", "    people:", "kept for siding with no one"),
        (f'passage: "{PASSAGE}"', 'passage: "A man comes every week."', "passage:", "write 40 to 160"),
    ],
)
def test_problems_of_the_new_kinds_name_their_lines(app, tmp_path, old, new, needle, message):
    text = WITH_NEW_KINDS.replace(old, new, 1)
    assert text != WITH_NEW_KINDS
    found = problems(tmp_path, text)
    line = line_of(text, needle) if needle != "  - id: colleague" else None
    if line is None:
        assert any(message in item for item in found), found
    else:
        assert_reported(found, line, message)


def test_the_check_refuses_a_library_whose_longest_option_is_the_answer(app, tmp_path):
    longest_first = VALID.replace(
        'text: "Wait a little longer."', 'text: "Wait a good deal longer, and then longer still."'
    )
    assert "the recommended option is the longest" in " ".join(problems(tmp_path, longest_first))
    assert not any("longest" in item for item in problems(tmp_path, VALID))
