"""The rules of a vignette file, checked strictly and reported with file lines.

Every rule in ``case_vignettes/README.md`` that a machine can check is checked here.
The checks collect every problem instead of stopping at the first, so one run of
``flask content check`` gives an author the whole list.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

from app.vignettes.frontmatter import LineList, LineMap
from app.vignettes.schema import (
    DIMENSION_KEYS,
    EXERCISE_KINDS,
    EXTRA_KEYS,
    GROUP_FORMATS,
    NO_ONE,
    PROFESSIONS,
    RATING_VALUES,
    RESERVED_SLUGS,
    SLUG_PATTERN,
    Detail,
    Exercise,
    Option,
)

TOP_KEYS = ("slug", "title", "profession", "setting", "group_format", "summary", "themes", "exercises")
EXERCISE_KEYS = ("id", "kind", "prompt", "guidance")
ALL_EXTRA_KEYS = {key: kind for kind, keys in EXTRA_KEYS.items() for key in keys}

BODY_WORDS = (450, 800)
GUIDANCE_WORDS = (60, 150)
THEMES = (2, 5)
OPTIONS = (3, 4)
PEOPLE = (2, 5)
DETAILS = (3, 8)
PASSAGE_WORDS = (40, 160)
NOTE_WORDS = (5, 60)
MIN_IDENTIFYING, MIN_HARMLESS = 2, 1
#: At most this share of choose-intervention exercises may have the longest option recommended.
MAX_LONGEST_RECOMMENDED = 0.3
MIN_EXERCISES, MIN_KINDS = 4, 3

#: Block and inline Markdown a telling may use: paragraphs with emphasis, nothing else.
_ALLOWED_BLOCKS = {"paragraph_open", "paragraph_close", "inline"}
_ALLOWED_INLINE = {"text", "softbreak", "hardbreak", "em_open", "em_close", "strong_open", "strong_close"}
_NAMES = {
    "heading_open": "a heading",
    "lheading_open": "a heading",
    "html_block": "raw HTML",
    "html_inline": "raw HTML",
    "bullet_list_open": "a list",
    "ordered_list_open": "a list",
    "blockquote_open": "a block quote",
    "code_block": "a code block",
    "fence": "a code block",
    "code_inline": "inline code",
    "hr": "a horizontal rule",
    "link_open": "a link",
    "image": "an image",
}
_checking_parser = MarkdownIt("commonmark", {"html": True})  # html on only to find and refuse it

Problems = list[tuple[int | None, str]]


def _type_name(value: object) -> str:
    if isinstance(value, LineMap):
        return "a mapping"
    if isinstance(value, LineList):
        return "a list"
    if value is None:
        return "nothing"
    return {bool: "true/false", int: "a number", float: "a number", str: "text"}.get(
        type(value), type(value).__name__
    )


def _words(text: str) -> int:
    return len(text.split())


class _Check:
    """Collects problems; helpers read one key of a mapping and report bad values at its line."""

    def __init__(self) -> None:
        self.problems: Problems = []

    def add(self, line: int | None, message: str) -> None:
        self.problems.append((line, message))

    @staticmethod
    def line(mapping: LineMap, key: str) -> int:
        """The line of ``key``: where an author looks for its value, even a list below it."""
        return mapping.key_lines.get(key, mapping.line)

    def keys(self, mapping: LineMap, required: tuple[str, ...], where: str, *, ordered: bool = False) -> None:
        for key, line in mapping.duplicates:
            self.add(line, f"key '{key}' is given twice in {where}")
        for key in mapping:
            if key in required:
                continue
            line = mapping.key_lines[key]
            if key in ALL_EXTRA_KEYS and where.startswith("exercise"):
                self.add(line, f"key '{key}' is only allowed on {ALL_EXTRA_KEYS[key]} exercises")
            else:
                self.add(line, f"unknown key '{key}' in {where}; allowed keys: {', '.join(required)}")
        for key in required:
            if key not in mapping:
                self.add(mapping.line, f"missing key '{key}' in {where}")
        present = [key for key in mapping if key in required]
        if ordered and present != [key for key in required if key in mapping]:
            self.add(mapping.line, f"keys of {where} must be in this order: {', '.join(required)}")

    def text(self, mapping: LineMap, key: str, where: str, *, pattern=None) -> str | None:
        if key not in mapping:
            return None
        value, line = mapping[key], self.line(mapping, key)
        if not isinstance(value, str):
            self.add(line, f"'{key}' in {where} must be text, not {_type_name(value)}")
            return None
        if not value.strip():
            self.add(line, f"'{key}' in {where} must not be empty")
            return None
        if pattern is not None and not pattern.match(value):
            self.add(
                line,
                f"'{key}' in {where} must be lowercase letters, digits and single hyphens, not '{value}'",
            )
            return None
        return value.strip()

    def choice(self, mapping: LineMap, key: str, allowed, where: str) -> str | None:
        value = self.text(mapping, key, where)
        if value is not None and value not in allowed:
            self.add(self.line(mapping, key), f"'{key}' must be one of {', '.join(allowed)}; not '{value}'")
            return None
        return value


def check_front_matter(data: object, *, file_slug: str) -> tuple[dict | None, Problems]:
    """The front matter's fields as dataclass arguments, or None, with every problem found."""
    check = _Check()
    if not isinstance(data, LineMap):
        check.add(2, f"the front matter must be a mapping of keys, not {_type_name(data)}")
        return None, check.problems
    where = "the front matter"
    check.keys(data, TOP_KEYS, where, ordered=True)
    slug = check.text(data, "slug", where, pattern=SLUG_PATTERN)
    if slug in RESERVED_SLUGS:
        check.add(check.line(data, "slug"), f"slug '{slug}' is the name of a page; choose another")
    if slug is not None and slug != file_slug:
        check.add(check.line(data, "slug"), f"slug '{slug}' differs from the file name's slug '{file_slug}'")
    title = check.text(data, "title", where)
    if title is not None and not title[0].isupper():
        check.add(check.line(data, "title"), "the title must start with a capital letter (sentence case)")
    fields = {
        "slug": slug,
        "title": title,
        "profession": check.choice(data, "profession", PROFESSIONS, where),
        "setting": check.text(data, "setting", where),
        "group_format": check.choice(data, "group_format", GROUP_FORMATS, where),
        "summary": check.text(data, "summary", where),
        "themes": _themes(check, data),
        "exercises": _exercises(check, data),
    }
    return (None if check.problems else fields), check.problems


