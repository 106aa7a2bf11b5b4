"""Personal-name detection by rules over capitalised words.

No statistical model is used (none may be downloaded at run time). A name is
reported when the evidence around a capitalised word is strong enough:

1. a title: "Mrs Jones", "Dr J. Patel", "Professor Hargreaves";
2. a relational cue: "her son Tom", "the patient, Aisha," (any capitalised word);
3. a naming cue: "a boy named Oluwaseun", "known as Kit"; after "called" the
   word must be a known first name;
4. a known first name, alone or followed by surnames: "John Smith", "Siobhan".
   First names that are also everyday words (Grace, Hope, Will) count alone
   only mid-sentence and not after a determiner; at a sentence start they need
   a known surname after them ("Grace Okafor").

The field's own names are left alone: a run of capitalised words containing an
allow-listed name ("Michael Balint", "Anna Freud Centre"), any run listed with
one ("Michael and Enid Balint", "Fonagy, Luyten, Allison and colleagues"), and
in the whole text any first name seen with such a surname ("Michael" once
"Michael Balint" appears). So are eponymous organisations ("Queen Elizabeth
Hospital") and conditions ("Addison's disease"). Finally, once a word is found
in a name, its other capitalised occurrences in the text are reported too
("Mrs Jones ... Jones said").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from app.privacy.span import Span
from app.privacy.vocabulary import (
    CALENDAR_WORDS,
    DETERMINERS,
    EPONYM_NOUNS,
    KIN_CUES,
    LOCATIVES,
    NAMING_CUES,
    ORGANISATION_WORDS,
    TITLES,
)
from app.privacy.wordlists import allow_list, common_words, first_names, not_names, surnames

KIND = "person-name"

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_POSSESSIVE_SUFFIXES = ("'s", "’s")
# "I've", "Don't": a contraction is never a name.
_CONTRACTION_RE = re.compile(r"(?:['’](?:ve|re|ll|d|m|t)|n['’]t)$")
_OPENERS = "\"'“‘([*•-–—"
_SENTENCE_ENDS = ".!?:…"
# What separates the members of a list of names: ", ", " and ", ", and ", " & ".
_LIST_SEPARATOR_RE = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s(?:and|&)\s+)")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int  # end of ``word``, i.e. without a possessive 's
    stop: int  # end of the token as written
    word: str
    possessive: bool
    capitalised: bool  # initial capital; not an initial, an acronym or a contraction
    sentence_start: bool


@dataclass(frozen=True)
class _Text:
    """A text, its words, and the runs of capitalised words that are the field's names."""

    text: str
    tokens: list[_Token]
    field_runs: frozenset[int]  # indices of the first token of each skipped run
    field_names: frozenset[str]  # first names seen with a field surname, e.g. "Michael"

    def is_field_name(self, word: str) -> bool:
        return word in self.field_names or _on_allow_list(word)

    def spaced(self, left: _Token, right: _Token) -> bool:
        return _spaced(self.text, left, right)


def find_names(text: str) -> list[Span]:
    """Return (possibly overlapping) person-name spans found in ``text``."""
    doc = _analyse(text)
    spans = [*_titled_names(doc), *_cued_names(doc), *_gazetteer_names(doc)]
    return spans + _repeated_names(doc.tokens, spans)


def _analyse(text: str) -> _Text:
    tokens = _tokenize(text)
    runs = list(_runs(tokens, text))
    field_runs: set[int] = set()
    field_names: set[str] = set()
    for chain in _chains(runs, tokens, text):
        if any(_on_allow_list(tokens[i].word) for run in chain for i in run):
            field_runs.update(run[0] for run in chain)
            field_names.update(tokens[i].word for run in chain for i in run if _is_first_name(tokens[i].word))
    return _Text(text, tokens, frozenset(field_runs), frozenset(field_names))


