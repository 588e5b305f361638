"""Files as real producers write them: each deviation is read and reported, never silent,
and only the strict form is written.

The fixtures are built here from the project's examples (``xsi:schemaLocation`` added to
the motor's root, the sensor's package with its relationships rewritten), never copied from
the corpus.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

import aas
from aas.cli.info import summarize
from aas.errors import PackageError, ReadError
from aas.findings import Finding, Severity
from aas.versions import binding

from conftest import EXAMPLES, assert_clean_failure, corpus, run_cli

MOTOR_XML = EXAMPLES / "motor" / "motor.xml"
SENSOR_JSON = EXAMPLES / "sensor" / "sensor.json"
SENSOR_AASX = EXAMPLES / "sensor" / "sensor.aasx"
MANUAL = "/aasx/files/sensor-manual.pdf"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
RELS = "http://admin-shell.io/aasx/relationships/"
NS_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def jsonable(model: aas.Model) -> Any:
    return binding(model.version).jsonization.to_jsonable(model.root)


def of_rule(findings: list[Finding], rule: str) -> list[Finding]:
    return [finding for finding in findings if finding.rule == rule]


def warnings_or_worse(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.severity >= Severity.WARNING]


def with_root_attributes(document: bytes, attributes: str) -> bytes:
    """The document with ``attributes`` added to its root element's start tag."""
    text = document.decode()
    start = re.search(r"<(environment|submodel)\b", text)
    assert start is not None
    at = start.end()
    return (text[:at] + " " + attributes + text[at:]).encode()


SCHEMA_LOCATION = (
    f'xmlns:xsi="{XSI}" xsi:schemaLocation="https://admin-shell.io/aas/3/1 AAS.xsd" '
    'xmlns:extra="urn:example:unused"'
)


# region xsi: attributes on the XML root


def test_xsi_schema_location_on_the_root_is_read_and_reported_once(tmp_path: Path) -> None:
    source = tmp_path / "motor.xml"
    source.write_bytes(with_root_attributes(MOTOR_XML.read_bytes(), SCHEMA_LOCATION))

    model = aas.load(source)
    assert jsonable(model) == jsonable(aas.load(MOTOR_XML))
    [finding] = warnings_or_worse(model.findings)
    assert finding.rule == "xml:root-attribute"
    assert finding.severity is Severity.WARNING
    assert "xsi:schemaLocation" in finding.message
    assert "https://admin-shell.io/aas/3/1 AAS.xsd" in finding.message
    assert finding.location.file == str(source)
    assert finding.location.xpath == "/aas:environment"
    assert finding.location.line == 2

    # What is written is the strict form: no xsi: attribute, no extra declaration.
    written = aas.dump(model, "xml").data
    assert b"xsi:" not in written
    assert b"urn:example:unused" not in written
    assert written == MOTOR_XML.read_bytes()


def test_every_xsi_attribute_is_a_finding_of_its_own() -> None:
    document = with_root_attributes(
        MOTOR_XML.read_bytes(),
        f'xmlns:xsi="{XSI}" xsi:schemaLocation="urn:a a.xsd" xsi:noNamespaceSchemaLocation="b.xsd"',
    )
    model = aas.load(document, format="xml")
    found = of_rule(model.findings, "xml:root-attribute")
    assert sorted(f.message.split("=")[0].split()[-1] for f in found) == [
        "xsi:noNamespaceSchemaLocation",
        "xsi:schemaLocation",
    ]


def test_an_attribute_outside_xsi_on_the_root_is_still_refused(tmp_path: Path) -> None:
    source = tmp_path / "motor.xml"
    source.write_bytes(with_root_attributes(MOTOR_XML.read_bytes(), 'version="3.1"'))
    with pytest.raises(ReadError) as raised:
        aas.load(source)
    assert "version" in raised.value.message
    assert_clean_failure(run_cli("info", str(source)), 3)