def _themes(check: _Check, data: LineMap) -> tuple[str, ...] | None:
    if "themes" not in data:
        return None
    themes, line = data["themes"], check.line(data, "themes")
    if not isinstance(themes, LineList):
        check.add(line, f"'themes' must be a list, not {_type_name(themes)}")
        return None
    if not THEMES[0] <= len(themes) <= THEMES[1]:
        check.add(line, f"'themes' must have {THEMES[0]} to {THEMES[1]} tags, not {len(themes)}")
    for theme, (item_line, _end) in zip(themes, themes.item_lines, strict=True):
        if not isinstance(theme, str) or not theme.strip():
            check.add(item_line, f"each theme must be text, not {_type_name(theme)}")
        elif theme != theme.lower():
            check.add(item_line, f"theme '{theme}' must be lowercase")
    return tuple(str(theme) for theme in themes)


def _exercises(check: _Check, data: LineMap) -> tuple[Exercise, ...] | None:
    if "exercises" not in data:
        return None
    items, line = data["exercises"], check.line(data, "exercises")
    if not isinstance(items, LineList):
        check.add(line, f"'exercises' must be a list, not {_type_name(items)}")
        return None
    exercises: list[Exercise] = []
    seen: set[str] = set()
    for number, (item, (item_line, _end)) in enumerate(zip(items, items.item_lines, strict=True), start=1):
        if not isinstance(item, LineMap):
            check.add(item_line, f"exercise {number} must be a mapping, not {_type_name(item)}")
            continue
        exercise = _exercise(check, item, number)
        if exercise is None:
            continue
        if exercise.id in seen:
            check.add(check.line(item, "id"), f"exercise id '{exercise.id}' is used twice")
        seen.add(exercise.id)
        exercises.append(exercise)
    kinds = [str(item.get("kind")) for item in items if isinstance(item, LineMap)]
    if len(items) < MIN_EXERCISES:
        check.add(line, f"a vignette needs at least {MIN_EXERCISES} exercises, not {len(items)}")
    if len(set(kinds) & set(EXERCISE_KINDS)) < MIN_KINDS:
        check.add(line, f"the exercises must be of at least {MIN_KINDS} different kinds")
    if kinds.count("rate-dimensions") != 1:
        check.add(line, "a vignette needs exactly one rate-dimensions exercise")
    return tuple(exercises)


