"""``flask certificates issue|render|verify|revoke|rotate-seal``: thin wrappers over the certificate services.

Commands act as an admin of the certificate's association: the one named with ``--by``,
else the association's first admin, and the audit trail records that person.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.accounts.models import Membership, Role, User
from app.accounts.services import find_user_by_email
from app.certificates import corrections, credential, issuing, records, seal_keys, verification
from app.errors import DomainError
from app.extensions import db
from app.programmes.models import Enrolment, Programme


@click.group("certificates")
def certificates_cli() -> None:
    """Issue, render, verify and revoke certificates."""


def _admin(association_id: int, email: str) -> User:
    if email:
        user = find_user_by_email(email)
        if user is None:
            raise click.ClickException(f"no user with the address {email}")
        return user
    admin = db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.association_id == association_id,
            Membership.role == Role.ADMIN.value,
            Membership.is_active.is_(True),
        )
        .order_by(Membership.id)
    )
    if admin is None:
        raise click.ClickException("the association has no admin to act as; pass --by EMAIL")
    return admin


def _fail(error: DomainError) -> None:
    db.session.rollback()
    details = [f"  {field}: {message}" for field, messages in error.fields.items() for message in messages]
    raise click.ClickException("\n".join([error.message, *details]))


@certificates_cli.command("issue")
@click.argument("email")
@click.option("--programme", "programme_slug", required=True, help="The programme's short name.")
@click.option(
    "--override-reason", default="", help="Issue although essential requirements are unmet, for this reason."
)
@click.option("--name", "holder_name", default="", help="The name as printed (default: the account's name).")
@click.option(
    "--by", "by_email", default="", help="The admin to act as (default: the association's first admin)."
)
@click.option(
    "--privacy-confirmed", is_flag=True, help="The reason names no patient or client (after a warning)."
)
@with_appcontext
def issue_command(
    email: str,
    programme_slug: str,
    override_reason: str,
    holder_name: str,
    by_email: str,
    privacy_confirmed: bool,
) -> None:
    """Issue a certificate to the trainee with EMAIL on the programme --programme."""
    trainee = find_user_by_email(email)
    if trainee is None:
        raise click.ClickException(f"no user with the address {email}")
    enrolments = list(
        db.session.scalars(
            select(Enrolment)
            .join(Programme, Programme.id == Enrolment.programme_id)
            .where(Enrolment.trainee_id == trainee.id, Programme.slug == programme_slug)
        )
    )
    if len(enrolments) != 1:
        found = "no enrolment" if not enrolments else "several enrolments (in different associations)"
        raise click.ClickException(f"{email} has {found} on {programme_slug}")
    enrolment = enrolments[0]
    try:
        certificate = issuing.issue(
            _admin(enrolment.association_id, by_email),
            enrolment.id,
            override_reason=override_reason,
            holder_name=holder_name,
            privacy_confirmed=privacy_confirmed,
        )
    except DomainError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"issued {certificate.serial} to {certificate.holder_name} ({certificate.programme_title})")
    click.echo(f"  verify: {certificate.verify_url}")
    click.echo(f"  sha256: {certificate.pdf_sha256}")


@certificates_cli.command("render")
@click.argument("serial")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def render_command(serial: str, output: Path) -> None:
    """Render certificate SERIAL again to --output and check it is the rendering issued.

    A sealed PDF begins with its rendering (the seal is an appended revision): the check
    compares the fresh rendering with that first revision. Download the certificate to
    get the sealed file itself.
    """
    try:
        certificate = verification.find_by_serial(serial)
    except DomainError as error:
        _fail(error)
    pdf = records.render_issued(certificate)
    output.write_bytes(pdf)
    same = "identical to" if records.matches_issued(certificate, pdf) else "DIFFERENT from"
    click.echo(
        f"wrote {output} ({len(pdf)} bytes), {same} the rendering issued on {certificate.issued_on}"
        " (before the seal)"
    )


@certificates_cli.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def verify_command(file: Path) -> None:
    """Check a certificate PDF (unaltered and issued by us?) or a credential JSON (signature and status)."""
    data = file.read_bytes()
    if file.suffix.lower() == ".json":
        try:
            document = json.loads(data)
        except ValueError as error:
            raise click.ClickException(f"{file}: not JSON ({error})") from error
        check = credential.verify_credential(document)
        if not check.is_authentic:
            click.echo(f"NOT VERIFIED: {check.problem}")
            sys.exit(1)
        click.echo(f"verified: credential {check.serial}, signature good; certificate status: {check.status}")
        return
    try:
        result = verification.check_pdf(data)
    except DomainError as error:
        _fail(error)
    if result.record is None:
        click.echo(f"NOT OURS OR ALTERED: no certificate has SHA-256 {result.sha256}")
        sys.exit(1)
    record = result.record
    click.echo(
        f"issued by us, unaltered: {record.serial}, {record.holder_name}, {record.programme_title}; "
        f"status: {record.status.value}"
    )


@certificates_cli.command("revoke")
@click.argument("serial")
@click.option(
    "--reason", required=True, help="Why (kept in the record; the public page shows only the date)."
)
@click.option(
    "--by", "by_email", default="", help="The admin to act as (default: the association's first admin)."
)
@click.option(
    "--privacy-confirmed", is_flag=True, help="The reason names no patient or client (after a warning)."
)
@with_appcontext
def revoke_command(serial: str, reason: str, by_email: str, privacy_confirmed: bool) -> None:
    """Revoke certificate SERIAL."""
    try:
        certificate = verification.find_by_serial(serial)
        corrections.revoke(
            _admin(certificate.association_id, by_email),
            certificate.id,
            reason=reason,
            privacy_confirmed=privacy_confirmed,
        )
    except DomainError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"revoked {certificate.serial}")


@certificates_cli.command("rotate-seal")
@click.argument("slug")
@click.option(
    "--by", "by_email", default="", help="The admin to act as (default: the association's first admin)."
)
@with_appcontext
def rotate_seal_command(slug: str, by_email: str) -> None:
    """Retire the seal key of the association SLUG and make a new one (old PDFs stay valid)."""
    try:
        association = verification.find_issuer(slug)
        key = seal_keys.rotate(_admin(association.id, by_email), association.id)
    except DomainError as error:
        _fail(error)
    db.session.commit()
    click.echo(f"new seal key for {association.name}: SHA-256 {key.fingerprint_colons}")
    click.echo(f"  published at {verification.public_url('certificates.issuer_seal', slug=slug)}")
