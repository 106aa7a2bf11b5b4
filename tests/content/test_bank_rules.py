"""The question bank's rules (length bias, distractors, tags) and the copied-wording check,
on small fixture files and through ``flask content check`` on a copy of the real content."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from app.content.bank_rules import (
    MAX_LENGTH_BIAS,
    check_copied_wording,
    is_length_biased,
    length_bias,
)
from app.content.problems import Problem
from app.content.question_file import read_question_file
from tests.content.conftest import REAL_CURRICULUM

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_questions(name: str):
    problems: list[Problem] = []
    question_file = read_question_file(FIXTURES / "bank" / name, problems)
    assert problems == []
    return {question.id: question for question in question_file.questions}


def run_check(app, **config):
    app.config.update(config)
    return app.test_cli_runner().invoke(args=["content", "check"])


# --- length bias ------------------------------------------------------------------------------


def test_length_bias_counts_strictly_longest_correct_options_only():
    questions = fixture_questions("01-length-rules.yaml")
    biased = {qid for qid, question in questions.items() if is_length_biased(question)}
    assert biased == {"single-longest-correct", "multiple-all-correct-longer"}
    bias = length_bias(questions.values())
    assert bias.counted == 5  # the classify item is not counted
    assert bias.share == pytest.approx(2 / 5)
    assert not bias.is_acceptable  # 40% is above the 30% limit


def test_the_mirror_image_counts_correct_options_that_are_strictly_the_shortest():
    questions = fixture_questions("01-length-rules.yaml")
    reverse = length_bias(questions.values(), "shortest")
    assert [question.id for question in reverse.biased] == ["single-correct-shortest"]
    assert reverse.share == pytest.approx(1 / 5) and reverse.is_acceptable


def test_the_real_bank_is_within_the_length_bias_limit():
    from app.content.curriculum import load_curriculum

    curriculum, _ = load_curriculum(REAL_CURRICULUM)
    for extreme in ("longest", "shortest"):
        bias = length_bias(curriculum.questions_by_id.values(), extreme)
        assert bias.share <= MAX_LENGTH_BIAS, [question.id for question in bias.biased]


def lengthen_every_correct_option(folder: Path) -> None:
    """Make the bank length-biased: append a careful clause to every correct option."""
    pattern = re.compile(r'(- text: "[^"\n]*)"(\n\s+correct: true)')
    for path in (folder / "questions").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(
            pattern.sub(r'\1, as the lesson explains at some length and with care"\2', text), encoding="utf-8"
        )


def test_check_fails_on_a_length_biased_bank_and_names_the_questions(app, curriculum_copy):
    lengthen_every_correct_option(curriculum_copy)
    result = run_check(app, CURRICULUM_DIR=str(curriculum_copy))
    assert result.exit_code == 1, result.output
    assert re.search(r"curriculum/questions: the correct option is the longest in \d+ of \d+", result.output)
    assert re.search(
        r"questions/03-session-phase-by-phase\.yaml:\d+: question 'ph-order': the correct option is the longest",
        result.output,
    )
    assert re.search(r"^Length bias: .* \((\d+)%; at most 30% allowed\)\.$", result.output, re.MULTILINE)


def test_check_prints_the_length_bias_of_the_real_bank(app):
    result = run_check(app)
    assert result.exit_code == 0, result.output
    for label, extreme in (("Length bias", "longest"), ("Reverse length bias", "shortest")):
        pattern = rf"^{label}: the correct option is the {extreme} in (\d+) of (\d+) single and multiple"
        match = re.search(pattern, result.output, re.M)
        assert match and int(match.group(1)) / int(match.group(2)) <= MAX_LENGTH_BIAS


# --- distractors --------------------------------------------------------------------------------


def test_too_few_wrong_options_are_reported_per_question(app, curriculum_copy):
    # Put the fixture in the place of lesson 2's questions, keeping the lesson's file name.
    target = curriculum_copy / "questions" / "02-the-balint-group.yaml"
    text = (FIXTURES / "bank" / "02-distractor-rules.yaml").read_text(encoding="utf-8")
    target.write_text(text.replace("lesson: distractor-rules", "lesson: the-balint-group"), encoding="utf-8")
    result = run_check(app, CURRICULUM_DIR=str(curriculum_copy))
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert any(
        line.endswith(
            "questions/02-the-balint-group.yaml:4: question 'single-two-distractors': "
            "a single question needs at least 3 wrong options, not 2"
        )
        for line in lines
    )
    assert any(
        line.endswith(
            "questions/02-the-balint-group.yaml:27: question 'multiple-one-wrong': "
            "a multiple question needs at least 2 wrong options, not 1"
        )
        for line in lines
    )
    assert not any("'single-three-distractors'" in line or "'multiple-two-wrong'" in line for line in lines)


# --- tags ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["topic", "difficulty"])
def test_a_question_without_its_tag_fails_the_check(app, curriculum_copy, tag):
    path = curriculum_copy / "questions" / "03-session-phase-by-phase.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if line.strip() == "- id: ph-order")
    end = next(n for n, line in enumerate(lines) if n > start and line.strip().startswith("- id:"))
    removed = [n for n in range(start, end) if lines[n].strip().startswith(f"{tag}:")]
    assert len(removed) == 1
    del lines[removed[0]]
    path.write_text("".join(lines), encoding="utf-8")
    result = run_check(app, CURRICULUM_DIR=str(curriculum_copy))
    assert result.exit_code == 1
    assert (
        f"03-session-phase-by-phase.yaml:{start + 1}: missing key '{tag}' in question 'ph-order'"
        in result.output
    )


# --- copied wording -----------------------------------------------------------------------------


def test_a_ten_word_run_shared_with_the_reference_is_reported_with_its_line():
    problems = check_copied_wording([FIXTURES / "copied"], FIXTURES / "reference")
    assert [(Path(problem.path).name, problem.line) for problem in problems] == [("ten-words.md", 4)]
    assert "'the feelings stirred by a difficult patient can be noticed'" in problems[0].message


def test_nine_shared_words_pass():
    problems = check_copied_wording([FIXTURES / "copied"], FIXTURES / "reference")
    assert not any(Path(problem.path).name == "nine-words.md" for problem in problems)


def test_a_copied_paragraph_is_one_problem_not_one_per_word(tmp_path):
    article = (FIXTURES / "reference" / "article.txt").read_text(encoding="utf-8")
    (tmp_path / "lesson.md").write_text("Intro.\n\n" + article, encoding="utf-8")
    problems = check_copied_wording([tmp_path], FIXTURES / "reference")
    assert len(problems) == 1
    assert problems[0].line == 3


def test_check_fails_on_vignette_text_copied_from_the_reference(app, tmp_path):
    vignettes = tmp_path / "case_vignettes"
    shutil.copytree(app.config["VIGNETTES_DIR"], vignettes)
    first = sorted(vignettes.glob("*.md"))[0]
    first.write_text(
        first.read_text(encoding="utf-8")
        + "\nThe leader keeps the frame steady, so the members can wander freely.\n",
        encoding="utf-8",
    )
    result = run_check(app, VIGNETTES_DIR=str(vignettes), CONTENT_REFERENCE_DIR=str(FIXTURES / "reference"))
    assert result.exit_code == 1, result.output
    assert f"{first.name}:" in result.output
    assert "'the leader keeps the frame steady so the members can'" in result.output


def test_the_real_content_shares_no_run_with_the_fixture_reference(app):
    result = run_check(app, CONTENT_REFERENCE_DIR=str(FIXTURES / "reference"))
    assert result.exit_code == 0, result.output
    assert "no ten-word run shared with" in result.output


def test_an_absent_reference_folder_is_skipped_with_a_note(app, tmp_path):
    result = run_check(app, CONTENT_REFERENCE_DIR=str(tmp_path / "absent"))
    assert result.exit_code == 0, result.output
    assert "is absent; the copied-wording check was skipped." in result.output
