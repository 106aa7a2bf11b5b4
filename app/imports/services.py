"""Bulk import of members and enrolments: a preview with per-row errors, then one write.

Nothing is written while any row has an error: the admin fixes the file and uploads it
again, so a half-imported file never has to be untangled. Running the same file twice
changes nothing the second time: people are matched by e-mail address, roles by person
and role, enrolments by person and programme (in any status).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import csv_safe, policy
from app.accounts.models import Association, Membership, PasswordReset, Role, User
from app.accounts.services import find_user_by_email, normalise_email
from app.audit.services import record
from app.database import utcnow
from app.errors import ValidationError
from app.extensions import db
from app.imports.reading import Table, read_table
from app.mail import send_mail
from app.programmes import services as programmes
from app.programmes.models import Enrolment, Programme
from app.tokens import new_token
from app.urls import external_url

COLUMNS = ("email", "name", "role", "programme", "supervisors", "started_on")
REQUIRED_COLUMNS = ("email",)
T = TypeVar("T")

#: Never a valid argon2 hash: an imported person signs in only after choosing a password.
UNUSABLE_PASSWORD = "!imported"  # noqa: S105  (a marker, not a secret)
TEMPLATE_ROWS = (
    ("sam.supervisor@example.org", "Sam Supervisor", "supervisor", "", "", ""),
    (
        "tia.trainee@example.org",
        "Tia Trainee",
        "trainee",
        "leaders",
        "sam.supervisor@example.org",
        "2026-09-01",
    ),
)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class RowPlan:
    """One row of the file: what it asks for, what importing it would change, what is wrong."""

    row: int
    email: str
    name: str
    role: str
    programme: Programme | None = None
    supervisor_emails: list[str] = field(default_factory=list)
    started_on: date | None = None
    changes: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.row, column, message))


@dataclass
class ImportPlan:
    rows: list[RowPlan]
    file_errors: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and not self.errors

    @property
    def change_count(self) -> int:
        return sum(len(row.changes) for row in self.rows)


@dataclass(frozen=True)
class ImportResult:
    accounts_created: int
    roles_granted: int
    enrolments_created: int
    rows: int


def template_csv() -> str:
    """The file to fill in: the columns and two example rows."""
    out = io.StringIO()
    writer = csv_safe.Writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(TEMPLATE_ROWS)
    return out.getvalue()


def preview(actor: User, association_id: int, filename: str, data: bytes) -> ImportPlan:
    """Read and check the file without writing anything; every problem names row and column."""
    policy.require_admin(actor, association_id)
    table = read_table(filename, data)
    missing = [column for column in REQUIRED_COLUMNS if column not in table.columns]
    if missing:
        return ImportPlan(
            rows=[],
            file_errors=[
                _(
                    "The first row must name the columns; this file has no %(columns)s column. "
                    "Start from the template.",
                    columns=", ".join(missing),
                )
            ],
        )
    return _plan(association_id, table)


def _plan(association_id: int, table: Table) -> ImportPlan:
    unknown = [c for c in table.columns if c and c not in COLUMNS]
    file_errors = []
    if unknown:
        file_errors.append(
            _(
                "Unknown column(s): %(columns)s. The columns are: %(known)s.",
                columns=", ".join(unknown),
                known=", ".join(COLUMNS),
            )
        )
    programmes_by_slug = {
        p.slug: p
        for p in db.session.scalars(select(Programme).where(Programme.association_id == association_id))
    }
    emails = {normalise_email(cells.get("email", "")) for _number, cells in table.rows}
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    held = {
        (user_id, role)
        for user_id, role in db.session.execute(
            select(Membership.user_id, Membership.role).where(
                Membership.association_id == association_id,
                Membership.is_active.is_(True),
            )
        )
    }
    supervisor_ids = {user_id for user_id, role in held if role == Role.SUPERVISOR}
    supervisor_emails = set(
        db.session.scalars(select(User.email).where(User.id.in_(supervisor_ids))) if supervisor_ids else []
    )
    enrolled = set(
        db.session.execute(
            select(Enrolment.trainee_id, Enrolment.programme_id).where(
                Enrolment.association_id == association_id
            )
        ).all()
    )
    rows = [_check_row(number, cells, users, programmes_by_slug) for number, cells in table.rows]
    _check_duplicates(rows)
    # A supervisor named on a trainee's row may be a supervisor already, or one this file adds.
    supervisor_emails |= {row.email for row in rows if row.role == Role.SUPERVISOR and not row.errors}
    for row in rows:
        for email in row.supervisor_emails:
            if email not in supervisor_emails:
                row.error(
                    "supervisors",
                    _("%(email)s is not a supervisor here, nor a supervisor row of this file.", email=email),
                )
        if not row.errors:
            _describe_changes(row, users.get(row.email), held, enrolled)
    return ImportPlan(rows=rows, file_errors=file_errors)


def _check_row(number: int, cells: dict[str, str], users: dict[str, User], programmes_by_slug) -> RowPlan:
    email = normalise_email(cells.get("email", ""))
    role = (cells.get("role", "") or Role.TRAINEE.value).strip().lower()
    row = RowPlan(row=number, email=email, name=cells.get("name", "").strip(), role=role)
    testing = current_app.config.get("ENV_NAME") != "production"
    if not email:
        row.error("email", _("The e-mail address is missing."))
    else:
        try:
            validate_email(email, check_deliverability=False, test_environment=testing)
        except EmailNotValidError:
            row.error("email", _("“%(value)s” is not an e-mail address.", value=email))
    if email not in users and not row.name:
        row.error("name", _("A new member needs a name."))
    if len(row.name) > 200:
        row.error("name", _("The name is longer than 200 characters."))
    if role not in {r.value for r in Role}:
        row.error("role", _("“%(value)s” is not a role: use trainee, supervisor or admin.", value=role))
    slug = cells.get("programme", "").strip().lower()
    if slug:
        row.programme = programmes_by_slug.get(slug)
        if row.programme is None:
            known = ", ".join(sorted(programmes_by_slug)) or _("none yet")
            row.error(
                "programme",
                _("No programme “%(slug)s” here (programmes: %(known)s).", slug=slug, known=known),
            )
        elif row.programme.current_rule_set is None:
            row.error("programme", _("The programme “%(slug)s” has no rule set yet.", slug=slug))
        if role != Role.TRAINEE:
            row.error(
                "programme",
                _("Only trainees are enrolled: leave the programme empty for a %(role)s.", role=role),
            )
    row.supervisor_emails = [
        normalise_email(part)
        for part in cells.get("supervisors", "").replace(",", ";").split(";")
        if part.strip()
    ]
    if row.supervisor_emails and not slug:
        row.error("supervisors", _("Supervisors are assigned on a programme: fill in the programme too."))
    if slug and not row.supervisor_emails:
        row.error("supervisors", _("Name at least one supervisor by e-mail (several separated by ;)."))
    started = cells.get("started_on", "").strip()
    if started:
        try:
            row.started_on = date.fromisoformat(started)
        except ValueError:
            row.error("started_on", _("“%(value)s” is not a date: write it as 2026-09-01.", value=started))
    return row


def _check_duplicates(rows: list[RowPlan]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row.email, row.role)
        if row.email and key in seen:
            row.error(
                "email",
                _("%(email)s is already on row %(row)d with the same role.", email=row.email, row=seen[key]),
            )
        seen.setdefault(key, row.row)


def _describe_changes(row: RowPlan, user: User | None, held, enrolled) -> None:
    if user is None:
        row.changes.append(_("new account, mailed a link to choose a password"))
    if user is None or (user.id, row.role) not in held:
        row.changes.append(_("joins as %(role)s", role=row.role))
    if row.programme is not None and (user is None or (user.id, row.programme.id) not in enrolled):
        row.changes.append(_("enrolled on %(programme)s", programme=row.programme.title))


def commit_even_if_raced(apply_file: Callable[[], T]) -> T:
    """Run an import and commit it. If another admin's import of the same rows committed
    first, a unique index refuses ours (the same e-mail, the same import key): the work is
    rolled back, mail included (it leaves only after a commit), and run once more, when
    those rows exist and the file changes only what is left. Without this the second admin
    saw an error page for an import that had, in effect, succeeded.
    """
    try:
        result = apply_file()
        db.session.commit()
        return result
    except IntegrityError:
        db.session.rollback()
    result = apply_file()
    db.session.commit()
    return result


def apply(actor: User, association_id: int, filename: str, data: bytes) -> ImportResult:
    """Import every row of a file whose preview has no error, in the caller's transaction.

    The file is checked again here, so what is written is what the rules allow now,
    whatever happened since the preview.
    """
    plan = preview(actor, association_id, filename, data)
    if not plan.is_valid:
        raise ValidationError(
            _("Nothing was imported: the file has errors. Fix them and upload the file again."),
            fields={"file": [error.message for error in plan.errors][:1] or plan.file_errors[:1]},
        )
    association = db.session.get(Association, association_id)
    created = granted = enrolled = 0
    # Supervisors first, so a trainee row can name a supervisor the same file adds.
    ordered = sorted(plan.rows, key=lambda row: row.role != Role.SUPERVISOR)
    for row in ordered:
        if not row.changes:
            continue
        user = find_user_by_email(row.email)
        if user is None:
            user = _create_account(actor, association, row)
            created += 1
        elif not policy.is_member(user, association_id):
            _tell_existing_account(actor, association, user)
        membership = db.session.scalar(
            select(Membership).where(
                Membership.user_id == user.id,
                Membership.association_id == association_id,
                Membership.role == row.role,
            )
        )
        if membership is None or not membership.is_active:
            if membership is None:
                db.session.add(Membership(user_id=user.id, association_id=association_id, role=row.role))
            else:
                membership.is_active = True
            db.session.flush()
            policy.forget_roles(user)
            record(
                "membership.role_granted",
                user,
                actor=actor,
                association_id=association_id,
                role=row.role,
                source="import",
            )
            granted += 1
        if row.programme is not None and not _is_enrolled(user.id, row.programme.id):
            supervisors = db.session.scalars(
                select(User.id).where(User.email.in_(row.supervisor_emails))
            ).all()
            programmes.enrol(
                actor,
                association_id,
                trainee_id=user.id,
                programme_id=row.programme.id,
                supervisor_ids=list(supervisors),
                started_on=row.started_on or utcnow().date(),
            )
            enrolled += 1
    result = ImportResult(created, granted, enrolled, len(plan.rows))
    if not (created or granted or enrolled):
        return result  # the same file again: nothing changed, nothing to record
    record(
        "import.applied",
        association,
        actor=actor,
        association_id=association_id,
        file=filename[:200],
        rows=result.rows,
        accounts_created=created,
        roles_granted=granted,
        enrolments_created=enrolled,
    )
    return result


def _is_enrolled(user_id: int, programme_id: int) -> bool:
    return (
        db.session.scalar(
            select(Enrolment.id)
            .where(Enrolment.trainee_id == user_id, Enrolment.programme_id == programme_id)
            .limit(1)
        )
        is not None
    )


def _tell_existing_account(actor: User, association: Association, user: User) -> None:
    """A person who already has an account elsewhere learns they joined this association."""
    send_mail(
        user.email,
        _("You have joined %(name)s on Stillpoint", name=association.name),
        _(
            "%(admin)s added you to %(name)s on Stillpoint. Log in with your usual password "
            "and switch to %(name)s from your account page:\n%(link)s",
            admin=actor.name,
            name=association.name,
            link=external_url("accounts.login"),
        ),
        association_id=association.id,
    )


def _create_account(actor: User, association: Association, row: RowPlan) -> User:
    """A new person with no usable password, mailed a link to choose one."""
    user = User(email=row.email, name=row.name, password_hash=UNUSABLE_PASSWORD)
    db.session.add(user)
    db.session.flush()
    record("user.created", user, actor=actor, association_id=association.id, source="import")
    token, token_hash = new_token()
    days = current_app.config["INVITATION_VALID_DAYS"]
    db.session.add(
        PasswordReset(user_id=user.id, token_hash=token_hash, expires_at=utcnow() + timedelta(days=days))
    )
    send_mail(
        user.email,
        _("Your Stillpoint account at %(name)s", name=association.name),
        _(
            "%(admin)s added you to %(name)s on Stillpoint.\n\n"
            "To choose your password and sign in, open this link within %(days)d days:\n%(link)s\n\n"
            "After that, use “Forgot your password?” on the login page to get a new link.",
            admin=actor.name,
            name=association.name,
            days=days,
            link=external_url("accounts.reset_password", token=token),
        ),
        association_id=association.id,
    )
    return user
