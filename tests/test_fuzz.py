"""Fuzzing: corpus files mutated structurally, then read, validated and written.

Twenty small corpus files (JSON and XML, V3.0 and V3.1: the "maximal" example of ten classes,
each holding every property its class has) are mutated by hypothesis: elements and keys
dropped, duplicated, shuffled, moved, renamed and retyped, values changed to other JSON types
or other text, attributes added, random text inserted, the text truncated. Each result goes
through ``aas.load``, ``aas.validate`` and, where a model was read, ``aas.dump`` to JSON, XML
and AASX. The only allowed outcomes are a result or the project's own error (``aas.AasError``).
JSON is also read both ways, one identifiable at a time and whole, with the same outcome.

CI runs a fixed, modest number of cases, the same every time (``derandomize``). A longer run::

    AAS_FUZZ_EXAMPLES=20000 .venv/bin/pytest tests/test_fuzz.py

``AAS_FUZZ_EXAMPLES`` is the total over the three tests (default 200). A third test does the
same to AASX packages (the sensor example, its model as a JSON spec part, and a V3.0 package):
members dropped, duplicated, renamed (also to names that leave the package) or swapped,
relationships retargeted and retyped, the spec part mutated as above, bytes changed.
"""

from __future__ import annotations

import copy
import io
import json
import os
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import aas

from conftest import EXAMPLES, corpus

TOTAL_EXAMPLES = int(os.environ.get("AAS_FUZZ_EXAMPLES", "200"))

FUZZ_SETTINGS = settings(
    max_examples=max(1, TOTAL_EXAMPLES // 3),  # three tests (JSON, XML, AASX) share the total
    deadline=None,
    derandomize=True,  # the same cases in every run, so CI is deterministic
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# The classes whose "maximal" example is a seed, per version.
CLASSES_31 = ["Submodel", "AssetAdministrationShell", "Entity", "SubmodelElementList"]
CLASSES_31 += ["ConceptDescription"]
CLASSES_30 = ["Operation", "AnnotatedRelationshipElement", "BasicEventElement"]
CLASSES_30 += ["MultiLanguageProperty", "DataSpecificationIec61360"]


def _lower_first(name: str) -> str:
    return name[0].lower() + name[1:]


@dataclass(frozen=True)
class Seed:
    name: str
    data: bytes
    format: str
    version: str

    def __repr__(self) -> str:  # hypothesis prints it when a case fails
        return f"Seed({self.name})"


def _seeds(fmt: str) -> list[Seed]:
    found = []
    for version, classes in (("3.1", CLASSES_31), ("3.0", CLASSES_30)):
        for cls in classes:
            if version == "3.1":
                folder = ("json", "generated", cls) if fmt == "json" else ("xml", "generated")
                parts = ("examples-3.1", *folder)
                if fmt == "xml":
                    parts = (*parts, _lower_first(cls))
            else:
                kind = "Json" if fmt == "json" else "Xml"
                name = cls if fmt == "json" else _lower_first(cls)
                parts = ("testgen-3.0", kind, "ContainedInEnvironment", "Expected", name)
            path = corpus(*parts, f"maximal.{fmt}")
            found.append(Seed(f"{version}/{path.parent.name}", path.read_bytes(), fmt, version))
    return found


# region what a case must survive


def exercise(data: bytes, seed: Seed) -> str:
    """Read, validate and write ``data``; anything but a result or an AasError fails."""
    version = seed.version if seed.format == "json" else None
    try:
        model = aas.load(data, format=seed.format, version=version)
    except aas.AasError as error:
        assert error.message
        model = None
    report = aas.validate(data, format=seed.format, version=version)
    assert isinstance(report, aas.Report)
    assert report.to_text()
    if model is None:
        return "refused"
    for target in ("json", "xml"):
        try:
            aas.dump(model, target)
        except aas.AasError as error:
            assert error.message
    try:
        package = aas.dump(model, "aasx")
    except aas.AasError as error:
        assert error.message
    else:  # what the writer makes, the reader takes
        aas.load(package, format="aasx")
    return "read"


# endregion

# region JSON mutations: objects are lists of pairs, so keys can repeat and keep their order


class Obj(list[tuple[str, Any]]):
    pass


def parse_json(data: bytes) -> Any:
    return json.loads(data, object_pairs_hook=Obj)


def render_json(node: Any) -> str:
    if isinstance(node, Obj):
        return "{" + ", ".join(f"{json.dumps(k)}: {render_json(v)}" for k, v in node) + "}"
    if isinstance(node, list):
        return "[" + ", ".join(render_json(item) for item in node) + "]"
    return json.dumps(node)  # NaN and Infinity come out as such: not JSON, on purpose


def containers(node: Any) -> list[Any]:
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Obj):
            found.append(current)
            stack.extend(value for _, value in current)
        elif isinstance(current, list):
            found.append(current)
            stack.extend(current)
    return found


JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(
        [
            "Property",
            "SubmodelElementCollection",
            "Submodel",
            "ModelReference",
            "ExternalReference",
            "xs:int",
            "xs:string",
            "Instance",
            "",
            "\u0000",
            "\ud7ff\ue000",
            "1e999",
            "urn:x",
        ]
    ),
)
JSON_VALUES = st.one_of(
    JSON_SCALARS,
    st.builds(list),  # a new one each time: a shared one would carry mutations over
    st.builds(Obj),
    st.lists(JSON_SCALARS, max_size=3),
    st.builds(
        lambda k, v: Obj([(k, v)]), st.sampled_from(["modelType", "value", "x"]), JSON_SCALARS
    ),
)


