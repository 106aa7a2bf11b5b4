"""The rule-set editor over HTTP: forms with CSRF, kind first then its fields, problems
beside the field with the typed text kept, import, export, diff, preview and publish."""

from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from app.programmes import services as programmes
from app.programmes.editor import preview, services
from app.programmes.editor.models import RuleSetDraft
from app.programmes.models import RuleSet
from app.requirements.ruleset import parse_rule_set
from tests.requirements.records import add_session


def _base(world) -> str:
    return f"/admin/programmes/{world.programme.id}/editor"


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _draft(world) -> RuleSetDraft | None:
    db.session.expire_all()
    return db.session.scalar(select(RuleSetDraft).where(RuleSetDraft.programme_id == world.programme.id))


def _kinds(world) -> list[str]:
    return [
        event.action
        for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        if event.action.startswith("rule_set.")
    ]


def test_the_editor_lists_the_current_version_without_starting_a_draft(client, world):
    client.login("admin@x.test")
    page = _text(client.get(_base(world)))
    assert "Co-led sessions" in page and "co-led" in page
    assert "No changes yet" in page
    assert _draft(world) is None


def test_choosing_a_kind_shows_its_fields_then_saving_adds_it_to_a_draft(client, world):
    client.login("admin@x.test")
    url = f"{_base(world)}/requirement"
    shown = client.submit(url, {"kind": "total", "choose": "1", "id": "sup", "label": "Supervision"})
    assert shown.status_code == 200
    page = _text(shown)
    assert 'name="f.records"' in page and 'name="f.at_least"' in page and 'name="window.after"' in page
    assert 'value="sup"' in page  # what was typed so far is kept
    saved = client.submit(
        url,
        {
            "kind": "total",
            "save": "1",
            "id": "sup",
            "label": "Supervision hours",
            "source": "Stillpoint: a test rule",
            "f.records": "supervision",
            "f.at_least": "hours: 10",
            "where-0-field": "mode",
            "where-0-cmp": "is",
            "where-0-value": "individual",
            "window.after": "enrolment_start",
        },
    )
    assert saved.status_code == 302
    rule_set = parse_rule_set(_draft(world).source_yaml)
    added = rule_set.requirements[-1]
    assert (added.id, added.records, added.at_least) == ("sup", "supervision", (("hours", 10.0),))
    assert added.where == (("mode", frozenset({"individual"})),)
    assert added.window.after == "enrolment_start"
    # The published version is untouched until the draft is published.
    assert len(world.programme.rule_sets) == 1


def test_a_problem_is_shown_beside_its_field_and_nothing_typed_is_lost(client, world):
    client.login("admin@x.test")
    response = client.submit(
        f"{_base(world)}/requirement",
        {
            "kind": "total",
            "save": "1",
            "id": "many",
            "label": "A label I typed",
            "f.records": "sessions",
            "f.at_least": "lots",
            "where-0-field": "mode",
            "where-0-cmp": "is",
            "where-0-value": "by pigeon",
        },
    )
    assert response.status_code == 422
    page = _text(response)
    assert "nothing was saved" in page
    assert 'value="A label I typed"' in page and 'value="lots"' in page and 'value="by pigeon"' in page
    assert 'id="e-at_least"' in page  # the at_least problem sits beside at_least
    assert "mode cannot be 'by pigeon'" in page
    assert _draft(world) is None


def test_editing_moving_and_removing_requirements(client, world):
    client.login("admin@x.test")
    url = f"{_base(world)}/requirement"
    client.submit(url, {"kind": "any_of", "save": "1", "id": "either", "label": "Either"})
    client.submit(
        f"{url}?parent=1",
        {"kind": "module", "save": "1", "id": "mod", "label": "Module", "f.min_score": "80", "parent": "1"},
    )
    page = _text(client.get(_base(world)))
    assert 'id="r-1.0"' in page  # the part is listed inside its any_of
    edited = client.submit(
        f"{url}?path=0",
        {
            "kind": "total",
            "save": "1",
            "path": "0",
            "id": "co-led",
            "label": "Co-led, renamed",
            "f.records": "sessions",
            "f.at_least": "3",
            "where-0-field": "role",
            "where-0-cmp": "is",
            "where-0-value": "co-leader",
        },
    )
    assert edited.status_code == 302
    client.submit(_base(world), {"path": "1"}, action=f"{_base(world)}/move/up")
    rule_set = parse_rule_set(_draft(world).source_yaml)
    assert [r.id for r in rule_set.requirements] == ["either", "co-led"]
    assert rule_set.requirements[1].label == "Co-led, renamed"
    assert rule_set.requirements[0].children[0].id == "mod"
    client.submit(_base(world), {"path": "0.0"}, action=f"{_base(world)}/remove")
    page = _text(client.get(_base(world)))
    assert "'requirements' must be a non-empty list" in page  # beside the emptied any_of
    assert "Preview and publish" in page


