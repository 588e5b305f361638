"""The library API: load/dump/save/convert, format detection, version handling, atomic
writes, refusal to overwrite the input, strict mode and the findings it reports."""

from __future__ import annotations

import dataclasses
import io
import json
import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from lxml import etree

import aas
import aas.converters.json.format as json_format
from aas.formats import detect_input, detect_output
from aas.versions import XML_NAMESPACES, binding

from conftest import EXAMPLES, ID_SHORT_30_ONLY, INVALID_30_JSON, corpus, resolve_pointer

MOTOR_JSON = EXAMPLES / "motor" / "motor.json"
MOTOR_XML = EXAMPLES / "motor" / "motor.xml"
SENSOR_AASX = EXAMPLES / "sensor" / "sensor.aasx"

NS_30 = XML_NAMESPACES[aas.Version.V3_0]
NS_31 = XML_NAMESPACES[aas.Version.V3_1]


def canonical(model: aas.Model) -> Any:
    """The model as aas-core's JSON-able structure: aas-core instances do not compare by value."""
    return binding(model.version).jsonization.to_jsonable(model.root)


def rules(findings: list[aas.Finding]) -> list[str]:
    return [finding.rule for finding in findings]


def errors(findings: list[aas.Finding]) -> list[aas.Finding]:
    return [finding for finding in findings if finding.severity is aas.Severity.ERROR]


def sample(files: list[Path], count: int) -> list[Path]:
    """``count`` files spread evenly over a sorted list (deterministic)."""
    files = sorted(files)
    assert len(files) >= count
    step = len(files) // count
    return files[::step][:count]


def xml_namespace(data: bytes) -> str | None:
    return etree.QName(etree.fromstring(data)).namespace


# --------------------------------------------------------------------------- loading


def test_load_from_path_bytes_and_stream_give_equal_models() -> None:
    data = MOTOR_JSON.read_bytes()
    from_path = aas.load(MOTOR_JSON)
    from_str_path = aas.load(str(MOTOR_JSON))
    from_bytes = aas.load(data)
    from_stream = aas.load(io.BytesIO(data))

    expected = canonical(from_path)
    assert expected["assetAdministrationShells"][0]["idShort"] == "MotorM1000"
    for model in (from_str_path, from_bytes, from_stream):
        assert canonical(model) == expected
        assert model.format == "json"
        assert model.version == aas.Version.V3_1
        assert model.is_environment

    assert from_path.source == str(MOTOR_JSON)
    assert from_str_path.source == str(MOTOR_JSON)
    assert from_bytes.source is None
    assert from_stream.source is None  # a BytesIO has no name


def test_load_names_the_format_of_xml_and_aasx() -> None:
    from_xml = aas.load(MOTOR_XML)
    assert (from_xml.format, from_xml.version, from_xml.source) == ("xml", "3.1", str(MOTOR_XML))
    assert canonical(from_xml) == canonical(aas.load(MOTOR_JSON))

    from_aasx = aas.load(io.BytesIO(SENSOR_AASX.read_bytes()))
    assert from_aasx.format == "aasx"
    assert from_aasx.version == aas.Version.V3_1
    assert from_aasx.package is not None
    assert "/aasx/files/sensor-manual.pdf" in from_aasx.package.supplementary


def test_load_of_a_missing_file_raises_read_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(aas.ReadError) as caught:
        aas.load(missing)
    assert caught.value.location.file == str(missing)
    assert "no such file" in str(caught.value)


# --------------------------------------------------------------------------- lexical values

