"""The test suite's cache of Werkzeug's URL builders (tests/fixtures/routing_cache.py) builds
the same URLs as Werkzeug's own, for every route of the app and for defaults that two
converters render differently."""

from __future__ import annotations

from werkzeug.routing import Map, Rule

from tests.fixtures import routing_cache


def _a_value(rule, name: str) -> str:
    """A value the argument's converter accepts: an id, one of an ``any(...)``'s words, or text."""
    items = getattr(rule._converters.get(name), "items", None)
    if items:
        return sorted(items)[0]
    return "7" if name.endswith("id") else "x-y"


def test_cached_builders_build_what_fresh_ones_build(app):
    for rule in app.url_map.iter_rules():
        values = {name: _a_value(rule, name) for name in rule.arguments}
        for append_unknown in (False, True):
            cached = routing_cache._cached_compile_builder(rule, append_unknown).__get__(rule, None)
            fresh = routing_cache._compile_builder(rule, append_unknown).__get__(rule, None)
            extra = {"page": "2"} if append_unknown else {}
            assert cached(**values, **extra) == fresh(**values, **extra), rule.rule


def test_a_default_is_rendered_by_its_own_rules_converter():
    three_digits = Map([Rule("/page/<int(fixed_digits=3):n>", defaults={"n": 1}, endpoint="a")])
    plain = Map([Rule("/page/<int:n>", defaults={"n": 1}, endpoint="b")])
    assert three_digits.bind("x").build("a", {}) == "/page/001"
    assert plain.bind("x").build("b", {}) == "/page/1"
