"""Security headers, cookies, CSRF, and the production configuration checks."""

from __future__ import annotations

import pytest

from app import create_app
from app.config import ConfigurationError


def test_every_response_carries_security_headers(client, world):
    for url in ("/login", "/does-not-exist", "/healthz"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_is_httponly_and_samesite_lax(client, world):
    response = client.login("trainee@x.test")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development over plain HTTP


def test_a_form_posted_without_its_csrf_token_is_rejected(client, world):
    response = client.post("/login", data={"email": "trainee@x.test", "password": "stillpoint-demo"})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert client.get("/home").status_code == 302  # not logged in


def test_a_form_posted_with_a_forged_csrf_token_is_rejected(client, world):
    client.login("admin@x.test")
    response = client.post(
        "/admin/invitations", data={"csrf_token": "forged", "email": "x@x.test", "role": "admin"}
    )
    assert response.status_code == 400


def test_unknown_pages_get_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "There is nothing at this address." in response.get_data(as_text=True)


def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app({"ENV_NAME": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with pytest.raises(ConfigurationError):
        create_app({"ENV_NAME": "production", "SECRET_KEY": "short", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_sets_secure_cookies_and_hsts(monkeypatch):
    app = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": "x" * 48,
            "SEAL_KEY_SECRET": "s" * 48,
            "BASE_URL": "https://stillpoint.example",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_settings_come_from_environment_variables(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://someone@db.example/stillpoint")
    monkeypatch.setenv("STILLPOINT_PAGE_SIZE", "50")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.example/stillpoint"
    assert app.config["PAGE_SIZE"] == 50


def test_development_default_is_a_sqlite_file_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/stillpoint.sqlite3")


def test_passwords_are_hashed_with_argon2id_at_or_above_the_owasp_minimum(app):
    from argon2 import extract_parameters

    from app.accounts.passwords import PROFILES, hash_password

    for profile_name in PROFILES:
        app.config["PASSWORD_HASH_PROFILE"] = profile_name
        parameters = extract_parameters(hash_password("correct horse battery"))
        assert parameters.type.name == "ID"
        # OWASP ASVS 5.0 / cheat sheet minimum for argon2id: m=19 MiB, t=2, p=1.
        assert parameters.memory_cost >= 19 * 1024
        assert parameters.time_cost >= 2
        assert parameters.parallelism >= 1
    assert PROFILES["default"].memory_cost >= 64 * 1024  # production default: RFC 9106 low-memory


def test_production_refuses_to_start_on_the_development_base_url():
    """Links in mail and on certificates would point at 127.0.0.1 (finding 1 of issue 13)."""
    with pytest.raises(ConfigurationError, match="BASE_URL"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": "x" * 48, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
