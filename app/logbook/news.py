"""Who hears about what in the logbook: the notifications each transition sends.

Messages name the record by kind and date only; comments and reflections stay behind
the login, because the e-mail copy leaves the system.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import ngettext

from app.accounts.models import User
from app.logbook.labels import describe
from app.logbook.models import LogbookRecord, RecordKind
from app.notifications.services import link_to, notify


def _link(record: LogbookRecord) -> str:
    return link_to("logbook.record", record_id=record.id)


def verifiers_of(record: LogbookRecord) -> list[int]:
    """Who is asked to sign: the supervisor who gave supervision, else every assigned supervisor."""
    if record.kind == RecordKind.SUPERVISION:
        return [record.supervisor_id]
    if record.kind == RecordKind.OBSERVATION:
        return []  # the observer wrote it and signs it; nobody else to tell
    return [supervisor.id for supervisor in record.enrolment.supervisors]


def submitted(record: LogbookRecord, trainee: User) -> None:
    """Each verifier, and the named co-leader, also gets a one-time link to act from the e-mail."""
    from app.maillinks.models import LinkPurpose
    from app.maillinks.services import issue_links

    verifiers = verifiers_of(record)
    sign_links = issue_links(LinkPurpose.SIGN_RECORD, record, verifiers, sender=trainee)
    for user_id in verifiers:
        notify(
            user_id,
            record.association_id,
            _(
                "%(name)s submitted a record for your signature: %(record)s.",
                name=trainee.name,
                record=describe(record),
            ),
            _link(record),
            email_subject=_("A logbook record waits for your signature"),
            email_link=sign_links[user_id],
        )
    if record.kind == RecordKind.SESSION and record.co_leader_id:
        confirm_links = issue_links(
            LinkPurpose.CONFIRM_SESSION, record, [record.co_leader_id], sender=trainee
        )
        notify(
            record.co_leader_id,
            record.association_id,
            _(
                "%(name)s named you as co-leader of a group session on %(record)s. Please confirm it.",
                name=trainee.name,
                record=describe(record),
            ),
            link_to("logbook.confirmations"),
            email_subject=_("Please confirm a session you co-led"),
            email_link=confirm_links[record.co_leader_id],
        )


def signed(records: Iterable[LogbookRecord], signer: User) -> None:
    """One notification per trainee, however many of their records a batch signed."""
    by_trainee: dict[int, list[LogbookRecord]] = {}
    for record in records:
        by_trainee.setdefault(record.enrolment.trainee_id, []).append(record)
    for trainee_id, items in by_trainee.items():
        first = items[0]
        if len(items) == 1:
            message = _("%(name)s signed your record: %(record)s.", name=signer.name, record=describe(first))
            link = _link(first)
        else:
            message = ngettext(
                "%(name)s signed %(num)d of your records.",
                "%(name)s signed %(num)d of your records.",
                len(items),
                name=signer.name,
            )
            link = link_to("logbook.enrolment_logbook", enrolment_id=first.enrolment_id, status="signed")
        notify(trainee_id, first.association_id, message, link, email_subject=_("Logbook records signed"))


def returned(record: LogbookRecord, verifier: User) -> None:
    notify(
        record.author_id,
        record.association_id,
        _(
            "%(name)s returned your record with a comment: %(record)s. "
            "Please correct it and submit it again.",
            name=verifier.name,
            record=describe(record),
        ),
        _link(record),
        email_subject=_("A logbook record was returned to you"),
    )


def reopened(new: LogbookRecord, admin: User) -> None:
    notify(
        new.author_id,
        new.association_id,
        _(
            "%(name)s reopened your signed record %(record)s. A new version is ready for you to correct.",
            name=admin.name,
            record=describe(new),
        ),
        _link(new),
        email_subject=_("A signed logbook record was reopened"),
    )


def confirmed(record: LogbookRecord, co_leader: User) -> None:
    notify(
        record.author_id,
        record.association_id,
        _(
            "%(name)s confirmed your session as co-leader: %(record)s.",
            name=co_leader.name,
            record=describe(record),
        ),
        _link(record),
    )
