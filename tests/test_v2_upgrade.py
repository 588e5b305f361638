"""The V2.0.1 JSON upgrade (aas.converters.v2), on a pump model written for these tests
(tests/data/v2/pump.json): every V2 element kind, each field of the upgrade checked, the V3
output valid, and a round trip V2 -> V3.1 JSON -> XML -> AASX that keeps every value."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

import aas
from aas.codec import ReadContext
from aas.converters.v2.build import build_model
from aas.converters.v2.detect import is_v2_json
from aas.converters.v2.upgrade import IEC61360_V3, upgrade_environment
from aas.errors import UsageError
from aas.findings import Finding, Location, Severity
from aas.versions import Version

PUMP = Path(__file__).parent / "data" / "v2" / "pump.json"


def v2() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PUMP.read_text())
    return data


def upgraded(
    target: Version = Version.V3_1, model: dict[str, Any] | None = None
) -> tuple[dict[str, Any], list[Finding]]:
    return upgrade_environment(model if model is not None else v2(), target)


def element(env: dict[str, Any], id_short: str) -> dict[str, Any]:
    for item in env["submodels"][0]["submodelElements"]:
        if item.get("idShort") == id_short:
            found: dict[str, Any] = item
            return found
    raise KeyError(id_short)


def at(findings: list[Finding], rule: str) -> list[str]:
    return [f.location.pointer or "" for f in findings if f.rule == rule]


def test_detection_by_shape_text_and_value() -> None:
    text = PUMP.read_bytes()
    assert is_v2_json(text[:4096])
    assert is_v2_json(v2())
    v3, _ = upgraded()
    assert not is_v2_json(json.dumps(v3).encode())
    assert not is_v2_json(v3)
    # A string that only mentions the V2 key (escaped quotes) is no V2 shape.
    assert not is_v2_json(b'{"submodels": [{"id": "x", "idShort": "\\"identification\\": {"}]}')


def test_identifiables_and_asset_information() -> None:
    env, findings = upgraded()
    shell = env["assetAdministrationShells"][0]
    assert shell["id"] == "https://example.com/aas/pump-7"
    assert "identification" not in shell
    assert shell["administration"] == {"version": "1", "revision": "2"}
    assert shell["assetInformation"] == {
        "assetKind": "Instance",
        "globalAssetId": "https://example.com/asset/pump-7",
    }
    assert [ref["keys"][0]["value"] for ref in shell["submodels"]] == [
        "https://example.com/sm/technical",
        "https://example.com/sm/operation",
    ]
    assert all(ref["type"] == "ModelReference" for ref in shell["submodels"])
    assert "assets" not in env
    # The Asset's own data has no V3 place: each is reported at its V2 pointer.
    assert set(at(findings, "v2:not-carried")) >= {
        "/assets/0/idShort",
        "/assets/0/description",
        "/assets/0/assetIdentificationModel",
    }
    assert env["submodels"][1]["kind"] == "Template"
    assert env["submodels"][0]["kind"] == "Instance"


def test_asset_kind_type_is_carried() -> None:
    model = v2()
    model["assets"][0]["kind"] = "Type"
    env, _ = upgraded(model=model)
    assert env["assetAdministrationShells"][0]["assetInformation"]["assetKind"] == "Type"


def test_dictionaries_and_views_are_reported_not_dropped() -> None:
    env, findings = upgraded()
    assert at(findings, "v2:concept-dictionary") == [
        "/assetAdministrationShells/0/conceptDictionaries/0"
    ]
    assert at(findings, "v2:view") == ["/assetAdministrationShells/0/views/0"]
    assert all(
        f.severity is Severity.WARNING
        for f in findings
        if f.rule in ("v2:view", "v2:concept-dictionary")
    )
    # the concept description of the dictionary stays in the environment
    assert env["conceptDescriptions"][0]["id"] == "0173-1#02-AAB381#003"


def test_property_fields() -> None:
    env, _ = upgraded()
    flow = element(env, "MaxFlow")
    assert flow["modelType"] == "Property"
    assert flow["valueType"] == "xs:double"
    assert flow["value"] == "12.50"  # the lexical form, not 12.5
    assert flow["category"] == "PARAMETER"
    assert "kind" not in flow
    # one ConceptDescription key, the concept description in the model: a model reference
    assert flow["semanticId"] == {
        "type": "ModelReference",
        "keys": [{"type": "ConceptDescription", "value": "0173-1#02-AAB381#003"}],
    }
    assert flow["valueId"] == {
        "type": "ExternalReference",
        "keys": [{"type": "GlobalReference", "value": "urn:value:12.5"}],
    }
    assert flow["qualifiers"] == [
        {
            "type": "Unit",
            "valueType": "xs:string",
            "value": "m3/h",
            "valueId": {
                "type": "ExternalReference",
                "keys": [{"type": "GlobalReference", "value": "urn:unit:m3h"}],
            },
        }
    ]


def test_semantic_id_to_a_concept_not_in_the_model_is_global() -> None:
    model = v2()
    model["conceptDescriptions"] = []
    env, findings = upgraded(model=model)
    assert element(env, "MaxFlow")["semanticId"] == {
        "type": "ExternalReference",
        "keys": [{"type": "GlobalReference", "value": "0173-1#02-AAB381#003"}],
    }
    assert "/submodels/0/submodelElements/0/semanticId" in at(findings, "v2:reference-changed")


def test_formula_and_qualifier_of_the_submodel() -> None:
    env, findings = upgraded()
    assert env["submodels"][0]["qualifiers"] == [
        {"type": "ExpressionSemantic", "valueType": "xs:string", "value": "Requirement"}
    ]
    assert "/submodels/0/qualifiers/1" in at(findings, "v2:not-carried")


def test_data_elements() -> None:
    env, _ = upgraded()
    assert element(env, "Label")["value"] == [
        {"language": "en", "text": "Pump"},
        {"language": "de", "text": "Pumpe"},
    ]
    temperature = element(env, "Temperature")
    assert (temperature["valueType"], temperature["min"], temperature["max"]) == (
        "xs:int",
        "-10",
        "+80",
    )
    photo = element(env, "Photo")
    assert (photo["contentType"], photo["value"]) == ("image/png", "iVBORw0KGgo=")
    manual = element(env, "Manual")
    assert (manual["contentType"], manual["value"]) == ("application/pdf", "/aasx/manual.pdf")
    nameplate = element(env, "Nameplate")
    assert [(e["idShort"], e["valueType"], e["value"]) for e in nameplate["value"]] == [
        ("Serial", "xs:string", "SN 0042"),
        ("Year", "xs:gYear", "2019"),
    ]
    assert "ordered" not in nameplate


def test_references_of_every_key_type() -> None:
    env, _ = upgraded()
    spare = element(env, "Spare-Part")
    assert spare["value"] == {
        "type": "ModelReference",
        "keys": [{"type": "AssetAdministrationShell", "value": "https://example.com/aas/impeller"}],
    }
    driven = element(env, "DrivenBy")
    assert driven["first"]["keys"] == [
        {"type": "Submodel", "value": "https://example.com/sm/technical"},
        {"type": "Property", "value": "MaxFlow"},
    ]
    coupling = element(env, "Coupling")
    assert coupling["second"] == {
        "type": "ExternalReference",
        "keys": [{"type": "GlobalReference", "value": "urn:motor:m1"}],
    }
    assert coupling["annotations"][0] == {
        "modelType": "Property",
        "idShort": "Since",
        "valueType": "xs:date",
        "value": "2019-05-01",
    }
    motor = element(env, "Motor")
    assert motor["entityType"] == "SelfManagedEntity"
    assert motor["globalAssetId"] == "https://example.com/asset/motor-1"
    assert motor["statements"][0]["value"] == "5.5"


def test_reference_chains_start_at_the_last_identifiable() -> None:
    model = v2()
    reference = {
        "keys": [
            {
                "type": "AssetAdministrationShell",
                "local": True,
                "value": "https://example.com/aas/pump-7",
                "idType": "IRI",
            },
            {
                "type": "Submodel",
                "local": True,
                "value": "https://example.com/sm/technical",
                "idType": "IRI",
            },
            {"type": "BasicEvent", "local": True, "value": "Overheat", "idType": "IdShort"},
        ]
    }
    model["submodels"][0]["submodelElements"][5]["value"] = reference
    env, findings = upgraded(model=model)
    assert element(env, "Spare-Part")["value"] == {
        "type": "ModelReference",
        "keys": [
            {"type": "Submodel", "value": "https://example.com/sm/technical"},
            {"type": "BasicEventElement", "value": "Overheat"},
        ],
    }
    assert "/submodels/0/submodelElements/5/value" in at(findings, "v2:reference-changed")


def test_basic_event_and_operation() -> None:
    env, findings = upgraded()
    event = element(env, "Overheat")
    assert event["modelType"] == "BasicEventElement"
    assert event["observed"]["keys"][-1] == {"type": "Range", "value": "Temperature"}
    assert (event["direction"], event["state"]) == ("output", "off")
    assert "/submodels/0/submodelElements/10" in at(findings, "v2:invented")
    start = element(env, "Start")
    assert [v["value"]["idShort"] for v in start["inputVariables"]] == ["Speed"]
    assert [v["value"]["valueType"] for v in start["outputVariables"]] == ["xs:boolean"]
    assert [v["value"]["idShort"] for v in start["inoutputVariables"]] == ["Mode"]
    # V2 made operation variables templates: that is no loss
    assert not [p for p in at(findings, "v2:not-carried") if "Variable" in p]


def test_iec61360_content() -> None:
    env, findings = upgraded()
    cd = env["conceptDescriptions"][0]
    assert cd["idShort"] == "MaxFlow"
    assert cd["isCaseOf"][0]["keys"] == [
        {"type": "GlobalReference", "value": "https://eclass.example/AAB381"}
    ]
    spec = cd["embeddedDataSpecifications"][0]
    assert spec["dataSpecification"]["keys"][0]["value"] == IEC61360_V3
    content = spec["dataSpecificationContent"]
    assert content["modelType"] == "DataSpecificationIec61360"
    assert content["preferredName"][1] == {"language": "de", "text": "maximaler Durchfluss"}
    assert content["shortName"] == [{"language": "en", "text": "MaxFlow"}]
    assert (content["unit"], content["symbol"], content["dataType"]) == (
        "m3/h",
        "Qmax",
        "REAL_MEASURE",
    )
    assert content["unitId"]["keys"] == [
        {"type": "GlobalReference", "value": "0173-1#05-AAA663#002"}
    ]
    assert (content["sourceOfDefinition"], content["valueFormat"]) == ("ECLASS", "NR2..3.3")
    assert content["valueList"]["valueReferencePairs"] == [
        {
            "value": "12.5",
            "valueId": {
                "type": "ExternalReference",
                "keys": [{"type": "GlobalReference", "value": "urn:value:12.5"}],
            },
        }
    ]
    assert content["levelType"] == {"min": False, "nom": True, "typ": False, "max": True}
    assert any(
        p.endswith("/valueReferencePairTypes/0/valueType") for p in at(findings, "v2:not-carried")
    )


@pytest.mark.parametrize(
    ("given", "v30", "v31"),
    [("Spare-Part", "Spare_Part", "Spare-Part"), ("X", "X", "X_"), ("1st", "id_1st", "id_1st")],
)
def test_id_short_choices(given: str, v30: str, v31: str) -> None:
    for target, expected in ((Version.V3_0, v30), (Version.V3_1, v31)):
        model = v2()
        model["submodels"][0]["submodelElements"][5]["idShort"] = given
        env, findings = upgraded(target, model)
        assert env["submodels"][0]["submodelElements"][5]["idShort"] == expected
        pointers = at(findings, "v2:invented-id-short")
        assert (pointers == ["/submodels/0/submodelElements/5/idShort"]) == (expected != given)


def test_renamed_id_short_is_renamed_in_references() -> None:
    model = v2()
    elements = model["submodels"][0]["submodelElements"]
    elements[1]["idShort"] = "Max-Flow"
    elements[6]["first"]["keys"][1] = {
        "type": "MultiLanguageProperty",
        "local": True,
        "value": "Max-Flow",
        "idType": "IdShort",
    }
    env, _ = upgraded(Version.V3_0, model)
    assert element(env, "DrivenBy")["first"]["keys"][1]["value"] == "Max_Flow"


def test_missing_and_duplicate_id_shorts_are_invented() -> None:
    model = v2()
    collection = model["submodels"][0]["submodelElements"][12]["value"]
    del collection[0]["idShort"]
    collection[1]["idShort"] = "Year"
    collection.append({"idShort": "Year", "modelType": {"name": "Property"}, "valueType": "string"})
    env, findings = upgraded(model=model)
    assert [e["idShort"] for e in element(env, "Nameplate")["value"]] == [
        "Property0",
        "Year",
        "Year_2",
    ]
    assert len(at(findings, "v2:invented-id-short")) == 2


def test_value_types_v3_lacks_and_old_forms() -> None:
    model = v2()
    elements = model["submodels"][0]["submodelElements"]
    elements[0]["valueType"] = "dateTimeStamp"
    elements[2]["valueType"] = {"dataObjectType": {"name": "integer"}}
    del elements[12]["value"][0]["valueType"]
    env, findings = upgraded(model=model)
    assert element(env, "MaxFlow")["valueType"] == "xs:dateTime"
    assert element(env, "Temperature")["valueType"] == "xs:integer"
    assert element(env, "Nameplate")["value"][0]["valueType"] == "xs:string"
    assert at(findings, "v2:value-type-changed") == ["/submodels/0/submodelElements/0/valueType"]
    assert "/submodels/0/submodelElements/12/value/0/valueType" in at(findings, "v2:invented")


def test_category_v3_refuses_and_unknown_keys_are_losses() -> None:
    model = v2()
    elements = model["submodels"][0]["submodelElements"]
    elements[0]["category"] = "FUNCTION"
    elements[1]["parent"] = {"keys": []}
    env, findings = upgraded(model=model)
    assert "category" not in element(env, "MaxFlow")
    lost = at(findings, "v2:not-carried")
    assert "/submodels/0/submodelElements/0/category" in lost
    assert "/submodels/0/submodelElements/1/parent" in lost


@pytest.mark.parametrize("target", list(Version))
def test_the_upgraded_model_validates(target: Version) -> None:
    model = build_model(v2(), ReadContext("pump.json"), lambda location: location, target)
    assert model.version is target and model.upgraded_from == "2.0.1"
    report = aas.validate(aas.dump(model, "json").data, format="json", version=str(target))
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    assert report.readable and not errors, errors


def test_build_locates_findings_by_the_given_function() -> None:
    def locate(location: Location) -> Location:
        return Location(file="x.xml", xpath=f"xpath-of:{location.pointer}")

    model = build_model(v2(), ReadContext("x.xml"), locate, Version.V3_1)
    views = [f for f in model.findings if f.rule == "v2:view"]
    assert views[0].location.xpath == "xpath-of:/assetAdministrationShells/0/views/0"


def test_read_convert_and_validate_through_the_api(tmp_path: Path) -> None:
    model = aas.load(PUMP)
    assert (model.version, model.upgraded_from) == (Version.V3_1, "2.0.1")
    assert model.findings[0].rule == "v2:upgraded"
    located = next(f for f in model.findings if f.rule == "v2:view")
    assert located.location.line == 24  # a line of the V2 text
    forced = aas.load(PUMP, version="2.0")
    assert forced.upgraded_from == "2.0.1"
    out = tmp_path / "pump-30.json"
    result = aas.convert(PUMP, out, to_version="3.0")
    assert result.target_version is Version.V3_0
    # JSON names no version: the output read as V3.0 breaks no V3.0 rule
    written = aas.load(out, version="3.0")
    assert not [f for f in written.findings if f.severity is Severity.ERROR]
    report = aas.validate(PUMP)
    assert report.ok and report.upgraded_from == "2.0.1"
    assert report.to_dict()["upgradedFrom"] == "2.0.1"
    with pytest.raises(UsageError, match="never written"):
        aas.convert(PUMP, tmp_path / "x.json", to_version="2.0")


def test_a_v3_version_asked_for_a_v2_file_is_a_clear_error() -> None:
    report = aas.validate(PUMP, version="3.1")
    assert not report.readable
    assert report.findings[0].rule == "aas:version-mismatch"
    assert "V2.0.1" in report.findings[0].message


def _values(node: object, into: list[str]) -> list[str]:
    """Every string in a V3 jsonable, in order (what a round trip must keep)."""
    if isinstance(node, dict):
        for key in sorted(node):
            _values(node[key], into)
    elif isinstance(node, list):
        for item in node:
            _values(item, into)
    elif isinstance(node, str):
        into.append(node)
    return into


def test_round_trip_json_xml_aasx_keeps_every_value(tmp_path: Path) -> None:
    model = aas.load(PUMP)
    first = json.loads(aas.dump(model, "json").data)
    xml = tmp_path / "pump.xml"
    aas.convert(PUMP, tmp_path / "pump.json")
    aas.convert(tmp_path / "pump.json", xml)
    aasx = tmp_path / "pump.aasx"
    aas.convert(xml, aasx)
    back = json.loads(aas.dump(aas.load(aasx), "json").data)
    assert back == first
    # and every V2 value (strings, lexical forms) is in it
    kept = set(_values(first, []))
    for value in ("12.50", "+80", "SN 0042", "iVBORw0KGgo=", "maximaler Durchfluss", "NR2..3.3"):
        assert value in kept


def test_v2_input_unchanged_by_the_upgrade() -> None:
    model = v2()
    before = copy.deepcopy(model)
    upgrade_environment(model, Version.V3_1)
    assert model == before


def test_v2_forced_on_v3_json_is_a_clear_error(tmp_path: Path) -> None:
    v3 = tmp_path / "v3.json"
    aas.convert(PUMP, v3)
    report = aas.validate(v3, version="2.0")
    assert not report.readable
    assert [f.rule for f in report.findings] == ["aas:version-mismatch"]