LEXICAL = {
    "submodels": [
        {
            "modelType": "Submodel",
            "id": "urn:example:sm:lexical",
            "idShort": "Lexical",
            "semanticId": {
                "type": "ExternalReference",
                "keys": [
                    {"type": "GlobalReference", "value": "urn:z"},
                    {"type": "GlobalReference", "value": "urn:a"},
                    {"type": "GlobalReference", "value": "urn:m"},
                ],
            },
            "submodelElements": [
                {
                    "modelType": "Property",
                    "idShort": "zDouble",
                    "valueType": "xs:double",
                    "value": "1.0E2",
                },
                {
                    "modelType": "Property",
                    "idShort": "aInt",
                    "valueType": "xs:int",
                    "value": "+007",
                },
                {
                    "modelType": "Property",
                    "idShort": "mBool",
                    "valueType": "xs:boolean",
                    "value": "1",
                },
                {
                    "modelType": "Property",
                    "idShort": "bDecimal",
                    "valueType": "xs:decimal",
                    "value": "0.10",
                },
                {
                    "modelType": "Range",
                    "idShort": "yRange",
                    "valueType": "xs:double",
                    "min": "-0.0",
                    "max": "1e3",
                },
            ],
        }
    ]
}


def test_lexical_values_and_order_survive_json_to_xml_to_json() -> None:
    model = aas.load(orjson.dumps(LEXICAL))
    assert errors(model.findings) == []

    xml_bytes = aas.dump(model, "xml").data
    assert xml_namespace(xml_bytes) == NS_31
    for fragment in (
        b"<value>1.0E2</value>",
        b"<value>+007</value>",
        b"<value>1</value>",
        b"<value>0.10</value>",
        b"<min>-0.0</min>",
        b"<max>1e3</max>",
    ):
        assert fragment in xml_bytes, fragment
    # Order of elements and of keys in the XML text is the input's order.
    positions = [
        xml_bytes.index(f"<idShort>{name}</idShort>".encode())
        for name in ("zDouble", "aInt", "mBool", "bDecimal", "yRange")
    ]
    assert positions == sorted(positions)
    key_positions = [
        xml_bytes.index(f"<value>{key}</value>".encode()) for key in ("urn:z", "urn:a", "urn:m")
    ]
    assert key_positions == sorted(key_positions)

    from_xml = aas.load(xml_bytes)
    assert from_xml.format == "xml"
    assert errors(from_xml.findings) == []
    final = json.loads(aas.dump(from_xml, "json").data)
    submodel = final["submodels"][0]
    elements = submodel["submodelElements"]
    assert [element["idShort"] for element in elements] == [
        "zDouble",
        "aInt",
        "mBool",
        "bDecimal",
        "yRange",
    ]
    assert [element.get("value") for element in elements[:4]] == ["1.0E2", "+007", "1", "0.10"]
    assert all(isinstance(element.get("value"), str) for element in elements[:4])
    assert (elements[4]["min"], elements[4]["max"]) == ("-0.0", "1e3")
    assert [key["value"] for key in submodel["semanticId"]["keys"]] == ["urn:z", "urn:a", "urn:m"]
    # Nothing else changed either (aas-core may order the keys inside an object differently).
    assert final == LEXICAL


# --------------------------------------------------------------------------- versions


def test_json_without_version_is_read_as_31_and_says_so() -> None:
    model = aas.load(MOTOR_JSON)
    assert model.version == aas.Version.V3_1
    assumed = [finding for finding in model.findings if finding.rule == "aas:version-assumed"]
    assert len(assumed) == 1
    assert assumed[0].severity is aas.Severity.INFO
    assert "3.1" in assumed[0].message
    assert assumed[0].location.file == str(MOTOR_JSON)


@pytest.mark.parametrize("asked", ["3.0", "v3.0", aas.Version.V3_0])
def test_json_with_version_30_is_read_as_30_without_a_note(asked: Any) -> None:
    model = aas.load(MOTOR_JSON, version=asked)
    assert model.version == aas.Version.V3_0
    assert "aas:version-assumed" not in rules(model.findings)
    assert type(model.root).__module__.startswith("aas_core3.")


def test_json_with_version_31_is_read_without_a_note() -> None:
    model = aas.load(MOTOR_JSON, version="3.1")
    assert model.version == aas.Version.V3_1
    assert "aas:version-assumed" not in rules(model.findings)


def test_unknown_version_is_a_usage_error() -> None:
    with pytest.raises(aas.UsageError, match=r"3\.2"):
        aas.load(MOTOR_JSON, version="3.2")


