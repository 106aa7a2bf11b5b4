"""``flask privacy scan FILE...``: report identifying details in text files."""

import click


@click.group("privacy")
def privacy_cli() -> None:
    """The privacy guard for free text."""
