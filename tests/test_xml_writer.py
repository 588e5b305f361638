"""The generated XML writer against aas-core's own serializer: on the corpus, the bytes are
aas-core's XML indented by two spaces per level; carriage returns survive; characters XML
cannot hold are refused."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import orjson
import pytest

import aas
from aas.metamodel import xmlwrite
from aas.versions import Version, binding

from conftest import corpus

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SPECIAL_IN_TEXT = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class IndentingStream:
    """The oracle: indents aas-core's XML as aas-core writes it, tag by tag.

    aas-core writes each tag in one call and text (escaped, so never starting with ``<``) in
    others; an element holds either text or child elements, so a newline and the indentation
    go before every tag except the end tag of an element that held text.
    """

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self._depth = 0
        self._open = False  # the last thing written was a start tag or text

    def write(self, piece: str) -> int:
        out = self.buffer.write
        if not piece or piece[0] != "<":
            if _SPECIAL_IN_TEXT.search(piece) is not None:
                piece = piece.replace("\r", "&#13;")
            out(piece)
        elif piece[1] == "/":
            self._depth -= 1
            out(piece if self._open else "\n" + "  " * self._depth + piece)
            self._open = False
        elif piece[-2] == "/":
            out("\n" + "  " * self._depth + piece)
            self._open = False
        else:
            out("\n" + "  " * self._depth + piece)
            self._depth += 1
            self._open = True
        return len(piece)


def oracle(model: aas.Model) -> bytes:
    stream = IndentingStream()
    binding(model.version).xmlization.write(model.root, stream)
    declaration = '<?xml version="1.0" encoding="utf-8"?>'
    return (declaration + stream.buffer.getvalue() + "\n").encode()


def _sample() -> list[tuple[Path, str, str | None]]:
    """Every third JSON file of each set that aas-core can build, with version and class."""
    chosen: list[tuple[Path, str, str | None]] = []
    for folder, version in (
        (corpus("examples-3.1", "json"), "3.1"),
        (corpus("testgen-3.0", "Json", "ContainedInEnvironment", "Expected"), "3.0"),
        (corpus("testgen-3.0", "Json", "ContainedInEnvironment", "Unexpected", "Invalid"), "3.0"),
    ):
        chosen += [(path, version, None) for path in sorted(folder.rglob("*.json"))[::3]]
    base = corpus("testdatagen-3.1", "Json", "Expected")
    for path in sorted(base.rglob("*.json"))[::3]:
        chosen.append((path, "3.1", path.relative_to(base).parts[0]))
    return chosen


def test_the_writer_writes_aas_cores_xml_indented() -> None:
    differences = []
    count = 0
    for path, version, model_type in _sample():
        try:
            model = aas.load(path, version=version, model_type=model_type, verify=False)
        except aas.ReadError:
            continue  # a lone instance whose class the folder does not name exactly
        count += 1
        expected = oracle(model)
        try:
            written = aas.dump(model, "xml").data
        except aas.FindingsError as error:  # refused: aas-core wrote what XML cannot hold
            assert error.findings[0].rule == "xml:unrepresentable-character"
            assert _NOT_XML.search(expected.decode()) is not None
            continue
        if written != expected:
            differences.append(str(path))
    assert count > 3000
    assert differences == []


def test_a_large_model_with_every_kind_of_value(tmp_path: Path) -> None:
    from conftest import large_model

    model = aas.load(large_model(300, described=True), format="json", version="3.0")
    assert aas.dump(model, "xml").data == oracle(model)


def test_an_empty_environment_and_empty_lists() -> None:
    for document in ({}, {"submodels": []}, {"submodels": [{"modelType": "Submodel", "id": "x"}]}):
        model = aas.load(orjson.dumps(document), format="json", version="3.1", verify=False)
        assert aas.dump(model, "xml").data == oracle(model)
    assert set(xmlwrite.roots(Version.V3_1)) >= {type(model.root)}


def test_carriage_returns_survive_and_unrepresentable_text_is_refused() -> None:
    document = {
        "submodels": [
            {
                "modelType": "Submodel",
                "id": "urn:example:sm",
                "submodelElements": [
                    {
                        "modelType": "Property",
                        "idShort": "note",
                        "valueType": "xs:string",
                        "value": "line one\r\nline two & <three>",
                    }
                ],
            }
        ]
    }
    model = aas.load(orjson.dumps(document), format="json", version="3.1")
    xml = aas.dump(model, "xml").data
    assert b"line one&#13;\nline two &amp; &lt;three&gt;" in xml
    assert xml == oracle(model)
    again = aas.load(xml, format="xml")
    assert again.root.submodels[0].submodel_elements[0].value == "line one\r\nline two & <three>"
    model.root.submodels[0].submodel_elements[0].value = "bad \x1f char"
    with pytest.raises(aas.FindingsError) as caught:
        aas.dump(model, "xml")
    assert caught.value.findings[0].rule == "xml:unrepresentable-character"


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_committed_writers_are_what_the_generator_makes(version: str) -> None:
    parsed = Version(version)
    committed = xmlwrite.module_path(parsed).read_text(encoding="utf-8")
    assert committed == xmlwrite.source(parsed), "run python -m aas.metamodel.xmlwrite --write"


def test_a_shared_reference_is_written_as_it_is_elsewhere() -> None:
    """While remembering (aas.convert's model shares equal References as one instance), a
    Reference's text is made once per indentation: the bytes are those written without."""
    types = binding(Version.V3_0).types
    key = types.Key(types.KeyTypes.GLOBAL_REFERENCE, "urn:example:concept&<1>")
    shared = types.Reference(types.ReferenceTypes.EXTERNAL_REFERENCE, [key])
    inner = types.Property(types.DataTypeDefXSD.STRING, id_short="p", semantic_id=shared)
    outer = types.SubmodelElementCollection(id_short="c", semantic_id=shared, value=[inner])
    submodel = types.Submodel("urn:example:s", semantic_id=shared, submodel_elements=[outer])
    model = aas.Model(root=types.Environment(submodels=[submodel]), version=Version.V3_0)
    written = xmlwrite.roots(Version.V3_0)[types.Environment]

    def text(remembering: bool) -> tuple[str, dict[tuple[object, str], str] | None]:
        pieces: list[str] = []
        if not remembering:
            written(model.root, pieces.append)
            return "".join(pieces), None
        with xmlwrite.remembering():
            written(model.root, pieces.append)
            return "".join(pieces), xmlwrite.WRITTEN.get()

    plain, _ = text(False)
    remembered, table = text(True)
    assert remembered == plain and plain.count("urn:example:concept&amp;&lt;1&gt;") == 3
    assert table is not None and len(table) == 3  # one text per indentation
    assert xmlwrite.WRITTEN.get() is None  # only within the block
    assert aas.dump(model, "xml").data == oracle(model)


def test_convert_remembers_references_only_where_the_reader_shared_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """JSON is read with equal References as one instance: its conversion writes each once.
    XML is not: remembering there would only cost."""
    entered: list[bool] = []
    real = xmlwrite.remembering

    def counted() -> Any:
        entered.append(True)
        return real()

    monkeypatch.setattr(xmlwrite, "remembering", counted)
    concept = {"type": "ExternalReference", "keys": [{"type": "GlobalReference", "value": "c"}]}
    elements = [
        {
            "modelType": "Property",
            "idShort": f"p{n}",
            "valueType": "xs:string",
            "semanticId": concept,
        }
        for n in range(3)
    ]
    submodel = {"modelType": "Submodel", "id": "urn:s", "submodelElements": elements}
    source = tmp_path / "in.json"
    source.write_bytes(orjson.dumps({"submodels": [submodel]}))
    aas.convert(source, tmp_path / "out.xml")
    assert entered == [True]
    aas.convert(tmp_path / "out.xml", tmp_path / "again.xml")
    assert entered == [True]
    assert (tmp_path / "again.xml").read_bytes() == (tmp_path / "out.xml").read_bytes()


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_elements_with_texts_only_are_written_as_aas_core_writes_them(version: str) -> None:
    """An element whose lists and nested instances are all unset is written in one piece:
    the bytes are those of the element written part by part."""
    types = binding(Version(version)).types
    double, string = types.DataTypeDefXSD.DOUBLE, types.DataTypeDefXSD.STRING
    key = types.Key(types.KeyTypes.GLOBAL_REFERENCE, "urn:example:concept")
    concept = types.Reference(types.ReferenceTypes.EXTERNAL_REFERENCE, [key])
    numbers = [types.Property(double, value="1.5"), types.Property(double)]
    texts = [
        types.Property(string, id_short="a", category="PARAMETER", value="x & <y>"),
        types.Property(string, id_short="b", value="with semantic id", semantic_id=concept),
        types.MultiLanguageProperty(id_short="m"),
        types.Range(double, id_short="r", min="0", max="1"),
    ]
    listed = types.SubmodelElementList(
        types.AASSubmodelElements.PROPERTY, value_type_list_element=double, value=numbers
    )
    submodel = types.Submodel("urn:example:s", submodel_elements=[listed, *texts])
    model = aas.Model(root=types.Environment(submodels=[submodel]), version=Version(version))
    written = aas.dump(model, "xml").data
    assert written == oracle(model)
    assert b"<value>x &amp; &lt;y&gt;</value>" in written
    pieces: list[str] = []
    xmlwrite.roots(Version(version))[types.Environment](model.root, pieces.append)
    whole = [p for p in pieces if "<property>" in p and p.endswith("</property>")]
    assert len(whole) == 3 and all("<valueType>" in p for p in whole)  # not the one with an id
