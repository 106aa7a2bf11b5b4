"""Public verification: the page and its JSON twin, files and fingerprints, 404s, rate limits."""

from __future__ import annotations

import datetime as dt
import io

from app.certificates import corrections, documents, issuing, serials
from app.extensions import db

PUBLIC_KEYS = {
    "serial",
    "status",
    "holder",
    "programme",
    "association",
    "issued_on",
    "first_awarded_on",
    "expires_on",
    "revoked_on",
    "superseded_by",
    "superseded_by_url",
    "suspended_since",
    "past_suspensions",
    "verification_url",
    "credential_url",
}


def test_a_valid_certificate_on_the_page_and_in_json(client, certificate):
    page = client.get(f"/verify/{certificate.serial}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Valid" in html and "Tomas Trainee" in html and "Leader training" in html
    assert "Balint Society X" in html and "March 5, 2026" in html
    body = client.get(f"/verify/{certificate.serial}.json").get_json()
    assert set(body) == PUBLIC_KEYS
    assert body["status"] == "valid"
    assert body["holder"] == "Tomas Trainee"
    assert body["issued_on"] == "2026-03-05"
    assert body["expires_on"] is None


def test_the_public_record_tells_nothing_else_about_the_holder(client, world, certificate):
    for url in (f"/verify/{certificate.serial}", f"/verify/{certificate.serial}.json"):
        text = client.get(url).get_data(as_text=True)
        assert world.trainee.email not in text
        assert certificate.achievement not in text


def test_an_expired_certificate(client, world, ready):
    # Issued rows are final (app.certificates.triggers): the expiry comes from the programme.
    ready.programme.validity_months = 1
    certificate = issuing.issue(world.admin, ready.id, today=dt.date(2026, 3, 5))
    db.session.commit()
    html = client.get(f"/verify/{certificate.serial}").get_data(as_text=True)
    assert "Expired on April 5, 2026" in html
    body = client.get(f"/verify/{certificate.serial}.json").get_json()
    assert (body["status"], body["expires_on"]) == ("expired", "2026-04-05")


def test_a_revoked_certificate_shows_the_date_not_the_reason(client, world, certificate):
    corrections.revoke(world.admin, certificate.id, reason="Concerns raised by the ethics committee.")
    db.session.commit()
    revoked_on = certificate.revoked_at.date()
    html = client.get(f"/verify/{certificate.serial}").get_data(as_text=True)
    assert "Revoked on" in html
    assert "ethics committee" not in html
    body = client.get(f"/verify/{certificate.serial}.json").get_json()
    assert (body["status"], body["revoked_on"]) == ("revoked", revoked_on.isoformat())
    assert "ethics" not in str(body)


def test_a_superseded_certificate_points_to_its_replacement(client, world, certificate):
    new = corrections.reissue(
        world.admin, certificate.id, reason="Name corrected on request.", holder_name="Tomáš T."
    )
    db.session.commit()
    html = client.get(f"/verify/{certificate.serial}").get_data(as_text=True)
    assert "Superseded" in html
    assert f'href="/verify/{new.serial}"' in html
    body = client.get(f"/verify/{certificate.serial}.json").get_json()
    assert body["status"] == "superseded"
    assert body["superseded_by"] == new.serial
    assert body["superseded_by_url"] == f"http://localhost/verify/{new.serial}"
    assert client.get(f"/verify/{new.serial}.json").get_json()["status"] == "valid"


def test_unknown_and_malformed_serials_get_the_same_404(client, certificate):
    unknown = serials.format_serial("BSX", 2026, 99)
    wrong_check = certificate.serial[:-1] + ("A" if certificate.serial[-1] != "A" else "B")
    answers = [client.get(f"/verify/{serial}") for serial in (unknown, wrong_check, "nonsense", "BSX-2026")]
    assert {answer.status_code for answer in answers} == {404}
    assert len({answer.get_data() for answer in answers}) == 1
    json_answers = [client.get(f"/verify/{serial}.json") for serial in (unknown, wrong_check, "nonsense")]
    assert {answer.status_code for answer in json_answers} == {404}
    assert len({answer.get_data() for answer in json_answers}) == 1


def test_lower_case_serials_are_found(client, certificate):
    assert client.get(f"/verify/{certificate.serial.lower()}").status_code == 200


def test_the_lookup_form_leads_to_the_page(client, certificate):
    response = client.get(f"/verify?serial= {certificate.serial.lower()} ")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{certificate.serial}")


def test_an_uploaded_pdf_we_issued_is_recognised(client, certificate):
    pdf = documents.pdf_of(certificate).content
    response = client.submit("/verify", {"pdf": (io.BytesIO(pdf), "certificate.pdf")})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "We issued this file, unaltered" in html
    assert certificate.serial in html


def test_a_tampered_pdf_fails_verification(client, certificate):
    pdf = documents.pdf_of(certificate).content
    tampered = bytearray(pdf)
    tampered[len(pdf) // 2] ^= 0x01  # one bit, in the middle of the file
    tampered = bytes(tampered)
    response = client.submit("/verify", {"pdf": (io.BytesIO(tampered), "certificate.pdf")})
    html = response.get_data(as_text=True)
    assert "We did not issue this exact file" in html
    assert certificate.serial not in html


def test_a_fingerprint_can_be_pasted_instead(client, certificate):
    ours = client.submit("/verify", {"sha256": certificate.pdf_sha256.upper()})
    assert "We issued this file, unaltered" in ours.get_data(as_text=True)
    theirs = client.submit("/verify", {"sha256": "0" * 64})
    assert "We did not issue this exact file" in theirs.get_data(as_text=True)
    broken = client.submit("/verify", {"sha256": "not-a-hash"})
    assert broken.status_code == 422
    assert "64 characters" in broken.get_data(as_text=True)


def test_the_form_asks_for_a_file_or_a_fingerprint(client, app):
    response = client.submit("/verify", {})
    assert response.status_code == 422
    assert "Choose a PDF file." in response.get_data(as_text=True)


def _result_section(html: str) -> str:
    """The answer of a check by file: the section above the forms."""
    start = html.index('<section class="card cert-result')
    return html[start : html.index("</section>", start)]


def test_a_revoked_certificates_own_pdf_uploaded_says_revoked(client, world, certificate):
    """The holder's unaltered file is still ours, and the answer must say it no longer counts."""
    client.login("trainee@x.test")
    pdf = client.get(f"/certificates/{certificate.id}/certificate.pdf").get_data()
    client.logout()
    corrections.revoke(world.admin, certificate.id, reason="Concerns raised by the ethics committee.")
    db.session.commit()
    response = client.submit("/verify", {"pdf": (io.BytesIO(pdf), "certificate.pdf")})
    assert response.status_code == 200
    result = _result_section(response.get_data(as_text=True))
    assert "We issued this file, unaltered" in result
    assert '<span class="cert-status cert-status-revoked">revoked</span>' in result
    revoked_on = certificate.revoked_at.date()
    assert f"revoked on {revoked_on:%B} {revoked_on.day}, {revoked_on.year}" in result
    assert "cert-status-valid" not in result
    assert "ethics committee" not in result
