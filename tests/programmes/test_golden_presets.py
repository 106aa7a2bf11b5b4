"""Golden tests: each shipped preset against trainees designed from the published rule.

Every trainee below is built from a line of shared/reference/ACCREDITATION.md, and the
outcome the published rule gives them is written beside it: ready, or which essential
requirements are not met. They run through the services and the engine on both databases.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.extensions import db
from app.profiles import services as profiles
from app.programmes import services as programmes
from app.requirements import reports, services
from app.requirements.ruleset import parse_rule_set
from app.statuslevels import services as levels
from tests.requirements.records import (
    add_accepted_reflection,
    add_event,
    add_final_score,
    add_observation,
    add_session,
    add_supervision,
)

PRESETS = Path(__file__).resolve().parents[2] / "curriculum" / "programmes"
TODAY = dt.date.today()


def enrol(world, preset: str, trainee, started_on: dt.date, *, psychodynamic: bool | None = None):
    source = (PRESETS / f"{preset}.yaml").read_text()
    slug = f"{preset}-{trainee.id}"
    programme = programmes.create_programme(
        world.admin, world.association.id, slug=slug, title=slug, rule_set_source=source
    )
    enrolment = programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=trainee.id,
        programme_id=programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=started_on,
    )
    if psychodynamic is not None:
        services.update_profile(
            world.admin, enrolment.id, has_psychodynamic_training=psychodynamic, qualified_on=None
        )
    db.session.commit()
    return enrolment


def trainee(make_user, world, name: str):
    from app.accounts.models import Role

    return make_user(f"{name}@golden.test", world.association, Role.TRAINEE, name=name.title())


def confirm(world, enrolment, *requirement_ids: str, is_met: bool = True) -> None:
    for requirement_id in requirement_ids:
        services.decide_manual(
            world.admin, enrolment.id, requirement_id, is_met=is_met, reason="Seen by the committee"
        )
    db.session.commit()


def sign_report(world, enrolment, preset: str, *, kind="final", rating=4, recommendation="ready"):
    competencies = parse_rule_set((PRESETS / f"{preset}.yaml").read_text()).competencies
    report = reports.save_report(
        world.supervisor,
        enrolment.id,
        kind=kind,
        period_start=enrolment.started_on,
        period_end=TODAY,
        ratings={c.id: rating for c in competencies},
        narrative="Holds the frame well; learning to stay with silence.",
        recommendation=recommendation,
    )
    reports.sign_report(world.supervisor, report.id)
    db.session.commit()


def progress(world, enrolment, as_of: dt.date | None = None):
    return services.enrolment_progress(world.admin, enrolment.id, as_of=as_of or TODAY).evaluation


def unmet(evaluation) -> set[str]:
    """The essential top-level requirements the trainee has not met."""
    return {
        o.requirement.id
        for o in evaluation.outcomes
        if o.requirement.level == "essential" and o.status == "not_met"
    }


def status(evaluation, requirement_id: str) -> str:
    stack = list(evaluation.outcomes)
    while stack:
        outcome = stack.pop()
        if outcome.requirement.id == requirement_id:
            return outcome.status
        stack.extend(outcome.children)
    raise KeyError(requirement_id)


def hold_level(world, user, level: str, since: dt.date = dt.date(2000, 1, 1)) -> None:
    """The association's status level, held by ``user`` from ``since`` (read on each record's date)."""
    levels.grant(world.admin, world.association.id, user.id, level, since)
    db.session.commit()


def weekly(start: dt.date, count: int, step_days: int = 7):
    return [start + dt.timedelta(days=step_days * i) for i in range(count)]


# -- Balint Society UK, April 2020 guidelines ----------------------------------------------

UK_MANUAL = ("professional-background", "portfolio", "application-form")


def member_since(world, enrolment, started_on: dt.date, ended_on: dt.date | None = None) -> None:
    """A period of the trainee's membership of the society, as an admin records it."""
    profiles.add_membership(world.admin, enrolment.id, started_on=started_on, ended_on=ended_on)
    db.session.commit()


