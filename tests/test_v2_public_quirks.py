"""Quirks of older AAS files found in public repositories (issue 12), each reproduced on a small
model written for this test: the files themselves stay outside the repository."""

from __future__ import annotations

import json
from pathlib import Path

import aas
from aas.converters.v2.xml import read_v2_xml

V2 = "http://www.admin-shell.io/aas/2/0"


def _rules(findings: list[aas.Finding]) -> list[str]:
    return [finding.rule for finding in findings]


def test_a_v2_json_environment_of_empty_lists_is_told_by_its_assets_list(tmp_path: Path) -> None:
    # BaSyx Python's V2 test files: no identifiable at all, only V2's four lists (one missing).
    path = tmp_path / "empty.json"
    path.write_text('{\n\t"assetAdministrationShells": [],\n\t"assets": [],\n\t"submodels": []\n}')
    report = aas.validate(path)
    assert report.upgraded_from == "2.0.1"
    assert report.ok, [f.rule for f in report.findings]
    # In V3 an "assets" key is unknown: were it read as V3, validate would fail it.
    assert "model:unexpected-property" not in _rules(report.findings)


def test_an_assets_key_inside_a_string_does_not_make_v3_json_v2(tmp_path: Path) -> None:
    path = tmp_path / "v3.json"
    path.write_text(
        '{"submodels": [{"id": "urn:x", "modelType": "Submodel",'
        ' "idShort": "a", "description": [{"language": "en",'
        ' "text": "\\"assets\\": [ is a V2 key"}]}]}'
    )
    report = aas.validate(path)
    assert report.upgraded_from is None
    # A V3 file with an unknown "assets" list stays V3 (its modelType strings say so).
    path.write_text(
        '{"assets": [], "submodels": [{"id": "urn:x", "modelType": "Submodel", "idShort": "a"}]}'
    )
    report = aas.validate(path)
    assert report.upgraded_from is None
    assert "model:unexpected-property" in _rules(report.findings)


# The Package Explorer's V2.0 samples were indented by hand: every text sits on a line of its
# own, so that an id in <identification> and the same id in a <key> deeper down differ in
# their white space.
_LAID_OUT = f"""<?xml version="1.0" encoding="utf-8"?>
<aas:aasenv xmlns:aas="{V2}">
\t<aas:assetAdministrationShells>
\t\t<aas:assetAdministrationShell>
\t\t\t<aas:idShort>
\t\t\t\tPressShell
\t\t\t</aas:idShort>
\t\t\t<aas:identification idType="IRI">
\t\t\t\turn:example:aas:press
\t\t\t</aas:identification>
\t\t\t<aas:assetRef>
\t\t\t\t<aas:keys>
\t\t\t\t\t<aas:key idType="IRI" local="true" type="Asset">
\t\t\t\t\t\turn:example:asset:press
\t\t\t\t\t</aas:key>
\t\t\t\t</aas:keys>
\t\t\t</aas:assetRef>
\t\t\t<aas:submodelRefs>
\t\t\t\t<aas:submodelRef>
\t\t\t\t\t<aas:keys>
\t\t\t\t\t\t<aas:key idType="IRI" local="true" type="Submodel">
\t\t\t\t\t\t\turn:example:sm:press
\t\t\t\t\t\t</aas:key>
\t\t\t\t\t</aas:keys>
\t\t\t\t</aas:submodelRef>
\t\t\t</aas:submodelRefs>
\t\t</aas:assetAdministrationShell>
\t</aas:assetAdministrationShells>
\t<aas:assets>
\t\t<aas:asset>
\t\t\t<aas:idShort>Press</aas:idShort>
\t\t\t<aas:identification idType="IRI">urn:example:asset:press</aas:identification>
\t\t\t<aas:kind>Instance</aas:kind>
\t\t</aas:asset>
\t</aas:assets>
\t<aas:submodels>
\t\t<aas:submodel>
\t\t\t<aas:idShort>
\t\t\t\tForces
\t\t\t</aas:idShort>
\t\t\t<aas:identification idType="IRI">
\t\t\t\turn:example:sm:press
\t\t\t</aas:identification>
\t\t\t<aas:kind>Instance</aas:kind>
\t\t\t<aas:submodelElements>
\t\t\t\t<aas:submodelElement>
\t\t\t\t\t<aas:property>
\t\t\t\t\t\t<aas:idShort>
\t\t\t\t\t\t\tMaxForce
\t\t\t\t\t\t</aas:idShort>
\t\t\t\t\t\t<aas:kind>Instance</aas:kind>
\t\t\t\t\t\t<aas:value>
\t\t\t\t\t\t\t1200
\t\t\t\t\t\t</aas:value>
\t\t\t\t\t\t<aas:valueType>
\t\t\t\t\t\t\tint
\t\t\t\t\t\t</aas:valueType>
\t\t\t\t\t</aas:property>
\t\t\t\t</aas:submodelElement>
\t\t\t\t<aas:submodelElement>
\t\t\t\t\t<aas:property>
\t\t\t\t\t\t<aas:idShort>Label</aas:idShort>
\t\t\t\t\t\t<aas:kind>Instance</aas:kind>
\t\t\t\t\t\t<aas:value>  two spaces kept  </aas:value>
\t\t\t\t\t\t<aas:valueType>string</aas:valueType>
\t\t\t\t\t</aas:property>
\t\t\t\t</aas:submodelElement>
\t\t\t</aas:submodelElements>
\t\t</aas:submodel>
\t</aas:submodels>
\t<aas:conceptDescriptions/>
</aas:aasenv>
"""


