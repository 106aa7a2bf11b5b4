"""Reading one question file (questions/NN-<slug>.yaml) with the rules of curriculum/README.md."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from app.content.curriculum import DIFFICULTIES, DIMENSIONS, QUESTION_KINDS, Option, Question
from app.content.problems import Problem
from app.content.schema import FileReport, YamlList, YamlMap, read_source

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FILE_NAME = re.compile(r"^\d\d-([a-z0-9]+(?:-[a-z0-9]+)*)\.yaml$")
MIN_QUESTIONS = 6
OPTION_COUNTS = {"single": (3, 5), "multiple": (4, 6)}
CATCH_ALL = re.compile(r"\b(all|none) of the above\b", re.IGNORECASE)
MULTIPLE_PROMPT_END = "Choose all that apply."
#: Tags every question carries: what it tests and how hard its author thinks it is.
TAG_KEYS = ("topic", "difficulty")


@dataclass(frozen=True)
class QuestionFile:
    lesson_slug: str
    questions: tuple[Question, ...]
    lines: tuple[int, ...]  # the line of each question, for messages that span files


def read_question_file(path: Path, problems: list[Problem]) -> QuestionFile | None:
    report = FileReport(path, problems)
    match = FILE_NAME.match(path.name)
    source = read_source(path, report)
    data = report.load_yaml(source[0]) if source else None
    top = report.mapping(data, "the file", 1) if source and report.is_clean else None
    if top is None or match is None:
        return None
    report.keys(top, ["lesson", "questions"], where="the file")
    lesson = report.text(top, "lesson", "the file")
    if lesson is not None and lesson != match.group(1):
        report.add(
            report.line(top, "lesson"), f"lesson '{lesson}' does not match the file name '{path.name}'"
        )
    items = report.sequence(top, "questions", "the file")
    questions: list[Question] = []
    lines: list[int] = []
    if items is not None:
        if len(items) < MIN_QUESTIONS:
            report.add(
                report.line(top, "questions"),
                f"a lesson needs at least {MIN_QUESTIONS} questions; this file has {len(items)}",
            )
        for item, line in zip(items, items.item_lines, strict=True):
            question = _question(item, line, report, match.group(1), source[1])
            if question is not None:
                questions.append(question)
                lines.append(line)
    if not report.is_clean:
        return None
    return QuestionFile(lesson_slug=match.group(1), questions=tuple(questions), lines=tuple(lines))


def _question(item: object, line: int, report: FileReport, lesson_slug: str, version: str) -> Question | None:
    data = report.mapping(item, "each question", line)
    if data is None:
        return None
    question_id = data.get("id")
    where = f"question '{question_id}'" if isinstance(question_id, str) else f"the question on line {line}"
    kind = data.get("kind")
    if kind not in QUESTION_KINDS:
        shown = f"'{kind}'" if "kind" in data else "nothing"
        report.add(
            report.line(data, "kind"), f"'kind' of {where} must be single, multiple or classify, not {shown}"
        )
        return None
    if kind == "classify":
        report.keys(data, ["id", "kind", "statement", "answer", "explanation", *TAG_KEYS], where=where)
    else:
        report.keys(
            data, ["id", "kind", "prompt", "options", "explanation", *TAG_KEYS], ["dimensions"], where=where
        )
    if isinstance(question_id, str) and not SLUG.match(question_id):
        report.add(report.line(data, "id"), f"id '{question_id}' must be lowercase-with-hyphens")
    question_id = report.text(data, "id", where)
    explanation = report.text(data, "explanation", where)
    if kind == "classify":
        text = report.text(data, "statement", where)
        answer = _classify_answer(data, report, where)
        options: tuple[Option, ...] = ()
        dimensions: tuple[str, ...] = ()
    else:
        text = report.text(data, "prompt", where)
        if kind == "multiple" and text is not None and not text.endswith(MULTIPLE_PROMPT_END):
            report.add(
                report.line(data, "prompt"), f"the prompt of {where} must end with '{MULTIPLE_PROMPT_END}'"
            )
        options = _options(data, report, where, kind)
        dimensions = _dimensions(data, report, where)
        answer = None
    topic, difficulty = _tags(data, report, where)
    if None in (question_id, explanation, text, topic, difficulty) or (kind == "classify" and answer is None):
        return None
    return Question(
        id=question_id,
        lesson_slug=lesson_slug,
        kind=kind,
        text=" ".join(text.split()),
        explanation=" ".join(explanation.split()),
        version=version,
        options=options or (),
        answer=answer,
        dimensions=dimensions or (),
        topic=topic,
        difficulty=difficulty,
    )


def _tags(data: YamlMap, report: FileReport, where: str) -> tuple[str | None, str | None]:
    """``topic`` (a slug) and ``difficulty`` (easy, medium or hard); None when absent (reported) or wrong."""
    topic = None
    if "topic" in data:
        topic = report.text(data, "topic", where)
        if topic is not None and not SLUG.match(topic):
            message = f"topic '{topic}' of {where} must be lowercase-with-hyphens"
            report.add(report.line(data, "topic"), message)
            topic = None
    difficulty = report.choice(data, "difficulty", where, DIFFICULTIES)
    return topic, difficulty


def _options(data: YamlMap, report: FileReport, where: str, kind: str) -> tuple[Option, ...] | None:
    items = report.sequence(data, "options", where)
    if items is None:
        return None
    options: list[Option] = []
    texts: set[str] = set()
    for item, line in zip(items, items.item_lines, strict=True):
        option = report.mapping(item, f"each option of {where}", line)
        if option is None:
            continue
        report.keys(option, ["text"], ["correct"], where=f"an option of {where}")
        text = report.text(option, "text", f"an option of {where}")
        if "correct" in option and option["correct"] is not True:
            report.add(
                report.line(option, "correct"),
                f"'correct' in an option of {where} must be true; leave it out for a wrong option",
            )
        if text is None:
            continue
        if CATCH_ALL.search(text):
            report.add(line, f"'{text}' in {where}: do not use 'all of the above' or 'none of the above'")
        if text in texts:
            report.add(line, f"the option '{text}' appears twice in {where}")
        texts.add(text)
        options.append(Option(text=" ".join(text.split()), is_correct=option.get("correct") is True))
    low, high = OPTION_COUNTS[kind]
    if not low <= len(items) <= high:
        report.add(
            report.line(data, "options"), f"a {kind} question needs {low} to {high} options, not {len(items)}"
        )
    correct = sum(option.is_correct for option in options)
    if kind == "single" and correct != 1:
        report.add(
            report.line(data, "options"), f"{where} is single: mark exactly one option correct, not {correct}"
        )
    if kind == "multiple" and correct < 2:
        report.add(
            report.line(data, "options"),
            f"{where} is multiple: mark at least two options correct, not {correct}",
        )
    return tuple(options)


def _dimensions(data: YamlMap, report: FileReport, where: str) -> tuple[str, ...] | None:
    if "dimensions" not in data:
        return ()
    values = report.text_list(data, "dimensions", where)
    if values is None:
        return None
    items: YamlList = data["dimensions"]
    for value, line in zip(values, items.item_lines, strict=True):
        if value not in DIMENSIONS:
            report.add(line, f"unknown dimension '{value}' in {where}; use one of {', '.join(DIMENSIONS)}")
    if len(set(values)) != len(values):
        report.add(report.line(data, "dimensions"), f"a dimension is listed twice in {where}")
    return values


def _classify_answer(data: YamlMap, report: FileReport, where: str) -> tuple[str, str] | None:
    if "answer" not in data:
        return None
    answer = report.mapping(data["answer"], f"'answer' of {where}", report.line(data, "answer"))
    if answer is None:
        return None
    report.keys(answer, ["dimension", "pole"], where=f"the answer of {where}")
    dimension = report.text(answer, "dimension", f"the answer of {where}")
    pole = report.text(answer, "pole", f"the answer of {where}")
    if dimension is None or pole is None:
        return None
    if dimension not in DIMENSIONS:
        report.add(
            report.line(answer, "dimension"),
            f"unknown dimension '{dimension}' in {where}; use one of {', '.join(DIMENSIONS)}",
        )
        return None
    if pole not in DIMENSIONS[dimension]:
        poles = " or ".join(DIMENSIONS[dimension])
        report.add(
            report.line(answer, "pole"), f"the pole of {dimension} in {where} must be {poles}, not '{pole}'"
        )
        return None
    return dimension, pole
