"""``validate()`` and ``aas validate``: renderings, locations, references, packages, schemas.

Every rendering is parsed back (lxml for JUnit, JSON for SARIF and the JSON report) and
compared with the findings it renders; every location a finding gives is followed into the
document it names (JSON pointers resolved, XPaths evaluated with lxml). The official schemas
are read from the conformance corpus and never copied into the project.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import aas
from aas.findings import Finding, Severity
from aas.report import Report, render_json, render_junit, render_sarif, render_text
from aas.validation import validate
from aas.wording import counted

from conftest import (
    EXAMPLES,
    INVALID_30_JSON,
    assert_clean_failure,
    corpus,
    resolve_pointer,
    run_cli,
)

# region helpers

MOTOR_JSON = EXAMPLES / "motor" / "motor.json"
PUMP_JSON = EXAMPLES / "pump" / "pump.json"
PUMP_XML = EXAMPLES / "pump" / "pump.xml"
SENSOR_AASX = EXAMPLES / "sensor" / "sensor.aasx"

#: Lone AdministrativeInformation instances (V3.1) whose version or revision breaks its pattern.
BAD_ADMINISTRATION_31 = (
    "testdatagen-3.1",
    "Json",
    "Unexpected",
    "Invalid",
    "PatternViolation",
    "AdministrativeInformation",
)
#: A V3.0 Environment whose ReferenceElement breaks AASd-123 (the first key of a model
#: reference is no AAS identifiable).
INVALID_JSON = (
    *INVALID_30_JSON,
    "ConstraintViolation",
    "Reference",
    "for_a_model_reference_first_key_not_in_aas_identifiables.json",
)


def aas_namespaces(tree: Any) -> dict[str, str]:
    """The prefix ``aas`` bound to the namespace of the document's root element."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    return {"aas": etree.QName(root).namespace}


def errors(report: Report) -> list[Finding]:
    return [finding for finding in report.findings if finding.severity is Severity.ERROR]


