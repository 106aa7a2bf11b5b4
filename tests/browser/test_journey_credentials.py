"""Journey of a credential from issue to renewal (issue 18).

An admin issues a certificate; its holder downloads the sealed PDF, follows the
prefilled LinkedIn link and imports the credential from its wallet link; the admin
suspends it (a stranger's verification page and the suspension list show it) and
lifts it; the certificate expires on its date and a renewal supersedes it.

The server runs in this process, so ``time_machine`` moves its clock (and this
test's) past the expiry date: the app reads the day from the clock, as it will then.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from playwright.sync_api import expect

from app.certificates import documents, seal_keys, sealing, status_list
from app.certificates.models import Certificate
from app.extensions import db
from tests.browser.test_journey_accounts import log_in
from tests.certificates.conftest import make_ready
from tests.certificates.test_renewal import give_renewal_rules
from tests.fixtures.browser import press_final
from tests.requirements.records import add_session

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _bits(page, live_server: str, purpose: str) -> set[int]:
    listed = page.request.get(f"{live_server}/issuers/bsx/status/{purpose}").json()
    bits = status_list.decode(listed["credentialSubject"]["encodedList"])
    return {i for i in range(len(bits) * 8) if status_list.is_set(bits, i)}


def _issue_from_the_ready_list(admin, live_server: str) -> str:
    admin.goto(f"{live_server}/certificates/ready")
    admin.get_by_label("Tomas Trainee").check()
    admin.get_by_role("button", name="Preview the batch").click()
    expect(admin.get_by_role("cell", name="trainee@x.test")).to_be_visible()  # who will be e-mailed
    press_final(admin, "Issue 1 certificate and notify the holder")
    expect(admin.get_by_text("1 certificate issued.")).to_be_visible()
    admin.get_by_role("link", name="BSX-", exact=False).first.click()
    return admin.locator("dd.cert-serial").inner_text().strip()


def test_a_credential_from_issue_to_suspension_expiry_and_renewal(app, live_server, browser, world, tmp_path):
    give_renewal_rules(app, world, tmp_path)  # valid 12 months; renewed by two co-led sessions
    make_ready(world.enrolment, world.supervisor)

    admin = browser.new_context(viewport=DESKTOP).new_page()
    log_in(admin, live_server, "admin@x.test")
    serial = _issue_from_the_ready_list(admin, live_server)
    certificate = db.session.scalar(db.select(Certificate).where(Certificate.serial == serial))
    verify_url = f"{live_server}/verify/{serial}"

    # The holder downloads the sealed PDF: the seal validates, and it carries the credential.
    holder_context = browser.new_context(viewport=PHONE, accept_downloads=True)
    holder = holder_context.new_page()
    log_in(holder, live_server, "trainee@x.test")
    holder.goto(f"{live_server}/certificates/mine")
    with holder.expect_download() as download_info:
        holder.get_by_role("link", name="Download PDF").click()
    pdf = (download_info.value.path()).read_bytes()
    check = sealing.check(pdf, [seal_keys.seal_key(world.association)])
    assert check.is_good, check
    stored_credential = documents.credential_of(certificate).content
    assert sealing.attached_credential(pdf, serial) == stored_credential
    holder.screenshot(path=str(tmp_path / "mine-phone.png"), full_page=True)

    # "Add to LinkedIn profile" is prefilled with the certificate's facts.
    linkedin = holder.get_by_role("link", name="Add to LinkedIn profile")
    expect(linkedin).to_have_attribute("target", "_blank")
    query = parse_qs(urlsplit(linkedin.get_attribute("href")).query)
    issued, expires = certificate.issued_on, certificate.expires_on
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["name"] == [certificate.programme_title]
    assert query["organizationName"] == ["Balint Society X"]
    assert (query["certId"], query["certUrl"]) == ([serial], [verify_url])
    assert (query["issueYear"], query["issueMonth"]) == ([str(issued.year)], [str(issued.month)])
    assert (query["expirationYear"], query["expirationMonth"]) == ([str(expires.year)], [str(expires.month)])

    # A wallet imports the credential from its link: the signed bytes, with both status lists named.
    wallet_link = holder.get_by_role("link", name="Add to wallet").get_attribute("href")
    imported = holder.request.get(wallet_link)
    assert imported.ok and imported.body() == stored_credential
    assert imported.headers["access-control-allow-origin"] == "*"
    purposes = {entry["statusPurpose"] for entry in json.loads(stored_credential)["credentialStatus"]}
    assert purposes == {"revocation", "suspension"}

    # The admin suspends it: the stranger's page and the suspension list say so; then lifts it.
    index = status_list.entry_of(certificate).list_index
    admin.get_by_text("Suspend", exact=True).click()
    admin.get_by_label("Reason for suspending").fill("A complaint is before the ethics committee.")
    admin.get_by_role("button", name="Suspend certificate").click()
    expect(admin.get_by_text(f"Certificate {serial} is suspended.")).to_be_visible()
    stranger = browser.new_context(viewport=PHONE).new_page()
    stranger.goto(verify_url)
    expect(stranger.get_by_role("heading", name="Suspended since")).to_be_visible()
    assert stranger.get_by_text("ethics committee").count() == 0  # the reason stays private
    stranger.screenshot(path=str(tmp_path / "suspended-phone.png"), full_page=True)
    assert _bits(stranger, live_server, "suspension") == {index}
    admin.locator("summary", has_text="Lift the suspension").click()
    admin.get_by_label("Note on lifting").fill("The committee did not uphold the complaint.")
    admin.get_by_role("button", name="Lift the suspension").click()
    expect(admin.get_by_text(f"The suspension of {serial} is lifted.")).to_be_visible()
    stranger.goto(verify_url)
    expect(stranger.get_by_role("heading", name="Valid")).to_be_visible()
    expect(stranger.get_by_text("Suspended from")).to_be_visible()
    assert _bits(stranger, live_server, "suspension") == set()

    # During the year the holder co-leads twice more: the renewal rules are met.
    add_session(world.enrolment, issued + dt.timedelta(days=60), signer=world.supervisor)
    add_session(world.enrolment, issued + dt.timedelta(days=200), signer=world.supervisor)
    db.session.commit()

    day_after_expiry = dt.datetime.combine(expires + dt.timedelta(days=1), dt.time(9), dt.UTC)
    with time_machine.travel(day_after_expiry, tick=True):
        stranger.goto(verify_url)
        expect(stranger.get_by_role("heading", name="Expired on")).to_be_visible()
        stranger.screenshot(path=str(tmp_path / "expired-phone.png"), full_page=True)

        log_in(admin, live_server, "admin@x.test")  # a day's session does not outlast a year
        admin.goto(f"{live_server}/certificates/{certificate.id}")
        admin.get_by_role("link", name="Renewal…").click()
        expect(admin.get_by_role("heading", name="Renew the certificate of Tomas Trainee")).to_be_visible()
        admin.screenshot(path=str(tmp_path / "renewal-desktop.png"), full_page=True)
        press_final(admin, "Renew the certificate")
        renewed_serial = admin.locator("dd.cert-serial").inner_text().strip()
        assert renewed_serial != serial

        stranger.goto(verify_url)
        expect(stranger.get_by_role("heading", name="Superseded")).to_be_visible()
        stranger.get_by_role("link", name=renewed_serial).click()
        expect(stranger.get_by_role("heading", name="Valid")).to_be_visible()
        first_awarded = stranger.locator("dt", has_text="First awarded on").locator(
            "xpath=following-sibling::dd[1]"
        )
        expect(first_awarded).to_have_text(f"{issued:%B} {issued.day}, {issued.year}")
        stranger.screenshot(path=str(tmp_path / "renewed-phone.png"), full_page=True)
        assert index in _bits(stranger, live_server, "revocation")  # superseded reads as revoked in the list
