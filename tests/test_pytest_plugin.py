"""The pytest plugin (``pytest --aas PATH...`` and the ``aas_validate`` fixture), run through
pytest's own ``pytester``: a pytest run inside the test, with the plugin loaded by its entry
point as in a project that installed the toolkit.

Each model file is one item, whose verdict is ``aas.validate``'s at ``--aas-fail-on`` (checked
against the library on the examples and a sample of the IDTA's published templates); a failure
shows the report as ``aas validate`` prints it, rule and location included, and never a
traceback; a run without ``--aas`` collects nothing of the plugin's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import aas
from aas.findings import Severity
from aas.plan import aas_files
from aas.report import failing

from conftest import EXAMPLES, ID_SHORT_30_ONLY, corpus

pytest_plugins = ["pytester"]

TEMPLATES = Path(__file__).parent / "data" / "templates"
MOTOR = EXAMPLES / "motor" / "motor.json"


def _motor() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(MOTOR.read_text(encoding="utf-8"))
    return document


def _write(folder: Path, name: str, document: Any) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def _bad_id_short(folder: Path, name: str = "bad.json") -> Path:
    """The motor with its first submodel's idShort breaking the pattern (one error)."""
    document = _motor()
    document["submodels"][0]["idShort"] = "1bad"
    return _write(folder, name, document)


def _dangling_reference(folder: Path, name: str = "dangling.json") -> Path:
    """The motor with a ReferenceElement to a submodel the file lacks: a warning only."""
    document = _motor()
    document["submodels"][0]["submodelElements"].append(
        {
            "modelType": "ReferenceElement",
            "idShort": "Elsewhere",
            "value": {
                "type": "ModelReference",
                "keys": [{"type": "Submodel", "value": "urn:example:not-in-this-file"}],
            },
        }
    )
    return _write(folder, name, document)


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """A pytest run in this process, as a project that installed the toolkit runs it (the
    plugin loaded by its entry point); without hypothesis' plugin, whose statistics take
    seconds to load in each run and have nothing to do with these."""
    return pytester.runpytest("-p", "no:hypothesispytest", *args)


def _outcomes(result: pytest.RunResult) -> dict[str, str]:
    """Each item's node id (as the verbose run prints it) and its outcome."""
    found: dict[str, str] = {}
    for line in result.outlines:
        for outcome in ("PASSED", "FAILED"):
            if line.endswith("]") and f"::validate {outcome}" in line:
                found[line.split("::validate ")[0]] = outcome
    return found


def _verdict(path: Path, threshold: Severity = Severity.ERROR) -> str:
    return "FAILED" if aas.validate(path).fails(threshold) else "PASSED"


def test_one_item_per_example_file_all_pass(pytester: pytest.Pytester) -> None:
    result = _run(pytester, "--aas", str(EXAMPLES), "-v")
    files = aas_files(EXAMPLES)
    result.assert_outcomes(passed=len(files))
    names = sorted(_outcomes(result))
    # each item is named by its file, as pytest shows a path (relative to the working folder)
    assert len(names) == len(files) == 6
    assert all(name.endswith(file.name) for name, file in zip(names, files, strict=True))


def test_corpus_sample_agrees_with_validate(pytester: pytest.Pytester) -> None:
    every = aas_files(corpus("idta-templates"))
    sample = every[::40]  # a few files of both formats, spread over the templates
    verdicts = {path.name: _verdict(path) for path in sample}
    assert {"PASSED", "FAILED"} <= set(verdicts.values()), "the sample needs both verdicts"
    result = _run(pytester, "--aas", *map(str, sample), "-v", "-ra")
    outcomes = {Path(name).name: outcome for name, outcome in _outcomes(result).items()}
    assert outcomes == verdicts
    text = result.stdout.str()
    for path in sample:
        report = aas.validate(path)
        for finding in failing(report.findings, Severity.ERROR):
            # rule and location as `aas validate` prints them (the location from the working
            # folder pytest ran in: the file's path as given, then line and pointer/XPath)
            assert f"[{finding.rule}]" in text
            assert str(finding.location).replace(str(path), "") in text
    assert "Traceback" not in text