def test_validate_and_convert_take_a_root_with_xsi_schema_location(tmp_path: Path) -> None:
    source = tmp_path / "motor.xml"
    source.write_bytes(with_root_attributes(MOTOR_XML.read_bytes(), SCHEMA_LOCATION))

    # The XSD layer allows xsi: attributes anywhere: the verdict is the plain file's, plus
    # the one warning.
    report = aas.validate(source)
    plain = aas.validate(MOTOR_XML)
    assert report.readable
    assert "schema" in report.checks
    assert [f.rule for f in report.findings if f.rule != "xml:root-attribute"] == [
        f.rule for f in plain.findings
    ]
    assert len(of_rule(report.findings, "xml:root-attribute")) == 1
    assert not [f for f in report.findings if f.severity is Severity.ERROR]

    validated = run_cli("validate", str(source))
    assert validated.returncode == 0, validated.stdout.decode() + validated.stderr.decode()
    assert b"xml:root-attribute" in validated.stdout
    assert run_cli("validate", "--fail-on", "warning", str(source)).returncode == 1

    out = tmp_path / "motor.json"
    converted = run_cli("convert", str(source), str(out))
    assert converted.returncode == 0, converted.stderr.decode()
    assert b"xml:root-attribute" in converted.stderr
    assert json.loads(out.read_bytes()) == jsonable(aas.load(MOTOR_XML))


def test_a_spec_part_with_xsi_schema_location_is_read(tmp_path: Path) -> None:
    members = package_members(SENSOR_AASX)
    members["aasx/data.xml"] = with_root_attributes(members["aasx/data.xml"], SCHEMA_LOCATION)
    source = tmp_path / "sensor.aasx"
    source.write_bytes(build_zip(members))

    model = aas.load(source)
    assert jsonable(model) == jsonable(aas.load(SENSOR_AASX))
    [finding] = warnings_or_worse(model.findings)
    assert finding.rule == "xml:root-attribute"
    assert finding.location.file == f"{source}!/aasx/data.xml"

    report = aas.validate(source)
    assert report.readable
    assert not [f for f in report.findings if f.severity is Severity.ERROR], report.findings
    assert len(of_rule(report.findings, "xml:root-attribute")) == 1


# endregion

# region empty Blob values

BLOBS = {
    "submodels": [
        {
            "modelType": "Submodel",
            "id": "urn:example:sm:blobs",
            "idShort": "Blobs",
            "submodelElements": [
                {
                    "modelType": "Blob",
                    "idShort": "Empty",
                    "contentType": "application/octet-stream",
                    "value": "",
                },
                {"modelType": "Blob", "idShort": "Absent", "contentType": "text/plain"},
                {
                    "modelType": "Blob",
                    "idShort": "Full",
                    "contentType": "text/plain",
                    "value": "aGVsbG8=",
                },
            ],
        }
    ]
}


def test_an_empty_blob_value_survives_json_to_xml_to_json(tmp_path: Path) -> None:
    source = tmp_path / "blobs.json"
    source.write_text(json.dumps(BLOBS))
    xml = tmp_path / "blobs.xml"
    back = tmp_path / "back.json"
    first = run_cli("convert", str(source), str(xml))
    assert first.returncode == 0, first.stderr.decode()
    assert b"<value></value>" in xml.read_bytes() or b"<value/>" in xml.read_bytes()
    second = run_cli("convert", str(xml), str(back))
    assert second.returncode == 0, second.stderr.decode()
    assert json.loads(back.read_bytes()) == json.loads(
        aas.dump(aas.load(source, version="3.1"), "json").data
    )

    elements = aas.load(xml).root.submodels[0].submodel_elements
    assert [element.value for element in elements] == [b"", None, b"hello"]
    assert not warnings_or_worse(aas.validate(xml).findings)


def test_a_self_closing_empty_blob_value_is_zero_bytes() -> None:
    written = aas.dump(aas.load(json.dumps(BLOBS).encode(), format="json"), "xml").data
    closed = written.replace(b"<value></value>", b"<value/>")
    assert closed != written
    model = aas.load(closed, format="xml")
    assert model.root.submodels[0].submodel_elements[0].value == b""
    report = aas.validate(closed, format="xml")
    assert not warnings_or_worse(report.findings), report.findings


