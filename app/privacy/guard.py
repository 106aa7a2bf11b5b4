"""The privacy guard that every service accepting free text calls.

Confidentiality is the first rule of a Balint group, so a text that seems to name or
locate a patient is not stored silently. The service raises ``PrivacyWarning`` with a
message per field (the kind of detail and where it is); the person either disguises
the detail or confirms that it is safe. A confirmed override is audited with the
kinds only, never the matched text, so the audit trail cannot leak what it guards.
"""

from __future__ import annotations

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


def findings_by_field(texts: dict[str, str | None]) -> dict[str, list[Finding]]:
    return {name: found for name, text in texts.items() if text and (found := scan(text))}


def guard_free_text(
    texts: dict[str, str | None],
    *,
    is_confirmed: bool,
    actor=None,
    obj: object | None = None,
    association_id: int | None = None,
) -> None:
    """Raise PrivacyWarning for identifying details unless the author confirmed them.

    ``texts`` maps form field names to the submitted text. When the author confirmed,
    an audit event records which kinds of detail were let through, and where.
    """
    found = findings_by_field(texts)
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