def _exercise(check: _Check, item: LineMap, number: int) -> Exercise | None:
    where = f"exercise {number}"
    before = len(check.problems)
    kind = check.choice(item, "kind", EXERCISE_KINDS, where)
    extras = EXTRA_KEYS.get(kind or "", ())
    check.keys(item, EXERCISE_KEYS + extras, where)
    exercise_id = check.text(item, "id", where, pattern=SLUG_PATTERN)
    prompt = check.text(item, "prompt", where)
    guidance = check.text(item, "guidance", where)
    if guidance is not None and not GUIDANCE_WORDS[0] <= _words(guidance) <= GUIDANCE_WORDS[1]:
        check.add(
            check.line(item, "guidance"),
            f"the guidance of {where} has {_words(guidance)} words; write {GUIDANCE_WORDS[0]} to "
            f"{GUIDANCE_WORDS[1]}",
        )
    values: dict = {}
    if kind == "imagine-feelings":
        values["person"] = check.text(item, "person", where)
    elif kind == "rate-dimensions":
        values["reference_ratings"] = _ratings(check, item, where)
    elif kind == "choose-intervention":
        values["moment"] = check.text(item, "moment", where)
        values["options"] = _options(check, item, where)
        recommended = check.text(item, "recommended", where)
        option_ids = {option.id for option in values["options"] or ()}
        if recommended is not None and values["options"] is not None and recommended not in option_ids:
            check.add(check.line(item, "recommended"), "'recommended' must be the id of one of the options")
        values["recommended"] = recommended
    elif kind == "reader-response":
        values["people"] = _options(check, item, where, key="people", bounds=PEOPLE)
        for person in values["people"] or ():
            if person.id == NO_ONE:
                message = f"'{NO_ONE}' is kept for siding with no one; choose another id"
                check.add(check.line(item, "people"), message)
    elif kind == "colleague-test":
        values["passage"] = _passage(check, item, where)
        values["details"] = _details(check, item, where, values["passage"])
    if len(check.problems) > before:
        return None
    return Exercise(id=exercise_id, kind=kind, prompt=prompt, guidance=guidance, **values)


def _ratings(check: _Check, item: LineMap, where: str) -> tuple[tuple[str, int], ...] | None:
    if "reference_ratings" not in item:
        return None
    ratings, line = item["reference_ratings"], check.line(item, "reference_ratings")
    if not isinstance(ratings, LineMap):
        check.add(line, f"'reference_ratings' in {where} must be a mapping, not {_type_name(ratings)}")
        return None
    check.keys(ratings, DIMENSION_KEYS, f"the reference ratings of {where}", ordered=True)
    result = []
    for key in DIMENSION_KEYS:
        if key not in ratings:
            continue
        value = ratings[key]
        if isinstance(value, bool) or not isinstance(value, int) or value not in RATING_VALUES:
            message = f"rating '{key}' must be a whole number from -2 to 2, not {value!r}"
            check.add(check.line(ratings, key), message)
            continue
        result.append((key, value))
    return tuple(result)


def _options(
    check: _Check, item: LineMap, where: str, *, key: str = "options", bounds: tuple[int, int] = OPTIONS
) -> tuple[Option, ...] | None:
    """A list of ``{id, text}`` mappings: the options of an intervention, or the people one may side with."""
    if key not in item:
        return None
    options, line = item[key], check.line(item, key)
    if not isinstance(options, LineList):
        check.add(line, f"'{key}' in {where} must be a list, not {_type_name(options)}")
        return None
    noun = "option" if key == "options" else "person"
    if not bounds[0] <= len(options) <= bounds[1]:
        low, high = bounds
        what = f"{low} or {high} options" if noun == "option" else f"{low} to {high} people"
        check.add(line, f"{where} must have {what}, not {len(options)}")
    result: list[Option] = []
    for number, (option, (option_line, _end)) in enumerate(zip(options, options.item_lines, strict=True), 1):
        option_where = f"{noun} {number} of {where}"
        if not isinstance(option, LineMap):
            check.add(option_line, f"{option_where} must be a mapping with 'id' and 'text'")
            continue
        check.keys(option, ("id", "text"), option_where)
        option_id = check.text(option, "id", option_where, pattern=SLUG_PATTERN)
        text = check.text(option, "text", option_where)
        if option_id is not None and any(known.id == option_id for known in result):
            check.add(check.line(option, "id"), f"{noun} id '{option_id}' is used twice in {where}")
        if option_id is not None and text is not None:
            result.append(Option(option_id, text))
    return tuple(result)


def _passage(check: _Check, item: LineMap, where: str) -> str | None:
    passage = check.text(item, "passage", where)
    if passage is not None and not PASSAGE_WORDS[0] <= _words(passage) <= PASSAGE_WORDS[1]:
        check.add(
            check.line(item, "passage"),
            f"the passage of {where} has {_words(passage)} words; "
            f"write {PASSAGE_WORDS[0]} to {PASSAGE_WORDS[1]}",
        )
    return passage


