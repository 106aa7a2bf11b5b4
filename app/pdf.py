"""Rendering PDFs with WeasyPrint from our own templates, and nothing else.

The URL fetcher serves files from the app's static folder (``/static/...`` or the
``static:`` scheme) and small images carried inline as ``data:`` URIs (QR codes,
logos), and refuses every other URL: no ``file://`` paths and no network, so text that
reaches a template can never make the renderer read a local file or call out.

Fonts are bundled under ``static/fonts`` and declared with ``@font-face`` in each
document's CSS, so a PDF looks the same on every machine; WeasyPrint embeds the
subset of glyphs it uses. Documents rendered often (certificates) pass their CSS as
``stylesheets``: it is parsed once per thread, with one font configuration that keeps
the loaded fonts, which halves the time of a one-page PDF without changing a byte of
it. Rendering is deterministic: WeasyPrint takes the PDF's
creation and modification dates from ``<meta name="dcterms.created">`` /
``dcterms.modified`` (a template that wants a reproducible file sets them from its
data) and the file identifier is a hash of the content, so the same inputs give
byte-identical output with the same WeasyPrint and fonts.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
import threading
import warnings
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlparse

from flask import current_app, render_template
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse


class FetchRefused(ValueError):
    """A PDF asked for a resource outside the bundled assets."""


# Relative URLs in templates (``/static/pdf/print.css``) resolve against this base,
# which the fetcher maps back onto the static folder. ``.invalid`` never resolves.
PDF_BASE_URL = "https://stillpoint.invalid/"
_BASE_HOST = "stillpoint.invalid"

#: Inline images we accept; an inline SVG could itself point elsewhere, so none.
DATA_MIME_TYPES = frozenset({"image/png", "image/jpeg"})
MAX_DATA_URI_BYTES = 2_000_000


def _static_root() -> Path:
    return Path(current_app.static_folder).resolve()


@lru_cache(maxsize=64)
def _read_static(path: str, mtime_ns: int) -> bytes:
    """Bundled files are read once per process (fonts are re-used by every PDF)."""
    return Path(path).read_bytes()


def _static_file(root: Path, relative: str, url: str) -> tuple[bytes, str]:
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or path == root or not path.is_file():
        raise FetchRefused(f"refused to fetch {url!r}")
    mime_type, _ = mimetypes.guess_type(path.name)
    return _read_static(str(path), path.stat().st_mtime_ns), mime_type or "application/octet-stream"


def _data_uri(url: str) -> tuple[bytes, str]:
    """Decode ``data:image/png;base64,...``; anything but a base64 PNG or JPEG is refused."""
    header, comma, payload = url[len("data:") :].partition(",")
    parts = [part.strip().lower() for part in header.split(";")]
    if not comma or parts[0] not in DATA_MIME_TYPES or "base64" not in parts[1:]:
        raise FetchRefused(f"refused inline data of type {parts[0]!r}")
    if len(payload) > MAX_DATA_URI_BYTES * 4 // 3 + 4:
        raise FetchRefused("refused inline data: too large")
    try:
        return base64.b64decode(unquote(payload), validate=True), parts[0]
    except (binascii.Error, ValueError) as error:
        raise FetchRefused("refused inline data: not valid base64") from error


def resolve_asset(url: str, root: Path) -> tuple[bytes, str]:
    """The bytes and MIME type behind ``url``, or FetchRefused. No I/O outside ``root``."""
    if url.startswith("data:"):
        return _data_uri(url)
    parsed = urlparse(url)
    if parsed.scheme == "static" and not parsed.netloc:
        relative = unquote(parsed.path).lstrip("/")
    elif parsed.scheme == "https" and parsed.netloc == _BASE_HOST and parsed.path.startswith("/static/"):
        relative = unquote(parsed.path)[len("/static/") :]
    else:
        raise FetchRefused(f"refused to fetch {url!r}")
    return _static_file(root, relative, url)


class BundledAssetFetcher(URLFetcher):
    """WeasyPrint's fetcher, cut down to bundled assets and inline images.

    ``refused`` lists every URL the document asked for and did not get, so callers
    (and tests) can see what a template tried to load.
    """

    def __init__(self, root: Path, **kwargs) -> None:
        super().__init__(**kwargs)
        self.root = root
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        try:
            body, mime_type = resolve_asset(url, self.root)
        except FetchRefused:
            self.refused.append(url)
            raise
        return URLFetcherResponse(url, body, {"Content-Type": mime_type})


def bundled_asset_fetcher(url: str, timeout: int = 10, ssl_context=None) -> URLFetcherResponse:
    """Fetch one URL the way PDFs do (kept for callers that want a plain function)."""
    return BundledAssetFetcher(_static_root()).fetch(url)


_cache = threading.local()  # WeasyPrint's font maps are not shared between threads


def _shared_font_config() -> FontConfiguration:
    if getattr(_cache, "font_config", None) is None:
        _cache.font_config = FontConfiguration()
        _cache.stylesheets = {}
    return _cache.font_config


def _stylesheet(relative: str, root: Path) -> CSS:
    """A bundled stylesheet, parsed once per thread (again when the file changes)."""
    font_config = _shared_font_config()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise FetchRefused(f"no bundled stylesheet {relative!r}")
    key = (str(path), path.stat().st_mtime_ns)
    sheet = _cache.stylesheets.get(key)
    if sheet is None:
        sheet = CSS(
            string=path.read_text(encoding="utf-8"),
            base_url=PDF_BASE_URL + "static/" + relative,
            url_fetcher=BundledAssetFetcher(root),
            font_config=font_config,
        )
        _cache.stylesheets[key] = sheet
    return sheet


def html_to_pdf(
    html: str,
    *,
    stylesheets: Sequence[str] = (),
    variant: str | None = None,
    fetcher: BundledAssetFetcher | None = None,
) -> bytes:
    """Lay out ``html`` (our own, already rendered) and write the PDF bytes.

    ``stylesheets`` are paths under the static folder, parsed once per thread and
    laid out with fonts loaded once; ``variant`` is a WeasyPrint PDF variant such as
    ``"pdf/a-3b"``.
    """
    root = _static_root()
    fetcher = fetcher or BundledAssetFetcher(root)
    options: dict[str, object] = {"pdf_variant": variant} if variant else {}
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher)
    if stylesheets:
        options["stylesheets"] = [_stylesheet(name, root) for name in stylesheets]
        font_config = _shared_font_config()
    else:
        font_config = FontConfiguration()
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB profile for PDF/A and never closes it; the file is
        # freed (and warned about) inside this call. Nothing of ours is hidden by this.
        warnings.simplefilter("ignore", ResourceWarning)
        return document.write_pdf(font_config=font_config, **options)


def render_pdf(template_name: str, **context: object) -> bytes:
    """Render ``templates/pdf/<template_name>`` to PDF bytes with the locked-down fetcher."""
    return html_to_pdf(render_template(f"pdf/{template_name}", **context))
