"""What a loaded vignette is: frozen dataclasses, the allowed values and their labels.

The rules for writing a vignette file are documented in ``case_vignettes/README.md``;
the values here are the ones that README lists, so the two must change together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FILE_NAME_PATTERN = re.compile(r"^(?P<number>[0-9]{2})-(?P<slug>.+)\.md$")
#: Page names under /vignettes/ that a vignette's slug would hide.
RESERVED_SLUGS = frozenset({"reflections", "review", "overview"})

PROFESSIONS = {
    "general-practitioner": _l("General practitioner"),
    "child-psychologist": _l("Child psychologist"),
    "hospital-nurse": _l("Hospital nurse"),
    "psychiatrist": _l("Psychiatrist"),
    "teacher": _l("Teacher"),
    "social-worker": _l("Social worker"),
    "veterinarian": _l("Veterinarian"),
    "palliative-care-team": _l("Palliative care team"),
    "midwife": _l("Midwife"),
    "physiotherapist": _l("Physiotherapist"),
    "school-counsellor": _l("School counsellor"),
    "junior-doctor": _l("Junior doctor"),
    "psychotherapist": _l("Psychotherapist"),
    "occupational-therapist": _l("Occupational therapist"),
    "pharmacist": _l("Pharmacist"),
    "health-visitor": _l("Health visitor"),
    "hospital-doctor": _l("Hospital doctor"),
    "psychologist": _l("Psychologist"),
}

GROUP_FORMATS = {"in-person": _l("Group meets in person"), "online": _l("Group meets online")}

EXERCISE_KINDS = {
    "clarifying-questions": _l("Clarifying questions"),
    "imagine-feelings": _l("Imagine the feelings"),
    "rate-dimensions": _l("Rate the mentalizing dimensions"),
    "image-metaphor": _l("Image or metaphor"),
    "choose-intervention": _l("Choose an intervention"),
    "reader-response": _l("What you felt, and with whom you sided"),
    "colleague-test": _l("The colleague test"),
}

#: Keys each kind requires beyond id, kind, prompt and guidance; no other kind may have them.
EXTRA_KEYS: dict[str, tuple[str, ...]] = {
    "clarifying-questions": (),
    "imagine-feelings": ("person",),
    "rate-dimensions": ("reference_ratings",),
    "image-metaphor": (),
    "choose-intervention": ("moment", "options", "recommended"),
    "reader-response": ("people",),
    "colleague-test": ("passage", "details"),
}

#: The reader-response answer for siding with nobody, or being torn; never a person's id.
NO_ONE = "no-one"
NO_ONE_LABEL = _l("No one in particular, or torn between them")

RATING_VALUES = (-2, -1, 0, 1, 2)


def signed(value: int) -> str:
    """-2, -1, 0, +1, +2 with a true minus sign, as printed on the scale."""
    return f"+{value}" if value > 0 else str(value).replace("-", "\u2212")


@dataclass(frozen=True)
class Dimension:
    """One of the four dimensions of mentalizing, rated from -2 (first pole) to 2 (second)."""

    key: str
    name: str
    first_pole: str
    second_pole: str
    scale: tuple[str, ...]  # a label for each of -2, -1, 0, 1, 2

    def label(self, value: int) -> str:
        return str(self.scale[RATING_VALUES.index(value)])


DIMENSIONS = (
    Dimension(
        "automatic-controlled",
        _l("Automatic – controlled"),
        _l("automatic"),
        _l("controlled"),
        (
            _l("strongly automatic"),
            _l("leaning automatic"),
            _l("balanced"),
            _l("leaning controlled"),
            _l("strongly controlled"),
        ),
    ),
    Dimension(
        "self-other",
        _l("Self – other"),
        _l("self"),
        _l("other"),
        (
            _l("strongly self-focused"),
            _l("leaning self"),
            _l("balanced"),
            _l("leaning other"),
            _l("strongly other-focused"),
        ),
    ),
    Dimension(
        "external-internal",
        _l("External – internal"),
        _l("external"),
        _l("internal"),
        (
            _l("strongly external"),
            _l("leaning external"),
            _l("balanced"),
            _l("leaning internal"),
            _l("strongly internal"),
        ),
    ),
    Dimension(
        "affective-cognitive",
        _l("Affective – cognitive"),
        _l("affective"),
        _l("cognitive"),
        (
            _l("strongly affective"),
            _l("leaning affective"),
            _l("balanced"),
            _l("leaning cognitive"),
            _l("strongly cognitive"),
        ),
    ),
)
DIMENSION_KEYS = tuple(dimension.key for dimension in DIMENSIONS)


@dataclass(frozen=True)
class Option:
    """One action a leader could take at the exercise's moment."""

    id: str
    text: str


