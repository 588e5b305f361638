"""Value-only JSON both ways (issue 13, part 3): written from every published IDTA template and
read back with the template, the values come back the same (checked by a walk of the models
made here, not by the format's code), the output keeps to the schemas, lexical forms are kept,
values the template has no place for are reported, and the command line does both."""

from __future__ import annotations

import base64
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import aas
from aas.converters.value.schema import for_template, general

from conftest import assert_clean_failure, corpus, run_cli

TEMPLATES = "idta-templates", "published"


def template_files() -> list[Path]:
    root = corpus(*TEMPLATES)
    return sorted(path for path in root.rglob("*") if path.suffix in (".json", ".aasx"))


@cache
def loaded(path: Path) -> aas.Model | None:
    try:
        return aas.load(path, verify=False)
    except aas.ReadError:
        return None  # one published JSON file is a Package Explorer form, no model


# region an independent walk: every value of a submodel by its idShort path


def values_of(submodel: Any) -> dict[str, object]:
    """Every value a submodel holds that value-only JSON can hold (not inside Operations and
    Capabilities, which it has no form for), by idShort path."""
    found: dict[str, object] = {}
    for element in submodel.submodel_elements or []:
        _walk(element, str(element.id_short), found)
    return found


def _reference(reference: Any) -> object:
    if reference is None:
        return None
    keys = tuple((key.type.value, key.value) for key in reference.keys)
    return reference.type.value, keys, _reference(reference.referred_semantic_id)


def _walk(element: Any, path: str, found: dict[str, object]) -> None:
    kind = type(element).__name__
    value: object = None
    if kind == "Property":
        value = element.value
    elif kind == "MultiLanguageProperty":
        value = tuple((s.language, s.text) for s in element.value or []) or None
    elif kind == "Range":
        value = (element.min, element.max) if (element.min, element.max) != (None, None) else None
    elif kind in ("File", "Blob"):
        value = element.value
    elif kind == "ReferenceElement":
        value = _reference(element.value)
    elif kind == "BasicEventElement":
        value = _reference(element.observed)
    elif kind in ("RelationshipElement", "AnnotatedRelationshipElement"):
        pair = (_reference(element.first), _reference(element.second))
        value = pair if pair != (None, None) else None
        for annotation in getattr(element, "annotations", None) or []:
            _walk(annotation, f"{path}@{annotation.id_short}", found)
    elif kind == "SubmodelElementCollection":
        for child in element.value or []:
            _walk(child, f"{path}.{child.id_short}", found)
    elif kind == "SubmodelElementList":
        for index, child in enumerate(element.value or []):
            _walk(child, f"{path}[{index}]", found)
    elif kind == "Entity":
        for child in element.statements or []:
            _walk(child, f"{path}.{child.id_short}", found)
        assets = tuple((s.name, s.value) for s in element.specific_asset_ids or [])
        if element.global_asset_id is not None or assets:
            value = (element.global_asset_id, assets)
    if value is not None:
        assert path not in found, f"two values at {path}"
        found[path] = value


def submodels_of(model: aas.Model) -> list[Any]:
    root = model.root
    if type(root).__name__ == "Submodel":
        return [root]
    return list(getattr(root, "submodels", None) or [])


# endregion


def test_every_template_with_values_gives_its_values_back() -> None:
    files = template_files()
    compared = values = 0
    for path in files:
        model = loaded(path)
        if model is None:
            continue
        dumped = aas.dump(model, "value")
        back = aas.load(dumped.data, format="value", template=model, verify=False)
        placed = [f for f in back.findings if f.rule in ("value:unexpected", "value:shape")]
        assert placed == [], path
        before = {sm.id: values_of(sm) for sm in submodels_of(model)}
        after = {sm.id: values_of(sm) for sm in submodels_of(back)}
        assert set(after) == set(before), path
        for id, expected in before.items():
            if expected:
                compared += 1
                values += len(expected)
            assert after[id] == expected, (path, id)
        for submodel in submodels_of(back):
            assert submodel.kind.value == "Instance"
    assert len(files) == 210
    # nearly every published template carries example values
    assert compared >= 140 and values >= 2500, (compared, values)


