"""``flask privacy scan FILE...``: report identifying details in text files."""

from __future__ import annotations

import sys

import click

#: Exit statuses: clean, findings, a file that could not be read.
CLEAN, FOUND, UNREADABLE = 0, 1, 2


@click.group("privacy")
def privacy_cli() -> None:
    """The privacy guard for free text."""


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8") as handle:
        return handle.read()


@privacy_cli.command("scan")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
def scan_command(files: tuple[str, ...]) -> None:
    """Print each identifying detail found as FILE:LINE:COLUMN: KIND: TEXT.

    Exits 0 when the files are clean, 1 when anything was found, and 2 when a file
    could not be read (the other files are still scanned). Use - for standard input.
    """
    from app.privacy import scan

    status = CLEAN
    for path in files:
        try:
            text = _read(path)
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            if isinstance(error, UnicodeDecodeError):
                reason = "not UTF-8 text"
            click.echo(f"{path}: error: cannot read the file: {reason}", err=True)
            status = UNREADABLE
            continue
        for finding in scan(text):
            shown = " ".join(finding.text.split())  # one finding, one line of output
            click.echo(f"{path}:{finding.line}:{finding.column}: {finding.kind}: {shown}")
            status = max(status, FOUND)
    click.get_current_context().exit(status)