def mutate_json(draw: Callable[..., Any], document: Any) -> Any:
    nodes = containers(document)
    node = nodes[draw(st.integers(0, len(nodes) - 1))]
    action = draw(
        st.sampled_from(["drop", "duplicate", "shuffle", "retype", "rename", "move", "nest"])
    )
    if not node and action not in ("retype", "nest"):
        action = "retype"
    index = draw(st.integers(0, max(0, len(node) - 1)))
    if action == "drop":
        del node[index]
    elif action == "duplicate":
        node.insert(index, copy.deepcopy(node[index]))
    elif action == "shuffle":
        order = draw(st.permutations(list(range(len(node)))))
        node[:] = [node[i] for i in order]
    elif action == "retype":
        value = draw(JSON_VALUES)
        if isinstance(node, Obj):
            key = node[index][0] if node else draw(st.sampled_from(["modelType", "value", "id"]))
            if node:
                node[index] = (key, value)
            else:
                node.append((key, value))
        elif node:
            node[index] = value
        else:
            node.append(value)
    elif action == "rename" and isinstance(node, Obj):
        key = draw(
            st.sampled_from(["modelType", "idShort", "value", "keys", "type", "id", "kind"])
            | st.text(max_size=8)
        )
        node[index] = (key, node[index][1])
    elif action == "move" and len(nodes) > 1:
        item = node.pop(index)
        others = containers(document)  # without the item's own subtree: no cycles
        other = others[draw(st.integers(0, len(others) - 1))]
        if isinstance(other, Obj):
            other.append((item[0] if isinstance(item, tuple) else "moved", item))
        else:
            other.append(item[1] if isinstance(item, tuple) else item)
    elif action == "nest":
        wrapped = copy.deepcopy(node)
        node.clear()
        node.extend([("value", wrapped)] if isinstance(node, Obj) else [wrapped])
    return document


def mutate_text(draw: Callable[..., Any], data: bytes) -> bytes:
    action = draw(st.sampled_from(["truncate", "insert", "flip"]))
    at = draw(st.integers(0, len(data)))
    if action == "truncate":
        return data[:at]
    if action == "insert":
        text = draw(
            st.text(max_size=12)
            | st.sampled_from(["<", "&", "&amp;", "]]>", "<!--", "{", '"', "\\", ":", "\x00"])
        )
        return data[:at] + text.encode("utf-8", "surrogatepass") + data[at:]
    if not data:
        return data
    at = min(at, len(data) - 1)
    return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]


