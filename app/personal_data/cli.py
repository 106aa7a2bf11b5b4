"""``flask retention run``: apply each association's retention setting."""

from __future__ import annotations

import click

from app.database import utcnow
from app.extensions import db
from app.personal_data import retention


@click.group("retention")
def retention_cli() -> None:
    """Deleting drafts and unsigned records that nobody touched for years."""


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="List what would go; delete nothing.")
def run(dry_run: bool) -> None:
    """Apply every association's retention setting (the scheduled job does the same)."""
    for result in retention.run_everywhere(now=utcnow(), dry_run=dry_run):
        verb = "would delete" if dry_run else "deleted"
        click.echo(
            f"association {result.association_id} ({result.years} years, before {result.cutoff:%Y-%m-%d}): "
            f"{verb} {len(result.record_ids)} records, {len(result.reflection_ids)} reflections"
        )
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
