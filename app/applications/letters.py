"""The decision letter: the panel's decision as a PDF, rendered once when it is made.

At the decision the letter is rendered from the signed decision (what, why, by whom,
when, the certificate and status level it conferred) with our own template
(``templates/pdf/decision_letter.html``) and stored as a ``StoredDocument`` of kind
``decision_letter``; every download serves those bytes, so the letter a trainee keeps
is the one the association sent, whatever the template or renderer of the day.

Regenerating (after a template change, or a name corrected) is an explicit, audited
action of whoever may decide: a new version that supersedes the old, which stays
stored. Decisions made before letters existed get theirs on first download (version
1, reason "stored on first download"), as certificates did.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.accounts.models import Association, User
from app.applications.models import AccreditationApplication, PersonStatusLevel
from app.audit.services import record as audit
from app.certificates.models import Certificate
from app.documents import services as documents
from app.documents.models import DocumentKind, StoredDocument
from app.errors import InvalidState, NotFound, ValidationError
from app.extensions import db
from app.pdf import html_to_pdf
from app.statuslevels.services import label_of

PDF_MEDIA_TYPE = "application/pdf"
KIND = DocumentKind.DECISION_LETTER


def render(application: AccreditationApplication) -> bytes:
    """The letter's PDF: the same decision always gives the same bytes (no clock, no visitor)."""
    association = db.session.get(Association, application.association_id)
    certificate = (
        db.session.get(Certificate, application.certificate_id) if application.certificate_id else None
    )
    level = db.session.scalar(
        select(PersonStatusLevel)
        .where(PersonStatusLevel.application_id == application.id)
        .order_by(PersonStatusLevel.id)
        .limit(1)
    )
    # The association's language, never the visitor's: whoever regenerates gets the same letter.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        html = current_app.jinja_env.get_template("pdf/decision_letter.html").render(
            application=application,
            association=association,
            certificate=certificate,
            level=level,
            level_label=label_of(application.association_id, level.level) if level else "",
            # By id: just after the decision the relationship is not loaded yet.
            signatory=db.session.get(User, application.decided_by_id),
        )
    return html_to_pdf(html, stylesheets=["pdf/letter.css"])


def _store(application: AccreditationApplication, pdf: bytes, reason: str, actor_id: int | None):
    return documents.store(
        KIND,
        association_id=application.association_id,
        owner_id=application.id,
        content=pdf,
        media_type=PDF_MEDIA_TYPE,
        reason=reason,
        created_by_id=actor_id,
    )


def store_at_decision(application: AccreditationApplication, actor_id: int) -> StoredDocument:
    """Render and store the letter of a decision just signed (``services.decide``)."""
    return _store(application, render(application), "decided", actor_id)


def letter_in_force(application: AccreditationApplication) -> StoredDocument:
    """The stored letter; rendered and stored now for a decision made before letters."""
    if application.is_open:
        raise NotFound(_("The panel has not decided yet: there is no letter."))
    stored = documents.current(KIND, application.id)
    if stored is not None:
        return stored
    return _store(application, render(application), "stored on first download", None)


def regenerate(actor: User, application: AccreditationApplication, *, reason: str) -> StoredDocument:
    """Render the letter again and store it as a new version that supersedes the old (audited)."""
    policy.require_decide_application(actor, application.association_id)
    if application.is_open:
        raise InvalidState(_("The panel has not decided yet: there is no letter to regenerate."))
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        message = _("Say why the letter is made again.")
        raise ValidationError(message, fields={"reason": [message]})
    previous = letter_in_force(application)
    stored = _store(application, render(application), f"regenerated: {reason[:1900]}", actor.id)
    audit(
        "application.letter_regenerated",
        application,
        actor=actor,
        association_id=application.association_id,
        version=stored.version,
        sha256=stored.sha256,
        supersedes_sha256=previous.sha256,
        reason=reason[:1900],
    )
    return stored
