"""``flask content check``: validate every content folder without writing anything."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.content.curriculum import load_curriculum


@click.group("content")
def content_cli() -> None:
    """Curriculum and vignette content."""


@content_cli.command("check")
@with_appcontext
def check_command() -> None:
    """Check the curriculum and the vignettes; print each problem as path:line: message.

    Exits with status 1 when anything is wrong, so CI can run it. Reads files only:
    the database is never touched.
    """
    from app.vignettes.content import check_vignette_folder

    curriculum, problems = load_curriculum(Path(current_app.config["CURRICULUM_DIR"]))
    vignette_problems = list(check_vignette_folder(Path(current_app.config["VIGNETTES_DIR"])))
    for problem in [*problems, *vignette_problems]:
        click.echo(str(problem))
    total = len(problems) + len(vignette_problems)
    if total:
        raise click.ClickException(f"{total} problem(s) found.")
    questions = sum(len(lesson.questions) for lesson in curriculum.lessons)
    click.echo(
        f"OK: module '{curriculum.slug}' with {len(curriculum.lessons)} lessons, {questions} questions, "
        f"{len(curriculum.figures)} figure(s) and the briefing; vignettes clean."
    )
