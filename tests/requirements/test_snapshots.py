"""Stored progress never disagrees with a fresh evaluation (``app.requirements.snapshots``).

The queue here is a real Huey queue (SQLite file) that no worker reads: a change through
a service must leave the snapshot stale (and pages evaluating afresh) until the queued
recomputation runs, which the tests then run by hand (``run_queued``). One test per kind
of input change, then a Hypothesis property over random sequences of changes.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.accounts.models import Role
from app.extensions import db
from app.jobs.queue import huey
from app.logbook import records, signoff
from app.logbook.models import LogbookRecord
from app.programmes import services as programmes
from app.programmes.models import Enrolment, RuleSet
from app.requirements import reports, services, snapshots
from app.requirements.models import ProgressSnapshot
from app.requirements.snapshot_jobs import refresh_all
from app.requirements.staleness import mark_progress_stale
from tests.logbook.fixtures import a_session, accredit
from tests.requirements.records import add_final_score, add_session
from tests.requirements.test_reports import UK, draft

RULES = """\
title: "Snapshot programme"
requirements:
  - {id: co-led, label: Co-led sessions, kind: total, records: sessions, where: {role: co-leader}, at_least: 3}
  - {id: settings, label: Settings, kind: distinct, records: sessions, field: setting_category, at_least: 2}
  - {id: recent, label: Recent, kind: total, records: sessions, window: {within_last_years: 1}, at_least: 1}
  - {id: enrolled, label: Enrolled half a year, kind: elapsed, since: enrolment_start, months: 6}
  - {id: agreement, label: Agreement, kind: manual}
  - {id: module, label: Module, kind: module, min_score: 80}
