"""``flask privacy scan FILE...``: one line per finding, and an exit status a script can use."""

from __future__ import annotations

from pathlib import Path


def scan(app, *paths: str, stdin: str | None = None):
    return app.test_cli_runner().invoke(args=["privacy", "scan", *paths], input=stdin)


def test_findings_are_printed_with_file_line_column_and_kind_and_exit_1(app, tmp_path: Path):
    notes = tmp_path / "notes.txt"
    notes.write_text("The mother came alone.\nI rang Mrs Jenkins on 07700 900123.\n", encoding="utf-8")
    result = scan(app, str(notes))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{notes}:2:8: person-name: Mrs Jenkins",
        f"{notes}:2:23: phone: 07700 900123",
    ]


def test_clean_files_print_nothing_and_exit_0(app, tmp_path: Path):
    clean = tmp_path / "clean.txt"
    clean.write_text("A nine-year-old boy and his mother; we thought of Balint and Bion.\n", encoding="utf-8")
    result = scan(app, str(clean), str(clean))
    assert (result.exit_code, result.output) == (0, "")


def test_an_unreadable_file_is_a_clear_error_and_the_others_are_still_scanned(app, tmp_path: Path):
    found = tmp_path / "found.txt"
    found.write_text("Her e-mail is someone@example.org\n", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00")
    result = scan(app, str(tmp_path / "missing.txt"), str(binary), str(found))
    assert result.exit_code == 2
    assert (
        f"{tmp_path / 'missing.txt'}: error: cannot read the file: No such file or directory" in result.output
    )
    assert f"{binary}: error: cannot read the file: not UTF-8 text" in result.output
    assert f"{found}:1:15: email: someone@example.org" in result.output


def test_standard_input_is_read_from_a_dash(app):
    result = scan(app, "-", stdin="Seen on 3 March 2024.\n")
    assert result.exit_code == 1
    assert result.output == "-:1:9: date: 3 March 2024\n"


def test_a_file_is_required(app):
    result = scan(app)
    assert result.exit_code == 2
    assert "Missing argument" in result.output
