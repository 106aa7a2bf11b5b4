"""The audit trail in words: "Sam Supervisor signed Teo Trainee's session of 3 December".

``WORDS`` maps every kind of audit event the app writes to a sentence with ``{actor}``
and ``{subject}`` in it (a test reads every ``record(...)`` call under ``app/`` and fails
when a kind has no words, so a new kind cannot slip into the trail as a code).
``describe`` turns one page of events into sentences, naming their subjects with a
bounded number of queries: one per kind of subject on the page, never one per event.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.audit.models import AuditEvent
from app.extensions import db

WORDS: dict[str, object] = {
    "application.decided": _l("{actor} recorded the panel's decision on an application for accreditation"),
    "application.letter_regenerated": _l(
        "{actor} regenerated the decision letter of an application for accreditation"
    ),
    "application.panel_member_added": _l("{actor} named a panel member for an application for accreditation"),
    "application.portfolio_stored": _l("{actor} stored the portfolio of an application for accreditation"),
    "application.reviewed": _l("{actor} recorded their recommendation on an application for accreditation"),
    "application.submitted": _l("{actor} applied for accreditation"),
    "attachments.added": _l("{actor} attached evidence"),
    "attachments.removed": _l("{actor} removed an evidence file"),
    "attendance_confirmation.issued": _l("{actor} issued an attendance confirmation"),
    "attendance_confirmation.revoked": _l("{actor} revoked an attendance confirmation"),
    "group.co_leader_feedback_given": _l("{actor} gave feedback to their co-leader"),
    "group.observation_assigned": _l("{actor} asked an observer to observe a group session"),
    "group.observation_signed": _l("{actor} signed an observation report"),
    "import.training_applied": _l(
        "{actor} imported earlier training from a file, with its attesting document"
    ),
    "logbook.imported": _l("{actor} imported {subject} as attested earlier training"),
    "import.applied": _l("{actor} imported members and enrolments from a file"),
    "invitation.resent": _l("{actor} sent an invitation again"),
    "invitation.revoked": _l("{actor} withdrew an invitation"),
    "mail_link.revoked": _l("{actor} withdrew a sign-off link sent by e-mail"),
    "mail_link.used": _l("{actor} acted on an item through a link sent by e-mail"),
    "report.acknowledged": _l("{actor} acknowledged a supervisor's report"),
    "status_level.granted": _l("{actor} granted {subject} a status level"),
    "status_level.ended": _l("{actor} ended a status level {subject} held"),
    "status_level.defined": _l("{actor} declared a new status level"),
    "status_level.permission_set": _l("{actor} changed which status levels allow a permission"),
    "status_level.accreditation_level_set": _l("{actor} chose the status level accreditation grants"),
    "api_token.create": _l("{actor} created an API token"),
    "api_token.revoke": _l("{actor} revoked an API token"),
    "association.two_factor_optional": _l("{actor} made two-factor sign-in optional"),
    "association.two_factor_required": _l("{actor} required two-factor sign-in for everyone"),
    "auth.login": _l("{actor} signed in"),
    "auth.login_failed": _l("A sign-in as {subject} failed"),
    "auth.logout": _l("{actor} signed out"),
    "auth.password_changed": _l("{actor} changed their password"),
    "auth.password_reset": _l("{subject} reset their password"),
    "auth.password_reset_requested": _l("A password reset was requested for {subject}"),
    "auth.second_factor": _l("{actor} confirmed their sign-in with a second factor"),
    "auth.second_factor_failed": _l("{actor} entered a wrong second-factor code"),
    "certificate.batch_issued": _l("{actor} issued a batch of certificates"),
    "certificate.batch_undone": _l("{actor} undid a batch of certificates"),
    "certificate.issued": _l("{actor} issued {subject}"),
    "certificate.override": _l("{actor} issued {subject} to a trainee not yet ready"),
    "certificate.regenerated": _l("{actor} regenerated the PDF of {subject}"),
    "certificate.reissued": _l("{actor} re-issued {subject}"),
    "certificate.renewed": _l("{actor} renewed {subject}"),
    "certificate.revoked": _l("{actor} revoked {subject}"),
    "certificate.seal_key_created": _l("{actor} created the association's seal key"),
    "certificate.seal_key_rotated": _l("{actor} replaced the association's seal key"),
    "certificate.settings_changed": _l("{actor} changed the certificate settings"),
    "certificate.suspended": _l("{actor} suspended {subject}"),
    "certificate.suspension_lifted": _l("{actor} lifted the suspension of {subject}"),
    "enrolment.created": _l("{actor} enrolled {subject}"),
    "enrolment.profile_changed": _l("{actor} changed the profile of {subject}"),
    "enrolment.rule_set_migrated": _l("{actor} moved {subject} to another rule-set version"),
    "enrolment.supervisors_changed": _l("{actor} changed the supervisors of {subject}"),
    "group.created": _l("{actor} created a group"),
    "group.member_added": _l("{actor} added a member to a group"),
    "group.member_rule_set_chosen": _l("{actor} recorded the participant rule set a group member chose"),
    "group.process_note_saved": _l("{actor} saved a process note on a group session"),
    "group_session.member_answered": _l("A member answered whether they attended a group session"),
    "group_session.attendance_resolved": _l(
        "{actor} resolved a member's answer that they did not attend a group session"
    ),
    "group_session.members_asked_to_confirm": _l(
        "{actor} asked the members of a group session to confirm they attended"
    ),
    "group_session.attendance": _l("{actor} took attendance at a group session"),
    "group_session.briefing": _l("{actor} gave the briefing at a group session"),
    "group_session.closed": _l("{actor} closed a group session"),
    "group_session.opened": _l("{actor} opened a group session"),
    "group_session.phase_started": _l("{actor} started a phase of a group session"),
    "group_session.planned": _l("{actor} planned a group session"),
    "invitation.accepted": _l("{actor} accepted an invitation"),
    "invitation.created": _l("{actor} invited someone to join"),
    "learning.attempts_granted": _l("{actor} granted more quiz attempts to {subject}"),
    "lesson.completed": _l("{actor} completed a lesson"),
    "logbook.accreditation_ended": _l("{actor} ended an accreditation to confirm attendance"),
    "logbook.accreditation_granted": _l("{actor} granted an accreditation to confirm attendance"),
    "logbook.accreditation_removed": _l("{actor} removed an accreditation to confirm attendance"),
    "logbook.batch_signed": _l("{actor} signed several logbook records at once"),
    "logbook.confirmed": _l("{actor} confirmed {subject} as co-leader"),
    "logbook.created": _l("{actor} recorded {subject}"),
    "logbook.deleted": _l("{actor} deleted a draft: {subject}"),
    "logbook.reopened": _l("{actor} reopened {subject}"),
    "logbook.returned": _l("{actor} returned {subject} with a comment"),
    "logbook.signed": _l("{actor} signed {subject}"),
    "logbook.submitted": _l("{actor} submitted {subject} for signature"),
    "logbook.updated": _l("{actor} changed {subject}"),
    "membership.disabled": _l("{actor} disabled the membership of {subject}"),
    "membership.role_granted": _l("{actor} gave {subject} a role"),
    "membership.role_revoked": _l("{actor} took a role from {subject}"),
    "personal_data.account_erased": _l("{actor} erased the personal data of an account"),
    "personal_data.erasure_approved": _l("{actor} approved an erasure request"),
    "personal_data.erasure_declined": _l("{actor} declined an erasure request"),
    "personal_data.erasure_requested": _l("{actor} asked for their personal data to be erased"),
    "personal_data.exported": _l("{actor} downloaded a copy of their personal data"),
    "personal_data.retention_applied": _l("Old personal data was removed under the retention rules"),
    "personal_data.retention_set": _l("{actor} changed the retention rules"),
    "privacy.override": _l("{actor} kept text the privacy check had flagged"),
    "profile.exam_recorded": _l("{actor} recorded an exam result"),
    "profile.exam_removed": _l("{actor} removed an exam result recorded by mistake"),
    "profile.membership_added": _l("{actor} recorded a period of society membership"),
    "profile.membership_removed": _l("{actor} removed a period of society membership"),
    "profile.qualification_added": _l("{actor} recorded a professional qualification"),
    "profile.qualification_removed": _l("{actor} removed a professional qualification"),
    "profile.track_set": _l("{actor} set the professional-background track of {subject}"),
    "programme.created": _l("{actor} created a programme"),
    "programme.validity_changed": _l("{actor} changed how long a programme's certificates are valid"),
    "quiz.started": _l("{actor} started a knowledge check"),
    "quiz.submitted": _l("{actor} submitted a knowledge check"),
    "reflection.accepted": _l("{actor} accepted {subject}"),
    "reflection.revision_requested": _l("{actor} asked for a revision of {subject}"),
    "reflection.started": _l("{actor} started {subject}"),
    "reflection.submitted": _l("{actor} submitted {subject} for feedback"),
    "report.saved": _l("{actor} saved a supervisor report"),
    "report.signed": _l("{actor} signed a supervisor report"),
    "requirement.met": _l("{actor} decided a requirement of {subject} is met"),
    "requirement.not_met": _l("{actor} decided a requirement of {subject} is not met"),
    "requirement.waived": _l("{actor} waived a requirement for {subject}"),
    "requirement.withdrawn": _l("{actor} withdrew a decision on a requirement of {subject}"),
    "rule_set.created": _l("{actor} added a rule-set version"),
    "rule_set.draft_discarded": _l("{actor} discarded the draft of a programme's rule set"),
    "rule_set.draft_imported": _l("{actor} imported YAML as the draft of a programme's rule set"),
    "rule_set.published": _l("{actor} published a rule-set draft as a new version"),
    "two_factor.device_forgotten": _l("{actor} forgot a remembered device"),
    "two_factor.device_remembered": _l("{actor} chose to remember a device"),
    "two_factor.disabled": _l("{actor} switched two-factor sign-in off"),
    "two_factor.enabled": _l("{actor} switched two-factor sign-in on"),
    "two_factor.passkey_added": _l("{actor} added a passkey"),
    "two_factor.passkey_removed": _l("{actor} removed a passkey"),
    "two_factor.recovery_code_used": _l("{actor} signed in with a recovery code"),
    "two_factor.recovery_codes_regenerated": _l("{actor} made new recovery codes"),
    "user.created": _l("{subject} created an account"),
}

#: How a subject of a type without its own reader is named: never "SessionRecord 175".
TYPE_NOUNS: dict[str, object] = {
    "LogbookRecord": _l("a logbook record"),
    "Certificate": _l("a certificate"),
    "Enrolment": _l("an enrolment"),
    "User": _l("someone"),
    "Reflection": _l("a reflection"),
}

RECORD_KINDS = {
    "session": _l("session"),
    "supervision": _l("supervision"),
    "event": _l("event"),
    "observation": _l("observation"),
}


def kinds() -> list[str]:
    """Every kind with words, for the trail's filter."""
    return sorted(WORDS)


