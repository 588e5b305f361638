"""The generated "is it clean?" checks against aas-core's verification, on every JSON file of
the corpus: a check says True exactly where aas-core finds no error (aas.metamodel.verifyok)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import orjson
import pytest
from test_jsonbuild import SETS, root_class

from aas.checks import memoverify
from aas.metamodel import verifyok
from aas.metamodel.description import describe
from aas.versions import Version, binding, parse_version

from conftest import corpus


@pytest.mark.parametrize(("label", "folder", "version"), SETS, ids=[s[0] for s in SETS])
def test_the_check_is_clean_exactly_where_aas_core_finds_nothing(
    label: str, folder: tuple[str, ...], version: str
) -> None:
    parsed = parse_version(version)
    bound = binding(parsed)
    checks = verifyok.checks(parsed)
    classes = set(describe(parsed).classes)
    tally: Counter[str] = Counter()
    disagreements: list[str] = []
    for path in sorted(corpus(*folder).rglob("*.json")):
        if "Unserializable" in path.parts:
            continue
        document = orjson.loads(path.read_bytes())
        name = root_class(path, document, version, classes)
        build = getattr(bound.jsonization, f"{_snake(name)}_from_jsonable")
        instance: Any = build(document)
        expected = not list(bound.verification.verify(instance))
        clean = checks[type(instance)](instance, set())
        tally["clean" if expected else "with errors"] += 1
        if clean != expected:
            disagreements.append(f"{path}: the check says {clean}, aas-core {expected}")
        # and what the project reports is aas-core's own, error for error
        ours = [(e.cause, str(e.path)) for e in memoverify.verify(instance, parsed)]
        theirs = [(e.cause, str(e.path)) for e in bound.verification.verify(instance)]
        if ours != theirs:
            disagreements.append(f"{path}: the errors differ")
    print(label, dict(tally))
    assert not disagreements, "\n".join(disagreements[:20])
    assert tally["clean"] > 0 and tally["with errors"] > 0


def _snake(name: str) -> str:
    from aas.metamodel.names import snake

    return snake(name)


def test_a_reference_found_clean_is_remembered_for_the_run() -> None:
    types = binding(Version.V3_0).types
    key = types.Key(types.KeyTypes.GLOBAL_REFERENCE, "urn:example:concept")
    reference = types.Reference(types.ReferenceTypes.EXTERNAL_REFERENCE, [key])
    check = verifyok.checks(Version.V3_0)[types.Reference]
    seen: set[object] = set()
    assert check(reference, seen) and reference in seen
    reference.keys = []  # changed after it was seen: the run remembers, a new run does not
    assert check(reference, seen)
    assert not check(reference, set())


def test_an_instance_the_check_fails_on_is_verified_by_aas_core() -> None:
    """A check that raises (a value aas-core's verification cannot take either) leaves the
    verdict to aas-core, which raises or reports as it always does."""
    types = binding(Version.V3_0).types
    element = types.Property(types.DataTypeDefXSD.STRING, id_short="p", value="x")
    element.value_type = None  # not of the model: the check cannot look it up
    with pytest.raises(KeyError):
        verifyok.checks(Version.V3_0)[types.Property](element, set())
    with pytest.raises(KeyError):
        list(binding(Version.V3_0).verification.verify(element))
    with pytest.raises(KeyError):
        list(memoverify.verify(element, Version.V3_0))


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_committed_checks_are_what_the_generator_makes(version: str) -> None:
    parsed = Version(version)
    committed = verifyok.module_path(parsed).read_text(encoding="utf-8")
    assert committed == verifyok.source(parsed), "run python -m aas.metamodel.verifyok --write"


def test_an_unknown_statement_in_aas_core_stops_the_generator() -> None:
    import ast

    body = ast.parse("while True:\n    yield Error('x')").body
    with pytest.raises(verifyok.Unexpected):
        verifyok._function("c_X", ["that", "seen"], body, "transform_x")


_DOUBLES = ["1.5", "-0", "+1", "1.", ".5", "1e", "1.0\n", " 1", "", "NaN", "INF", "-INF", "inf"]
_DOUBLES += ["9" * 15 + "e99", "-" + "9" * 15 + "." + "9" * 15 + "E-99", "9" * 16 + "e99"]
_DOUBLES += ["1e400", "1.7976931348623157e308", "1.8e308", "\u0663", "1" * 400]


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_a_double_is_clean_exactly_where_aas_core_says_so(version: str) -> None:
    """The plain-notation shortcut answers only True, and only where aas-core does; the rest
    (too many digits, another notation, too large) is aas-core's own verdict."""
    parsed = Version(version)
    types = binding(parsed).types
    check = verifyok.checks(parsed)[types.Property]
    verdicts = {True: 0, False: 0}
    for text in _DOUBLES:
        element = types.Property(types.DataTypeDefXSD.DOUBLE, value=text)
        expected = not list(binding(parsed).verification.verify(element))
        assert check(element, set()) == expected, repr(text)
        verdicts[expected] += 1
    assert verdicts[True] and verdicts[False]


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_a_list_of_elements_is_checked_for_its_type_item_by_item(version: str) -> None:
    parsed = Version(version)
    types = binding(parsed).types
    check = verifyok.checks(parsed)[types.SubmodelElementList]
    double = types.DataTypeDefXSD.DOUBLE

    def items(*more: Any) -> Any:
        return types.SubmodelElementList(
            types.AASSubmodelElements.PROPERTY,
            value_type_list_element=double,
            value=[types.Property(double, value="1"), types.Property(double), *more],
        )

    for listed in (
        items(),
        items(types.Range(double)),
        items(types.Blob(content_type="image/png")),
    ):
        expected = not list(binding(parsed).verification.verify(listed))
        assert check(listed, set()) == expected
    assert check(items(), set()) and not check(items(types.Range(double)), set())