def test_empty_blob_values_nested_in_lists_and_collections_read_back() -> None:
    blob = {"modelType": "Blob", "contentType": "application/octet-stream", "value": ""}
    document = {
        "submodels": [
            {
                "modelType": "Submodel",
                "id": "urn:example:sm:nested",
                "submodelElements": [
                    {
                        "modelType": "SubmodelElementList",
                        "idShort": "Blobs",
                        "typeValueListElement": "Blob",
                        "value": [blob, {**blob, "value": "AAE="}, blob],
                    },
                    {
                        "modelType": "SubmodelElementCollection",
                        "idShort": "Group",
                        "value": [{**blob, "idShort": "Inner"}],
                    },
                ],
            }
        ]
    }
    model = aas.load(json.dumps(document).encode(), format="json")
    xml = aas.dump(model, "xml").data
    assert xml.count(b"<value></value>") == 3
    assert aas.dump(aas.load(xml, format="xml"), "json").data == aas.dump(model, "json").data


# endregion

# region packages: helpers


def package_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def build_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def all_external(rels: bytes) -> bytes:
    """Every relationship of a relationships part marked ``TargetMode="External"``."""
    return rels.replace(b"<Relationship ", b'<Relationship TargetMode="External" ')


def rels_xml(*relationships: tuple[str, str], external: bool = False) -> bytes:
    mode = ' TargetMode="External"' if external else ""
    items = "".join(
        f'<Relationship Type="{rel_type}" Target="{target}" Id="rId{index}"{mode}/>'
        for index, (rel_type, target) in enumerate(relationships, start=1)
    )
    return f'<?xml version="1.0"?><Relationships xmlns="{NS_RELS}">{items}</Relationships>'.encode()


def files_of(model: aas.Model) -> dict[str, bytes]:
    assert model.package is not None
    return {part.name: part.data for part in model.package.all_files()}


def refusal(path: Path, members: dict[str, bytes]) -> str:
    """Why no model is read from a package of ``members`` (written to ``path``)."""
    path.write_bytes(build_zip(members))
    with pytest.raises(PackageError) as raised:
        aas.load(path)
    return raised.value.message


def assert_the_sensor_package(model: aas.Model) -> None:
    """The model and the files of examples/sensor/sensor.aasx, read another way."""
    original = aas.load(SENSOR_AASX)
    assert jsonable(model) == jsonable(original)
    assert files_of(model) == files_of(original)


# endregion

# region External target mode


def test_a_package_whose_relationships_are_all_external_is_read(tmp_path: Path) -> None:
    members = package_members(SENSOR_AASX)
    rels_parts = [name for name in members if name.endswith(".rels")]
    assert len(rels_parts) == 3
    for name in rels_parts:
        members[name] = all_external(members[name])
    source = tmp_path / "external.aasx"
    source.write_bytes(build_zip(members))

    model = aas.load(source)
    assert_the_sensor_package(model)
    assert model.package is not None and model.package.thumbnail is not None
    found = warnings_or_worse(model.findings)
    assert {f.rule for f in found} == {"aasx:external-target-mode"}
    # Reported once per relationships part, naming it.
    assert sorted(f.location.file or "" for f in found) == sorted(
        f"{source}!/{name}" for name in rels_parts
    )
    assert all(f.severity is Severity.WARNING for f in found)

    # Written in the strict form: no relationship is External any more.
    out = tmp_path / "out.aasx"
    converted = run_cli("convert", str(source), str(out))
    assert converted.returncode == 0, converted.stderr.decode()
    assert b"aasx:external-target-mode" in converted.stderr
    written = package_members(out)
    assert not [
        name for name, data in written.items() if name.endswith(".rels") and b"External" in data
    ]
    assert not warnings_or_worse(aas.load(out).findings)
    info = run_cli("info", str(out))
    assert info.returncode == 0
    assert b"shells:               1" in info.stdout

    report = aas.validate(source)
    assert report.readable
    assert not [f for f in report.findings if f.severity is Severity.ERROR], report.findings