def test_failure_names_rule_and_location_without_traceback(pytester: pytest.Pytester) -> None:
    bad = _bad_id_short(pytester.path / "models")
    _write(pytester.path / "models", "good.json", _motor())
    result = _run(pytester, "--aas", "models", "-ra")
    result.assert_outcomes(passed=1, failed=1)
    report = aas.validate(bad)
    [finding] = failing(report.findings, Severity.ERROR)
    assert finding.rule == "metamodel:pattern"
    assert finding.location.line is not None
    text = result.stdout.str()
    # the report as `aas validate models/bad.json` prints it (paths from the working folder)
    expected = aas.validate("models/bad.json").to_text()
    assert expected.strip() in text
    assert f"models/bad.json:{finding.location.line}:" in text
    assert "/submodels/0/idShort: error: [metamodel:pattern]" in text
    # the short summary names the first failing finding
    result.stdout.fnmatch_lines(["FAILED models/bad.json::validate - error: [[]metamodel:pattern*"])
    assert "Traceback" not in text and "pytest_plugin.py" not in text


def test_unreadable_file_fails_clearly(pytester: pytest.Pytester) -> None:
    (pytester.path / "models").mkdir()
    (pytester.path / "models" / "broken.json").write_text('{"submodels": [', encoding="utf-8")
    (pytester.path / "models" / "broken.aasx").write_bytes(b"not a zip archive")
    result = _run(pytester, "--aas", "models")
    result.assert_outcomes(failed=2)
    text = result.stdout.str()
    assert "models/broken.json: UNREADABLE" in text
    assert "[json:syntax]" in text
    assert "models/broken.aasx: UNREADABLE" in text
    for rule in {f.rule for f in aas.validate(pytester.path / "models/broken.aasx").findings}:
        assert f"[{rule}]" in text
    assert "Traceback" not in text and "pytest_plugin.py" not in text


def test_fail_on_and_checks(pytester: pytest.Pytester) -> None:
    path = _dangling_reference(pytester.path)
    report = aas.validate(path)
    assert [f.rule for f in failing(report.findings, Severity.WARNING)] == ["reference:unresolved"]
    _run(pytester, "--aas", path.name).assert_outcomes(passed=1)
    strict = _run(pytester, "--aas", path.name, "--aas-fail-on", "warning")
    strict.assert_outcomes(failed=1)
    assert "warning: [reference:unresolved]" in strict.stdout.str()
    # without the references layer the warning is not looked for
    _run(
        pytester,
        "--aas",
        path.name,
        "--aas-fail-on",
        "warning",
        "--aas-checks",
        "schema,constraints",
    ).assert_outcomes(passed=1)


def test_version_option(pytester: pytest.Pytester) -> None:
    path = _write(pytester.path, "short.json", ID_SHORT_30_ONLY)
    assert not aas.validate(path, version="3.0").fails(Severity.ERROR)
    assert aas.validate(path, version="3.1").fails(Severity.ERROR)
    _run(pytester, "--aas", path.name, "--aas-version", "3.0").assert_outcomes(passed=1)
    result = _run(pytester, "--aas", path.name, "--aas-version", "3.1")
    result.assert_outcomes(failed=1)
    assert "V3.1" in result.stdout.str()


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--aas-version", "9.9", "--aas-version"),
        ("--aas-checks", "schema,nope", "unknown check in 'schema,nope'"),
        ("--aas-fail-on", "fatal", "invalid choice: 'fatal'"),
    ],
)
def test_wrong_option_is_a_usage_error(
    pytester: pytest.Pytester, option: str, value: str, said: str
) -> None:
    _write(pytester.path, "good.json", _motor())
    result = _run(pytester, "--aas", "good.json", option, value)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert said in result.stderr.str()
    assert "Traceback" not in result.stderr.str()


