"""Setting up an authenticator app through the real pages, and computing its codes."""

from __future__ import annotations

import re
import time

import pyotp

SECRET_PATTERN = re.compile(r'<code class="tf-secret"[^>]*>([A-Z2-7 ]+)</code>')
CODE_PATTERN = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


def code_at(secret: str, steps_ahead: int = 0) -> str:
    """The code an authenticator app would show now (or ``steps_ahead`` steps later)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def enrol(client) -> tuple[str, list[str]]:
    """Set up the app for the signed-in client: returns the secret and the recovery codes."""
    page = client.get("/account/two-factor/app")
    assert page.status_code == 200
    secret = SECRET_PATTERN.search(page.get_data(as_text=True)).group(1).replace(" ", "")
    done = client.submit("/account/two-factor/app", {"code": code_at(secret)})
    assert done.status_code == 200, done.get_data(as_text=True)
    codes = CODE_PATTERN.findall(done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def second_step(client, code: str, *, remember: bool = False):
    data = {"code": code}
    if remember:
        data["remember"] = "y"
    return client.submit("/login/two-factor", data)