def test_an_external_origin_with_an_absolute_target_in_the_package_is_followed(
    tmp_path: Path,
) -> None:
    # As the Digital Product Passport template has it: only the origin is External.
    members = package_members(SENSOR_AASX)
    rels = members["_rels/.rels"]
    origin = b'Target="/aasx/aasx-origin"'
    assert origin in rels
    members["_rels/.rels"] = rels.replace(origin, origin + b' TargetMode="External"')
    source = tmp_path / "dpp-like.aasx"
    source.write_bytes(build_zip(members))

    info = run_cli("info", str(source))
    assert info.returncode == 0, info.stderr.decode()
    model = aas.load(source)
    [finding] = warnings_or_worse(model.findings)
    assert finding.rule == "aasx:external-target-mode"
    assert "/aasx/aasx-origin" in finding.message
    assert finding.location.file == f"{source}!/_rels/.rels"


def test_a_relationship_to_a_url_is_not_followed_and_said_so(tmp_path: Path) -> None:
    members = package_members(SENSOR_AASX)
    url = "https://example.com/manuals/sensor-manual.pdf"
    members["aasx/_rels/data.xml.rels"] = rels_xml(
        (RELS + "aas-suppl", MANUAL), (RELS + "aas-suppl", url), external=True
    )
    source = tmp_path / "url.aasx"
    source.write_bytes(build_zip(members))

    model = aas.load(source)
    [outside] = of_rule(model.findings, "aasx:external-target")
    assert outside.severity is Severity.WARNING
    assert url in outside.message
    assert "not followed" in outside.message
    assert model.package is not None
    assert model.package.spec_parts[0].supplementary == (MANUAL,)
    # The one External relationship into the package was read as internal.
    assert len(of_rule(model.findings, "aasx:external-target-mode")) == 1


def test_a_target_that_is_no_uri_reference_is_not_followed_and_is_no_crash(
    tmp_path: Path,
) -> None:
    # urlsplit refuses "http://[x" (an unclosed IPv6 literal): such a target names no part.
    members = package_members(SENSOR_AASX)
    members["aasx/_rels/data.xml.rels"] = rels_xml(
        (RELS + "aas-suppl", MANUAL), (RELS + "aas-suppl", "http://[x/manual.pdf")
    )
    source = tmp_path / "bad-target.aasx"
    source.write_bytes(build_zip(members))
    model = aas.load(source)
    [outside] = of_rule(model.findings, "aasx:external-target")
    assert "http://[x/manual.pdf" in outside.message
    report = aas.validate(source)
    assert report.readable and "aasx:external-target" in {f.rule for f in report.findings}
    # A File element naming such a text is no part either: written and checked without a crash.
    model.root.submodels[0].submodel_elements.append(_file_element(model, "http://[x/a.pdf"))
    written = tmp_path / "again.aasx"
    aas.save(model, written)
    assert aas.validate(written).readable


def _file_element(model: aas.Model, value: str) -> object:
    types = binding(model.version).types
    return types.File(content_type="application/pdf", id_short="Odd", value=value)


def test_an_origin_only_at_a_url_leaves_no_package_and_the_error_says_what_is_there(
    tmp_path: Path,
) -> None:
    members = package_members(SENSOR_AASX)
    members["_rels/.rels"] = rels_xml(
        (RELS + "aasx-origin", "http://example.com/aasx-origin"), external=True
    )
    message = refusal(tmp_path / "elsewhere.aasx", members)
    assert "no aasx-origin relationship" in message
    assert "http://example.com/aasx-origin (External)" in message
    assert "/aasx/data.xml" in message
    assert "8 parts" in message


# endregion

# region part names with spaces and percent-encoding

