"""The ``aas`` command as a user runs it (``python -m aas`` in a subprocess): output, exit
codes, and that a failure is one error line and never a traceback.

Each run costs a Python start-up, so the runs are few and each checks several things;
bulk behaviour is tested through the library in test_api.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import orjson
from lxml import etree

import aas
from aas.versions import XML_NAMESPACES, binding

from conftest import EXAMPLES, ID_SHORT_30_ONLY, assert_clean_failure, corpus, run_cli

MOTOR_JSON = EXAMPLES / "motor" / "motor.json"
PUMP_JSON = EXAMPLES / "pump" / "pump.json"
SENSOR_JSON = EXAMPLES / "sensor" / "sensor.json"

NS_30 = XML_NAMESPACES[aas.Version.V3_0]
NS_31 = XML_NAMESPACES[aas.Version.V3_1]

INVALID = ("testgen-3.0", "Json", "ContainedInEnvironment", "Unexpected", "Invalid")


def canonical(model: aas.Model) -> Any:
    return binding(model.version).jsonization.to_jsonable(model.root)


def assert_success(result: subprocess.CompletedProcess[bytes]) -> str:
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr, stderr
    assert "aas: error:" not in stderr, stderr
    return stderr


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def aged_copy(source: Path, target: Path) -> Path:
    """A copy with an old mtime, so that a rewrite would show even on a coarse clock."""
    shutil.copyfile(source, target)
    os.utime(target, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    return target


def namespace_of(path: Path) -> str | None:
    return etree.QName(etree.parse(str(path)).getroot()).namespace


def first_file(*parts: str) -> Path:
    return next(iter(sorted(corpus(*parts).rglob("*.json"))))


# --------------------------------------------------------------------------- basics


def test_version_option_prints_the_version() -> None:
    result = run_cli("--version")
    assert_success(result)
    assert result.stdout.decode().strip() == f"aas {aas.__version__}"


def test_no_arguments_prints_usage_and_exits_2() -> None:
    result = run_cli()
    assert result.returncode == 2
    assert "Traceback" not in result.stderr.decode()
    usage = result.stdout.decode()
    assert "Usage:" in usage
    for command in ("convert", "info", "formats"):
        assert command in usage


def test_formats_lists_every_format_with_its_suffixes() -> None:
    result = run_cli("formats")
    assert_success(result)
    lines = result.stdout.decode().splitlines()
    assert "(text/turtle)" in lines[3] and "(application/ld+json)" in lines[5]
    assert [line.split()[:2] for line in lines] == [
        ["json", ".json"],
        ["xml", ".xml"],
        ["aasx", ".aasx"],
        ["turtle", ".ttl"],
        ["ntriples", ".nt"],
        ["jsonld", ".jsonld"],
        ["rdfxml", ".rdf"],
        ["value", ".valueonly"],
    ]


# --------------------------------------------------------------------------- convert


def test_convert_json_file_to_xml_file(tmp_path: Path) -> None:
    out = tmp_path / "out.xml"
    result = run_cli("convert", str(MOTOR_JSON), str(out))
    stderr = assert_success(result)
    assert result.stdout == b""
    assert "note: [aas:version-assumed]" in stderr
    assert f"-> {out} (xml, V3.1)" in stderr
    assert namespace_of(out) == NS_31
    assert canonical(aas.load(out)) == canonical(aas.load(MOTOR_JSON))
    assert os.listdir(tmp_path) == ["out.xml"]


def test_convert_standard_input_to_standard_output() -> None:
    result = run_cli(
        "convert",
        "-",
        "-",
        "--from",
        "json",
        "--to",
        "xml",
        "--aas-version",
        "3.1",
        stdin=MOTOR_JSON.read_bytes(),
    )
    stderr = assert_success(result)
    assert "aas:version-assumed" not in stderr  # the version was given
    assert result.stdout.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    model = aas.load(result.stdout)
    assert model.version == aas.Version.V3_1
    assert canonical(model) == canonical(aas.load(MOTOR_JSON))


def test_convert_to_standard_output_without_to_is_a_usage_error() -> None:
    result = run_cli("convert", str(MOTOR_JSON), "-")
    stderr = assert_clean_failure(result, 2)
    assert "standard output" in stderr
    assert "--to" in stderr
    assert result.stdout == b""


def test_convert_missing_input_exits_3(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    result = run_cli("convert", str(missing), str(tmp_path / "out.xml"))
    stderr = assert_clean_failure(result, 3)
    assert str(missing) in stderr
    assert "no such file" in stderr
    assert os.listdir(tmp_path) == []


def test_failing_conversion_leaves_an_existing_output_unchanged(tmp_path: Path) -> None:
    """Not well-formed input: exit 3, located, and the old out.xml survives as it was."""
    broken = tmp_path / "broken.json"
    broken.write_bytes(b'{"submodels": [\n  {"id": "urn:x",\n')
    out = aged_copy(EXAMPLES / "pump" / "pump.xml", tmp_path / "out.xml")
    before = snapshot(out)

    result = run_cli("convert", str(broken), str(out))
    stderr = assert_clean_failure(result, 3)
    assert "not well-formed JSON" in stderr
    assert re.search(rf"{re.escape(str(broken))}:\d+:\d+: not well-formed JSON", stderr)
    assert snapshot(out) == before
    assert sorted(os.listdir(tmp_path)) == ["broken.json", "out.xml"]


def test_convert_unknown_output_suffix_exits_2(tmp_path: Path) -> None:
    result = run_cli("convert", str(MOTOR_JSON), str(tmp_path / "out.dat"))
    stderr = assert_clean_failure(result, 2)
    assert "'.dat'" in stderr
    assert "--to" in stderr
    assert os.listdir(tmp_path) == []


def test_convert_onto_the_input_exits_2_and_keeps_the_input(tmp_path: Path) -> None:
    source = aged_copy(MOTOR_JSON, tmp_path / "motor.json")
    before = snapshot(source)
    result = run_cli("convert", str(source), str(source))
    stderr = assert_clean_failure(result, 2)
    assert "is the input" in stderr
    assert snapshot(source) == before
    assert os.listdir(tmp_path) == ["motor.json"]


def test_convert_into_a_missing_folder_exits_4(tmp_path: Path) -> None:
    result = run_cli("convert", str(MOTOR_JSON), str(tmp_path / "no" / "out.xml"))
    stderr = assert_clean_failure(result, 4)
    assert "does not exist" in stderr
    assert os.listdir(tmp_path) == []


def test_strict_refuses_a_constraint_violation_with_exit_1(tmp_path: Path) -> None:
    source = first_file(*INVALID, "ConstraintViolation")
    out = tmp_path / "out.xml"
    result = run_cli("convert", str(source), str(out), "--aas-version", "3.0", "--strict")
    stderr = assert_clean_failure(result, 1)
    assert "nothing written" in stderr
    assert "error: [AASd-" in stderr
    # each finding is located, as validate locates it (with its line and column)
    assert re.search(rf"{re.escape(str(source))}:\d+:\d+ /submodels/0/", stderr)
    assert os.listdir(tmp_path) == []


def test_without_strict_problems_keep_their_severity_and_the_output_is_written(
    tmp_path: Path,
) -> None:
    source = first_file(*INVALID, "MaxLengthViolation")
    expected = [
        finding
        for finding in aas.load(source, version="3.0").findings
        if finding.severity is aas.Severity.ERROR
    ]
    assert expected
    out = tmp_path / "out.xml"
    result = run_cli("convert", str(source), str(out), "--aas-version", "3.0")
    stderr = assert_success(result)
    # a rule has one severity everywhere: an error in validate is an error here too,
    # and a tolerant conversion goes on all the same
    for finding in expected:
        assert finding.render("error") in stderr
    assert "warning: [metamodel" not in stderr
    assert namespace_of(out) == NS_30


def test_unknown_option_exits_2_without_traceback(tmp_path: Path) -> None:
    result = run_cli("convert", str(MOTOR_JSON), str(tmp_path / "out.xml"), "--bogus")
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert "Traceback" not in stderr
    assert "--bogus" in stderr
    assert os.listdir(tmp_path) == []


def test_to_version_upgrades_and_reports_what_breaks_under_31(tmp_path: Path) -> None:
    source = tmp_path / "uri.json"
    source.write_bytes(orjson.dumps(ID_SHORT_30_ONLY))
    out = tmp_path / "uri.xml"
    result = run_cli(
        "convert", str(source), str(out), "--aas-version", "3.0", "--to-version", "3.1"
    )
    stderr = assert_success(result)
    assert "error: [metamodel:pattern] after the change to V3.1" in stderr
    assert "(json, V3.0)" in stderr
    assert "(xml, V3.1)" in stderr
    assert namespace_of(out) == NS_31


# --------------------------------------------------------------------------- folders


def three_json_files(folder: Path) -> Path:
    folder.mkdir()
    for path in (MOTOR_JSON, PUMP_JSON, SENSOR_JSON):
        shutil.copyfile(path, folder / path.name)
    return folder


def test_convert_a_folder_to_xml(tmp_path: Path) -> None:
    source = three_json_files(tmp_path / "in")
    out = tmp_path / "out"
    result = run_cli("convert", str(source), str(out), "--to", "xml", "--aas-version", "3.1")
    stderr = assert_success(result)
    assert "converted 3 of 3 files" in stderr
    assert sorted(os.listdir(out)) == ["motor.xml", "pump.xml", "sensor.xml"]
    for name in ("motor", "pump", "sensor"):
        assert namespace_of(out / f"{name}.xml") == NS_31
        assert canonical(aas.load(out / f"{name}.xml")) == canonical(
            aas.load(source / f"{name}.json")
        )
    assert sorted(os.listdir(source)) == ["motor.json", "pump.json", "sensor.json"]


def test_convert_a_folder_without_to_exits_2(tmp_path: Path) -> None:
    source = three_json_files(tmp_path / "in")
    result = run_cli("convert", str(source), str(tmp_path / "out"))
    stderr = assert_clean_failure(result, 2)
    assert "--to" in stderr
    assert not (tmp_path / "out").exists()


def test_convert_a_folder_into_its_parent(tmp_path: Path) -> None:
    three_json_files(tmp_path / "in")
    result = run_cli("convert", "in", ".", "--to", "xml", cwd=tmp_path)
    assert_success(result)
    assert sorted(p.name for p in tmp_path.glob("*.xml")) == ["motor.xml", "pump.xml", "sensor.xml"]


def test_folder_inputs_with_the_same_stem_do_not_overwrite_each_other(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    shutil.copyfile(MOTOR_JSON, source / "m.json")
    shutil.copyfile(EXAMPLES / "pump" / "pump.xml", source / "m.xml")
    out = tmp_path / "out"
    result = run_cli("convert", str(source), str(out), "--to", "json")
    assert "Traceback" not in result.stderr.decode()
    written = "".join(path.read_text() for path in out.rglob("*.json"))
    motor_kept = "MotorM1000" in written
    pump_kept = "PumpCP50" in written
    # Either both models arrive, or the run says it could not do that.
    assert (motor_kept and pump_kept) or result.returncode != 0


# --------------------------------------------------------------------------- info


def test_info_as_json() -> None:
    result = run_cli("info", str(MOTOR_JSON), "--output", "json")
    assert_success(result)
    info = json.loads(result.stdout)
    expected = aas.load(MOTOR_JSON)
    assert info["version"] == "3.1"
    assert info["format"] == "json"
    assert info["source"] == str(MOTOR_JSON)
    assert info["shells"] == len(expected.root.asset_administration_shells) == 1
    assert info["submodels"] == len(expected.root.submodels) == 2
    by_type = info["submodelElements"]["byType"]
    assert by_type["Property"] >= 1
    assert sum(by_type.values()) == info["submodelElements"]["total"]
    counted: dict[str, int] = {}
    for node in expected.root.descend():
        if isinstance(node, binding(expected.version).types.SubmodelElement):
            counted[type(node).__name__] = counted.get(type(node).__name__, 0) + 1
    assert by_type == counted


def test_info_as_text_mentions_the_counts() -> None:
    result = run_cli("info", str(EXAMPLES / "sensor" / "sensor.aasx"))
    assert_success(result)
    text = result.stdout.decode()
    model = aas.load(EXAMPLES / "sensor" / "sensor.aasx")
    lines = {
        line.split(":", 1)[0].strip(): line.split(":", 1)[1].strip()
        for line in text.splitlines()
        if ":" in line and not line.startswith("  ")
    }
    assert lines["format"] == "aasx"
    assert lines["metamodel"] == "V3.1"
    assert lines["shells"] == str(len(model.root.asset_administration_shells))
    assert lines["submodels"] == str(len(model.root.submodels))
    assert lines["concept descriptions"] == str(len(model.root.concept_descriptions))
    assert int(lines["submodel elements"]) > 0
    assert "/aasx/files/sensor-manual.pdf" in text