def _uk_complete(world, enrolment, start, *, co_leading_role="co-leader", accredited_supervisor=True):
    for day in weekly(start, 20):
        add_session(enrolment, day, role="member")  # 20 sessions in an ongoing group (§1.2 #3b)
    for number, day in enumerate(weekly(start + dt.timedelta(days=3), 20)):
        add_session(
            enrolment,
            day,
            role=co_leading_role,  # §1.2 #4: 20 co-led sessions
            setting_category="primary-care" if number % 2 else "hospital",
            # §1.2 #4: once with a society-accredited leader (a status level held that day)
            co_leader=world.supervisor2 if number == 0 else None,
        )
    if accredited_supervisor:  # §1.2 #6: supervision with an accredited leader
        hold_level(world, world.supervisor, "certified-leader")
    hold_level(world, world.supervisor2, "supervisor-leader")
    add_event(enrolment, start + dt.timedelta(days=30), kind="leadership-workshop", days=2)  # §1.2 #5
    add_event(enrolment, start + dt.timedelta(days=200), kind="leadership-workshop", days=1)
    for day in weekly(start + dt.timedelta(days=60), 3, 60):
        add_supervision(enrolment, day)  # §1.2 #6: no minimum number
    add_final_score(enrolment, 85)
    db.session.commit()
    sign_report(world, enrolment, "uk-style", rating=2)  # §1.2 #7; no minimum rating is published
    confirm(world, enrolment, *UK_MANUAL)
    member_since(world, enrolment, start - dt.timedelta(days=400))  # §1.2 #1: a member, still


def test_uk_a_complete_trainee_is_ready_whatever_the_ratings(world, make_user):
    start = TODAY - dt.timedelta(days=730)
    enrolment = enrol(world, "uk-style", trainee(make_user, world, "ukready"), start, psychodynamic=False)
    _uk_complete(world, enrolment, start)
    evaluation = progress(world, enrolment)
    # Published outcome: accredited (a rating of 2 is not a bar: the guideline sets no minimum).
    assert evaluation.is_ready, unmet(evaluation)
    assert status(evaluation, "more-than-one-setting") == "met"
    assert status(evaluation, "co-led-with-accredited") == "met"


def test_uk_a_lapsed_membership_is_not_membership(world, make_user):
    start = TODAY - dt.timedelta(days=730)
    enrolment = enrol(world, "uk-style", trainee(make_user, world, "uklapsed"), start, psychodynamic=False)
    _uk_complete(world, enrolment, start)
    profiles.remove(
        world.admin,
        enrolment.id,
        "membership",
        profiles.profile_facts(world.admin, enrolment.id).memberships[0].id,
    )
    member_since(world, enrolment, start - dt.timedelta(days=400), TODAY - dt.timedelta(days=1))
    # Published outcome (§1.2 #1): membership "needs to be maintained": lapsed yesterday, not ready.
    assert unmet(progress(world, enrolment)) == {"society-membership"}


def test_uk_leading_alone_is_not_co_leading(world, make_user):
    start = TODAY - dt.timedelta(days=730)
    enrolment = enrol(world, "uk-style", trainee(make_user, world, "uksolo"), start, psychodynamic=False)
    _uk_complete(world, enrolment, start, co_leading_role="leader")
    # Published outcome: not accredited: no co-leading (§1.2 #4) and a solo leader must also
    # co-lead (§1.2 #9).
    assert unmet(progress(world, enrolment)) == {"co-led-sessions", "leads-alone-also-co-leads"}


def test_uk_residential_weekends_count_once_and_members_sit_in_ongoing_groups_or_weekends(world, make_user):
    start = TODAY - dt.timedelta(days=730)
    enrolment = enrol(world, "uk-style", trainee(make_user, world, "ukweekend"), start, psychodynamic=True)
    for day in weekly(start, 20):
        add_session(enrolment, day, role="co-leader")
    add_event(enrolment, start + dt.timedelta(days=10), kind="residential-weekend")
    add_event(enrolment, start + dt.timedelta(days=100), kind="residential-weekend")
    add_supervision(enrolment, start + dt.timedelta(days=50))
    hold_level(world, world.supervisor, "certified-leader")
    add_final_score(enrolment, 85)
    db.session.commit()
    sign_report(world, enrolment, "uk-style")
    confirm(world, enrolment, *UK_MANUAL)
    member_since(world, enrolment, start)
    # Published outcome: the two society weekends meet membership (§1.2 #3a), but they are
    # not also leadership training (§1.2 #5): not accredited, leadership training missing.
    assert unmet(progress(world, enrolment)) == {"leadership-training"}

    other = enrol(world, "uk-style", trainee(make_user, world, "ukconference"), start, psychodynamic=False)
    for day in weekly(start, 20):
        add_session(other, day, role="member", group_kind="study-conference")
    db.session.commit()
    # Published outcome: 20 member sessions at a study conference are neither an ongoing
    # group nor society weekends (§1.2 #3b): membership experience not met.
    assert status(progress(world, other), "membership-experience") == "not_met"


