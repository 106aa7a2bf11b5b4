"""``flask demo``: load the demo data (idempotent, refused in production)."""

import click
from flask import current_app
from flask.cli import with_appcontext

from app.demo.data import DEMO_PASSWORD, load_demo


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load demo associations, people, programmes and enrolments, and print the logins."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("The demo data is for development only; refusing in production.")
    logins = load_demo()
    click.echo(f"Demo data ready. Every demo login uses the password: {DEMO_PASSWORD}")
    for email, description in logins:
        click.echo(f"  {email:<28} {description}")
