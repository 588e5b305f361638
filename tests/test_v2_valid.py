"""Valid V2 gives valid V3: each V2 value that V2.0.1 allowed and V3 refuses is mapped to
a valid V3 model (the choice reported), and each V2 input that was not valid V2 either keeps
its V3 error. The models are variations of tests/v2/every-kind.json."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import aas
from aas.converters.v2.upgrade import upgrade_environment
from aas.findings import Finding, Severity
from aas.versions import Version

from conftest import run_cli

EVERY_KIND = Path(__file__).parent / "v2" / "every-kind.json"
EVERY_KIND_XML = Path(__file__).parent / "v2" / "every-kind.xml"

V2 = dict[str, Any]


def every_kind() -> V2:
    data: V2 = json.loads(EVERY_KIND.read_text())
    return data


def shell(model: V2) -> V2:
    found: V2 = model["assetAdministrationShells"][0]
    return found


def submodel(model: V2) -> V2:
    found: V2 = model["submodels"][0]
    return found


def speed(model: V2) -> V2:
    """The first element of the submodel: a Property with a qualifier."""
    found: V2 = submodel(model)["submodelElements"][0]
    return found


def iec(model: V2) -> V2:
    found: V2 = model["conceptDescriptions"][0]["embeddedDataSpecifications"][0][
        "dataSpecificationContent"
    ]
    return found


def validated(tmp_path: Path, model: V2, target: Version = Version.V3_1) -> list[Finding]:
    """Every finding of validating the V2 model upgraded to ``target``."""
    source = tmp_path / "model.json"
    source.write_text(json.dumps(model))
    out = tmp_path / f"model-{target}.json"
    aas.convert(source, out, to_version=str(target))
    return aas.validate(out).findings


def errors(findings: list[Finding]) -> list[tuple[str, str | None]]:
    return [(f.rule, f.location.pointer) for f in findings if f.severity is Severity.ERROR]


def rules(model: V2, target: Version = Version.V3_1) -> dict[str, list[str]]:
    """The upgrade's findings: rule -> the V2 pointers."""
    _, findings = upgrade_environment(model, target)
    found: dict[str, list[str]] = {}
    for finding in findings:
        found.setdefault(finding.rule, []).append(finding.location.pointer or "")
    return found


@pytest.mark.parametrize("target", list(Version))
def test_every_kind_upgrades_to_a_valid_model(tmp_path: Path, target: Version) -> None:
    assert errors(validated(tmp_path, every_kind(), target)) == []


def test_every_kind_xml_validates_without_error() -> None:
    report = aas.validate(EVERY_KIND_XML)
    assert [f for f in report.findings if f.severity is Severity.ERROR] == []


@pytest.mark.parametrize(
    ("version", "revision", "kept", "moved"),
    [
        ("2", "07", {"version": "2"}, {"revision": "07"}),
        ("1.0", "A", {}, {"version": "1.0", "revision": "A"}),
        ("1.0", "3", {}, {"version": "1.0", "revision": "3"}),
        ("12345", None, {}, {"version": "12345"}),
        ("0", "12", {"version": "0", "revision": "12"}, {}),
    ],
)
def test_version_and_revision_v3_refuses_go_to_extensions(
    tmp_path: Path, version: str, revision: str | None, kept: V2, moved: V2
) -> None:
    model = every_kind()
    given = {"version": version} | ({"revision": revision} if revision else {})
    shell(model)["administration"] = given
    env, _ = upgrade_environment(model, Version.V3_1)
    out = env["assetAdministrationShells"][0]
    assert out.get("administration", {}) == kept
    extensions = {e["name"].rsplit("-", 1)[1]: e["value"] for e in out.get("extensions", [])}
    assert extensions == moved
    at = "/assetAdministrationShells/0/administration/"
    assert sorted(rules(model).get("v2:administration-moved", [])) == sorted(at + k for k in moved)
    assert errors(validated(tmp_path, model)) == []


def test_a_revision_without_version_was_no_valid_v2_and_v3_says_so(tmp_path: Path) -> None:
    # AASd-005 holds in V2.0.1 as in V3: the V3 error is right.
    model = every_kind()
    shell(model)["administration"] = {"revision": "1"}
    assert errors(validated(tmp_path, model)) == [
        ("AASd-005", "/assetAdministrationShells/0/administration")
    ]