def kind_label(kind: str) -> str:
    """A kind on its own, for the filter: the sentence without its people."""
    words = WORDS.get(kind)
    if words is None:
        return kind
    text = str(words).replace("{actor} ", "").replace(" {subject}", "").replace("{subject} ", "")
    return text[:1].upper() + text[1:]


def _possessive(name: str) -> str:
    return f"{name}’" if name.endswith("s") else f"{name}’s"


def _records(ids: list[int]) -> dict[str, str]:
    from app.logbook.models import LogbookRecord  # noqa: PLC0415  (the audit package stays below the features)
    from app.programmes.models import Enrolment  # noqa: PLC0415

    rows = db.session.scalars(
        select(LogbookRecord)
        .where(LogbookRecord.id.in_(ids))
        .options(selectinload(LogbookRecord.enrolment).selectinload(Enrolment.trainee))
    )
    return {
        str(r.id): _("{whose} {kind} of {day}").format(
            whose=_possessive(r.enrolment.trainee.name),
            kind=RECORD_KINDS.get(r.kind, r.kind),
            day=format_date(r.occurred_on, "d MMMM yyyy"),
        )
        for r in rows
    }


def _certificates(ids: list[int]) -> dict[str, str]:
    from app.certificates.models import Certificate  # noqa: PLC0415

    rows = db.session.execute(
        select(Certificate.id, Certificate.serial, Certificate.holder_name).where(Certificate.id.in_(ids))
    )
    return {
        str(i): _("certificate {serial} of {holder}").format(serial=serial, holder=holder)
        for i, serial, holder in rows
    }


