"""A test client that fills in forms the way a browser does, CSRF token included."""

from __future__ import annotations

import contextvars
import re

from flask.testing import FlaskClient

from app.demo.data import DEMO_PASSWORD

CSRF_PATTERN = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'type="hidden" name="csrf_token" value="([^"]+)"'
)


def csrf_token_in(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1) or match.group(2)


class FormClient(FlaskClient):
    """A client whose requests run like real ones; ``submit`` fills in forms with CSRF.

    Tests hold an app context open so they can call services. Flask would reuse that
    context (and its ``g`` and database session) for the client's requests, which no
    real request ever does; running each request in an empty ``contextvars.Context``
    gives it a fresh app context, as in production.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)

    def submit(self, page_url: str, data: dict, *, action: str | None = None, **kwargs):
        page = self.get(page_url)
        assert page.status_code == 200, f"GET {page_url} gave {page.status_code}"
        token = csrf_token_in(page.get_data(as_text=True))
        return self.post(action or page_url, data={"csrf_token": token, **data}, **kwargs)

    def login(self, email: str, password: str = DEMO_PASSWORD, **kwargs):
        return self.submit("/login", {"email": email, "password": password}, **kwargs)

    def logout(self):
        return self.submit("/home", {}, action="/logout")