def _uk_weekends_only(world, enrolment, start, weekends: int):
    """Co-leading, supervision, module and report done; experience as a member and leadership
    training from society weekends alone (the events do not say which group was attended)."""
    for day in weekly(start, 20):
        add_session(enrolment, day, role="co-leader")
    for number in range(weekends):
        add_event(enrolment, start + dt.timedelta(days=10 + 90 * number), kind="residential-weekend")
    add_supervision(enrolment, start + dt.timedelta(days=50))
    hold_level(world, world.supervisor, "certified-leader")  # §1.2 #6: with an accredited leader
    member_since(world, enrolment, start)  # §1.2 #1: a member of the society, maintained
    add_final_score(enrolment, 85)
    db.session.commit()
    sign_report(world, enrolment, "uk-style")
    confirm(world, enrolment, *UK_MANUAL)


def test_uk_four_society_weekends_are_two_for_membership_and_two_leadership_groups(world, make_user):
    start = TODAY - dt.timedelta(days=730)
    enrolment = enrol(world, "uk-style", trainee(make_user, world, "ukfour"), start, psychodynamic=True)
    _uk_weekends_only(world, enrolment, start, weekends=4)
    # Published outcome: 2 weekends as a member (§1.2 #3a) and 2 weekend leadership groups
    # (§1.2 #5), each weekend counted once: accredited.
    evaluation = progress(world, enrolment)
    assert evaluation.is_ready, unmet(evaluation)


def test_uk_three_society_weekends_leave_leadership_training_one_short(world, make_user):
    start = TODAY - dt.timedelta(days=730)
    enrolment = enrol(world, "uk-style", trainee(make_user, world, "ukthree"), start, psychodynamic=True)
    _uk_weekends_only(world, enrolment, start, weekends=3)
    evaluation = progress(world, enrolment)
    # Published outcome: two weekends meet membership (§1.2 #3a); the third is one weekend
    # leadership group of the two required (§1.2 #5): not accredited.
    assert unmet(evaluation) == {"leadership-training"}
    (leadership,) = [o for o in evaluation.outcomes if o.requirement.id == "leadership-training"]
    assert leadership.current == 1
    assert "2 records already counted for 2 society weekends as a member" in leadership.missing


def test_uk_without_psychodynamic_training_weekends_are_leadership_groups(world, make_user):
    start = TODAY - dt.timedelta(days=730)
    enrolment = enrol(world, "uk-style", trainee(make_user, world, "uktwo"), start, psychodynamic=False)
    for day in weekly(start + dt.timedelta(days=1), 20):
        add_session(enrolment, day, role="member")  # §1.2 #3b: 20 sessions in an ongoing group
    _uk_weekends_only(world, enrolment, start, weekends=2)
    # Published outcome: membership experience from the ongoing group (§1.2 #3b; the weekends
    # rule of #3a does not apply), the two weekends are the leadership groups (§1.2 #5): accredited.
    evaluation = progress(world, enrolment)
    assert evaluation.is_ready, unmet(evaluation)


def test_uk_supervision_and_co_leading_count_with_a_leader_accredited_on_the_day(world, make_user):
    start = TODAY - dt.timedelta(days=730)
    enrolment = enrol(world, "uk-style", trainee(make_user, world, "uklate"), start, psychodynamic=False)
    _uk_complete(world, enrolment, start, accredited_supervisor=False)
    # The supervisor becomes an accredited leader only after the last supervision, and the
    # co-leader's level is ended before the session they co-led.
    hold_level(world, world.supervisor, "certified-leader", since=TODAY)
    co_leader_level = levels.levels_of(world.supervisor2.id, world.association.id)[0]
    levels.end(world.admin, world.association.id, co_leader_level.id, dt.date(2001, 1, 1))
    db.session.commit()
    evaluation = progress(world, enrolment)
    # Published outcome: not accredited: supervision must be with an accredited leader
    # (§1.2 #6); co-leading with one (§1.2 #4, desirable) is not met either.
    assert unmet(evaluation) == {"supervision"}
    assert status(evaluation, "co-led-with-accredited") == "not_met"