DOCS_JSON = {
    "submodels": [
        {
            "modelType": "Submodel",
            "id": "urn:example:sm:docs",
            "idShort": "Docs",
            "submodelElements": [
                {
                    "modelType": "File",
                    "idShort": "Raw",
                    "contentType": "application/pdf",
                    "value": "/aasx/files/My File.pdf",
                },
                {
                    "modelType": "File",
                    "idShort": "Encoded",
                    "contentType": "application/pdf",
                    "value": "/aasx/files/My%20File.pdf",
                },
                {
                    "modelType": "File",
                    "idShort": "Other",
                    "contentType": "text/plain",
                    "value": "/aasx/files/Notes%C3%A9%202.txt",
                },
            ],
        }
    ]
}
PDF = b"%PDF-1.4 my file"
NOTES = b"notes"


def spaced_package(member: str, target: str, override: str) -> bytes:
    """A package naming one file with a space, spelled as given in each of the three places."""
    spec = aas.dump(aas.load(json.dumps(DOCS_JSON).encode(), format="json"), "xml").data
    content_types = (
        '<?xml version="1.0"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="text/xml"/>'
        '<Default Extension="txt" ContentType="text/plain"/>'
        f'<Override PartName="{override}" ContentType="application/pdf"/>'
        "</Types>"
    ).encode()
    return build_zip(
        {
            "[Content_Types].xml": content_types,
            "_rels/.rels": rels_xml((RELS + "aasx-origin", "/aasx/aasx-origin")),
            "aasx/aasx-origin": b"",
            "aasx/_rels/aasx-origin.rels": rels_xml((RELS + "aas-spec", "/aasx/data.xml")),
            "aasx/data.xml": spec,
            "aasx/_rels/data.xml.rels": rels_xml(
                (RELS + "aas-suppl", target),
                (RELS + "aas-suppl", "files/Notes%C3%A9%202.txt"),
            ),
            member: PDF,
            "aasx/files/Notes%C3%A9%202.txt": NOTES,
        }
    )


SPELLINGS = [
    # zip member, relationship target, content-types override; which of them are misspelled
    ("aasx/files/My%20File.pdf", "files/My%20File.pdf", "/aasx/files/My%20File.pdf", set()),
    (
        "aasx/files/My File.pdf",
        "files/My File.pdf",
        "/aasx/files/My File.pdf",
        {"zip member names", "relationship targets", "content types"},
    ),
    ("aasx/files/My File.pdf", "/aasx/files/My%20File.pdf", "/aasx/files/My%20File.pdf", {"zip"}),
    ("aasx/files/My%20File.pdf", "files/My File.pdf", "/aasx/files/my%20file.PDF", {"rel"}),
]


@pytest.mark.parametrize(("member", "target", "override", "misspelled"), SPELLINGS)
def test_a_part_name_is_found_in_either_spelling(
    tmp_path: Path, member: str, target: str, override: str, misspelled: set[str]
) -> None:
    source = tmp_path / "spaced.aasx"
    source.write_bytes(spaced_package(member, target, override))

    model = aas.load(source)
    assert model.package is not None
    assert model.package.supplementary["/aasx/files/My File.pdf"].data == PDF
    assert model.package.supplementary["/aasx/files/My File.pdf"].content_type == (
        "application/pdf"
    )
    assert model.package.supplementary["/aasx/files/Notesé 2.txt"].data == NOTES
    part_names = of_rule(model.findings, "aasx:part-name")
    assert all(f.severity is Severity.WARNING for f in part_names)
    reported = " ".join(f.message for f in part_names)
    for place in ("zip member names", "relationship targets", "content types"):
        expected = any(place.startswith(word) for word in misspelled)
        assert (place in reported) is expected, (place, reported)
    # (The File value with a raw space also breaks the metamodel's URI pattern: not ours.)
    package_rules = {f.rule for f in warnings_or_worse(model.findings)}
    assert package_rules - {"metamodel:pattern"} <= {"aasx:part-name"}

    # The File elements name the file in both spellings; the package check finds both.
    report = aas.validate(source, checks=["package"])
    assert not of_rule(report.findings, "aasx:missing-file"), report.findings

    # Written in one spelling everywhere, encoded; read back without a finding.
    out = tmp_path / "out.aasx"
    aas.save(model, out)
    written = package_members(out)
    assert written["aasx/files/My%20File.pdf"] == PDF
    assert written["aasx/files/Notes%C3%A9%202.txt"] == NOTES
    assert b'Target="/aasx/files/My%20File.pdf"' in written["aasx/_rels/data.xml.rels"]
    assert b'PartName="/aasx/files/My%20File.pdf"' in written["[Content_Types].xml"]
    reread = aas.load(out)
    assert not of_rule(reread.findings, "aasx:part-name")
    assert files_of(reread) == files_of(model)


