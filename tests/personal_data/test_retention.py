"""Retention: drafts and unsigned records untouched for N years go; signed ones never."""

from __future__ import annotations

from datetime import datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import select

from app.database import utcnow
from app.extensions import db
from app.logbook import signoff
from app.logbook.models import LogbookRecord
from app.personal_data import retention
from app.personal_data.jobs import nightly_retention
from tests.logbook.fixtures import a_session, accredit, create


def _age(record, years: int, days: int = 0) -> None:
    record.updated_at = utcnow() - timedelta(days=365 * years + days)
    db.session.commit()


def test_nothing_happens_without_a_setting(world):
    old = create(world)
    _age(old, 10)
    result = retention.run(world.association.id, now=utcnow(), dry_run=False)
    assert result.total == 0 and db.session.get(LogbookRecord, old.id) is not None


def test_a_dry_run_lists_and_a_real_run_deletes_only_stale_unsigned_records(world):
    world.association.retention_years = 3
    stale_draft = create(world)
    stale_submitted = create(world, a_session(), submit=True)
    fresh_draft = create(world)
    stale_signed = create(world, a_session(), submit=True)
    for record in (stale_draft, stale_submitted, stale_signed):
        _age(record, 3, days=5)
    _age(fresh_draft, 2)
    accredit(world.supervisor, world.association)
    signoff.sign(world.supervisor, world.association.id, stale_signed.id)  # signing keeps updated_at
    db.session.commit()

    preview = retention.preview(world.admin, world.association.id, now=utcnow())
    assert sorted(preview.record_ids) == sorted([stale_draft.id, stale_submitted.id])
    assert db.session.get(LogbookRecord, stale_draft.id) is not None  # a dry run deletes nothing

    kept = {fresh_draft.id, stale_signed.id}
    retention.run(world.association.id, now=utcnow(), dry_run=False)
    db.session.commit()
    assert set(db.session.scalars(select(LogbookRecord.id))) == kept


def test_the_cli_runs_every_association_and_says_what_it_did(app, world):
    world.association.retention_years = 1
    stale = create(world)
    _age(stale, 2)
    runner = CliRunner()
    dry = runner.invoke(app.cli, ["retention", "run", "--dry-run"], catch_exceptions=False)
    assert "would delete 1 records" in dry.output
    assert db.session.get(LogbookRecord, stale.id) is not None
    real = runner.invoke(app.cli, ["retention", "run"], catch_exceptions=False)
    assert "deleted 1 records" in real.output
    db.session.expire_all()
    assert db.session.get(LogbookRecord, stale.id) is None


def test_the_admin_sets_retention_on_the_page(client, world):
    client.login("admin@x.test")
    bad = client.submit("/admin/data-protection", {"years": "0"}, action="/admin/data-protection/retention")
    assert bad.status_code == 422
    good = client.submit("/admin/data-protection", {"years": "4"}, action="/admin/data-protection/retention")
    assert good.status_code == 302
    db.session.expire_all()
    assert world.association.retention_years == 4
    page = client.get("/admin/data-protection").get_data(as_text=True)
    assert "A run today would delete 0 drafts" in page


def test_the_worker_applies_retention_every_night(world):
    """The scheduled job is the CLI's run: at 03:30 UTC, every association with a setting."""
    check = nightly_retention.s().validate_datetime  # the scheduler asks each minute
    assert check(datetime(2026, 12, 8, 3, 30)) and not check(datetime(2026, 12, 8, 4, 30))
    world.association.retention_years = 2
    stale, fresh = create(world), create(world)
    _age(stale, 2, days=1)
    nightly_retention.call_local()
    db.session.expire_all()
    assert set(db.session.scalars(select(LogbookRecord.id))) == {fresh.id}