def spread(
    folder: Path, suffix: str, per_cause: int, skip: frozenset[str] = frozenset()
) -> list[Path]:
    """Up to ``per_cause`` files from each cause folder, evenly spaced over its class folders."""
    picked: list[Path] = []
    for cause in sorted(path for path in folder.iterdir() if path.is_dir()):
        files = [
            path
            for path in sorted(cause.rglob(f"*.{suffix}"))
            if path.relative_to(cause).parts[0] not in skip
        ]
        step = max(1, len(files) // per_cause)
        picked.extend(files[::step][:per_cause])
    return picked


def findings_with_reports(reports: list[Report]) -> Iterator[tuple[Report, Finding]]:
    for report in reports:
        for finding in report.findings:
            yield report, finding


@pytest.fixture(scope="module")
def broken_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("broken") / "broken.json"
    path.write_bytes(b'{"submodels": [')
    return path


@pytest.fixture(scope="module")
def mixed(broken_json: Path) -> list[Report]:
    """A valid file (an info), a file with warnings (XML, lines), an invalid one, a broken one."""
    return [
        validate(str(MOTOR_JSON)),
        validate(str(PUMP_XML)),
        validate(corpus(*INVALID_JSON), version="3.0"),
        validate(broken_json),
    ]


def test_the_mixed_inputs_are_what_the_rendering_tests_need(mixed: list[Report]) -> None:
    motor, pump, invalid, broken = mixed
    assert motor.ok and [f.severity for f in motor.findings] == [Severity.INFO]
    assert pump.ok and {f.severity for f in pump.findings} == {Severity.WARNING}
    assert all(f.location.line and f.location.xpath for f in pump.findings)
    assert not invalid.ok and invalid.readable
    assert "AASd-123" in {f.rule for f in errors(invalid)}
    assert not broken.readable
    assert [f.rule for f in broken.findings] == ["json:syntax"]
    assert broken.findings[0].location.line == 1


def test_pointer_resolver_finds_what_is_there_and_refuses_what_is_not() -> None:
    document = {"a": [{"b/c": 1, "d~e": 2}], "": 3}
    assert resolve_pointer(document, "") is document
    assert resolve_pointer(document, "/a/0/b~1c") == 1
    assert resolve_pointer(document, "/a/0/d~0e") == 2
    assert resolve_pointer(document, "/") == 3
    for wrong in ("/a/1", "/a/01", "/a/x", "/b", "/a/0/b~1c/z", "a"):
        with pytest.raises(LookupError):
            resolve_pointer(document, wrong)


# endregion

# region renderings


def test_junit_has_one_testcase_per_file_failures_errors_and_matching_counts(
    mixed: list[Report],
) -> None:
    root = etree.fromstring(render_junit(mixed).encode())
    assert root.tag == "testsuites"
    cases = root.findall("testsuite/testcase")
    assert [case.get("name") for case in cases] == [report.source for report in mixed]
    failures = errors_seen = 0
    for report, case in zip(mixed, cases, strict=True):
        failure = case.findall("failure")
        error = case.findall("error")
        if not report.readable:
            assert len(error) == 1 and not failure
            assert "json:syntax" in error[0].text
            errors_seen += 1
        elif errors(report):
            assert len(failure) == 1 and not error
            assert failure[0].get("message") == counted(len(errors(report)), "finding")
            for finding in errors(report):
                assert str(finding) in failure[0].text
            failures += 1
        else:
            assert not failure and not error
    # warnings and infos below the threshold are kept as output, not verdicts
    pump_out = cases[1].findtext("system-out")
    assert pump_out is not None and pump_out.count("reference:unresolved") == 2
    for element in (root, root.find("testsuite")):
        assert element.get("tests") == str(len(cases)) == "4"
        assert element.get("failures") == str(failures) == "1"
        assert element.get("errors") == str(errors_seen) == "1"


def test_junit_fail_on_warning_turns_warnings_into_failures(mixed: list[Report]) -> None:
    root = etree.fromstring(render_junit(mixed, Severity.WARNING).encode())
    cases = {case.get("name"): case for case in root.iter("testcase")}
    motor, pump, invalid, broken = mixed
    assert cases[motor.source].find("failure") is None  # an info is below "warning"
    pump_failure = cases[pump.source].find("failure")
    assert pump_failure is not None and pump_failure.get("message") == "2 findings"
    invalid_failure = cases[invalid.source].find("failure")
    assert invalid_failure is not None
    assert invalid_failure.get("message") == counted(len(invalid.findings), "finding")
    assert cases[str(broken.source)].find("error") is not None
    assert (root.get("failures"), root.get("errors")) == ("2", "1")


def test_sarif_has_one_result_per_finding_with_rule_level_and_locations(
    mixed: list[Report],
) -> None:
    sarif = json.loads(render_sarif(mixed))
    assert sarif["version"] == "2.1.0"
    assert "sarif-2.1.0" in sarif["$schema"]
    (run,) = sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids))
    expected = list(findings_with_reports(mixed))
    assert len(run["results"]) == len(expected) == 5
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    documents = {
        str(MOTOR_JSON): json.loads(MOTOR_JSON.read_bytes()),
        str(corpus(*INVALID_JSON)): json.loads(corpus(*INVALID_JSON).read_bytes()),
    }
    pump_tree = etree.parse(str(PUMP_XML))
    for result, (report, finding) in zip(run["results"], expected, strict=True):
        assert result["ruleId"] == finding.rule
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == levels[finding.severity]
        assert result["message"]["text"] == finding.message
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == (finding.location.file or report.source)
        if finding.location.line is None:
            assert "region" not in physical
        else:
            assert physical["region"]["startLine"] == finding.location.line
        logical = location.get("logicalLocations")
        if finding.location.pointer is not None:
            (name,) = logical
            assert name["fullyQualifiedName"] == finding.location.pointer
            resolve_pointer(documents[report.source], name["fullyQualifiedName"])
        elif finding.location.xpath is not None:
            (name,) = logical
            assert name["fullyQualifiedName"] == finding.location.xpath
            nodes = pump_tree.xpath(
                name["fullyQualifiedName"], namespaces=aas_namespaces(pump_tree)
            )
            assert len(nodes) == 1 and nodes[0].sourceline == physical["region"]["startLine"]
        else:
            assert logical is None
    broken_result = run["results"][-1]
    assert broken_result["ruleId"] == "json:syntax"
    assert broken_result["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1,
        "startColumn": 16,
    }


def test_sarif_pointer_of_a_root_finding_is_the_root_pointer() -> None:
    path = corpus(*BAD_ADMINISTRATION_31, "revision", "dot.json")
    report = validate(path, model_type="AdministrativeInformation")
    root_findings = [f for f in report.findings if f.location.pointer == ""]
    assert [f.rule for f in root_findings] == ["AASd-005"]
    sarif = json.loads(render_sarif([report]))
    document = json.loads(path.read_bytes())
    for result in sarif["runs"][0]["results"]:
        for logical in result["locations"][0].get("logicalLocations", []):
            resolve_pointer(document, logical["fullyQualifiedName"])


def test_json_report_parses_with_ok_and_located_findings(mixed: list[Report]) -> None:
    document = json.loads(render_json(mixed))
    assert document["ok"] is False
    assert document["tool"]["name"] == "aas-toolkit"
    assert len(document["reports"]) == 4
    for report, rendered in zip(mixed, document["reports"], strict=True):
        assert rendered["source"] == report.source
        assert rendered["readable"] is report.readable
        assert rendered["ok"] is report.ok
        # the text report's word: UNREADABLE, INVALID or ok, as the flags say
        expected = "UNREADABLE" if not report.readable else "ok" if report.ok else "INVALID"
        assert rendered["verdict"] == expected
        assert rendered["counts"] == {
            severity.value: sum(1 for f in report.findings if f.severity is severity)
            for severity in Severity
        }
        assert len(rendered["findings"]) == len(report.findings)
        for item, finding in zip(rendered["findings"], report.findings, strict=True):
            assert item["severity"] == finding.severity.value
            assert item["rule"] == finding.rule and item["message"] == finding.message
            assert item["location"]["file"] == report.source
    assert [r["ok"] for r in document["reports"]] == [True, True, False, False]
    pump_locations = [f["location"] for f in document["reports"][1]["findings"]]
    assert all(isinstance(loc["line"], int) and loc["xpath"] for loc in pump_locations)
    invalid_document = json.loads(corpus(*INVALID_JSON).read_bytes())
    for item in document["reports"][2]["findings"]:
        resolve_pointer(invalid_document, item["location"]["pointer"])
    assert json.loads(render_json(mixed[:2]))["ok"] is True