def test_import_export_and_diff(client, world):
    client.login("admin@x.test")
    source = (
        "title: Imported\n# a comment kept as written\nrequirements:\n"
        "  - {id: mod, label: Module, kind: module, min_score: 70}\n"
    )
    upload = client.submit(
        f"{_base(world)}/import",
        {"file": (io.BytesIO(source.encode()), "rules.yaml")},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    assert _draft(world).source_yaml == source
    exported = client.get(f"{_base(world)}/export?version=draft")
    assert exported.get_data(as_text=True) == source
    assert 'filename="leaders-draft.yaml"' in exported.headers["Content-Disposition"]
    assert client.get(f"{_base(world)}/export?version=1").get_data(as_text=True).startswith('title: "Test')
    assert client.get(f"{_base(world)}/export?version=9").status_code == 404
    diff = _text(client.get(f"{_base(world)}/diff?old=1&new=draft"))
    assert "+ title: Imported" in diff and '− title: "Test programme"' in diff
    by_meaning = _text(client.get(f"{_base(world)}/diff?old=draft&new=draft&by=meaning"))
    assert "No differences." in by_meaning
    assert "rule_set.draft_imported" in _kinds(world)


def test_pasting_something_that_is_not_a_rule_set_is_refused_on_the_form(client, world):
    client.login("admin@x.test")
    response = client.submit(f"{_base(world)}/import", {"source": "- just\n- a list\n"})
    assert response.status_code == 422
    assert "Not a rule set" in _text(response)
    assert _draft(world) is None


def test_the_preview_lists_who_changes_and_why_then_publishing_is_final_and_audited(client, world):
    for day in (dt.date(2025, 2, 1), dt.date(2025, 3, 1)):
        add_session(world.enrolment, day)
    db.session.commit()
    client.login("admin@x.test")
    client.submit(
        f"{_base(world)}/requirement?path=0",
        {
            "kind": "total",
            "save": "1",
            "path": "0",
            "id": "co-led",
            "label": "Co-led sessions",
            "f.records": "sessions",
            "f.at_least": "5",
            "where-0-field": "role",
            "where-0-cmp": "is",
            "where-0-value": "co-leader",
        },
    )
    page = _text(client.get(f"{_base(world)}/publish"))
    assert "1 of 1 active enrolment would change." in page
    assert "1 would no longer be ready." in page
    assert world.trainee.name in page and "met → not met" in page and "3 more" in page
    refused = client.submit(f"{_base(world)}/publish", {"submit": "Publish"})
    assert refused.status_code == 422  # the final tick is missing
    assert _draft(world) is not None
    done = client.submit(f"{_base(world)}/publish", {"submit": "Publish", "confirm_final": "y"})
    assert done.status_code == 302
    assert _draft(world) is None
    versions = db.session.scalars(
        select(RuleSet.version).where(RuleSet.programme_id == world.programme.id)
    ).all()
    assert sorted(versions) == [1, 2]
    assert _kinds(world)[-2:] == ["rule_set.created", "rule_set.published"]
    # The enrolment stays on its version: publishing moves nobody.
    db.session.refresh(world.enrolment)
    assert world.enrolment.rule_set.version == 1


def test_the_preview_equals_judging_each_enrolment_one_by_one(app, world):
    from app.requirements.engine import evaluate  # noqa: PLC0415
    from app.requirements.services import progress_for  # noqa: PLC0415

    add_session(world.enrolment, dt.date(2025, 2, 1))
    db.session.commit()
    draft = parse_rule_set(
        "title: D\nrequirements:\n"
        "  - {id: co-led, label: C, kind: total, records: sessions, at_least: 1, where: {role: co-leader}}\n"
        "  - {id: long, label: L, kind: total, records: sessions, at_least: {minutes: 600}}\n"
    )
    shown = preview.preview(world.programme.id, draft, as_of=dt.date(2025, 6, 1))
    one = progress_for(world.enrolment, as_of=dt.date(2025, 6, 1))
    from app.requirements import sources  # noqa: PLC0415

    facts = sources.gather([world.enrolment], dt.date(2025, 6, 1))[world.enrolment.id]
    by_records = evaluate(draft, facts)
    assert not one.evaluation.is_ready and not by_records.is_ready
    (change,) = shown.changes
    assert [(c.requirement_id, c.before, c.after) for c in change.requirements] == [
        ("co-led", "not_met", "met"),
        ("long", None, "not_met"),
    ]
    assert change.requirements[1].reason == by_records.outcomes[1].missing


def test_nothing_to_publish_without_a_draft(client, world):
    client.login("admin@x.test")
    assert "no changes to publish" in _text(client.get(f"{_base(world)}/publish"))
    refused = client.submit(
        f"{_base(world)}/publish", {"submit": "Publish", "confirm_final": "y"}, action=None
    )
    assert refused.status_code == 422


def test_discarding_the_draft_returns_to_the_current_version(client, world):
    client.login("admin@x.test")
    client.submit(_base(world), {"title": "A new title"}, action=f"{_base(world)}/title")
    assert "A new title" in _draft(world).source_yaml
    client.submit(_base(world), {}, action=f"{_base(world)}/discard")
    assert _draft(world) is None
    assert _kinds(world)[-1] == "rule_set.draft_discarded"


def test_a_draft_is_its_programmes_only(world):
    other = services.workspace(world.admin, world.association.id, world.programme.id)
    assert other.draft is None and other.source.startswith('title: "Test')


def test_publishing_can_move_the_active_enrolments_each_move_audited(client, world):
    client.login("admin@x.test")
    client.submit(_base(world), {"title": "Moved along"}, action=f"{_base(world)}/title")
    done = client.submit(
        f"{_base(world)}/publish", {"submit": "Publish", "confirm_final": "y", "move_enrolments": "y"}
    )
    assert done.status_code == 302
    db.session.refresh(world.enrolment)
    assert world.enrolment.rule_set.version == 2
    moves = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "enrolment.rule_set_migrated")
    ).all()
    assert [(m.details["before"], m.details["after"]) for m in moves] == [(1, 2)]