def test_basyx_opens_a_package_with_spaces_in_its_part_names(tmp_path: Path) -> None:
    from test_aasx import basyx_read

    source = tmp_path / "spaced.aasx"
    source.write_bytes(spaced_package("aasx/files/My File.pdf", "files/My File.pdf", "/x"))
    # basyx 2.2 reads V3.1 only, and the model is V3.1.
    out = tmp_path / "out.aasx"
    aas.save(aas.load(source), out)
    ids, files, _ = basyx_read(out)
    assert ids == {"urn:example:sm:docs"}
    assert PDF in files.values()
    assert NOTES in files.values()


def test_a_json_model_naming_an_encoded_file_packs_the_decoded_file(tmp_path: Path) -> None:
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "My File.pdf").write_bytes(PDF)
    (tmp_path / "files" / "Notesé 2.txt").write_bytes(NOTES)
    source = tmp_path / "docs.json"
    source.write_text(json.dumps(DOCS_JSON))
    out = tmp_path / "docs.aasx"
    result = aas.convert(source, out, version="3.1")
    assert not of_rule(result.findings, "aasx:file-not-found"), result.findings
    written = package_members(out)
    assert written["aasx/files/My%20File.pdf"] == PDF
    assert written["aasx/files/Notes%C3%A9%202.txt"] == NOTES
    report = aas.validate(out, checks=["package"])
    assert not warnings_or_worse(report.findings), report.findings


def test_a_relationship_target_in_another_ascii_case_names_the_part(tmp_path: Path) -> None:
    # OPC compares part names as case-insensitive ASCII.
    members = package_members(SENSOR_AASX)
    members["aasx/_rels/data.xml.rels"] = rels_xml((RELS + "aas-suppl", MANUAL.upper()))
    source = tmp_path / "case.aasx"
    source.write_bytes(build_zip(members))
    model = aas.load(source)
    assert files_of(model)[MANUAL] == files_of(aas.load(SENSOR_AASX))[MANUAL]
    assert not warnings_or_worse(model.findings)


# endregion

# region JSON spec parts


def json_spec_package(content_type: str) -> bytes:
    members = package_members(SENSOR_AASX)
    members.pop("aasx/data.xml")
    members["aasx/data.json"] = aas.dump(aas.load(SENSOR_AASX), "json").data
    members["aasx/_rels/data.json.rels"] = members.pop("aasx/_rels/data.xml.rels")
    members["aasx/_rels/aasx-origin.rels"] = rels_xml((RELS + "aas-spec", "/aasx/data.json"))
    members["[Content_Types].xml"] = (
        members["[Content_Types].xml"]
        .replace(b'PartName="/aasx/data.xml"', b'PartName="/aasx/data.json"')
        .replace(b'ContentType="text/xml"', f'ContentType="{content_type}"'.encode())
    )
    return build_zip(members)


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_a_json_spec_part_is_read(tmp_path: Path, content_type: str) -> None:
    source = tmp_path / "json.aasx"
    source.write_bytes(json_spec_package(content_type))
    model = aas.load(source)
    assert_the_sensor_package(model)
    assert model.package is not None
    assert [(s.name, s.format) for s in model.package.spec_parts] == [("/aasx/data.json", "json")]
    assert not warnings_or_worse(model.findings)

    # Our own writer keeps the JSON spec part, with its proper content type.
    out = tmp_path / "out.aasx"
    aas.save(model, out)
    types = package_members(out)["[Content_Types].xml"]
    assert b'PartName="/aasx/data.json" ContentType="application/json"' in types
    reread = aas.load(out)
    assert jsonable(reread) == jsonable(aas.load(SENSOR_AASX))
    assert reread.package is not None
    assert reread.package.spec_parts == model.package.spec_parts


