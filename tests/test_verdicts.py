"""One verdict everywhere: ids are globally unique, one defect is one finding, ``convert
--strict`` refuses exactly what ``validate`` fails (and what one cannot read the other calls
unreadable), and invalid option values are usage errors in every command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import aas
from aas import pipeline
from aas.findings import Finding, Severity

from conftest import EXAMPLES, assert_clean_failure, corpus, resolve_pointer, run_cli

MOTOR_JSON = EXAMPLES / "motor" / "motor.json"
SHARED = "urn:example:shared"

# region ids held twice


def shared_id_environment() -> dict[str, Any]:
    """A shell and a concept description with one id, as Catena-X models have them."""
    return {
        "assetAdministrationShells": [
            {
                "modelType": "AssetAdministrationShell",
                "id": SHARED,
                "assetInformation": {"assetKind": "Instance", "globalAssetId": "urn:x:asset"},
            }
        ],
        "submodels": [{"modelType": "Submodel", "id": "urn:example:sm"}],
        "conceptDescriptions": [
            {"modelType": "ConceptDescription", "id": "urn:example:cd"},
            {"modelType": "ConceptDescription", "id": SHARED},
        ],
    }


def test_two_identifiables_with_one_id_are_an_error_at_the_second(tmp_path: Path) -> None:
    source = tmp_path / "shared.json"
    data = json.dumps(shared_id_environment(), indent=2).encode()
    source.write_bytes(data)
    report = aas.validate(source)
    (twice,) = [f for f in report.findings if f.rule == "metamodel:unique-id"]
    assert twice.severity is Severity.ERROR and not report.ok and report.readable
    assert twice.location.pointer == "/conceptDescriptions/1/id"
    assert resolve_pointer(json.loads(data), twice.location.pointer) == SHARED
    assert twice.location.line == data[: data.rindex(b'"id": "' + SHARED.encode())].count(b"\n") + 1
    assert "AssetAdministrationShell at /assetAdministrationShells/0" in twice.message
    # load and convert see it too (it is a fact of the metamodel), and --strict refuses it
    assert "metamodel:unique-id" in {f.rule for f in aas.load(source).findings}
    with pytest.raises(aas.FindingsError):
        aas.convert(source, tmp_path / "out.xml", strict=True)
    converted = run_cli("convert", str(source), str(tmp_path / "out.xml"))
    assert converted.returncode == 0
    assert "error: [metamodel:unique-id]" in converted.stderr.decode()
    # The last line says the output was written, and with what the model still breaks.
    last = converted.stderr.decode().strip().splitlines()[-1]
    assert last.startswith("converted ")
    assert "carried over as they are: 1 error; --strict refuses such a model" in last


def test_an_id_held_twice_in_xml_is_located_by_an_xpath_with_its_line(tmp_path: Path) -> None:
    model = aas.load(json.dumps(shared_id_environment()).encode(), format="json")
    xml = aas.dump(model, "xml").data
    report = aas.validate(xml, format="xml")
    (twice,) = [f for f in report.findings if f.rule == "metamodel:unique-id"]
    tree = etree.ElementTree(etree.fromstring(xml))
    namespaces = {"aas": etree.QName(tree.getroot()).namespace}
    (node,) = tree.xpath(twice.location.xpath, namespaces=namespaces)
    assert node.text == SHARED and etree.QName(node).localname == "id"
    assert twice.location.line == node.sourceline


def test_a_template_whose_concept_description_has_its_submodels_id_is_invalid() -> None:
    folder = corpus("idta-templates", "published", "Artificial Intelligence Deployment", "1", "0")
    for path in sorted(folder.glob("*Template_AIDeployment.*")):
        twice = [f for f in aas.validate(path).findings if f.rule == "metamodel:unique-id"]
        assert twice, path
        assert all("is already the id of the Submodel" in f.message for f in twice)


def test_a_reference_reaches_the_identifiable_of_its_kind_when_an_id_is_held_twice() -> None:
    environment = shared_id_environment()
    environment["submodels"][0]["semanticId"] = {
        "type": "ModelReference",
        "keys": [{"type": "ConceptDescription", "value": SHARED}],
    }
    report = aas.validate(json.dumps(environment).encode(), format="json")
    assert not [f for f in report.findings if f.rule.startswith("reference:")]


# endregion

# region one defect, one finding

TESTGEN_JSON = ("testgen-3.0", "Json", "ContainedInEnvironment", "Unexpected")


def at_pointer(report: aas.Report, pointer: str) -> list[Finding]:
    return [f for f in report.findings if f.location.pointer == pointer]


@pytest.mark.parametrize(
    ("case", "pointer", "rule", "also"),
    [
        (
            "Unserializable/RequiredViolation/AnnotatedRelationshipElement/first.json",
            "/submodels/0/submodelElements/0",
            "model:required",
            {"schema:required"},
        ),
        (
            "Unserializable/UnexpectedAdditionalProperty/AdministrativeInformation/invalid.json",
            "/assetAdministrationShells/0/administration/unexpectedAdditionalProperty",
            "model:unexpected-property",
            {"schema:additionalProperties"},
        ),
        (
            "Invalid/PatternViolation/AdministrativeInformation/revision/dot.json",
            "/assetAdministrationShells/0/administration/revision",
            "metamodel:pattern",
            {"schema:pattern"},
        ),
        (
            "Invalid/MinLengthViolation/AdministrativeInformation/revision.json",
            "/assetAdministrationShells/0/administration/revision",
            "metamodel:min-length",
            {"metamodel:pattern", "schema:minLength", "schema:pattern"},
        ),
        (
            "Invalid/ConstraintViolation/Reference/"
            "for_an_external_reference_first_key_not_in_generic_globally_identifiables.json",
            "/submodels/0/submodelElements/0/value",
            "AASd-121",
            {"AASd-122", "AASd-124"},
        ),
    ],
)
def test_a_defect_several_layers_see_is_one_finding_naming_the_others(
    case: str, pointer: str, rule: str, also: set[str]
) -> None:
    report = aas.validate(corpus(*TESTGEN_JSON) / case, version="3.0")
    (finding,) = at_pointer(report, pointer)
    assert finding.rule == rule and set(finding.also) == also
    assert f"(also: {', '.join(finding.also)})" in str(finding)
    assert report.to_dict()["findings"][report.findings.index(finding)]["also"] == list(
        finding.also
    )


def test_a_value_too_long_that_breaks_its_pattern_too_is_two_defects() -> None:
    path = corpus(*TESTGEN_JSON, "Invalid", "MaxLengthViolation", "AdministrativeInformation")
    report = aas.validate(path / "revision.json", version="3.0")
    found = at_pointer(report, "/assetAdministrationShells/0/administration/revision")
    assert sorted((f.rule, f.also) for f in found) == [
        ("metamodel:max-length", ("schema:maxLength",)),
        ("metamodel:pattern", ("schema:pattern",)),
    ]


def test_an_empty_list_is_one_finding_at_the_list_in_json_and_xml() -> None:
    data = b'{"submodels": [{"modelType": "Submodel", "id": "urn:x"}], "conceptDescriptions": []}'
    report = aas.validate(data, format="json")
    (empty,) = [f for f in report.findings if f.severity is Severity.ERROR]
    assert (empty.rule, empty.also) == ("metamodel:min-items", ("schema:minItems",))
    assert empty.location.pointer == "/conceptDescriptions" and empty.location.line == 1
    xml = (
        b'<environment xmlns="https://admin-shell.io/aas/3/1">\n<submodels>\n'
        b"<submodel><id>urn:x</id></submodel>\n</submodels>\n<conceptDescriptions/>\n"
        b"</environment>"
    )
    report = aas.validate(xml, format="xml")
    (empty,) = [f for f in report.findings if f.severity is Severity.ERROR]
    assert (empty.rule, empty.also) == ("metamodel:min-items", ("xsd:element-content",))
    assert empty.location.xpath == "/aas:environment/aas:conceptDescriptions"
    assert empty.location.line == 5


def test_merging_loses_no_defect(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every finding the layers make is still reported: by itself, or named in ``also`` of
    the finding at its place that reports its defect."""
    paths = sorted(corpus(*TESTGEN_JSON).rglob("*.json"))[::6]
    merged = [aas.validate(path, version="3.0") for path in paths]
    monkeypatch.setattr(pipeline, "merge", lambda findings, targets=None: list(findings))
    fewer = 0
    for path, report in zip(paths, merged, strict=True):
        every = aas.validate(path, version="3.0")
        named = {(rule, f.location.pointer) for f in report.findings for rule in (f.rule, *f.also)}
        # The schema finds an unknown property at its object; the merged finding is at the
        # property itself.
        named_parents = {(rule, (at or "").rsplit("/", 1)[0]) for rule, at in named}
        for finding in every.findings:
            pointer = finding.location.pointer
            parent = (pointer or "").rsplit("/", 1)[0]
            place = {(finding.rule, pointer), (finding.rule, parent)}
            assert place & named or (finding.rule, pointer) in named_parents, (path, finding)
        assert every.ok == report.ok and every.readable == report.readable
        fewer += len(every.findings) - len(report.findings)
    assert len(paths) > 300 and fewer > 100