PRESETS = sorted((Path(__file__).resolve().parents[2] / "curriculum" / "programmes").glob("*.yaml"))


@pytest.mark.parametrize("path", PRESETS, ids=[path.stem for path in PRESETS])
def test_every_preset_opens_in_the_editor_with_a_form_for_each_requirement(client, world, path):
    programme = programmes.create_programme(
        world.admin,
        world.association.id,
        slug="p",
        title="P",
        rule_set_source=path.read_text(encoding="utf-8"),
    )
    db.session.commit()
    client.login("admin@x.test")
    base = f"/admin/programmes/{programme.id}/editor"
    page = _text(client.get(base))
    assert "The rule set passes every check." in page
    rows = services.check(path.read_text(encoding="utf-8")).rows
    assert rows
    for row in rows:
        form = client.get(f"{base}/requirement?path={row.path}")
        assert form.status_code == 200, row.path
        assert f'value="{row.requirement["id"]}"' in _text(form)


def test_saving_a_requirement_removed_meanwhile_in_another_tab_keeps_what_was_typed(client, world):
    """Found in review: the save answered with a bare 404 page and the typed fields were lost."""
    client.login("admin@x.test")
    url = f"{_base(world)}/requirement?path=0"
    client.get(url)  # the form is open in this tab...
    services.remove_requirement(world.admin, world.association.id, world.programme.id, "0")
    db.session.commit()  # ...while another tab removes the requirement
    response = client.submit(
        _base(world),
        {
            "kind": "total",
            "save": "1",
            "path": "0",
            "id": "co-led",
            "label": "A label typed with care",
            "f.records": "sessions",
            "f.at_least": "3",
        },
        action=url,
    )
    assert response.status_code == 409
    page = _text(response)
    assert "No such requirement in the draft" in page
    assert 'value="A label typed with care"' in page


def test_a_second_click_on_remove_never_removes_the_requirement_that_moved_up(client, world):
    """Found in review: paths are positions, so a double-click on "Remove" (or a stale tab)
    removed the next requirement too."""
    client.login("admin@x.test")
    url = f"{_base(world)}/requirement"
    client.submit(url, {"kind": "module", "save": "1", "id": "mod", "label": "Module", "f.min_score": "80"})
    first_id = parse_rule_set(_draft(world).source_yaml).requirements[0].id
    remove = {"path": "0", "requirement_id": first_id}
    client.submit(_base(world), remove, action=f"{_base(world)}/remove")
    again = client.submit(_base(world), remove, action=f"{_base(world)}/remove")
    assert again.status_code == 302
    assert [r.id for r in parse_rule_set(_draft(world).source_yaml).requirements] == ["mod"]
    assert "changed meanwhile" in _text(client.get(_base(world)))


def test_saving_a_stale_edit_form_never_overwrites_the_requirement_now_at_its_position(client, world):
    """Found in review: an edit form left open while the requirement before it was removed
    replaced the requirement that had moved into its position."""
    client.login("admin@x.test")
    url = f"{_base(world)}/requirement"
    client.submit(url, {"kind": "module", "save": "1", "id": "mod", "label": "Module", "f.min_score": "80"})
    first_id = parse_rule_set(_draft(world).source_yaml).requirements[0].id
    stale = client.get(f"{url}?path=0")  # the form of the first requirement...
    assert f'name="requirement_id" type="hidden" value="{first_id}"' in stale.get_data(as_text=True)
    services.remove_requirement(world.admin, world.association.id, world.programme.id, "0")
    db.session.commit()  # ...while another tab removes it: "mod" is at position 0 now
    response = client.submit(
        _base(world),
        {
            "kind": "total",
            "save": "1",
            "path": "0",
            "requirement_id": first_id,
            "id": first_id,
            "label": "Typed in the stale tab",
            "f.records": "sessions",
            "f.at_least": "3",
        },
        action=f"{url}?path=0",
    )
    assert response.status_code == 409 and 'value="Typed in the stale tab"' in _text(response)
    assert [r.id for r in parse_rule_set(_draft(world).source_yaml).requirements] == ["mod"]