# endregion

# region refused packages say what they hold


def test_a_package_without_an_origin_says_what_it_holds(tmp_path: Path) -> None:
    members = package_members(SENSOR_AASX)
    members["_rels/.rels"] = rels_xml(
        (
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
            "/aasx/files/sensor-thumbnail.png",
        )
    )
    source = tmp_path / "no-origin.aasx"
    source.write_bytes(build_zip(members))
    stderr = assert_clean_failure(run_cli("info", str(source)), 3)
    assert "no aasx-origin relationship" in stderr
    assert "/_rels/.rels has 1 relationship" in stderr
    assert "metadata/thumbnail -> /aasx/files/sensor-thumbnail.png" in stderr
    assert "the package holds 8 parts: /[Content_Types].xml, /_rels/.rels" in stderr


def test_a_package_without_a_spec_part_says_what_it_holds(tmp_path: Path) -> None:
    members = package_members(SENSOR_AASX)
    members["aasx/_rels/aasx-origin.rels"] = rels_xml()
    message = refusal(tmp_path / "no-spec.aasx", members)
    assert "no aas-spec relationship from /aasx/aasx-origin" in message
    assert "/aasx/_rels/aasx-origin.rels has 0 relationships" in message
    assert "/aasx/data.xml" in message


def test_a_refusal_lists_at_most_ten_parts(tmp_path: Path) -> None:
    members = {f"extra/{index:02}.txt": b"x" for index in range(30)}
    message = refusal(tmp_path / "many.aasx", members)
    assert "there is no /_rels/.rels" in message
    assert "30 parts" in message
    assert message.count("/extra/") == 10


# endregion

# region aas info on a lone identifiable


@pytest.mark.parametrize(
    ("slot", "counted"),
    [
        ("asset_administration_shells", "shells"),
        ("submodels", "submodels"),
        ("concept_descriptions", "concept_descriptions"),
    ],
)
def test_info_counts_a_lone_identifiable(tmp_path: Path, slot: str, counted: str) -> None:
    motor = aas.load(MOTOR_XML)
    lone = getattr(motor.root, slot)[0]
    source = tmp_path / "lone.json"
    source.write_bytes(aas.dump(aas.Model(root=lone, version=motor.version), "json").data)
    summary = summarize(aas.load(source, version="3.1"))
    counts = {
        "shells": summary.shells,
        "submodels": summary.submodels,
        "concept_descriptions": summary.concept_descriptions,
    }
    assert counts == {name: int(name == counted) for name in counts}
    shown = run_cli("info", str(source), "--aas-version", "3.1").stdout.decode()
    label = {"shells": "shells:", "submodels": "submodels:"}.get(counted, "concept descriptions:")
    assert re.search(rf"^{label}\s+1$", shown, re.MULTILINE), shown


# endregion


# region the published IDTA templates


def template_packages() -> list[Path]:
    return sorted(corpus("idta-templates", "published").rglob("*.aasx"))


def test_every_published_template_package_reads_and_is_written_back_the_same() -> None:
    packages = template_packages()
    assert len(packages) == 105
    for path in packages:
        model = aas.load(path)
        assert model.package is not None, path.name
        again = aas.load(aas.dump(model, "aasx").data, format="aasx")
        assert again.version is model.version, path.name
        assert jsonable(again) == jsonable(model), path.name
        assert files_of(again) == files_of(model), path.name
        assert not of_rule(again.findings, "aasx:part-name"), path.name


def test_cli_converts_template_packages_and_shows_what_they_hold(tmp_path: Path) -> None:
    for index, path in enumerate(template_packages()[::35]):
        out = tmp_path / f"{index}.aasx"
        converted = run_cli("convert", str(path), str(out))
        assert converted.returncode == 0, converted.stderr.decode()
        shown = run_cli("info", str(out))
        assert shown.returncode == 0, shown.stderr.decode()
        expected = summarize(aas.load(path))
        assert f"submodels:            {expected.submodels}\n" in shown.stdout.decode()


# endregion
