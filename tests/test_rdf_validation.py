"""RDF validation with the project's SHACL shapes plus the metamodel constraints: every
Expected RDF file conforms, every parseable Unexpected one is rejected with a rule that fits its
cause, and the unparseable ones get a clear, located error."""

from __future__ import annotations

from collections import Counter

import pytest

import aas
from aas.findings import Severity
from aas.validation import validate

from conftest import corpus, run_cli
from validation_fit import fits

SETS = [
    ("testgen-3.0", "Rdf", "ContainedInEnvironment"),
    ("examples-3.1", "rdf"),
]


@pytest.mark.parametrize("folder", SETS, ids=["/".join(s) for s in SETS])
def test_rdf_verdicts_fit_the_corpus(folder: tuple[str, ...]) -> None:
    base = corpus(*folder)
    tally: Counter[str] = Counter()
    wrong: list[str] = []
    unparseable = 0
    for path in sorted(base.rglob("*.ttl")):
        parts = path.relative_to(base).parts
        expected = parts[0] != "Unexpected"
        report = validate(path)
        errors = [f for f in report.findings if f.severity is Severity.ERROR]
        if any(f.rule == "rdf:syntax" for f in report.findings):
            unparseable += 1
            (finding,) = report.findings
            assert finding.rule == "rdf:syntax" and finding.location.line, finding
            assert not report.readable
            right = not expected
            key = "Unexpected (not well-formed Turtle)"
        elif expected:
            right = report.readable and not errors
            key = "Expected"
        else:
            # unreadable too when no model can be built from the graph (convert exits 3)
            rules = {rule for f in errors for rule in (f.rule, *f.also)}
            right = bool(errors) and fits(parts[1], rules)
            key = f"Unexpected/{parts[1]}"
        tally[f"{key} {'ok' if right else 'WRONG'}"] += 1
        if not right:
            wrong.append(f"{path}: {[(f.rule, f.message) for f in errors][:3]}")
    print("/".join(folder), dict(sorted(tally.items())))
    assert wrong == []
    if folder[0] == "testgen-3.0":
        assert unparseable == 7  # the corpus README's seven files with raw newlines in literals


def test_shacl_findings_name_the_focus_node_and_path() -> None:
    path = next(
        corpus("testgen-3.0", "Rdf", "ContainedInEnvironment", "Unexpected", "EnumViolation").rglob(
            "*.ttl"
        )
    )
    report = validate(path)
    shacl = [f for f in report.findings if f.rule.startswith("shacl:")]
    assert shacl
    for finding in shacl:
        assert finding.location.file == str(path)
        assert finding.location.focus and finding.location.path
        assert finding.location.path.startswith("<https://admin-shell.io/aas/3/0/")
    assert report.to_dict()["findings"][0]["location"]["focus"]


def test_validating_turtle_on_the_command_line(tmp_path) -> None:
    good = tmp_path / "motor.ttl"
    aas.convert(
        corpus("examples-3.1", "json", "generated", "Submodel", "maximal.json"), good, version="3.1"
    )
    bad = corpus("testgen-3.0", "Rdf", "ContainedInEnvironment", "Unexpected", "EnumViolation")
    enum = next(bad.rglob("*.ttl"))
    result = run_cli("validate", str(good), str(enum), "--output", "json")
    # no model can be built from it (convert exits 3): unreadable, with what SHACL found
    assert result.returncode == 3, result.stderr
    assert b"shacl:In" in result.stdout
    assert run_cli("convert", str(enum), str(tmp_path / "enum.json")).returncode == 3
    assert b"Traceback" not in result.stderr


def test_project_shapes_do_not_have_the_official_defects() -> None:
    """The official shapes name LangString...Type/text paths; the data (and ours) use
    AbstractLangString/text."""
    from aas.metamodel.schemagen import schema_folder, shapes_name
    from aas.versions import Version

    for version in Version:
        text = (schema_folder() / shapes_name(version)).read_text()
        assert "AbstractLangString/text" in text
        assert "LangStringNameType/text" not in text