def test_xml_tells_its_version_by_namespace_and_refuses_the_other() -> None:
    v31 = aas.load(MOTOR_XML)
    assert v31.version == aas.Version.V3_1
    assert "aas:version-assumed" not in rules(v31.findings)
    assert aas.load(MOTOR_XML, version="3.1").version == aas.Version.V3_1
    with pytest.raises(aas.ReadError, match=r"V3\.1 .*V3\.0 was asked"):
        aas.load(MOTOR_XML, version="3.0")

    v30_path = next(
        iter(
            sorted(
                corpus("testgen-3.0", "Xml", "ContainedInEnvironment", "Expected").rglob("*.xml")
            )
        )
    )
    v30 = aas.load(v30_path)
    assert v30.version == aas.Version.V3_0
    assert aas.load(v30_path, version="3.0").version == aas.Version.V3_0
    with pytest.raises(aas.ReadError, match=r"V3\.0 .*V3\.1 was asked"):
        aas.load(v30_path, version="3.1")


def test_upgrade_of_a_sample_of_v30_files_writes_v31_xml(tmp_path: Path) -> None:
    files = sample(
        list(corpus("testgen-3.0", "Json", "ContainedInEnvironment", "Expected").rglob("*.json")),
        100,
    )
    out = tmp_path / "out.xml"
    problems: list[str] = []
    for path in files:
        result = aas.convert(path, out, version="3.0", to_version="3.1")
        if (result.source_version, result.target_version) != ("3.0", "3.1"):
            problems.append(f"{path}: versions {result.source_version} -> {result.target_version}")
        if (result.source_format, result.target_format) != ("json", "xml"):
            problems.append(f"{path}: formats {result.source_format} -> {result.target_format}")
        data = out.read_bytes()
        if xml_namespace(data) != NS_31:
            problems.append(f"{path}: namespace {xml_namespace(data)}")
        # The valid V3.0 files break nothing under V3.0; any error is one V3.1 adds.
        for finding in errors(result.findings):
            if not finding.message.startswith("after the change to V3.1"):
                problems.append(f"{path}: {finding}")
        upgraded = aas.load(data)
        if upgraded.version != aas.Version.V3_1:
            problems.append(f"{path}: reads back as V{upgraded.version}")
        # Both versions share their JSON form for what they both have: no content is lost.
        if canonical(upgraded) != canonical(aas.load(path, version="3.0", verify=False)):
            problems.append(f"{path}: content changed by the upgrade")
        out.unlink()
    assert problems == []


def test_upgrade_reports_a_constraint_broken_only_under_31(tmp_path: Path) -> None:
    source = tmp_path / "uri.json"
    source.write_bytes(orjson.dumps(ID_SHORT_30_ONLY))
    assert errors(aas.load(source, version="3.0").findings) == []
    assert rules(errors(aas.load(source, version="3.1").findings)) == ["metamodel:pattern"]

    result = aas.convert(source, tmp_path / "uri.xml", version="3.0", to_version="3.1")
    assert result.target_version == aas.Version.V3_1
    found = errors(result.findings)
    assert len(found) == 1
    assert found[0].message.startswith("after the change to V3.1")
    assert found[0].rule == "metamodel:pattern"
    assert found[0].location.file == str(source)
    assert resolve_pointer(ID_SHORT_30_ONLY, found[0].location.pointer) == "u"
    assert b"<value>HCSxO:</value>" in (tmp_path / "uri.xml").read_bytes()

    with pytest.raises(aas.FindingsError) as caught:
        aas.convert(source, tmp_path / "strict.xml", version="3.0", to_version="3.1", strict=True)
    assert caught.value.findings[0].message.startswith("after the change to V3.1")
    assert not (tmp_path / "strict.xml").exists()