@pytest.mark.parametrize(
    ("value_type", "value", "expected", "rule"),
    [
        ("double", " 3000.0 ", "3000.0", "v2:whitespace-collapsed"),
        ("int", "\n12\t", "12", "v2:whitespace-collapsed"),
        ("boolean", "true ", "true", "v2:whitespace-collapsed"),
        ("int", "", None, "v2:empty-dropped"),
        ("date", "  ", None, "v2:empty-dropped"),
    ],
)
def test_values_of_collapsing_types(
    tmp_path: Path, value_type: str, value: str, expected: str | None, rule: str
) -> None:
    model = every_kind()
    speed(model)["valueType"] = value_type
    speed(model)["value"] = value
    env, _ = upgrade_environment(model, Version.V3_1)
    assert env["submodels"][0]["submodelElements"][0].get("value") == expected
    assert "/submodels/0/submodelElements/0/value" in rules(model)[rule]
    assert errors(validated(tmp_path, model)) == []


def test_a_string_value_keeps_its_white_space() -> None:
    model = every_kind()
    speed(model)["valueType"] = "string"
    speed(model)["value"] = " as written "
    env, _ = upgrade_environment(model, Version.V3_1)
    assert env["submodels"][0]["submodelElements"][0]["value"] == " as written "


def test_range_bounds_collapse_too(tmp_path: Path) -> None:
    model = every_kind()
    ranges = [e for e in submodel(model)["submodelElements"] if e["modelType"]["name"] == "Range"]
    ranges[0]["valueType"] = "int"
    ranges[0]["min"], ranges[0]["max"] = " 1", "9 "
    assert errors(validated(tmp_path, model)) == []


@pytest.mark.parametrize("value", ["1.5", "many"])
def test_a_value_outside_its_type_was_no_valid_v2_and_v3_says_so(
    tmp_path: Path, value: str
) -> None:
    model = every_kind()
    speed(model)["valueType"] = "int"
    speed(model)["value"] = value
    found = errors(validated(tmp_path, model))
    assert found == [("metamodel:value-type", "/submodels/0/submodelElements/0")]


Mutation = Callable[[V2], None]


def _long_description(model: V2) -> None:
    submodel(model)["description"] = [{"language": "en", "text": "x" * 1500}]


def _long_category(model: V2) -> None:
    submodel(model)["category"] = "C" * 200


def _long_qualifier_type(model: V2) -> None:
    submodel(model)["qualifiers"][0]["type"] = "T" * 200


def _long_short_name(model: V2) -> None:
    iec(model)["shortName"] = [{"language": "en", "text": "S" * 40}]


@pytest.mark.parametrize(
    ("mutate", "pointer", "length"),
    [
        (_long_description, "/submodels/0/description/0/text", 1023),
        (_long_category, "/submodels/0/category", 128),
        (_long_qualifier_type, "/submodels/0/qualifiers/0/type", 128),
        (
            _long_short_name,
            "/conceptDescriptions/0/embeddedDataSpecifications/0/dataSpecificationContent"
            "/shortName/0/text",
            18,
        ),
    ],
)
def test_texts_longer_than_v3_allows_are_cut_and_reported(
    tmp_path: Path, mutate: Mutation, pointer: str, length: int
) -> None:
    model = every_kind()
    mutate(model)
    assert rules(model)["v2:truncated"] == [pointer]
    assert errors(validated(tmp_path, model)) == []


def test_an_empty_qualifier_type_is_invented(tmp_path: Path) -> None:
    model = every_kind()
    submodel(model)["qualifiers"][0]["type"] = ""
    env, _ = upgrade_environment(model, Version.V3_1)
    assert env["submodels"][0]["qualifiers"][0]["type"] == "Unnamed"
    assert "/submodels/0/qualifiers/0/type" in rules(model)["v2:invented"]
    assert errors(validated(tmp_path, model)) == []


def test_missing_preferred_name_is_invented(tmp_path: Path) -> None:
    model = every_kind()
    del iec(model)["preferredName"]
    assert errors(validated(tmp_path, model)) == []


def _german_only(model: V2) -> None:
    iec(model)["preferredName"] = [{"language": "de", "text": "Drehzahl"}]


def _no_definition(model: V2) -> None:
    iec(model).pop("definition", None)


@pytest.mark.parametrize(
    ("mutate", "rule"),
    [
        # V2.0.1 asked the same of IEC 61360 content (a preferred name and a definition in
        # English): the input was no valid V2, the V3 error is right.
        (_german_only, "AASc-002"),
        (_no_definition, "AASc-3a-008"),
    ],
)
def test_iec61360_content_v2_refused_too_keeps_its_error(
    tmp_path: Path, mutate: Mutation, rule: str
) -> None:
    model = every_kind()
    mutate(model)
    assert [found for found, _ in errors(validated(tmp_path, model))] == [rule]


def test_the_v2_model_is_not_changed() -> None:
    model = every_kind()
    shell(model)["administration"] = {"version": "1.0", "revision": "A"}
    speed(model)["value"] = " 1 "
    before = copy.deepcopy(model)
    upgrade_environment(model, Version.V3_1)
    assert model == before