def _enrolments(ids: list[int]) -> dict[str, str]:
    from app.programmes.models import Enrolment  # noqa: PLC0415

    rows = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.id.in_(ids))
        .options(selectinload(Enrolment.trainee), selectinload(Enrolment.programme))
    )
    return {
        str(e.id): _("{trainee} on {programme}").format(trainee=e.trainee.name, programme=e.programme.title)
        for e in rows
    }


def _users(ids: list[int]) -> dict[str, str]:
    return {
        str(i): name for i, name in db.session.execute(select(User.id, User.name).where(User.id.in_(ids)))
    }


def _reflections(ids: list[int]) -> dict[str, str]:
    from app.vignettes.models import Reflection  # noqa: PLC0415

    rows = db.session.execute(
        select(Reflection.id, User.name, Reflection.vignette_slug)
        .join(User, User.id == Reflection.trainee_id)
        .where(Reflection.id.in_(ids))
    )
    return {
        str(i): _("{whose} reflection on “{vignette}”").format(
            whose=_possessive(name), vignette=slug.replace("-", " ")
        )
        for i, name, slug in rows
    }


READERS = {
    "LogbookRecord": _records,
    "SessionRecord": _records,
    "SupervisionRecord": _records,
    "EventRecord": _records,
    "ObservationRecord": _records,
    "Certificate": _certificates,
    "Enrolment": _enrolments,
    "User": _users,
    "Reflection": _reflections,
}