JSON_SEEDS = _seeds("json")
XML_SEEDS = _seeds("xml")
SEEN: dict[str, dict[str, int]] = {"json": {}, "xml": {}, "aasx": {}}


@FUZZ_SETTINGS
@given(seed=st.sampled_from(JSON_SEEDS), data=st.data())
def test_mutated_json_is_read_or_refused_cleanly(seed: Seed, data: st.DataObject) -> None:
    document = parse_json(seed.data)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        document = mutate_json(data.draw, document)
    text = render_json(document).encode("utf-8", "surrogatepass")
    if data.draw(st.integers(0, 4), label="text mutation") == 0:
        text = mutate_text(data.draw, text)
    outcome = exercise(text, seed)
    SEEN["json"][outcome] = SEEN["json"].get(outcome, 0) + 1
    assert read_in_parts(text, seed) == read_whole(text, seed)


def read_in_parts(text: bytes, seed: Seed) -> Any:
    """What reading JSON gives (one identifiable at a time, where the text allows)."""
    from aas.converters import json_format

    return _outcome(lambda context: json_format.read(text, context), seed)


def read_whole(text: bytes, seed: Seed) -> Any:
    """What reading the whole document at once gives."""
    from aas.converters import json_format

    def whole(context: Any) -> Any:
        findings: list[Any] = []
        document = json_format.parse(text, context.source, findings)
        return json_format.build(document, context, findings)

    return _outcome(whole, seed)


def _outcome(read: Callable[[Any], Any], seed: Seed) -> Any:
    from aas.codec import ReadContext
    from aas.versions import binding

    context = ReadContext(source="fuzz.json", version=aas.Version(seed.version))
    try:
        model = read(context)
    except aas.AasError as error:
        return ("refused", error.rule, error.message, error.location)
    jsonable = binding(model.version).jsonization.to_jsonable(model.root)
    return ("read", jsonable, [(f.rule, f.message, f.location) for f in model.findings])


# endregion

# region XML mutations


XML_TAGS = [
    "submodelElementCollection",
    "property",
    "value",
    "idShort",
    "keys",
    "key",
    "semanticId",
    "modelType",
    "valueType",
    "submodels",
    "submodel",
    "environment",
]


def mutate_xml(draw: Callable[..., Any], root: Any) -> None:
    elements = [element for element in root.iter() if isinstance(element.tag, str)]
    element = elements[draw(st.integers(0, len(elements) - 1))]
    parent = element.getparent()
    action = draw(
        st.sampled_from(
            ["drop", "duplicate", "shuffle", "rename", "text", "move", "attribute", "namespace"]
        )
    )
    if action in ("drop", "duplicate") and parent is None:
        action = "text"
    if action == "drop":
        parent.remove(element)
    elif action == "duplicate":
        element.addnext(copy.deepcopy(element))
    elif action == "shuffle":
        children = list(element)
        order = draw(st.permutations(list(range(len(children)))))
        for child in children:
            element.remove(child)
        for i in order:
            element.append(children[i])
    elif action == "rename":
        namespace = etree.QName(element).namespace
        local = draw(
            st.sampled_from(XML_TAGS) | st.from_regex(r"[a-zA-Z][a-zA-Z0-9]{0,8}", fullmatch=True)
        )
        element.tag = f"{{{namespace}}}{local}" if namespace else local
    elif action == "text":
        text = draw(st.text(max_size=20) | st.sampled_from(["", "  ", "xs:int", "true", "-1"]))
        try:
            element.text = text
        except ValueError:  # not XML text (a control character): lxml refuses it
            element.text = "x"
    elif action == "move" and parent is not None:
        parent.remove(element)
        others = [e for e in root.iter() if isinstance(e.tag, str)]
        others[draw(st.integers(0, len(others) - 1))].append(element)
    elif action == "attribute":
        name = draw(st.sampled_from(["id", "type", "{http://www.w3.org/XML/1998/namespace}lang"]))
        element.set(name, draw(st.from_regex(r"[a-z0-9]{0,6}", fullmatch=True)))
    elif action == "namespace":
        local = etree.QName(element).localname
        element.tag = draw(
            st.sampled_from(
                [
                    local,
                    f"{{https://admin-shell.io/aas/3/0}}{local}",
                    f"{{https://admin-shell.io/aas/3/1}}{local}",
                    f"{{urn:other}}{local}",
                ]
            )
        )


