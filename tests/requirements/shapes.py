"""A rule set using every shape of issue 12, shared by the SQL-path and property tests."""

SHAPES = """
title: Issue 12 shapes
units: {double_session: 90, teaching_hour: 45}
requirements:
  - {id: seminar-double-sessions, label: Seminars, kind: total, records: events,
     where: {event_kind: seminar}, at_least: {double_session: 6, records: 2}}
  - {id: event-hours, label: Event hours, kind: total, records: events, at_least: {hours: 10, minutes: 400}}
  - {id: teaching-hours, label: Teaching hours, kind: total, records: sessions,
     window: {after: enrolment_start}, at_least: {teaching_hour: 20}}
  - {id: long-intensives, label: Long intensives, kind: total, records: events,
     where: {event_kind: intensive, days: {at_least: 4}}, at_least: 1}
  - {id: long-sessions, label: Long sessions, kind: total, records: sessions,
     where: {minutes: {at_least: 60}}, at_least: 8}
  - {id: middling, label: Middling, kind: total, records: sessions,
     where: {minutes: {between: [60, 90]}, role: {one_of: [co-leader, leader]}}, at_least: 3}
  - {id: strict-both, label: Strict both, kind: total, records: sessions,
     where: {minutes: {more_than: 50, less_than: 120}, cases: {at_most: 2}}, at_least: 3}
  - {id: short-supervision, label: Short supervision, kind: total, records: supervision,
     where: {minutes: {less_than: 60}}, at_least: {teaching_hour: 2}}
  - {id: exact-minutes, label: Exact minutes, kind: total, records: events,
     where: {minutes: {one_of: [90, 180]}}, at_least: 1}
  - {id: settings-few-cases, label: Settings, kind: distinct, records: sessions,
     where: {cases: {more_than: 0}}, field: setting_category, at_least: 2}
  - {id: conferences-less-than-half, label: Less than half, kind: share, records: events,
     numerator: {event_kind: seminar}, measure: hours, less_than: 0.5}
  - {id: conferences-at-most-half, label: At most half, kind: share, records: events,
     numerator: {event_kind: seminar}, measure: hours, at_most: 0.5}
  - {id: long-more-than-half, label: More than half, kind: share, records: sessions,
     numerator: {minutes: {at_least: 90}}, measure: teaching_hour, more_than: 0.5}
  - {id: online-between, label: Online between, kind: share, records: sessions,
     numerator: {mode: online}, more_than: 0.1, less_than: 0.5}
  - {id: monthly-run, label: Monthly run, kind: rate, records: sessions, where: {role: co-leader},
     per: month, at_least: 1, run: 4}
  - {id: year-run, label: Year run, kind: rate, records: sessions, per: year,
     where: {minutes: {at_least: 60}}, at_least: 3, run: 2}
  - {id: training-year-run, label: Training year run, kind: rate, records: events, per: training_year,
     measure: double_session, at_least: 2, run: 2, count_unsigned: true}
  - {id: supervision-run-in-window, label: Supervision run, kind: rate, records: supervision,
     per: month, measure: teaching_hour, at_least: 1, run: 3, window: {after: enrolment_start}}
  - {id: qualified, label: Qualified, kind: elapsed, since: qualification, years: 1}
  - {id: enrolled, label: Enrolled, kind: elapsed, since: enrolment_start, months: 18}
"""
