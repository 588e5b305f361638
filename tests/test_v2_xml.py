"""AAS V2.0.1 (and V1.0) XML read into the V2 JSON form (converters/v2/xml.py).

The test models in tests/v2/ are the project's own: an XML document holding every V2 element
kind, and its JSON twin written by hand from the V2.0.1 JSON serialisation."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import aas_core3_1.types as t31
import pytest

import aas
from aas.codec import Check, ReadContext
from aas.converters.aasx.format import CODEC as AASX_CODEC
from aas.converters.v2.xml import read_v2_xml
from aas.converters.xml.format import CODEC as XML_CODEC
from aas.errors import ReadError
from aas.findings import Location
from aas.model import Model
from aas.versions import Version

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
    # V1.0's short name is a plain string; V3's a language string set
    assert [(f.rule, f.location.line, f.severity.name) for f in findings] == [
        ("v2:invented-language", 9, "INFO")
    ]
    specification = v2["conceptDescriptions"][0]["embeddedDataSpecifications"][0]
    assert specification["dataSpecification"]["keys"][0]["idType"] == "URI"
    assert specification["dataSpecificationContent"] == {
        "shortName": [{"language": "und", "text": "N"}]
    }


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


# The XML and AASX readers hand a V2 document to converters.v2.build (its upgrade, tested in
# test_v2_upgrade.py). Here the upgrade's entry is wrapped to record what it is given, so that
# the detection and the package's handling are checked on their own.


class _Upgrade:
    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls: list[tuple[dict[str, object], Any, ReadContext, Version]] = []
        self.source_versions: list[str] = []

    def build_model(
        self,
        v2: dict[str, object],
        context: ReadContext,
        locate: Any,
        target: Version,
        source_version: str = "2.0.1",
    ) -> Model:
        self.calls.append((v2, locate, context, target))
        self.source_versions.append(source_version)
        model: Model = self.real(v2, context, locate, target, source_version)
        return model


@pytest.fixture
def upgrade(monkeypatch: pytest.MonkeyPatch) -> _Upgrade:
    from aas.converters.v2 import build

    recorder = _Upgrade(build.build_model)
    monkeypatch.setattr(build, "build_model", recorder.build_model)
    return recorder


@pytest.mark.parametrize("schema", [False, True])
def test_the_xml_format_hands_a_v2_document_to_the_upgrade(upgrade: _Upgrade, schema: bool) -> None:
    text = EVERY_KIND.replace(b"<aas:assets>", b"<!-- a note -->\n<aas:assets>", 1)
    checks = frozenset({Check.SCHEMA}) if schema else frozenset()
    context = ReadContext(source="every-kind.xml", checks=checks)
    document = XML_CODEC.parse(text, context)
    model = XML_CODEC.build(document, context)
    [(v2, locate, given, target)] = upgrade.calls
    assert v2 == json.loads((HERE / "every-kind.json").read_text(encoding="utf-8"))
    assert target is Version.V3_1 and given is context
    where = locate(Location(pointer="/submodels/0/submodelElements/2/max"))
    assert where.line == _line_of(text, b"<aas:max>016")
    # what reading the XML noticed comes first, then what the upgrade reports
    rules = [f.rule for f in model.findings]
    assert rules[0] == "xml:comment-dropped" and "v2:upgraded" in rules
    assert all(rule.startswith("v2:") for rule in rules[1:])
    assert XML_CODEC.check_schema(document, context) == []  # V2's schema: nothing to say


def test_the_version_asked_for_is_the_upgrades_target(upgrade: _Upgrade) -> None:
    context = ReadContext(source="a.xml", upgrade_to=Version.V3_0)
    model = XML_CODEC.build(XML_CODEC.parse(_document("<aas:assets/>", V1), context), context)
    assert [call[3] for call in upgrade.calls] == [Version.V3_0]
    assert model.version is Version.V3_0


@pytest.mark.parametrize(("namespace", "named"), [(V1, "1.0"), (V2, "2.0.1")])
def test_the_model_names_the_version_the_file_was_written_in(
    upgrade: _Upgrade, namespace: str, named: str
) -> None:
    # V1.0 is read through the V2 form, yet a V1.0 file is no V2.0.1 file
    context = ReadContext(source="a.xml")
    text = _document("<aas:assets/>", namespace)
    model = XML_CODEC.build(XML_CODEC.parse(text, context), context)
    assert upgrade.source_versions == [named] and model.upgraded_from == named
    [upgraded] = [f for f in model.findings if f.rule == "v2:upgraded"]
    assert upgraded.message.startswith(f"read as AAS V{named} and upgraded to V3.1")
    with pytest.raises(ReadError, match=rf"is AAS V{named} XML \(by its namespace\)"):
        asked = ReadContext(source="a.xml", version=Version.V3_0)
        XML_CODEC.build(XML_CODEC.parse(text, asked), asked)


def test_v3_xml_does_not_reach_the_upgrade(upgrade: _Upgrade) -> None:
    text = b'<environment xmlns="https://admin-shell.io/aas/3/1"/>'
    context = ReadContext(source="v3.xml")
    model = XML_CODEC.build(XML_CODEC.parse(text, context), context)
    assert model.version is Version.V3_1 and upgrade.calls == []


_OLD_RELS = "http://www.admin-shell.io/aasx/relationships/"
_SPEC = "/aasx/aasenv-with-no-id/aasenv-with-no-id.aas.xml"
_PDF = b"%PDF-1.4\n% a manual\n%%EOF\n"
_PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))


def _rels(*relationships: tuple[str, str, str]) -> str:
    items = "".join(
        f'<Relationship Type="{kind}" Target="{target}" Id="{rid}"/>'
        for kind, target, rid in relationships
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><Relationships xmlns='
        f'"http://schemas.openxmlformats.org/package/2006/relationships">{items}</Relationships>'
    )


def _v2_package() -> bytes:
    """A package as V2 tools wrote it: the relationship types with ``www.``, the spec part
    under ``/aasx/aasenv-with-no-id/``, a supplementary file and a thumbnail."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="utf-8"?><Types xmlns='
            '"http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="text/xml"/>'
            '<Default Extension="pdf" ContentType="application/pdf"/>'
            '<Default Extension="png" ContentType="image/png"/>'
            '<Override PartName="/aasx/aasx-origin" ContentType="text/plain"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            _rels(
                (_OLD_RELS + "aasx-origin", "/aasx/aasx-origin", "R1"),
                (
                    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                    "thumbnail",
                    "/pump.png",
                    "R2",
                ),
            ),
        )
        archive.writestr("aasx/aasx-origin", "Intentionally empty.")
        archive.writestr(
            "aasx/_rels/aasx-origin.rels", _rels((_OLD_RELS + "aas-spec", _SPEC, "R3"))
        )
        archive.writestr(_SPEC[1:], EVERY_KIND)
        archive.writestr(
            "aasx/aasenv-with-no-id/_rels/aasenv-with-no-id.aas.xml.rels",
            _rels((_OLD_RELS + "aas-suppl", "/aasx/files/manual.pdf", "R4")),
        )
        archive.writestr("aasx/files/manual.pdf", _PDF)
        archive.writestr("pump.png", _PNG)
    return buffer.getvalue()


