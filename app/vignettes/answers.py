"""A reflection's answers: their documented shape, what a submission still lacks, the free text.

``Reflection.answers`` documents the shape. Cleaning refuses anything that is not an
answer to one of the vignette's exercises, so pages and the API store the same thing.
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.errors import ValidationError
from app.vignettes.schema import DIMENSION_KEYS, RATING_VALUES, Exercise, Vignette

MAX_ANSWER_LENGTH = 10_000


def field_name(exercise_id: str, part: str) -> str:
    """The form field that holds one part of an answer; errors are keyed by it."""
    return f"{exercise_id}__{part}"


def clean_answers(vignette: Vignette, answers: dict) -> dict:
    """Keep the answers to this vignette's exercises, in their documented shape."""
    cleaned: dict[str, dict] = {}
    problems: dict[str, list[str]] = {}
    for exercise in vignette.exercises:
        given = answers.get(exercise.id) or {}
        text = (given.get("text") or "").strip()
        if len(text) > MAX_ANSWER_LENGTH:
            problems[field_name(exercise.id, "text")] = [
                _("Please keep this under %(n)d characters.", n=MAX_ANSWER_LENGTH)
            ]
        entry: dict = {"text": text}
        if exercise.kind == "rate-dimensions":
            ratings = given.get("ratings") or {}
            entry["ratings"] = {}
            for key in DIMENSION_KEYS:
                value = ratings.get(key)
                if value is not None and (isinstance(value, bool) or value not in RATING_VALUES):
                    problems[field_name(exercise.id, key)] = [_("Choose a rating from -2 to 2.")]
                elif value is not None:
                    entry["ratings"][key] = int(value)
        if exercise.kind == "choose-intervention":
            choice = given.get("choice") or None
            if choice is not None and exercise.option(choice) is None:
                problems[field_name(exercise.id, "choice")] = [_("Choose one of the options.")]
            entry["choice"] = choice
        if exercise.kind == "reader-response":
            entry.update(_clean_reader_response(exercise, given, problems))
        if exercise.kind == "colleague-test":
            entry["marked"] = _clean_marks(exercise, given.get("marked"), problems)
        cleaned[exercise.id] = entry
    if problems:
        raise ValidationError(_("Some answers need your attention."), fields=problems)
    return cleaned


def _clean_reader_response(exercise: Exercise, given: dict, problems: dict) -> dict:
    feeling = (given.get("feeling") or "").strip() if isinstance(given.get("feeling"), str | None) else None
    if feeling is None or len(feeling) > MAX_ANSWER_LENGTH:
        problems[field_name(exercise.id, "feeling")] = [_("Please describe the feeling in words.")]
    sided_with = given.get("sided_with") or None
    if sided_with is not None and sided_with not in exercise.side_ids:
        problems[field_name(exercise.id, "sided_with")] = [_("Choose one of the people, or no one.")]
    return {"feeling": feeling or "", "sided_with": sided_with}


def _clean_marks(exercise: Exercise, marked: object, problems: dict) -> list[str]:
    """The details marked, in the passage's order; anything that is not one of them is refused."""
    if marked is None:
        return []
    known = [detail.id for detail in exercise.details]
    if not isinstance(marked, list | tuple) or any(item not in known for item in marked):
        problems[field_name(exercise.id, "marked")] = [_("Mark only details from the passage.")]
        return []
    return [detail_id for detail_id in known if detail_id in marked]


def missing_parts(vignette: Vignette, answers: dict) -> dict[str, list[str]]:
    """What a submission still lacks, by form field."""
    missing: dict[str, list[str]] = {}
    for exercise in vignette.exercises:
        entry = answers[exercise.id]
        if exercise.kind == "rate-dimensions":
            for key in DIMENSION_KEYS:
                if key not in entry["ratings"]:
                    missing[field_name(exercise.id, key)] = [_("Choose a rating before submitting.")]
        if exercise.kind == "choose-intervention" and not entry["choice"]:
            missing[field_name(exercise.id, "choice")] = [_("Choose an option before submitting.")]
        if exercise.kind == "reader-response":
            if not entry["feeling"]:
                missing[field_name(exercise.id, "feeling")] = [_("Say what you felt before submitting.")]
            if not entry["sided_with"]:
                missing[field_name(exercise.id, "sided_with")] = [
                    _("Say with whom you sided before submitting.")
                ]
        if exercise.kind == "colleague-test" and not entry["marked"]:
            missing[field_name(exercise.id, "marked")] = [_("Mark the details before submitting.")]
        if not entry["text"]:
            missing[field_name(exercise.id, "text")] = [_("Please write an answer before submitting.")]
    return missing


def free_texts(answers: dict) -> dict[str, str]:
    """Every written part of the answers, keyed by its form field."""
    texts = {field_name(exercise_id, "text"): entry["text"] for exercise_id, entry in answers.items()}
    for exercise_id, entry in answers.items():
        if "feeling" in entry:
            texts[field_name(exercise_id, "feeling")] = entry["feeling"]
    return texts
