"""The XML writer's two paths (indenting inside aas-core's serializer, and the wrapper kept
for an aas-core release whose private serializer looks different) write the same bytes."""

from __future__ import annotations

import pytest

import aas
from aas.converters import xml_format

from conftest import corpus


def test_both_writer_paths_give_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = sorted(corpus("examples-3.1", "json").rglob("*.json"))[::60]
    paths += sorted(
        corpus("testgen-3.0", "Json", "ContainedInEnvironment", "Expected").rglob("*.json")
    )[::60]
    models = [
        aas.load(p, version="3.1" if "examples" in str(p) else "3.0", verify=False) for p in paths
    ]
    fast = [aas.dump(model, "xml") for model in models]
    xml_format._indenting_serializer.cache_clear()
    monkeypatch.setattr(xml_format, "_indenting_serializer", lambda xmlization: None)
    slow = [aas.dump(model, "xml") for model in models]
    assert len(fast) > 80
    assert fast == slow


@pytest.mark.parametrize("fallback", [False, True])
def test_carriage_returns_survive_and_unrepresentable_text_is_refused(
    monkeypatch: pytest.MonkeyPatch, fallback: bool
) -> None:
    if fallback:
        monkeypatch.setattr(xml_format, "_indenting_serializer", lambda xmlization: None)
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
    import orjson

    model = aas.load(orjson.dumps(document), format="json", version="3.1")
    xml = aas.dump(model, "xml")
    assert b"line one&#13;\nline two &amp; &lt;three&gt;" in xml
    again = aas.load(xml, format="xml")
    assert again.root.submodels[0].submodel_elements[0].value == "line one\r\nline two & <three>"
    model.root.submodels[0].submodel_elements[0].value = "bad \x1f char"
    with pytest.raises(aas.FindingsError) as caught:
        aas.dump(model, "xml")
    assert caught.value.findings[0].rule == "xml:unrepresentable-character"
