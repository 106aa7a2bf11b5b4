"""The PDF URL fetcher serves bundled assets and inline images, and refuses everything else."""

from __future__ import annotations

import base64
import io
import socket
import threading
from pathlib import Path

import pytest
from flask import current_app
from PIL import Image

from app.certificates import rendering
from app.pdf import BundledAssetFetcher, FetchRefused, html_to_pdf
from tests.certificates.pdfs import document, images, text_of


@pytest.fixture
def fetcher(app) -> BundledAssetFetcher:
    return BundledAssetFetcher(Path(current_app.static_folder).resolve())


@pytest.fixture
def listener():
    """A local TCP port that counts connections, to prove nothing is fetched over the network."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    accepted: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            accepted.append(connection)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", accepted
    stop.set()
    thread.join(timeout=2)
    server.close()


def _png(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (13, 7), colour).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/hostname",
        "http://127.0.0.1:9/x.png",
        "https://example.com/logo.png",
        "ftp://example.com/x",
        "https://stillpoint.invalid/app.py",  # our base, but not the static folder
        "https://stillpoint.invalid/static/../../app/config.py",
        "https://stillpoint.invalid/static/%2e%2e/%2e%2e/app/config.py",
        "static:../config.py",
        "static://evil.example/fonts/x.ttf",
        "data:text/html;base64,PGgxPmhpPC9oMT4=",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "data:image/png,notbase64",
        "data:image/png;base64,!!!!",
    ],
)
def test_the_fetcher_refuses_anything_but_bundled_assets(fetcher, url):
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


@pytest.mark.parametrize(
    "url", ["https://stillpoint.invalid/static/pdf/certificate.css", "static:fonts/NotoSans-Regular.ttf"]
)
def test_the_fetcher_serves_bundled_files(fetcher, url):
    response = fetcher.fetch(url)
    assert response.read()
    assert fetcher.refused == []


def test_the_fetcher_serves_inline_png(fetcher):
    response = fetcher.fetch("data:image/png;base64," + base64.b64encode(_png()).decode())
    assert response.read() == _png()
    assert response.content_type == "image/png"


def test_html_that_points_at_local_files_and_urls_loads_none_of_them(fetcher, listener, tmp_path):
    base, connections = listener
    secret = tmp_path / "secret.png"
    secret.write_bytes(_png("blue"))
    html = f"""<html><head>
      <link rel="stylesheet" href="{base}/evil.css">
      <style>@import url("file:///etc/passwd"); body {{ background: url("{base}/bg.png"); }}</style>
    </head><body>
      <p>Hostile document</p>
      <img src="file://{secret}"><img src="{base}/tracker.png"><img src="/static/../../wsgi.py">
      <object data="file:///etc/passwd"></object><iframe src="{base}/frame"></iframe>
    </body></html>"""
    pdf = html_to_pdf(html, fetcher=fetcher)
    assert "Hostile document" in text_of(pdf)
    assert images(pdf) == []  # neither the local PNG nor the remote one made it in
    assert connections == []  # and nothing connected to the network
    assert {url for url in fetcher.refused} >= {f"file://{secret}", f"{base}/tracker.png", f"{base}/evil.css"}


def test_markup_in_certificate_values_is_printed_as_text_never_fetched(fetcher, listener):
    base, connections = listener
    hostile = f'<img src="file:///etc/passwd"><link rel="stylesheet" href="{base}/x.css">'
    pdf = rendering.render_document(
        document(holder_name=hostile, programme_title=f'<iframe src="{base}/p"></iframe>'), fetcher=fetcher
    )
    text = text_of(pdf)
    assert 'src="file:///etc/passwd"' in text.replace("\n", "")
    assert fetcher.refused == []  # the markup was escaped, so nothing was even requested
    assert connections == []
    assert len(images(pdf)) == 1  # only the QR code
