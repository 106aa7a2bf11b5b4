"""The OpenAPI document and the routes agree, both ways."""

from __future__ import annotations

import re

from app.api.spec import openapi_path


def _routes(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.endpoint in {"api.openapi_document", "api.docs"}:
            continue
        path, _params = openapi_path(rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((method.lower(), path))
    return found


def test_every_api_route_is_documented_and_every_documented_operation_exists(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    documented = {(method, path) for path, ops in document["paths"].items() for method in ops}
    assert document["openapi"].startswith("3.1")
    assert _routes(app) == documented


def test_the_document_references_only_schemas_it_defines(client):
    document = client.get("/api/v1/openapi.json")
    text = document.get_data(as_text=True)
    names = set(document.get_json()["components"]["schemas"])
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', text))
    assert refs <= names


def test_reference_page_is_served_with_a_bundled_script_and_no_inline_code(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert '<script src="/static/api-docs.js"' in page
    assert "<script>" not in page and "style=" not in page
    script = client.get("/static/api-docs.js")
    assert script.status_code == 200
    script.close()


def test_reference_page_has_the_site_header_and_navigation(world, client):
    anonymous = client.get("/api/v1/docs").get_data(as_text=True)
    assert '<header class="site-header">' in anonymous and 'class="skip-link"' in anonymous
    client.login("admin@x.test")
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert 'id="main-nav"' in page and ">Members</a>" in page
    assert 'id="api-docs"' in page
