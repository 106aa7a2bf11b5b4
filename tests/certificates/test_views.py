"""The certificate pages of admins and holders, through real forms with CSRF."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from PIL import Image
from sqlalchemy import select

from app.accounts.models import Role
from app.certificates import corrections, issuing, rendering
from app.certificates.models import Certificate, CertificateBatch
from app.extensions import db
from app.programmes import services as programmes
from tests.certificates.conftest import make_ready
from tests.certificates.pdfs import reader, text_of
from tests.certificates.queries import count_queries


def _enrol_ready(world, make_user, number: int):
    trainee = make_user(f"ready{number}@x.test", world.association, Role.TRAINEE, name=f"Ready {number:03d}")
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
    return enrolment


def test_the_ready_list_offers_trainees_without_a_certificate(client, world, ready):
    client.login("admin@x.test")
    html = client.get("/certificates/ready").get_data(as_text=True)
    assert "Tomas Trainee" in html and f'value="{ready.id}"' in html
    issuing.issue(world.admin, ready.id)
    db.session.commit()
    html = client.get("/certificates/ready").get_data(as_text=True)
    assert "Tomas Trainee" not in html  # certified: no longer waiting for a certificate
    assert f'value="{ready.id}"' not in html


def test_an_admin_issues_one_certificate_through_the_form(client, world, ready):
    client.login("admin@x.test")
    response = client.submit(
        f"/certificates/issue/{ready.id}", {"confirm_final": "y", "holder_name": "Dr Tomas Trainee"}
    )
    assert response.status_code == 302
    certificate = db.session.scalar(select(Certificate))
    assert response.headers["Location"].endswith(f"/certificates/{certificate.id}")
    assert certificate.holder_name == "Dr Tomas Trainee"
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert certificate.serial in page and "Revoke" in page


def test_the_issue_form_lists_unmet_requirements_and_wants_a_reason(client, world):
    client.login("admin@x.test")
    page = client.get(f"/certificates/issue/{world.enrolment.id}").get_data(as_text=True)
    assert "Not ready" in page and "Co-led sessions" in page
    refused = client.submit(
        f"/certificates/issue/{world.enrolment.id}", {"confirm_final": "y", "holder_name": "Tomas Trainee"}
    )
    assert refused.status_code == 422
    assert "Give a reason to issue it all the same." in refused.get_data(as_text=True)
    assert db.session.scalar(select(Certificate.id)) is None
    issued = client.submit(
        f"/certificates/issue/{world.enrolment.id}",
        {
            "confirm_final": "y",
            "holder_name": "Tomas Trainee",
            "override_reason": "Equivalent training recognised by the board.",
        },
    )
    assert issued.status_code == 302
    assert (
        db.session.scalar(select(Certificate.override_reason))
        == "Equivalent training recognised by the board."
    )


def test_a_batch_is_issued_from_the_ready_list_and_downloaded(client, world, ready, make_user):
    second = _enrol_ready(world, make_user, 2)
    client.login("admin@x.test")
    response = client.submit(
        "/certificates/ready",
        {"enrolment_ids": [ready.id, second.id], "confirmed": "y", "confirm_final": "y"},
        action="/certificates/batches",
    )
    assert response.status_code == 302
    batch = db.session.scalar(select(CertificateBatch))
    assert batch.size == 2
    page = client.get(f"/certificates/batches/{batch.id}").get_data(as_text=True)
    assert "Tomas Trainee" in page and "Ready 002" in page
    with client.get(f"/certificates/batches/{batch.id}/certificates.zip") as response:  # streams a file
        archive = zipfile.ZipFile(io.BytesIO(response.data))
    certificates = {c.serial: c for c in db.session.scalars(select(Certificate))}
    assert sorted(archive.namelist()) == sorted(f"certificate-{serial}.pdf" for serial in certificates)
    for name in archive.namelist():
        serial = name.removeprefix("certificate-").removesuffix(".pdf")
        assert rendering.sha256_hex(archive.read(name)) == certificates[serial].pdf_sha256
    with client.get(f"/certificates/batches/{batch.id}/certificates.pdf") as response:
        merged = response.data
    assert len(reader(merged).pages) == 2
    assert all(serial in text_of(merged) for serial in certificates)


def test_an_empty_batch_is_refused(client, world, ready):
    client.login("admin@x.test")
    response = client.submit("/certificates/ready", {}, action="/certificates/batches")
    assert response.status_code == 422
    assert "Choose at least one trainee." in response.get_data(as_text=True)


def test_revoke_and_reissue_through_the_detail_page(client, world, certificate):
    client.login("admin@x.test")
    url = f"/certificates/{certificate.id}"
    short = client.submit(url, {"revoke-reason": "no"}, action=f"{url}/revoke")
    assert short.status_code == 422
    new = client.submit(
        url,
        {
            "reissue-confirm_final": "y",
            "reissue-holder_name": "Tomas New",
            "reissue-reason": "Name change on request.",
        },
        action=f"{url}/reissue",
    )
    assert new.status_code == 302
    replacement = db.session.scalar(select(Certificate).where(Certificate.holder_name == "Tomas New"))
    revoked = client.submit(
        f"/certificates/{replacement.id}",
        {"revoke-confirm_final": "y", "revoke-reason": "Withdrawn by the board."},
        action=f"/certificates/{replacement.id}/revoke",
    )
    assert revoked.status_code == 302
    assert "Withdrawn by the board." in client.get(f"/certificates/{replacement.id}").get_data(as_text=True)


def test_the_holder_sees_and_downloads_their_certificate(client, world, certificate):
    client.login("trainee@x.test")
    home = client.get("/home").get_data(as_text=True)
    assert certificate.serial in home and "Download PDF" in home
    assert certificate.serial in client.get("/certificates/mine").get_data(as_text=True)
    pdf = client.get(f"/certificates/{certificate.id}/certificate.pdf")
    assert pdf.mimetype == "application/pdf"
    assert rendering.sha256_hex(pdf.data) == certificate.pdf_sha256
    detail = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert "Revoke" not in detail


def test_another_trainee_cannot_see_it(client, world, certificate):
    client.login("trainee2@x.test")
    assert client.get(f"/certificates/{certificate.id}").status_code == 404
    assert client.get(f"/certificates/{certificate.id}/certificate.pdf").status_code == 404


def test_the_register_costs_the_same_queries_for_many_certificates(client, world, ready, make_user):
    issuing.issue(world.admin, ready.id)
    db.session.commit()
    client.login("admin@x.test")
    with count_queries() as few:
        assert client.get("/certificates/").status_code == 200
    for number in range(8):
        issuing.issue(world.admin, _enrol_ready(world, make_user, number).id)
    db.session.commit()
    with count_queries() as many:
        assert client.get("/certificates/").status_code == 200
    assert len(many) == len(few)


def test_the_holders_home_costs_the_same_queries_for_many_certificates(client, world, certificate):
    client.login("trainee@x.test")
    with count_queries() as one:
        client.get("/home")
    corrections.revoke(world.admin, certificate.id, reason="Withdrawn for the test.")
    for _ in range(3):
        issuing.issue(world.admin, world.enrolment.id)
        latest = db.session.scalar(select(Certificate).order_by(Certificate.id.desc()))
        corrections.revoke(world.admin, latest.id, reason="Withdrawn for the test.")
    db.session.commit()
    with count_queries() as four:
        client.get("/home")
    assert len(four) == len(one)


def test_settings_change_the_next_certificate(client, world, ready):
    client.login("admin@x.test")
    logo = io.BytesIO()
    Image.new("RGB", (60, 30), "#2f5d62").save(logo, format="PNG")
    response = client.submit(
        "/certificates/settings",
        {
            "signatory_name": "Dr Vera Signer",
            "signatory_role": "President",
            "serial_prefix": "bsxa",
            "page_size": "Letter",
            "logo": (io.BytesIO(logo.getvalue()), "logo.png"),
        },
    )
    assert response.status_code == 302
    certificate = issuing.issue(world.admin, ready.id)
    db.session.commit()
    assert certificate.serial.startswith("BSXA-")
    assert (certificate.page_size, certificate.signatory_name) == ("Letter", "Dr Vera Signer")
    assert certificate.logo_sha256
    pdf = client.get(f"/certificates/{certificate.id}/certificate.pdf").data
    assert round(float(reader(pdf).pages[0].mediabox.width)) == 792
    assert client.get("/certificates/settings/sample.pdf").mimetype == "application/pdf"


def test_settings_refuse_a_prefix_another_association_uses(client, world):
    client.login("admin@x.test")
    response = client.submit(
        "/certificates/settings",
        {"signatory_name": "Dr V", "serial_prefix": "OTH", "page_size": "A4"},
    )
    assert response.status_code == 422
    assert "Another association uses this prefix." in response.get_data(as_text=True)


def test_settings_refuse_a_file_that_is_not_an_image(client, world):
    client.login("admin@x.test")
    response = client.submit(
        "/certificates/settings",
        {
            "signatory_name": "Dr V",
            "serial_prefix": "BSX",
            "page_size": "A4",
            "logo": (io.BytesIO(b"%PDF-1.7"), "x.png"),
        },
    )
    assert response.status_code == 422
    assert "Upload a PNG or JPEG image." in response.get_data(as_text=True)
