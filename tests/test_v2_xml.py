"""AAS V2.0.1 (and V1.0) XML read into the V2 JSON form (converters/v2/xml.py).

The test models in tests/v2/ are the project's own: an XML document holding every V2 element
kind, and its JSON twin written by hand from the V2.0.1 JSON serialisation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aas.converters.v2.xml import read_v2_xml
from aas.errors import ReadError
from aas.findings import Location

HERE = Path(__file__).resolve().parent / "v2"
EVERY_KIND = (HERE / "every-kind.xml").read_bytes()

V2 = "http://www.admin-shell.io/aas/2/0"
V1 = "http://www.admin-shell.io/aas/1/0"


def _line_of(text: bytes, needle: bytes, occurrence: int = 1) -> int:
    at = -1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    return text.count(b"\n", 0, at) + 1


def test_every_v2_element_kind_reads_as_its_json_twin() -> None:
    v2, _, findings = read_v2_xml(EVERY_KIND, "every-kind.xml")
    twin = json.loads((HERE / "every-kind.json").read_text(encoding="utf-8"))
    assert v2 == twin
    assert findings == []  # the xsi:schemaLocation on the root is no model content


def test_each_list_of_the_twin_is_read_in_document_order() -> None:
    v2, _, _ = read_v2_xml(EVERY_KIND, None)
    submodel = v2["submodels"][0]
    kinds = [element["modelType"]["name"] for element in submodel["submodelElements"]]
    assert kinds == [
        "Property",
        "MultiLanguageProperty",
        "Range",
        "Blob",
        "File",
        "ReferenceElement",
        "RelationshipElement",
        "AnnotatedRelationshipElement",
        "SubmodelElementCollection",
        "Operation",
        "Capability",
        "BasicEvent",
        "Entity",
    ]


@pytest.mark.parametrize(
    ("json_pointer", "needle", "occurrence"),
    [
        ("/assetAdministrationShells/0", b"<aas:assetAdministrationShell>", 1),
        ("/assetAdministrationShells/0/identification/id", b'idType="IRI">urn:example:pumps:s', 1),
        ("/submodels/0/submodelElements/2/max", b"<aas:max>016", 1),
        ("/submodels/0/qualifiers/1/dependsOn/0/keys/0", b"pressure-ok", 1),
        ("/submodels/0/submodelElements/9/outputVariable/0/value/idShort", b">Started<", 1),
        ("/conceptDescriptions/0/embeddedDataSpecifications/0", b"<aas:embeddedData", 1),
        (
            "/conceptDescriptions/0/embeddedDataSpecifications/0/dataSpecificationContent"
            "/valueList/valueReferencePairTypes/1/value",
            b"<IEC:value>2900",
            1,
        ),
        (
            "/conceptDescriptions/0/embeddedDataSpecifications/0/dataSpecificationContent"
            "/levelType/1",
            b"<IEC:levelType>",
            2,
        ),
        # a pointer deeper than anything the XML has a place for: the nearest element
        ("/submodels/0/submodelElements/0/valueType/dataObjectType/name", b"<aas:valueType>d", 2),
    ],
)
def test_locate_gives_the_element_a_pointer_was_read_from(
    json_pointer: str, needle: bytes, occurrence: int
) -> None:
    _, locate, _ = read_v2_xml(EVERY_KIND, "every-kind.xml")
    where = locate(Location(file="every-kind.xml", pointer=json_pointer))
    assert where.line == _line_of(EVERY_KIND, needle, occurrence)
    assert where.pointer is None and where.xpath is not None
    assert where.xpath.startswith("/aas:aasenv/")


def test_the_xpath_names_positions_where_siblings_share_a_name() -> None:
    _, locate, _ = read_v2_xml(EVERY_KIND, None)
    where = locate(Location(pointer="/submodels/0/submodelElements/12/idShort"))
    assert where.xpath == (
        "/aas:aasenv/aas:submodels/aas:submodel/aas:submodelElements"
        "/aas:submodelElement[13]/aas:entity/aas:idShort"
    )
    assert locate(Location(file="f")) == Location(file="f")  # no pointer: nothing to add


def _document(body: str, namespace: str = V2) -> bytes:
    return (
        f'<aas:aasenv xmlns:aas="{namespace}" xmlns:x="urn:other">\n{body}\n</aas:aasenv>\n'
    ).encode()


def test_unknown_elements_and_attributes_are_findings_never_dropped_in_silence() -> None:
    text = _document(
        """<aas:submodels>
  <aas:submodel flavour="sweet">
    <aas:identification idType="IRI">urn:s</aas:identification>
    <aas:colour>red</aas:colour>
    <x:note>foreign</x:note>
    <aas:submodelElements>
      <aas:submodelElement><aas:gadget/></aas:submodelElement>
      <aas:submodelElement/>
    </aas:submodelElements>
  </aas:submodel>
