"""The leaner JSON -> XML path gives what the plain one gives: the same bytes, the same
findings at the same places.

Four things make ``aas.convert`` of JSON lean (issue 14): aas-core's verification remembers
the References it found clean (``aas.checks.memoverify``), convert reads equal References as
one instance (``aas.metamodel.jsonbuild.sharing``), a local input file is mapped and the pages
read let go (``aas.pipeline.read_input(..., mapped=True)``), and a large submodel is read one
element at a time (``json_split.Cut``). Each is compared here with the path without it, on
the IDTA templates and on small documents that take the unusual branches.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest

import aas
import aas.api
import aas.converters.json.format as json_format
import aas.converters.json.split as json_split
import aas.pipeline
from aas.checks import memoverify
from aas.errors import AasError
from aas.metamodel import jsonbuild
from aas.metamodel.paths import verification_tokens
from aas.versions import Version, binding

from conftest import INVALID_30_JSON, corpus

TEMPLATES = sorted(corpus("idta-templates", "published").rglob("*.json"))


def _converted(source: Path | bytes, **options: Any) -> tuple[bytes, list[Any]]:
    """The XML ``source`` converts to, and its findings (or the error no model gave)."""
    out = io.BytesIO()
    try:
        result = aas.convert(source, out, to_format="xml", **options)
    except AasError as error:
        return b"", [("error", error.rule, error.message, replace(error.location, file=None))]
    # where: a file's name is the only thing bytes given lack
    findings = [
        (f.severity, f.rule, f.message, replace(f.location, file=None)) for f in result.findings
    ]
    return out.getvalue(), findings


def _plain(source: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, list[Any]]:
    """As converting did before: the bytes read, no submodel cut, no shared References."""
    with monkeypatch.context() as patch:
        patch.setattr(aas.pipeline, "MAP_FROM_BYTES", 1 << 62)
        patch.setattr(json_split, "LARGE_ITEM", 1 << 62)
        patch.setattr(aas.api, "sharing", _no_sharing)
        return _converted(source)


class _no_sharing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _lean(source: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, list[Any]]:
    """With every file mapped and every submodel cut, however small."""
    with monkeypatch.context() as patch:
        patch.setattr(aas.pipeline, "MAP_FROM_BYTES", 0)
        patch.setattr(json_split, "LARGE_ITEM", 0)
        return _converted(source)


def test_templates_convert_to_the_same_bytes_and_findings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cut: list[bool] = []
    build_cut = json_format._build_cut

    def counting(*args: Any) -> Any:
        built = build_cut(*args)
        cut.append(built is not None)
        return built

    monkeypatch.setattr(json_format, "_build_cut", counting)
    assert len(TEMPLATES) > 50
    for path in TEMPLATES:
        assert _lean(path, monkeypatch) == _plain(path, monkeypatch), path
    # the element-at-a-time path ran, on most submodels
    assert cut.count(True) > 100, (cut.count(True), cut.count(False))


def _environment(elements: list[dict[str, Any]], **submodel: Any) -> bytes:
    document = {
        "submodels": [
            {"modelType": "Submodel", "id": "urn:example:sm:1", **submodel},
            {
                "modelType": "Submodel",
                "id": "urn:example:sm:2",
                "submodelElements": elements,
            },
        ]
    }
    return orjson.dumps(document, option=orjson.OPT_INDENT_2)


def _semantic(value: str) -> dict[str, Any]:
    return {"type": "ExternalReference", "keys": [{"type": "GlobalReference", "value": value}]}


def _property(name: str, **more: Any) -> dict[str, Any]:
    return {"modelType": "Property", "idShort": name, "valueType": "xs:string", **more}


@pytest.mark.parametrize(
    "text",
    [
        # plain, with semanticIds repeated (shared) and one that breaks AASd-121 twice
        _environment(
            [_property(f"p{n}", semanticId=_semantic("urn:example:c")) for n in range(3)]
            + [
                _property(
                    f"bad{n}",
                    semanticId={
                        "type": "ModelReference",
                        "keys": [{"type": "Property", "value": "x"}],
                    },
                )
                for n in range(2)
            ]
        ),
        # a property the metamodel does not define, in an element: that submodel read whole
        _environment([_property("p1", unknown=1), _property("p2")]),
        # an element that is no object, and an empty list of elements
        _environment([_property("p1"), 5], submodelElements=[]),
        # a key held twice in an element
        _environment([_property("p1")]).replace(
            b'"idShort": "p1"', b'"idShort": "p1", "idShort": "p9"'
        ),
        # "submodelElements" also as a value: not cut
        _environment([_property("submodelElements", value='"submodelElements"')]),
        # the submodel's own members after its elements
        b'{"submodels": [\n  {\n    "submodelElements": [\n      {\n        "modelType": '
        b'"Property", "idShort": "a", "valueType": "xs:int", "value": "x"\n      }\n    ],\n'
        b'    "modelType": "Submodel",\n    "id": "urn:example:sm:3"\n  }\n]}',
        # a byte order mark before it all
        b"\xef\xbb\xbf" + _environment([_property("p1")]),
    ],
    ids=["shared", "unknown", "not-object", "repeated-key", "key-as-value", "members-after", "bom"],
)
def test_unusual_documents_convert_as_before(
    text: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "model.json"
    path.write_bytes(text)
    lean = _lean(path, monkeypatch)
    assert lean == _plain(path, monkeypatch)
    assert lean == _converted(text)  # and as bytes given, never mapped


def test_the_remembering_verification_reports_what_aas_core_reports() -> None:
    files = sorted(corpus(*INVALID_30_JSON).rglob("*.json"))[:400]
    assert files
    errors = 0
    for path in files:
        model = aas.load(path, version="3.0", verify=False)
        plain = binding(Version.V3_0).verification.verify(model.root)
        remembering = memoverify.verify(model.root, Version.V3_0)
        expected = [(e.cause, verification_tokens(e.path)) for e in plain]
        assert [(e.cause, verification_tokens(e.path)) for e in remembering] == expected, path
        errors += len(expected)
    assert errors > 100


def test_a_broken_reference_is_reported_wherever_it_stands() -> None:
    broken = {"type": "ModelReference", "keys": [{"type": "Property", "value": "x"}]}
    text = _environment([_property(f"p{n}", semanticId=broken) for n in range(3)])
    with jsonbuild.sharing():  # one instance, three places
        model = aas.load(text, version="3.0", verify=False)
    elements = model.root.submodels[1].submodel_elements
    assert elements[0].semantic_id is elements[2].semantic_id
    found = [verification_tokens(e.path) for e in memoverify.verify(model.root, Version.V3_0)]
    plain = binding(Version.V3_0).verification.verify(model.root)
    assert found == [verification_tokens(e.path) for e in plain]
    assert {tuple(t[:4]) for t in found if t[-1] == "semanticId"} == {
        ("submodels", 1, "submodelElements", n) for n in range(3)
    }


def test_equal_references_are_one_instance_only_while_sharing() -> None:
    text = _environment([_property(f"p{n}", semanticId=_semantic("urn:c")) for n in range(2)])
    loaded = aas.load(text, version="3.0").root.submodels[1].submodel_elements
    assert loaded[0].semantic_id is not loaded[1].semantic_id  # a caller's model: its own
    with jsonbuild.sharing():
        shared = aas.load(text, version="3.0").root.submodels[1].submodel_elements
        as_31 = aas.load(text, version="3.1").root.submodels[1].submodel_elements
    assert shared[0].semantic_id is shared[1].semantic_id
    # one table per version: the V3.1 reading gets V3.1's instances
    assert isinstance(as_31[0].semantic_id, binding(Version.V3_1).types.Reference)
    assert isinstance(shared[0].semantic_id, binding(Version.V3_0).types.Reference)


def test_a_large_submodel_is_cut_into_its_elements() -> None:
    text = _environment([_property(f"p{n}") for n in range(3)])
    found = list(json_split.items(text, 0, cut=True))
    items = [value for _, value, piece in found if piece is not None]
    assert all(isinstance(item, dict) for item in items)  # small: parsed as ever
    original = json_split.LARGE_ITEM
    json_split.LARGE_ITEM = 0
    try:
        cut = [value for _, value, piece in json_split.items(text, 0, cut=True) if piece]
    finally:
        json_split.LARGE_ITEM = original
    assert isinstance(cut[1], json_split.Cut)
    assert cut[1].outer == {**items[1], "submodelElements": []}
    elements = [orjson.loads(text[start:end]) for start, end in cut[1].elements]
    assert elements == items[1]["submodelElements"]
    # a submodel without elements is no Cut (nothing to cut)
    assert not isinstance(cut[0], json_split.Cut)


_TEXTS = ["a", "Größe 1", "\u00a0lead", "a\tb", "a\nb", "a\rb", "x\x00y", "\ud800", "\ufffe", ""]
_LANGUAGES = ["en", "de-DE", "en", "not a tag", "", "EN-gb", "de-DE"]


@pytest.mark.parametrize("version", [Version.V3_0, Version.V3_1])
@pytest.mark.parametrize("name", sorted(memoverify.LANG_STRINGS))
def test_language_strings_are_verified_as_aas_core_verifies_them(
    version: Version, name: str
) -> None:
    limit = memoverify.LANG_STRINGS[name]
    bound = binding(version)
    make = getattr(bound.types, name)

    def causes(errors: Any) -> list[tuple[str, list[Any]]]:
        return [(e.cause, verification_tokens(e.path)) for e in errors]

    # the table holds aas-core's own limit
    assert not causes(bound.verification.verify(make("en", "a" * limit)))
    assert causes(bound.verification.verify(make("en", "a" * (limit + 1))))
    # one transformer for all of them, as for one model: languages are remembered in between
    transformer = memoverify._transformer_class(version)()
    transformer.clean, transformer.languages = set(), set()
    texts = [*_TEXTS, "a" * limit, "a" * (limit + 1)]
    compared = errors = 0
    for language in _LANGUAGES:
        for text in texts:
            instance = make(language, text)
            expected = causes(bound.verification.verify(instance))
            assert causes(transformer.transform(instance)) == expected, (language, text)
            compared += 1
            errors += bool(expected)
    assert transformer.languages == {"en", "de-DE", "EN-gb"}
    assert 0 < errors < compared
