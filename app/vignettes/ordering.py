"""The order in which a trainee sees a choose-intervention exercise's options.

Files list the recommended option wherever the author put it; shown in file order,
position would give the answer away. Each reflection chain gets its own order,
drawn once from a seed of its enrolment and vignette (so the page shows the same
order before the first save as after it), and recorded on the reflection: review
then shows the options as the trainee saw them, even if this code or the file
changes later.
"""

from __future__ import annotations

import hashlib
import random

from app.vignettes.schema import Exercise, Option, Vignette


def seed_for(enrolment_id: int, slug: str) -> str:
    return f"{enrolment_id}:{slug}"


def shuffled(exercise: Exercise, seed: str) -> list[str]:
    """The option ids of one exercise in an order fixed by ``seed`` and the exercise id."""
    digest = hashlib.sha256(f"{seed}:{exercise.id}".encode()).digest()
    ids = [option.id for option in exercise.options]
    # Not for secrecy: a seeded generator so the same seed always gives the same order.
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(ids)  # noqa: S311
    return ids


def option_orders(vignette: Vignette, seed: str | None) -> dict[str, list[str]]:
    """The order of every choose-intervention exercise; without a seed, the file's order."""
    return {
        exercise.id: shuffled(exercise, seed) if seed else [option.id for option in exercise.options]
        for exercise in vignette.exercises
        if exercise.kind == "choose-intervention"
    }


def ordered_options(exercise: Exercise, recorded: list[str] | None) -> list[Option]:
    """The options in the recorded order; any the file added since come last, any it removed go."""
    known = {option.id: option for option in exercise.options}
    order = [option_id for option_id in recorded or () if option_id in known]
    order += [option.id for option in exercise.options if option.id not in order]
    return [known[option_id] for option_id in order]