def test_downgrade_of_what_30_cannot_hold_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "role.json"
    source.write_bytes(
        orjson.dumps(
            {
                "assetAdministrationShells": [
                    {
                        "modelType": "AssetAdministrationShell",
                        "id": "urn:example:aas:role",
                        # AssetKind "Role" is new in V3.1.
                        "assetInformation": {"assetKind": "Role", "globalAssetId": "urn:g"},
                    }
                ]
            }
        )
    )
    with pytest.raises(aas.AasError) as caught:
        aas.convert(source, tmp_path / "role.xml", version="3.1", to_version="3.0")
    assert "Role" in str(caught.value)
    assert (
        caught.value.location.pointer == "/assetAdministrationShells/0/assetInformation/assetKind"
    )
    assert sorted(os.listdir(tmp_path)) == ["role.json"]


# --------------------------------------------------------------------------- format detection


def test_detect_input_explicit_beats_suffix_and_content() -> None:
    assert detect_input("xml", "model.json", b'{"submodels": []}').name == "xml"
    assert detect_input("JSON", "model.xml", b"<environment/>").name == "json"
    assert detect_input(".aasx", None, b"{").name == "aasx"


def test_detect_input_suffix_beats_content() -> None:
    assert detect_input(None, "model.json", b"<environment/>").name == "json"
    assert detect_input(None, "model.XML", b"{}").name == "xml"
    assert detect_input(None, "dir/model.aasx", b"{}").name == "aasx"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'{"submodels": []}', "json"),
        (b'\xef\xbb\xbf  \n{"submodels": []}', "json"),
        (b'<?xml version="1.0"?><environment/>', "xml"),
        (b"\n\t<environment/>", "xml"),
        (b"PK\x03\x04rest-of-a-zip", "aasx"),
    ],
)
@pytest.mark.parametrize("path", [None, "-", "model", "model.dat"])
def test_detect_input_sniffs_content_when_the_name_does_not_tell(
    head: bytes, expected: str, path: str | None
) -> None:
    assert detect_input(None, path, head).name == expected


def test_detect_input_refuses_unknown_suffix_with_unrecognisable_content() -> None:
    with pytest.raises(aas.FormatDetectionError) as caught:
        detect_input(None, "model.dat", b"hello, world")
    message = str(caught.value)
    assert "'model.dat'" in message
    assert "'.dat'" in message
    assert "--from" in message
    assert isinstance(caught.value, aas.UsageError)

    with pytest.raises(aas.FormatDetectionError, match=r"no suffix.*--from"):
        detect_input(None, "model", b"")


def test_detect_input_unknown_explicit_format_is_a_usage_error() -> None:
    with pytest.raises(aas.UsageError, match="unknown format 'yaml'"):
        detect_input("yaml", "model.json", b"{}")


def test_detect_output_explicit_beats_suffix_and_refuses_what_it_cannot_tell() -> None:
    assert detect_output("xml", "out.json").name == "xml"
    assert detect_output(None, "out.aasx").name == "aasx"
    assert detect_output("json", None).name == "json"
    assert detect_output("json", "-").name == "json"

    with pytest.raises(aas.FormatDetectionError) as caught:
        detect_output(None, "out.dat")
    assert "'.dat'" in str(caught.value)
    assert "--to" in str(caught.value)

    for stdout in (None, "-"):
        with pytest.raises(aas.FormatDetectionError) as caught:
            detect_output(None, stdout)
        assert "standard output" in str(caught.value)
        assert "--to" in str(caught.value)


def test_load_detects_formats_by_explicit_choice_suffix_and_content(tmp_path: Path) -> None:
    xml_text = MOTOR_XML.read_bytes()
    json_text = MOTOR_JSON.read_bytes()

    # Content decides for a file without a suffix, and for bytes.
    bare_json = tmp_path / "motor"
    bare_json.write_bytes(json_text)
    assert aas.load(bare_json).format == "json"
    assert aas.load(xml_text).format == "xml"
    assert aas.load(SENSOR_AASX.read_bytes()).format == "aasx"

    # The suffix beats the content: XML in a .json file is read as (broken) JSON.
    xml_in_json = tmp_path / "motor.json"
    xml_in_json.write_bytes(xml_text)
    with pytest.raises(aas.ReadError, match="not well-formed JSON"):
        aas.load(xml_in_json)
    # ... and an explicit choice beats the suffix.
    assert aas.load(xml_in_json, format="xml").format == "xml"

    # Unknown suffix, unrecognisable content: refused, never guessed.
    junk = tmp_path / "motor.dat"
    junk.write_bytes(b"motor, 7.5 kW\n")
    with pytest.raises(aas.FormatDetectionError, match="--from"):
        aas.load(junk)


