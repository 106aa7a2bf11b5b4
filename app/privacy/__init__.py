"""Privacy guard: find personal identifiers in clinicians' free text.

Stillpoint's reflections and logbook notes are about real consultations, so a
writer can slip a patient's name, date of birth or phone number into them.
``scan(text)`` returns a ``Finding`` for each identifier so the UI can point
at it (``KIND_LABELS`` gives the wording, e.g. "a personal name").

Kinds: person-name, date, phone, email, address, postcode, id-number.

It works offline and fast: about 3 ms for 2,000 characters once the name
lists are loaded, and about 0.15-0.2 s for the first call, which loads them
(see benchmarks/privacy_bench.py). Rules and gazetteers are used instead of a
statistical model, so it is a guard that prompts the writer, not a guarantee.
Known weaknesses:

* a lone surname, or a first name missing from the gazetteer, with no title or
  cue is missed ("The Hendersons came", "Okoro said"); first names that are
  also everyday words are not reported at the start of a sentence unless a
  known surname follows ("Bill came back" is missed);
* a capitalised everyday word mid-sentence that is also a first name is
  reported ("Hope and Grace, the two words on the poster");
* a patient whose surname or first name is on the field's allow-list ("Mrs
  Klein", "Enid") is missed, and so is a first name used in the same text
  with a theorist's surname ("Michael" once "Michael Balint" appears);
* famous people (authors, public figures, "Mother Teresa") are reported like
  anyone else;
* numeric dates are read day-first or month-first, so "12/20/30" on three
  scales would be reported; a month with a year but no day is not a date.
"""

from app.privacy.detector import KIND_LABELS, Finding, scan

__all__ = ["KIND_LABELS", "Finding", "scan"]