# endregion

# region convert --strict and validate agree


def sample() -> list[tuple[Path, str | None]]:
    """Valid, invalid and unreadable corpus files of both versions and formats, and templates."""
    picked: list[tuple[Path, str | None]] = []
    for fmt, suffix in (("Json", "json"), ("Xml", "xml")):
        base = corpus("testgen-3.0", fmt, "ContainedInEnvironment")
        version = "3.0" if suffix == "json" else None
        for kind, step in (("Expected", 120), ("Unexpected/Invalid", 60), ("Unexpected", 40)):
            files = sorted((base / kind).rglob(f"*.{suffix}"))[::step]
            picked.extend((path, version) for path in files)
    templates = sorted(corpus("idta-templates", "published").rglob("*"))
    picked.extend((path, None) for path in templates if path.suffix in (".json", ".aasx"))
    return picked[:: 1 if len(picked) < 400 else 2]


def test_convert_strict_refuses_exactly_what_validate_fails(tmp_path: Path) -> None:
    outcomes: dict[str, int] = {}
    for number, (path, version) in enumerate(sample()):
        report = aas.validate(path, version=version)
        target = tmp_path / f"{number}.json"
        try:
            aas.convert(path, target, version=version, strict=True)
            outcome = "converted"
        except aas.FindingsError as refused:
            outcome = "refused"
            assert {f.rule for f in refused.findings} == {
                f.rule for f in report.findings if f.severity is Severity.ERROR
            }, path
        except aas.ReadError:
            outcome = "unreadable"
        expected = (
            "unreadable"
            if not report.readable
            else "refused"
            if report.fails(Severity.ERROR)
            else "converted"
        )
        assert outcome == expected, (path, [str(f) for f in report.findings][:5])
        assert target.exists() is (outcome == "converted")
        if not report.readable:  # a tolerant conversion cannot read it either
            with pytest.raises(aas.ReadError):
                aas.convert(path, tmp_path / "tolerant.json", version=version)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert min(outcomes.get(kind, 0) for kind in ("converted", "refused", "unreadable")) > 10


