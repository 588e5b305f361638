"""The JSON of the drafts of V3.0 (V3.0RC01, V3.0RC02) told by its shape and read as V3.0.

The documents are written for these tests after the shape the drafts' JSON schemas gave (RC01:
``identification`` and ``modelType {"name": ...}`` as in V2, with V3's ``assetInformation`` and
keys without ``local``; RC02: V3's ``id`` and ``modelType`` strings, references typed
``GlobalReference``, ``globalAssetId`` a reference). Each test checks the value read and the
warning that names the difference, at the pointer (and line) of its first place.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import aas_core3.types as t30
import pytest

import aas
from aas.converters.json.prerelease import is_pre_release
from aas.converters.v2.detect import is_v2_json
from aas.errors import ReadError
from aas.findings import Finding, Severity

from conftest import run_cli

Json = dict[str, Any]


def _key(kind: str, value: str) -> Json:
    return {"type": kind, "idType": "IRI", "value": value}


def _rc01_reference(kind: str, value: str) -> Json:
    return {"keys": [_key(kind, value)]}


def _rc01_submodel(*elements: Json, **extra: Any) -> Json:
    return {
        "idShort": "sm",
        "identification": {"idType": "IRI", "id": "http://example.com/sm/1"},
        "modelType": {"name": "Submodel"},
        **extra,
        "submodelElements": list(elements),
    }


def _rc01_shell(**asset_information: Any) -> Json:
    return {
        "idShort": "shell",
        "identification": {"idType": "IRI", "id": "http://example.com/aas/1"},
        "modelType": {"name": "AssetAdministrationShell"},
        "assetInformation": {"assetKind": "Instance", **asset_information},
        "submodels": [_rc01_reference("Submodel", "http://example.com/sm/1")],
    }


def _text(document: Json) -> bytes:
    return json.dumps(document, indent=2).encode()


def _load(document: Json, **options: Any) -> aas.Model:
    return aas.load(_text(document), format="json", **options)


def _only(model: aas.Model, rule: str) -> Finding:
    found = [f for f in model.findings if f.rule == rule]
    assert len(found) == 1, [f.rule for f in model.findings]
    assert found[0].severity is Severity.WARNING
    return found[0]


def _environment(model: aas.Model) -> t30.Environment:
    assert str(model.version) == "3.0"
    assert isinstance(model.root, t30.Environment)
    return model.root


def _submodel(model: aas.Model) -> t30.Submodel:
    submodels = _environment(model).submodels
    assert submodels
    return submodels[0]


def _line_of(document: Json, text: str) -> int:
    lines = _text(document).decode().split("\n")
    return next(number for number, line in enumerate(lines, 1) if text in line)


# region telling the shape


def test_rc01_is_told_from_v2_by_its_asset_information_and_keys() -> None:
    rc01 = _text({"assetAdministrationShells": [_rc01_shell()], "submodels": []})
    assert is_v2_json(rc01) and is_pre_release(rc01)
    v2_shell = {
        "idShort": "shell",
        "identification": {"idType": "IRI", "id": "http://example.com/aas/1"},
        "modelType": {"name": "AssetAdministrationShell"},
        "asset": {"keys": [{**_key("Asset", "http://example.com/a"), "local": True}]},
    }
    v2 = _text({"assetAdministrationShells": [v2_shell], "assets": []})
    assert is_v2_json(v2) and not is_pre_release(v2)


def test_rc02_is_told_by_a_reference_typed_global_reference() -> None:
    rc02 = {"type": "GlobalReference", "keys": [{"type": "GlobalReference", "value": "x"}]}
    v30 = {"type": "ExternalReference", "keys": [{"type": "GlobalReference", "value": "x"}]}
    submodel = {"id": "urn:x", "modelType": "Submodel"}
    assert is_pre_release(_text({"submodels": [{**submodel, "semanticId": rc02}]}))
    assert not is_pre_release(_text({"submodels": [{**submodel, "semanticId": v30}]}))


def test_v3_json_and_v2_json_are_read_as_before() -> None:
    v30 = {
        "submodels": [
            {
                "id": "urn:x",
                "modelType": "Submodel",
                "semanticId": {
                    "type": "ExternalReference",
                    "keys": [{"type": "GlobalReference", "value": "urn:s"}],
                },
            }
        ]
    }
    model = _load(v30)
    assert not [f for f in model.findings if f.rule.startswith("json:pre-release")]


# endregion

# region RC01


def test_rc01_identification_and_model_type_are_read_as_v3() -> None:
    document = {"submodels": [_rc01_submodel()], "assetAdministrationShells": [_rc01_shell()]}
    model = _load(document)
    assert _submodel(model).id == "http://example.com/sm/1"
    found = _only(model, "json:pre-release-identification")
    assert found.location.pointer == "/submodels/0/identification"
    assert found.location.line == _line_of(document, '"identification"')
    assert "2 times" in found.message
    assert _only(model, "json:pre-release-model-type").location.pointer == "/submodels/0/modelType"
    assert _only(model, "json:pre-release-shape").location.pointer == ""


def test_rc01_references_get_a_type_and_lose_id_type() -> None:
    document = {
        "submodels": [
            _rc01_submodel(
                semanticId=_rc01_reference("GlobalReference", "http://example.com/sem"),
            )
        ],
        "assetAdministrationShells": [_rc01_shell()],
    }
    model = _load(document)
    semantic = _submodel(model).semantic_id
    assert semantic is not None
    assert semantic.type is t30.ReferenceTypes.EXTERNAL_REFERENCE
    assert semantic.keys[0].value == "http://example.com/sem"
    shell = _environment(model).asset_administration_shells
    assert shell and shell[0].submodels
    assert shell[0].submodels[0].type is t30.ReferenceTypes.MODEL_REFERENCE
    assert "2 times" in _only(model, "json:pre-release-reference-type").message
    assert "idType" in _only(model, "json:pre-release-key").message


def test_rc01_asset_key_type_is_read_as_global_reference() -> None:
    element = {
        "idShort": "link",
        "modelType": {"name": "ReferenceElement"},
        "value": _rc01_reference("Asset", "http://example.com/asset"),
    }
    model = _load(
        {"submodels": [_rc01_submodel(element)], "assetAdministrationShells": [_rc01_shell()]}
    )
    value = _submodel(model).submodel_elements[0]  # type: ignore[index]
    assert isinstance(value, t30.ReferenceElement) and value.value is not None
    assert value.value.keys[0].type is t30.KeyTypes.GLOBAL_REFERENCE
    assert value.value.type is t30.ReferenceTypes.EXTERNAL_REFERENCE
    found = _only(model, "json:pre-release-key-type")
    assert "(Asset)" in found.message
    assert found.location.pointer == "/submodels/0/submodelElements/0/value/keys/0/type"


def test_rc01_asset_information() -> None:
    shell = _rc01_shell(
        globalAssetId=_rc01_reference("Asset", "http://example.com/asset/1"),
        externalAssetIds=[
            {
                "key": "serial",
                "value": "0042",
                "subjectId": _rc01_reference("GlobalReference", "http://example.com/maker"),
            }
        ],
        thumbnail={
            "idShort": "t",
            "modelType": {"name": "File"},
            "mimeType": "image/png",
            "value": "/thumb.png",
        },
    )
    document = {"assetAdministrationShells": [shell], "submodels": [_rc01_submodel()]}
    model = _load(document)
    shells = _environment(model).asset_administration_shells
    assert shells
    information = shells[0].asset_information
    assert information.global_asset_id == "http://example.com/asset/1"
    assert information.specific_asset_ids
    pair = information.specific_asset_ids[0]
    assert (pair.name, pair.value) == ("serial", "0042")
    assert pair.external_subject_id is not None
    assert pair.external_subject_id.keys[0].value == "http://example.com/maker"
    assert information.default_thumbnail is not None
    assert information.default_thumbnail.path == "/thumb.png"
    assert information.default_thumbnail.content_type == "image/png"
    at = "/assetAdministrationShells/0/assetInformation"
    assert (
        _only(model, "json:pre-release-global-asset-id").location.pointer == f"{at}/globalAssetId"
    )
    assert _only(model, "json:pre-release-thumbnail").location.pointer == f"{at}/thumbnail"
    found = _only(model, "json:pre-release-specific-asset-id")
    assert found.location.pointer == f"{at}/externalAssetIds"
    assert found.location.line == _line_of(document, '"externalAssetIds"')


def test_rc01_elements_kind_value_type_mime_type_and_operation_variables() -> None:
    speed = {
        "idShort": "speed",
        "modelType": {"name": "Property"},
        "kind": "Instance",
        "valueType": "double",
        "value": "3.50",
        "qualifiers": [
            {
                "modelType": {"name": "Qualifier"},
                "type": "unit",
                "valueType": "string",
                "value": "m/s",
                "kind": "ConceptQualifier",
            }
        ],
    }
    manual = {
        "idShort": "manual",
        "modelType": {"name": "File"},
        "mimeType": "application/pdf",
        "value": "/aasx/manual.pdf",
    }
    start = {
        "idShort": "start",
        "modelType": {"name": "Operation"},
        "inputVariable": [
            {"value": {"idShort": "n", "modelType": {"name": "Property"}, "valueType": "anyUri"}}
        ],
    }
    document = {
        "submodels": [_rc01_submodel(speed, manual, start, kind="Template")],
        "assetAdministrationShells": [_rc01_shell()],
    }
    model = _load(document)
    submodel = _submodel(model)
    assert submodel.kind is t30.ModellingKind.TEMPLATE  # a submodel's kind stays
    elements = submodel.submodel_elements
    assert elements
    prop, file, operation = elements
    assert isinstance(prop, t30.Property)
    assert prop.value_type is t30.DataTypeDefXSD.DOUBLE and prop.value == "3.50"
    assert prop.qualifiers and prop.qualifiers[0].kind is t30.QualifierKind.CONCEPT_QUALIFIER
    assert prop.qualifiers[0].value_type is t30.DataTypeDefXSD.STRING
    assert isinstance(file, t30.File) and file.content_type == "application/pdf"
    assert isinstance(operation, t30.Operation) and operation.input_variables
    variable = operation.input_variables[0].value
    assert isinstance(variable, t30.Property) and variable.value_type is t30.DataTypeDefXSD.ANY_URI
    kind = _only(model, "json:pre-release-kind")
    assert kind.location.pointer == "/submodels/0/submodelElements/0/kind"
    value_type = _only(model, "json:pre-release-value-type")
    assert "3 times" in value_type.message and "anyUri" in value_type.message
    variables = _only(model, "json:pre-release-operation-variable")
    assert variables.location.pointer == "/submodels/0/submodelElements/2/inputVariable"
    assert _only(model, "json:pre-release-mime-type").location.line == _line_of(
        document, '"mimeType"'
    )


def test_rc01_iec61360_content() -> None:
    content = {
        "preferredName": [{"language": "en", "text": "speed"}],
        "definition": [{"language": "en", "text": "how fast"}],
        "dataType": "URL",
        "levelType": ["Min", "Max"],
        "valueList": {
            "valueReferencePairTypes": [
                {
                    "value": "fast",
                    "valueType": "string",
                    "valueId": _rc01_reference("GlobalReference", "http://example.com/fast"),
                }
            ]
        },
    }
    concept = {
        "idShort": "speed",
        "identification": {"idType": "IRI", "id": "http://example.com/cd/speed"},
        "modelType": {"name": "ConceptDescription"},
        "embeddedDataSpecifications": [
            {
                "hasDataSpecification": _rc01_reference(
                    "GlobalReference", "http://example.com/iec"
                ),
                "dataSpecificationContent": content,
            }
        ],
    }
    document = {"conceptDescriptions": [concept], "assetAdministrationShells": [_rc01_shell()]}
    model = _load(document)
    concepts = _environment(model).concept_descriptions
    assert concepts and concepts[0].embedded_data_specifications
    embedded = concepts[0].embedded_data_specifications[0]
    assert embedded.data_specification.keys[0].value == "http://example.com/iec"
    iec = embedded.data_specification_content
    assert isinstance(iec, t30.DataSpecificationIEC61360)
    assert iec.data_type is t30.DataTypeIEC61360.IRI
    assert iec.level_type is not None
    level = iec.level_type
    assert (level.min, level.nom, level.typ, level.max) == (True, False, False, True)
    assert iec.value_list is not None
    pair = iec.value_list.value_reference_pairs[0]
    assert pair.value == "fast" and pair.value_id is not None
    at = "/conceptDescriptions/0/embeddedDataSpecifications/0/dataSpecificationContent"
    assert _only(model, "json:pre-release-level-type").location.pointer == f"{at}/levelType"
    assert _only(model, "json:pre-release-data-type").location.pointer == f"{at}/dataType"
    pairs = _only(model, "json:pre-release-value-reference-pairs")
    assert pairs.location.pointer == f"{at}/valueList/valueReferencePairTypes"
    assert "2 times" in pairs.message  # the list renamed, and one entry's valueType
    assert "2 times" in _only(model, "json:pre-release-data-specification").message


def test_rc01_event_gets_direction_and_state() -> None:
    event = {
        "idShort": "changed",
        "modelType": {"name": "BasicEventElement"},
        "observed": _rc01_reference("Submodel", "http://example.com/sm/1"),
    }
    model = _load(
        {"submodels": [_rc01_submodel(event)], "assetAdministrationShells": [_rc01_shell()]}
    )
    element = _submodel(model).submodel_elements[0]  # type: ignore[index]
    assert isinstance(element, t30.BasicEventElement)
    assert element.direction is t30.Direction.OUTPUT and element.state is t30.StateOfEvent.OFF
    assert "direction=output" in _only(model, "json:pre-release-event").message


# endregion

# region RC02


def _rc02_global(value: str) -> Json:
    return {"type": "GlobalReference", "keys": [{"type": "GlobalReference", "value": value}]}


def test_rc02_global_references_global_asset_id_and_entity() -> None:
    entity = {
        "idShort": "part",
        "modelType": "Entity",
        "kind": "Instance",
        "entityType": "SelfManagedEntity",
        "specificAssetId": {
            "name": "serial",
            "value": "7",
            "externalSubjectId": _rc02_global("http://example.com/maker"),
        },
    }
    submodel = {
        "id": "http://example.com/sm/2",
        "modelType": "Submodel",
        "checksum": "c0ffee",
        "semanticId": _rc02_global("http://example.com/sem"),
        "submodelElements": [entity],
    }
    shell = {
        "id": "http://example.com/aas/2",
        "modelType": "AssetAdministrationShell",
        "assetInformation": {"assetKind": "Type", "globalAssetId": _rc02_global("urn:asset:2")},
    }
    document = {"assetAdministrationShells": [shell], "submodels": [submodel]}
    model = _load(document)
    environment = _environment(model)
    assert environment.asset_administration_shells
    assert environment.asset_administration_shells[0].asset_information.global_asset_id == (
        "urn:asset:2"
    )
    sm = _submodel(model)
    assert sm.semantic_id is not None
    assert sm.semantic_id.type is t30.ReferenceTypes.EXTERNAL_REFERENCE
    part = sm.submodel_elements[0]  # type: ignore[index]
    assert isinstance(part, t30.Entity) and part.specific_asset_ids
    assert part.specific_asset_ids[0].value == "7"
    found = _only(model, "json:pre-release-specific-asset-id")
    assert found.location.pointer == "/submodels/0/submodelElements/0/specificAssetId"
    dropped = _only(model, "json:pre-release-dropped")
    assert "(checksum)" in dropped.message and dropped.location.pointer == "/submodels/0/checksum"
    assert "identification" not in {f.rule for f in model.findings}
    # the semanticId and the externalSubjectId; the globalAssetId became an identifier
    assert "2 times" in _only(model, "json:pre-release-reference-type").message


def test_a_later_finding_is_located_in_the_original_text() -> None:
    # the renamed operation variables: a constraint broken inside is found at its old place
    start = {
        "idShort": "start",
        "modelType": "Operation",
        "semanticId": _rc02_global("urn:sem"),
        "inputVariable": [
            {"value": {"idShort": "1bad", "modelType": "Property", "valueType": "xs:int"}}
        ],
    }
    document = {
        "submodels": [{"id": "urn:sm", "modelType": "Submodel", "submodelElements": [start]}]
    }
    report = aas.validate(_text(document), format="json")
    bad = [
        f
        for f in report.findings
        if f.location.pointer
        and "1bad" not in f.message
        and f.location.pointer.endswith("/idShort")
    ]
    assert bad, [(f.rule, f.location.pointer) for f in report.findings]
    assert bad[0].location.pointer == (
        "/submodels/0/submodelElements/0/inputVariable/0/value/idShort"
    )
    assert bad[0].location.line == _line_of(document, '"1bad"')


def test_the_version_asked_for() -> None:
    document = {
        "submodels": [
            {"id": "urn:sm", "modelType": "Submodel", "semanticId": _rc02_global("urn:sem")}
        ]
    }
    assert str(_load(document, version="3.0").version) == "3.0"
    with pytest.raises(ReadError) as raised:
        _load(document, version="3.1")
    assert raised.value.rule == "aas:version-mismatch"
    assert "draft of V3.0" in raised.value.message


def test_the_cli_converts_a_draft_to_v3_1(tmp_path: Any) -> None:
    source = tmp_path / "rc02.json"
    source.write_bytes(
        _text(
            {
                "submodels": [
                    {"id": "urn:sm", "modelType": "Submodel", "semanticId": _rc02_global("urn:sem")}
                ]
            }
        )
    )
    target = tmp_path / "out.json"
    result = run_cli("convert", str(source), str(target), "--to-version", "3.1")
    assert result.returncode == 0, result.stderr
    written = json.loads(target.read_text())
    assert written["submodels"][0]["semanticId"]["type"] == "ExternalReference"


# endregion


def _package(spec: bytes) -> bytes:
    """A package of that time (V2's relationship types) holding a draft's JSON."""
    rels = "http://www.admin-shell.io/aasx/relationships/"
    ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    types = "http://schemas.openxmlformats.org/package/2006/content-types"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0" encoding="utf-8"?><Types xmlns="{types}"><Default '
            'Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="json" ContentType="text/json"/>'
            '<Default Extension="origin" ContentType="text/plain"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{ns}"><Relationship Type="{rels}aasx-origin" '
            'Target="/aasx/aasx-origin" Id="R1"/></Relationships>',
        )
        archive.writestr("aasx/aasx-origin", "Intentionally empty.")
        archive.writestr(
            "aasx/_rels/aasx-origin.rels",
            f'<Relationships xmlns="{ns}"><Relationship Type="{rels}aas-spec" '
            'Target="/aasx/data/data.json" Id="R2"/></Relationships>',
        )
        archive.writestr("aasx/data/data.json", spec)
    return buffer.getvalue()


def test_a_package_of_that_time_holding_a_draft_s_json() -> None:
    document = {"submodels": [_rc01_submodel()], "assetAdministrationShells": [_rc01_shell()]}
    model = aas.load(_package(_text(document)), format="aasx")
    assert _submodel(model).id == "http://example.com/sm/1"
    rules = {f.rule for f in model.findings}
    assert {"json:pre-release-shape", "json:pre-release-identification"} <= rules


def test_empty_lists_of_the_drafts_are_left_out_and_said_once() -> None:
    # BaSyx Python of the RC01 time wrote "submodels": [] and "conceptDescriptions": []; V3.0
    # has a list with items or none. An empty keys list stays, to be reported as an error.
    document = {
        "assetAdministrationShells": [_rc01_shell()],
        "submodels": [],
        "conceptDescriptions": [],
    }
    model = _load(document)
    finding = _only(model, "json:pre-release-empty-list")
    assert finding.severity is Severity.WARNING
    assert finding.location.pointer == "/submodels"
    assert "2 times" in finding.message and "conceptDescriptions" in finding.message
    environment = _environment(model)
    assert environment.submodels is None and environment.concept_descriptions is None
    assert not [f for f in model.findings if f.rule.endswith("min-items")]
    report = aas.validate(_text(document))
    errors = {f.rule for f in report.findings if f.severity is Severity.ERROR}
    assert not {rule for rule in errors if "min-items" in rule or "minItems" in rule}, errors
