"""Stillpoint: training and certification of Balint group leaders."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from flask import Flask

from app import config as settings
from app import search as _search  # noqa: F401  (registers the SQLite fold function on every connection)


def create_app(config: Mapping[str, object] | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, CLI, error handlers."""
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config)
    trust_proxies(app)
    init_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_request_hooks(app)
    return app


def load_config(app: Flask, overrides: Mapping[str, object] | None) -> None:
    app.config.from_object(settings.Defaults)
    app.config.from_prefixed_env("STILLPOINT")
    app.config.update(settings.environment_overrides())
    if overrides:
        app.config.update(overrides)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        database = os.path.join(app.instance_path, "stillpoint.sqlite3")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
    settings.resolve_trusted_hosts(app.config)
    settings.check_production_settings(app.config)


def trust_proxies(app: Flask) -> None:
    """Believe ``X-Forwarded-*`` only from the configured number of proxies in front.

    With none (the default) the client address is the socket's, so nobody can pick the
    address that login throttling and rate limits count by.
    """
    count = int(app.config["TRUSTED_PROXY_COUNT"])
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def init_extensions(app: Flask) -> None:
    from app import auth, i18n, jobs
    from app.extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(settings.PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    login_manager.init_app(app)
    auth.configure(login_manager)
    i18n.register_filters(app)
    jobs.init_app(app)
    import app.models  # noqa: F401  (every model registered before first use)


def register_blueprints(app: Flask) -> None:
    from app.accounts.views import bp as accounts_bp
    from app.admin.views import bp as admin_bp
    from app.api.views import bp as api_bp
    from app.api.views import tokens_bp as api_tokens_bp
    from app.applications import api as applications_api  # noqa: F401  (its operations join the API blueprint)
    from app.applications.views import bp as applications_bp
    from app.attachments.views import bp as attachments_bp
    from app.certificates import api as certificates_api  # noqa: F401  (its operations join the API blueprint)
    from app.certificates import renewal_views  # noqa: F401  (its pages join the certificates blueprint)
    from app.certificates.views import bp as certificates_bp
    from app.groups import api as groups_api  # noqa: F401  (its operations join the API blueprint)
    from app.groups.attendance_views import bp as attendance_bp
    from app.groups.views import bp as groups_bp
    from app.home.views import bp as home_bp
    from app.imports import views as import_views  # noqa: F401  (its pages join the admin blueprint)
    from app.jobs.views import bp as jobs_bp
    from app.learning.views import bp as learning_bp
    from app.logbook import api as logbook_api  # noqa: F401  (its operations join the API blueprint)
    from app.logbook.views import bp as logbook_bp
    from app.maillinks.views import bp as maillinks_bp
    from app.notifications.views import bp as notifications_bp
    from app.personal_data.views import bp as personal_data_bp
    from app.profiles import api as profiles_api  # noqa: F401  (its operations join the API blueprint)
    from app.profiles.views import bp as profiles_bp
    from app.programmes.editor import views as ruleset_editor_views  # noqa: F401  (its pages join the admin blueprint)
    from app.requirements.views import bp as progress_bp
    from app.statuslevels import api as status_levels_api  # noqa: F401  (its operations join the API blueprint)
    from app.statuslevels import views as status_level_views  # noqa: F401  (its pages join the admin blueprint)
    from app.twofactor.views import bp as twofactor_bp
    from app.vignettes.views import bp as vignettes_bp

    for blueprint in (
        home_bp,
        accounts_bp,
        admin_bp,
        learning_bp,
        vignettes_bp,
        logbook_bp,
        attachments_bp,
        groups_bp,
        attendance_bp,
        notifications_bp,
        progress_bp,
        certificates_bp,
        applications_bp,
        personal_data_bp,
        jobs_bp,
        api_bp,
        api_tokens_bp,
        twofactor_bp,
        maillinks_bp,
        profiles_bp,
    ):
        app.register_blueprint(blueprint)


def register_cli(app: Flask) -> None:
    from app.certificates.cli import certificates_cli
    from app.content.cli import content_cli
    from app.demo.bench_seed import bench_seed_command
    from app.demo.cli import demo_command
    from app.jobs.cli import jobs_cli
    from app.mail.cli import mail_cli
    from app.personal_data.cli import retention_cli
    from app.privacy.cli import privacy_cli
    from app.requirements.cli import progress_command, ruleset_cli, snapshots_command

    for command in (
        demo_command,
        mail_cli,
        content_cli,
        privacy_cli,
        ruleset_cli,
        progress_command,
        snapshots_command,
        bench_seed_command,
        certificates_cli,
        retention_cli,
        jobs_cli,
    ):
        app.cli.add_command(command)


def register_request_hooks(app: Flask) -> None:
    from app import ops
    from app.errors import register_error_handlers
    from app.input_checks import register_input_checks
    from app.security import register_security_headers
    from app.templating import register_template_helpers

    register_error_handlers(app)
    register_security_headers(app)
    register_input_checks(app)
    register_template_helpers(app)
    ops.init_app(app)  # /healthz, /readyz, /metrics, JSON logs with request ids
