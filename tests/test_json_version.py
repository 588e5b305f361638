"""JSON names no metamodel version. Without one asked for, the content tells it: the version
under which the model is valid, when that is only one; otherwise V3.1. A note says which and
why. A version asked for always wins. And a conversion never changes the version by itself: a
V3.0 model that is not valid V3.1 comes back V3.0 from its JSON."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest
from lxml import etree

import aas
import aas.converters.json.format as json_format
from aas.checks import constraints as verify
from aas.codec import ReadContext
from aas.model import Package, SpecPart
from aas.validation import validate
from aas.versions import XML_NAMESPACES, Version, binding

from conftest import EXAMPLES, corpus, run_cli

V30, V31 = Version.V3_0, Version.V3_1
NOTES = ("aas:version-assumed", "aas:version-detected")


def submodel(number: int, *elements: dict[str, Any]) -> dict[str, Any]:
    return {
        "modelType": "Submodel",
        "id": f"urn:example:submodel:{number}",
        "idShort": f"Submodel{number}",
        "submodelElements": list(elements),
    }


def prop(id_short: str) -> dict[str, Any]:
    return {"modelType": "Property", "idShort": id_short, "valueType": "xs:string", "value": "v"}


#: Valid V3.0, not V3.1: V3.1 idShorts have at least two characters.
ONE_LETTER = {"submodels": [submodel(0, prop("Ok")), submodel(1, prop("X"), prop("Y"))]}
#: Valid V3.1, not V3.0 (where a Blob's contentType is required): V3.0 cannot even build it.
BLOB = {"modelType": "Blob", "idShort": "Picture"}
V31_ONLY = {"submodels": [submodel(0, BLOB)]}
#: Valid under neither: no idShort starts with a digit.
NEITHER = {"submodels": [submodel(0, prop("Fine")), submodel(1, prop("1st"))]}
#: Each identifiable is valid as V3.0 alone, the one V3.1 finds fault with included, yet the
#: model is not: the second submodel cannot be built as V3.0.
SPLIT = {"submodels": [submodel(0, prop("X")), submodel(1, BLOB)]}


def text(document: Any, indent: bool = True) -> bytes:
    return orjson.dumps(document, option=orjson.OPT_INDENT_2 if indent else 0)


def notes(model: aas.Model | aas.Report) -> list[aas.Finding]:
    return [finding for finding in model.findings if finding.rule in NOTES]


def errors(findings: list[aas.Finding]) -> list[aas.Finding]:
    return [finding for finding in findings if finding.severity is aas.Severity.ERROR]


def read_noting(
    document: Any, whole: bool, version: aas.Version, rule: str
) -> tuple[aas.Model, aas.Finding]:
    """The model read as ``version``, and the one note saying why (of ``rule``)."""
    model = load(document, whole)
    assert model.version is version
    [note] = notes(model)
    assert note.rule == rule
    return model, note


def load(document: Any, whole: bool, **options: Any) -> aas.Model:
    """Read as a file is read: in parts, or (naming the class) the whole document at once."""
    return aas.load(
        text(document), format="json", model_type="Environment" if whole else None, **options
    )


def jsonable(model: aas.Model) -> Any:
    return binding(model.version).jsonization.to_jsonable(model.root)


# --------------------------------------------------------------------------- choosing


@pytest.mark.parametrize("whole", [False, True])
def test_a_model_valid_as_v30_only_is_read_as_v30(whole: bool) -> None:
    model, note = read_noting(ONE_LETTER, whole, V30, "aas:version-detected")
    assert note.severity is aas.Severity.INFO
    assert "read as V3.0" in note.message
    assert "V3.1 allows no idShort of one letter (2 here, the first at" in note.message
    assert "/submodels/1/submodelElements/0/idShort" in note.message
    assert errors(model.findings) == []
    assert model.findings[0] is note


@pytest.mark.parametrize("whole", [False, True])
def test_a_model_valid_as_v31_is_read_as_v31(whole: bool) -> None:
    model, note = read_noting(V31_ONLY, whole, V31, "aas:version-assumed")
    assert "read as V3.1, under which the model is valid" in note.message
    assert errors(model.findings) == []


@pytest.mark.parametrize("document", [NEITHER, SPLIT], ids=["neither", "split"])
@pytest.mark.parametrize("whole", [False, True])
def test_a_model_valid_under_neither_version_is_read_as_v31(document: Any, whole: bool) -> None:
    model, note = read_noting(document, whole, V31, "aas:version-assumed")
    assert "valid under neither V3.0 nor V3.1" in note.message
    assert errors(model.findings)


@pytest.mark.parametrize("asked", ["3.0", "3.1"])
def test_a_version_asked_for_wins_and_gets_no_note(asked: str) -> None:
    for document in (ONE_LETTER, V31_ONLY, NEITHER):
        if asked == "3.0" and document is V31_ONLY:
            continue  # V3.0 cannot build it
        model = load(document, False, version=asked)
        assert model.version == asked
        assert notes(model) == []
    assert errors(load(ONE_LETTER, False, version="3.1").findings)


def test_an_unknown_version_is_a_usage_error() -> None:
    with pytest.raises(aas.UsageError, match=r"3\.2"):
        aas.load(text(ONE_LETTER), format="json", version="3.2")


@pytest.mark.parametrize("document", [ONE_LETTER, V31_ONLY, NEITHER, SPLIT])
def test_reading_in_parts_and_whole_choose_alike(document: Any) -> None:
    for data in (text(document), text(document, indent=False)):
        context = ReadContext(source="in.json")
        findings: list[aas.Finding] = []
        whole = json_format.build(json_format.parse(data, "in.json", findings), context, findings)
        parts = json_format.read_in_parts(data, context)
        assert parts is not None
        assert (parts.version, parts.findings) == (whole.version, whole.findings)
        assert jsonable(parts) == jsonable(whole)


def test_a_clean_file_is_checked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader's check (made to choose the version) is the one load reports."""
    calls: list[str] = []
    real = verify.verify_instance

    def counted(*args: Any) -> Any:
        calls.append("again")
        return real(*args)

    monkeypatch.setattr(verify, "verify_instance", counted)
    model = aas.load(EXAMPLES / "motor" / "motor.json")
    assert model.version is V31 and calls == []
    aas.load(EXAMPLES / "motor" / "motor.json", version="3.1")
    assert calls == ["again"]  # asked for a version, the reader checks nothing itself
    broken = aas.load(text(NEITHER), format="json")
    assert calls == ["again"]
    assert [f.rule for f in errors(broken.findings)] == ["metamodel:pattern"]


