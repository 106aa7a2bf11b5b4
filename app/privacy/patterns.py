"""Pattern detectors for identifiers with a recognisable shape.

Each ``find_*`` function returns candidate spans, possibly overlapping each
other; ``detector.scan`` keeps the best non-overlapping set. The patterns err
towards precision on clinical prose, which is full of numbers that are not
identifiers: doses ("20 mg"), scores ("19/27"), blood pressures ("150/95"),
durations and bare years. Hence numeric dates need three parts, bare years
count only after a birth cue, record numbers need a cue word, and NHS numbers
must pass their check digit.
"""

from __future__ import annotations

import re

import phonenumbers

from app.privacy.span import Span

# --- e-mail ------------------------------------------------------------------

_EMAIL_RE = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")


def find_emails(text: str) -> list[Span]:
    return [Span("email", m.start(), m.end()) for m in _EMAIL_RE.finditer(text)]


# --- dates -------------------------------------------------------------------

# Full month names, or abbreviations with an optional full stop ("Sept.").
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
)
_ORDINAL = r"(?:st|nd|rd|th)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
# 12/03/2019, 07.09.2018, 22-11-64 (day and month in either order).
_NUMERIC_DATE_RE = re.compile(r"(?<![\w./-])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\w/-]|\.\d)")
# 2021-03-12, 2021/03/12.
_ISO_DATE_RE = re.compile(r"(?<![\w./-])(" + _YEAR + r")([./-])(\d{1,2})\2(\d{1,2})(?![\w/-]|\.\d)")
# 3 March 2021, 5th of November, 30 Sept 2022.
_DAY_MONTH_RE = re.compile(
    r"\b(\d{1,2})" + _ORDINAL + r"?(?:\s+of)?\s+" + _MONTH + r"(?![\w])(?:,?\s+" + _YEAR + r"\b)?"
)
# June 3rd, 2015 / March 12, 2020 / "on May 4". Without an ordinal, a year or a
# preceding "on", "March 12 patients" would be read as a date.
_MONTH_DAY_RE = re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(" + _ORDINAL + r")?\b(,?\s+" + _YEAR + r"\b)?")
# born in 1984, born March 1984, b. 1984, DOB: 1950, date of birth 1962.
_BIRTH_YEAR_RE = re.compile(
    r"\b(?:[Bb]orn(?:\s+in)?|b\.|DOB:?|D\.O\.B\.?:?|[Dd]ate of birth:?(?:\s+is)?)\s+"
    r"((?:" + _MONTH + r"\s+)?" + _YEAR + r")\b"
)


def _is_day_month(day: int, month: int) -> bool:
    return 1 <= day <= 31 and 1 <= month <= 12


def find_dates(text: str) -> list[Span]:
    spans = []
    for m in _NUMERIC_DATE_RE.finditer(text):
        first, second = int(m.group(1)), int(m.group(3))
        if _is_day_month(first, second) or _is_day_month(second, first):
            spans.append(Span("date", m.start(), m.end()))
    for m in _ISO_DATE_RE.finditer(text):
        if _is_day_month(int(m.group(4)), int(m.group(3))):
            spans.append(Span("date", m.start(), m.end()))
    for m in _DAY_MONTH_RE.finditer(text):
        if 1 <= int(m.group(1)) <= 31:
            spans.append(Span("date", m.start(), m.end()))
    for m in _MONTH_DAY_RE.finditer(text):
        after_on = text[max(0, m.start() - 3) : m.start()].lower() == "on "
        if 1 <= int(m.group(1)) <= 31 and (m.group(2) or m.group(3) or after_on):
            spans.append(Span("date", m.start(), m.end()))
    spans.extend(Span("date", m.start(1), m.end(1)) for m in _BIRTH_YEAR_RE.finditer(text))
    return spans


# --- phone numbers -----------------------------------------------------------

# Cheap pre-check: the matcher only runs if seven or more digits sit together.
_DIGIT_RUN_RE = re.compile(r"\d(?:[\s().-]{0,3}\d){6,}")
_PHONE_PREFIX_RE = re.compile(r"^(?:\+|\(?0)")


def find_phones(text: str) -> list[Span]:
    """Phone numbers via libphonenumber, assuming UK numbers when no +code is given.

    A match counts if libphonenumber deems it valid, or if it is written the
    way people write phone numbers (a leading + or trunk 0) with 10-15 digits.
    The second case keeps numbers in Ofcom's fictional drama ranges (07700
    900xxx), which libphonenumber marks invalid, while rejecting scores, doses
    and record numbers that merely look possible.
    """
    if not _DIGIT_RUN_RE.search(text):
        return []
    spans = []
    for match in phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE):
        digits = sum(char.isdigit() for char in match.raw_string)
        looks_like_phone = bool(_PHONE_PREFIX_RE.match(match.raw_string)) and 10 <= digits <= 15
        if looks_like_phone or phonenumbers.is_valid_number(match.number):
            spans.append(Span("phone", match.start, match.end))
    return spans


# --- addresses and postcodes -------------------------------------------------