def test_layout_around_texts_is_trimmed_once_reported_and_ids_meet_again() -> None:
    v2, _, findings = read_v2_xml(_LAID_OUT.encode(), "laid-out.xml")
    shell = v2["assetAdministrationShells"][0]
    submodel = v2["submodels"][0]
    assert shell["idShort"] == "PressShell"
    assert shell["identification"]["id"] == "urn:example:aas:press"
    assert shell["submodels"][0]["keys"][0]["value"] == submodel["identification"]["id"]
    force, label = submodel["submodelElements"]
    assert (force["value"], force["valueType"]["dataObjectType"]["name"]) == ("1200", "int")
    # White space without a line break is content, as the schema's xs:string says.
    assert label["value"] == "  two spaces kept  "
    trimmed = [f for f in findings if f.rule == "v2xml:layout-trimmed"]
    assert len(trimmed) == 1
    assert trimmed[0].severity is aas.Severity.INFO
    assert trimmed[0].message.startswith("9 texts")
    assert trimmed[0].location.line == 5  # the first one: the shell's idShort


def test_a_laid_out_v2_file_validates_without_the_errors_its_white_space_caused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "laid-out.xml"
    path.write_text(_LAID_OUT, encoding="utf-8")
    report = aas.validate(path)
    rules = _rules(report.findings)
    assert report.ok, rules
    for rule in ("v2:invented-id-short", "v2:value-type-changed", "v2schema:enum"):
        assert rule not in rules
    environment = aas.dump(aas.load(path), "json").data
    submodel = json.loads(environment)["submodels"][0]
    assert submodel["id"] == "urn:example:sm:press"
    assert [element["idShort"] for element in submodel["submodelElements"]] == [
        "MaxForce",
        "Label",
    ]


# What V2.0.1 forbade and what only V3 forbids (converters/v2/constraints.py): concept
# descriptions of a V2 JSON model written for this test, one quirk each.
_IEC61360_V2 = "http://admin-shell.io/DataSpecificationTemplates/DataSpecificationIEC61360/2/0"


def _concept(id_short: str, category: str, content: dict[str, object]) -> dict[str, object]:
    return {
        "idShort": id_short,
        "category": category,
        "identification": {"idType": "IRI", "id": f"urn:example:cd:{id_short}"},
        "modelType": {"name": "ConceptDescription"},
        "embeddedDataSpecifications": [
            {
                "dataSpecification": {
                    "keys": [
                        {
                            "type": "GlobalReference",
                            "local": False,
                            "value": _IEC61360_V2,
                            "idType": "IRI",
                        }
                    ]
                },
                "dataSpecificationContent": content,
            }
        ],
    }