def test_one_submodel_by_id_and_back_with_its_own_id() -> None:
    path = next(
        p for p in template_files() if "Software Nameplate" in str(p) and p.suffix == ".json"
    )
    model = loaded(path)
    assert model is not None
    submodel = submodels_of(model)[0]
    dumped = aas.dump(model, "value", submodel=submodel.id)
    value = json.loads(dumped.data)
    assert "SoftwareNameplateType" in value  # the submodel's values, not keyed by id
    back = aas.load(
        dumped.data, format="value", template=model, submodel_id="urn:example:sm:1", verify=False
    )
    (rebuilt,) = submodels_of(back)
    assert rebuilt.id == "urn:example:sm:1"
    assert values_of(rebuilt) == values_of(submodel)


def _language_ok(language: str, version: aas.Version) -> bool:
    from aas.versions import binding

    return bool(binding(version).verification.matches_bcp_47(language))


def test_the_output_keeps_to_the_value_only_schemas() -> None:
    """Every template's value-only JSON validates against the project's schema for any
    submodel, and against the one generated from its template except where a value has no
    JSON form of its type (said as value:as-string) or the template's own language tag is
    invalid."""
    checked = 0
    as_string = 0
    for path in template_files():
        model = loaded(path)
        if model is None:
            continue
        for submodel in submodels_of(model):
            dumped = aas.dump(model, "value", submodel=submodel.id)
            value = json.loads(dumped.data)
            said = {f.location.pointer for f in dumped.findings if f.rule == "value:as-string"}
            as_string += len(said)
            validator = jsonschema.Draft202012Validator(for_template(submodel))
            bad_languages = 0
            for error in validator.iter_errors(value):
                at = "".join(f"/{step}" for step in error.absolute_path)
                bad_language = (
                    isinstance(error.instance, str)
                    and "does not match" in error.message
                    and not _language_ok(error.instance, model.version)
                )
                bad_languages += bad_language
                assert at in said or bad_language, (path, at, error.message)
            # the general schema takes a string for any value: only a bad language fails it
            valid = jsonschema.Draft202012Validator(general()).is_valid({submodel.id: value})
            assert valid is not bool(bad_languages), path
            checked += 1
    assert checked > 200 and as_string > 0


def test_the_schemas_refuse_what_is_no_value_only_json() -> None:
    validator = jsonschema.Draft202012Validator(general())
    assert not validator.is_valid({"Name": None})
    assert not validator.is_valid({"1Name": "x"})  # no idShort
    assert not validator.is_valid([{"Name": "x"}])
    model = aas.load(_template_bytes(), format="json")
    precise = jsonschema.Draft202012Validator(for_template(submodels_of(model)[0]))
    assert precise.is_valid({"Double": 1.5, "Flag": True, "Names": [{"en": "x"}]})
    assert not precise.is_valid({"Double": "1.5"})  # a string where xs:double wants a number
    assert not precise.is_valid({"Names": {"en": "x"}})  # an object, not an array
    assert not precise.is_valid({"Nothing": 1})  # no such element
    assert precise.is_valid({"Document01": {"Title": "a"}, "Document__07__": {}})


# region a small template, made here


def _property(
    id_short: str, value_type: str, value: str | None = None, **more: Any
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "modelType": "Property",
        "idShort": id_short,
        "valueType": value_type,
    }
    if value is not None:
        element["value"] = value
    element.update(more)
    return element


CARDINALITY = {
    "type": "SMT/Cardinality",
    "valueType": "xs:string",
    "value": "ZeroToMany",
    "kind": "TemplateQualifier",
}
KEPT_QUALIFIER = {
    "type": "ExampleQualifier",
    "valueType": "xs:string",
    "value": "kept",
    "kind": "ValueQualifier",
}
MODEL = {
    "type": "ModelReference",
    "keys": [
        {"type": "Submodel", "value": "urn:example:template"},
        {"type": "Property", "value": "Text"},
    ],
}
GLOBAL = {
    "type": "ExternalReference",
    "keys": [{"type": "GlobalReference", "value": "urn:example:x"}],
}