# -- BSANZ Leadership Accreditation Pathway ------------------------------------------------

ANZ_MANUAL = ("supervision-agreement", "yearly-training-record")
# Five months in: the reports signed today fall in the first six-month period, which has
# ended by the evaluation date.
ANZ_START = TODAY - dt.timedelta(days=150)
ANZ_AS_OF = ANZ_START + dt.timedelta(days=190)


def _anz_records(
    world, enrolment, *, meetings=20, provider="BSANZ", second_outcome="satisfactory", trainers=True
):
    if trainers:  # §2.2 #2, #10 and §2.5: supervisors and observers are Leader Trainers
        hold_level(world, world.supervisor, "training-leader")
        hold_level(world, world.supervisor2, "training-leader")
    cases = [2, 1] * 10 if meetings == 20 else [2] * meetings  # 30 cases either way
    for number, day in enumerate(weekly(ANZ_START + dt.timedelta(days=1), meetings, 6)):
        add_session(enrolment, day, role="co-leader" if number % 2 else "leader", cases=cases[number])
    for number, day in enumerate(weekly(ANZ_START + dt.timedelta(days=2), 10, 14)):
        add_supervision(enrolment, day, mode="group" if number == 0 else "individual")
    add_event(enrolment, ANZ_START + dt.timedelta(days=20), kind="intensive", days=3, provider=provider)
    add_event(enrolment, ANZ_START + dt.timedelta(days=90), kind="intensive", days=3, provider=provider)
    add_observation(enrolment, ANZ_START + dt.timedelta(days=21), world.supervisor)
    add_observation(enrolment, ANZ_START + dt.timedelta(days=120), world.supervisor2, outcome=second_outcome)
    add_final_score(enrolment, 85)
    db.session.commit()
    sign_report(world, enrolment, "anz-style", kind="periodic", recommendation="not_yet")
    sign_report(world, enrolment, "anz-style")
    confirm(world, enrolment, *ANZ_MANUAL)
    member_since(world, enrolment, ANZ_START - dt.timedelta(days=700))  # §2.2 #13: current membership


def test_anz_a_complete_trainee_is_ready(world, make_user):
    enrolment = enrol(world, "anz-style", trainee(make_user, world, "anzready"), ANZ_START)
    _anz_records(world, enrolment)
    evaluation = progress(world, enrolment, ANZ_AS_OF)
    # Published outcome: completes the pathway (30 cases over 20 meetings, 10 supervisions
    # in the year, two BSANZ Intensives, two satisfactory observations by two observers).
    assert evaluation.is_ready, unmet(evaluation)
    assert status(evaluation, "supervision-group-first-year") == "met"


def test_anz_a_membership_that_lapsed_breaks_the_supervision_agreement(world, make_user):
    enrolment = enrol(world, "anz-style", trainee(make_user, world, "anzlapsed"), ANZ_START)
    _anz_records(world, enrolment)
    facts = profiles.profile_facts(world.admin, enrolment.id)
    profiles.remove(world.admin, enrolment.id, "membership", facts.memberships[0].id)
    member_since(world, enrolment, ANZ_START - dt.timedelta(days=700), TODAY)
    # §2.2 #13: both keep current BSANZ membership; it ended before the evaluation day.
    assert unmet(progress(world, enrolment, ANZ_AS_OF)) == {"bsanz-membership"}


def test_anz_other_intensives_and_an_unsatisfactory_observation_do_not_count(world, make_user):
    enrolment = enrol(world, "anz-style", trainee(make_user, world, "anzother"), ANZ_START)
    _anz_records(world, enrolment, provider="Another society", second_outcome="needs-development")
    # Published outcome: not complete: intensives must be BSANZ's own (§2.2 #3) and both
    # observations satisfactory (§2.2 #10).
    assert unmet(progress(world, enrolment, ANZ_AS_OF)) == {"formal-training", "observations"}