"""
RULES_V2 = RULES.replace("at_least: 3}", "at_least: 1}")


@pytest.fixture
def app_config(app_config, tmp_path):
    """A real queue that nothing consumes, so what is queued stays queued until run here."""
    return {
        **app_config,
        "JOB_QUEUE_IMMEDIATE": False,
        "JOB_QUEUE_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
        "JOB_QUEUE_NAME": f"snapshots-{uuid.uuid4().hex[:8]}",
    }


def run_queued() -> int:
    """Run the queued snapshot recomputations as a worker would (other jobs are dropped)."""
    ran = 0
    while (task := huey.dequeue()) is not None:
        if task.name.endswith("refresh_snapshots"):
            huey.execute(task)
            ran += 1
    db.session.expire_all()
    return ran


@pytest.fixture
def setup(world):
    programme = programmes.create_programme(
        world.admin, world.association.id, slug="snap", title="Snapshots", rule_set_source=RULES
    )
    enrolment = programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=world.trainee2.id,
        programme_id=programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=dt.date.today() - dt.timedelta(days=400),
    )
    db.session.commit()
    accredit(world.supervisor, world.association)
    world.enrolment = enrolment
    world.trainee = world.trainee2
    run_queued()
    return world


def data(outcomes) -> list[dict]:
    return [snapshots.outcome_data(outcome) for outcome in outcomes]


def snapshot_of(enrolment_id: int) -> ProgressSnapshot | None:
    db.session.expire_all()
    return db.session.get(ProgressSnapshot, enrolment_id)


def assert_agrees(enrolment_id: int) -> None:
    """What a page shows equals a fresh evaluation; a current stored row equals it too."""
    db.session.expire_all()
    enrolment = db.session.get(Enrolment, enrolment_id)
    fresh = services.progress_of_many([enrolment])[0]
    shown = snapshots.progress_of_many([enrolment])[0]
    assert data(shown.evaluation.outcomes) == data(fresh.evaluation.outcomes)
    assert shown.evaluation.is_ready == fresh.evaluation.is_ready
    stored = db.session.get(ProgressSnapshot, enrolment_id)
    if snapshots.is_current(stored, enrolment, dt.date.today()):
        assert stored.outcomes == data(fresh.evaluation.outcomes)
        assert stored.is_ready == fresh.evaluation.is_ready
        assert stored.fraction == pytest.approx(fresh.fraction)


def assert_changed_then_current(enrolment_id: int, before: list | None) -> None:
    """After a change: stale (and pages still right) until the queued job runs, then current."""
    stored = snapshot_of(enrolment_id)
    assert stored is not None and stored.is_stale, "the change did not mark the snapshot stale"
    assert_agrees(enrolment_id)
    assert run_queued() >= 1, "the change queued no recomputation"
    stored = snapshot_of(enrolment_id)
    enrolment = db.session.get(Enrolment, enrolment_id)
    assert snapshots.is_current(stored, enrolment, dt.date.today())
    assert_agrees(enrolment_id)
    if before is not None:
        assert stored.outcomes != before, "the change was meant to change the outcome"


def current_outcomes(world) -> list:
    snapshots.store([world.enrolment.id])
    db.session.commit()
    return snapshot_of(world.enrolment.id).outcomes


# -- one test per input change ----------------------------------------------------------------


def test_a_page_reads_a_current_snapshot_and_says_when_it_was_computed(setup):
    current_outcomes(setup)
    enrolment = db.session.get(Enrolment, setup.enrolment.id)
    shown = snapshots.progress_of_many([enrolment])[0]
    assert shown.computed_at is not None
    assert_agrees(setup.enrolment.id)


def test_a_created_record_marks_stale(setup):
    before = current_outcomes(setup)
    records.create_record(setup.trainee, setup.association.id, setup.enrolment.id, a_session(), submit=True)
    db.session.commit()
    # a submitted record counts for nothing here, but stale it is: the job finds out
    assert_changed_then_current(setup.enrolment.id, None)
    assert snapshot_of(setup.enrolment.id).outcomes == before


def test_signing_returning_and_reopening_mark_stale(setup):
    day = dt.date.today() - dt.timedelta(days=10)
    first = records.create_record(
        setup.trainee, setup.association.id, setup.enrolment.id, a_session(occurred_on=day), submit=True
    )
    second = records.create_record(
        setup.trainee, setup.association.id, setup.enrolment.id, a_session(occurred_on=day), submit=True
    )
    db.session.commit()
    before = current_outcomes(setup)
    signoff.sign(setup.supervisor, setup.association.id, first.id)
    db.session.commit()
    assert_changed_then_current(setup.enrolment.id, before)

    current_outcomes(setup)
    signoff.return_record(setup.supervisor, setup.association.id, second.id, "Please add the setting.")
    db.session.commit()
    assert_changed_then_current(setup.enrolment.id, None)

    before = current_outcomes(setup)
    signoff.reopen(setup.admin, setup.association.id, first.id, "The date was wrong.")
    db.session.commit()
    assert_changed_then_current(setup.enrolment.id, None)


def test_an_accepted_reflection_marks_stale(world):
    from tests.vignettes.helpers import decided

    snapshots.store([world.enrolment.id])
    db.session.commit()
    decided(world, "accepted")
    assert_changed_then_current(world.enrolment.id, None)


def test_a_signed_report_marks_stale(world):
    programme = programmes.create_programme(
        world.admin, world.association.id, slug="uk", title="UK", rule_set_source=UK
    )
    enrolment = programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=world.trainee2.id,
        programme_id=programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=dt.date(2024, 1, 1),
    )
    report = draft(world, enrolment)
    db.session.commit()
    run_queued()
    before = snapshot_of(enrolment.id).outcomes
    reports.sign_report(world.supervisor, report.id)
    db.session.commit()
    assert_changed_then_current(enrolment.id, before)


def test_a_waiver_and_a_manual_decision_mark_stale(setup):
    before = current_outcomes(setup)
    services.waive(setup.admin, setup.enrolment.id, "co-led", "Led groups abroad for years.")
    db.session.commit()
    assert_changed_then_current(setup.enrolment.id, before)
    before = current_outcomes(setup)
    services.decide_manual(
        setup.admin, setup.enrolment.id, "agreement", is_met=True, reason="Signed on paper."
    )
    db.session.commit()
    assert_changed_then_current(setup.enrolment.id, before)


def test_moving_to_another_rule_set_version_marks_stale(setup):
    programme_id = setup.enrolment.programme_id
    add_session(setup.enrolment, dt.date.today() - dt.timedelta(days=3), signer=setup.supervisor)
    db.session.commit()
    before = current_outcomes(setup)
    version = programmes.add_rule_set_version(setup.admin, setup.association.id, programme_id, RULES_V2)
    db.session.commit()
    services.migrate_enrolment(setup.admin, setup.enrolment.id, version.id)
    db.session.commit()
    assert_changed_then_current(setup.enrolment.id, before)


def test_imported_training_marks_stale(setup):
    before = current_outcomes(setup)
    add_session(setup.enrolment, dt.date.today() - dt.timedelta(days=30), imported=True, signer=setup.admin)
    db.session.commit()
    assert_changed_then_current(setup.enrolment.id, before)


def test_a_final_test_score_marks_the_trainees_enrolments_stale(setup):
    before = current_outcomes(setup)
    add_final_score(setup.enrolment, 90)
    db.session.commit()
    assert_changed_then_current(setup.enrolment.id, before)


def test_a_profile_change_marks_stale(setup):
    current_outcomes(setup)
    services.update_profile(
        setup.admin, setup.enrolment.id, has_psychodynamic_training=True, qualified_on=dt.date(2020, 1, 1)
    )
    db.session.commit()
    assert_changed_then_current(setup.enrolment.id, None)


def test_a_recorded_membership_qualification_or_exam_marks_stale(setup):
    from app.profiles import services as profiles

    for record in (
        lambda: profiles.add_membership(
            setup.admin, setup.enrolment.id, started_on=dt.date(2020, 1, 1), ended_on=None
        ),
        lambda: profiles.add_qualification(
            setup.admin, setup.enrolment.id, kind="gp-specialist", obtained_on=dt.date(2019, 2, 28)
        ),
        lambda: profiles.record_exam(
            setup.admin,
            setup.enrolment.id,
            kind="exam",
            outcome="passed",
            occurred_on=dt.date(2025, 3, 1),
            examiner_id=None,
            examiner_name="Dr Ext",
        ),
    ):
        current_outcomes(setup)
        record()
        db.session.commit()
        assert_changed_then_current(setup.enrolment.id, None)


def test_a_status_level_granted_to_someone_else_marks_the_associations_enrolments_stale(setup):
    """Whether a co-led session counts can hang on the co-leader's level that day."""
    from app.statuslevels import services as status_levels

    current_outcomes(setup)
    status_levels.grant(
        setup.admin, setup.association.id, setup.supervisor.id, "training-leader", dt.date(2020, 1, 1)
    )
    db.session.commit()
    assert_changed_then_current(setup.enrolment.id, None)


