"""Finding 9 of issue 13: every CSV the app writes escapes cells a spreadsheet would run."""

from __future__ import annotations

import csv
import io

import pytest

from app import csv_safe
from app.extensions import db
from tests.logbook.fixtures import a_supervision, accredit, create

FORMULA_NAME = '=HYPERLINK("https://evil.example","click")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(start):
    assert csv_safe.escape_cell(start + "1+1") == "'" + start + "1+1"


@pytest.mark.parametrize("value", ["Tomas", "", "a=b", 42, -3, None])
def test_other_cells_are_left_alone(value):
    assert csv_safe.escape_cell(value) == value


def rows_of(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    response.close()  # a streamed body (the cohort's spooled file) is closed by its reader
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_logbook_csv_escapes_a_supervisors_name(client, world):
    world.supervisor.name = FORMULA_NAME
    accredit(world.supervisor, world.association)
    create(world, a_supervision(world.supervisor.id))
    client.login("trainee@x.test")
    [row] = rows_of(client.get(f"/logbook/enrolments/{world.enrolment.id}/export.csv"))
    assert row["supervisor"] == "'" + FORMULA_NAME


def test_cohort_csv_escapes_a_trainees_name(client, world):
    world.trainee.name = FORMULA_NAME
    db.session.commit()
    client.login("admin@x.test")
    [row] = rows_of(client.get("/progress/cohort?format=csv"))
    assert row["trainee"] == "'" + FORMULA_NAME
