"""JSON properties the metamodel does not define (``valueId`` as BaSyx wrote it, a draft's
``kind`` on a submodel element, anything else) are reported once each, at their own pointer,
left out of the model, and the rest of the model is read; `validate` still fails such a file,
`convert` reads it and `convert --strict` refuses it. Anything else that keeps a model from
being built stays unreadable."""

from __future__ import annotations

import copy
import json
import os
import random
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import aas
import aas.converters.json.format as json_format
from aas.codec import ReadContext
from aas.findings import escape_pointer_token
from aas.metamodel.description import describe
from aas.validation import validate
from aas.versions import Version, binding

from conftest import corpus, resolve_pointer, run_cli

RULE = "model:unexpected-property"

IEC_CONTENT = "/submodels/0/embeddedDataSpecifications/0/dataSpecificationContent"
REFERENCE = {"type": "ExternalReference", "keys": [{"type": "GlobalReference", "value": "urn:x"}]}


def basyx_like(**extra_element: Any) -> dict[str, Any]:
    """A submodel whose IEC 61360 content carries ``valueId``, as BaSyx wrote it."""
    element = {"modelType": "Property", "idShort": "Voltage", "valueType": "xs:double"}
    element.update(extra_element)
    return {
        "submodels": [
            {
                "modelType": "Submodel",
                "id": "urn:example:submodel",
                "idShort": "Nameplate",
                "embeddedDataSpecifications": [
                    {
                        "dataSpecification": REFERENCE,
                        "dataSpecificationContent": {
                            "modelType": "DataSpecificationIec61360",
                            "preferredName": [{"language": "en", "text": "Voltage"}],
                            "valueId": REFERENCE,
                        },
                    }
                ],
                "submodelElements": [element],
            }
        ]
    }


def without(document: dict[str, Any], *pointers: str) -> dict[str, Any]:
    """``document`` with the members at ``pointers`` removed."""
    result = copy.deepcopy(document)
    for at in pointers:
        *path, last = at[1:].split("/")
        node: Any = result
        for token in path:
            node = node[int(token)] if isinstance(node, list) else node[token]
        del node[last.replace("~1", "/").replace("~0", "~")]
    return result


def jsonable(model: aas.Model) -> Any:
    return binding(model.version).jsonization.to_jsonable(model.root)


def unexpected(findings: list[aas.Finding]) -> list[aas.Finding]:
    return [finding for finding in findings if finding.rule == RULE]


def write(path: Path, document: Any) -> Path:
    path.write_bytes(orjson.dumps(document, option=orjson.OPT_INDENT_2))
    return path


# --------------------------------------------------------------------------- one file


def test_value_id_of_basyx_is_reported_and_left_out(tmp_path: Path) -> None:
    path = write(tmp_path / "basyx.json", basyx_like())
    model = aas.load(path)
    [finding] = unexpected(model.findings)
    assert finding.severity is aas.Severity.ERROR
    assert finding.message == (
        "DataSpecificationIec61360 has no property 'valueId' (an old spelling; not carried over)"
    )
    assert finding.location.pointer == f"{IEC_CONTENT}/valueId"
    assert finding.location.file == str(path)
    # the line and column of the property's value in the text
    line = path.read_text().splitlines()[finding.location.line - 1]
    assert line[finding.location.column - 1 :].startswith("{")
    assert '"valueId"' in line
    # the rest of the model is what it would be without the property
    clean = aas.load(orjson.dumps(without(basyx_like(), f"{IEC_CONTENT}/valueId")), format="json")
    assert jsonable(model) == jsonable(clean)
    assert b"valueId" not in aas.dump(model, "json").data


def test_a_property_no_version_knows_is_called_unknown() -> None:
    model = aas.load(orjson.dumps(basyx_like(colour="red")), format="json", version="3.0")
    found = {f.location.pointer: f.message for f in unexpected(model.findings)}
    assert found == {
        f"{IEC_CONTENT}/valueId": "DataSpecificationIec61360 has no property 'valueId' "
        "(an old spelling; not carried over)",
        "/submodels/0/submodelElements/0/colour": "Property has no property 'colour' "
        "(an unknown property; not carried over)",
    }


def test_kind_on_a_submodel_element_is_an_old_spelling() -> None:
    model = aas.load(orjson.dumps(basyx_like(kind="Instance")), format="json", version="3.1")
    messages = [f.message for f in unexpected(model.findings)]
    assert "Property has no property 'kind' (an old spelling; not carried over)" in messages


