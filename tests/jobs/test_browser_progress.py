"""Journey: a trainee asks for the printable logbook and watches the bar fill, then downloads it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.jobs.queue import EmbeddedWorker
from tests.browser.test_journey_logbook import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("queue_backend", ["sqlite-queue"], indirect=True)
def test_progress_bar_moves_to_the_download(live_server, page, world, queue, tmp_path):
    log_in(page, live_server, "trainee@x.test")
    page.goto(f"{live_server}/logbook/enrolments/{world.enrolment.id}")
    page.get_by_role("button", name="Printable logbook (PDF, signed records)").click()

    bar = page.get_by_role("progressbar")
    expect(bar).to_have_attribute("value", "0")
    expect(page.get_by_role("status").filter(has_text="Waiting for a free worker")).to_be_visible()
    page.evaluate("window.sameDocument = true")  # a reload would drop this

    # The worker starts only now, so the bar can only fill through the page's polling.
    worker = EmbeddedWorker(workers=1, periodic=False).start()
    try:
        expect(bar).to_have_attribute("value", "100", timeout=30_000)
        expect(page.get_by_role("status").filter(has_text="Ready.")).to_be_visible()
        assert page.evaluate("window.sameDocument") is True
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download logbook-").click()
        path = tmp_path / "logbook.pdf"
        download_info.value.save_as(path)
        assert path.read_bytes().startswith(b"%PDF")
    finally:
        worker.stop()