def _en(text: str) -> list[dict[str, str]]:
    return [{"language": "en", "text": text}]


def _environment(*concepts: dict[str, object]) -> str:
    return json.dumps(
        {
            "assetAdministrationShells": [],
            "assets": [],
            "submodels": [],
            "conceptDescriptions": list(concepts),
        },
        indent=1,
    )


def _validated(tmp_path: Path, *concepts: dict[str, object]) -> aas.Report:
    path = tmp_path / "concepts.json"
    path.write_text(_environment(*concepts))
    return aas.validate(path)


def test_what_only_v3_forbids_is_repaired_or_an_upgrade_warning_and_the_v2_model_passes(
    tmp_path: Path,
) -> None:
    # V2.0.1's AASd-072 wanted STRING or URL for DOCUMENT (V3: FILE, BLOB, HTML): FILE is
    # chosen. V2 allowed a value next to a value list (V3: AASc-3a-010): the value goes. V2
    # asked no unit of a measure (V3: AASc-3a-009): the measure becomes a count. V2 named
    # STRING the default of a REFERENCE concept, V3 wants STRING, IRI or IRDI (AASc-3a-005).
    document = _concept(
        "Manual",
        "DOCUMENT",
        {"preferredName": _en("manual"), "definition": _en("the manual"), "dataType": "URL"},
    )
    measure = _concept(
        "Speed",
        "PROPERTY",
        {"preferredName": _en("speed"), "definition": _en("the speed"), "dataType": "REAL_MEASURE"},
    )
    both = _concept(
        "Colour",
        "PROPERTY",
        {
            "preferredName": _en("colour"),
            "definition": _en("the colour"),
            "dataType": "STRING",
            "value": "red",
            "valueList": {
                "valueReferencePairTypes": [
                    {
                        "value": "red",
                        "valueType": "string",
                        "valueId": {
                            "keys": [
                                {
                                    "type": "GlobalReference",
                                    "local": False,
                                    "value": "urn:red",
                                    "idType": "IRI",
                                }
                            ]
                        },
                    }
                ]
            },
        },
    )
    reference = _concept(
        "Link",
        "REFERENCE",
        {"preferredName": _en("link"), "definition": _en("a link"), "dataType": "INTEGER_COUNT"},
    )
    report = _validated(tmp_path, document, measure, both, reference)
    assert report.ok, [(f.rule, f.message) for f in report.findings if f.severity.value == "error"]
    content = "/embeddedDataSpecifications/0/dataSpecificationContent"
    invented = [f for f in report.findings if "FILE was chosen for URL" in f.message]
    assert [(f.rule, f.location.pointer) for f in invented] == [
        ("v2:invented", f"/conceptDescriptions/0{content}/dataType")
    ]
    lost = [f.location.pointer for f in report.findings if f.rule == "v2:not-carried"]
    # (the pair's valueType is lost too: V3's value reference pairs have none)
    assert f"/conceptDescriptions/2{content}/value" in lost
    chosen = [
        (f.location.pointer, f.message.rsplit(": ", 1)[1])
        for f in report.findings
        if f.rule == "v2:invented" and "was chosen" in f.message
    ]
    assert chosen == [
        (f"/conceptDescriptions/0{content}/dataType", "FILE was chosen for URL"),
        (f"/conceptDescriptions/1{content}/dataType", "REAL_COUNT was chosen"),
        (
            f"/conceptDescriptions/3{content}/dataType",
            "STRING (V2's default, AASd-071) was chosen for INTEGER_COUNT",
        ),
    ]
    assert "v2:upgrade-constraint" not in _rules(report.findings)
    # The V3 output: FILE, the list without the value, a count, a string: valid V3.
    out = tmp_path / "v3.json"
    aas.convert(tmp_path / "concepts.json", out)
    v3 = json.loads(out.read_text())
    contents = [
        cd["embeddedDataSpecifications"][0]["dataSpecificationContent"]
        for cd in v3["conceptDescriptions"]
    ]
    assert contents[0]["dataType"] == "FILE"
    assert "value" not in contents[2] and contents[2]["valueList"]
    assert (contents[1]["dataType"], contents[3]["dataType"]) == ("REAL_COUNT", "STRING")
    errors = [f.rule for f in aas.validate(out).findings if f.severity is aas.Severity.ERROR]
    assert errors == []