_STREET_TYPES = (
    r"(?:(?:Road|Street|Avenue|Lane|Close|Drive|Way|Crescent|Court|Place|Gardens|Terrace|Grove|Square"
    r"|Hill|Park|Row|Mews|Walk|Green|Rise|View|Parade|Boulevard|Vale|Wharf|Yard|Gate|Circus|Approach"
    r"|Crossing|Meadows?|Fields?)\b|(?:Rd|St|Ave|Ln|Dr|Cres|Ct|Pl|Sq)\b\.?)"
)
_CAP_WORD = r"[A-Z][\w'’-]*"
# [Flat 3, ]14 Elm Road / 221B Baker Street / 32 Mill Road.
_STREET_ADDRESS_RE = re.compile(
    r"\b(?:(?:Flat|Apartment|Apt\.?)\s+\d+[A-Za-z]?,?\s+)?\d{1,4}[A-Za-z]?,?\s+(?:"
    + _CAP_WORD
    + r"\s+){1,3}"
    + _STREET_TYPES
)
# Flat 3 / Apartment 12B on their own.
_FLAT_RE = re.compile(r"\b(?:Flat|Apartment|Apt\.?)\s+\d+[A-Za-z]?\b")
# Hungarian and German order: Kossuth Lajos utca 12, Hauptstraße 5a.
_CONTINENTAL_ADDRESS_RE = re.compile(
    r"\b(?:" + _CAP_WORD + r"\s+){1,3}(?:utca|út|útja|tér|körút|u\.)\s+\d{1,4}\b"
    r"|\b[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|platz|allee|gasse)\s+\d{1,4}[a-z]?\b"
)
_PO_BOX_RE = re.compile(r"\bP\.?\s?O\.?\s+Box\s+\d+\b", re.IGNORECASE)

# UK postcode: outward code (SW1A, M14, BS1) and inward code (1AA, 5RT).
_UK_POSTCODE_RE = re.compile(r"\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}\b")
_US_STATES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY",
)  # fmt: skip
# US ZIP only in an address context: after a state code, or labelled as a ZIP.
_US_ZIP_RE = re.compile(
    r"(?:\b(?:" + "|".join(_US_STATES) + r")\s+|\b(?:ZIP|[Zz]ip)(?:\s+[Cc]ode)?:?\s*)(\d{5}(?:-\d{4})?)\b"
)
# Hungarian, German, Austrian and Swiss codes, only where they cannot be a year
# or a count: with a country prefix (H-1053 Budapest), or after a comma and
# before a known city ("..., 10115 Berlin").
_CONTINENTAL_CITIES = (
    "Budapest|Debrecen|Szeged|Miskolc|Pécs|Győr|Nyíregyháza|Kecskemét|Székesfehérvár|Berlin|Hamburg"
    "|München|Munich|Köln|Cologne|Frankfurt|Stuttgart|Düsseldorf|Leipzig|Dresden|Hannover|Bremen"
    "|Wien|Vienna|Graz|Linz|Salzburg|Innsbruck|Zürich|Zurich|Genf|Geneva|Basel|Bern"
)
_CONTINENTAL_POSTCODE_RE = re.compile(
    r"\b(?:H|D|A|CH)-\d{4,5}(?=\s+[A-ZÀ-Ž])|(?<=, )\d{4,5}(?=\s+(?:" + _CONTINENTAL_CITIES + r")\b)"
)


def find_addresses(text: str) -> list[Span]:
    patterns = (_STREET_ADDRESS_RE, _FLAT_RE, _CONTINENTAL_ADDRESS_RE, _PO_BOX_RE)
    return [Span("address", m.start(), m.end()) for pattern in patterns for m in pattern.finditer(text)]


def find_postcodes(text: str) -> list[Span]:
    spans = [Span("postcode", m.start(), m.end()) for m in _UK_POSTCODE_RE.finditer(text)]
    spans += [Span("postcode", m.start(1), m.end(1)) for m in _US_ZIP_RE.finditer(text)]
    spans += [Span("postcode", m.start(), m.end()) for m in _CONTINENTAL_POSTCODE_RE.finditer(text)]
    return spans


# --- identity and record numbers ---------------------------------------------

_NHS_NUMBER_RE = re.compile(r"(?<![\w-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\w-])")
_SSN_RE = re.compile(r"(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])")
# A cue word, optionally "is"/":"/"#", then a token with at least three digits:
# MRN 4829103, hospital number: A123456, case no. 2021/445, ref 2023-SG-0415.
_RECORD_CUE = (
    r"(?:NHS|CHI|hospital|record|medical\s+record|case|patient|client|unit|reference|ref\.?|file)"
    r"\s+(?:no\.?|number|num\.?|ID|#)|MRN|ID|ref\.?|NHS\s+no"
)
_RECORD_NUMBER_RE = re.compile(
    r"\b(?:" + _RECORD_CUE + r")(?:\s+(?:is|was))?\s*[:#]?\s*"
    r"([A-Za-z0-9](?:[\w/-]*[A-Za-z0-9])?(?:\s\d{3}\s\d{4})?)(?![\w/-])",
    re.IGNORECASE,
)


def _nhs_check_digit_ok(digits: str) -> bool:
    """NHS number modulus 11: weights 10..2 on the first nine digits."""
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def find_id_numbers(text: str) -> list[Span]:
    spans = []
    for m in _NHS_NUMBER_RE.finditer(text):
        if _nhs_check_digit_ok(m.group(1) + m.group(3) + m.group(4)):
            spans.append(Span("id-number", m.start(), m.end()))
    spans += [Span("id-number", m.start(), m.end()) for m in _SSN_RE.finditer(text)]
    for m in _RECORD_NUMBER_RE.finditer(text):
        if sum(char.isdigit() for char in m.group(1)) >= 3:
            spans.append(Span("id-number", m.start(1), m.end(1)))
    return spans