def _template_bytes() -> bytes:
    elements = [
        _property("Double", "xs:double", "1.0E2"),
        _property("Int", "xs:int", "+007"),
        _property("Flag", "xs:boolean", "1"),
        _property("Truth", "xs:boolean", "true"),
        _property("Big", "xs:integer", "126789675432332938792837429837429837429"),
        _property("Text", "xs:string", "12", qualifiers=[KEPT_QUALIFIER]),
        {
            "modelType": "MultiLanguageProperty",
            "idShort": "Names",
            "value": [{"language": "en", "text": "a"}, {"language": "de", "text": "b"}],
        },
        {
            "modelType": "Range",
            "idShort": "Span",
            "valueType": "xs:decimal",
            "min": "0.50",
            "max": "2",
        },
        {
            "modelType": "File",
            "idShort": "Manual",
            "contentType": "application/pdf",
            "value": "/m.pdf",
        },
        {
            "modelType": "Blob",
            "idShort": "Data",
            "contentType": "application/octet-stream",
            "value": base64.b64encode(b"\x00\x01").decode(),
        },
        {"modelType": "ReferenceElement", "idShort": "Ref", "value": GLOBAL},
        {
            "modelType": "SubmodelElementCollection",
            "idShort": "Document__00__",
            "qualifiers": [CARDINALITY],
            "value": [_property("Title", "xs:string")],
        },
        {
            "modelType": "SubmodelElementList",
            "idShort": "Values",
            "typeValueListElement": "Property",
            "valueTypeListElement": "xs:int",
            "value": [{"modelType": "Property", "valueType": "xs:int", "value": "1"}],
        },
        {
            "modelType": "Entity",
            "idShort": "Part",
            "entityType": "SelfManagedEntity",
            "globalAssetId": "urn:example:asset",
            "statements": [_property("Weight", "xs:double", "2.5")],
        },
        {
            "modelType": "AnnotatedRelationshipElement",
            "idShort": "Flow",
            "first": GLOBAL,
            "second": MODEL,
            "annotations": [_property("Rule", "xs:string", "left to right")],
        },
        {
            "modelType": "BasicEventElement",
            "idShort": "Changed",
            "observed": MODEL,
            "direction": "output",
            "state": "on",
        },
        {
            "modelType": "Entity",
            "idShort": "Tool",
            "entityType": "SelfManagedEntity",
            "specificAssetIds": [{"name": "serial", "value": "42", "externalSubjectId": GLOBAL}],
        },
        {"modelType": "Operation", "idShort": "Run"},
    ]
    environment = {
        "submodels": [
            {
                "modelType": "Submodel",
                "id": "urn:example:template",
                "idShort": "Example",
                "kind": "Template",
                "semanticId": GLOBAL,
                "submodelElements": elements,
            }
        ]
    }
    return json.dumps(environment).encode()


# endregion


def test_lexical_forms_are_kept_both_ways() -> None:
    model = aas.load(_template_bytes(), format="json")
    dumped = aas.dump(model, "value", submodel="urn:example:template")
    text = dumped.data.decode()
    # numbers as they were written, not as a float would write them
    assert '"Double": 1.0E2' in text
    assert '"Big": 126789675432332938792837429837429837429' in text
    assert '"Truth": true' in text
    assert '"Span": {\n    "min": 0.50,\n    "max": 2\n  }' in text
    # forms JSON has no number or boolean for stay strings, and are said
    assert '"Int": "+007"' in text and '"Flag": "1"' in text
    assert '"Text": "12"' in text
    said = {f.location.pointer: f for f in dumped.findings if f.rule == "value:as-string"}
    assert set(said) == {"/Int", "/Flag"}
    assert said["/Int"].severity is aas.Severity.WARNING
    # what value-only JSON cannot hold: said once, and the Operation it has no form for
    notes = [f for f in dumped.findings if f.rule == "value:not-carried"]
    assert len(notes) == 1 and "semanticId" in notes[0].message and "valueType" in notes[0].message
    assert [f.message.split()[0] for f in dumped.findings if f.rule == "value:omitted"] == ["Run"]

    back = aas.load(dumped.data, format="value", template=model)
    (rebuilt,) = submodels_of(back)
    assert values_of(rebuilt) == values_of(submodels_of(model)[0])
    by_id = {element.id_short: element for element in rebuilt.submodel_elements}
    assert by_id["Double"].value == "1.0E2" and by_id["Flag"].value == "1"
    assert by_id["Data"].value == b"\x00\x01"
    assert "Run" in by_id  # an Operation stays as the template has it


def _rebuild(values: object) -> tuple[Any, list[aas.Finding]]:
    template = aas.load(_template_bytes(), format="json")
    back = aas.load(json.dumps(values, indent=1).encode(), format="value", template=template)
    (rebuilt,) = submodels_of(back)
    return rebuilt, back.findings