@dataclass(frozen=True)
class Described:
    event: AuditEvent
    sentence: str


def _subject_names(events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """Each (type, id) on the page named in words: one query per type, not per event."""
    wanted: dict[object, set[int]] = defaultdict(set)
    for event in events:
        reader = READERS.get(event.object_type)
        if reader is not None and event.object_id and event.object_id.isdigit():
            wanted[reader].add(int(event.object_id))
    names: dict[tuple[str, str], str] = {}
    for reader, ids in wanted.items():
        found = reader(sorted(ids))
        for event in events:
            if READERS.get(event.object_type) is reader and event.object_id in found:
                names[(event.object_type, event.object_id)] = found[event.object_id]
    return names


def _fallback_subject(event: AuditEvent) -> str:
    noun = TYPE_NOUNS.get(event.object_type)
    if noun is None and event.object_type.endswith("Record"):
        noun = TYPE_NOUNS["LogbookRecord"]
    return str(noun) if noun is not None else _("something")


def sentence(event: AuditEvent, subject: str) -> str:
    actor = event.actor.name if event.actor is not None else _("Stillpoint")
    words = WORDS.get(event.action)
    if words is None:  # written by a newer version, or a kind without words yet
        return _("{actor}: {kind}").format(actor=actor, kind=event.action)
    text = str(words).format(actor=actor, subject=subject)
    return text[:1].upper() + text[1:]


def describe(events: list[AuditEvent]) -> list[Described]:
    """One page of events as sentences, in the order given."""
    names = _subject_names(events)
    return [
        Described(
            event,
            sentence(
                event, names.get((event.object_type, event.object_id or "")) or _fallback_subject(event)
            ),
        )
        for event in events
    ]