@FUZZ_SETTINGS
@given(seed=st.sampled_from(XML_SEEDS), data=st.data())
def test_mutated_xml_is_read_or_refused_cleanly(seed: Seed, data: st.DataObject) -> None:
    root = etree.fromstring(seed.data)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        mutate_xml(data.draw, root)
    text = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    if data.draw(st.integers(0, 3), label="text mutation") == 0:
        text = mutate_text(data.draw, text)
    outcome = exercise(text, seed)
    SEEN["xml"][outcome] = SEEN["xml"].get(outcome, 0) + 1


# endregion


# region AASX mutations


RELS = "http://admin-shell.io/aasx/relationships/"
OPC_RELS = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
MEMBER_NAMES = [
    "[Content_Types].xml",
    "_rels/.rels",
    "aasx/aasx-origin",
    "aasx/_rels/aasx-origin.rels",
    "aasx/data.xml",
    "aasx/data.json",
    "aasx/_rels/data.xml.rels",
    "aasx/_rels/data.json.rels",
    "aasx/files/sensor-manual.pdf",
    "aasx/files/sensor-thumbnail.png",
    "../evil.txt",
    "/absolute.txt",
    "aasx/%2E%2E/%2E%2E/evil.txt",
    "aasx/",
    "C:/evil.txt",
]
TARGETS = [f"/{name}" for name in MEMBER_NAMES] + [
    "data.xml",
    "files/sensor-manual.pdf",
    "",
    "#x",
    "../../../etc/passwd",
    "file:///etc/passwd",
    "http://127.0.0.1:9/x",
    "/aasx/%64ata.xml",
]
REL_TYPES = [RELS + name for name in ("aasx-origin", "aas-spec", "aas-suppl")] + [
    OPC_RELS + "thumbnail",
    OPC_RELS + "core-properties",
    "http://www.admin-shell.io/aasx/relationships/aas-spec",
    "urn:other",
]


def _members(package: bytes) -> list[list[Any]]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return [[info.filename, archive.read(info)] for info in archive.infolist()]


def _aasx_seeds() -> list[Seed]:
    sensor = EXAMPLES / "sensor" / "sensor.aasx"
    members = _members(sensor.read_bytes())
    model = aas.load(sensor)
    as_json = [[name.replace("data.xml", "data.json"), data] for name, data in members]
    for member in as_json:
        if member[0] == "aasx/data.json":
            member[1] = aas.dump(model, "json")
        elif member[0].endswith(".rels") or member[0] == "[Content_Types].xml":
            member[1] = member[1].replace(b"data.xml", b"data.json")
    pump = io.BytesIO()
    aas.convert(EXAMPLES / "pump" / "pump.json", pump, version="3.0", to_format="aasx")
    return [
        Seed("aasx/sensor", sensor.read_bytes(), "aasx", "3.1"),
        Seed("aasx/sensor-json-spec", _zip(as_json), "aasx", "3.1"),
        Seed("aasx/pump-3.0", pump.getvalue(), "aasx", "3.0"),
    ]


