"""Settings: safe defaults here, deployment values from ``STILLPOINT_*`` environment variables.

The factory layers them: these defaults, then ``STILLPOINT_``-prefixed environment
variables (``app.config.from_prefixed_env``), then ``DATABASE_URL`` / ``SECRET_KEY``
as plain names because every hosting platform sets them that way, then the mapping a
test passes to ``create_app``.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: The key used when nobody configured one. Good enough on a laptop, refused in production.
DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105


class Defaults:
    """Development defaults. Every value can be overridden from the environment."""

    ENV_NAME = "development"  # "production" turns on the strict checks below
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
    SQLALCHEMY_DATABASE_URI: str | None = None  # None: a SQLite file in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12  # seconds; a working day
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session: no lost drafts

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT_PER_ADDRESS = "20 per 10 minutes"
    # Per account and address pair: a few free failures, then a wait that doubles up to
    # a cap (app/accounts/throttle.py). The owner elsewhere is never locked out.
    LOGIN_FREE_FAILURES = 5
    LOGIN_FIRST_DELAY_SECONDS = 30
    LOGIN_MAX_DELAY_SECONDS = 15 * 60
    TWO_FACTOR_LIMIT = "5 per 10 minutes"  # wrong second-factor codes, per account

    MAIL_SERVER: str | None = None  # without a server, mail goes to the in-app outbox
    MAIL_PORT = 587
    MAIL_USE_TLS = True
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "Stillpoint <no-reply@stillpoint.invalid>"
    # Every message is delivered by the job worker; a failed delivery is retried after
    # 30 s, 1, 2, 4 and 8 minutes, then kept as a dead letter for the admins.
    MAIL_RETRIES = 5
    MAIL_RETRY_DELAY_SECONDS = 30
    MAIL_RETRY_BACKOFF = 2

    # The job queue (Huey): None keeps it in <instance>/jobs.sqlite3 (no server to run);
    # in production a redis:// URL. The name prefixes every key, so several
    # installations (or test runs) can share one Redis.
    JOB_QUEUE_URL: str | None = None
    JOB_QUEUE_NAME = "stillpoint"
    JOB_QUEUE_IMMEDIATE = False  # run each job inside the caller: tests of callers only
    JOB_WORKER_THREADS = 2
    JOB_STALE_AFTER_MINUTES = 120  # a job "running" this long lost its worker (jobs.services)
    # Reminders: a trainee whose logbook has had no new record for this many days is stalled.
    REMINDER_STALLED_DAYS = 30

    # Operations (app/ops): /readyz fails when no job worker beat for this many seconds
    # (workers beat every 15 s); /metrics exists only with a token, sent as
    # "Authorization: Bearer <token>"; log lines are JSON in production, text otherwise.
    WORKER_HEARTBEAT_MAX_AGE = 60
    METRICS_TOKEN: str | None = None
    LOG_FORMAT: str | None = None  # "json" or "text"; None: json in production
    LOG_LEVEL = "INFO"

    INVITATION_VALID_DAYS = 14
    PASSWORD_RESET_VALID_HOURS = 2
    # One-time sign-off links e-mailed to verifiers (app.maillinks): days until they expire.
    MAIL_LINK_VALID_DAYS = 14
    PAGE_SIZE = 25
    # The public address: every absolute link (mail, PDFs, QR codes, credentials) is
    # built on it, never on the request's Host header. In development it follows PORT.
    BASE_URL = "http://127.0.0.1:5000"
    # Host names requests may name (Flask refuses others with 400). None: the BASE_URL
    # host, plus localhost and 127.0.0.1 outside production.
    TRUSTED_HOSTS: list[str] | None = None
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host we believe.
    TRUSTED_PROXY_COUNT = 0
    PASSWORD_HASH_PROFILE = "default"  # noqa: S105  (a profile name, not a secret)

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    LANGUAGES = ["en"]

    # Uploaded files (event certificates, evidence): the size limit. Requests larger than
    # the limit plus room for the other fields are refused with 413 before any view runs.
    # Uploads, certificate logos and the credential signing keys are kept in the
    # database (app/storage), never on an app server's disk.
    LOGBOOK_CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
    MAX_CONTENT_LENGTH = LOGBOOK_CERTIFICATE_MAX_BYTES + 1024 * 1024
    # Where those files lived before migration 0046, which imports them from here (None:
    # <instance>/uploads/certificates, <instance>/keys, <instance>/certificate-logos).
    # Read by that migration only.
    LOGBOOK_UPLOAD_DIR: str | None = None
    CERTIFICATE_KEY_DIR: str | None = None
    CERTIFICATE_LOGO_DIR: str | None = None
    # Certificates: public verification limits.
    # Sealing issued PDFs (app/certificates/seal_keys.py, sealing.py): the secret the seal
    # keys are encrypted under (None: derived from SECRET_KEY, refused in production), and
    # a timestamp authority (RFC 3161) URL that lifts the seal from PAdES B-B to B-T.
    SEAL_KEY_SECRET: str | None = None
    SEAL_TSA_URL: str | None = None
    SEAL_TSA_TIMEOUT = 10  # seconds
    CERTIFICATE_VERIFY_LIMIT = "60 per minute"
    CERTIFICATE_UPLOAD_LIMIT = "20 per minute"
    # How long after issuing an admin may undo a batch (revoking it as issued in error).
    CERTIFICATE_BATCH_UNDO_HOURS = 24

    # Item statistics show a question's figures only once it has this many answers.
    ITEM_STATS_MIN_ANSWERS = 20

    CURRICULUM_DIR = str(PROJECT_ROOT / "curriculum")
    VIGNETTES_DIR = str(PROJECT_ROOT / "case_vignettes")
    PROGRAMME_PRESETS_DIR = str(PROJECT_ROOT / "curriculum" / "programmes")
    # Renewal rule sets, named from a programme's rule set by its ``renewal`` key.
    RENEWAL_RULE_SETS_DIR = str(PROJECT_ROOT / "curriculum" / "programmes" / "renewal")
    # Reference texts (the article the module draws on) kept beside the checkout, not in
    # it; `flask content check` refuses content sharing a ten-word run with them.
    CONTENT_REFERENCE_DIR = str(PROJECT_ROOT.parent / "shared" / "reference")


def environment_overrides() -> dict[str, object]:
    """The conventional unprefixed variables that platforms set for us."""
    overrides: dict[str, object] = {}
    if os.environ.get("DATABASE_URL"):
        overrides["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(os.environ["DATABASE_URL"])
    if os.environ.get("SECRET_KEY"):
        overrides["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("JOB_QUEUE_URL"):
        overrides["JOB_QUEUE_URL"] = os.environ["JOB_QUEUE_URL"]
    if os.environ.get("STILLPOINT_ENV"):
        overrides["ENV_NAME"] = os.environ["STILLPOINT_ENV"]
    port = os.environ.get("PORT") or os.environ.get("FLASK_RUN_PORT")
    if port and not os.environ.get("STILLPOINT_BASE_URL"):
        # A development server on another port: its links must point at that port.
        overrides["BASE_URL"] = f"http://127.0.0.1:{port}"
    return overrides


DEVELOPMENT_HOSTS = ("localhost", "127.0.0.1")


def resolve_trusted_hosts(config: dict) -> None:
    """Fill in ``TRUSTED_HOSTS`` when nobody configured it: the ``BASE_URL`` host, and in
    development the loopback names too. A comma-separated string (from the environment)
    becomes a list."""
    hosts = config.get("TRUSTED_HOSTS")
    if isinstance(hosts, str):
        hosts = [host.strip() for host in hosts.split(",") if host.strip()]
    if not hosts:
        hosts = [urlsplit(config["BASE_URL"]).hostname or "localhost"]
        if config.get("ENV_NAME") != "production":
            hosts += [host for host in DEVELOPMENT_HOSTS if host not in hosts]
    config["TRUSTED_HOSTS"] = list(hosts)


def normalise_database_url(url: str) -> str:
    """Point bare ``postgres://`` / ``postgresql://`` URLs at the psycopg 3 driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class ConfigurationError(RuntimeError):
    """The app was asked to start with settings that are unsafe for its mode."""


def check_production_settings(config: dict) -> None:
    """Refuse to run in production with development secrets or insecure cookies."""
    if config.get("ENV_NAME") != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key == DEVELOPMENT_SECRET_KEY or len(key) < 32:
        raise ConfigurationError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production."
        )
    if config.get("BASE_URL") == Defaults.BASE_URL:
        raise ConfigurationError(
            "BASE_URL (STILLPOINT_BASE_URL) must be set to the public address in production: "
            "every link in mail, PDFs and QR codes is built on it."
        )
    seal_secret = config.get("SEAL_KEY_SECRET") or ""
    if len(seal_secret) < 32 or seal_secret == key:
        raise ConfigurationError(
            "SEAL_KEY_SECRET (STILLPOINT_SEAL_KEY_SECRET) must be set to a random value of at least "
            "32 characters, other than SECRET_KEY, in production: the associations' seal keys are "
            "encrypted under it."
        )
    config["SESSION_COOKIE_SECURE"] = True
