"""Word lists behind name detection, each loaded once and cached.

Two kinds of source:

* the first-name and surname gazetteers come from the person providers that
  ship inside the Faker package (MIT licence, offline; about 20,000 Latin-script
  first names and 18,000 surnames from some 80 locales, loaded in roughly
  0.15 s and 16 MB). Faker is used only as a data source; nothing here
  generates fake data.
* the project's own lists in ``data/`` (allow-list of the field's names,
  everyday words that are also names, and words that are never names).

Alternatives that were measured and rejected: ``names-dataset`` takes about
13 s and 1.9 GB of memory to load; ``gender-guesser`` is small and fast but its
code is GPLv3 and its data GFDL, which we do not want in a product dependency.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

_DATA_DIR = Path(__file__).with_name("data")

# Faker keeps names in these class attributes (lists, or dicts of weights).
_FIRST_NAME_ATTRS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
_LAST_NAME_ATTRS = ("last_names", "last_names_male", "last_names_female")

# Highest code point of Latin Extended-B: names in other scripts cannot occur
# in the English free text this package scans.
_LATIN_LIMIT = 0x24F


def _read_list(filename: str) -> frozenset[str]:
    """Read a data file: one entry per line, ``#`` starts a comment line."""
    lines = (_DATA_DIR / filename).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _is_usable_name(name: str) -> bool:
    """Keep capitalised Latin-script words of two or more letters."""
    return (
        len(name) >= 2
        and name[0].isupper()
        and name.replace("-", "").replace("'", "").isalpha()
        and all(ord(char) <= _LATIN_LIMIT for char in name)
    )


def _faker_person_providers() -> Iterator[type]:
    """Yield the Provider class of every locale under faker.providers.person."""
    import faker.providers.person as person

    for module_info in pkgutil.iter_modules(person.__path__):
        module = importlib.import_module(f"{person.__name__}.{module_info.name}")
        yield module.Provider


def _collect(attrs: Iterable[str]) -> frozenset[str]:
    names: set[str] = set()
    for provider in _faker_person_providers():
        for attr in attrs:
            values = getattr(provider, attr, None)
            if isinstance(values, (list, tuple, dict)):
                names.update(name for name in values if _is_usable_name(name))
    return frozenset(names)


@cache
def allow_list() -> frozenset[str]:
    """Theorists, methods, institutions and drugs that are never patient names."""
    return _read_list("allow_list.txt")


@cache
def common_words() -> frozenset[str]:
    """First names that are also everyday English words (Grace, Hope, Will...)."""
    return _read_list("common_words.txt")


@cache
def not_names() -> frozenset[str]:
    """Capitalised words that are never a personal name (Doctor, The, London...)."""
    return _read_list("not_names.txt")


@cache
def first_names() -> frozenset[str]:
    """The first-name gazetteer: Faker's first names minus ``not_names``."""
    return _collect(_FIRST_NAME_ATTRS) - not_names()


@cache
def surnames() -> frozenset[str]:
    """Known surnames, used to confirm that an ambiguous word starts a name."""
    return _collect(_LAST_NAME_ATTRS) - not_names()