def _zip(members: list[list[Any]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")  # duplicate names are one of the mutations
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def mutate_relationships(draw: Callable[..., Any], data: bytes) -> bytes:
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError:
        return data
    relationships = list(root)
    action = draw(st.sampled_from(["drop", "duplicate", "target", "type", "external"]))
    if not relationships:
        action = "duplicate"
    if action == "duplicate" and not relationships:
        relationship = etree.SubElement(root, "Relationship", Id="rX")
        relationship.set("Type", draw(st.sampled_from(REL_TYPES)))
        relationship.set("Target", draw(st.sampled_from(TARGETS)))
        return bytes(etree.tostring(root))
    element = relationships[draw(st.integers(0, len(relationships) - 1))]
    if action == "drop":
        root.remove(element)
    elif action == "duplicate":
        element.addnext(copy.deepcopy(element))
    elif action == "target":
        element.set("Target", draw(st.sampled_from(TARGETS)))
    elif action == "type":
        element.set("Type", draw(st.sampled_from(REL_TYPES)))
    else:
        element.set("TargetMode", draw(st.sampled_from(["External", "Internal", "x"])))
    return bytes(etree.tostring(root))


def mutate_aasx(draw: Callable[..., Any], members: list[list[Any]]) -> None:
    action = draw(st.sampled_from(["drop", "duplicate", "rename", "swap", "bytes", "rels", "spec"]))
    if not members:
        members.append(["aasx/x", b""])
    index = draw(st.integers(0, len(members) - 1))
    if action == "drop":
        del members[index]
    elif action == "duplicate":
        members.insert(index, [members[index][0], draw(st.sampled_from(members))[1]])
    elif action == "rename":
        members[index][0] = draw(st.sampled_from(MEMBER_NAMES))
    elif action == "swap":
        members[index][1] = draw(st.sampled_from(members))[1]
    elif action == "bytes":
        members[index][1] = mutate_text(draw, members[index][1])
    elif action == "rels":
        rels = [member for member in members if member[0].endswith(".rels")]
        if rels:
            member = draw(st.sampled_from(rels))
            member[1] = mutate_relationships(draw, member[1])
    else:
        specs = [m for m in members if m[0].startswith("aasx/data.")]
        if specs:
            spec = draw(st.sampled_from(specs))
            if spec[0].endswith(".json"):
                try:
                    document = parse_json(spec[1])
                except ValueError:
                    return
                spec[1] = render_json(mutate_json(draw, document)).encode("utf-8", "surrogatepass")
            else:
                try:
                    root = etree.fromstring(spec[1])
                except etree.XMLSyntaxError:
                    return
                mutate_xml(draw, root)
                spec[1] = etree.tostring(root, encoding="utf-8", xml_declaration=True)


AASX_SEEDS = _aasx_seeds()


@FUZZ_SETTINGS
@given(seed=st.sampled_from(AASX_SEEDS), data=st.data())
def test_mutated_aasx_is_read_or_refused_cleanly(seed: Seed, data: st.DataObject) -> None:
    members = _members(seed.data)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        mutate_aasx(data.draw, members)
    package = _zip(members)
    if data.draw(st.integers(0, 9), label="archive mutation") == 0:
        package = mutate_text(data.draw, package)
    outcome = exercise(package, seed)
    SEEN["aasx"][outcome] = SEEN["aasx"].get(outcome, 0) + 1


# endregion


def test_the_seeds_are_twenty_readable_corpus_files() -> None:
    seeds = JSON_SEEDS + XML_SEEDS
    assert len(seeds) == 20
    assert {(s.format, s.version) for s in seeds} == {
        (fmt, version) for fmt in ("json", "xml") for version in ("3.0", "3.1")
    }
    for seed in seeds + AASX_SEEDS:
        assert exercise(seed.data, seed) == "read", seed.name
        version = seed.version if seed.format == "json" else None
        assert aas.validate(seed.data, format=seed.format, version=version).ok, seed.name


@pytest.fixture(scope="module", autouse=True)
def _summary() -> Any:
    yield
    total = sum(sum(counts.values()) for counts in SEEN.values())
    if total:
        print(f"\nfuzz cases run: {total} {SEEN}")