def test_an_environment_with_a_property_of_its_own_is_read() -> None:
    document = {**basyx_like(), "x-producer": {"name": "some tool"}}
    model = aas.load(orjson.dumps(document), format="json", version="3.1")
    assert [f.location.pointer for f in unexpected(model.findings)] == [
        f"{IEC_CONTENT}/valueId",
        "/x-producer",
    ]
    assert len(model.root.submodels) == 1


def test_a_lone_instance_with_an_unknown_property_is_read() -> None:
    submodel = {**basyx_like()["submodels"][0], "x~y/z": 1}
    model = aas.load(orjson.dumps(submodel), format="json", version="3.1")
    assert model.class_name == "Submodel"
    pointers = [f.location.pointer for f in unexpected(model.findings)]
    assert pointers == [
        "/embeddedDataSpecifications/0/dataSpecificationContent/valueId",
        "/x~0y~1z",
    ]


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"idShort": 5}, "model:type"),  # a wrong type
        ({"valueType": None}, "model:null"),
        ({"modelType": "Propperty"}, "model:model-type"),  # an unknown modelType
        ({"valueType": "xs:word"}, "model:enum"),
    ],
)
def test_other_defects_beside_an_unknown_property_stay_unreadable(
    change: dict[str, Any], rule: str
) -> None:
    document = basyx_like(colour="red")
    document["submodels"][0]["submodelElements"][0].update(change)
    with pytest.raises(aas.ReadError) as raised:
        aas.load(orjson.dumps(document), format="json", version="3.1")
    assert raised.value.rule == rule
    assert raised.value.location.pointer.startswith("/submodels/0/submodelElements/0")


def test_a_missing_required_property_stays_unreadable() -> None:
    document = basyx_like()
    del document["submodels"][0]["id"]
    with pytest.raises(aas.ReadError) as raised:
        aas.load(orjson.dumps(document), format="json", version="3.1")
    assert raised.value.rule == "model:required"


def test_text_that_is_no_model_stays_unreadable() -> None:
    with pytest.raises(aas.ReadError) as raised:
        aas.load(b'{"$type": "Options", "Records": []}', format="json")
    assert raised.value.rule == "model:model-type"


# --------------------------------------------------------------------------- the commands


def test_convert_reads_it_strict_refuses_it_validate_fails_it(tmp_path: Path) -> None:
    path = write(tmp_path / "basyx.json", basyx_like())
    out = tmp_path / "out.xml"
    result = run_cli("convert", str(path), str(out))
    assert result.returncode == 0, result.stderr
    assert "[model:unexpected-property]" in result.stderr.decode()
    assert b"valueId" not in out.read_bytes()

    strict = tmp_path / "strict.xml"
    result = run_cli("convert", str(path), str(strict), "--strict")
    assert result.returncode == 1
    assert "valueId" in result.stderr.decode()
    assert not strict.exists()

    result = run_cli("validate", str(path))
    assert result.returncode == 1
    assert f"{IEC_CONTENT}/valueId" in result.stdout.decode()


@pytest.mark.parametrize("in_parts", [True, False])
def test_validate_reports_it_once_at_its_pointer(in_parts: bool) -> None:
    document = basyx_like()
    text = orjson.dumps(document, option=orjson.OPT_INDENT_2)
    # A repeated key sends the reader to the whole document instead of reading in parts.
    data = text if in_parts else text.replace(b'"idShort"', b'"idShort": "Nameplate", "idShort"', 1)
    report = validate(data, format="json", version="3.1")
    [finding] = unexpected(report.findings)
    assert finding.location.pointer == f"{IEC_CONTENT}/valueId"
    assert finding.location.line is not None
    assert not report.ok


def test_every_unexpected_additional_property_of_the_corpus_is_read_and_fails() -> None:
    """Each case of the corpus's UnexpectedAdditionalProperty: read, with exactly one finding
    at the property's pointer; `validate` fails it there (with or without the version)."""
    files = sorted(corpus("testgen-3.0", "Json").rglob("UnexpectedAdditionalProperty/*/*.json"))
    files += sorted(
        corpus("testdatagen-3.1", "Json").rglob("UnexpectedAdditionalProperty/*/*.json")
    )
    assert len(files) >= 70
    for path in files:
        lone = "SelfContained" in path.parts or "testdatagen-3.1" in path.parts
        model_type = path.parent.name if lone else None
        version = "3.0" if "testgen-3.0" in path.parts else "3.1"
        document = json.loads(path.read_text())
        model = aas.load(path, version=version, model_type=model_type)
        [finding] = unexpected(model.findings)
        at = finding.location.pointer
        assert at.rsplit("/", 1)[-1] == "unexpectedAdditionalProperty", path
        resolve_pointer(document, at)
        expected = aas.load(
            orjson.dumps(without(document, at)),
            format="json",
            version=version,
            model_type=model_type,
        )
        assert jsonable(model) == jsonable(expected), path
        for asked in (version, None):
            report = validate(path, version=asked, model_type=model_type)
            assert not report.ok, path
            assert at in {f.location.pointer for f in unexpected(report.findings)}, path


