"""The generated JSON builder against aas-core's jsonization, on every JSON file of the corpus.

Where aas-core builds a model, the fast builder must build an equal one (same classes, same
attributes in the same order, same values); where aas-core refuses, the fast builder must give
up, so that aas-core's error is the one reported.
"""

from __future__ import annotations

import enum
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest

from aas.metamodel import jsonbuild
from aas.metamodel.classes import detect_json_class
from aas.metamodel.description import describe
from aas.metamodel.names import snake
from aas.versions import binding, parse_version

from conftest import corpus

SETS = [
    ("testgen-3.0 Json", ("testgen-3.0", "Json"), "3.0"),
    ("testdatagen-3.1 Json", ("testdatagen-3.1", "Json"), "3.1"),
    ("examples-3.1 json", ("examples-3.1", "json"), "3.1"),
]


def same(left: Any, right: Any, where: str = "") -> str | None:
    """Where two aas-core values differ, or None when they are equal."""
    if type(left) is not type(right):
        return f"{where}: {type(left).__name__} != {type(right).__name__}"
    if isinstance(left, list):
        if len(left) != len(right):
            return f"{where}: {len(left)} items != {len(right)}"
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            if (found := same(a, b, f"{where}/{index}")) is not None:
                return found
        return None
    if isinstance(left, str | bytes | bool | int | enum.Enum) or left is None:
        return None if left == right else f"{where}: {left!r} != {right!r}"
    if list(vars(left)) != list(vars(right)):
        return f"{where}: attributes {list(vars(left))} != {list(vars(right))}"
    for name, value in vars(left).items():
        if (found := same(value, vars(right)[name], f"{where}/{name}")) is not None:
            return found
    return None


def root_class(path: Path, document: Any, version: str, classes: set[str]) -> str:
    """The class the corpus folder names (an Environment when contained in one), else the
    class the loader detects."""
    if "ContainedInEnvironment" in path.parts:
        return "Environment"
    if "examples-3.1" in path.parts:  # environments, filed by the class they show
        return detect_json_class(binding(parse_version(version)), document)
    by_lower = {name.lower(): name for name in classes}  # folders write IEC61360 as Iec61360
    for part in path.parts:
        if part.lower() in by_lower:
            return by_lower[part.lower()]
    return detect_json_class(binding(parse_version(version)), document)


@pytest.mark.parametrize(("label", "folder", "version"), SETS, ids=[s[0] for s in SETS])
def test_fast_builder_agrees_with_aas_core(
    label: str, folder: tuple[str, ...], version: str
) -> None:
    parsed = parse_version(version)
    jsonization = binding(parsed).jsonization
    classes = set(describe(parsed).classes)
    tally: Counter[str] = Counter()
    disagreements: list[str] = []
    for path in sorted(corpus(*folder).rglob("*.json")):
        document = orjson.loads(path.read_bytes())
        name = root_class(path, document, version, classes)
        try:
            expected = getattr(jsonization, f"{snake(name)}_from_jsonable")(document)
        except Exception:
            expected = None
        try:
            built = jsonbuild.try_build(parsed, name, document)
        except jsonbuild.Unfit:
            built = None
        if expected is None:
            tally["refused by both" if built is None else "accepted only by the fast builder"] += 1
            if built is not None:
                disagreements.append(f"{path}: aas-core refuses, the fast builder accepts")
            continue
        if built is None:
            tally["gave up on a model aas-core builds"] += 1
            disagreements.append(f"{path}: the fast builder gave up")
            continue
        difference = same(built, expected)
        tally["equal" if difference is None else "different"] += 1
        if difference is not None:
            disagreements.append(f"{path}: {difference}")
    print(label, dict(tally))
    assert not disagreements, "\n".join(disagreements[:20])
    # aas-core builds every file but the Unserializable ones, which it refuses
    unserializable = sum(1 for _ in corpus(*folder).rglob("Unserializable/**/*.json"))
    assert tally["refused by both"] == unserializable
    assert tally["equal"] == tally.total() - unserializable


def test_every_class_has_a_builder_that_matches_aas_core_keys() -> None:
    """The generated functions read exactly the keys aas-core's setter tables know."""
    for version in ("3.0", "3.1"):
        parsed = parse_version(version)
        model = describe(parsed)
        built = jsonbuild.builders(parsed)
        for cls in model.classes.values():
            assert cls.name in built
            if cls.abstract:
                continue
            setters = getattr(
                binding(parsed).jsonization, f"_SETTER_MAP_FOR_{snake(cls.name).upper()}"
            )
            assert set(setters) == {prop.json_name for prop in cls.properties} | {"modelType"}


def test_bad_json_falls_back_to_aas_core_errors() -> None:
    parsed = parse_version("3.0")
    jsonization = binding(parsed).jsonization
    key = {"type": "GlobalReference", "value": "urn:x"}
    cases = [
        {"type": "NoSuchKeyType", "value": "urn:x"},  # unknown enumeration literal
        {"type": "GlobalReference"},  # required property missing
        {"type": "GlobalReference", "value": 1},  # wrong type
        {"type": "GlobalReference", "value": None},  # null
        {**key, "extra": "x"},  # unknown key
        [key],  # not an object
    ]
    for case in cases:
        with pytest.raises(jsonbuild.Unfit):
            jsonbuild.try_build(parsed, "Key", case)
        with pytest.raises(jsonization.DeserializationException):
            jsonbuild.build(parsed, "Key", case)
    # aas-core ignores modelType on classes that have none, so does the fast builder
    built = jsonbuild.try_build(parsed, "Key", {**key, "modelType": "Anything"})
    assert built.value == "urn:x"
    element = {"modelType": "Property", "idShort": "p", "valueType": "xs:string"}
    assert type(jsonbuild.try_build(parsed, "SubmodelElement", element)).__name__ == "Property"
    for wrong in ({**element, "modelType": "Nothing"}, {**element, "modelType": None}):
        with pytest.raises(jsonbuild.Unfit):
            jsonbuild.try_build(parsed, "SubmodelElement", wrong)


def test_the_source_can_be_shown() -> None:
    text = jsonbuild.source(parse_version("3.1"))
    assert "def build_Property(j):" in text
    compile(text, "<test>", "exec")


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_committed_builders_are_what_the_generator_makes(version: str) -> None:
    parsed = parse_version(version)
    committed = jsonbuild.module_path(parsed).read_text(encoding="utf-8")
    assert committed == jsonbuild.source(parsed), "run python -m aas.metamodel.jsonbuild --write"


def test_the_generators_show_the_functions_of_a_class(capsys: pytest.CaptureFixture[str]) -> None:
    from aas.metamodel import codegen, xmlwrite

    assert (
        codegen.main(["3.1", "Key"], "json_build", jsonbuild.source, "aas.metamodel.jsonbuild") == 0
    )
    shown = capsys.readouterr().out
    assert shown.startswith("def build_Key(j):") and "def build_Reference" not in shown
    assert codegen.main(["3.0", "Key"], "xml_write", xmlwrite.source, "aas.metamodel.xmlwrite") == 0
    shown = capsys.readouterr().out
    assert [line for line in shown.splitlines() if line.startswith("def ")] == [
        "def s_Key(o, w, i):",
        "def e_Key(o, w, i):",
        "def r_Key(o, w):",
    ]
    assert codegen.main([], "xml_write", xmlwrite.source, "aas.metamodel.xmlwrite") == 2