def test_text_has_a_summary_per_file_and_a_line_per_finding(mixed: list[Report]) -> None:
    lines = render_text(mixed).splitlines()
    assert len(lines) == len(mixed) + sum(len(r.findings) for r in mixed) + 1
    position = 0
    for report, verdict in zip(mixed, ("ok", "ok", "INVALID", "UNREADABLE"), strict=True):
        assert lines[position].startswith(f"{report.source}: {verdict} (")
        position += 1
        for finding in report.findings:
            assert lines[position] == f"  {finding}"
            assert f"[{finding.rule}]" in lines[position]
            assert finding.severity.value in lines[position]
            position += 1
    assert lines[position] == "4 files, 2 with errors or unreadable"
    assert "INVALID (1 error; json V3.0)" in lines[5]


# endregion

# region locations

TESTGEN = ("testgen-3.0",)
#: Class folders whose XML findings could not be located (none since XPaths name the class
#: element below an abstract-typed property).
XPATH_DEFECT_CLASSES: frozenset[str] = frozenset()


def test_json_error_pointers_resolve_in_the_document() -> None:
    base = corpus(*TESTGEN, "Json", "ContainedInEnvironment", "Unexpected", "Invalid")
    sample = spread(base, "json", per_cause=6)
    assert 35 <= len(sample) <= 45
    assert len({path.relative_to(base).parts[0] for path in sample}) == 8
    problems = []
    for path in sample:
        report = validate(path, version="3.0")
        found = errors(report)
        assert found, path
        document = json.loads(path.read_bytes())
        for finding in found:
            if finding.location.pointer is None:
                problems.append(f"{path}: {finding.rule} has no JSON pointer")
                continue
            try:
                resolve_pointer(document, finding.location.pointer)
            except LookupError as error:
                problems.append(f"{path}: {finding.rule} {error}")
        cause, _, prop = path.relative_to(base).parts[:3]
        if cause == "PatternViolation":
            # the pointer ends at the very property whose pattern is broken
            tails = {f.location.pointer.rsplit("/", 1)[-1] for f in found if f.location.pointer}
            assert prop in tails, (path, tails)
    assert not problems, "\n".join(problems)


def test_json_unserializable_findings_point_into_the_document() -> None:
    base = corpus(*TESTGEN, "Json", "ContainedInEnvironment", "Unexpected", "Unserializable")
    sample = spread(base, "json", per_cause=2)
    assert len(sample) >= 10
    for path in sample:
        found = errors(validate(path, version="3.0"))
        # the model layer names the cause; the schema layer may add what else is wrong
        assert any(f.rule.startswith("model:") for f in found), path
        assert all(f.rule.startswith(("model:", "schema:")) for f in found), path
        document = json.loads(path.read_bytes())
        for finding in found:
            assert finding.location.pointer is not None, (path, finding)
            resolve_pointer(document, finding.location.pointer)


def check_xml_locations(path: Path, found: list[Finding]) -> list[str]:
    """Each finding's XPath selects exactly one element and its line is that element's line."""
    tree = etree.parse(str(path))
    problems = []
    for finding in found:
        location = finding.location
        if location.xpath is None:
            problems.append(f"{path}: {finding.rule} has no XPath")
            continue
        nodes = tree.xpath(location.xpath, namespaces=aas_namespaces(tree))
        if len(nodes) != 1:
            problems.append(f"{path}: {location.xpath} selects {len(nodes)} elements")
        elif nodes[0].sourceline != location.line:
            problems.append(f"{path}: line {location.line}, element at {nodes[0].sourceline}")
    return problems


def test_xml_error_xpaths_select_the_element_on_its_line() -> None:
    base = corpus(*TESTGEN, "Xml", "ContainedInEnvironment", "Unexpected", "Invalid")
    sample = spread(base, "xml", per_cause=6, skip=XPATH_DEFECT_CLASSES)
    assert 35 <= len(sample) <= 45
    problems = []
    for path in sample:
        found = errors(validate(path))
        assert found, path
        problems.extend(check_xml_locations(path, found))
    assert not problems, "\n".join(problems)