# region the convert summary


def test_convert_says_the_version_the_input_was_written_in(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = aas.convert(EVERY_KIND, out, to_version="3.0")
    assert (result.upgraded_from, result.source_written_in) == ("2.0.1", "2.0.1")
    assert result.target_version is Version.V3_0
    ran = run_cli("convert", str(EVERY_KIND), str(out))
    assert ran.returncode == 0, ran.stderr
    assert f"(json, V2.0.1) -> {out} (json, V3.1)" in ran.stderr.decode()
    again = aas.convert(out, tmp_path / "again.json")
    assert (again.upgraded_from, again.source_written_in) == (None, "3.1")


# endregion


# region a lone V2 identifiable


def test_a_lone_v2_submodel_is_read_and_upgraded(tmp_path: Path) -> None:
    lone = every_kind()["submodels"][0]
    source = tmp_path / "submodel.json"
    source.write_text(json.dumps(lone, indent=1))
    model = aas.load(source)
    assert model.upgraded_from == "2.0.1" and model.class_name == "Submodel"
    assert model.root.id == "urn:example:pumps:sm:operating"
    assert len(model.root.submodel_elements or []) == len(lone["submodelElements"])
    # The upgrade's findings point into the document as it is (no Environment around it).
    formula = [f for f in model.findings if f.rule == "v2:not-carried"]
    assert formula[0].location.pointer == "/qualifiers/1"
    line = formula[0].location.line
    assert line is not None
    assert "Formula" in "".join(source.read_text().splitlines()[line - 1 : line + 2])
    report = aas.validate(source)
    assert [f for f in report.findings if f.severity is Severity.ERROR] == []
    out = tmp_path / "submodel.xml"
    result = aas.convert(source, out)
    assert result.upgraded_from == "2.0.1"
    assert aas.load(out).class_name == "Submodel"


# endregion


# region findings at the V2 place


def _broken(tmp_path: Path, suffix: str) -> Path:
    """every-kind with two values outside their types (no valid V2): one in a collection,
    one in an Operation's input variable."""
    if suffix == "xml":
        text = EVERY_KIND_XML.read_text()
        text = text.replace(
            "<aas:valueType>unsignedInt</aas:valueType>\n                  <aas:value>12<",
            "<aas:valueType>unsignedInt</aas:valueType>\n                  <aas:value>-12<",
        )
        text = text.replace(
            "<aas:valueType>double</aas:valueType>\n                  </aas:property>",
            "<aas:valueType>double</aas:valueType><aas:value>fast</aas:value>\n"
            "                  </aas:property>",
        )
    else:
        text = EVERY_KIND.read_text()
        text = text.replace('"unsignedInt"}}, "value": "12"', '"unsignedInt"}}, "value": "-12"')
        text = text.replace(
            '"Target", "kind": "Template", "valueType": {"dataObjectType": {"name": "double"}}',
            '"Target", "kind": "Template", "valueType": '
            '{"dataObjectType": {"name": "double"}}, "value": "fast"',
        )
    path = tmp_path / f"broken.{suffix}"
    path.write_text(text)
    return path


@pytest.mark.parametrize("suffix", ["json", "xml"])
def test_constraint_findings_point_at_the_v2_lines(tmp_path: Path, suffix: str) -> None:
    path = _broken(tmp_path, suffix)
    lines = path.read_text().splitlines()
    found = [f for f in aas.validate(path).findings if f.severity is Severity.ERROR]
    assert [f.rule for f in found] == ["metamodel:value-type"] * 2
    for finding, value in zip(found, ["-12", "fast"], strict=True):
        line = finding.location.line
        assert line is not None, finding
        # The V2 element that holds the value: its line, or the value's own on one line.
        held = "\n".join(lines[line - 1 : line + 6])
        assert value in held and "Property" in held.replace("property", "Property"), held
    if suffix == "xml":
        assert all((f.location.xpath or "").startswith("/aas:aasenv/") for f in found)
        assert "aas:inputVariable" in (found[1].location.xpath or "")
    else:
        assert found[1].location.pointer == "/submodels/0/submodelElements/9/inputVariable/0/value"


# endregion


# region what real V2 and V1.0 files hold (issue 12)


def test_an_identifiable_without_an_id_is_left_out_whole_and_said_once(tmp_path: Path) -> None:
    model = every_kind()
    submodel(model)["identification"]["id"] = ""
    environment, findings = upgrade_environment(model, Version.V3_1)
    # what is said and what is done agree: not carried, so not written with an empty id
    assert [sm["id"] for sm in environment.get("submodels", [])] == []
    under = [f for f in findings if (f.location.pointer or "").startswith("/submodels/0")]
    assert [(f.rule, f.location.pointer) for f in under] == [("v2:not-carried", "/submodels/0")]
    assert repr(submodel(model)["idShort"]) in under[0].message
    assert [rule for rule, _ in errors(validated(tmp_path, model))] == []


def test_a_lone_identifiable_without_an_id_is_a_read_error(tmp_path: Path) -> None:
    lone = every_kind()["submodels"][0]
    del lone["identification"]
    source = tmp_path / "submodel.json"
    source.write_text(json.dumps(lone))
    result = run_cli("info", str(source))
    said = (result.stdout + result.stderr).decode()
    assert result.returncode != 0 and "Traceback" not in said
    assert "Submodel has no identification.id" in said


# endregion


@pytest.mark.parametrize("assets", [1, 2])
def test_an_asset_reference_without_keys_takes_the_only_asset(assets: int) -> None:
    model = every_kind()
    shell(model)["asset"] = {"keys": []}
    if assets == 2:
        extra = copy.deepcopy(model["assets"][0])
        extra["identification"]["id"] = "urn:example:pumps:asset:4712"
        model["assets"].append(extra)
    environment, findings = upgrade_environment(model, Version.V3_1)
    information = environment["assetAdministrationShells"][0]["assetInformation"]
    at = [
        (f.rule, f.severity.name)
        for f in findings
        if f.location.pointer == "/assetAdministrationShells/0/asset"
    ]
    if assets == 1:
        # the one Asset is the shell's: its id and kind, said as a choice
        assert information == {
            "assetKind": "Instance",
            "globalAssetId": "urn:example:pumps:asset:4711",
        }
        assert at == [("v2:invented", "INFO")]
    else:
        # which of two? no choice is made: as before, the loss is said
        assert "globalAssetId" not in information
        assert at == [("v2:not-carried", "WARNING")]


@pytest.mark.parametrize("language", [None, "", "absent"])
def test_a_lang_string_without_a_language_keeps_its_text_never_fails_the_file(
    tmp_path: Path, language: str | None
) -> None:
    model = every_kind()
    strings = [{"language": "en", "text": "kept"}, {"language": language, "text": "also kept"}]
    if language == "absent":
        del strings[1]["language"]
    submodel(model)["description"] = strings
    environment, findings = upgrade_environment(model, Version.V3_1)
    assert environment["submodels"][0]["description"] == [
        {"language": "en", "text": "kept"},
        {"language": "und", "text": "also kept"},
    ]
    chosen = [f for f in findings if f.location.pointer == "/submodels/0/description/1"]
    assert [(f.rule, f.severity.name) for f in chosen] == [("v2:invented-language", "INFO")]
    assert "'also kept'" in chosen[0].message
    assert errors(validated(tmp_path, model)) == []


def test_a_reference_that_may_name_a_left_out_identifiable_is_kept_and_reported() -> None:
    model = every_kind()
    model["submodels"].append({"modelType": {"name": "Submodel"}, "idShort": "lost"})
    lost = {"type": "Submodel", "local": True, "value": "urn:example:lost", "idType": "IRI"}
    shell(model)["submodels"].append({"keys": [lost]})
    environment, findings = upgrade_environment(model, Version.V3_1)
    references = environment["assetAdministrationShells"][0]["submodels"]
    assert [r["keys"][0]["value"] for r in references] == [
        "urn:example:pumps:sm:operating",  # carried: not reported
        "urn:example:lost",  # kept as it was
    ]
    dangling = [f for f in findings if f.rule == "v2:dangling-reference"]
    assert [(f.location.pointer, f.severity) for f in dangling] == [
        ("/assetAdministrationShells/0/submodels/1", Severity.WARNING)
    ]
    assert "'lost'" in dangling[0].message and "'urn:example:lost'" in dangling[0].message
    # read from the file, the finding is at the reference's line
    text = json.dumps(model, indent=2).encode()
    loaded = aas.load(text, format="json")
    [found] = [f for f in loaded.findings if f.rule == "v2:dangling-reference"]
    assert found.location.line is not None
    lines = text.decode().split("\n")[found.location.line - 1 :]
    assert lines[0].strip() == "{" and '"keys"' in lines[1]  # the reference object opens
    assert any("urn:example:lost" in line for line in lines[:8])


def test_without_left_out_identifiables_no_reference_is_dangling() -> None:
    # the shell's derivedFrom names a shell not in the model: V3 allows that, nothing to say
    _, findings = upgrade_environment(every_kind(), Version.V3_1)
    assert not [f for f in findings if f.rule == "v2:dangling-reference"]
