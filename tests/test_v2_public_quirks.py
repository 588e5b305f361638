"""Quirks of older AAS files found in public repositories (issue 12), each reproduced on a small
model written for this test: the files themselves stay outside the repository."""

from __future__ import annotations

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
    assert trimmed[0].message.startswith("9 text(s)")
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
    model = aas.load(path)
    submodel = model.root.submodels[0]
    assert submodel.id == "urn:example:sm:press"
    assert [element.id_short for element in submodel.submodel_elements] == ["MaxForce", "Label"]
