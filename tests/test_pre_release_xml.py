"""The pre-release V3.0 XML namespace (``http://www.admin-shell.io/aas/3/0``) read as V3.0.

The documents here are written for these tests, after the shape the drafts of V3.0 had (the
specification's examples and the AASX Package Explorer of 2021-2022): one test per difference,
each checking the value read and the warning naming the difference, with its line.
"""

from __future__ import annotations

import io
import zipfile

import aas_core3.types as t30
import pytest

import aas
from aas.findings import Finding, Severity

_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<aas:aasenv xmlns:aas="http://www.admin-shell.io/aas/3/0"'
    ' xmlns:IEC61360="http://www.admin-shell.io/IEC61360/3/0">\n'
)
_TAIL = "</aas:aasenv>\n"


def _document(body: str) -> bytes:
    return (_HEAD + body + _TAIL).encode()


def _submodel(elements: str, extra: str = "") -> str:
    return (
        "<aas:submodels>\n<aas:submodel>\n<aas:idShort>sm</aas:idShort>\n"
        '<aas:identification idType="IRI">http://example.com/sm/1</aas:identification>\n'
        f"{extra}<aas:submodelElements>\n{elements}</aas:submodelElements>\n"
        "</aas:submodel>\n</aas:submodels>\n"
    )


def _load(body: str) -> aas.Model:
    return aas.load(_document(body), format="xml")


def _only(model: aas.Model, rule: str) -> Finding:
    found = [f for f in model.findings if f.rule == rule]
    assert len(found) == 1, [f.rule for f in model.findings]
    assert found[0].severity is Severity.WARNING
    return found[0]


def _line_of(body: str, text: str) -> int:
    lines = (_HEAD + body).split("\n")
    return next(number for number, line in enumerate(lines, 1) if text in line)


def _submodel_of(model: aas.Model) -> t30.Submodel:
    root = model.root
    assert isinstance(root, t30.Environment) and root.submodels
    return root.submodels[0]


def test_the_namespace_and_root_are_read_as_v3_0() -> None:
    model = _load("")
    assert str(model.version) == "3.0"
    assert isinstance(model.root, t30.Environment)
    assert _only(model, "xml:pre-release-namespace").location.line == 2
    assert _only(model, "xml:pre-release-environment").location.line == 2


def test_identification_becomes_id_with_its_value() -> None:
    body = _submodel("")
    model = _load(body)
    assert _submodel_of(model).id == "http://example.com/sm/1"
    found = _only(model, "xml:pre-release-identification")
    assert found.location.line == _line_of(body, "identification")
    assert "idType" in found.message


def _property(extra: str = "", value_type: str = "double") -> str:
    return (
        "<aas:submodelElement>\n<aas:property>\n<aas:idShort>speed</aas:idShort>\n"
        f"{extra}<aas:valueType>{value_type}</aas:valueType>\n<aas:value>2000.50</aas:value>\n"
        "</aas:property>\n</aas:submodelElement>\n"
    )


def test_the_submodel_element_wrapper_is_taken_away() -> None:
    body = _submodel(_property())
    model = _load(body)
    elements = _submodel_of(model).submodel_elements
    assert elements is not None and len(elements) == 1
    assert isinstance(elements[0], t30.Property) and elements[0].id_short == "speed"
    assert _only(model, "xml:pre-release-wrapper").location.line == _line_of(
        body, "<aas:submodelElement>"
    )


def test_value_types_get_their_prefix_and_values_stay() -> None:
    model = _load(_submodel(_property()))
    prop = _submodel_of(model).submodel_elements[0]  # type: ignore[index]
    assert isinstance(prop, t30.Property)
    assert prop.value_type is t30.DataTypeDefXSD.DOUBLE
    assert prop.value == "2000.50"  # lexical form unchanged
    assert "double" in _only(model, "xml:pre-release-value-type").message


def test_kind_is_dropped_on_elements_and_kept_on_the_submodel() -> None:
    body = _submodel(
        _property("<aas:kind>Instance</aas:kind>\n"), "<aas:kind>Template</aas:kind>\n"
    )
    model = _load(body)
    assert _submodel_of(model).kind is t30.ModellingKind.TEMPLATE
    found = _only(model, "xml:pre-release-kind")
    assert found.location.line == _line_of(body, "<aas:kind>Instance")


