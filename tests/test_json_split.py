"""Reading an Environment one identifiable at a time gives exactly what reading it whole gives:
the same model, the same findings, the same errors at the same places."""

from __future__ import annotations

import random
from typing import Any

import orjson
import pytest

import aas.converters.json.format as json_format
import aas.converters.json.split as json_split
from aas.codec import ReadContext
from aas.errors import ReadError
from aas.versions import Version, binding

from conftest import corpus


def _submodel(index: int, elements: int = 2, text: str = "value") -> dict[str, Any]:
    return {
        "modelType": "Submodel",
        "id": f"urn:example:submodel:{index}",
        "submodelElements": [
            {"modelType": "Property", "idShort": f"p{n}", "valueType": "xs:string", "value": text}
            for n in range(elements)
        ],
    }


def whole(data: bytes) -> Any:
    findings: list[Any] = []
    context = ReadContext(source="in.json", version=Version.V3_1)
    try:
        model = json_format.build(json_format.parse(data, "in.json", findings), context, findings)
    except ReadError as error:
        return ("error", error.message, error.rule, error.location)
    return _outcome(model)


def in_parts(data: bytes) -> Any:
    context = ReadContext(source="in.json", version=Version.V3_1)
    try:
        model = json_format.read(data, context)
    except ReadError as error:
        return ("error", error.message, error.rule, error.location)
    return _outcome(model)


def _outcome(model: Any) -> Any:
    jsonable = binding(model.version).jsonization.to_jsonable(model.root)
    return ("model", jsonable, [(f.rule, f.message, f.location) for f in model.findings])


def test_spans_cover_each_item_exactly() -> None:
    document = {
        "assetAdministrationShells": [],
        "submodels": [_submodel(0, text="naïve 😀 ünïcode"), _submodel(1), _submodel(2)],
        "conceptDescriptions": [{"modelType": "ConceptDescription", "id": "urn:cd"}],
    }
    for data in (
        orjson.dumps(document),
        orjson.dumps(document, option=orjson.OPT_INDENT_2),
        orjson.dumps(document).replace(b",", b" \r\n\t, ").replace(b"[", b"[ \n"),
    ):
        spans = list(json_split.items(data))
        keys = [key for key, _, text in spans if text is None]
        assert keys == ["assetAdministrationShells", "submodels", "conceptDescriptions"]
        values = [value for _, value, text in spans if text is not None]
        assert values == document["submodels"] + document["conceptDescriptions"]
        assert values == [orjson.loads(text) for _, _, text in spans if text is not None]
        assert in_parts(data) == whole(data)


def test_items_larger_than_the_window_and_of_changing_size() -> None:
    # 64 KiB is the first window; then each starts from the size of the item before.
    sizes = [5, 3000, 10, 20_000, 1, 4000]
    document = {"submodels": [_submodel(i, n, "x" * 17) for i, n in enumerate(sizes)]}
    for option in (orjson.OPT_INDENT_2, None):  # the end guessed from the indentation, or found
        data = orjson.dumps(document, option=option)
        spans = [value for _, value, text in json_split.items(data) if text is not None]
        assert [len(value["submodelElements"]) for value in spans] == sizes
        assert in_parts(data) == whole(data)


def test_a_misleading_indentation_is_no_trap() -> None:
    # The inner object closes at the item's own indentation: the guess fails, orjson decides.
    data = b'{"submodels": [\n  {"id": "a", "modelType": "Submodel", "x": {\n  }, "y": 1\n  }]}'
    [(_, value, text)] = [span for span in json_split.items(data) if span[2] is not None]
    assert value == {"id": "a", "modelType": "Submodel", "x": {}, "y": 1}
    assert bytes(text).endswith(b"1\n  }")


def test_byte_offsets_of_characters() -> None:
    for text in ("abc,", "ä😀x,", "xx😀😀ü ,", "😀", "ääää"):
        data = memoryview(text.encode())
        for characters in range(len(text) + 1):
            expected = len(text[:characters].encode())
            assert json_split._byte_offset(data, characters) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"[]",
        b'{"submodels": [], "submodels": []}',  # a repeated key
        b'{"\\u0073ubmodels": []}',  # an escaped key
        b'{"submodels": [], "extra": 1}',  # an unknown key
        b'{"submodels": {}}',  # not an array
        b'{"submodels": [1, 2]} x',  # content after the document
        b'{"submodels": [{"modelType": "Submodel", "id": "a"}',  # cut short
        b'{"submodels": [{"modelType": "Submodel", "id": "a"} {"id": "b"}]}',  # no comma
        b'{"modelType": "Submodel", "id": "a"}',  # one instance, no Environment
    ],
)
def test_other_shapes_are_read_whole(data: bytes) -> None:
    with pytest.raises(json_split.NotSplittable):
        list(json_split.items(data))
    assert in_parts(data) == whole(data)


