"""Rendering PDFs with WeasyPrint from our own templates, and nothing else.

The URL fetcher serves files from the app's static folder (``/static/...`` or the
``static:`` scheme) and refuses every other URL: no ``file://`` paths and no network,
so text that reaches a template can never make the renderer read a local file or
call out.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from flask import current_app, render_template
from weasyprint import HTML


class FetchRefused(ValueError):
    """A PDF asked for a resource outside the bundled assets."""


def _static_root() -> Path:
    return Path(current_app.static_folder).resolve()


def bundled_asset_fetcher(url: str, timeout: int = 10, ssl_context=None) -> dict:
    """Serve ``static:<path>`` or ``/static/<path>`` from the static folder; refuse the rest."""
    parsed = urlparse(url)
    if parsed.scheme == "static":
        relative = unquote(parsed.path).lstrip("/")
    elif parsed.scheme in ("http", "https") and parsed.netloc == "stillpoint.invalid":
        if not parsed.path.startswith("/static/"):
            raise FetchRefused(f"refused to fetch {url!r}")
        relative = unquote(parsed.path)[len("/static/") :]
    else:
        raise FetchRefused(f"refused to fetch {url!r}")
    root = _static_root()
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        raise FetchRefused(f"refused to fetch {url!r}")
    mime_type, _ = mimetypes.guess_type(path.name)
    return {"string": path.read_bytes(), "mime_type": mime_type or "application/octet-stream"}


# Relative URLs in templates (``/static/pdf/print.css``) resolve against this base,
# which the fetcher maps back onto the static folder.
PDF_BASE_URL = "https://stillpoint.invalid/"


def render_pdf(template_name: str, **context: object) -> bytes:
    """Render ``templates/pdf/<template_name>`` to PDF bytes with the locked-down fetcher."""
    html = render_template(f"pdf/{template_name}", **context)
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=bundled_asset_fetcher).write_pdf()
