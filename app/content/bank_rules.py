"""Rules for the question bank as a whole, and the check that no text copies the reference article.

The loader (question_file.py) checks each file's shape; these rules look across the
bank for habits that let a trainee pass by test-taking instead of understanding:

- **Length bias.** Writers tend to make the right answer the longest, most careful
  option. A single-choice question is *length-biased* when its correct option is
  strictly longer (in characters, whitespace collapsed) than every other option. A
  multiple-choice question is length-biased when every correct option is strictly
  longer than every wrong one, so that "tick the long ones" would score full marks.
  Classify items have no options and are not counted. The share of length-biased
  questions among the single and multiple questions may be at most ``MAX_LENGTH_BIAS``.
  The mirror image is checked with the same limit: a bank rewritten to avoid long right
  answers can end up with the right answer as the *shortest* option just as often.
- **Enough distractors.** A single-choice question needs at least three wrong options
  (one lucky guess in four at most); a multiple-choice question at least two, so that
  the wrong ones are not simply "the odd one out".
- **No copied wording.** No run of ten words may appear both in a curriculum or vignette
  file and in a reference text (the article our module draws on). Text is compared
  lowercased, with apostrophes dropped and other punctuation read as a space.

Missing ``topic`` and ``difficulty`` tags are reported by the loader, which requires them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.content.curriculum import Curriculum, Question
from app.content.problems import Problem
from app.content.schema import display_path

MAX_LENGTH_BIAS = 0.30
MIN_WRONG_OPTIONS = {"single": 3, "multiple": 2}
RUN_LENGTH = 10
#: Files compared with the reference: the content we write, in the formats we write it.
CONTENT_SUFFIXES = (".md", ".yaml", ".yml", ".txt")
#: Reference texts are stored as plain text.
REFERENCE_SUFFIXES = (".txt",)

_APOSTROPHES = re.compile(r"['\u2018\u2019]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class LengthBias:
    """How many of the counted (single and multiple) questions are length-biased."""

    biased: tuple[Question, ...]
    counted: int
    extreme: str = "longest"  # or "shortest", for the mirror-image check

    @property
    def share(self) -> float:
        return len(self.biased) / self.counted if self.counted else 0.0

    @property
    def is_acceptable(self) -> bool:
        return self.share <= MAX_LENGTH_BIAS

    def summary(self) -> str:
        label = "Length bias" if self.extreme == "longest" else "Reverse length bias"
        return (
            f"{label}: the correct option is the {self.extreme} in {len(self.biased)} of {self.counted} "
            f"single and multiple questions ({self.share:.0%}; at most {MAX_LENGTH_BIAS:.0%} allowed)."
        )


def _length(text: str) -> int:
    return len(" ".join(text.split()))


def is_length_biased(question: Question, extreme: str = "longest") -> bool:
    """True when option length alone gives the answer away (see the module docstring)."""
    if question.kind not in MIN_WRONG_OPTIONS:
        return False
    right = [_length(option.text) for option in question.options if option.is_correct]
    wrong = [_length(option.text) for option in question.options if not option.is_correct]
    if not (right and wrong):
        return False
    return min(right) > max(wrong) if extreme == "longest" else max(right) < min(wrong)


def length_bias(questions: Iterable[Question], extreme: str = "longest") -> LengthBias:
    counted = [question for question in questions if question.kind in MIN_WRONG_OPTIONS]
    return LengthBias(tuple(q for q in counted if is_length_biased(q, extreme)), len(counted), extreme)


class _QuestionLocator:
    """File and line of a question, for messages: questions/NN-<lesson>.yaml, line of its id."""

    def __init__(self, folder: Path, curriculum: Curriculum) -> None:
        self.folder = folder
        self.files = {
            lesson.slug: folder / "questions" / f"{lesson.position:02d}-{lesson.slug}.yaml"
            for lesson in curriculum.lessons
        }
        self._lines: dict[Path, list[str]] = {}

    def problem(self, question: Question, message: str) -> Problem:
        path = self.files[question.lesson_slug]
        if path not in self._lines:
            self._lines[path] = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        pattern = re.compile(rf"^\s*-?\s*id:\s*['\"]?{re.escape(question.id)}['\"]?\s*$")
        line = next((n for n, text in enumerate(self._lines[path], start=1) if pattern.match(text)), None)
        return Problem(display_path(path), line, f"question '{question.id}': {message}")


def check_bank(folder: Path, curriculum: Curriculum) -> tuple[tuple[LengthBias, ...], list[Problem]]:
    """The length-bias figures (longest, shortest), and a problem per question breaking a bank rule."""
    locator = _QuestionLocator(folder, curriculum)
    questions = [question for lesson in curriculum.lessons for question in lesson.questions]
    problems: list[Problem] = []
    for question in questions:
        needed = MIN_WRONG_OPTIONS.get(question.kind)
        if needed is None:
            continue
        wrong = sum(not option.is_correct for option in question.options)
        if wrong < needed:
            problems.append(
                locator.problem(
                    question,
                    f"a {question.kind} question needs at least {needed} wrong options, not {wrong}",
                )
            )
    biases = (length_bias(questions, "longest"), length_bias(questions, "shortest"))
    for bias in biases:
        if bias.is_acceptable:
            continue
        problems.append(
            Problem(
                display_path(folder / "questions"),
                None,
                f"the correct option is the {bias.extreme} in {len(bias.biased)} of {bias.counted} questions "
                f"({bias.share:.0%}), above the {MAX_LENGTH_BIAS:.0%} allowed; shorten or lengthen options "
                "in the questions listed below",
            )
        )
        problems.extend(
            locator.problem(
                question, f"the correct option is the {bias.extreme} (counts towards the length bias)"
            )
            for question in bias.biased
        )
    return biases, problems


# --- copied wording -------------------------------------------------------------------------------


def words_with_lines(text: str) -> list[tuple[str, int]]:
    """The normalised words of ``text``, each with its 1-based line."""
    words: list[tuple[str, int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        cleaned = _NOT_WORD.sub(" ", _APOSTROPHES.sub("", line.lower()))
        words.extend((word, number) for word in cleaned.split())
    return words


def reference_runs(folder: Path) -> set[tuple[str, ...]]:
    """Every run of RUN_LENGTH consecutive normalised words in the reference texts."""
    runs: set[tuple[str, ...]] = set()
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix in REFERENCE_SUFFIXES:
            words = [word for word, _ in words_with_lines(path.read_text(encoding="utf-8", errors="replace"))]
            runs.update(tuple(words[i : i + RUN_LENGTH]) for i in range(len(words) - RUN_LENGTH + 1))
    return runs


def shared_runs(path: Path, runs: set[tuple[str, ...]]) -> list[Problem]:
    """One problem per stretch of ``path`` that shares a ten-word run with the reference.

    Overlapping runs are merged, so a copied paragraph is one message quoting its start.
    """
    words = words_with_lines(path.read_text(encoding="utf-8", errors="replace"))
    problems: list[Problem] = []
    covered_until = -1
    for start in range(len(words) - RUN_LENGTH + 1):
        run = tuple(word for word, _ in words[start : start + RUN_LENGTH])
        if run not in runs:
            continue
        if start > covered_until:
            problems.append(
                Problem(
                    display_path(path),
                    words[start][1],
                    f"shares a run of {RUN_LENGTH} or more words with the reference article: "
                    f"'{' '.join(run)}'; rewrite it in our own words",
                )
            )
        covered_until = start + RUN_LENGTH - 1
    return problems


def check_copied_wording(content_folders: Iterable[Path], reference_folder: Path) -> list[Problem]:
    """Compare every content file under ``content_folders`` with the reference texts."""
    runs = reference_runs(reference_folder)
    problems: list[Problem] = []
    for folder in content_folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in CONTENT_SUFFIXES:
                problems.extend(shared_runs(path, runs))
    return problems