def test_anz_supervisors_and_observers_must_be_leader_trainers(world, make_user):
    enrolment = enrol(world, "anz-style", trainee(make_user, world, "anznottrainers"), ANZ_START)
    hold_level(world, world.supervisor, "training-leader")  # one Leader Trainer observes ...
    hold_level(world, world.supervisor2, "certified-leader")  # ... the other is a leader only
    _anz_records(world, enrolment, trainers=False)
    # Published outcome: not complete: two different Leader Trainers observe (§2.2 #10).
    assert unmet(progress(world, enrolment, ANZ_AS_OF)) == {"observations"}
    levels.end(
        world.admin,
        world.association.id,
        levels.levels_of(world.supervisor.id, world.association.id)[0].id,
        ANZ_START,
    )
    db.session.commit()
    # Once the supervisor is no Leader Trainer, the year's supervision does not count (§2.2 #2).
    assert unmet(progress(world, enrolment, ANZ_AS_OF)) == {"observations", "supervision-each-year"}


def test_anz_thirty_cases_in_fifteen_meetings_are_not_enough(world, make_user):
    enrolment = enrol(world, "anz-style", trainee(make_user, world, "anzfew"), ANZ_START)
    _anz_records(world, enrolment, meetings=15)
    # Published outcome: not complete: 30 cases but over fewer than 20 meetings (§2.2 #1).
    assert unmet(progress(world, enrolment, ANZ_AS_OF)) == {"led-cases"}


# -- Course completion (Stillpoint's own) --------------------------------------------------


def test_course_completion_counts_co_led_sessions_only(world, make_user):
    start = TODAY - dt.timedelta(days=200)
    done = enrol(world, "course-completion", trainee(make_user, world, "coursedone"), start)
    solo = enrol(world, "course-completion", trainee(make_user, world, "coursesolo"), start)
    for enrolment, role in ((done, "co-leader"), (solo, "leader")):
        for day in weekly(start, 10):
            add_session(enrolment, day, role=role)
        for slug in ("a", "b", "c", "d"):
            add_accepted_reflection(enrolment, slug)
    add_final_score(done, 85)
    add_final_score(solo, 85)
    db.session.commit()
    # Stillpoint's course: the module, 4 reflections, 10 co-led sessions.
    assert progress(world, done).is_ready
    assert unmet(progress(world, solo)) == {"co-led-sessions"}


# -- IBF 2016 baseline ---------------------------------------------------------------------


def _ibf(world, enrolment, start, *, accredited=True):
    add_session(enrolment, start + dt.timedelta(days=10), co_leader_accredited=accredited)
    db.session.commit()
    sign_report(world, enrolment, "ibf-baseline")
    confirm(world, enrolment, "member-experience", "co-leader-reference", "evaluation")


def test_ibf_baseline_needs_co_leading_with_an_accredited_leader(world, make_user):
    start = TODAY - dt.timedelta(days=400)
    ready = enrol(world, "ibf-baseline", trainee(make_user, world, "ibfready"), start)
    unaccredited = enrol(world, "ibf-baseline", trainee(make_user, world, "ibfalone"), start)
    for enrolment, accredited in ((ready, True), (unaccredited, False)):
        _ibf(world, enrolment, start, accredited=accredited)
        profiles.set_track(world.admin, enrolment.id, "gp")
        profiles.add_qualification(world.admin, enrolment.id, kind="gp-specialist", obtained_on=start)
        db.session.commit()
    # IBF 2016 #3: co-led with an accredited leader.
    assert progress(world, ready).is_ready
    assert unmet(progress(world, unaccredited)) == {"co-led-with-accredited"}


def test_ibf_baseline_professional_training_follows_the_track(world, make_user):
    start = TODAY - dt.timedelta(days=400)
    psychotherapist = enrol(world, "ibf-baseline", trainee(make_user, world, "ibfpsych"), start)
    gp_without = enrol(world, "ibf-baseline", trainee(make_user, world, "ibfgp"), start)
    unknown = enrol(world, "ibf-baseline", trainee(make_user, world, "ibfnotrack"), start)
    for enrolment in (psychotherapist, gp_without, unknown):
        _ibf(world, enrolment, start)
        profiles.add_qualification(
            world.admin,
            enrolment.id,
            kind="psychotherapist-licence",
            obtained_on=start - dt.timedelta(days=900),
        )
    profiles.set_track(world.admin, psychotherapist.id, "psychiatrist-psychotherapist")
    profiles.set_track(world.admin, gp_without.id, "gp")
    db.session.commit()
    # IBF 2016 #1 and the note on pathways: a psychotherapist's licence is their training...
    evaluation = progress(world, psychotherapist)
    assert evaluation.is_ready and status(evaluation, "gp-training") == "not_applicable"
    # ...but not a GP's, and without a recorded background no pathway is met.
    assert unmet(progress(world, gp_without)) == {"professional-training"}
    assert unmet(progress(world, unknown)) == {"professional-training"}


