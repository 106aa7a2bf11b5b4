"""``flask content check``: validate every content folder without writing anything."""

import click


@click.group("content")
def content_cli() -> None:
    """Curriculum and vignette content."""