def test_reading_in_parts_and_whole_agree() -> None:
    document = basyx_like(kind="Instance")
    document["submodels"].append({**basyx_like()["submodels"][0], "id": "urn:two", "x": 1})
    data = orjson.dumps(document, option=orjson.OPT_INDENT_2)
    context = ReadContext(source="in.json", version=Version.V3_1)
    findings: list[aas.Finding] = []
    whole = json_format.build(json_format.parse(data, "in.json", findings), context, findings)
    parts = json_format.read_in_parts(data, context)
    assert parts is not None
    assert jsonable(parts) == jsonable(whole)
    assert parts.findings == whole.findings
    assert [f.location.pointer for f in parts.findings] == [
        f"{IEC_CONTENT}/valueId",
        "/submodels/0/submodelElements/0/kind",
        "/submodels/1/embeddedDataSpecifications/0/dataSpecificationContent/valueId",
        "/submodels/1/x",
    ]


# --------------------------------------------------------------------------- property-based


def _known_names() -> frozenset[str]:
    names = {"modelType"}
    for version in Version:
        for cls in describe(version).classes.values():
            names.update(prop.json_name for prop in cls.properties)
    return frozenset(names)


KNOWN = _known_names()


def _seeds() -> list[tuple[Path, Version]]:
    """Valid Environments of both versions, a deterministic sample."""
    rng = random.Random(10)
    older = sorted(corpus("testgen-3.0", "Json", "ContainedInEnvironment", "Expected").rglob("*"))
    newer = sorted(corpus("examples-3.1", "json").rglob("*.json"))
    chosen = rng.sample([p for p in older if p.is_file()], 30) + rng.sample(newer, 30)
    return [(p, Version.V3_0 if "testgen-3.0" in p.parts else Version.V3_1) for p in chosen]


SEEDS = _seeds()


def _objects(node: Any, at: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every JSON object in a document with its pointer (each is an instance of a class)."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        found.append((at, node))
        for key, value in node.items():
            found += _objects(value, f"{at}/{escape_pointer_token(key)}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _objects(value, f"{at}/{index}")
    return found


NAMES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1).filter(
    lambda name: name not in KNOWN
)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=6,
)


@settings(
    max_examples=int(os.environ.get("AAS_UNKNOWN_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    seed=st.sampled_from(SEEDS),
    data=st.data(),
    whole=st.booleans(),
    indent=st.booleans(),
)
def test_unknown_properties_anywhere_are_each_reported_once_and_the_rest_is_read(
    seed: tuple[Path, Version], data: st.DataObject, whole: bool, indent: bool
) -> None:
    path, version = seed
    original = json.loads(path.read_text())
    document = copy.deepcopy(original)
    objects = _objects(document)
    count = data.draw(st.integers(1, 4), label="count")
    inserted: set[str] = set()
    for _ in range(count):
        at, target = objects[data.draw(st.integers(0, len(objects) - 1), label="object")]
        name = data.draw(NAMES, label="name")
        assume(name not in target)
        target[name] = data.draw(VALUES, label="value")
        inserted.add(f"{at}/{escape_pointer_token(name)}")
    text = orjson.dumps(document, option=orjson.OPT_INDENT_2 if indent else 0)

    asked = data.draw(st.sampled_from([version, None]), label="version")
    model = aas.load(
        text, format="json", version=asked, model_type="Environment" if whole else None
    )
    found = unexpected(model.findings)
    assert sorted(f.location.pointer for f in found) == sorted(inserted)
    assert all(f.severity is aas.Severity.ERROR and f.location.line for f in found)
    # Unknown properties make the model invalid under both versions: V3.1 unless asked.
    assert model.version == (asked or Version.V3_1)
    assert jsonable(model) == jsonable(aas.load(path, version=model.version))