def test_v2_rules_stay_errors_and_name_their_v2_number(tmp_path: Path) -> None:
    # AASd-074 and AASd-076 of V2.0.1: a definition and a preferred name in English.
    german = _concept(
        "Drehzahl",
        "PROPERTY",
        {
            "preferredName": [{"language": "de", "text": "Drehzahl"}],
            "definition": [{"language": "de", "text": "die Drehzahl"}],
            "dataType": "STRING",
        },
    )
    report = _validated(tmp_path, german)
    assert not report.ok
    errors = {f.rule: f.message for f in report.findings if f.severity is aas.Severity.ERROR}
    definition = next(message for rule, message in errors.items() if rule.endswith("008"))
    preferred = next(message for rule, message in errors.items() if rule.endswith("002"))
    assert definition.endswith("(V2.0.1 had this rule too: AASd-074)")
    assert preferred.endswith("(V2.0.1 had this rule too: AASd-076)")
    assert "v2:upgrade-constraint" not in _rules(report.findings)


def test_a_value_concept_needs_no_definition_in_v2_but_does_in_v3(tmp_path: Path) -> None:
    # V2.0.1's exception to AASd-074 is the category VALUE; V3's (AASc-3a-008) a value set.
    # The upgrade takes the English preferred name as the definition V3 wants.
    value = _concept("Red", "VALUE", {"preferredName": _en("red"), "dataType": "STRING"})
    report = _validated(tmp_path, value)
    assert report.ok
    (invented,) = [f for f in report.findings if "as its definition" in f.message]
    assert invented.rule == "v2:invented"
    assert invented.location.pointer.endswith("/dataSpecificationContent/definition")
    v3 = json.loads(aas.dump(aas.load(tmp_path / "concepts.json"), "json").data)
    content = v3["conceptDescriptions"][0]["embeddedDataSpecifications"][0]
    assert content["dataSpecificationContent"]["definition"] == _en("red")
    # The same concept as PROPERTY was wrong in V2 already.
    prop = _concept("Red", "PROPERTY", {"preferredName": _en("red"), "dataType": "STRING"})
    assert not _validated(tmp_path, prop).ok


def test_the_category_of_a_v2_xml_concept_is_found_through_the_checks_xpath(
    tmp_path: Path,
) -> None:
    path = tmp_path / "value.xml"
    path.write_text(
        f"""<?xml version="1.0"?>
<aas:aasenv xmlns:aas="{V2}" xmlns:IEC61360="http://www.admin-shell.io/IEC61360/2/0">
<aas:conceptDescriptions><aas:conceptDescription>
<aas:idShort>Red</aas:idShort><aas:category>VALUE</aas:category>
<aas:identification idType="IRI">urn:example:cd:red</aas:identification>
<aas:embeddedDataSpecification>
<aas:dataSpecificationContent><aas:dataSpecificationIEC61360>
<IEC61360:preferredName><IEC61360:langString lang="en">red</IEC61360:langString>
</IEC61360:preferredName><IEC61360:dataType>STRING</IEC61360:dataType>
</aas:dataSpecificationIEC61360></aas:dataSpecificationContent>
<aas:dataSpecification><aas:keys><aas:key idType="IRI" local="false" type="GlobalReference"
>{_IEC61360_V2}</aas:key></aas:keys></aas:dataSpecification>
</aas:embeddedDataSpecification>
</aas:conceptDescription></aas:conceptDescriptions>
</aas:aasenv>
""",
        encoding="utf-8",
    )
    report = aas.validate(path)
    assert report.ok, [(f.rule, f.message) for f in report.findings]
    (invented,) = [f for f in report.findings if "as its definition" in f.message]
    assert invented.location.line == 7  # the V2 IEC 61360 content, where a definition goes
    assert "v2:upgrade-constraint" not in _rules(report.findings)