def _semantic_id(attributes: str, reference_attribute: str = "") -> str:
    return (
        f"<aas:semanticId{reference_attribute}>\n<aas:keys>\n"
        f"<aas:key {attributes}>0173-1#02-BAA120#007</aas:key>\n</aas:keys>\n</aas:semanticId>\n"
    )


def test_keys_as_attributes_become_elements() -> None:
    body = _submodel("", _semantic_id('type="GlobalReference" idType="IRDI" local="false"'))
    model = _load(body)
    semantic = _submodel_of(model).semantic_id
    assert semantic is not None
    assert semantic.keys[0].type is t30.KeyTypes.GLOBAL_REFERENCE
    assert semantic.keys[0].value == "0173-1#02-BAA120#007"
    found = _only(model, "xml:pre-release-key")
    assert found.location.line == _line_of(body, "<aas:key ")


def test_reference_types_are_told_by_the_first_key_or_the_attribute() -> None:
    external = _load(_submodel("", _semantic_id('type="GlobalReference"')))
    assert _submodel_of(external).semantic_id.type is t30.ReferenceTypes.EXTERNAL_REFERENCE  # type: ignore[union-attr]
    _only(external, "xml:pre-release-reference-type")
    model = _load(_submodel("", _semantic_id('type="ConceptDescription"')))
    assert _submodel_of(model).semantic_id.type is t30.ReferenceTypes.MODEL_REFERENCE  # type: ignore[union-attr]
    declared = _load(_submodel("", _semantic_id('type="Submodel"', ' type="GlobalReference"')))
    assert _submodel_of(declared).semantic_id.type is t30.ReferenceTypes.EXTERNAL_REFERENCE  # type: ignore[union-attr]


def test_key_types_v3_lacks_become_global_references() -> None:
    model = _load(_submodel("", _semantic_id('type="Asset" idType="IRI"')))
    semantic = _submodel_of(model).semantic_id
    assert semantic is not None and semantic.keys[0].type is t30.KeyTypes.GLOBAL_REFERENCE
    assert "Asset" in _only(model, "xml:pre-release-key-type").message


def test_lang_strings_become_the_property_s_language_tagged_strings() -> None:
    body = _submodel(
        "",
        '<aas:description>\n<aas:langString lang="de">Drehzahl\t</aas:langString>\n'
        "</aas:description>\n",
    )
    model = _load(body)
    description = _submodel_of(model).description
    assert description is not None
    assert (description[0].language, description[0].text) == ("de", "Drehzahl\t")
    found = _only(model, "xml:pre-release-lang-string")
    assert found.location.line == _line_of(body, "<aas:langString")


def _concept_description(content: str) -> str:
    return (
        "<aas:conceptDescriptions>\n<aas:conceptDescription>\n<aas:idShort>speed</aas:idShort>\n"
        '<aas:identification idType="IRDI">0173-1#02-BAA120#007</aas:identification>\n'
        "<aas:embeddedDataSpecification>\n<aas:dataSpecificationContent>\n"
        f"<aas:dataSpecificationIEC61360>\n{content}</aas:dataSpecificationIEC61360>\n"
        "</aas:dataSpecificationContent>\n<aas:dataSpecification>\n<aas:keys>\n"
        '<aas:key type="GlobalReference" idType="IRI">http://admin-shell.io/DataSpecificationTemplates/'
        "DataSpecificationIEC61360/3/0</aas:key>\n</aas:keys>\n</aas:dataSpecification>\n"
        "</aas:embeddedDataSpecification>\n</aas:conceptDescription>\n</aas:conceptDescriptions>\n"
    )


_IEC_NAME = (
    '<IEC61360:preferredName>\n<IEC61360:langString lang="en">Speed</IEC61360:langString>\n'
    "</IEC61360:preferredName>\n"
)


def _content_of(model: aas.Model) -> t30.DataSpecificationIEC61360:
    root = model.root
    assert isinstance(root, t30.Environment) and root.concept_descriptions
    specifications = root.concept_descriptions[0].embedded_data_specifications
    assert specifications is not None and len(specifications) == 1
    content = specifications[0].data_specification_content
    assert isinstance(content, t30.DataSpecificationIEC61360)
    return content