def test_a_v2_package_gives_its_spec_part_files_and_thumbnail(upgrade: _Upgrade) -> None:
    context = ReadContext(source="pump.aasx")
    document = AASX_CODEC.parse(_v2_package(), context)
    model = AASX_CODEC.build(document, context)
    [(v2, locate, given, target)] = upgrade.calls
    assert v2 == json.loads((HERE / "every-kind.json").read_text(encoding="utf-8"))
    assert given.source == "pump.aasx!" + _SPEC and target is Version.V3_1
    assert locate(Location(pointer="/assets/0")).line == _line_of(EVERY_KIND, b"<aas:asset>")
    package = model.package
    assert package is not None
    assert [part.name for part in package.spec_parts] == [_SPEC]
    assert package.supplementary["/aasx/files/manual.pdf"].data == _PDF
    assert package.thumbnail is not None and package.thumbnail.data == _PNG
    assert "aasx:old-relationship-type" in {f.rule for f in document.findings}


# Producers' quirks met in public V2/V1 files (issue 12); each reproduced here by hand.


def test_a_lang_string_without_a_language_reads_as_undetermined_and_is_reported() -> None:
    # The V2 XSDs make lang optional; the Package Explorer's own V2.0.1 sample leaves it
    # out in IEC 61360 short names. V3 needs a BCP 47 tag.
    text = _document(
        """<aas:conceptDescriptions><aas:conceptDescription>
<aas:idShort>c</aas:idShort><aas:identification idType="IRI">urn:cd</aas:identification>
<aas:embeddedDataSpecification><aas:dataSpecificationContent><aas:dataSpecificationIEC61360>
<IEC:preferredName><IEC:langString lang="EN">Speed</IEC:langString></IEC:preferredName>
<IEC:shortName><IEC:langString>N</IEC:langString><IEC:langString lang=" ">n</IEC:langString>
</IEC:shortName>
</aas:dataSpecificationIEC61360></aas:dataSpecificationContent></aas:embeddedDataSpecification>
</aas:conceptDescription></aas:conceptDescriptions>"""
    ).replace(b"<aas:aasenv ", b'<aas:aasenv xmlns:IEC="http://www.admin-shell.io/IEC61360/2/0" ')
    v2, _, findings = read_v2_xml(text, None)
    content = v2["conceptDescriptions"][0]["embeddedDataSpecifications"][0][
        "dataSpecificationContent"
    ]
    # the reader passes the missing language on; the upgrade chooses it, as for JSON
    assert content["shortName"] == [{"text": "N"}, {"language": " ", "text": "n"}]
    assert findings == []
    model = aas.load(text, format="xml")
    assert isinstance(model.root, t31.Environment) and model.root.concept_descriptions
    [specification] = model.root.concept_descriptions[0].embedded_data_specifications or []
    iec = specification.data_specification_content
    assert isinstance(iec, t31.DataSpecificationIEC61360)
    assert [(s.language, s.text) for s in iec.preferred_name] == [("EN", "Speed")]
    assert [(s.language, s.text) for s in iec.short_name or []] == [("und", "N"), ("und", "n")]
    invented = [f for f in model.findings if f.rule == "v2:invented-language"]
    assert [f.location.line for f in invented] == [6, 6]
    assert all(f.severity.name == "INFO" for f in invented)


