"""Logbook tests: certificates are stored in a temporary folder."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_config(app_config, tmp_path):
    return {**app_config, "LOGBOOK_UPLOAD_DIR": str(tmp_path / "certificates")}
