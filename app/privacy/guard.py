"""The privacy guard that every service accepting free text calls.

Confidentiality is the first rule of a Balint group, so a text that seems to name or
locate a patient is not stored silently. The service raises ``PrivacyWarning`` with a
message per field (the kind of detail and where it is); the person either disguises
the detail or confirms that it is safe. A confirmed override is audited with the
kinds only, never the matched text, so the audit trail cannot leak what it guards.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from app.errors import ValidationError
from app.privacy import KIND_LABELS, Finding, scan


class PrivacyWarning(ValidationError):
    """Free text that looks identifying, not yet confirmed by its author."""

    code = "privacy_warning"

    def __init__(self, message: str, fields: dict[str, list[str]], kinds: dict[str, list[str]]):
        super().__init__(message, fields=fields)
        self.kinds = kinds


def describe(finding: Finding) -> str:
    """'Line 2, position 14: this looks like a personal name ("Tom").'"""
    return _(
        'Line %(line)d, position %(column)d: this looks like %(kind)s ("%(text)s").',
        line=finding.line,
        column=finding.column,
        kind=KIND_LABELS.get(finding.kind, finding.kind),
        text=finding.text,
    )


def _is_known_name(finding: Finding, known_words: frozenset[str]) -> bool:
    """A name finding made only of words of a person the text is expected to name."""
    words = [word.strip(".,'’").casefold() for word in finding.text.split()]
    return finding.kind == "person-name" and bool(words) and all(word in known_words for word in words)


def findings_by_field(
    texts: dict[str, str | None], known_names: Iterable[str] = ()
) -> dict[str, list[Finding]]:
    """Each field's findings; the words of ``known_names`` (e.g. the trainee a report is
    about) are not reported as personal names."""
    known_words = frozenset(word.casefold() for name in known_names for word in name.split())
    found = {}
    for name, text in texts.items():
        items = [f for f in scan(text) if not _is_known_name(f, known_words)] if text else []
        if items:
            found[name] = items
    return found


def guard_free_text(
    texts: dict[str, str | None],
    *,
    is_confirmed: bool,
    actor=None,
    obj: object | None = None,
    association_id: int | None = None,
    known_names: Iterable[str] = (),
) -> None:
    """Raise PrivacyWarning for identifying details unless the author confirmed them.

    ``texts`` maps form field names to the submitted text. When the author confirmed,
    an audit event records which kinds of detail were let through, and where.
    ``known_names`` are people the text is meant to name (a report's trainee): their
    names are not flagged, any other name still is.
    """
    found = findings_by_field(texts, known_names)
    if not found:
        return
    kinds = {name: sorted({finding.kind for finding in items}) for name, items in found.items()}
    if is_confirmed:
        from app.audit.services import record

        record(
            "privacy.override",
            obj,
            actor=actor,
            association_id=association_id,
            kinds=kinds,
        )
        return
    raise PrivacyWarning(
        _(
            "Some details may identify a patient or client. Please disguise them, "
            "or confirm that they are safe to keep."
        ),
        fields={name: [describe(finding) for finding in items] for name, items in found.items()},
        kinds=kinds,
    )