# -- Hungary and Poland: numbers not published ---------------------------------------------


def test_hungary_is_decided_by_the_association_item_by_item(world, make_user):
    start = TODAY - dt.timedelta(days=400)
    decided = enrol(world, "hungary", trainee(make_user, world, "hudecided"), start)
    waiting = enrol(world, "hungary", trainee(make_user, world, "huwaiting"), start)
    items = [r.id for r in parse_rule_set((PRESETS / "hungary.yaml").read_text()).requirements]
    confirm(world, decided, *(item for item in items if item != "society-membership"))
    member_since(world, decided, start)
    # No published numbers: only the association's decisions (and a current membership)
    # make a trainee ready.
    assert progress(world, decided).is_ready
    assert unmet(progress(world, waiting)) == set(items)


def test_poland_needs_the_exam_passed_at_the_intensive(world, make_user):
    start = TODAY - dt.timedelta(days=400)
    passed = enrol(world, "poland", trainee(make_user, world, "plpassed"), start)
    failed = enrol(world, "poland", trainee(make_user, world, "plfailed"), start)
    for enrolment, exam in ((passed, True), (failed, False)):
        add_event(enrolment, start + dt.timedelta(days=30), kind="intensive", days=3)
        add_session(enrolment, start + dt.timedelta(days=31), role="co-leader")
        add_supervision(enrolment, start + dt.timedelta(days=31))
        db.session.commit()
        confirm(world, enrolment, "supervision-sufficient", "board-certification")
        profiles.record_exam(
            world.admin,
            enrolment.id,
            kind="exam",
            outcome="passed" if exam else "not-passed",
            occurred_on=start + dt.timedelta(days=31),
            examiner_name="Board examiner",
        )
        db.session.commit()
    # PSB: leader candidates sit an exam during the intensive.
    assert progress(world, passed).is_ready
    assert unmet(progress(world, failed)) == {"exam"}


# -- Italy (SRBA): 60 sessions over 3 continuous years --------------------------------------


def _italy(world, make_user, name, start, session_days):
    enrolment = enrol(world, "italy", trainee(make_user, world, name), start)
    for number, day in enumerate(session_days):
        add_session(
            enrolment, day, role="co-leader" if number == 0 else "member", co_leader_accredited=number == 0
        )
    db.session.commit()
    sign_report(world, enrolment, "italy")
    confirm(world, enrolment, "co-leading-feedback", "supervision")
    return enrolment


def test_italy_sixty_sessions_over_three_continuous_years(world, make_user):
    start = TODAY - dt.timedelta(days=3 * 366 + 10)
    steady = _italy(world, make_user, "itsteady", start, weekly(start + dt.timedelta(days=1), 60, 18))
    # 60 sessions every 18 days: about 3 years without a break. Published outcome: accredited.
    assert progress(world, steady).is_ready, unmet(progress(world, steady))

    first, third = start + dt.timedelta(days=1), start + dt.timedelta(days=2 * 366 + 5)
    broken = _italy(world, make_user, "itbroken", start, weekly(first, 30, 7) + weekly(third, 30, 7))
    # 60 sessions, but none in the second year: not continuous. Published outcome: not met.
    evaluation = progress(world, broken)
    assert unmet(evaluation) == {"continuity"}
    assert status(evaluation, "sixty-sessions") == "met"
    assert status(evaluation, "three-continuous-years") == "not_met"

    recent = TODAY - dt.timedelta(days=400)
    early = _italy(world, make_user, "itearly", recent, weekly(recent + dt.timedelta(days=1), 60, 6))
    # 60 sessions in a year, a year into the 2-year course: neither continuous nor complete.
    assert unmet(progress(world, early)) == {"two-year-course", "continuity"}


# -- Germany: PSGV participant rules (§4.6) ------------------------------------------------
# participant-de reads a group member's attendance, not a logbook: its golden cases are in
# tests/groups/test_participant_preset.py.
