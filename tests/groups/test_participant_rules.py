"""The German participant rules at their boundaries (pure: no database)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.groups.participant_rules import Attended, add_months, evaluate


def _by_key(results):
    return {result.key: result for result in results}


def season(count: int, minutes: int = 90, start: date = date(2025, 1, 6), step: int = 14, online=()):
    return [Attended(start + timedelta(days=step * n), minutes, n in online) for n in range(count)]


def test_a_member_who_meets_every_rule(app):
    results = evaluate(season(20, step=14), group_size=10)  # 30 h over 266 days
    assert all(result.is_met for result in results), [r for r in results if not r.is_met]


@pytest.mark.parametrize(("minutes", "is_met"), [(1800, True), (1799, False)])
def test_thirty_hours_exactly_is_enough(app, minutes, is_met):
    attended = [Attended(date(2025, 1, 6), minutes - 1000, False), Attended(date(2025, 7, 6), 1000, False)]
    rule = _by_key(evaluate(attended, 10))["total-hours"]
    assert rule.is_met is is_met
    assert ("30 hours" in rule.why) and (("29.98" in rule.why) != is_met)


@pytest.mark.parametrize(("last", "is_met"), [(date(2025, 7, 6), True), (date(2025, 7, 5), False)])
def test_six_months_exactly_is_enough(app, last, is_met):
    attended = [Attended(date(2025, 1, 6), 900, False), Attended(last, 900, False)]
    rule = _by_key(evaluate(attended, 10))["spread"]
    assert rule.is_met is is_met
    assert "2025-07-06" in rule.why


def test_six_months_from_the_end_of_august_ends_in_february():
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)


@pytest.mark.parametrize(("size", "is_met"), [(7, False), (8, True), (12, True), (13, False)])
def test_a_group_of_eight_to_twelve_members(app, size, is_met):
    rule = _by_key(evaluate(season(2), size))["group-size"]
    assert rule.is_met is is_met
    assert f"{size} members" in rule.why


@pytest.mark.parametrize(("minutes", "is_met"), [(90, True), (91, False)])
def test_an_online_session_may_last_ninety_minutes_not_ninety_one(app, minutes, is_met):
    attended = [
        Attended(date(2025, 1, 6), 90, False),
        Attended(date(2025, 2, 6), minutes, True),
        Attended(date(2025, 3, 6), 90, False),
    ]
    rule = _by_key(evaluate(attended, 10))["online-length"]
    assert rule.is_met is is_met
    assert ("2025-02-06 (91 min)" in rule.why) is not is_met


def test_fifteen_hours_in_person_and_first_and_last_in_person(app):
    # 20 sessions of 90 minutes; the first and eleven more online: 12 h in person only.
    results = _by_key(evaluate(season(20, online={0, *range(9, 20)}), 10))
    assert not results["in-person-hours"].is_met and "12 of 15 hours" in results["in-person-hours"].why
    assert not results["first-last-in-person"].is_met
    assert "first and the last session were attended online" in results["first-last-in-person"].why
    # Exactly 15 hours in person (10 × 90 min), first and last in the room.
    results = _by_key(evaluate(season(20, online=set(range(1, 11))), 10))
    assert results["in-person-hours"].is_met and results["first-last-in-person"].is_met


def test_nothing_attended_meets_nothing_but_the_online_length(app):
    results = _by_key(evaluate([], 10))
    assert [key for key, result in results.items() if result.is_met] == ["group-size", "online-length"]
    assert results["spread"].why == "No session attended yet."