def test_placeholders_are_made_once_per_entry_and_template_qualifiers_left_out() -> None:
    rebuilt, findings = _rebuild(
        {"Text": "a", "Document01": {"Title": "first"}, "Document02": {"Title": "second"}}
    )
    assert rebuilt.kind.value == "Instance" and rebuilt.id == "urn:example:template"
    assert [e.id_short for e in rebuilt.submodel_elements] == [
        "Text",
        "Document01",
        "Document02",
        "Run",
    ]
    documents = rebuilt.submodel_elements[1:3]
    assert [d.value[0].value for d in documents] == ["first", "second"]
    # the template's cardinality describes the template; other qualifiers stay
    assert all(d.qualifiers is None for d in documents)
    assert [q.type for q in rebuilt.submodel_elements[0].qualifiers] == ["ExampleQualifier"]
    # an element the values leave out is not in the instance; no template value passes
    assert "Double" not in {e.id_short for e in rebuilt.submodel_elements}
    assert not [f for f in findings if f.rule.startswith("value:")]
    # the instance is a valid model (no TemplateQualifier on an Instance, AASd-119)
    assert not [f for f in findings if f.severity is aas.Severity.ERROR]


def test_values_the_template_has_no_place_for_are_reported_where_they_are() -> None:
    rebuilt, findings = _rebuild(
        {
            "Text": "a",
            "Colour": "red",
            "Document01": {"Title": "t", "Pages": 3},
            "Span": {"min": 1, "mean": 2},
            "Values": [1, 2, 3],
            "Run": {"x": 1},
        }
    )
    unexpected = {f.location.pointer: f for f in findings if f.rule == "value:unexpected"}
    assert set(unexpected) == {"/Colour", "/Document01/Pages", "/Span/mean", "/Run"}
    colour = unexpected["/Colour"]
    assert colour.severity is aas.Severity.WARNING and colour.location.line == 3
    assert "Colour" in colour.message
    by_id = {e.id_short: e for e in rebuilt.submodel_elements}
    assert by_id["Span"].min == "1" and by_id["Span"].max is None
    # list items beyond the template's take the form of its last item
    assert [item.value for item in by_id["Values"].value] == ["1", "2", "3"]


def test_a_value_of_the_wrong_form_is_left_out_and_reported() -> None:
    rebuilt, findings = _rebuild(
        {"Text": {"a": 1}, "Names": {"en": "x"}, "Data": {"value": "%%%"}, "Double": 5}
    )
    shape = sorted(f.location.pointer or "" for f in findings if f.rule == "value:shape")
    assert shape == ["/Data/value", "/Names", "/Text"]
    by_id = {e.id_short: e for e in rebuilt.submodel_elements}
    assert "Text" not in by_id and "Names" not in by_id
    assert by_id["Double"].value == "5"


# region the command line