def test_xml_unserializable_findings_carry_a_line() -> None:
    base = corpus(*TESTGEN, "Xml", "ContainedInEnvironment", "Unexpected", "Unserializable")
    sample = spread(base, "xml", per_cause=3)
    assert len(sample) == 12
    problems = []
    for path in sample:
        report = validate(path)
        found = errors(report)
        assert any(f.rule.startswith("model:") for f in found), path
        assert all(f.rule.startswith(("model:", "xsd:")) for f in found), path
        assert all(isinstance(f.location.line, int) for f in found), path
        problems.extend(check_xml_locations(path, found))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "case",
    [
        (
            "testgen-3.0",
            "Xml",
            "ContainedInEnvironment",
            "Unexpected",
            "Invalid",
            "MaxLengthViolation",
            "specificAssetId",
            "name.xml",
        ),
        (
            "testdatagen-3.1",
            "Xml",
            "Unexpected",
            "Invalid",
            "MaxLengthViolation",
            "dataSpecificationIec61360",
            "value.xml",
        ),
    ],
    ids=["specificAssetId", "dataSpecificationIec61360"],
)
def test_xpath_spells_class_elements_as_xml_does(case: tuple[str, ...]) -> None:
    """aas-core names the classes SpecificAssetID and DataSpecificationIEC61360; XML
    names their elements specificAssetId and dataSpecificationIec61360."""
    path = corpus(*case)
    model_type = None if case[0] == "testgen-3.0" else case[-2]
    found = errors(validate(path, model_type=model_type))
    assert found
    assert not check_xml_locations(path, found)
    assert all(isinstance(f.location.line, int) for f in found)


def test_xpath_includes_the_element_naming_the_concrete_class_of_an_operation_variable(
    tmp_path: Path,
) -> None:
    path = tmp_path / "operation.xml"
    path.write_bytes(
        b'<environment xmlns="https://admin-shell.io/aas/3/1"><submodels><submodel>\n'
        b"<id>urn:example:sm:op</id><submodelElements><operation><idShort>Run</idShort>\n"
        b"<inputVariables><operationVariable><value><property>\n"
        b"<idShort>x</idShort><valueType>xs:int</valueType>\n"
        b"</property></value></operationVariable></inputVariables>\n"
        b"</operation></submodelElements></submodel></submodels></environment>\n"
    )
    found = errors(validate(path, checks=["constraints"]))
    assert [f.rule for f in found] == ["metamodel:pattern"]  # idShort "x" is too short
    assert found[0].location.xpath.endswith("/aas:idShort")
    assert not check_xml_locations(path, found)


def test_xpath_includes_the_element_naming_the_concrete_class_of_data_specification() -> None:
    path = corpus(
        *TESTGEN,
        "Xml",
        "ContainedInEnvironment",
        "Unexpected",
        "Invalid",
        "MinLengthViolation",
        "dataSpecificationIec61360",
        "unit.xml",
    )
    found = errors(validate(path, checks=["constraints"]))
    assert [f.rule for f in found] == ["metamodel:min-length"]
    assert not check_xml_locations(path, found)


# endregion

# region references

SM = "urn:example:sm:alpha"
LINK = "/submodels/0/submodelElements/2/value"


def model_reference(*keys: tuple[str, str]) -> dict[str, Any]:
    return {"type": "ModelReference", "keys": [{"type": t, "value": v} for t, v in keys]}


def submodel_with_link(link: dict[str, Any]) -> dict[str, Any]:
    return {
        "modelType": "Submodel",
        "id": SM,
        "idShort": "Alpha",
        "submodelElements": [
            {"modelType": "Property", "idShort": "Speed", "valueType": "xs:int", "value": "5"},
            {
                "modelType": "SubmodelElementList",
                "idShort": "Points",
                "typeValueListElement": "Property",
                "valueTypeListElement": "xs:int",
                "value": [
                    {"modelType": "Property", "valueType": "xs:int", "value": "1"},
                    {"modelType": "Property", "valueType": "xs:int", "value": "2"},
                ],
            },
            {"modelType": "ReferenceElement", "idShort": "Link", "value": link},
        ],
    }


def environment_bytes(link: dict[str, Any]) -> bytes:
    return json.dumps({"submodels": [submodel_with_link(link)]}).encode()


REFERENCE_CASES = {
    "element that exists": ([("Submodel", SM), ("Property", "Speed")], None),
    "idShort that does not exist": (
        [("Submodel", SM), ("Property", "Nope")],
        (Severity.WARNING, "reference:unresolved"),
    ),
    "key type that is not the element's class": (
        [("Submodel", SM), ("Range", "Speed")],
        (Severity.WARNING, "reference:wrong-type"),
    ),
    "identifiable of another class": (
        [("ConceptDescription", SM)],
        (Severity.WARNING, "reference:wrong-type"),
    ),
    "list item by index": (
        [("Submodel", SM), ("SubmodelElementList", "Points"), ("Property", "1")],
        None,
    ),
    "list index out of range": (
        [("Submodel", SM), ("SubmodelElementList", "Points"), ("Property", "2")],
        (Severity.WARNING, "reference:unresolved"),
    ),
    "submodel not in the file": (
        [("Submodel", "urn:example:sm:elsewhere")],
        (Severity.WARNING, "reference:unresolved"),
    ),
}


@pytest.mark.parametrize("case", list(REFERENCE_CASES))
def test_model_references_are_followed_through_the_file(case: str) -> None:
    keys, expected = REFERENCE_CASES[case]
    data = environment_bytes(model_reference(*keys))
    report = validate(data, format="json", version="3.1")
    assert "references" in report.checks
    found = [(f.severity, f.rule) for f in report.findings]
    if expected is None:
        assert found == []
        return
    assert found == [expected]
    assert report.findings[0].location.pointer == LINK
    resolve_pointer(json.loads(data), LINK)
    # No rule of the metamodel requires a model reference to resolve in its file: a warning,
    # which fails only under --fail-on warning.
    assert report.ok
    assert report.fails(Severity.WARNING)