def test_the_commands_agree_on_exit_codes(tmp_path: Path) -> None:
    base = corpus(*TESTGEN_JSON)
    cases = {
        base / "Invalid/PatternViolation/AdministrativeInformation/revision/dot.json": 1,
        base / "Unserializable/RequiredViolation/AnnotatedRelationshipElement/first.json": 3,
    }
    for path, code in cases.items():
        validated = run_cli("validate", "--aas-version", "3.0", str(path))
        converted = run_cli(
            "convert", "--aas-version", "3.0", "--strict", str(path), str(tmp_path / "o.xml")
        )
        assert validated.returncode == code == converted.returncode, path
        if code == 3:
            assert b"UNREADABLE" in validated.stdout and b"schema:required" in validated.stdout
            assert run_cli("info", "--aas-version", "3.0", str(path)).returncode == 3


def test_strict_convert_runs_the_schema_to_refuse_what_only_the_schema_finds(
    tmp_path: Path,
) -> None:
    """A lone Blob whose modelType is wrong, read without --model-type: the schema fails it
    (an Environment has no modelType) where the model's own checks find nothing to say. So
    ``convert --strict`` checks the schema too, or it would write what ``validate`` fails."""
    path = corpus("testdatagen-3.1", "Json", "Unexpected", "Unserializable", "InvalidModelType")
    path = path / "Blob" / "wrong.json"
    report = aas.validate(path)
    assert not report.ok
    assert {f.rule for f in report.findings if f.severity is Severity.ERROR} <= {
        "schema:additionalProperties",
        "model:unexpected-property",
    }
    validated = run_cli("validate", str(path))
    converted = run_cli("convert", "--strict", str(path), str(tmp_path / "out.xml"))
    assert validated.returncode == converted.returncode != 0
    assert not (tmp_path / "out.xml").exists()


