"""Admins see, on a programme's page, the published line each requirement encodes."""

from __future__ import annotations

import html
from pathlib import Path

from app.extensions import db
from app.programmes import services as programmes

UK = (Path(__file__).resolve().parents[2] / "curriculum" / "programmes" / "uk-style.yaml").read_text()


def test_the_programme_page_lists_each_requirement_with_its_source(client, world):
    programme = programmes.create_programme(
        world.admin, world.association.id, slug="uk", title="UK", rule_set_source=UK
    )
    db.session.commit()
    client.login("admin@x.test")
    page = html.unescape(client.get(f"/admin/programmes/{programme.id}").get_data(as_text=True))
    assert "Requirements of version 1" in page
    assert "BSUK required experience, ACCREDITATION.md §1.2 #4: co-lead one or more groups" in page
    assert "Stillpoint: not in the society's rules" in page
    # A part of an any_of is listed under its parent and carries its own line.
    assert "↳ 2 society weekends as a member (psychodynamic training)" in page
    assert "'2 Balint Society weekends as an ordinary group member'" in page


def test_a_programme_without_sources_says_so(client, world):
    client.login("admin@x.test")
    page = client.get(f"/admin/programmes/{world.programme.id}").get_data(as_text=True)
    assert "no source cited" in page
