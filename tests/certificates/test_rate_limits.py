"""Verification is rate-limited: one budget per visitor across the page, its JSON and the credentials."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_config(app_config):
    return {
        **app_config,
        "CERTIFICATE_VERIFY_LIMIT": "5 per minute",
        "CERTIFICATE_UPLOAD_LIMIT": "2 per minute",
    }


def test_lookups_share_one_budget(client, certificate):
    statuses = [
        client.get(url).status_code
        for url in (
            f"/verify/{certificate.serial}",
            f"/verify/{certificate.serial}.json",
            "/verify/nonsense",
            f"/credentials/{certificate.serial}.json",
            f"/credentials/{certificate.serial}/status.json",
            f"/verify/{certificate.serial}",
            "/verify/other.json",
        )
    ]
    assert statuses == [200, 200, 404, 200, 200, 429, 429]


def test_uploads_are_limited(client, certificate):
    statuses = [client.submit("/verify", {"sha256": certificate.pdf_sha256}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
