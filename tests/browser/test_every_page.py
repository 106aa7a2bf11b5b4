"""Every page of every role, at a phone's width and a desktop's: no horizontal overflow
and no serious or critical accessibility violation (axe-core, injected by Playwright).

The pages come from the authorization matrix (``tests/authz``): each GET row that the
role may see (200) with its URL filled from the matrix's world, plus any GET route of
the URL map without arguments that the matrix does not name. Since every route must be
in the matrix, a new page is swept here without anyone adding it. Responses that are not
HTML (PDFs, CSV, JSON, static files) are left out.

One live server, one seeded world and one browser context per role, both widths in it:
a page is loaded once per width and checked for overflow and by axe in that one load.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from tests.authz.cases import all_cases
from tests.authz.test_matrix import LOGINS
from tests.browser.test_journey_accounts import log_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (390, 1280)
VIEWPORTS = {390: {"width": 390, "height": 844}, 1280: {"width": 1280, "height": 900}}
SWEPT_ROLES = ("anonymous", "trainee", "supervisor", "admin")
FAILING_IMPACTS = {"serious", "critical"}

#: The outermost element that sticks out past the viewport's right edge, outside any
#: scroll container: the one to fix. ``null`` when the page does not overflow.
OVERFLOW_JS = """
() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const clips = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  const sticksOut = (el) => el.getBoundingClientRect().right > width + 0.5 && !clips(el);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.classList.length ? "." + [...el.classList].join(".") : "");
  let worst = null;
  for (const el of document.body.querySelectorAll("*")) {
    if (!sticksOut(el) || (el.parentElement !== document.body && sticksOut(el.parentElement))) continue;
    const right = el.getBoundingClientRect().right;
    if (!worst || right > worst.right) worst = {right, el};
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    element: worst ? name(worst.el) : "?",
    text: worst ? worst.el.textContent.trim().replace(/\\s+/g, " ").slice(0, 60) : "",
    right: worst ? Math.round(worst.right) : 0,
  };
}
"""

#: Ids used more than once that a label or an ARIA attribute refers to: the reference
#: then names the wrong control (a hidden CSRF field repeated per form is harmless).
DUPLICATE_IDS_JS = """
() => {
  const seen = new Map();
  for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  const referenced = new Set();
  for (const label of document.querySelectorAll("label[for]")) referenced.add(label.htmlFor);
  for (const el of document.querySelectorAll("[aria-describedby], [aria-labelledby], [aria-controls]")) {
    for (const name of ["aria-describedby", "aria-labelledby", "aria-controls"]) {
      for (const id of (el.getAttribute(name) || "").split(/\\s+/)) if (id) referenced.add(id);
    }
  }
  return [...seen].filter(([id, count]) => count > 1 && referenced.has(id)).map(([id]) => id);
}
"""

#: Resolves after the next two frames: resize listeners have run and layout is done.
NEXT_FRAME_JS = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"

AXE_JS = """
async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
  }));
}
"""


def pages_for(app, world, role: str) -> list[str]:
    """The HTML pages ``role`` may open, one URL per endpoint (a template is checked
    once, not once per object): the matrix's GET rows answering 200, and the URL map's
    argument-free GET routes the matrix does not fill in."""
    by_endpoint: dict[str, str] = {}
    named = set()
    for case in all_cases(world):
        if case.method != "GET":
            continue
        named.add(case.endpoint)
        if case.expected_for(role) == 200:
            # A one-time link is written as the absolute URL the e-mail carries: its path.
            path = urlsplit(case.url)._replace(scheme="", netloc="").geturl()
            by_endpoint.setdefault(case.endpoint, path)
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and rule.endpoint not in named:
            by_endpoint.setdefault(rule.endpoint, rule.rule)
    candidates = list(by_endpoint.values())
    client = app.test_client()
    if role != "anonymous":
        client.login(LOGINS[role])
    pages = []
    for url in candidates:
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            pages.append(url)
        response.close()
    return pages


def sweep(browser, base: str, role: str, pages: list[str], *, axe_widths: tuple[int, ...]) -> list[str]:
    """Each page at both widths for overflow and duplicate ids; axe at ``axe_widths``."""
    problems: list[str] = []
    context = browser.new_context(viewport=VIEWPORTS[WIDTHS[0]], bypass_csp=True)
    if axe_widths:
        # Into every document the context loads, before its own scripts: sending the
        # 500 KB script over the DevTools protocol per page (add_script_tag) took a
        # fifth of a sweep.
        context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.set_default_timeout(15_000)
    if role != "anonymous":
        log_in(page, base, LOGINS.get(role, role))
        page.wait_for_url("**/home**")
    try:
        for url in pages:
            # One load per page; the widths are tried by resizing it, as a person turning
            # a tablet would (the CSS and tables.js follow the resize).
            page.set_viewport_size(VIEWPORTS[WIDTHS[0]])
            page.goto(base + url)
            duplicates = page.evaluate(DUPLICATE_IDS_JS)
            if duplicates:
                problems.append(f"duplicate ids {url}: {', '.join(duplicates)}")
            for width in WIDTHS:
                if width != WIDTHS[0]:
                    page.set_viewport_size(VIEWPORTS[width])
                    page.evaluate(NEXT_FRAME_JS)
                overflow = page.evaluate(OVERFLOW_JS)
                if overflow:
                    problems.append(
                        f"overflow {url} at {width} px: {overflow['scrollWidth']} px wide; "
                        f"widest offender <{overflow['element']}> reaches {overflow['right']} px "
                        f"({overflow['text']!r})"
                    )
                if width not in axe_widths:
                    continue
                for violation in page.evaluate(AXE_JS):
                    if violation["impact"] in FAILING_IMPACTS:
                        problems.append(
                            f"axe {violation['id']} ({violation['impact']}) {url} at {width} px: "
                            f"{violation['help']}; {json.dumps(violation['targets'])}"
                        )
    finally:
        context.close()
    return problems


def linked_pages(app, email: str, start: str = "/home") -> list[str]:
    """Pages reachable by following links from ``start``, one URL per endpoint (the
    demo world's objects: its own names, serials and e-mail addresses, longer than the
    matrix world's)."""
    adapter = app.url_map.bind("localhost")
    client = app.test_client()
    client.login(email)
    seen_endpoints: set[str] = set()
    queue, pages = [start], []
    while queue:
        url = queue.pop(0)
        try:
            endpoint, _ = adapter.match(url.split("?")[0].split("#")[0], method="GET")
        except HTTPException:  # not a page of ours, or not one to GET
            endpoint = None
        if endpoint is None or endpoint in seen_endpoints or endpoint == "static":
            continue
        seen_endpoints.add(endpoint)
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            pages.append(url)
            html = response.get_data(as_text=True)
            queue.extend(href.replace("&amp;", "&") for href in re.findall(r'href="(/[^"]*)"', html))
        response.close()
    return pages


@pytest.fixture
def swept_world(app, world, make_user):
    """The matrix's world with its neighbours. Like every browser test the sweep runs on
    one backend only, PostgreSQL (see tests/conftest.py): layout does not depend on it."""
    from app.accounts import services as accounts
    from tests.api.matrix import add_neighbours

    add_neighbours(world, make_user)
    # A long address and the invitation's mail, with its long link, in the outbox.
    accounts.invite(
        world.admin,
        world.association.id,
        "maximiliane.oberhauser-wittgenstein@example-association.test",
        "trainee",
    )
    return world


@pytest.mark.parametrize("role", SWEPT_ROLES)
def test_no_page_overflows_a_phone_or_has_serious_accessibility_violations(
    app, swept_world, live_server, browser, role, measurements
):
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} missing: bin/test installs axe-core with npm")
        pytest.skip("axe-core not installed (npm ci --prefix tests/browser)")
    started = time.monotonic()
    pages = pages_for(app, swept_world, role)
    assert len(pages) >= 3, pages
    listed = time.monotonic()
    problems = sweep(browser, live_server, role, pages, axe_widths=WIDTHS)
    measurements.append(
        f"page sweep, {role}: {len(pages)} pages listed in {listed - started:.1f} s, "
        f"checked at {len(WIDTHS)} widths in {time.monotonic() - listed:.1f} s"
    )
    assert not problems, f"as {role}, {len(pages)} pages:\n" + "\n".join(problems)