</aas:submodels>
<aas:extras/>"""
    )
    v2, _, findings = read_v2_xml(text, "odd.xml")
    assert v2["submodels"] == [
        {
            "modelType": {"name": "Submodel"},
            "identification": {"id": "urn:s", "idType": "IRI"},
            "submodelElements": [],
        }
    ]
    seen = sorted((finding.rule, finding.location.line) for finding in findings)
    assert seen == [
        ("v2xml:unknown-attribute", 3),
        ("v2xml:unknown-element", 5),
        ("v2xml:unknown-element", 6),
        ("v2xml:unknown-element", 8),
        ("v2xml:unknown-element", 9),
        ("v2xml:unknown-element", 13),
    ]
    assert all(finding.severity.value == "warning" for finding in findings)
    assert any("colour" in finding.message for finding in findings)
    assert all(finding.location.file == "odd.xml" for finding in findings)


def test_a_repeated_single_element_keeps_the_first_and_reports_the_second() -> None:
    text = _document(
        """<aas:assets><aas:asset>
<aas:idShort>first</aas:idShort>
<aas:idShort>second</aas:idShort>
</aas:asset></aas:assets>"""
    )
    v2, _, findings = read_v2_xml(text, None)
    assert v2["assets"] == [{"modelType": {"name": "Asset"}, "idShort": "first"}]
    assert [(f.rule, f.location.line) for f in findings] == [("v2xml:unknown-element", 4)]


def test_a_boolean_that_is_none_stays_as_written_and_is_reported() -> None:
    text = _document(
        """<aas:submodels><aas:submodel><aas:submodelElements><aas:submodelElement>
<aas:submodelElementCollection><aas:idShort>c</aas:idShort>
<aas:ordered>yes</aas:ordered>
<aas:semanticId><aas:keys><aas:key type="GlobalReference" local="False" idType="IRI">u</aas:key>
</aas:keys></aas:semanticId>
</aas:submodelElementCollection></aas:submodelElement></aas:submodelElements>
</aas:submodel></aas:submodels>"""
    )
    v2, _, findings = read_v2_xml(text, None)
    collection = v2["submodels"][0]["submodelElements"][0]
    assert collection["ordered"] == "yes"
    assert collection["semanticId"]["keys"][0]["local"] == "False"
    assert [(f.rule, f.location.line) for f in findings] == [
        ("v2xml:not-boolean", 4),
        ("v2xml:not-boolean", 5),
    ]


def test_the_security_part_is_reported_as_not_read() -> None:
    text = _document(
        """<aas:assetAdministrationShells><aas:assetAdministrationShell>
<aas:idShort>s</aas:idShort>
<aas:security><aas:accessControlPolicyPoints/></aas:security>
</aas:assetAdministrationShell></aas:assetAdministrationShells>"""
    )
    v2, _, findings = read_v2_xml(text, None)
    shell = v2["assetAdministrationShells"][0]
    assert "security" not in shell
    assert [(f.rule, f.location.line) for f in findings] == [("v2xml:not-read", 4)]


def test_v1_reads_through_the_same_reader_with_its_own_names() -> None:
    text = _document(
        """<aas:conceptDescriptions><aas:conceptDescription>
<aas:identification idType="URI">urn:cd</aas:identification>
<aas:embeddedDataSpecification>
<aas:hasDataSpecification><aas:keys>
<aas:key idType="URI" type="GlobalReference" local="false">www.example.org/iec61360</aas:key>
</aas:keys></aas:hasDataSpecification>
<aas:dataSpecificationContent><aas:dataSpecificationIEC61360 xmlns:IEC="http://www.admin-shell.io/IEC61360/1/0">
<IEC:shortName>N</IEC:shortName>
</aas:dataSpecificationIEC61360></aas:dataSpecificationContent>
</aas:embeddedDataSpecification>
</aas:conceptDescription></aas:conceptDescriptions>""",
        namespace=V1,
    )
    v2, _, findings = read_v2_xml(text, None)
    assert findings == []
    specification = v2["conceptDescriptions"][0]["embeddedDataSpecifications"][0]
    assert specification["dataSpecification"]["keys"][0]["idType"] == "URI"
    assert specification["dataSpecificationContent"] == {"shortName": "N"}


def test_an_empty_environment_has_its_four_lists() -> None:
    v2, _, findings = read_v2_xml(_document(""), None)
    assert v2 == {
        "assetAdministrationShells": [],
        "assets": [],
        "submodels": [],
        "conceptDescriptions": [],
    }
    assert findings == []


def test_comments_are_reported_as_in_v3() -> None:
    v2, _, findings = read_v2_xml(_document("<!-- a note -->\n<aas:assets/>"), None)
    assert v2["assets"] == []
    assert [(f.rule, f.location.line) for f in findings] == [("xml:comment-dropped", 2)]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (b'<aas:aasenv xmlns:aas="https://admin-shell.io/aas/3/0"/>', "xml:namespace"),
        (f'<aas:submodel xmlns:aas="{V2}"/>'.encode(), "model:model-type"),
        (f'<aas:aasenv xmlns:aas="{V2}">'.encode(), "xml:syntax"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><x/>', "xml:doctype"),
    ],
)
def test_what_is_no_v2_environment_is_a_read_error(text: bytes, rule: str) -> None:
    with pytest.raises(ReadError) as raised:
        read_v2_xml(text, "bad.xml")
    assert raised.value.rule == rule