def _tokenize(text: str) -> list[_Token]:
    tokens = []
    for match in _WORD_RE.finditer(text):
        raw = match.group()
        possessive = raw.endswith(_POSSESSIVE_SUFFIXES) and len(raw) > 2
        word = raw[:-2] if possessive else raw
        tokens.append(
            _Token(
                start=match.start(),
                end=match.start() + len(word),
                stop=match.end(),
                word=word,
                possessive=possessive,
                capitalised=word[0].isupper() and not word.isupper() and not _CONTRACTION_RE.search(word),
                sentence_start=_starts_sentence(text, match.start()),
            )
        )
    return tokens


def _starts_sentence(text: str, start: int) -> bool:
    """True if only spaces, quotes or bullets separate ``start`` from a sentence end."""
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in _OPENERS):
        if text[i] == "\n":
            return True
        i -= 1
    return i < 0 or text[i] in _SENTENCE_ENDS


def _spaced(text: str, left: _Token, right: _Token) -> bool:
    """True if ``right`` follows ``left`` after a single space, as in "John Smith"."""
    return not left.possessive and text[left.stop : right.start] == " "


def _runs(tokens: list[_Token], text: str) -> Iterator[list[int]]:
    """Indices of maximal runs of capitalised words separated by single spaces."""
    run: list[int] = []
    for i, token in enumerate(tokens):
        if token.capitalised and run and _spaced(text, tokens[run[-1]], token):
            run.append(i)
            continue
        if run:
            yield run
        run = [i] if token.capitalised else []
    if run:
        yield run


def _chains(runs: list[list[int]], tokens: list[_Token], text: str) -> Iterator[list[list[int]]]:
    """Group runs that form a list: "Fonagy, Luyten, Allison", "Michael and Enid Balint"."""
    chain: list[list[int]] = []
    for run in runs:
        if chain:
            gap = text[tokens[chain[-1][-1]].stop : tokens[run[0]].start]
            if not _LIST_SEPARATOR_RE.fullmatch(gap):
                yield chain
                chain = []
        chain.append(run)
    if chain:
        yield chain


def _on_allow_list(word: str) -> bool:
    allowed = allow_list()
    return word in allowed or any(part in allowed for part in re.split(r"[-'’]", word))


def _is_first_name(word: str) -> bool:
    names = first_names()
    return word in names or word.split("-")[0] in names


def _can_be_name(doc: _Text, token: _Token) -> bool:
    """A capitalised word that is not a known non-name, title, month or field name."""
    word = token.word
    return (
        token.capitalised
        and word not in not_names()
        and word not in TITLES
        and word not in CALENDAR_WORDS
        and not doc.is_field_name(word)
    )


def _with_surname(doc: _Text, i: int) -> _Token:
    """The last token of the name starting at token ``i``: a following surname if any."""
    if i + 1 < len(doc.tokens):
        nxt = doc.tokens[i + 1]
        if doc.spaced(doc.tokens[i], nxt) and _can_be_name(doc, nxt) and nxt.word not in ORGANISATION_WORDS:
            return nxt
    return doc.tokens[i]


def _titled_names(doc: _Text) -> Iterator[Span]:
    """'Mrs Jones', 'Dr. J. Patel'; not 'Mrs A.' (already anonymised) nor 'Dr Balint'."""
    for i, title in enumerate(doc.tokens):
        if title.word not in TITLES or not title.capitalised:
            continue
        previous, name = title, []
        for token in doc.tokens[i + 1 : i + 5]:
            gap = doc.text[previous.stop : token.start].strip()
            # A full stop may follow the title or an initial, never a name word.
            if previous.possessive or gap not in ("", ".") or (gap and name):
                break
            if len(token.word) == 1 and token.word.isupper() and not name:
                previous = token  # an initial, as in "Dr J. Patel"
                continue
            if not token.capitalised or token.word in TITLES or token.word in not_names() or len(name) == 2:
                break
            name.append(token)
            previous = token
        if name and not any(doc.is_field_name(token.word) for token in name):
            yield Span(KIND, title.start, name[-1].end)


