"""V2.0.1's own schema rules (converters/v2/schema.py), and ``aas validate`` running them on
V2 JSON and V2 XML. The models are the project's own (tests/v2/, tests/data/v2/), changed
here one fault at a time."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from aas.converters.v2.schema import check_v2_schema
from aas.rules import lookup
from aas.severity import Severity
from aas.validation import validate

TESTS = Path(__file__).resolve().parent
EVERY_KIND_JSON = TESTS / "v2" / "every-kind.json"
EVERY_KIND_XML = TESTS / "v2" / "every-kind.xml"
PUMP = TESTS / "data" / "v2" / "pump.json"


def _every_kind() -> dict[str, Any]:
    value: dict[str, Any] = json.loads(EVERY_KIND_JSON.read_text())
    return value


@pytest.mark.parametrize("path", [EVERY_KIND_JSON, PUMP], ids=lambda p: p.name)
def test_valid_v2_json_gives_no_finding(path: Path) -> None:
    assert check_v2_schema(json.loads(path.read_text()), str(path)) == []


def _faults(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f.rule, f.location.pointer or "") for f in check_v2_schema(document, None)]


def test_required_identification_id_type_key_parts_and_id_short() -> None:
    document = _every_kind()
    shell = document["assetAdministrationShells"][0]
    del shell["identification"]["idType"]
    del shell["idShort"]
    del shell["derivedFrom"]["keys"][0]["type"]
    del shell["asset"]["keys"]
    del document["submodels"][0]["submodelElements"][0]["modelType"]
    assert sorted(_faults(document)) == sorted(
        [
            ("v2schema:required", "/assetAdministrationShells/0/identification"),
            ("v2schema:required", "/assetAdministrationShells/0"),
            ("v2schema:required", "/assetAdministrationShells/0/derivedFrom/keys/0"),
            ("v2schema:required", "/assetAdministrationShells/0/asset"),
            ("v2schema:required", "/submodels/0/submodelElements/0"),
        ]
    )


def test_enumerations() -> None:
    document = _every_kind()
    document["assets"][0]["identification"]["idType"] = "URI"  # V1.0's, not V2's
    document["assets"][0]["kind"] = "Type"
    key = document["assetAdministrationShells"][0]["derivedFrom"]["keys"][0]
    key["type"] = "Shell"
    document["submodels"][0]["submodelElements"][0]["modelType"]["name"] = "Propery"
    assert sorted(_faults(document)) == sorted(
        [
            ("v2schema:enum", "/assets/0/identification/idType"),
            ("v2schema:enum", "/assets/0/kind"),
            ("v2schema:enum", "/assetAdministrationShells/0/derivedFrom/keys/0/type"),
            ("v2schema:enum", "/submodels/0/submodelElements/0/modelType/name"),
        ]
    )


def test_types() -> None:
    document = _every_kind()
    key = document["assetAdministrationShells"][0]["derivedFrom"]["keys"][0]
    key["local"] = "false"  # a string, where V2 JSON has a boolean
    document["submodels"][0]["submodelElements"][0]["value"] = 1450.5
    document["assetAdministrationShells"][0]["submodels"] = {"keys": []}
    assert sorted(_faults(document)) == sorted(
        [
            ("v2schema:type", "/assetAdministrationShells/0/derivedFrom/keys/0/local"),
            ("v2schema:type", "/submodels/0/submodelElements/0/value"),
            ("v2schema:type", "/assetAdministrationShells/0/submodels"),
        ]
    )


def test_value_type_as_object_or_name() -> None:
    document = _every_kind()
    element = document["submodels"][0]["submodelElements"][0]
    element["valueType"] = "double"
    assert _faults(document) == []
    element["valueType"] = "doubble"
    assert _faults(document) == [("v2schema:enum", "/submodels/0/submodelElements/0/valueType")]
    element["valueType"] = {"dataObjectType": {"name": "float"}}
    assert _faults(copy.deepcopy(document)) == []


def test_lone_identifiable() -> None:
    submodel = _every_kind()["submodels"][0]
    assert check_v2_schema(submodel, None) == []
    del submodel["identification"]["id"]
    assert _faults(submodel) == [("v2schema:required", "/identification")]


def test_the_rules_are_registered_errors_of_the_schema_layer() -> None:
    for keyword in ("required", "enum", "type"):
        rule = lookup(f"v2schema:{keyword}")
        assert rule is not None and rule.layer == "schema"
        assert rule.severity is Severity.ERROR


def test_validate_runs_the_v2_schema_on_json(tmp_path: Path) -> None:
    clean = validate(EVERY_KIND_JSON)
    assert "schema" in clean.checks
    assert not [f for f in clean.findings if f.rule.startswith("v2schema:")]
    document = _every_kind()
    del document["assets"][0]["identification"]["idType"]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document, indent=2))
    report = validate(broken)
    found = [f for f in report.findings if f.rule.startswith("v2schema:")]
    assert [(f.rule, f.location.pointer) for f in found] == [
        ("v2schema:required", "/assets/0/identification")
    ]
    assert found[0].location.line is not None


def test_validate_runs_the_v2_schema_on_xml(tmp_path: Path) -> None:
    clean = validate(EVERY_KIND_XML)
    assert "schema" in clean.checks
    assert not [f for f in clean.findings if f.rule.startswith("v2schema:")]
    text = EVERY_KIND_XML.read_text()
    assert 'local="false" idType="IRI"' in text
    broken = tmp_path / "broken.xml"
    broken.write_text(text.replace('local="false" idType="IRI"', 'local="false"', 1))
    found = [f for f in validate(broken).findings if f.rule.startswith("v2schema:")]
    assert [f.rule for f in found] == ["v2schema:required"]
    assert found[0].location.xpath and found[0].location.xpath.endswith("aas:key")
    assert found[0].location.line is not None