def test_reference_findings_in_xml_carry_the_line_of_the_reference() -> None:
    data = environment_bytes(model_reference(("Submodel", SM), ("Property", "Nope")))
    xml = aas.dump(aas.load(data, format="json", version="3.1"), "xml").data
    report = validate(xml, format="xml")
    (finding,) = report.findings
    assert finding.rule == "reference:unresolved"
    tree = etree.ElementTree(etree.fromstring(xml))
    nodes = tree.xpath(finding.location.xpath, namespaces=aas_namespaces(tree))
    assert len(nodes) == 1 and etree.QName(nodes[0]).localname == "value"
    assert etree.QName(nodes[0].getparent()).localname == "referenceElement"
    assert finding.location.line == nodes[0].sourceline


def test_a_lone_submodel_does_not_judge_references_to_other_identifiables() -> None:
    elsewhere = model_reference(("Submodel", "urn:example:sm:elsewhere"), ("Property", "X"))
    data = json.dumps(submodel_with_link(elsewhere)).encode()
    report = validate(data, format="json", version="3.1", model_type="Submodel")
    assert report.model_type == "Submodel"
    assert "references" in report.checks
    assert report.findings == []
    # the same reference in an Environment is judged (a warning) ...
    assert [f.rule for f in validate(environment_bytes(elsewhere), version="3.1").findings] == [
        "reference:unresolved"
    ]
    # ... and inside the lone submodel itself the walk is still checked
    inside = json.dumps(
        submodel_with_link(model_reference(("Submodel", SM), ("Property", "Nope")))
    ).encode()
    report = validate(inside, format="json", version="3.1", model_type="Submodel")
    assert [(f.severity, f.rule, f.location.pointer) for f in report.findings] == [
        (Severity.WARNING, "reference:unresolved", "/submodelElements/2/value")
    ]


# endregion

# region AASX packages


def test_a_file_the_package_lacks_is_a_warning(tmp_path: Path) -> None:
    source = tmp_path / "docs.json"
    element = {
        "modelType": "File",
        "idShort": "Manual",
        "contentType": "application/pdf",
        "value": "/aasx/files/nothing.pdf",
    }
    source.write_text(
        json.dumps(
            {
                "submodels": [
                    {
                        "modelType": "Submodel",
                        "id": "urn:example:sm:docs",
                        "submodelElements": [element],
                    }
                ]
            }
        )
    )
    target = tmp_path / "docs.aasx"
    result = aas.convert(source, target)
    assert "aasx:file-not-found" in {f.rule for f in result.findings}
    report = validate(target)
    assert report.readable and report.format == "aasx" and "package" in report.checks
    missing = [f for f in report.findings if f.rule == "aasx:missing-file"]
    # IDTA-01005 does not require a File's value to name a part of the package.
    assert [f.severity for f in missing] == [Severity.WARNING]
    assert "/aasx/files/nothing.pdf" in missing[0].message
    assert missing[0].location.file == f"{target}!/aasx/data.xml"
    assert report.ok and report.fails(Severity.WARNING)
    without = validate(target, checks=["constraints", "references"])
    assert "package" not in without.checks
    assert not [f for f in without.findings if f.rule.startswith("aasx:")]


def test_the_sensor_package_is_clean() -> None:
    report = validate(SENSOR_AASX)
    assert report.ok and report.findings == []
    assert set(report.checks) == {"schema", "constraints", "references", "package"}


def test_a_thumbnail_that_is_no_image_is_a_warning(tmp_path: Path) -> None:
    model = aas.load(SENSOR_AASX)
    assert model.package is not None and model.package.thumbnail is not None
    model.package.thumbnail = dataclasses.replace(model.package.thumbnail, data=b"not an image")
    target = tmp_path / "thumb.aasx"
    aas.save(model, target)
    report = validate(target)
    assert [(f.severity, f.rule) for f in report.findings] == [
        (Severity.WARNING, "aasx:thumbnail-not-image")
    ]
    assert report.findings[0].location.file == f"{target}!{model.package.thumbnail.name}"
    assert report.ok


def test_a_content_type_the_package_contradicts_is_a_warning(tmp_path: Path) -> None:
    model = aas.load(SENSOR_AASX)
    # The manual is the package's one PDF (the nameplate's CE marking is named by URL).
    files = [node for node in model.root.descend() if type(node).__name__ == "File"]
    files = [f for f in files if f.value is not None and f.value.startswith("/aasx/")]
    assert [f.content_type for f in files] == ["application/pdf"]
    files[0].content_type = "text/plain"
    target = tmp_path / "ctype.aasx"
    aas.save(model, target)
    report = validate(target)
    assert [(f.severity, f.rule) for f in report.findings] == [
        (Severity.WARNING, "aasx:content-type-mismatch")
    ]
    assert "text/plain" in report.findings[0].message
    assert "application/pdf" in report.findings[0].message