def test_a_constraint_v2_did_not_have_is_judged_an_upgrade_warning() -> None:
    # The safety net under the repairs: a V3-only IEC 61360 rule met by an upgraded model is
    # the upgrade's warning; V2.0.1's own rules stay errors and name their V2 number; the
    # English definition is V3-only for a V2 VALUE concept alone.
    from aas.converters.v2.constraints import judged

    where = aas.Location(pointer="/conceptDescriptions/0")
    unit = aas.Finding.of("AASc-3a-009", "no unit", where)
    assert judged(unit, lambda _: "PROPERTY").rule == "v2:upgrade-constraint"
    assert judged(unit, lambda _: "PROPERTY").severity is aas.Severity.WARNING
    definition = aas.Finding.of("AASc-008", "no definition", where)
    assert judged(definition, lambda _: "VALUE").rule == "v2:upgrade-constraint"
    kept = judged(definition, lambda _: "PROPERTY")
    assert kept.rule == "AASc-008" and kept.message.endswith("AASd-074)")
    other = aas.Finding.of("AASd-005", "revision without version", where)
    assert judged(other, lambda _: None) == other


# BaSyx Java 1.x wraps operation variables: several <operationVariable> in one <inputVariable>
# (the schema has one <value> per <inputVariable>), and its test model names one asset from
# two shells.
_WRAPPED_VARIABLES = f"""<?xml version="1.0"?>
<aas:aasenv xmlns:aas="{V2}">
<aas:assetAdministrationShells>
<aas:assetAdministrationShell><aas:idShort>first</aas:idShort>
<aas:identification idType="IRI">urn:example:aas:1</aas:identification>
<aas:assetRef><aas:keys><aas:key type="Asset" local="true" idType="IRI">urn:example:asset</aas:key>
</aas:keys></aas:assetRef></aas:assetAdministrationShell>
<aas:assetAdministrationShell><aas:idShort>second</aas:idShort>
<aas:identification idType="IRI">urn:example:aas:2</aas:identification>
<aas:assetRef><aas:keys><aas:key type="Asset" local="true" idType="IRI">urn:example:asset</aas:key>
</aas:keys></aas:assetRef></aas:assetAdministrationShell>
</aas:assetAdministrationShells>
<aas:assets><aas:asset><aas:idShort>press</aas:idShort>
<aas:description><aas:langString lang="en">a press</aas:langString></aas:description>
<aas:identification idType="IRI">urn:example:asset</aas:identification>
<aas:kind>Instance</aas:kind></aas:asset></aas:assets>
<aas:submodels><aas:submodel><aas:idShort>ops</aas:idShort>
<aas:identification idType="IRI">urn:example:sm</aas:identification>
<aas:submodelElements><aas:submodelElement><aas:operation><aas:idShort>press</aas:idShort>
<aas:inputVariable>
<aas:operationVariable><aas:value><aas:property><aas:idShort>force</aas:idShort>
<aas:valueType>double</aas:valueType></aas:property></aas:value></aas:operationVariable>
<!-- a second variable in the same inputVariable -->
<aas:operationVariable><aas:value><aas:property><aas:idShort>speed</aas:idShort>
<aas:valueType>double</aas:valueType></aas:property></aas:value></aas:operationVariable>
</aas:inputVariable>
<aas:inputVariable><aas:value><aas:property><aas:idShort>stroke</aas:idShort>
<aas:valueType>double</aas:valueType></aas:property></aas:value></aas:inputVariable>
<aas:outputVariable><aas:operationVariable><aas:value><aas:property><aas:idShort>done</aas:idShort>
<aas:valueType>boolean</aas:valueType></aas:property></aas:value></aas:operationVariable>
</aas:outputVariable>
</aas:operation></aas:submodelElement></aas:submodelElements>
</aas:submodel></aas:submodels>
</aas:aasenv>
"""