DEMO_LOGINS = ("admin@demo.test", "supervisor@demo.test", "trainee@demo.test")


@pytest.mark.parametrize("email", DEMO_LOGINS)
def test_no_page_of_the_demo_world_overflows_or_has_serious_violations(
    app, live_server, browser, email, measurements
):
    """The demo's people have more to show (ready trainees, certificates, full tables)
    than the matrix world: the pages their links reach, one per endpoint.

    Their longer data moves the layout, so overflow is checked at both widths; axe runs
    at the phone's width only, which saves a third of the sweep. What that leaves out:
    markup that differs by width (tables.js turns a wide table into a scrolling region
    at the phone's width) is checked by axe at the desktop's width only with the matrix
    world's shorter data, in the sweep above."""
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} missing: bin/test installs axe-core with npm")
        pytest.skip("axe-core not installed (npm ci --prefix tests/browser)")
    from app.demo.data import load_demo

    started = time.monotonic()
    load_demo()
    pages = linked_pages(app, email)
    assert len(pages) >= 5, pages
    listed = time.monotonic()
    problems = sweep(browser, live_server, email, pages, axe_widths=WIDTHS[:1])
    measurements.append(
        f"page sweep, demo {email}: {len(pages)} pages listed in {listed - started:.1f} s, "
        f"checked at {len(WIDTHS)} widths in {time.monotonic() - listed:.1f} s"
    )
    assert not problems, f"as {email}, {len(pages)} pages:\n" + "\n".join(problems)
