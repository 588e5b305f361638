"""The rule registry (aas/rules.py): every rule id the code can emit is in it, with one
severity that every command gives it, and the README's table is the registry's."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import aas
from aas.findings import Finding, Location, Severity
from aas.report import Report
from aas.rules import RULES, is_note, lookup, markdown_table

from conftest import REPO, run_cli

#: A string that has the shape of a rule id: ``prefix:name`` or a numbered constraint.
RULE_SHAPE = re.compile(
    r"(?:json|xml|rdf|aasx|aas|input|model|metamodel|reference|schema|xsd|shacl|basyx)"
    r":[A-Za-z][A-Za-z0-9-]*|AAS[cd]-[0-9a-z-]+"
)
SOURCES = sorted(
    path
    for folder in ("aas", "converters")
    for path in (REPO / folder).rglob("*.py")
    if "generated" not in path.parts and path.name != "rules.py"
)


def rule_literals() -> dict[str, list[str]]:
    """Every string literal in the code that has the shape of a rule id, with where it is:
    what ``rule="..."``, ``Finding(Severity.X, "...")``, ``default_rule = "..."`` and the
    tables of rules (``(pattern, "metamodel:pattern")``) hold."""
    found: dict[str, list[str]] = {}
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and RULE_SHAPE.fullmatch(node.value)
            ):
                where = f"{path.relative_to(REPO)}:{node.lineno}"
                found.setdefault(node.value, []).append(where)
    return found


def test_the_scan_sees_the_rules_it_should() -> None:
    literals = rule_literals()
    # one of each kind of place a rule id is written
    for rule in ("reference:wrong-type", "input:unreadable", "metamodel:min-items", "xml:doctype"):
        assert rule in literals, rule
    assert len(literals) > 60


def test_a_severity_written_beside_a_rule_is_the_registry_s() -> None:
    """``Finding(Severity.X, "rule", ...)`` names a severity the registry then decides: the
    two must agree, so that reading the code tells the truth."""
    disagreeing: list[str] = []
    checked = 0
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding"):
                continue
            if len(node.args) < 2 or not isinstance(node.args[0], ast.Attribute):
                continue
            rule = node.args[1]
            if not (isinstance(rule, ast.Constant) and isinstance(rule.value, str)):
                continue
            registered = lookup(rule.value)
            written = node.args[0].attr
            checked += 1
            if registered is not None and registered.severity.name != written:
                where = f"{path.relative_to(REPO)}:{node.lineno}"
                disagreeing.append(
                    f"{where} {rule.value}: {written}, registry {registered.severity}"
                )
    assert disagreeing == []


def test_every_rule_the_code_can_emit_is_registered() -> None:
    missing = {
        rule: places for rule, places in sorted(rule_literals().items()) if lookup(rule) is None
    }
    # Made for the merge of other branches: the message names each id and where it is
    # written, so that it can be added to RULES in aas/rules.py (and the README's table).
    assert not missing, "rule ids missing from aas/rules.py RULES: " + "; ".join(
        f"{rule} ({', '.join(places)})" for rule, places in missing.items()
    )


@pytest.mark.parametrize(
    "rule",
    [
        "schema:pattern",
        "schema:additionalProperties",
        "xsd:cvc-pattern-valid",
        "xsd:element-content",
        "shacl:MinCount",
        "AASd-119",
        "AASc-3a-009",
        "AASc-002",
    ],
)
def test_the_families_take_what_the_layers_emit(rule: str) -> None:
    found = lookup(rule)
    assert found is not None and found.is_family
    assert found.severity is Severity.ERROR


def test_names_that_are_no_rule_are_not_registered() -> None:
    for name in ("schema", "AASd-", "reference:", "xml:lang", "aasx:unknown-rule"):
        assert lookup(name) is None, name


def severities_written_in_the_code() -> list[tuple[str, str, str]]:
    """(rule, severity, where) of every ``Finding(Severity.X, "rule", ...)`` in the code."""
    written = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding"):
                continue
            if len(node.args) < 2:
                continue
            severity, rule = node.args[0], node.args[1]
            if (
                isinstance(severity, ast.Attribute)
                and isinstance(rule, ast.Constant)
                and isinstance(rule.value, str)
            ):
                where = f"{path.relative_to(REPO)}:{node.lineno}"
                written.append((rule.value, severity.attr.lower(), where))
    return written


def test_severities_written_in_the_code_are_the_registrys() -> None:
    written = severities_written_in_the_code()
    assert len(written) > 10
    wrong = [
        (rule, said, where)
        for rule, said, where in written
        if (found := lookup(rule)) is not None and found.severity.value != said
    ]
    assert wrong == []


def test_a_finding_takes_its_rules_severity_whatever_it_is_given() -> None:
    given = Finding(Severity.ERROR, "reference:unresolved", "names no element")
    assert given.severity is Severity.WARNING
    assert Finding.of("metamodel:unique-id", "twice").severity is Severity.ERROR
    # a rule the registry does not know keeps what it was given
    assert Finding(Severity.INFO, "vendor:note", "x").severity is Severity.INFO
    with pytest.raises(ValueError, match="no registered rule"):
        Finding.of("vendor:note", "x")


def test_every_rule_has_a_layer_a_severity_and_a_clause() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.layer and rule.clause, rule
        # notes are about reading or writing, never a verdict about the model
        assert not rule.note or (rule.severity is Severity.INFO and rule.layer == "reading")


def test_errors_are_backed_by_a_specification_and_toolkit_checks_are_no_errors() -> None:
    for rule in RULES:
        if rule.clause.startswith("toolkit check"):
            assert rule.severity is not Severity.ERROR, rule.id


def test_the_readme_table_is_the_registry() -> None:
    readme = (REPO / "README.md").read_text()
    start, end = "<!-- rules: start -->\n", "<!-- rules: end -->"
    assert start in readme and end in readme
    table = readme.split(start, 1)[1].split(end, 1)[0].strip("\n") + "\n"
    assert table == markdown_table(), "regenerate it: python -m aas.rules"


# region notes and --fail-on


def at(rule: str) -> Finding:
    return Finding.of(rule, "x", Location(file="f.json"))


def test_notes_about_reading_never_fail_a_run() -> None:
    assert is_note("aas:version-assumed") and is_note("xml:comment-dropped")
    assert not is_note("aasx:old-relationship-type")  # an info about the package itself
    assert not Report("f.json", [at("aas:version-assumed")]).fails(Severity.INFO)
    assert Report("f.json", [at("aasx:old-relationship-type")]).fails(Severity.INFO)
    assert Report("f.json", [at("reference:wrong-type")]).fails(Severity.WARNING)
    assert not Report("f.json", [at("reference:wrong-type")]).fails(Severity.ERROR)


def test_fail_on_info_does_not_fail_a_json_file_for_the_version_note(tmp_path: Path) -> None:
    clean = tmp_path / "clean.json"
    clean.write_bytes(b'{"submodels": [{"modelType": "Submodel", "id": "urn:x:clean"}]}')
    assert "aas:version-assumed" in {f.rule for f in aas.validate(clean).findings}
    result = run_cli("validate", "--fail-on", "info", str(clean))
    assert result.returncode == 0, result.stdout.decode()
    junit = run_cli("validate", "--fail-on", "info", "--output", "junit", str(clean))
    assert junit.returncode == 0 and b"<failure" not in junit.stdout
    # a warning fails under --fail-on info (and warning), not under the default
    linked = tmp_path / "linked.json"
    linked.write_bytes(
        b'{"submodels": [{"modelType": "Submodel", "id": "urn:x:a", "semanticId": '
        b'{"type": "ModelReference", "keys": [{"type": "Submodel", "value": "urn:x:b"}]}}]}'
    )
    assert run_cli("validate", str(linked)).returncode == 0
    assert run_cli("validate", "--fail-on", "warning", str(linked)).returncode == 1
    assert run_cli("validate", "--fail-on", "info", str(linked)).returncode == 1


# endregion