def test_an_application_marks_stale(world):
    """Applying (and the panel's decision) may become an input (its dates): it marks stale."""
    from app.applications import services as applications
    from tests.logbook.fixtures import signed

    signed(world)
    signed(world)
    run_queued()
    applications.apply(world.trainee, world.association.id, world.enrolment.id, statement="Two years led.")
    db.session.commit()
    assert_changed_then_current(world.enrolment.id, None)


def test_yesterdays_snapshot_is_not_current_and_midnight_recomputes_it(setup):
    current_outcomes(setup)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    db.session.execute(ProgressSnapshot.__table__.update().values(as_of=yesterday))
    db.session.commit()
    enrolment = db.session.get(Enrolment, setup.enrolment.id)
    assert not snapshots.is_current(snapshot_of(setup.enrolment.id), enrolment, dt.date.today())
    assert_agrees(setup.enrolment.id)
    assert refresh_all() >= 1
    db.session.commit()
    stored = snapshot_of(setup.enrolment.id)
    assert stored.as_of == dt.date.today()
    assert_agrees(setup.enrolment.id)


def test_a_recomputation_that_raced_a_change_is_not_stored_as_current(setup):
    """``store`` writes only if the row's generation is still the one it read."""
    current_outcomes(setup)
    mark_progress_stale([setup.enrolment.id])
    db.session.commit()
    generation = snapshot_of(setup.enrolment.id).generation
    # Another change lands while a recomputation that read ``generation - 1`` is running:
    table = ProgressSnapshot.__table__
    statement = (
        table.update()
        .where(table.c.enrolment_id == setup.enrolment.id, table.c.generation == generation - 1)
        .values(is_stale=False)
    )
    assert db.session.execute(statement).rowcount == 0
    db.session.rollback()
    assert snapshot_of(setup.enrolment.id).is_stale


def test_the_cohort_ready_filter_and_the_ready_list_agree(setup, client):
    for day in range(3):
        add_session(setup.enrolment, dt.date.today() - dt.timedelta(days=5 + day), signer=setup.supervisor)
    add_session(
        setup.enrolment,
        dt.date.today() - dt.timedelta(days=2),
        setting_category="hospital",
        signer=setup.supervisor,
    )
    services.decide_manual(
        setup.admin, setup.enrolment.id, "agreement", is_met=True, reason="Signed on paper."
    )
    services.waive(setup.admin, setup.enrolment.id, "module", "Studied it elsewhere.")
    db.session.commit()
    run_queued()
    from app.certificates import records as certificate_records

    ready = certificate_records.ready_list(setup.admin, setup.association.id)
    assert [row.enrolment.id for row in ready] == [setup.enrolment.id]
    client.login("admin@x.test")
    html = client.get(f"/progress/cohort?state=ready&programme={setup.enrolment.programme_id}").get_data(
        as_text=True
    )
    assert setup.trainee.name in html
    assert "progress as of" in html  # the stored result says its age
    assert "1 trainees" in html or "1 trainee" in html


# -- the property: random histories, random changes, never a disagreement ----------------------