# --------------------------------------------------------------------------- validate


@pytest.mark.parametrize("model_type", [None, "Environment"])
def test_validate_judges_by_the_version_the_content_tells(model_type: str | None) -> None:
    report = validate(text(ONE_LETTER), format="json", model_type=model_type)
    assert report.ok, [str(f) for f in report.findings]
    assert report.version == "3.0"
    assert [f.rule for f in report.findings] == ["aas:version-detected"]
    asked = validate(text(ONE_LETTER), format="json", version="3.1", model_type=model_type)
    assert not asked.ok
    # One defect, one finding: the schema's verdict on the same idShort is named in it.
    assert {(f.rule, f.also) for f in errors(asked.findings)} == {
        ("metamodel:pattern", ("schema:pattern",))
    }


@pytest.mark.parametrize("model_type", [None, "Environment"])
def test_validate_of_a_model_valid_under_neither_uses_v31(model_type: str | None) -> None:
    report = validate(text(NEITHER), format="json", model_type=model_type)
    assert report.version == "3.1"
    # One defect, one finding: the schema's verdict on the same idShort is named in it.
    assert {(f.rule, f.also) for f in errors(report.findings)} == {
        ("metamodel:pattern", ("schema:pattern",))
    }


# --------------------------------------------------------------------------- conversions


def v30_model() -> aas.Model:
    model = load(ONE_LETTER, False, version="3.0")
    assert errors(model.findings) == []
    return model


