"""The curriculum loader: the real content passes, and each kind of broken content is
reported with a clear message that names the file and the line."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from app.content.curriculum import DIFFICULTIES, DIMENSIONS, load_curriculum
from tests.content.conftest import REAL_CURRICULUM

LESSON = "lessons/02-the-balint-group.md"
QUESTIONS = "questions/03-session-phase-by-phase.yaml"
CLASSIFY = "questions/06-imbalance-under-stress.yaml"
FIGURE = "figures/session-time-course.yaml"


def edit(folder: Path, relative: str, old: str, new: str) -> None:
    path = folder / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(folder: Path, relative: str, needle: str | tuple[str, int]) -> int:
    """The line holding ``needle``; a (text, n) pair means its n-th occurrence."""
    text, occurrence = needle if isinstance(needle, tuple) else (needle, 1)
    lines = (folder / relative).read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, start=1) if text in line]
    return found[occurrence - 1]


def problems_in(folder: Path) -> list[str]:
    curriculum, problems = load_curriculum(folder)
    assert curriculum is None if problems else curriculum is not None
    return [str(problem) for problem in problems]


# --- the real content ---------------------------------------------------------------------


def test_the_real_curriculum_has_no_problems():
    curriculum, problems = load_curriculum(REAL_CURRICULUM)
    assert problems == []
    assert curriculum.slug == "mentalization-psychoeducation"


def test_the_real_curriculum_meets_the_issue_minimums():
    curriculum, _ = load_curriculum(REAL_CURRICULUM)
    assert len(curriculum.lessons) >= 15
    questions = list(curriculum.questions_by_id.values())
    assert len(questions) >= 48
    for lesson in curriculum.lessons:
        assert len(lesson.questions) >= 4, lesson.slug
        assert lesson.objectives
        assert lesson.reading_minutes > 0
        assert lesson.summary
        assert all(question.lesson_slug == lesson.slug for question in lesson.questions)
    kinds = {question.kind for question in questions}
    assert kinds == {"single", "multiple", "classify"}
    assert all(question.explanation for question in questions)
    assert all(set(q.tagged_dimensions) <= set(DIMENSIONS) for q in questions)
    classify = [q for q in questions if q.kind == "classify"]
    assert {q.answer[0] for q in classify} == set(DIMENSIONS)  # every dimension can be practised
    assert curriculum.final_test_questions <= len(questions)
    assert "session-time-course" in curriculum.figures_by_slug
    assert "::figure session-time-course" in curriculum.lesson("restoring-balance").body


def test_every_question_carries_its_topic_and_difficulty():
    curriculum, _ = load_curriculum(REAL_CURRICULUM)
    question = curriculum.questions_by_id["ph-order"]
    assert (question.topic, question.difficulty) == ("session-phases", "easy")
    for question in curriculum.questions_by_id.values():
        assert question.topic and question.difficulty in DIFFICULTIES, question.id


def test_each_content_version_is_the_hash_of_its_source_file():
    curriculum, _ = load_curriculum(REAL_CURRICULUM)
    lesson = curriculum.lesson("the-balint-group")
    expected = hashlib.sha256((REAL_CURRICULUM / LESSON).read_bytes()).hexdigest()[:16]
    assert lesson.version == expected
    question_file = hashlib.sha256((REAL_CURRICULUM / QUESTIONS).read_bytes()).hexdigest()[:16]
    assert curriculum.questions_by_id["ph-order"].version == question_file
    briefing = hashlib.sha256((REAL_CURRICULUM / "briefing.md").read_bytes()).hexdigest()[:16]
    assert curriculum.briefing.version == briefing


# --- broken content: one case per kind of mistake ----------------------------------------------

# (id, file, text to replace, replacement, expected message part, text on the expected line)
BROKEN = [
    (
        "module-unknown-key",
        "module.yaml",
        "retakes:",
        "colour: blue\nretakes:",
        "unknown key 'colour'",
        "colour",
    ),
    (
        "module-missing-key",
        "module.yaml",
        "retakes:\n  max_attempts: 3\n  cooldown_hours: 24\n",
        "",
        "missing key 'retakes' in module.yaml",
        "slug:",
    ),
    (
        "module-pass-mark-range",
        "module.yaml",
        "pass_mark: 80",
        "pass_mark: 180",
        "between 0 and 100",
        "pass_mark",
    ),
    (
        "module-lesson-without-file",
        "module.yaml",
        "  - when-to-recommend\n",
        "  - when-to-recommend\n  - group-dynamics\n",
        "lesson 'group-dynamics' has no file lessons/10-group-dynamics.md",
        "group-dynamics",
    ),
    (
        "module-final-too-many",
        "module.yaml",
        "questions: 20",
        "questions: 500",
        "the module has only",
        "questions: 500",
    ),
    ("yaml-syntax", "module.yaml", "title: ", "title: [unclosed ", "YAML syntax error", None),
    (
        "duplicate-key",
        "module.yaml",
        "description:",
        "slug: again\ndescription:",
        "appears twice",
        "slug: again",
    ),
    (
        "lesson-wrong-type",
        LESSON,
        "reading_minutes: 9",
        "reading_minutes: nine",
        "'reading_minutes' in the front matter must be a whole number, not the text 'nine'",
        "reading_minutes",
    ),
    (
        "lesson-unknown-key",
        LESSON,
        "title: The Balint group",
        "title: The Balint group\nauthor: me",
        "unknown key 'author'",
        "author",
    ),
    (
        "lesson-slug-mismatch",
        LESSON,
        "slug: the-balint-group",
        "slug: balint-group",
        "does not match the file name",
        "slug:",
    ),
    (
        "lesson-front-matter-unclosed",
        LESSON,
        "---\n## Where the method came from",
        "## Where the method came from",
        "never closed by a '---' line",
        "---",
    ),
    (
        "lesson-heading-h1",
        LESSON,
        "## Where the method came from",
        "# Where the method came from",
        "use '##' or deeper",
        "# Where the method",
    ),
    (
        "lesson-heading-jump",
        LESSON,
        "## Where the method came from",
        "## Where the method came from\n\n#### Too deep",
        "jumps from level 2 to 4",
        "#### Too deep",
    ),
    (
        "lesson-html-block",
        LESSON,
        "## Where the method came from",
        "<div>boxed</div>\n\n## Where the method came from",
        "raw HTML",
        "<div>",
    ),
    (
        "lesson-html-inline",
        LESSON,
        "Michael Balint was a Hungarian doctor",
        "Michael Balint was a <b>Hungarian</b> doctor",
        "raw HTML is not allowed in content: '<b>'",
        "<b>Hungarian",
    ),
    (
        "lesson-image",
        LESSON,
        "Michael Balint was",
        "![portrait](balint.jpg) Michael Balint was",
        "images are not allowed",
        "![portrait]",
    ),
    (
        "lesson-entity",
        LESSON,
        "Michael Balint was",
        "Michael&nbsp;Balint was",
        "HTML entity &nbsp;",
        "&nbsp;",
    ),
    (
        "lesson-unknown-figure",
        LESSON,
        "## Where the method came from",
        "::figure group-sizes\n\n## Where the method came from",
        "no figure 'group-sizes'",
        "::figure group-sizes",
    ),
    (
        "lesson-malformed-figure-line",
        LESSON,
        "## Where the method came from",
        "  ::figure session-time-course\n\n## Where the method came from",
        "a figure line must be exactly",
        "  ::figure",
    ),
    (
        "lesson-no-key-points",
        LESSON,
        "## Key points",
        "## In short",
        "must end with a '## Key points' section",
        "## Where the method",
    ),
    (
        "question-unknown-kind",
        QUESTIONS,
        "kind: single",
        "kind: singel",
        "must be single, multiple or classify, not 'singel'",
        "singel",
    ),
    (
        "question-unknown-key",
        QUESTIONS,
        "  - id: ph-order\n",
        "  - id: ph-order\n    level: 3\n",
        "unknown key 'level' in question 'ph-order'",
        "level",
    ),
    (
        "question-missing-explanation",
        QUESTIONS,
        '    explanation: "The presenter first',
        '    explaination: "The presenter first',
        "missing key 'explanation' in question 'ph-order'",
        "- id: ph-order",
    ),
    (
        "single-two-correct",
        QUESTIONS,
        '      - text: "Answers the group\'s remaining questions one by one"',
        '      - text: "Answers the group\'s remaining questions one by one"\n        correct: true',
        "question 'ph-push-back' is single: mark exactly one option correct, not 2",
        ("options:", 2),
    ),
    (
        "correct-false",
        QUESTIONS,
        "        correct: true",
        "        correct: false",
        "must be true; leave it out",
        "correct: false",
    ),
    (
        "catch-all-option",
        QUESTIONS,
        '"Leaves the room until called back"',
        '"All of the above"',
        "do not use 'all of the above'",
        "All of the above",
    ),
    (
        "multiple-prompt",
        "questions/01-caring-for-the-caregivers.yaml",
        "burnout in helping professions? Choose all that apply.",
        "burnout in helping professions?",
        "must end with 'Choose all that apply.'",
        "burnout in helping professions?",
    ),
    (
        "classify-wrong-pole",
        CLASSIFY,
        "      dimension: external-internal\n      pole: external",
        "      dimension: external-internal\n      pole: outside",
        "the pole of external-internal in question 'imb-classify-external' "
        "must be external or internal, not 'outside'",
        "pole: outside",
    ),
    (
        "classify-unknown-dimension",
        CLASSIFY,
        "      dimension: external-internal\n      pole: external",
        "      dimension: inner-outer\n      pole: external",
        "unknown dimension 'inner-outer'",
        "inner-outer",
    ),
    (
        "question-difficulty-outside-the-set",
        QUESTIONS,
        '    difficulty: easy\n    prompt: "Which sequence',
        '    difficulty: tricky\n    prompt: "Which sequence',
        "'difficulty' in question 'ph-order' must be easy or medium or hard, not 'tricky'",
        "difficulty: tricky",
    ),
    (
        "question-topic-not-a-slug",
        QUESTIONS,
        '    topic: session-phases\n    difficulty: easy\n    prompt: "Which sequence',
        '    topic: Session Phases\n    difficulty: easy\n    prompt: "Which sequence',
        "topic 'Session Phases' of question 'ph-order' must be lowercase-with-hyphens",
        "topic: Session Phases",
    ),
    (
        "question-lesson-mismatch",
        QUESTIONS,
        "lesson: session-phase-by-phase",
        "lesson: the-balint-group",
        "does not match the file name",
        "lesson:",
    ),
    (
        "duplicate-question-id",
        QUESTIONS,
        "id: ph-push-back",
        "id: ph-order  # copied",
        "'ph-order' is already used",
        "# copied",
    ),
    ("figure-unsorted", FIGURE, "[20, -0.65], [25", "[20, -0.65], [19", "sort the points", "[19,"),
    (
        "figure-level-range",
        FIGURE,
        "[20, -0.65]",
        "[20, -1.65]",
        "level -1.65 at minute 20 is outside -1 to 1",
        "[20, -1.65]",
    ),
    (
        "figure-gap-between-phases",
        FIGURE,
        "start: 20, end: 28",
        "start: 21, end: 28",
        "must start at minute 20",
        "start: 21",
    ),
    (
        "figure-caption",
        FIGURE,
        'caption: "An illustration, not measured data: our',
        'caption: "A',
        "the caption must begin",
        "caption:",
    ),
    (
        "figure-dimension-order",
        FIGURE,
        "slug: self-other",
        "slug: other-self",
        "dimension 2 must be 'self-other'",
        "other-self",
    ),
    (
        "briefing-unknown-key",
        "briefing.md",
        "title: Before we begin",
        "title: Before we begin\nauthor: me",
        "unknown key 'author'",
        "author",
    ),
]


@pytest.mark.parametrize(
    ("relative", "old", "new", "message", "needle"),
    [pytest.param(*case[1:], id=case[0]) for case in BROKEN],
)
def test_broken_content_is_reported_with_file_and_line(curriculum_copy, relative, old, new, message, needle):
    edit(curriculum_copy, relative, old, new)
    problems = problems_in(curriculum_copy)
    matching = [problem for problem in problems if message in problem]
    assert matching, f"no problem mentions {message!r}; got:\n" + "\n".join(problems)
    problem = matching[0]
    assert relative in problem
    if needle is not None:
        assert f"{relative}:{line_of(curriculum_copy, relative, needle)}: " in problem


def test_a_lesson_file_not_listed_in_the_module_is_reported(curriculum_copy):
    source = curriculum_copy / LESSON
    (curriculum_copy / "lessons/10-extra.md").write_text(
        source.read_text().replace("the-balint-group", "extra")
    )
    problems = problems_in(curriculum_copy)
    assert any("lessons/10-extra.md: lesson 'extra' is not listed in module.yaml" in p for p in problems)


def test_a_badly_named_file_is_reported(curriculum_copy):
    (curriculum_copy / "questions/notes.txt").write_text("to do")
    assert any("questions/notes.txt: unexpected file" in p for p in problems_in(curriculum_copy))


def test_a_lesson_numbered_out_of_order_is_reported(curriculum_copy):
    (curriculum_copy / LESSON).rename(curriculum_copy / "lessons/05-the-balint-group.md")
    problems = problems_in(curriculum_copy)
    assert any("rename the file to lessons/02-the-balint-group.md" in p for p in problems)


def test_a_lesson_of_the_wrong_length_is_reported(curriculum_copy):
    path = curriculum_copy / LESSON
    path.write_text(path.read_text() + "\nMore words here. " * 300)
    assert any("words; write between 900 and 1800" in p for p in problems_in(curriculum_copy))


def test_too_few_questions_are_reported(curriculum_copy):
    path = curriculum_copy / QUESTIONS
    text = path.read_text()
    path.write_text(text[: text.index("  - id: ph-push-back")])
    assert any("needs at least 6 questions; this file has 1" in p for p in problems_in(curriculum_copy))


def test_every_problem_is_reported_not_only_the_first(curriculum_copy):
    edit(curriculum_copy, "module.yaml", "pass_mark: 80", "pass_mark: 180")
    edit(curriculum_copy, LESSON, "reading_minutes: 9", "reading_minutes: nine")
    edit(curriculum_copy, QUESTIONS, "kind: single", "kind: singel")
    edit(curriculum_copy, FIGURE, "[20, -0.65]", "[20, -1.65]")
    problems = problems_in(curriculum_copy)
    for relative in ("module.yaml", LESSON, QUESTIONS, FIGURE):
        assert any(relative in problem for problem in problems), relative


def test_a_missing_folder_is_one_clear_problem(tmp_path):
    problems = problems_in(tmp_path / "nowhere")
    assert len(problems) == 1
    assert "the curriculum folder does not exist" in problems[0]