def test_cli_both_ways(tmp_path: Path) -> None:
    template = tmp_path / "template.json"
    template.write_bytes(_template_bytes())
    values = tmp_path / "values.json"
    result = run_cli("convert", str(template), str(values), "--to", "value")
    assert result.returncode == 0, result.stderr
    written = json.loads(values.read_bytes())
    assert list(written) == ["urn:example:template"]  # every submodel, by id
    stderr = result.stderr.decode()
    assert "[value:not-carried]" in stderr and "[value:as-string]" in stderr
    assert "-> " + str(values) + " (value, V3.1)" in stderr

    one = tmp_path / "one.json"
    result = run_cli(
        "convert", str(template), str(one), "--to", "value", "--submodel", "Example", "-q"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(one.read_bytes())["Double"] == 100.0

    back = tmp_path / "back.json"
    result = run_cli(
        "convert",
        str(one),
        str(back),
        "--from",
        "value",
        "--template",
        str(template),
        "--submodel-id",
        "urn:example:instance",
    )
    assert result.returncode == 0, result.stderr
    environment = json.loads(back.read_bytes())
    (submodel,) = environment["submodels"]
    assert submodel["id"] == "urn:example:instance" and submodel["kind"] == "Instance"
    double = next(e for e in submodel["submodelElements"] if e["idShort"] == "Double")
    assert double["value"] == "1.0E2"

    # the keyed form reads back too, each submodel with its own id
    result = run_cli(
        "convert", str(values), str(back), "--from", "value", "--template", str(template), "-q"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(back.read_bytes())["submodels"][0]["id"] == "urn:example:template"


def test_cli_unknown_submodel_is_a_usage_error(tmp_path: Path) -> None:
    template = tmp_path / "template.json"
    template.write_bytes(_template_bytes())
    result = run_cli(
        "convert", str(template), str(tmp_path / "v.json"), "--to", "value", "--submodel", "nope"
    )
    message = assert_clean_failure(result, 2)
    assert "no submodel 'nope'" in message and "urn:example:template" in message
    assert not (tmp_path / "v.json").exists()


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"{ not json", "not well-formed JSON"),
        (b'[{"Text": "a"}]', "not an array"),
        (b'"Text"', "not a string"),
        (b"", "not well-formed JSON"),
    ],
)
def test_cli_input_that_is_no_value_only_json_exits_3(
    tmp_path: Path, content: bytes, said: str
) -> None:
    template = tmp_path / "template.json"
    template.write_bytes(_template_bytes())
    values = tmp_path / "values.json"
    values.write_bytes(content)
    result = run_cli(
        "convert",
        str(values),
        str(tmp_path / "out.json"),
        "--from",
        "value",
        "--template",
        str(template),
    )
    message = assert_clean_failure(result, 3)
    assert said in message and str(values) in message


def test_without_its_template_value_only_json_is_unreadable(tmp_path: Path) -> None:
    values = tmp_path / "values.valueonly"
    values.write_bytes(b'{"Text": "a"}')
    result = run_cli("convert", str(values), str(tmp_path / "out.json"))
    message = assert_clean_failure(result, 3)
    assert "--template" in message and str(values) in message
    # validate reports it as unreadable, as any input no model can be read from
    report = aas.validate(values)
    assert not report.readable and [f.rule for f in report.findings] == ["input:unreadable"]


# endregion


def test_relationships_events_and_entities_round_trip() -> None:
    model = aas.load(_template_bytes(), format="json")
    value = json.loads(aas.dump(model, "value", submodel="Example").data)
    assert value["Flow"]["annotations"] == [{"Rule": "left to right"}]
    assert value["Changed"] == {"observed": MODEL}
    assert value["Tool"]["specificAssetIds"][0]["name"] == "serial"
    assert value["Part"] == {
        "statements": {"Weight": 2.5},
        "entityType": "SelfManagedEntity",
        "globalAssetId": "urn:example:asset",
    }
    # a changed observed reference and annotation come back into the instance
    value["Flow"]["annotations"] = [{"Rule": "right to left"}]
    value["Changed"]["observed"]["keys"][1]["value"] = "Double"
    rebuilt, findings = _rebuild(value)
    assert not [f for f in findings if f.rule.startswith("value:")]
    by_id = {e.id_short: e for e in rebuilt.submodel_elements}
    assert by_id["Flow"].annotations[0].value == "right to left"
    assert by_id["Changed"].observed.keys[1].value == "Double"
    assert by_id["Changed"].direction.value == "output"  # from the template


def test_the_template_decides_version_and_submodel() -> None:
    two = json.loads(_template_bytes())
    other = dict(two["submodels"][0], id="urn:example:other", idShort="Other")
    two["submodels"].append(other)
    template = aas.load(json.dumps(two).encode(), format="json")
    with pytest.raises(aas.UsageError, match="holds 2 submodels"):
        aas.load(b'{"Text": "a"}', format="value", template=template)
    back = aas.load(b'{"Text": "a"}', format="value", template=template, submodel="Other")
    (rebuilt,) = submodels_of(back)
    assert rebuilt.id == "urn:example:other"
    # keyed by the template's ids, each submodel finds its own
    keyed = b'{"urn:example:other": {"Text": "b"}, "urn:example:template": {"Text": "c"}}'
    back = aas.load(keyed, format="value", template=template)
    assert [sm.id for sm in submodels_of(back)] == ["urn:example:other", "urn:example:template"]
    with pytest.raises(aas.ReadError, match=r"template is V3\.1") as raised:
        aas.load(b'{"Text": "a"}', format="value", template=template, version="3.0")
    assert raised.value.rule == "aas:version-mismatch"