@dataclass(frozen=True)
class Detail:
    """A phrase of a colleague-test passage; ``is_identifying`` is the experienced leaders' call."""

    id: str
    text: str
    is_identifying: bool
    note: str  # why it would or would not give the person away, and how to change it


@dataclass(frozen=True)
class ColleagueTestResult:
    """A trainee's marks compared with the file's: what they found, missed and over-marked."""

    found: tuple[Detail, ...]
    missed: tuple[Detail, ...]
    over_marked: tuple[Detail, ...]

    @property
    def identifying_total(self) -> int:
        return len(self.found) + len(self.missed)


@dataclass(frozen=True)
class Exercise:
    """A reflection exercise; the extra fields are set only for the kinds that use them."""

    id: str
    kind: str
    prompt: str
    guidance: str
    person: str | None = None
    reference_ratings: tuple[tuple[str, int], ...] = ()
    moment: str | None = None
    options: tuple[Option, ...] = ()
    recommended: str | None = None
    people: tuple[Option, ...] = ()
    passage: str | None = None
    details: tuple[Detail, ...] = ()

    @property
    def kind_label(self) -> str:
        return str(EXERCISE_KINDS[self.kind])

    @property
    def reference(self) -> dict[str, int]:
        return dict(self.reference_ratings)

    def option(self, option_id: str | None) -> Option | None:
        return next((option for option in self.options if option.id == option_id), None)

    def side(self, person_id: str | None) -> str | None:
        """The label of a reader-response choice: a person's role, or "no one"."""
        if person_id == NO_ONE:
            return str(NO_ONE_LABEL)
        return next((person.text for person in self.people if person.id == person_id), None)

    @property
    def side_ids(self) -> frozenset[str]:
        return frozenset(person.id for person in self.people) | {NO_ONE}

    def passage_parts(self) -> list[tuple[str, int | None]]:
        """The passage cut at its details: (text, the detail's number from 1, or None between them)."""
        passage, parts = self.passage or "", []
        spans = sorted((passage.index(d.text), number) for number, d in enumerate(self.details, 1))
        at = 0
        for start, number in spans:
            if start > at:
                parts.append((passage[at:start], None))
            end = start + len(self.details[number - 1].text)
            parts.append((passage[start:end], number))
            at = end
        if at < len(passage):
            parts.append((passage[at:], None))
        return parts

    def colleague_test(self, marked: list[str] | tuple[str, ...]) -> ColleagueTestResult:
        """Compare the details a trainee marked with those the file calls identifying."""
        chosen = set(marked)
        return ColleagueTestResult(
            found=tuple(d for d in self.details if d.is_identifying and d.id in chosen),
            missed=tuple(d for d in self.details if d.is_identifying and d.id not in chosen),
            over_marked=tuple(d for d in self.details if not d.is_identifying and d.id in chosen),
        )


@dataclass(frozen=True)
class Vignette:
    """A case as a presenter tells it, with its exercises; ``version`` hashes the file."""

    number: int
    slug: str
    file_name: str
    title: str
    profession: str
    setting: str
    group_format: str
    summary: str
    themes: tuple[str, ...]
    exercises: tuple[Exercise, ...]
    body: str  # Markdown source
    body_html: Markup = field(repr=False, compare=False)
    version: str = ""

    @property
    def profession_label(self) -> str:
        return str(PROFESSIONS[self.profession])

    @property
    def group_format_label(self) -> str:
        return str(GROUP_FORMATS[self.group_format])

    def exercise(self, exercise_id: str) -> Exercise | None:
        return next((exercise for exercise in self.exercises if exercise.id == exercise_id), None)


@dataclass(frozen=True)
class Library:
    """Every vignette of a folder, in file order."""

    vignettes: tuple[Vignette, ...]

    def get(self, slug: str) -> Vignette | None:
        return next((vignette for vignette in self.vignettes if vignette.slug == slug), None)

    def __len__(self) -> int:
        return len(self.vignettes)