def test_template_option(pytester: pytest.Pytester) -> None:
    model = TEMPLATES / "nameplate-defects.json"
    template = TEMPLATES / "nameplate-template.json"
    assert not aas.validate(model).fails(Severity.ERROR)
    expected = aas.check_template(model, [template])
    assert expected.fails(Severity.ERROR)
    _run(pytester, "--aas", str(model)).assert_outcomes(passed=1)
    result = _run(pytester, "--aas", str(model), "--aas-template", str(template))
    result.assert_outcomes(failed=1)
    text = result.stdout.str()
    assert "template check:" in text
    for finding in failing(expected.findings, Severity.ERROR):
        assert f"[{finding.rule}] {finding.message}" in text
    # a template that cannot be read stops the run before any item, said in one line
    (pytester.path / "nothing.json").write_text("[", encoding="utf-8")
    broken = _run(pytester, "--aas", str(model), "--aas-template", "nothing.json")
    assert broken.ret == pytest.ExitCode.USAGE_ERROR
    said = broken.stderr.str()
    assert "aas: --aas-template: nothing.json:1:2: not well-formed JSON" in said
    assert "Traceback" not in said


def test_without_aas_option_the_plugin_collects_nothing(pytester: pytest.Pytester) -> None:
    _bad_id_short(pytester.path)
    pytester.makepyfile(test_own="def test_own():\n    assert True\n")
    result = _run(pytester, "-v")
    result.assert_outcomes(passed=1)
    assert "bad.json" not in result.stdout.str()
    # the same folder with --aas and the project's own test named: both run
    both = _run(pytester, "test_own.py", "--aas", "bad.json")
    both.assert_outcomes(passed=1, failed=1)


def test_aas_option_alone_collects_only_the_models(pytester: pytest.Pytester) -> None:
    _write(pytester.path / "models", "good.json", _motor())
    pytester.makepyfile(test_own="def test_own():\n    assert True\n")
    _run(pytester, "--aas", "models").assert_outcomes(passed=1)


FIXTURE_TESTS = """
import json
from pathlib import Path

import pytest

MOTOR = Path({motor!r})


def test_written_file_passes(aas_validate, tmp_path):
    path = tmp_path / "out.json"
    path.write_bytes(MOTOR.read_bytes())
    report = aas_validate(path)
    assert report.readable and report.format == "json"


def test_bytes_fail(aas_validate):
    document = json.loads(MOTOR.read_text())
    document["submodels"][0]["idShort"] = "1bad"
    aas_validate(json.dumps(document).encode(), format="json")


def test_warning_only_at_warning(aas_validate):
    aas_validate(Path({dangling!r}))
    aas_validate(Path({dangling!r}), fail_on="warning")


def test_template(aas_validate):
    aas_validate(Path({defects!r}), template=Path({template!r}))
"""


def test_fixture(pytester: pytest.Pytester) -> None:
    dangling = _dangling_reference(pytester.path / "data")
    pytester.makepyfile(
        test_fixture=FIXTURE_TESTS.format(
            motor=str(MOTOR),
            dangling=str(dangling),
            defects=str(TEMPLATES / "nameplate-defects.json"),
            template=str(TEMPLATES / "nameplate-template.json"),
        )
    )
    result = _run(pytester, "-v", "-ra")
    result.assert_outcomes(passed=1, failed=3)
    result.stdout.fnmatch_lines(
        [
            "*test_written_file_passes PASSED*",
            "*test_bytes_fail FAILED*",
            "*test_warning_only_at_warning FAILED*",
            "*test_template FAILED*",
        ]
    )
    text = result.stdout.str()
    assert "/submodels/0/idShort: error: [metamodel:pattern]" in text
    assert "warning: [reference:unresolved]" in text
    assert "template check:" in text and "[template:missing]" in text
    # the failure is the report, not the test's traceback into the plugin
    assert "pytest_plugin.py" not in text and "def check(" not in text
    # --aas-fail-on is the fixture's default
    strict = _run(pytester, "-k", "written or warning", "--aas-fail-on", "warning")
    strict.assert_outcomes(passed=1, failed=1)


def test_fixture_rejects_unknown_fail_on(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_fixture=f"""
import pytest
from pathlib import Path

def test_it(aas_validate):
    with pytest.raises(ValueError, match="fail_on"):
        aas_validate(Path({str(MOTOR)!r}), fail_on="fatal")
"""
    )
    _run(pytester).assert_outcomes(passed=1)
