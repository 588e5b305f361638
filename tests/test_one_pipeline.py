"""One read pipeline: the same bad input gives the same findings, at the same places with
lines (and for JSON columns), from ``aas.load``, ``aas.validate`` and ``aas convert``."""

from __future__ import annotations

from pathlib import Path

import pytest

import aas
from aas.codec import Codec
from aas.formats import by_name, names

from conftest import run_cli

#: A submodel whose idShort breaks its pattern, a Property whose value is no xs:int, and a
#: concept description that takes the submodel's id: three defects, each reported once.
BAD_JSON = """{
  "submodels": [
    {
      "modelType": "Submodel",
      "id": "urn:example:sm:1",
      "idShort": "1bad",
      "submodelElements": [
        {
          "modelType": "Property",
          "idShort": "speed",
          "valueType": "xs:int",
          "value": "fast"
        }
      ]
    }
  ],
  "conceptDescriptions": [
    {
      "modelType": "ConceptDescription",
      "id": "urn:example:sm:1"
    }
  ]
}
"""

RULES = ["metamodel:pattern", "metamodel:value-type", "metamodel:unique-id"]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The bad model as JSON (written by hand), and as XML and AASX (written by convert,
    which carries a model's defects over as they are)."""
    folder = tmp_path_factory.mktemp("bad")
    source = folder / "bad.json"
    source.write_text(BAD_JSON)
    made = {"json": source}
    for fmt in ("xml", "aasx"):
        target = folder / f"bad.{fmt}"
        aas.convert(source, target, version="3.1")
        made[fmt] = target
    return made


def seen(findings: list[aas.Finding]) -> list[tuple[str, str, aas.Location]]:
    return [(f.rule, f.message, f.location) for f in findings]


@pytest.mark.parametrize("fmt", ["json", "xml", "aasx"])
def test_load_validate_and_convert_report_the_same_findings_with_lines(
    fmt: str, inputs: dict[str, Path], tmp_path: Path
) -> None:
    path = inputs[fmt]
    loaded = aas.load(path, version="3.1").findings
    assert [f.rule for f in loaded] == RULES
    # Every finding has its line, and JSON its column as well.
    assert all(f.location.line is not None for f in loaded), loaded
    if fmt == "json":
        assert all(f.location.column is not None for f in loaded), loaded

    report = aas.validate(path, version="3.1")
    assert seen(report.findings) == seen(loaded)
    # validate sees more layers (the schema), and reports each defect once all the same
    assert report.findings[0].also in (("schema:pattern",), ("xsd:cvc-pattern-valid",))

    result = run_cli("convert", str(path), str(tmp_path / "out.json"), "--aas-version", "3.1")
    assert result.returncode == 0, result.stderr.decode()
    printed = result.stderr.decode().splitlines()[:-1]  # the last line counts them
    assert printed == [str(finding) for finding in loaded]

    with pytest.raises(aas.FindingsError) as refused:
        aas.convert(path, tmp_path / "strict.json", version="3.1", strict=True)
    assert seen(list(refused.value.findings)) == seen(report.findings)


def test_the_places_are_those_of_the_text(inputs: dict[str, Path]) -> None:
    """The JSON findings point at the value (line, column) of what is wrong; XML at its
    element's line; a package's findings at the line in its spec part."""
    loaded = aas.load(inputs["json"], version="3.1").findings
    json_places = [(f.location.line, f.location.column) for f in loaded]
    assert json_places == [(6, 18), (8, 9), (20, 13)]
    xml = aas.load(inputs["xml"]).findings
    lines = inputs["xml"].read_text().splitlines()
    assert "<idShort>1bad</idShort>" in lines[xml[0].location.line - 1]
    assert "<id>urn:example:sm:1</id>" in lines[xml[2].location.line - 1]
    package = aas.load(inputs["aasx"]).findings
    assert [f.location.file for f in package] == [f"{inputs['aasx']}!/aasx/data.xml"] * 3
    assert [f.location.line for f in package] == [f.location.line for f in xml]


def test_every_format_is_a_codec_of_two_stages() -> None:
    for name in names():
        codec = by_name(name).codec
        assert isinstance(codec, Codec), name
    # A hook a format does not override says that its check does not apply.
    model = aas.load(BAD_JSON.encode(), format="json")
    assert by_name("json").codec.check_package(model) is None
    assert by_name("aasx").codec.check_package(model) == []  # no package: nothing wrong in it


#: Inputs from which no model can be built: a submodel without its required id (JSON) and an
#: element the metamodel has no place for (XML). Each with the rule and the place (line,
#: column) of what is wrong.
UNREADABLE = {
    "no-id.json": (
        """{
  "submodels": [
    {
      "modelType": "Submodel",
      "idShort": "motor"
    }
  ]
}
""",
        "model:required",
        (3, 5),
    ),
    "wrong-element.xml": (
        """<?xml version="1.0" encoding="UTF-8"?>
<environment xmlns="https://admin-shell.io/aas/3/1">
  <submodels>
    <submodel>
      <idShort>motor</idShort>
      <id>urn:example:sm:1</id>
      <speed>fast</speed>
    </submodel>
  </submodels>
</environment>
""",
        "model:unexpected-property",
        (7, None),
    ),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_an_unreadable_input_is_located_alike_by_load_validate_and_convert(
    name: str, tmp_path: Path
) -> None:
    text, rule, place = UNREADABLE[name]
    path = tmp_path / name
    path.write_text(text)

    with pytest.raises(aas.ReadError) as loading:
        aas.load(path)
    error = loading.value
    where = error.location
    assert (error.rule, (where.line, where.column), where.file) == (rule, place, str(path))
    assert where.pointer is not None or where.xpath is not None

    report = aas.validate(path)
    assert not report.readable
    same = [f for f in report.findings if (f.rule, f.message, f.location) == seen_error(error)]
    assert len(same) == 1, report.findings

    with pytest.raises(aas.ReadError) as converting:
        aas.convert(path, tmp_path / "out.aasx")
    assert seen_error(converting.value) == seen_error(error)

    converted = run_cli("convert", str(path), str(tmp_path / "out.aasx"))
    assert converted.returncode == 3, converted.stderr.decode()
    assert converted.stderr.decode().splitlines() == [f"aas: error: {error}"]
    validated = run_cli("validate", str(path))
    assert validated.returncode == 3, validated.stderr.decode()
    assert f"  {same[0]}" in validated.stdout.decode().splitlines()


def seen_error(error: aas.ReadError) -> tuple[str, str, aas.Location]:
    return (error.rule, error.message, error.location)
