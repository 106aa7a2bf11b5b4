"""Locale choice; the filters that format dates and numbers live in app.formatting."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request


def select_locale() -> str | None:
    if not has_request_context():  # CLI commands and mail built outside a request
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    return request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "en"


def register_filters(app: Flask) -> None:
    """Dates, times, numbers, scores and plurals: one module (app.formatting) formats them all."""
    from app import formatting

    formatting.register(app)
