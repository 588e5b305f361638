"""Resolving references and placing findings in one pass (issue 14) changes nothing a user sees:
the same findings, in the same order, at the same pointers, lines and columns as the
straightforward implementations gave (kept in ``oracles_issue14.py``), on real files, on the
conformance corpus and on a generated model with thousands of references that do not resolve.

Nothing here is timed: ``benchmarks/shapes_refs.py`` writes the model the speed is measured on.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import oracles_issue14 as oracle
import orjson
import pytest

import aas
from aas import pipeline
from aas.converters.json import format as json_format
from aas.converters.json import positions
from aas.converters.value import format as value_format
from aas.findings import escape_pointer_token

from conftest import REPO, corpus

Seen = list[tuple[object, ...]]


def _seen(report: aas.Report) -> Seen:
    """What a user sees of each finding, in order (the location with its line and column)."""
    return [(f.severity, f.rule, f.message, f.location) for f in report.findings]


def _both(source: Any, monkeypatch: pytest.MonkeyPatch, **options: Any) -> tuple[Seen, Seen]:
    """The report's findings with the fast implementations, and with the oracles."""
    fast = _seen(aas.validate(source, **options))
    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "check_references", oracle.check_references)
        for module in (json_format, value_format):
            patch.setattr(module, "locate", oracle.locate)
            patch.setattr(module, "with_positions", oracle.with_positions)
        slow = _seen(aas.validate(source, **options))
    return fast, slow


@pytest.fixture(scope="module")
def shapes() -> Any:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import shapes_refs
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    return shapes_refs


def _generated(shapes: Any, broken: bool, elements: int = 80) -> bytes:
    environment, _ = shapes.build(submodels=3, elements=elements, broken=broken)
    return bytes(shapes.one_space(orjson.dumps(environment, option=orjson.OPT_INDENT_2)))