def test_wrapped_operation_variables_are_each_read_in_order() -> None:
    v2, locate, findings = read_v2_xml(_WRAPPED_VARIABLES.encode(), "ops.xml")
    operation = v2["submodels"][0]["submodelElements"][0]
    names = {
        key: [variable["value"]["idShort"] for variable in operation[key]]
        for key in ("inputVariable", "outputVariable")
    }
    assert names == {"inputVariable": ["force", "speed", "stroke"], "outputVariable": ["done"]}
    assert "v2xml:unknown-element" not in _rules(findings)
    assert _rules(findings).count("xml:comment-dropped") == 1
    # The second variable is located at its own wrapper, not at the first one.
    where = locate(aas.Location(pointer="/submodels/0/submodelElements/0/inputVariable/1"))
    lines = _WRAPPED_VARIABLES.splitlines()
    assert where.line == 1 + next(n for n, line in enumerate(lines) if "speed" in line)


def test_an_asset_two_shells_name_reports_what_it_loses_once(tmp_path: Path) -> None:
    path = tmp_path / "ops.xml"
    path.write_text(_WRAPPED_VARIABLES, encoding="utf-8")
    model = aas.load(path)
    lost = [f.message for f in model.findings if f.rule == "v2:not-carried"]
    assert sum("Asset's 'description'" in message for message in lost) == 1
    assert sum("Asset's 'idShort'" in message for message in lost) == 1


def test_v1_json_single_lang_string_and_plain_short_name_are_kept(tmp_path: Path) -> None:
    # The Package Explorer's V1.0 JSON sample writes preferredName as one {language, text}
    # object and shortName as a plain string; both were lost before.
    concept = _concept(
        "Torque",
        "PROPERTY",
        {
            "preferredName": {"language": "EN", "text": "torque"},
            "shortName": "M",
            "definition": _en("the torque"),
            "dataType": "STRING",
        },
    )
    path = tmp_path / "v1.json"
    path.write_text(_environment(concept))
    report = aas.validate(path)
    assert report.ok, [(f.rule, f.message) for f in report.findings]
    wrapped = [f for f in report.findings if f.rule == "v2:lang-string-set"]
    assert [f.location.pointer for f in wrapped] == [
        "/conceptDescriptions/0/embeddedDataSpecifications/0/dataSpecificationContent/" + key
        for key in ("preferredName", "shortName")
    ]
    v3 = json.loads(aas.dump(aas.load(path), "json").data)
    content = v3["conceptDescriptions"][0]["embeddedDataSpecifications"][0][
        "dataSpecificationContent"
    ]
    assert content["preferredName"] == [{"language": "EN", "text": "torque"}]
    assert content["shortName"] == [{"language": "und", "text": "M"}]
    assert "v2:not-carried" not in _rules(report.findings)


def test_a_release_candidate_asset_information_in_a_v2_shell_is_read(tmp_path: Path) -> None:
    # BaSyx Python's test files of the V3.0 release candidate time: a V2 shell (identification,
    # modelType object) holding assetInformation with a reference as its global asset id.
    shell = {
        "identification": {"id": "urn:example:aas:rc", "idType": "IRI"},
        "idShort": "rc",
        "modelType": {"name": "AssetAdministrationShell"},
        "assetInformation": {
            "assetKind": "Type",
            "globalAssetId": {
                "keys": [{"type": "GlobalReference", "idType": "IRI", "value": "urn:asset:rc"}]
            },
            "externalAssetIds": [{"key": "serial", "value": "0042"}],
            "billOfMaterial": [
                {"keys": [{"type": "Submodel", "idType": "IRI", "value": "urn:sm:bom"}]}
            ],
        },
    }
    path = tmp_path / "rc.json"
    path.write_text(json.dumps({"assetAdministrationShells": [shell], "assets": []}))
    expected = {
        "assetKind": "Type",
        "globalAssetId": "urn:asset:rc",
        "specificAssetIds": [{"name": "serial", "value": "0042"}],
    }
    # By its shape (an identification object beside assetInformation) it is a V3.0RC01 draft,
    # read as V3.0; forced as V2 the upgrade reads the same asset information.
    report = aas.validate(path)
    assert report.ok, [(f.rule, f.message) for f in report.findings]
    assert "json:pre-release-shape" in _rules(report.findings)
    dropped = [f.message for f in report.findings if f.rule == "json:pre-release-dropped"]
    assert len(dropped) == 1 and "billOfMaterial" in dropped[0]
    v3 = json.loads(aas.dump(aas.load(path), "json").data)
    assert v3["assetAdministrationShells"][0]["assetInformation"] == expected

    report = aas.validate(path, version="2.0")
    assert report.ok, [(f.rule, f.message) for f in report.findings]
    assert "v2:pre-release-asset-information" in _rules(report.findings)
    lost = [f.location.pointer for f in report.findings if f.rule == "v2:not-carried"]
    assert lost == ["/assetAdministrationShells/0/assetInformation/billOfMaterial"]
    v3 = json.loads(aas.dump(aas.load(path, version="2.0"), "json").data)
    assert v3["assetAdministrationShells"][0]["assetInformation"] == expected


