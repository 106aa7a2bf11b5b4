"""``flask demo``: documented logins, idempotent, refused in production."""

from __future__ import annotations

from sqlalchemy import func, select

from app import create_app
from app.accounts.models import User
from app.extensions import db
from app.programmes.models import Enrolment


def test_demo_loads_documented_logins_and_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    for email in (
        "admin@demo.test",
        "supervisor@demo.test",
        "supervisor2@demo.test",
        "trainee@demo.test",
        "admin@other.test",
    ):
        assert email in first.output
    counts = (
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(Enrolment.id))),
    )
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    db.session.expire_all()
    assert (
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(Enrolment.id))),
    ) == counts
    assert counts[0] >= 9


def test_demo_logins_work_and_tenants_stay_apart(app):
    app.test_cli_runner().invoke(args=["demo"])
    client = app.test_client()
    assert client.login("admin@other.test").status_code == 302
    members = client.get("/admin/members").get_data(as_text=True)
    assert "admin@demo.test" not in members and "trainee@demo.test" not in members


def test_demo_refuses_to_run_in_production():
    app = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": "y" * 40,
            "SEAL_KEY_SECRET": "s" * 48,
            "BASE_URL": "https://stillpoint.example",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
        }
    )
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code != 0
    assert "refusing in production" in result.output