def test_embedded_data_specifications_are_listed_as_in_v3_0() -> None:
    body = _concept_description(_IEC_NAME)
    model = _load(body)
    content = _content_of(model)
    assert content.preferred_name[0].text == "Speed"
    found = _only(model, "xml:pre-release-data-specification")
    assert found.location.line == _line_of(body, "<aas:embeddedDataSpecification>")


def test_two_embedded_data_specifications_make_one_list() -> None:
    one = _concept_description(_IEC_NAME)
    start = one.index("<aas:embeddedDataSpecification>")
    end = one.index("</aas:embeddedDataSpecification>") + len("</aas:embeddedDataSpecification>\n")
    body = one[:end] + one[start:end] + one[end:]
    model = _load(body)
    root = model.root
    assert isinstance(root, t30.Environment) and root.concept_descriptions
    assert len(root.concept_descriptions[0].embedded_data_specifications or []) == 2
    assert "2 times" in _only(model, "xml:pre-release-data-specification").message


def test_the_iec_61360_data_type_url_is_read_as_iri() -> None:
    model = _load(_concept_description(_IEC_NAME + "<IEC61360:dataType>URL</IEC61360:dataType>\n"))
    assert _content_of(model).data_type is t30.DataTypeIEC61360.IRI
    _only(model, "xml:pre-release-data-type")


def _shell(inner: str) -> str:
    return (
        "<aas:assetAdministrationShells>\n<aas:assetAdministrationShell>\n"
        "<aas:idShort>shell</aas:idShort>\n"
        '<aas:identification idType="IRI">http://example.com/aas/1</aas:identification>\n'
        f"{inner}</aas:assetAdministrationShell>\n</aas:assetAdministrationShells>\n"
    )


_ASSET_INFORMATION = (
    "<aas:assetInformation>\n<aas:assetKind>Instance</aas:assetKind>\n<aas:globalAssetId>\n"
    '<aas:keys>\n<aas:key type="Asset" idType="IRI">http://example.com/asset/1</aas:key>\n'
    "</aas:keys>\n</aas:globalAssetId>\n</aas:assetInformation>\n"
)


def _shell_of(model: aas.Model) -> t30.AssetAdministrationShell:
    root = model.root
    assert isinstance(root, t30.Environment) and root.asset_administration_shells
    return root.asset_administration_shells[0]


def test_global_asset_id_is_the_value_of_its_key() -> None:
    model = _load(_shell(_ASSET_INFORMATION))
    assert _shell_of(model).asset_information.global_asset_id == "http://example.com/asset/1"
    _only(model, "xml:pre-release-global-asset-id")


def test_submodel_refs_become_submodels() -> None:
    refs = (
        '<aas:submodelRefs>\n<aas:submodelRef>\n<aas:keys>\n<aas:key type="Submodel" '
        'idType="IRI">http://example.com/sm/1</aas:key>\n</aas:keys>\n</aas:submodelRef>\n'
        "</aas:submodelRefs>\n"
    )
    model = _load(_shell(_ASSET_INFORMATION + refs))
    submodels = _shell_of(model).submodels
    assert submodels is not None and submodels[0].keys[0].value == "http://example.com/sm/1"
    assert submodels[0].type is t30.ReferenceTypes.MODEL_REFERENCE
    _only(model, "xml:pre-release-submodel-refs")


def test_what_v3_has_no_place_for_is_named() -> None:
    views = "<aas:views>\n<aas:view>\n<aas:idShort>v</aas:idShort>\n</aas:view>\n</aas:views>\n"
    assets = (
        "<aas:assets>\n<aas:asset>\n<aas:idShort>a</aas:idShort>\n"
        '<aas:description>\n<aas:langString lang="en">x</aas:langString>\n</aas:description>\n'
        "</aas:asset>\n</aas:assets>\n"
    )
    body = _shell(_ASSET_INFORMATION + views) + assets
    model = _load(body)
    found = _only(model, "xml:pre-release-dropped")
    assert "views" in found.message and "assets" in found.message
    assert found.location.line == _line_of(body, "<aas:views>")
    # what was dropped is not reported again (its lang string was not rewritten)
    assert not [f for f in model.findings if f.rule == "xml:pre-release-lang-string"]