_sign = st.tuples(st.just("sign"), st.integers(0, 9))
_create = st.tuples(
    st.just("create"), st.integers(1, 500), st.sampled_from(["co-leader", "leader", "member"])
)
actions = st.lists(
    st.one_of(
        _create,
        _sign,
        st.tuples(st.just("create-signed"), st.integers(1, 500)),
        st.tuples(st.just("return"), st.integers(0, 9)),
        st.tuples(st.just("reopen"), st.integers(0, 9)),
        st.tuples(st.just("waive"), st.sampled_from(["co-led", "settings", "recent", "module"])),
        st.tuples(st.just("withdraw"), st.sampled_from(["co-led", "settings", "recent", "module"])),
        st.tuples(st.just("decide"), st.booleans()),
        st.tuples(st.just("migrate")),
        st.tuples(st.just("import"), st.integers(1, 900)),
    ),
    min_size=2,
    max_size=8,
)


def _apply(world, enrolment_id: int, versions: list[int], action: tuple) -> None:
    kind, *args = action
    association_id = world.association.id
    records_of = list(
        db.session.scalars(
            select(LogbookRecord).where(LogbookRecord.enrolment_id == enrolment_id).order_by(LogbookRecord.id)
        )
    )

    def pick(status: str, index: int):
        chosen = [r for r in records_of if r.status == status and r.superseded_by is None]
        return chosen[index % len(chosen)] if chosen else None

    if kind == "create":
        days, role = args
        data = a_session(occurred_on=dt.date.today() - dt.timedelta(days=days), role=role)
        records.create_record(world.trainee, association_id, enrolment_id, data, submit=True)
    elif kind == "create-signed":  # a submitted record signed in the same step
        data = a_session(occurred_on=dt.date.today() - dt.timedelta(days=args[0]))
        record = records.create_record(world.trainee, association_id, enrolment_id, data, submit=True)
        db.session.commit()
        signoff.sign(world.supervisor, association_id, record.id)
    elif kind == "sign" and (record := pick("submitted", args[0])):
        signoff.sign(world.supervisor, association_id, record.id)
    elif kind == "return" and (record := pick("submitted", args[0])):
        signoff.return_record(world.supervisor, association_id, record.id, "Please add the setting.")
    elif kind == "reopen" and (record := pick("signed", args[0])):
        signoff.reopen(world.admin, association_id, record.id, "The date was wrong.")
    elif kind == "waive":
        services.waive(world.admin, enrolment_id, args[0], "Done elsewhere, with papers.")
    elif kind == "withdraw":
        services.withdraw_decision(world.admin, enrolment_id, args[0], "Papers did not hold up.")
    elif kind == "decide":
        services.decide_manual(world.admin, enrolment_id, "agreement", is_met=args[0], reason="As agreed.")
    elif kind == "migrate":
        enrolment = db.session.get(Enrolment, enrolment_id)
        target = next(v for v in versions if v != enrolment.rule_set_id)
        services.migrate_enrolment(world.admin, enrolment_id, target)
    elif kind == "import":
        enrolment = db.session.get(Enrolment, enrolment_id)
        add_session(
            enrolment, dt.date.today() - dt.timedelta(days=args[0]), imported=True, signer=world.admin
        )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=actions, runs=st.lists(st.sampled_from([True, True, True, False]), min_size=8, max_size=8))
def test_a_snapshot_never_disagrees_with_a_fresh_evaluation(setup, make_user, steps, runs):
    """Whatever happens through the services, in whatever order, and whether or not the
    queued recomputations have run yet, a page shows what a fresh evaluation gives."""
    world = setup
    programme_id = world.enrolment.programme_id
    versions = [world.enrolment.rule_set_id]
    if len(versions) == 1:
        existing = db.session.scalars(select(RuleSet.id).where(RuleSet.programme_id == programme_id)).all()
        if len(existing) == 1:
            programmes.add_rule_set_version(world.admin, world.association.id, programme_id, RULES_V2)
            db.session.commit()
        versions = list(db.session.scalars(select(RuleSet.id).where(RuleSet.programme_id == programme_id)))
    trainee = make_user(f"p{uuid.uuid4().hex[:10]}@x.test", world.association, Role.TRAINEE)
    enrolment = programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=trainee.id,
        programme_id=programme_id,
        supervisor_ids=[world.supervisor.id],
        started_on=dt.date.today() - dt.timedelta(days=300),
    )
    db.session.commit()
    world.trainee = trainee
    assert_agrees(enrolment.id)
    for step, run in zip(steps, runs, strict=False):
        _apply(world, enrolment.id, versions, step)
        db.session.commit()
        assert_agrees(enrolment.id)
        if run:
            run_queued()
            assert_agrees(enrolment.id)
    run_queued()
    stored = snapshot_of(enrolment.id)
    assert snapshots.is_current(stored, db.session.get(Enrolment, enrolment.id), dt.date.today())
    assert_agrees(enrolment.id)
