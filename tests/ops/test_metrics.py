"""/metrics: off without METRICS_TOKEN, bearer-protected with it, latency by endpoint and queue figures."""

from __future__ import annotations

import pytest

TOKEN = "metrics-token-for-tests-0123456789"


@pytest.fixture
def metrics_client(app, client):
    app.config["METRICS_TOKEN"] = TOKEN
    return client


def test_metrics_do_not_exist_without_a_token_configured(client):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", TOKEN])
def test_metrics_refuse_a_missing_or_wrong_token(metrics_client, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = metrics_client.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "stillpoint_" not in response.get_data(as_text=True)


def test_metrics_show_request_latency_by_endpoint_and_the_job_queue(metrics_client, world):
    metrics_client.get("/healthz")
    metrics_client.get("/login")
    response = metrics_client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    for endpoint in ("ops.healthz", "accounts.login"):
        assert (
            f'stillpoint_http_request_duration_seconds_count{{endpoint="{endpoint}",method="GET",status="200"}}'
            in text
        )
    assert 'stillpoint_http_request_duration_seconds_bucket{endpoint="ops.healthz"' in text
    for line in (
        "stillpoint_job_queue_up 1.0",
        "stillpoint_job_queue_pending 0.0",
        "stillpoint_job_queue_scheduled 0.0",
        "stillpoint_jobs_failed 0.0",
        "stillpoint_mail_dead_letters 0.0",
    ):
        assert line in text.splitlines()