# BaSyx Python's test files of the V3.0 drafts: empty lists in the pre-release namespace.
_EMPTY_DRAFT = """<?xml version='1.0' encoding='UTF-8'?>
<aas:aasenv xmlns:aas="http://www.admin-shell.io/aas/3/0">
\t<aas:assetAdministrationShells/>
\t<aas:submodels>
\t\t<aas:submodel>
\t\t\t<aas:idShort>empty</aas:idShort>
\t\t\t<aas:identification idType="IRI">urn:example:sm:empty</aas:identification>
\t\t\t<aas:submodelElements>
\t\t\t</aas:submodelElements>
\t\t</aas:submodel>
\t</aas:submodels>
\t<aas:conceptDescriptions/>
</aas:aasenv>
"""


def test_empty_lists_of_the_drafts_are_left_out_and_named(tmp_path: Path) -> None:
    path = tmp_path / "draft.xml"
    path.write_text(_EMPTY_DRAFT, encoding="utf-8")
    report = aas.validate(path)
    assert report.ok, [(f.rule, f.message) for f in report.findings]
    (empty,) = [f for f in report.findings if f.rule == "xml:pre-release-empty-list"]
    assert empty.severity is aas.Severity.WARNING
    assert "3 times" in empty.message
    for name in ("assetAdministrationShells", "submodelElements", "conceptDescriptions"):
        assert name in empty.message
    v3 = json.loads(aas.dump(aas.load(path), "json").data)
    assert v3 == {
        "submodels": [{"idShort": "empty", "id": "urn:example:sm:empty", "modelType": "Submodel"}]
    }


def test_an_asset_written_whole_inside_its_shell_is_the_shells_asset(tmp_path: Path) -> None:
    # BaSyx Java 1.x's JSON puts the Asset object where V2 has a reference to it.
    shell = {
        "identification": {"idType": "Custom", "id": "example.shell"},
        "idShort": "shell",
        "modelType": {"name": "AssetAdministrationShell"},
        "asset": {
            "identification": {"idType": "Custom", "id": "example.oven"},
            "idShort": "oven",
            "kind": "Type",
            "modelType": {"name": "Asset"},
        },
    }
    path = tmp_path / "lone.json"
    path.write_text(json.dumps(shell))
    report = aas.validate(path)
    rules = _rules(report.findings)
    assert "AASd-131" not in rules
    changed = [f.message for f in report.findings if f.rule == "v2:reference-changed"]
    assert any("holds the Asset 'example.oven' itself" in message for message in changed)
    v3 = json.loads(aas.dump(aas.load(path), "json").data)  # a lone shell stays one
    assert v3["assetInformation"] == {"assetKind": "Type", "globalAssetId": "example.oven"}


def test_a_document_data_type_v2_forbade_too_stays_an_error(tmp_path: Path) -> None:
    # AASd-072 of V2.0.1 wanted STRING or URL for DOCUMENT: INTEGER_COUNT was wrong there too.
    document = _concept(
        "Manual",
        "DOCUMENT",
        {
            "preferredName": _en("manual"),
            "definition": _en("the manual"),
            "dataType": "INTEGER_COUNT",
        },
    )
    report = _validated(tmp_path, document)
    assert not report.ok
    (error,) = [f for f in report.findings if f.severity is aas.Severity.ERROR]
    assert error.rule.endswith("006")
    assert error.message.endswith("(V2.0.1 had this rule too: AASd-072)")