def test_text_where_lang_strings_belong_is_kept_as_one_string_and_reported() -> None:
    # BaSyx Java 1.x writes <description>text</description> and a multi-language value as
    # bare text; the text must not be lost on the way to V3.
    text = _document(
        """<aas:submodels><aas:submodel>
<aas:idShort>s</aas:idShort>
<aas:description>any words</aas:description>
<aas:submodelElements><aas:submodelElement><aas:multiLanguageProperty>
<aas:idShort>m</aas:idShort><aas:value> two  words </aas:value>
</aas:multiLanguageProperty></aas:submodelElement></aas:submodelElements>
</aas:submodel></aas:submodels>"""
    )
    v2, locate, findings = read_v2_xml(text, "t.xml")
    submodel = v2["submodels"][0]
    assert submodel["description"] == [{"language": "und", "text": "any words"}]
    value = submodel["submodelElements"][0]["value"]
    assert value == [{"language": "und", "text": " two  words "}]  # the lexical form
    assert [(f.rule, f.location.line, f.severity.name) for f in findings] == [
        ("v2xml:text-as-lang-string", 4, "WARNING"),
        ("v2xml:text-as-lang-string", 6, "WARNING"),
    ]
    where = locate(Location(file="t.xml", pointer="/submodels/0/description/0/text"))
    assert where.line == 4 and where.xpath is not None and where.xpath.endswith("aas:description")


def test_an_empty_lang_string_set_stays_an_empty_list() -> None:
    text = _document(
        """<aas:submodels><aas:submodel><aas:idShort>s</aas:idShort>
<aas:description>
</aas:description></aas:submodel></aas:submodels>"""
    )
    v2, _, findings = read_v2_xml(text, None)
    assert v2["submodels"][0]["description"] == [] and findings == []


def test_a_v2_short_name_as_text_is_a_quirk_where_v1_has_it_by_its_schema() -> None:
    body = """<aas:conceptDescriptions><aas:conceptDescription>
<aas:embeddedDataSpecification><aas:dataSpecificationContent><aas:dataSpecificationIEC61360>
<IEC:shortName>N</IEC:shortName>
</aas:dataSpecificationIEC61360></aas:dataSpecificationContent></aas:embeddedDataSpecification>
</aas:conceptDescription></aas:conceptDescriptions>"""
    rules: dict[str, list[tuple[str, str]]] = {}
    for namespace, iec in ((V2, "2/0"), (V1, "1/0")):
        text = _document(body, namespace).replace(
            b"<aas:aasenv ",
            f'<aas:aasenv xmlns:IEC="http://www.admin-shell.io/IEC61360/{iec}" '.encode(),
        )
        v2, _, findings = read_v2_xml(text, None)
        content = v2["conceptDescriptions"][0]["embeddedDataSpecifications"][0]
        assert content["dataSpecificationContent"]["shortName"] == [
            {"language": "und", "text": "N"}
        ]
        rules[namespace] = [(f.rule, f.severity.name) for f in findings]
    assert rules[V2] == [("v2xml:text-as-lang-string", "WARNING")]
    assert rules[V1] == [("v2:invented-language", "INFO")]


def test_a_v1_source_of_definition_set_keeps_its_english_text() -> None:
    # V1.0 made sourceOfDefinition a language string set, V3 makes it one string
    text = _document(
        """<aas:conceptDescriptions><aas:conceptDescription>
<aas:idShort>Speed</aas:idShort>
<aas:identification idType="URI">urn:cd</aas:identification>
<aas:embeddedDataSpecification>
<aas:dataSpecificationContent><aas:dataSpecificationIEC61360 xmlns:IEC="http://www.admin-shell.io/IEC61360/1/0">
<IEC:preferredName><IEC:langString lang="en">Speed</IEC:langString></IEC:preferredName>
<IEC:sourceOfDefinition><IEC:langString lang="de">Norm A</IEC:langString>
<IEC:langString lang="EN-us">Standard A</IEC:langString></IEC:sourceOfDefinition>
</aas:dataSpecificationIEC61360></aas:dataSpecificationContent>
</aas:embeddedDataSpecification>
</aas:conceptDescription></aas:conceptDescriptions>""",
        namespace=V1,
    )
    context = ReadContext(source="v1.xml")
    model = XML_CODEC.build(XML_CODEC.parse(text, context), context)
    [specification] = model.root.concept_descriptions[0].embedded_data_specifications
    assert specification.data_specification_content.source_of_definition == "Standard A"
    lost = [f for f in model.findings if f.rule == "v2:not-carried"]
    assert len(lost) == 1 and "'Norm A' (de)" in lost[0].message
    assert lost[0].location.line == _line_of(text, b"<IEC:sourceOfDefinition>")
    assert not [f for f in model.findings if f.rule.startswith("v2xml:")]