def test_operation_variables_become_lists() -> None:
    operation = (
        "<aas:submodelElement>\n<aas:operation>\n<aas:idShort>run</aas:idShort>\n"
        "<aas:inputVariable>\n<aas:value>\n"
        + _property().replace("speed", "a")
        + "</aas:value>\n</aas:inputVariable>\n<aas:inputVariable>\n<aas:value>\n"
        + _property().replace("speed", "b")
        + "</aas:value>\n</aas:inputVariable>\n</aas:operation>\n</aas:submodelElement>\n"
    )
    model = _load(_submodel(operation))
    run = _submodel_of(model).submodel_elements[0]  # type: ignore[index]
    assert isinstance(run, t30.Operation) and run.input_variables is not None
    assert [v.value.id_short for v in run.input_variables] == ["a", "b"]
    _only(model, "xml:pre-release-operation-variable")


def test_mime_type_is_read_as_content_type() -> None:
    file = (
        "<aas:submodelElement>\n<aas:file>\n<aas:idShort>manual</aas:idShort>\n"
        "<aas:mimeType>application/pdf</aas:mimeType>\n<aas:value>/aasx/manual.pdf</aas:value>\n"
        "</aas:file>\n</aas:submodelElement>\n"
    )
    model = _load(_submodel(file))
    element = _submodel_of(model).submodel_elements[0]  # type: ignore[index]
    assert isinstance(element, t30.File) and element.content_type == "application/pdf"
    _only(model, "xml:pre-release-mime-type")


def test_streaming_and_the_schema_s_tree_report_the_same() -> None:
    data = _document(_submodel(_property()))
    streamed = sorted(f.rule for f in aas.load(data, format="xml").findings)
    report = aas.validate(data, format="xml")
    assert report.readable and report.version == "3.0"
    validated = sorted(f.rule for f in report.findings if f.rule.startswith("xml:pre-release"))
    assert validated == [r for r in streamed if r.startswith("xml:pre-release")]
    assert "xml:pre-release-wrapper" in validated


def test_the_rewritten_tree_passes_the_v3_0_schema() -> None:
    # The drafts ordered some properties otherwise (revision before version, kind and
    # valueType before semanticId); the rewritten tree is put in V3.0's order.
    administration = (
        "<aas:administration>\n<aas:revision>0</aas:revision>\n<aas:version>1</aas:version>\n"
        "</aas:administration>\n"
    )
    body = _submodel(
        _property("<aas:kind>Instance</aas:kind>\n" + _semantic_id('type="GlobalReference"')),
        administration,
    ) + _concept_description(_IEC_NAME)
    report = aas.validate(_document(body), format="xml")
    assert report.readable
    assert not [f for f in report.findings if f.rule.startswith("xsd:")], report.findings
    no_line = [f for f in report.findings if f.location.line is None]
    assert not no_line, no_line


def test_a_final_v3_0_document_meets_none_of_this() -> None:
    final = b'<environment xmlns="https://admin-shell.io/aas/3/0"/>'
    model = aas.load(final, format="xml")
    assert not [f for f in model.findings if f.rule.startswith("xml:pre-release")]


def test_asking_for_v3_1_is_a_version_mismatch() -> None:
    with pytest.raises(aas.ReadError) as raised:
        aas.load(_document(""), format="xml", version="3.1")
    assert "V3.0" in str(raised.value)


def _package(spec: bytes) -> bytes:
    rels = "http://www.admin-shell.io/aasx/relationships/"
    ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org'
            '/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="text/xml"/><Default Extension="origin" ContentType="text/plain"/>'
            "</Types>",
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
            'Target="/aasx/data/data.xml" Id="R2"/></Relationships>',
        )
        archive.writestr("aasx/data/data.xml", spec)
    return buffer.getvalue()


