"""``flask content check``: validate every content folder without writing anything."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.content.bank_rules import check_bank, check_copied_wording
from app.content.curriculum import load_curriculum
from app.content.schema import display_path


@click.group("content")
def content_cli() -> None:
    """Curriculum and vignette content."""


@content_cli.command("check")
@with_appcontext
def check_command() -> None:
    """Check the curriculum, the bank rules and the vignettes; print each problem as path:line: message.

    Also refuses any ten-word run shared with the reference texts in CONTENT_REFERENCE_DIR
    (skipped, with a note, when that folder is absent). Exits with status 1 when anything
    is wrong, so CI can run it. Reads files only: the database is never touched.
    """
    from app.groups.content import check_run_sheet
    from app.requirements.rubric import check_rubric
    from app.vignettes.content import check_vignette_folder

    curriculum_dir = Path(current_app.config["CURRICULUM_DIR"])
    vignettes_dir = Path(current_app.config["VIGNETTES_DIR"])
    reference_dir = Path(current_app.config["CONTENT_REFERENCE_DIR"])
    curriculum, problems = load_curriculum(curriculum_dir)
    problems.extend(check_vignette_folder(vignettes_dir))
    problems.extend(check_run_sheet(curriculum_dir)[1])
    problems.extend(check_rubric(curriculum_dir)[1])
    biases = ()
    if curriculum is not None:
        biases, bank_problems = check_bank(curriculum_dir, curriculum)
        problems.extend(bank_problems)
    if reference_dir.is_dir():
        problems.extend(check_copied_wording([curriculum_dir, vignettes_dir], reference_dir))
        wording = f"no ten-word run shared with {display_path(reference_dir)}"
    else:
        click.echo(f"Note: {display_path(reference_dir)} is absent; the copied-wording check was skipped.")
        wording = "copied wording not checked"
    for problem in problems:
        click.echo(str(problem))
    for bias in biases:
        click.echo(bias.summary())
    if problems:
        raise click.ClickException(f"{len(problems)} problem(s) found.")
    questions = sum(len(lesson.questions) for lesson in curriculum.lessons)
    click.echo(
        f"OK: module '{curriculum.slug}' with {len(curriculum.lessons)} lessons, {questions} questions, "
        f"{len(curriculum.figures)} figure(s), the briefing and the competency rubric; "
        f"vignettes clean; {wording}."
    )