def test_xml_v30_to_json_and_back_stays_v30(tmp_path: Path) -> None:
    xml = tmp_path / "model.xml"
    aas.save(v30_model(), xml)
    assert etree.QName(etree.parse(str(xml)).getroot()).namespace == XML_NAMESPACES[V30]
    result = aas.convert(xml, tmp_path / "model.json")
    assert (result.source_version, result.target_version) == (V30, V30)
    back = aas.load(tmp_path / "model.json")
    assert back.version is V30
    assert jsonable(back) == jsonable(aas.load(xml))
    aas.convert(tmp_path / "model.json", tmp_path / "again.xml")
    again = etree.parse(str(tmp_path / "again.xml")).getroot()
    assert etree.QName(again).namespace == XML_NAMESPACES[V30]


def test_aasx_v30_to_json_to_aasx_stays_v30(tmp_path: Path) -> None:
    package = tmp_path / "model.aasx"
    aas.save(v30_model(), package)
    aas.convert(package, tmp_path / "model.json")
    result = aas.convert(tmp_path / "model.json", tmp_path / "again.aasx")
    assert result.source_version is V30
    with zipfile.ZipFile(tmp_path / "again.aasx") as archive:
        spec = archive.read("aasx/data.xml")
    assert etree.QName(etree.fromstring(spec)).namespace == XML_NAMESPACES[V30]
    assert aas.load(tmp_path / "again.aasx").version is V30


def test_a_package_with_a_json_spec_part_only_tells_the_version_by_content() -> None:
    model = v30_model()
    model.package = Package(spec_parts=[SpecPart("/aasx/data.json", "json")])
    stream = io.BytesIO()
    aas.save(model, stream, format="aasx")
    read = aas.load(stream.getvalue(), format="aasx")
    assert read.version is V30
    assert [f.rule for f in notes(read)] == ["aas:version-detected"]


def test_cli_convert_says_which_version_it_found(tmp_path: Path) -> None:
    source = tmp_path / "short.json"
    source.write_bytes(text(ONE_LETTER))
    result = run_cli("convert", str(source), str(tmp_path / "short.xml"))
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    assert "note: [aas:version-detected]" in stderr
    assert "(xml, V3.0)" in stderr
    root = etree.parse(str(tmp_path / "short.xml")).getroot()
    assert etree.QName(root).namespace == XML_NAMESPACES[V30]


# --------------------------------------------------------------------------- real files


def is_valid(path: Path, version: str) -> bool:
    try:
        return not errors(aas.load(path, version=version).findings)
    except aas.ReadError:
        return False


def test_published_templates_are_read_as_the_version_their_content_tells() -> None:
    """Every JSON template that is a model: V3.0 exactly where it is valid as V3.0 and not as
    V3.1, and V3.1 otherwise."""
    chosen: Counter[str] = Counter()
    for path in sorted(corpus("idta-templates", "published").rglob("*.json")):
        try:
            model = aas.load(path)
        except aas.ReadError:
            assert json.loads(path.read_bytes()).get("$type") == "Options"  # a form, no model
            continue
        valid = {version: is_valid(path, version) for version in ("3.0", "3.1")}
        only_v30 = valid["3.0"] and not valid["3.1"]
        assert model.version is (V30 if only_v30 else V31), path
        [note] = notes(model)
        assert note.rule == ("aas:version-detected" if only_v30 else "aas:version-assumed")
        chosen[f"{model.version} {note.rule}"] += 1
    print(dict(chosen))
    assert chosen["3.0 aas:version-detected"] >= 3


def test_the_parsed_document_is_not_changed_by_reading() -> None:
    """Choosing a version may build the parsed document twice, each time without the
    properties that version does not define: the document itself stays as it was."""
    document = copy.deepcopy(ONE_LETTER)
    document["submodels"][1]["submodelElements"][0]["colour"] = "red"
    before = copy.deepcopy(document)
    findings: list[aas.Finding] = []
    model = json_format.build(document, ReadContext(source="in.json"), findings)
    assert document == before
    assert model.version is V31  # the unknown property makes it invalid under both
    assert [f.rule for f in errors(findings)] == ["model:unexpected-property"]
    assert [f.rule for f in model.checked["json"]] == ["metamodel:pattern"] * 2
