"""The closed vocabularies of applications: states, recommendations, decisions (status levels
are the association's own: ``app.statuslevels``)."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class ApplicationStatus(enum.StrEnum):
    OPEN = "open"
    ACCREDITED = "accredited"
    DEFERRED = "deferred"
    DECLINED = "declined"


class Recommendation(enum.StrEnum):
    """A panel member's recommendation, and the panel's decision (the same three words)."""

    ACCREDIT = "accredit"
    DEFER = "defer"
    DECLINE = "decline"


#: The application's state after each decision.
DECIDED_STATUS = {
    Recommendation.ACCREDIT: ApplicationStatus.ACCREDITED,
    Recommendation.DEFER: ApplicationStatus.DEFERRED,
    Recommendation.DECLINE: ApplicationStatus.DECLINED,
}


LABELS = {
    ApplicationStatus.OPEN: _l("Open: with the panel"),
    ApplicationStatus.ACCREDITED: _l("Accredited"),
    ApplicationStatus.DEFERRED: _l("Deferred"),
    ApplicationStatus.DECLINED: _l("Declined"),
    Recommendation.ACCREDIT: _l("Accredit"),
    Recommendation.DEFER: _l("Defer"),
    Recommendation.DECLINE: _l("Decline"),
}


def label(value: str) -> str:
    """The words for a state or recommendation (the value itself if unknown)."""
    for kind in (ApplicationStatus, Recommendation):
        if value in {m.value for m in kind}:
            return str(LABELS[kind(value)])
    return value