# --------------------------------------------------------------------------- atomic save


def parts_in(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".part"))


def test_save_writes_a_file_that_loads_back(tmp_path: Path) -> None:
    model = aas.load(MOTOR_JSON)
    for name in ("motor.xml", "motor.json"):
        assert aas.save(model, tmp_path / name).findings == []
        again = aas.load(tmp_path / name, version="3.1")
        assert canonical(again) == canonical(model)
    assert aas.save(model, tmp_path / "motor.dat", format="xml").findings == []
    assert xml_namespace((tmp_path / "motor.dat").read_bytes()) == NS_31
    assert parts_in(tmp_path) == []


def test_convert_to_aasx_packs_the_files_the_model_names(tmp_path: Path) -> None:
    result = aas.convert(MOTOR_JSON, tmp_path / "motor.aasx")
    assert "aasx:file-not-found" not in rules(result.findings)
    package = aas.load(tmp_path / "motor.aasx").package
    assert package is not None
    assert (
        package.supplementary["/aasx/files/motor-datasheet.pdf"].data
        == (EXAMPLES / "motor" / "files" / "motor-datasheet.pdf").read_bytes()
    )


def test_save_to_aasx_packs_the_files_the_model_names_like_convert(tmp_path: Path) -> None:
    model = aas.load(MOTOR_JSON)
    findings = aas.save(model, tmp_path / "motor.aasx").findings
    assert "aasx:file-not-found" not in rules(findings)
    package = aas.load(tmp_path / "motor.aasx").package
    assert package is not None
    assert "/aasx/files/motor-datasheet.pdf" in package.supplementary


def test_save_to_a_stream_needs_a_format() -> None:
    model = aas.load(MOTOR_JSON)
    stream = io.BytesIO()
    aas.save(model, stream, format="xml")
    assert xml_namespace(stream.getvalue()) == NS_31
    with pytest.raises(aas.FormatDetectionError, match="--to"):
        aas.save(model, io.BytesIO())


def old_file(path: Path) -> Path:
    """What an earlier run left at ``path``: a failed save must keep it as it is."""
    path.write_bytes(b"old content")
    return path


def test_save_keeps_the_old_file_when_the_writer_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = old_file(tmp_path / "out.json")
    model = aas.load(MOTOR_JSON)

    def broken_write(model: aas.Model, stream: Any, context: Any) -> None:
        stream.write(b'{"half of a model": ')  # the writer dies mid-way
        raise RuntimeError("writer broke")

    monkeypatch.setattr(json_format, "write", broken_write)
    with pytest.raises(RuntimeError, match="writer broke"):
        aas.save(model, target)
    assert target.read_bytes() == b"old content"
    assert os.listdir(tmp_path) == ["out.json"]