@pytest.mark.parametrize("layout", ["one-space", "compact", "crlf", "bom"])
def test_generated_model_with_unresolved_references(
    shapes: Any, layout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _generated(shapes, broken=True)
    if layout == "compact":
        data = orjson.dumps(orjson.loads(data))
    elif layout == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif layout == "bom":
        data = "\ufeff".encode() + data
    fast, slow = _both(data, monkeypatch, format="json")
    assert fast == slow
    unresolved = [seen for seen in fast if seen[1] == "reference:unresolved"]
    # The model was made with references that do not resolve, each placed on a line.
    assert len(unresolved) > 30
    assert all(seen[3].line is not None for seen in unresolved)  # type: ignore[attr-defined]
    if layout == "compact":
        assert {seen[3].line for seen in unresolved} == {1}  # type: ignore[attr-defined]


def test_generated_twin_resolves(shapes: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both(_generated(shapes, broken=False), monkeypatch, format="json")
    assert fast == slow
    assert not [seen for seen in fast if str(seen[1]).startswith("reference:")]


def test_generated_model_as_xml(shapes: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """References found failing in an XML model are placed by XPath, from the same walk;
    wide enough that items of two classes alternate far into a list (their XPath positions
    count only their own class)."""
    model = aas.load(_generated(shapes, True, elements=200), format="json", verify=False)
    data = aas.dump(model, "xml").data
    fast, slow = _both(data, monkeypatch, format="xml")
    assert fast == slow
    assert sum(seen[1] == "reference:unresolved" for seen in fast) > 30


def _sample(folder: Path, pattern: str, every: int) -> list[Path]:
    return sorted(folder.rglob(pattern))[::every]


def _corpus_files() -> Iterator[Any]:
    templates = corpus("idta-templates", "published")
    for path in _sample(templates, "*.json", 1) + _sample(templates, "*.aasx", 5):
        yield pytest.param(path, id=f"idta/{path.name}")
    for path in _sample(corpus("examples-3.1", "json"), "*.json", 40):
        yield pytest.param(path, id=f"examples-3.1/{path.name}")
    invalid = corpus("testgen-3.0", "Json", "ContainedInEnvironment", "Unexpected", "Invalid")
    for path in _sample(invalid, "*.json", 8):
        yield pytest.param(path, id=f"testgen-invalid/{path.parent.name}/{path.name}")
    for path in _sample(corpus("testgen-3.0", "Xml", "ContainedInEnvironment"), "*.xml", 60):
        yield pytest.param(path, id=f"testgen-xml/{path.parent.name}/{path.name}")


@pytest.mark.parametrize("path", list(_corpus_files()))
def test_corpus_findings_unchanged(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both(path, monkeypatch)
    assert fast == slow


# region locating by itself, on texts built to trip a scanner


def _pointers(value: Any, at: str = "") -> Iterator[str]:
    yield at
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _pointers(item, f"{at}/{escape_pointer_token(key)}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _pointers(item, f"{at}/{index}")


def _nested(depth: int) -> Any:
    value: Any = {"leaf": ']}"{[', "n": [1, 2.5e3, None, True]}
    for level in range(depth):
        value = [{"level": level, "inner": value, "after": "x"}, "sibling"]
    return value


TEXTS = {
    "strings with brackets and escapes": (
        '{"a": "x]}{[\\"", "b\\u0041": [1, {"c": "\\\\"}], "d/e~f": {"g": null},\n'
        '  "h": "\\u00e9t\\u00e9 ]", "i": [], "j": {}, "k": [[], [{}], "\\"["]}'
    ),
    # no backslash anywhere: strings are then passed over up to the next quote
    "brackets in strings, no backslash": (
        '{"a": "]}{[", "b": ["[", {"c": "}"}, "x"], "d": {"e": "{[", "f": [["]"], {}]},\n'
        ' "g": [{"h": "]]", "i": [1, {"j": "{"}]}, "k"]}'
    ),
    "tabs and carriage returns": '{\r\n\t"a" :\t[ 1 ,\r\n 2 ] ,\t"b":{ "c" : "d" } }',
    "non-ASCII before the values": '{"名前": "値", "x": ["é", {"ü": "ß"}], "z": 1}',
    "a key held twice": '{"a": 1, "b": [0], "a": {"b": [2, 3]}, "c": {"a": 4}}',
    "nested deeper than one pass takes": json.dumps(_nested(45), indent=1),
    "nested deeper, on one line": json.dumps(_nested(45)),
    "the last member asked for, a key held twice at the end": (
        '{"a": {"x": 1, "y": [1, 2]}, "b": [0, 1, 2, 3, {"q": [4]}], "a": {"y": 2, "y": [3]}}'
    ),
    # more sets of keys asked for than the scanner compiles patterns for
    "many sets of keys": json.dumps(
        {f"o{n}": {f"k{n}.{m}": [m, {"v": m}] for m in range(n % 3 + 1)} for n in range(40)},
        indent=1,
    ),
    # every key of a branch is then decoded
    "a key with a replacement character": '{"a": 1, "\ufffd": {"\ufffd~/": 1, "b": [2]}}',
}


@pytest.mark.parametrize("name", list(TEXTS))
def test_locate_agrees_on_every_pointer_and_subset(name: str) -> None:
    text = TEXTS[name]
    data = text.encode()
    every = set(_pointers(json.loads(text)))
    assert positions.locate(data, every) == oracle.locate(data, every)
    # Which branches are followed depends on what is asked: single pointers and subsets.
    rng = random.Random(14)
    ordered = sorted(every)
    for pointer in ordered[:: max(1, len(ordered) // 40)]:
        assert positions.locate(data, {pointer}) == oracle.locate(data, {pointer}), pointer
    for _ in range(20):
        subset = set(rng.sample(ordered, k=rng.randint(1, len(ordered))))
        assert positions.locate(data, subset) == oracle.locate(data, subset)


def test_locate_finds_what_it_should() -> None:
    """Not only agreement: the lines and columns are the ones a reader counts."""
    text = '{\n "a": "]}",\n  "b": [\n   {"c": 1}\n  ]\n}'
    found = positions.locate(text.encode(), {"/a", "/b/0/c", "/missing"})
    assert found == {"/a": (2, 7), "/b/0/c": (4, 10)}


def test_locate_agrees_on_pointers_the_text_does_not_hold() -> None:
    """Pointers that name nothing (an index written with a leading zero, a key not there, an
    index into an object, a key into an array) are left out, as they always were."""
    data = TEXTS["strings with brackets and escapes"].encode()
    asked = {"/bA/01", "/bA/1/c", "/k/1/0", "/bA/x", "/d~1e~0f/0", "/d~1e~0f/g", "/b/1/c"}
    asked |= {"/nothing", "/bA/", "/k/+1", "/k/1/00"}
    found = positions.locate(data, asked)
    assert found == oracle.locate(data, asked)
    assert set(found) == {"/bA/1/c", "/k/1/0", "/d~1e~0f/g"}


def test_locate_leaves_out_pointers_that_do_not_start_at_the_root() -> None:
    """A pointer that does not start with ``/`` names nothing, even where a key is its text."""
    data = b'{"abc": {"d": 1}, "": 2}'
    asked = {"abc", "abc/d", "", "/", "/abc/d"}
    found = positions.locate(data, asked)
    assert found == oracle.locate(data, asked)
    assert set(found) == {"", "/", "/abc/d"}


# region findings made a slot at a time (aas.findings.placed and pointed)


def test_placed_is_what_replace_gives() -> None:
    """Every field carried over, the line and column set, and the result a Finding like any
    other: equal, hashed and frozen as the constructor's."""
    import dataclasses

    from aas.findings import Finding, Location, placed

    where = Location("m.json", "/a/0", "/x", None, None, "urn:focus", "urn:path")
    finding = Finding.of("reference:unresolved", "nothing there", where)
    finding = dataclasses.replace(finding, also=("schema:required",))
    made = placed(finding, 7, 11)
    expected = dataclasses.replace(finding, location=dataclasses.replace(where, line=7, column=11))
    assert made == expected
    assert hash(made) == hash(expected)
    assert str(made) == str(expected) and made.to_dict() == expected.to_dict()
    assert type(made) is Finding and type(made.location) is Location
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.rule = "other"  # type: ignore[misc]


def test_pointed_is_what_the_constructor_gives() -> None:
    from aas.findings import Finding, Location, Severity, pointed

    made = pointed(Severity.WARNING, "reference:unresolved", "gone", "m.json", "/b")
    expected = Finding.of("reference:unresolved", "gone", Location(file="m.json", pointer="/b"))
    assert made == expected
    assert made.to_dict() == expected.to_dict() and str(made) == str(expected)


# region verifying each distinct Reference once (aas/checks/memoverify.py)


def _errors(errors: Iterator[Any]) -> list[tuple[object, ...]]:
    """aas-core's errors as a caller sees them: the cause and every segment of the path, with
    the very instance or list it names."""
    seen: list[tuple[object, ...]] = []
    for error in errors:
        segments = [
            ("property", id(s.instance), s.name)
            if hasattr(s, "name")
            else ("index", id(s.sequence), s.index)
            for s in error.path.segments
        ]
        seen.append((error.cause, *segments))
    return seen


def _references_breaking_rules() -> Any:
    """A submodel whose elements hold the same broken References again and again, one of them
    with a broken referred semanticId."""
    import aas_core3.types as t

    def broken() -> Any:
        referred = t.Reference(
            t.ReferenceTypes.EXTERNAL_REFERENCE, [t.Key(t.KeyTypes.PROPERTY, "")]
        )
        keys = [t.Key(t.KeyTypes.PROPERTY, "x"), t.Key(t.KeyTypes.FRAGMENT_REFERENCE, "")]
        return t.Reference(t.ReferenceTypes.MODEL_REFERENCE, keys, referred)

    elements = [
        t.Property(t.DataTypeDefXSD.STRING, id_short=f"p{n}", semantic_id=broken())
        for n in range(4)
    ]
    elements.append(t.ReferenceElement(id_short="r", value=broken(), semantic_id=broken()))
    return t.Environment(submodels=[t.Submodel("urn:x", submodel_elements=elements)])


def test_verification_gives_aas_cores_errors_for_references_met_again() -> None:
    from aas.checks import memoverify
    from aas.versions import Version, binding

    root = _references_breaking_rules()
    plain = _errors(binding(Version.V3_0).verification.verify(root))
    assert len(plain) >= 5 * 3  # every reference breaks several rules
    assert _errors(memoverify.verify(root, Version.V3_0)) == plain


def _invalid_corpus_files() -> list[Path]:
    root = corpus("testgen-3.0", "Json", "ContainedInEnvironment", "Unexpected", "Invalid")
    return sorted(root.rglob("*.json"))


def test_verification_gives_aas_cores_errors_on_the_corpus() -> None:
    from aas.checks import memoverify
    from aas.versions import Version, binding

    compared = 0
    for path in _invalid_corpus_files():
        try:
            model = aas.load(path, version="3.0", verify=False)
        except aas.AasError:
            continue
        plain = _errors(binding(Version.V3_0).verification.verify(model.root))
        assert _errors(memoverify.verify(model.root, Version.V3_0)) == plain, path
        compared += 1
    assert compared > 500
