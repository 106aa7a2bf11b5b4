"""The notifications page, its unread badge, marking read, and following a notification."""

from __future__ import annotations

import re

from app.extensions import db
from app.notifications import services
from tests.logbook.fixtures import count_queries


def _badge(html: str) -> str | None:
    match = re.search(r'<span class="nav-count">(\d+)<span class="visually-hidden"> unread', html)
    return match.group(1) if match else None


def test_page_lists_notifications_and_the_badge_counts_unread(world, client):
    services.notify(world.trainee.id, world.association.id, "Sven signed your record.", "/logbook/")
    services.notify(world.trainee.id, world.association.id, "Sven returned your record.", "/logbook/")
    db.session.commit()
    client.login("trainee@x.test")
    html = client.get("/notifications/").get_data(as_text=True)
    assert "Sven signed your record." in html and "Sven returned your record." in html
    assert _badge(html) == "2"
    response = client.submit("/notifications/", {}, action="/notifications/read", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "2 notifications marked read." in html
    assert _badge(html) is None


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(world, client):
    notification = services.notify(world.trainee.id, world.association.id, "Signed.", "/logbook/")
    db.session.commit()
    client.login("trainee@x.test")
    response = client.submit("/notifications/", {}, action=f"/notifications/{notification.id}/open")
    assert response.status_code == 302 and response.location.endswith("/logbook/")
    db.session.expire_all()
    assert notification.read_at is not None


def test_someone_elses_notification_reads_as_not_found(world, client):
    notification = services.notify(world.supervisor.id, world.association.id, "Private.", "/logbook/")
    db.session.commit()
    client.login("trainee@x.test")
    response = client.submit("/notifications/", {}, action=f"/notifications/{notification.id}/open")
    assert response.status_code == 404


def test_empty_page_explains_what_will_appear(world, client):
    client.login("trainee@x.test")
    assert "Nothing new." in client.get("/notifications/").get_data(as_text=True)


def test_the_badge_costs_one_query_however_many_notifications(world, client):
    client.login("trainee@x.test")
    client.get("/account")
    with count_queries() as few:
        client.get("/account")
    for number in range(60):
        services.notify(world.trainee.id, world.association.id, f"news {number}", "")
    db.session.commit()
    with count_queries() as many:
        html = client.get("/account").get_data(as_text=True)
    assert _badge(html) == "60"
    assert len(many) == len(few)
    assert sum("notification" in statement for statement in many) == 1
