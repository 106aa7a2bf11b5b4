"""The audit trail in words: every kind the app writes has a sentence; the page and its
CSV say who did what to whom, filtered by person, kind and date; the outbox searches."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import pathlib

from app.audit import words
from app.audit.services import record
from app.extensions import db
from app.mail.services import send_mail
from tests.requirements.records import add_session

APP = pathlib.Path(__file__).resolve().parents[2] / "app"


def _audit_calls():
    """Every call of ``app.audit.services.record`` under app/, whatever it is imported as:
    (where, first argument)."""
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "app.audit.services"
            for alias in node.names
            if alias.name == "record"
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
                yield f"{path.relative_to(APP.parent)}:{node.lineno}", node.args[0]


def _kinds(argument) -> list[str]:
    """The kinds one call can write: a constant, either side of a conditional, or the
    fixed prefix of an f-string (``requirement.{decision}`` -> "requirement.")."""
    if isinstance(argument, ast.Constant):
        return [argument.value]
    if isinstance(argument, ast.IfExp):
        return _kinds(argument.body) + _kinds(argument.orelse)
    if isinstance(argument, ast.JoinedStr) and isinstance(argument.values[0], ast.Constant):
        return [argument.values[0].value + "*"]
    raise AssertionError(f"an audit kind the test cannot read: {ast.unparse(argument)}")


def test_every_audit_kind_the_app_writes_has_words():
    calls = list(_audit_calls())
    assert len(calls) > 50  # the collector finds the calls (it would pass vacuously otherwise)
    missing = []
    for where, argument in calls:
        for kind in _kinds(argument):
            if kind.endswith("*"):
                if not any(known.startswith(kind[:-1]) for known in words.WORDS):
                    missing.append(f"{where}: {kind}")
            elif kind not in words.WORDS:
                missing.append(f"{where}: {kind}")
    assert not missing, "audit kinds without words in app/audit/words.py:\n" + "\n".join(missing)


def test_a_signature_reads_as_a_sentence_naming_the_trainee_and_the_session(world):
    session = add_session(world.enrolment, dt.date(2026, 12, 3), signer=world.supervisor)
    db.session.flush()
    event = record("logbook.signed", session, actor=world.supervisor)
    db.session.commit()
    [described] = words.describe([event])
    assert described.sentence == "Sven Supervisor signed Tomas Trainee’s session of 3 December 2026"
    assert "SessionRecord" not in described.sentence


def test_the_trail_page_filters_by_person_kind_and_date(client, world):
    record("auth.login", actor=world.supervisor, association_id=world.association.id)
    db.session.commit()
    client.login("admin@x.test")
    everything = client.get("/admin/audit").get_data(as_text=True)
    assert "Alma Admin enrolled Tomas Trainee on Leader training" in everything
    assert "Sven Supervisor signed in" in everything
    by_person = client.get(f"/admin/audit?person={world.supervisor.id}").get_data(as_text=True)
    assert "Sven Supervisor signed in" in by_person and "enrolled Tomas" not in by_person
    by_kind = client.get("/admin/audit?kind=enrolment.created").get_data(as_text=True)
    assert "enrolled Tomas" in by_kind and "Sven Supervisor signed in" not in by_kind
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert "Nothing matches." in client.get(f"/admin/audit?from={tomorrow}").get_data(as_text=True)
    today = dt.date.today().isoformat()
    assert "enrolled Tomas" in client.get(f"/admin/audit?from={today}&to={today}").get_data(as_text=True)


def test_the_trail_downloads_as_csv_with_sentences_and_formulas_defused(client, world):
    world.trainee2.name = "=HYPERLINK(1)"
    record("user.created", world.trainee2, actor=world.trainee2, association_id=world.association.id)
    db.session.commit()
    client.login("admin@x.test")
    response = client.get("/admin/audit.csv?kind=user.created")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    response.close()  # a streamed body (a spooled file) is closed by its reader
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["when_utc", "who", "what", "kind"]
    assert [row[3] for row in rows[1:]] == ["user.created"]
    assert rows[1][1].startswith("'=") and not rows[1][2].startswith("=")


def test_the_outbox_searches_and_does_not_repeat_the_subject(client, world):
    send_mail(
        "sup@x.test",
        "Records wait for you",
        "Records wait for you\n\nTwo records.",
        association_id=world.association.id,
    )
    send_mail("trainee@x.test", "Your certificate", "Hello Tomas.", association_id=world.association.id)
    db.session.commit()
    client.login("admin@x.test")
    html = client.get("/admin/outbox").get_data(as_text=True)
    assert html.count("Records wait for you") == 1  # the heading, not the body's first line again
    assert "Two records." in html
    found = client.get("/admin/outbox?q=CERTIFICATE").get_data(as_text=True)
    assert "Hello Tomas." in found and "Two records." not in found
    by_recipient = client.get("/admin/outbox?q=sup@x").get_data(as_text=True)
    assert "Two records." in by_recipient and "Hello Tomas." not in by_recipient
