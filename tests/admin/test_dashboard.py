"""The admin's dashboard: its numbers, and the lists behind them agree with them."""

from __future__ import annotations

import datetime as dt
import re

from app.admin import dashboard
from app.certificates import issuing
from app.database import utcnow
from app.extensions import db
from tests.certificates.conftest import make_ready
from tests.certificates.test_views import _enrol_ready
from tests.requirements.records import add_session


def _waiting_record(world, days_ago: int):
    record = add_session(world.enrolment, dt.date(2026, 1, 5), status="submitted")
    record.submitted_at = utcnow() - dt.timedelta(days=days_ago)
    db.session.commit()
    return record


def test_the_numbers_count_waiting_sign_offs_stalled_trainees_and_expiring_certificates(world, make_user):
    # The world's trainee started in January 2025 and has recorded nothing: stalled.
    assert dashboard.numbers(world.admin, world.association.id).stalled == 1
    _waiting_record(world, days_ago=20)
    _waiting_record(world, days_ago=3)  # not two weeks yet
    ready = _enrol_ready(world, make_user, 2)  # records made today: not stalled
    world.programme.validity_months = 12
    certificate = issuing.issue(world.admin, ready.id)
    db.session.commit()
    numbers = dashboard.numbers(world.admin, world.association.id)
    assert (numbers.active, numbers.completed, numbers.withdrawn) == (2, 0, 0)
    assert numbers.waiting_overdue == 1
    assert numbers.stalled == 0  # the world's trainee has records now (made today)
    assert numbers.certified == 1 and numbers.expiring == 0
    a_month_before = dt.datetime.combine(certificate.expires_on - dt.timedelta(days=30), dt.time(12), dt.UTC)
    assert dashboard.numbers(world.admin, world.association.id, now=a_month_before).expiring == 1


def test_a_new_trainee_is_stalled_only_by_an_old_record(world, make_user):
    """Started within the cut-off: nothing recorded yet is no stall, but a record made
    before the cut-off and none since is one (the rule's two arms, each on its own)."""
    world.enrolment.started_on = utcnow().date() - dt.timedelta(days=3)
    db.session.commit()
    assert dashboard.numbers(world.admin, world.association.id).stalled == 0
    old = add_session(world.enrolment, dt.date(2026, 1, 5), status="draft")
    old.created_at = utcnow() - dt.timedelta(days=dashboard.stalled_days() + 1)
    db.session.commit()
    assert dashboard.numbers(world.admin, world.association.id).stalled == 1
    page = dashboard.stalled_trainees(world.admin, world.association.id)
    assert [item.enrolment.id for item in page.items] == [world.enrolment.id]


def test_the_home_links_each_number_to_the_list_behind_it(client, world):
    _waiting_record(world, days_ago=20)
    client.login("admin@x.test")
    home = client.get("/home").get_data(as_text=True)
    assert re.search(r'href="/admin/waiting"><strong>1</strong> sign-off waiting more than two weeks', home)
    assert re.search(r'href="/admin/stalled"><strong>0</strong> stalled trainees', home)
    assert 'href="/certificates/?status=expiring"' in home
    assert 'href="/certificates/ready">Ready for certificate</a>' in home
    waiting = client.get("/admin/waiting").get_data(as_text=True)
    assert "Tomas Trainee" in waiting and "Sven Supervisor" in waiting


def test_the_stalled_list_names_trainees_without_a_new_record(client, world):
    client.login("admin@x.test")
    html = client.get("/admin/stalled").get_data(as_text=True)
    assert "Tomas Trainee" in html and "none since starting on" in html
    make_ready(world.enrolment, world.supervisor)
    assert "Tomas Trainee" not in client.get("/admin/stalled").get_data(as_text=True)


def test_the_dashboard_is_for_admins_only(client, world):
    client.login("sup@x.test")
    assert client.get("/admin/waiting").status_code == 403
    home = client.get("/home").get_data(as_text=True)
    assert "/admin/stalled" not in home


def test_the_cohort_shows_each_trainees_certificate_status(client, world, make_user):
    ready = _enrol_ready(world, make_user, 2)
    certificate = issuing.issue(world.admin, ready.id)
    db.session.commit()
    client.login("admin@x.test")
    html = client.get("/progress/cohort").get_data(as_text=True)
    assert f'href="/certificates/{certificate.id}"' in html and "cert-status-valid" in html
    certified = client.get("/progress/cohort?state=certified").get_data(as_text=True)
    assert "Ready 002" in certified and "Tomas Trainee" not in certified