def test_a_package_whose_spec_part_is_not_well_formed_is_unreadable_and_says_where(
    tmp_path: Path,
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(SENSOR_AASX) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "aasx/data.xml":
                data = b'<environment xmlns="https://admin-shell.io/aas/3/1">\n<submodels>'
            target.writestr(info, data)
    path = tmp_path / "broken-spec.aasx"
    path.write_bytes(buffer.getvalue())
    report = validate(path)
    # convert cannot read it (exit 3), so validate calls it unreadable too
    assert not report.readable and report.format == "aasx"
    assert not report.ok
    with pytest.raises(aas.ReadError):
        aas.load(path)
    (finding,) = report.findings
    assert (finding.severity, finding.rule) == (Severity.ERROR, "xml:syntax")
    assert finding.location.file == f"{path}!/aasx/data.xml"
    assert finding.location.line == 2


def test_a_package_that_is_no_zip_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "fake.aasx"
    path.write_bytes(b"PK\x03\x04 but no zip archive follows")
    report = validate(path)
    assert report.readable is False and not report.ok
    assert [f.rule for f in report.findings] == ["aasx:broken-package"]
    assert report.fails(Severity.ERROR)


# endregion

# region schemas


def official(name: str) -> Path:
    return corpus("official-schemas", "3.1.2", name)


def non_bmp(data: bytes) -> bool:
    text = data.decode()
    return any(ord(char) > 0xFFFF for char in text) or bool(re.search(r"\\ud[89ab]", text, re.I))


def test_official_json_schema_passes_valid_environments() -> None:
    base = corpus("examples-3.1", "json", "generated")
    paths = [base / name / "maximal.json" for name in ("Submodel", "Property", "Entity")]
    for path in paths:
        assert not non_bmp(path.read_bytes()), path
        report = validate(path, schemas=[official("aas.json")])
        assert "schema" in report.checks
        assert not [f for f in report.findings if f.rule.startswith("schema:")], path
        assert report.ok
    # no schema given: the project's own schema runs, and passes the file too
    own = validate(paths[0])
    assert "schema" in own.checks
    assert not [f for f in own.findings if f.rule.startswith("schema:")]


def wrap_administration(path: Path) -> bytes:
    submodel = {
        "modelType": "Submodel",
        "id": "urn:example:wrapper",
        "administration": json.loads(path.read_bytes()),
    }
    return json.dumps({"submodels": [submodel]}).encode()


def test_official_json_schema_findings_are_located_by_pointer() -> None:
    """testdatagen-3.1 files are lone instances; the official schema's root is the
    Environment, so each invalid AdministrativeInformation is put into a submodel first."""
    base = corpus(*BAD_ADMINISTRATION_31)
    cases = [
        base / "revision" / "dot.json",
        base / "revision" / "letter.json",
        base / "version" / "negative.json",
    ]
    for path in cases:
        data = wrap_administration(path)
        report = validate(data, format="json", schemas=[official("aas.json")], checks=["schema"])
        schema_findings = [f for f in report.findings if f.rule.startswith("schema:")]
        assert schema_findings, path
        document = json.loads(data)
        for finding in schema_findings:
            assert finding.severity is Severity.ERROR
            assert finding.location.pointer is not None
            resolve_pointer(document, finding.location.pointer)
        broken = f"/submodels/0/administration/{path.parent.name}"
        assert "schema:pattern" in {f.rule for f in schema_findings if f.location.pointer == broken}
        # the metamodel layer agrees on the place: with every layer, the defect is reported
        # once, by the metamodel, naming the schema
        every = validate(data, format="json", schemas=[official("aas.json")])
        at = [f for f in every.findings if f.location.pointer == broken]
        (there,) = [f for f in at if f.rule == "metamodel:pattern"]
        assert there.also == ("schema:pattern",)
        assert not [f for f in at if f.rule.startswith("schema:")]


def wrap_submodel_element(path: Path) -> bytes:
    """A lone testdatagen-3.1 XML submodel element, put into an Environment (lines kept)."""
    element = etree.parse(str(path)).getroot()
    ns = etree.QName(element).namespace
    environment = etree.Element(f"{{{ns}}}environment", nsmap={None: ns})
    submodels = etree.SubElement(environment, f"{{{ns}}}submodels")
    submodel = etree.SubElement(submodels, f"{{{ns}}}submodel")
    etree.SubElement(submodel, f"{{{ns}}}id").text = "urn:example:wrapper"
    etree.SubElement(submodel, f"{{{ns}}}submodelElements").append(element)
    return etree.tostring(environment)


@pytest.mark.parametrize(
    ("case", "prop"),
    [
        ("PatternViolation/file/contentType/empty.xml", "contentType"),
        ("PatternViolation/file/contentType/negatively_fuzzed_05.xml", "contentType"),
        ("MaxLengthViolation/file/contentType.xml", "contentType"),
        ("MaxLengthViolation/file/value.xml", "value"),
    ],
)
def test_official_xsd_findings_carry_the_line_of_the_element(case: str, prop: str) -> None:
    path = corpus("testdatagen-3.1", "Xml", "Unexpected", "Invalid") / case
    data = wrap_submodel_element(path)
    report = validate(data, format="xml", schemas=[official("AAS.xsd")], checks=["schema"])
    assert "schema" in report.checks
    xsd = [f for f in report.findings if f.rule.startswith("xsd:")]
    assert xsd, path
    tree = etree.ElementTree(etree.fromstring(data))
    for finding in xsd:
        assert finding.severity is Severity.ERROR
        assert isinstance(finding.location.line, int) and finding.location.line > 1
        nodes = tree.xpath(finding.location.xpath, namespaces=aas_namespaces(tree))
        assert len(nodes) == 1, finding.location.xpath
        assert etree.QName(nodes[0]).localname == prop
        assert nodes[0].sourceline == finding.location.line
    kind = "pattern" if case.startswith("Pattern") else "maxlength"
    # an empty value breaks the length and, for being empty, the pattern: one finding
    assert f"xsd:cvc-{kind}-valid" in {rule for f in xsd for rule in (f.rule, *f.also)}


def test_official_xsd_passes_a_valid_environment() -> None:
    path = corpus("examples-3.1", "xml", "generated", "submodel", "maximal.xml")
    report = validate(path, schemas=[official("AAS.xsd")])
    assert "schema" in report.checks
    assert not [f for f in report.findings if f.rule.startswith("xsd:")]


def emoji_environment() -> bytes:
    submodel = {
        "modelType": "Submodel",
        "id": "urn:example:sm:emoji",
        "idShort": "Emoji",
        "submodelElements": [
            {"modelType": "Property", "idShort": "Mood", "valueType": "xs:string", "value": "🙂"}
        ],
    }
    return json.dumps({"submodels": [submodel]}, ensure_ascii=False).encode()


def test_official_json_schema_reports_a_false_error_on_an_emoji() -> None:
    """Known defect of the official material, not of the model (corpus README, "Known
    defects"): the official JSON Schema writes its string patterns as UTF-16 surrogate ranges,
    so with Python's regex engine a valid string holding a character outside the Basic
    Multilingual Plane fails them. The toolkit runs the schema as given, so the valid model
    gets a schema error; the metamodel layer and the official XSD both accept the emoji."""
    data = emoji_environment()
    report = validate(data, format="json", version="3.1", schemas=[official("aas.json")])
    schema_errors = [f for f in report.findings if f.rule.startswith("schema:")]
    assert schema_errors, "the official JSON Schema no longer rejects the emoji"
    value = "/submodels/0/submodelElements/0/value"
    for finding in schema_errors:
        pointer = finding.location.pointer
        assert pointer is not None and value.startswith(pointer) and len(pointer) > 1
    assert [f for f in report.findings if not f.rule.startswith("schema:")] == []
    xml = aas.dump(aas.load(data, format="json", version="3.1"), "xml").data
    assert validate(xml, format="xml", schemas=[official("AAS.xsd")]).findings == []


def test_xsd_does_not_reject_a_valid_lone_instance() -> None:
    path = corpus("testdatagen-3.1", "Xml", "Expected", "submodel", "maximal.xml")
    assert validate(path, model_type="Submodel").ok
    report = validate(path, model_type="Submodel", schemas=[official("AAS.xsd")])
    assert report.ok, [str(f) for f in report.findings]


def test_json_schema_judges_a_lone_instance_or_says_it_did_not() -> None:
    path = corpus(
        "testdatagen-3.1",
        "Json",
        "Unexpected",
        "Invalid",
        "MinLengthViolation",
        "Submodel",
        "submodelElements.json",
    )
    # put into an Environment, the official schema sees the empty list
    wrapped = json.dumps({"submodels": [json.loads(path.read_bytes())]}).encode()
    in_environment = validate(
        wrapped, format="json", schemas=[official("aas.json")], checks=["schema"]
    )
    assert "schema:minItems" in {f.rule for f in in_environment.findings}
    report = validate(path, model_type="Submodel", schemas=[official("aas.json")])
    judged = any(f.rule.startswith("schema:") for f in report.findings)
    assert judged or "schema" not in report.checks


# endregion

# region checks


def test_checks_pick_the_layers_and_the_report_says_which_ran() -> None:
    full = validate(PUMP_JSON)
    assert set(full.checks) == {"schema", "constraints", "references"}
    assert [f.rule for f in full.findings if f.severity is Severity.WARNING] == [
        "reference:unresolved",
        "reference:unresolved",
    ]
    only = validate(PUMP_JSON, checks=["constraints"])
    assert tuple(only.checks) == ("constraints",)
    assert not [f for f in only.findings if f.rule.startswith("reference:")]
    invalid = corpus(*INVALID_JSON)
    references_only = validate(invalid, version="3.0", checks=["references"])
    assert tuple(references_only.checks) == ("references",)
    assert "AASd-123" not in {f.rule for f in references_only.findings}
    assert "AASd-123" in {f.rule for f in validate(invalid, version="3.0").findings}


def test_cli_refuses_an_unknown_check() -> None:
    result = run_cli("validate", "--checks", "constraints,spelling", str(MOTOR_JSON))
    stderr = assert_clean_failure(result, 2)
    assert "spelling" in stderr and "references" in stderr
    assert result.stdout == b""


# endregion

# region CLI


def assert_no_traceback(result: Any) -> None:
    assert "Traceback" not in result.stderr.decode(), result.stderr.decode()


def test_cli_examples_pass_with_warnings_only() -> None:
    result = run_cli("validate", str(EXAMPLES))
    assert_no_traceback(result)
    assert result.returncode == 0, result.stdout.decode()
    files = [p for p in EXAMPLES.rglob("*") if p.suffix in (".json", ".xml", ".aasx")]
    lines = result.stdout.decode().splitlines()
    assert lines[-1] == f"{len(files)} files, 0 with errors or unreadable"
    summaries = [line for line in lines if not line.startswith("  ")][:-1]
    assert len(summaries) == len(files) == 6
    assert all(": ok (" in line for line in summaries)
    assert sum("warning: [reference:unresolved]" in line for line in lines) == 4


def test_cli_fail_on_warning_exits_1() -> None:
    result = run_cli("validate", "--fail-on", "warning", str(EXAMPLES))
    assert_no_traceback(result)
    assert result.returncode == 1


def test_cli_junit_fail_on_warning() -> None:
    result = run_cli("validate", "--output", "junit", "--fail-on", "warning", str(PUMP_XML))
    assert_no_traceback(result)
    assert result.returncode == 1
    root = etree.fromstring(result.stdout)
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("1", "1", "0")


def test_cli_invalid_corpus_file_exits_1_with_sarif() -> None:
    path = corpus(*INVALID_JSON)
    result = run_cli("validate", "--aas-version", "3.0", "--output", "sarif", str(path))
    assert_no_traceback(result)
    assert result.returncode == 1
    sarif = json.loads(result.stdout)
    levels = {(r["ruleId"], r["level"]) for r in sarif["runs"][0]["results"]}
    assert ("AASd-123", "error") in levels


def test_cli_missing_file_exits_3(tmp_path: Path) -> None:
    missing = tmp_path / "absent.json"
    result = run_cli("validate", str(missing))
    assert_no_traceback(result)
    assert result.returncode == 3
    assert f"{missing}: UNREADABLE" in result.stdout.decode()


def test_cli_broken_json_exits_3(broken_json: Path) -> None:
    result = run_cli("validate", "--output", "junit", str(broken_json))
    assert_no_traceback(result)
    assert result.returncode == 3
    root = etree.fromstring(result.stdout)
    (case,) = root.iter("testcase")
    assert case.find("error") is not None and "json:syntax" in case.findtext("error")


def test_cli_folder_with_a_valid_and_an_unreadable_file_exits_3(tmp_path: Path) -> None:
    (tmp_path / "good.json").write_bytes(MOTOR_JSON.read_bytes())
    (tmp_path / "bad.json").write_bytes(b"{not json")
    (tmp_path / "notes.txt").write_text("not an AAS file, skipped")
    result = run_cli("validate", "--output", "json", str(tmp_path))
    assert_no_traceback(result)
    assert result.returncode == 3
    document = json.loads(result.stdout)
    readable = {Path(r["source"]).name: r["readable"] for r in document["reports"]}
    assert readable == {"bad.json": False, "good.json": True}
    assert document["ok"] is False


def test_cli_json_output_parses() -> None:
    result = run_cli("validate", "--output", "json", str(PUMP_JSON))
    assert_no_traceback(result)
    assert result.returncode == 0
    document = json.loads(result.stdout)
    assert document["ok"] is True
    (report,) = document["reports"]
    assert report["counts"] == {"error": 0, "warning": 2, "info": 1}
    pump = json.loads(PUMP_JSON.read_bytes())
    for finding in report["findings"]:
        if "pointer" in finding["location"]:
            resolve_pointer(pump, finding["location"]["pointer"])


def test_cli_model_type_submodel_reads_a_lone_submodel(tmp_path: Path) -> None:
    path = tmp_path / "submodel.json"
    link = model_reference(("Submodel", "urn:example:sm:elsewhere"))
    path.write_text(json.dumps(submodel_with_link(link)))
    result = run_cli(
        "validate",
        "--model-type",
        "Submodel",
        "--aas-version",
        "3.1",
        "--output",
        "json",
        str(path),
    )
    assert_no_traceback(result)
    assert result.returncode == 0, result.stdout.decode()
    (report,) = json.loads(result.stdout)["reports"]
    assert (report["modelType"], report["version"], report["ok"]) == ("Submodel", "3.1", True)
    assert report["findings"] == []


def test_cli_unknown_model_type_exits_2_listing_the_classes() -> None:
    result = run_cli("validate", "--model-type", "Submodule", str(MOTOR_JSON))
    stderr = assert_clean_failure(result, 2)
    assert "Submodule" in stderr
    assert all(name in stderr for name in ("Submodel", "Environment", "Property"))


def test_cli_reads_standard_input() -> None:
    result = run_cli("validate", "--from", "json", "-", stdin=PUMP_JSON.read_bytes())
    assert_no_traceback(result)
    assert result.returncode == 0
    lines = result.stdout.decode().splitlines()
    assert lines[0].startswith("<stdin>: ok (2 warnings, 1 info; json V3.1)")
    assert sum("reference:unresolved" in line for line in lines) == 2


# endregion