def _details(check: _Check, item: LineMap, where: str, passage: str | None) -> tuple[Detail, ...] | None:
    """The phrases a trainee may mark: each quoted once from the passage, some identifying, some not."""
    if "details" not in item:
        return None
    details, line = item["details"], check.line(item, "details")
    if not isinstance(details, LineList):
        check.add(line, f"'details' in {where} must be a list, not {_type_name(details)}")
        return None
    if not DETAILS[0] <= len(details) <= DETAILS[1]:
        count = len(details)
        check.add(line, f"'details' in {where} must have {DETAILS[0]} to {DETAILS[1]} items, not {count}")
    result: list[Detail] = []
    for number, (detail, (detail_line, _end)) in enumerate(zip(details, details.item_lines, strict=True), 1):
        detail_where = f"detail {number} of {where}"
        if not isinstance(detail, LineMap):
            message = f"{detail_where} must be a mapping with 'id', 'text', 'identifying' and 'note'"
            check.add(detail_line, message)
            continue
        check.keys(detail, ("id", "text", "identifying", "note"), detail_where, ordered=True)
        detail_id = check.text(detail, "id", detail_where, pattern=SLUG_PATTERN)
        text = check.text(detail, "text", detail_where)
        note = check.text(detail, "note", detail_where)
        is_identifying = detail.get("identifying")
        if "identifying" in detail and not isinstance(is_identifying, bool):
            message = f"'identifying' in {detail_where} must be true or false"
            check.add(check.line(detail, "identifying"), message)
        if text is not None and passage is not None and passage.count(text) != 1:
            times = "does not appear" if text not in passage else "appears more than once"
            check.add(check.line(detail, "text"), f"the text of {detail_where} {times} in the passage")
        if note is not None and not NOTE_WORDS[0] <= _words(note) <= NOTE_WORDS[1]:
            message = f"the note of {detail_where} must have {NOTE_WORDS[0]} to {NOTE_WORDS[1]} words"
            check.add(check.line(detail, "note"), message)
        if detail_id is not None and any(known.id == detail_id for known in result):
            check.add(check.line(detail, "id"), f"detail id '{detail_id}' is used twice in {where}")
        if None not in (detail_id, text, note) and isinstance(is_identifying, bool):
            result.append(Detail(detail_id, text, is_identifying, note))
    identifying = sum(detail.is_identifying for detail in result)
    if identifying < MIN_IDENTIFYING or len(result) - identifying < MIN_HARMLESS:
        check.add(
            line,
            f"{where} needs at least {MIN_IDENTIFYING} identifying details and {MIN_HARMLESS} that is not, "
            "or marking everything would pass",
        )
    return tuple(result)


def longest_recommended_share(exercises: list[Exercise]) -> float:
    """The share of choose-intervention exercises whose recommended option is strictly the longest."""
    choosing = [exercise for exercise in exercises if exercise.kind == "choose-intervention"]
    if not choosing:
        return 0.0
    longest = 0
    for exercise in choosing:
        recommended = len(exercise.option(exercise.recommended).text)
        others = [len(option.text) for option in exercise.options if option.id != exercise.recommended]
        if all(recommended > length for length in others):
            longest += 1
    return longest / len(choosing)


def check_body(body: str, body_line: int) -> Problems:
    """The telling: plain Markdown paragraphs of the documented length."""
    check = _Check()
    words = _words(body)
    if not BODY_WORDS[0] <= words <= BODY_WORDS[1]:
        check.add(body_line, f"the telling has {words} words; write {BODY_WORDS[0]} to {BODY_WORDS[1]}")
    for token in _checking_parser.parse(body):
        top_level = token.level == (1 if token.type == "inline" else 0)
        if token.nesting == -1 or not top_level:
            continue  # a closing tag, or inside a block already reported
        line = body_line + (token.map[0] if token.map else 0)
        if token.type not in _ALLOWED_BLOCKS:
            name = _NAMES.get(token.type, token.type.removesuffix("_open"))
            check.add(line, f"{name} is not allowed in the telling; write plain paragraphs")
            continue
        breaks = 0
        for child in token.children or ():
            if child.type in {"softbreak", "hardbreak"}:
                breaks += 1
            elif child.type not in _ALLOWED_INLINE and child.nesting != -1:
                name = _NAMES.get(child.type, child.type.removesuffix("_open"))
                check.add(line + breaks, f"{name} is not allowed in the telling; write plain paragraphs")
    return check.problems
