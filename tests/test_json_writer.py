"""The JSON writer writes an Environment one identifiable at a time, with the bytes orjson
gives for the whole model's jsonable."""

from __future__ import annotations

from pathlib import Path

import orjson

import aas
from aas.versions import binding

from conftest import corpus, large_model


def whole(model: aas.Model) -> bytes:
    jsonable = binding(model.version).jsonization.to_jsonable(model.root)
    return orjson.dumps(jsonable, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def test_the_bytes_are_those_of_writing_the_whole_model() -> None:
    paths: list[tuple[Path, str]] = [
        (path, "3.1") for path in sorted(corpus("examples-3.1", "json").rglob("*.json"))[::4]
    ]
    base = corpus("testgen-3.0", "Json")
    paths += [(path, "3.0") for path in sorted(base.rglob("Expected/**/*.json"))[::4]]
    count = 0
    for path, version in paths:
        model = aas.load(path, version=version, verify=False)
        assert aas.dump(model, "json").data == whole(model), path
        count += 1
    assert count > 1000


def test_empty_and_large_environments() -> None:
    for document in (b"{}", b'{"submodels": []}', b'{"submodels": [], "conceptDescriptions": []}'):
        model = aas.load(document, format="json", version="3.1", verify=False)
        assert (
            aas.dump(model, "json").data
            == whole(model)
            == orjson.dumps(
                orjson.loads(document), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE
            )
        )
    model = aas.load(large_model(500, described=True), format="json", version="3.0")
    assert aas.dump(model, "json").data == whole(model)