# endregion

# region invalid option values

MOTOR = str(MOTOR_JSON)
USAGE_ERRORS = {
    "convert --from": ["convert", MOTOR, "out.xml", "--from", "yaml"],
    "convert --to": ["convert", MOTOR, "out.xml", "--to", "yaml"],
    "convert --aas-version": ["convert", MOTOR, "out.xml", "--aas-version", "3.2"],
    "convert --to-version": ["convert", MOTOR, "out.xml", "--to-version", "4"],
    "convert --jobs negative": ["convert", MOTOR, "out.xml", "--jobs", "-1"],
    "convert --jobs text": ["convert", MOTOR, "out.xml", "--jobs", "many"],
    "convert unknown option": ["convert", MOTOR, "out.xml", "--bogus"],
    "validate --aas-version": ["validate", MOTOR, "--aas-version", "3.2"],
    "validate --from": ["validate", MOTOR, "--from", "yaml"],
    "validate --model-type": ["validate", MOTOR, "--model-type", "Gadget"],
    "validate --output": ["validate", MOTOR, "--output", "pdf"],
    "validate --fail-on": ["validate", MOTOR, "--fail-on", "notice"],
    "validate --checks": ["validate", MOTOR, "--checks", "schema,spelling"],
    "validate --schema": ["validate", MOTOR, "--schema", "no-such-schema.json"],
    "validate --jobs": ["validate", MOTOR, "--jobs", "-2"],
    "validate --jobs text": ["validate", MOTOR, "--jobs", "x"],
    "info --from": ["info", MOTOR, "--from", "yaml"],
    # 2.0 is a version to read (V2 JSON, upgraded): no usage error; 4.0 is none
    "info --aas-version": ["info", MOTOR, "--aas-version", "4.0"],
    "info --output": ["info", MOTOR, "--output", "yaml"],
    "unknown command": ["transmogrify", MOTOR],
}


@pytest.mark.parametrize("case", list(USAGE_ERRORS))
def test_an_invalid_option_value_is_a_one_line_usage_error(case: str, tmp_path: Path) -> None:
    result = run_cli(*USAGE_ERRORS[case], cwd=tmp_path)
    stderr = assert_clean_failure(result, 2)
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert result.stdout == b""
    assert list(tmp_path.iterdir()) == []


# endregion


def test_load_reports_a_defect_once_in_xml_too() -> None:
    name = "first_key_not_in_globally_identifiables"
    xml = corpus("testgen-3.0", "Xml", "ContainedInEnvironment", "Unexpected", "Invalid")
    path = xml / "ConstraintViolation" / "reference" / f"{name}.xml"
    (finding,) = aas.load(path).findings
    assert (finding.rule, finding.also) == ("AASd-121", ("AASd-123",))


def test_a_value_of_the_wrong_type_in_xml_is_one_finding() -> None:
    """Text where a Reference belongs: the model cannot read it, and the XSD finds both the
    text and the missing children. One defect, reported by the model."""
    xml = corpus("testgen-3.0", "Xml", "ContainedInEnvironment", "Unexpected", "Unserializable")
    report = aas.validate(xml / "TypeViolation" / "administrativeInformation" / "creator.xml")
    (finding,) = report.findings
    assert finding.rule == "model:type" and not report.readable
    assert set(finding.also) == {"xsd:cvc-complex-type-2-3", "xsd:element-content"}
    assert finding.location.line is not None
