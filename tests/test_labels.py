"""Every control on the pages that ask for a final confirmation has its own label, and no id repeats."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

from app.certificates import issuing
from app.extensions import db
from app.vignettes import services
from tests.certificates.conftest import make_ready
from tests.logbook.fixtures import accredit, create
from tests.vignettes.helpers import SLUG, complete_answers


class _Controls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str | None]] = []
        self.open_labels = 0  # a control inside its <label> is labelled by it

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        if tag == "label":
            self.open_labels += 1
            if attributes.get("for"):
                self.label_for.add(attributes["for"])
        is_control = tag in ("input", "select", "textarea")
        if (
            is_control
            and attributes.get("type") not in ("hidden", "submit", "button")
            and not self.open_labels
        ):
            self.controls.append(attributes)


def _problems(html: str) -> list[str]:
    parsed = _Controls()
    parsed.feed(html)
    repeated = [f"id {name!r} repeated" for name, n in Counter(parsed.ids).items() if n > 1]
    unlabelled = [
        f"{control.get('name')} has no label"
        for control in parsed.controls
        if control.get("id") not in parsed.label_for and not control.get("aria-label")
    ]
    return repeated + unlabelled


def test_the_final_action_pages_label_every_control(world, client):
    accredit(world.supervisor, world.association)
    record = create(world, submit=True)
    draft = create(world)
    reflection = services.submit_reflection(world.trainee, world.association.id, SLUG, complete_answers())
    make_ready(world.enrolment, world.supervisor)
    certificate = issuing.issue(world.admin, world.enrolment.id)
    db.session.commit()
    pages = {
        "trainee@x.test": [
            f"/logbook/records/{draft.id}",
            f"/logbook/records/{draft.id}/edit",
            f"/vignettes/{SLUG}",
        ],
        "sup@x.test": [
            f"/logbook/records/{record.id}",
            "/logbook/queue",
            f"/vignettes/review/{reflection.id}",
        ],
        "admin@x.test": [f"/certificates/{certificate.id}", "/admin/members", "/api/v1/docs"],
    }
    problems = {}
    for email, urls in pages.items():
        client.login(email)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            found = _problems(response.get_data(as_text=True))
            if found:
                problems[url] = found
        client.logout()
    assert problems == {}
