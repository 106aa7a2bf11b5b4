"""Verification is rate-limited: one budget per visitor across the page, its JSON, the API and the
credentials; and serials cannot be guessed from one another (finding 8 of issue 13)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.accounts.models import Role
from app.certificates import issuing, serials
from app.extensions import db
from app.programmes import services as programmes
from tests.certificates.conftest import make_ready


@pytest.fixture
def app_config(app_config):
    return {
        **app_config,
        "CERTIFICATE_VERIFY_LIMIT": "5 per minute",
        "CERTIFICATE_UPLOAD_LIMIT": "2 per minute",
    }


def test_lookups_share_one_budget(client, certificate):
    statuses = [
        client.get(url).status_code
        for url in (
            f"/verify/{certificate.serial}",
            f"/verify/{certificate.serial}.json",
            "/verify/nonsense",
            f"/credentials/{certificate.serial}.json",
            f"/credentials/{certificate.serial}/status.json",
            f"/verify/{certificate.serial}",
            "/verify/other.json",
        )
    ]
    assert statuses == [200, 200, 404, 200, 200, 429, 429]


def test_uploads_are_limited(client, certificate):
    statuses = [client.submit("/verify", {"sha256": certificate.pdf_sha256}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_api_lookup_shares_the_budget_of_the_pages(client, certificate):
    urls = [f"/api/v1/verify/{certificate.serial}", f"/verify/{certificate.serial}"] * 3 + [
        f"/api/v1/verify/{certificate.serial}",
        f"/verify/{certificate.serial}.json",
    ]
    statuses = [client.get(url).status_code for url in urls]
    assert statuses == [200, 200, 200, 200, 200, 429, 429, 429]
    refused = client.get(f"/api/v1/verify/{certificate.serial}")
    assert (refused.status_code, refused.is_json) == (429, True)


def test_a_check_by_file_draws_on_the_same_budget(client, certificate):
    for _ in range(4):
        assert client.get(f"/verify/{certificate.serial}.json").status_code == 200
    assert client.submit("/verify", {"sha256": certificate.pdf_sha256}).status_code == 200
    assert client.get(f"/verify/{certificate.serial}.json").status_code == 429


def _second_certificate(world, make_user):
    trainee = make_user("next@x.test", world.association, Role.TRAINEE, name="Nora Next")
    enrolment = programmes.enrol(
        world.admin,
        world.association.id,
        trainee_id=trainee.id,
        programme_id=world.programme.id,
        supervisor_ids=[world.supervisor.id],
        started_on=dt.date(2025, 1, 15),
    )
    db.session.commit()
    make_ready(enrolment, world.supervisor)
    issued = issuing.issue(world.admin, enrolment.id, today=dt.date(2026, 3, 5))
    db.session.commit()
    return issued


def test_guessing_the_next_serial_finds_nothing(app, client, world, make_user, certificate):
    app.config["CERTIFICATE_VERIFY_LIMIT"] = "100 per minute"
    nxt = _second_certificate(world, make_user)
    assert serials.readable_part(nxt.serial) == "BSX-2026-00002"  # it exists, as number 2
    random = certificate.serial.split("-")[3]
    guesses = [
        serials.format_serial("BSX", 2026, 2, random=random),  # the known random part, number + 1
        serials.format_serial("BSX", 2026, 2, random=""),  # the old form, number + 1
        serials.format_serial("BSX", 2026, 2),  # any other random part
    ]
    assert nxt.serial not in guesses
    for guess in guesses:
        assert serials.is_well_formed(guess)
        for url in (
            f"/verify/{guess}",
            f"/verify/{guess}.json",
            f"/api/v1/verify/{guess}",
            f"/credentials/{guess}.json",
        ):
            assert client.get(url).status_code == 404, url
    assert client.get(f"/verify/{nxt.serial}.json").get_json()["holder"] == "Nora Next"


def test_the_random_part_is_printed_and_in_the_qr_code_url(certificate):
    from app.certificates import records
    from tests.certificates.pdfs import text_of

    assert certificate.verify_url.endswith(f"/verify/{certificate.serial}")
    assert len(certificate.serial.split("-")) == 5
    assert certificate.serial in text_of(records.render_issued(certificate))