def _cue_before(doc: _Text, i: int) -> tuple[str, ...]:
    """The lower-case words (up to two) directly before token ``i``, nearest last."""
    words: list[str] = []
    for j in (i - 1, i - 2):
        if j < 0 or not doc.tokens[j].word.islower() or doc.tokens[j].possessive:
            break
        gap = doc.text[doc.tokens[j].stop : doc.tokens[j + 1].start].strip()
        # A comma may sit between the cue and the name: "the patient, Aisha,".
        if gap not in ("", ",") or (gap and j != i - 1):
            break
        words.insert(0, doc.tokens[j].word)
    return tuple(words)


def _cue_supports(cue: tuple[str, ...], token: _Token) -> bool:
    if not cue:
        return False
    if cue[-1] in KIN_CUES:
        return True
    if cue[-1] == "called":
        return _is_first_name(token.word)
    return cue[-1:] in NAMING_CUES or cue[-2:] in NAMING_CUES


def _cued_names(doc: _Text) -> Iterator[Span]:
    """'her son Tom', 'the patient, Aisha,', 'a boy named Oluwaseun'."""
    for i, token in enumerate(doc.tokens):
        if _can_be_name(doc, token) and _cue_supports(_cue_before(doc, i), token):
            yield Span(KIND, token.start, _with_surname(doc, i).end)


def _gazetteer_names(doc: _Text) -> Iterator[Span]:
    for run in _runs(doc.tokens, doc.text):
        if run[0] not in doc.field_runs:
            span = _name_in_run(doc, run)
            if span is not None:
                yield span


def _name_in_run(doc: _Text, run: list[int]) -> Span | None:
    tokens = doc.tokens
    words = [tokens[i].word for i in run]
    after = run[-1] + 1
    next_word = tokens[after].word if after < len(tokens) else ""
    if words[0] in ("St", "Saint") or words[-1] in ORGANISATION_WORDS or next_word in EPONYM_NOUNS:
        return None
    # Skip capitalised openers ("Later", "Yesterday") up to the first known first name.
    starts = [i for i in run if _is_first_name(tokens[i].word) and _can_start_name(doc, tokens[i])]
    if not starts:
        return None
    head = tokens[starts[0]]
    tail = [tokens[i] for i in run if i > starts[0]][:2]
    tail = tail[: next((k for k, t in enumerate(tail) if not _can_be_name(doc, t)), len(tail))]
    weak = head.word in CALENDAR_WORDS or (head.word in common_words() and head.sentence_start)
    if tail and weak and tail[0].word not in surnames():
        # "Young Jamie", "August Tom": the weak word is an opener, not a first name.
        return _name_in_run(doc, run[run.index(starts[0]) + 1 :])
    if tail:
        return Span(KIND, head.start, tail[-1].end)
    previous = _previous_word(doc, starts[0])
    if weak or (head.word in common_words() and previous in DETERMINERS):
        return None
    if previous in LOCATIVES and not head.possessive:
        return None
    return Span(KIND, head.start, head.end)


def _can_start_name(doc: _Text, token: _Token) -> bool:
    """Months that are first names (April, June) may start "April Jones"."""
    return _can_be_name(doc, token) or token.word in CALENDAR_WORDS


def _previous_word(doc: _Text, i: int) -> str:
    """The lower-cased word just before token ``i`` if only a space separates them."""
    if i == 0 or doc.text[doc.tokens[i - 1].stop : doc.tokens[i].start] != " ":
        return ""
    return doc.tokens[i - 1].word.lower()


def _repeated_names(tokens: list[_Token], spans: list[Span]) -> list[Span]:
    """Other capitalised occurrences of words already found inside a name."""
    found = {
        token.word
        for token in tokens
        for span in spans
        if span.start <= token.start and token.end <= span.end and token.word not in TITLES
    }
    return [
        Span(KIND, token.start, token.end)
        for token in tokens
        if token.capitalised
        and token.word in found
        and not any(span.start <= token.start < span.end for span in spans)
    ]
