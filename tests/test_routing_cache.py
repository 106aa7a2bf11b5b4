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


def _parsed_with(parse, rule) -> tuple:
    """What ``parse`` makes of ``rule``'s text, on a blank copy of the rule in the same map."""
    copy = rule.empty()
    copy.map, copy._trace, copy._converters, copy.arguments = rule.map, [], {}, set()
    parts = list(parse(copy, rule.rule))
    converters = {name: (type(c), c.regex, vars(c).get("items")) for name, c in copy._converters.items()}
    return parts, copy._trace, converters, copy.arguments


def test_cached_parsing_gives_what_fresh_parsing_gives(app):
    for rule in app.url_map.iter_rules():
        fresh = _parsed_with(routing_cache._parse_rule, rule)
        for _ in range(2):  # the first call may fill the cache, the second reads it
            assert _parsed_with(routing_cache._cached_parse_rule, rule) == fresh, rule.rule


def test_no_converter_is_shared_between_two_rules():
    first = Map([Rule("/a/<int:n>/<any(x,y):w>", endpoint="a")])
    second = Map([Rule("/a/<int:n>/<any(x,y):w>", endpoint="a")])
    one, other = next(first.iter_rules()), next(second.iter_rules())
    assert one._converters["n"] is not other._converters["n"]
    assert other._converters["n"].map is second
    assert second.bind("x").match("/a/3/y") == ("a", {"n": 3, "w": "y"})