def test_a_package_of_that_time_holding_such_xml() -> None:
    data = _package(_document(_submodel(_property())))
    model = aas.load(data, format="aasx")
    assert str(model.version) == "3.0"
    assert _submodel_of(model).submodel_elements[0].id_short == "speed"  # type: ignore[index]
    rules = {f.rule for f in model.findings}
    assert {"xml:pre-release-namespace", "xml:pre-release-wrapper"} <= rules
    assert "aasx:old-relationship-type" in {
        f.rule for f in aas.validate(data, format="aasx").findings
    }


def test_the_drafts_level_type_becomes_four_booleans() -> None:
    levels = (
        "<IEC61360:levelType>Min</IEC61360:levelType>\n"
        "<IEC61360:levelType>Max</IEC61360:levelType>\n"
    )
    body = _concept_description(_IEC_NAME + levels)
    model = _load(body)
    level = _content_of(model).level_type
    assert level is not None
    assert (level.min, level.nom, level.typ, level.max) == (True, False, False, True)
    found = _only(model, "xml:pre-release-level-type")
    assert found.location.line == _line_of(body, "<IEC61360:levelType>Min")


def test_a_level_no_level_type_names_is_named_as_dropped() -> None:
    model = _load(
        _concept_description(_IEC_NAME + "<IEC61360:levelType>Avg</IEC61360:levelType>\n")
    )
    level = _content_of(model).level_type
    assert level is not None and not any((level.min, level.nom, level.typ, level.max))
    assert "levelType Avg" in _only(model, "xml:pre-release-dropped").message


def _pair(value: str, extra: str = "") -> str:
    return (
        f"<IEC61360:value>{value}</IEC61360:value>\n{extra}<IEC61360:valueId>\n<aas:keys>\n"
        f'<aas:key type="GlobalReference" idType="IRI">http://example.com/{value}</aas:key>\n'
        "</aas:keys>\n</IEC61360:valueId>\n"
    )


@pytest.mark.parametrize("listed", [True, False])
def test_value_reference_pairs_are_listed_as_in_v3_0(listed: bool) -> None:
    typed = _pair("red", "<IEC61360:valueType>string</IEC61360:valueType>\n")
    pairs = (
        f"<IEC61360:valueReferencePair>\n{typed}</IEC61360:valueReferencePair>\n"
        f"<IEC61360:valueReferencePair>\n{_pair('blue')}</IEC61360:valueReferencePair>\n"
    )
    if listed:
        pairs = f"<IEC61360:valueReferencePairTypes>\n{pairs}</IEC61360:valueReferencePairTypes>\n"
    body = _concept_description(_IEC_NAME + f"<IEC61360:valueList>\n{pairs}</IEC61360:valueList>\n")
    model = _load(body)
    value_list = _content_of(model).value_list
    assert value_list is not None
    assert [p.value for p in value_list.value_reference_pairs] == ["red", "blue"]
    assert value_list.value_reference_pairs[1].value_id is not None
    assert value_list.value_reference_pairs[1].value_id.keys[0].value == "http://example.com/blue"
    found = _only(model, "xml:pre-release-value-reference-pairs")
    assert "2 times" in found.message  # the list, and the first pair's valueType


def test_the_drafts_specific_asset_ids_become_v3_0_s() -> None:
    information = _ASSET_INFORMATION.replace(
        "</aas:assetInformation>",
        "<aas:externalAssetIds>\n<aas:externalAssetId>\n<aas:key>serial</aas:key>\n"
        "<aas:value>0042</aas:value>\n<aas:subjectId>\n<aas:keys>\n"
        '<aas:key type="GlobalReference" idType="IRI">http://example.com/maker</aas:key>\n'
        "</aas:keys>\n</aas:subjectId>\n</aas:externalAssetId>\n</aas:externalAssetIds>\n"
        "</aas:assetInformation>",
    )
    body = _shell(information)
    model = _load(body)
    ids = _shell_of(model).asset_information.specific_asset_ids
    assert ids is not None and (ids[0].name, ids[0].value) == ("serial", "0042")
    assert ids[0].external_subject_id is not None
    assert ids[0].external_subject_id.keys[0].value == "http://example.com/maker"
    found = _only(model, "xml:pre-release-specific-asset-id")
    assert "2 times" in found.message
    assert found.location.line == _line_of(body, "<aas:externalAssetIds>")