def test_problems_inside_an_item_are_reported_as_when_read_whole() -> None:
    good = orjson.dumps(_submodel(0)).decode()
    cases = [
        # a repeated key inside the second submodel: a finding with its pointer
        '{"submodels": [GOOD, {"modelType": "Submodel", "id": "a", "id": "b"}]}',
        # a wrong type in the third: aas-core's error with the whole pointer
        '{"submodels": [GOOD, GOOD, {"modelType": "Submodel", "id": 5}]}',
        # an unknown element type
        '{"submodels": [{"modelType": "Submodel", "id": "a", "submodelElements": '
        '[{"modelType": "Nothing"}]}]}',
        # a syntax error inside an item
        '{"submodels": [GOOD, {"modelType": "Submodel", "id": "a",}]}',
        # nesting beyond the limit, two levels down
        '{"submodels": [DEEP]}',
        # a byte order mark
        '\ufeff{"submodels": [GOOD]}',
    ]
    cases = [text.replace("GOOD", good).replace("DEEP", "[" * 300 + "]" * 300) for text in cases]
    for text in cases:
        data = text.encode()
        expected = whole(data)
        assert in_parts(data) == expected, text[:80]
    error = in_parts(cases[1].encode())
    assert error[0] == "error" and error[3].pointer == "/submodels/2/id"


def test_every_corpus_environment_reads_the_same_in_parts() -> None:
    paths = sorted(corpus("testgen-3.0", "Json", "ContainedInEnvironment").rglob("*.json"))
    paths += sorted(corpus("examples-3.1", "json").rglob("*.json"))
    random.Random(5).shuffle(paths)
    for path in paths[:1500]:
        data = path.read_bytes()
        version = Version.V3_0 if "testgen-3.0" in str(path) else Version.V3_1
        context = ReadContext(source=str(path), version=version)
        findings: list[Any] = []
        try:
            expected: Any = json_format.build(
                json_format.parse(data, str(path), findings), context, findings
            )
            expected = binding(version).jsonization.to_jsonable(expected.root)
        except ReadError as error:
            expected = (error.message, error.location)
        try:
            got: Any = json_format.read(data, context)
            got = binding(version).jsonization.to_jsonable(got.root)
        except ReadError as error:
            got = (error.message, error.location)
        assert got == expected, path


def test_validation_in_parts_finds_what_validating_whole_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each identifiable checked against its class's schema as it is read gives the findings
    (rules, messages, pointers, lines) of checking the whole document at once."""
    from aas import validation

    def key(finding: Any) -> tuple[Any, ...]:
        where = finding.location
        return (
            finding.rule,
            finding.also,
            finding.message,
            where.pointer,
            where.line,
            where.column,
        )

    base = corpus("testgen-3.0", "Json", "ContainedInEnvironment")
    paths = sorted(base.rglob("*.json"))[::7]
    paths += sorted(corpus("examples-3.1", "json").rglob("*.json"))[::40]
    split = [
        validation.validate(path, version="3.0" if "testgen" in str(path) else "3.1")
        for path in paths
    ]
    monkeypatch.setattr(json_format, "read_in_parts", lambda *args: None)
    with_schema_findings = 0
    for path, in_parts_report in zip(paths, split, strict=True):
        whole_report = validation.validate(path, version="3.0" if "testgen" in str(path) else "3.1")
        assert sorted(map(key, in_parts_report.findings)) == sorted(
            map(key, whole_report.findings)
        ), path
        assert in_parts_report.checks == whole_report.checks
        assert in_parts_report.readable == whole_report.readable
        with_schema_findings += any(
            rule.startswith("schema:") for f in whole_report.findings for rule in (f.rule, *f.also)
        )
    assert len(paths) > 700 and with_schema_findings > 100