def test_save_keeps_the_old_file_when_the_rename_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = old_file(tmp_path / "out.xml")
    model = aas.load(MOTOR_JSON)

    def failing_replace(*args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(aas.WriteError) as caught:
        aas.save(model, target)
    monkeypatch.undo()
    assert "No space left on device" in str(caught.value)
    assert caught.value.location.file == str(target)
    assert target.read_bytes() == b"old content"
    assert parts_in(tmp_path) == []
    assert os.listdir(tmp_path) == ["out.xml"]


def test_save_leaves_no_partial_file_when_writing_fails_midway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temporary file already holds data when fsync fails; it must go."""
    model = aas.load(MOTOR_JSON)
    seen: list[str] = []

    def failing_fsync(fd: int) -> None:
        seen.extend(parts_in(tmp_path))
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(aas.WriteError, match="Input/output error"):
        aas.save(model, tmp_path / "new.xml")
    monkeypatch.undo()
    assert len(seen) == 1  # the temporary file existed beside the target ...
    assert parts_in(tmp_path) == []  # ... and is gone
    assert os.listdir(tmp_path) == []  # and no half-written target either


def test_save_interrupted_during_rename_cleans_up_and_reraises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_bytes(b"old content")

    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    model = aas.load(MOTOR_JSON)
    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        aas.save(model, target)
    monkeypatch.undo()
    assert target.read_bytes() == b"old content"
    assert os.listdir(tmp_path) == ["out.json"]


def test_save_into_a_missing_folder_raises_write_error(tmp_path: Path) -> None:
    model = aas.load(MOTOR_JSON)
    target = tmp_path / "no" / "such" / "folder" / "out.xml"
    with pytest.raises(aas.WriteError, match="does not exist") as caught:
        aas.save(model, target)
    assert caught.value.exit_code == 4
    assert not (tmp_path / "no").exists()


def test_save_onto_a_folder_raises_write_error(tmp_path: Path) -> None:
    (tmp_path / "out.xml").mkdir()
    with pytest.raises(aas.WriteError):
        aas.save(aas.load(MOTOR_JSON), tmp_path / "out.xml")
    assert (tmp_path / "out.xml").is_dir()
    assert parts_in(tmp_path) == []


# --------------------------------------------------------------------------- convert


def copy_of_motor(folder: Path) -> Path:
    path = folder / "motor.json"
    path.write_bytes(MOTOR_JSON.read_bytes())
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    return path


def test_convert_returns_what_it_read_and_wrote(tmp_path: Path) -> None:
    result = aas.convert(MOTOR_JSON, tmp_path / "motor.xml")
    assert isinstance(result, aas.ConversionResult)
    assert (result.source_format, result.target_format) == ("json", "xml")
    assert (result.source_version, result.target_version) == ("3.1", "3.1")
    assert rules(result.findings) == ["aas:version-assumed"]
    assert canonical(aas.load(tmp_path / "motor.xml")) == canonical(aas.load(MOTOR_JSON))

    stream = io.BytesIO()
    aas.convert(io.BytesIO(MOTOR_XML.read_bytes()), stream, to_format="json")
    assert canonical(aas.load(stream.getvalue(), version="3.1")) == canonical(aas.load(MOTOR_XML))


@pytest.mark.parametrize("spelling", ["same", "dotted", "symlink", "hardlink"])
def test_convert_refuses_to_write_onto_its_input(tmp_path: Path, spelling: str) -> None:
    source = copy_of_motor(tmp_path)
    before = (source.read_bytes(), source.stat().st_mtime_ns)
    if spelling == "same":
        target = source
    elif spelling == "dotted":
        (tmp_path / "sub").mkdir()
        target = tmp_path / "sub" / ".." / "motor.json"
    elif spelling == "symlink":
        target = tmp_path / "link.json"
        target.symlink_to(source)
    else:
        target = tmp_path / "hard.json"
        os.link(source, target)

    with pytest.raises(aas.UsageError, match="is the input"):
        aas.convert(source, target, to_format="json")
    with pytest.raises(aas.UsageError, match="is the input"):
        aas.convert(str(source), str(target))
    assert (source.read_bytes(), source.stat().st_mtime_ns) == before
    assert parts_in(tmp_path) == []


def test_convert_strict_refuses_a_constraint_violation_and_writes_nothing(tmp_path: Path) -> None:
    source = next(iter(sorted(corpus(*INVALID_30_JSON, "ConstraintViolation").rglob("*.json"))))
    target = tmp_path / "out.xml"
    with pytest.raises(aas.FindingsError) as caught:
        aas.convert(source, target, version="3.0", strict=True)
    assert caught.value.exit_code == 1
    assert caught.value.findings
    assert all(f.severity is aas.Severity.ERROR for f in caught.value.findings)
    assert all(f.rule.startswith("AASd-") for f in caught.value.findings)
    assert os.listdir(tmp_path) == []

    result = aas.convert(source, target, version="3.0")
    found = errors(result.findings)
    assert [f.rule for f in found] == [f.rule for f in caught.value.findings]
    assert target.exists()
    assert xml_namespace(target.read_bytes()) == NS_30
    assert parts_in(tmp_path) == []


# --------------------------------------------------------------------------- findings


def test_finding_is_immutable_and_round_trips_through_json() -> None:
    finding = aas.Finding(
        aas.Severity.ERROR,
        "AASd-124",
        "the last key is wrong",
        aas.Location(file="m.json", pointer="/submodels/0/semanticId"),
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.rule = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.location.pointer = "/"  # type: ignore[misc]
    assert hash(finding) == hash(dataclasses.replace(finding))

    as_dict = json.loads(json.dumps(finding.to_dict()))
    assert as_dict == {
        "severity": "error",
        "rule": "AASd-124",
        "message": "the last key is wrong",
        "location": {"file": "m.json", "pointer": "/submodels/0/semanticId"},
    }
    rebuilt = aas.Finding(
        aas.Severity(as_dict["severity"]),
        as_dict["rule"],
        as_dict["message"],
        aas.Location(**as_dict["location"]),
    )
    assert rebuilt == finding
    assert str(finding) == "m.json /submodels/0/semanticId: error: [AASd-124] the last key is wrong"


def test_severities_are_ordered() -> None:
    assert aas.Severity.INFO < aas.Severity.WARNING < aas.Severity.ERROR
    assert aas.Severity.ERROR >= aas.Severity.WARNING
    assert not aas.Severity.INFO >= aas.Severity.WARNING
    assert max([aas.Severity.WARNING, aas.Severity.ERROR, aas.Severity.INFO]) is aas.Severity.ERROR


def test_findings_of_real_inputs_serialise_to_json() -> None:
    model = aas.load(MOTOR_JSON)
    loaded = json.loads(json.dumps([finding.to_dict() for finding in model.findings]))
    assert loaded == [
        {
            "severity": "info",
            "rule": "aas:version-assumed",
            "message": model.findings[0].message,
            "location": {"file": str(MOTOR_JSON)},
        }
    ]


def test_json_pointers_of_findings_resolve_in_the_document() -> None:
    invalid = corpus("testgen-3.0", "Json", "ContainedInEnvironment", "Unexpected", "Invalid")
    files = sample(list(invalid.rglob("*.json")), 30)
    assert len({path.relative_to(invalid).parts[0] for path in files}) >= 5  # several causes
    checked = 0
    problems: list[str] = []
    for path in files:
        document = orjson.loads(path.read_bytes())
        model = aas.load(path, version="3.0")
        found = errors(model.findings)
        if not found:
            problems.append(f"{path}: no error reported for an Invalid file")
        for finding in found:
            pointer = finding.location.pointer
            if finding.location.file != str(path) or pointer is None:
                problems.append(f"{path}: {finding.location!r}")
                continue
            try:
                node = resolve_pointer(document, pointer)
            except (KeyError, IndexError) as error:
                problems.append(f"{path}: {pointer} does not resolve ({error})")
                continue
            if not isinstance(node, dict | list | str):
                problems.append(f"{path}: {pointer} names {node!r}")
            checked += 1
    assert problems == []
    assert checked >= 30


def test_findings_of_xml_input_carry_xpaths() -> None:
    invalid = corpus(
        "testgen-3.0",
        "Xml",
        "ContainedInEnvironment",
        "Unexpected",
        "Invalid",
        "ConstraintViolation",
    )
    path = next(iter(sorted(invalid.rglob("*.xml"))))
    found = errors(aas.load(path).findings)
    assert found
    for finding in found:
        assert finding.location.pointer is None
        assert finding.location.xpath is not None
        assert finding.location.xpath.startswith("/aas:environment/")
        tree = etree.parse(str(path))
        assert tree.xpath(finding.location.xpath, namespaces={"aas": NS_30}), finding