def _entity(inner: str) -> str:
    return (
        "<aas:submodelElement>\n<aas:entity>\n<aas:idShort>part</aas:idShort>\n"
        f"<aas:entityType>SelfManagedEntity</aas:entityType>\n{inner}"
        "</aas:entity>\n</aas:submodelElement>\n"
    )


def test_an_entity_s_single_specific_asset_id_is_listed() -> None:
    single = (
        "<aas:specificAssetId>\n<aas:name>serial</aas:name>\n<aas:value>7</aas:value>\n"
        "</aas:specificAssetId>\n"
    )
    model = _load(_submodel(_entity(single)))
    part = _submodel_of(model).submodel_elements[0]  # type: ignore[index]
    assert isinstance(part, t30.Entity) and part.specific_asset_ids is not None
    assert [(i.name, i.value) for i in part.specific_asset_ids] == [("serial", "7")]
    _only(model, "xml:pre-release-specific-asset-id")


def test_an_entity_s_asset_ref_becomes_its_global_asset_id() -> None:
    asset = (
        "<aas:assetRef>\n<aas:keys>\n"
        '<aas:key type="Asset" idType="IRI">http://example.com/asset/part</aas:key>\n'
        "</aas:keys>\n</aas:assetRef>\n"
    )
    body = _submodel(_entity(asset))
    model = _load(body)
    part = _submodel_of(model).submodel_elements[0]  # type: ignore[index]
    assert isinstance(part, t30.Entity)
    assert part.global_asset_id == "http://example.com/asset/part"
    found = _only(model, "xml:pre-release-global-asset-id")
    assert "assetRef" in found.message
    assert found.location.line == _line_of(body, "<aas:assetRef>")
    assert not [f for f in model.findings if f.rule == "xml:pre-release-dropped"]


def test_the_new_rewrites_pass_the_v3_0_schema() -> None:
    # levelType, value lists, specific asset ids and an entity's assetRef, put in V3.0's order
    iec = (
        _IEC_NAME
        + "<IEC61360:levelType>Typ</IEC61360:levelType>\n"
        + "<IEC61360:valueList>\n<IEC61360:valueReferencePair>\n"
        + _pair("red", "<IEC61360:valueType>string</IEC61360:valueType>\n")
        + "</IEC61360:valueReferencePair>\n</IEC61360:valueList>\n"
    )
    entity = _entity(
        "<aas:assetRef>\n<aas:keys>\n"
        '<aas:key type="Asset" idType="IRI">http://example.com/asset/part</aas:key>\n'
        "</aas:keys>\n</aas:assetRef>\n"
    )
    information = _ASSET_INFORMATION.replace(
        "</aas:assetInformation>",
        "<aas:specificAssetId>\n<aas:key>serial</aas:key>\n<aas:value>1</aas:value>\n"
        "</aas:specificAssetId>\n</aas:assetInformation>",
    )
    body = _shell(information) + _submodel(entity) + _concept_description(iec)
    report = aas.validate(_document(body), format="xml")
    assert report.readable
    assert not [f for f in report.findings if f.rule.startswith("xsd:")], report.findings


def test_an_event_without_direction_and_state_is_given_output_and_off() -> None:
    event = (
        "<aas:submodelElement>\n<aas:basicEventElement>\n<aas:idShort>changed</aas:idShort>\n"
        '<aas:observed>\n<aas:keys>\n<aas:key type="Submodel" idType="IRI">'
        "http://example.com/sm/1</aas:key>\n</aas:keys>\n</aas:observed>\n"
        "</aas:basicEventElement>\n</aas:submodelElement>\n"
    )
    body = _submodel(event)
    model = _load(body)
    element = _submodel_of(model).submodel_elements[0]  # type: ignore[index]
    assert isinstance(element, t30.BasicEventElement)
    assert element.direction is t30.Direction.OUTPUT and element.state is t30.StateOfEvent.OFF
    found = _only(model, "xml:pre-release-event")
    assert "direction=output" in found.message and "state=off" in found.message
    assert found.location.line == _line_of(body, "<aas:basicEventElement>")
    report = aas.validate(_document(body), format="xml")
    assert not [f for f in report.findings if f.rule.startswith("xsd:")], report.findings
