"""Fuzzing: corpus files mutated structurally, then read, validated and written.

Twenty small corpus files (JSON and XML, V3.0 and V3.1: the "maximal" example of ten classes,
each holding every property its class has) are mutated by hypothesis: elements and keys
dropped, duplicated, shuffled, moved, renamed and retyped, values changed to other JSON types
or other text, attributes added, random text inserted, the text truncated. Each result goes
through ``aas.load``, ``aas.validate`` and, where a model was read, ``aas.dump`` to JSON, XML,
AASX, Turtle, N-Triples, JSON-LD and RDF/XML; what an RDF writer writes is read back into the
same JSON. The only allowed outcomes are a result or the project's own error
(``aas.AasError``). JSON is also read both ways, one identifiable at a time and whole, with
the same outcome.

CI runs a fixed, modest number of cases, the same every time (``derandomize``). A longer run::

    AAS_FUZZ_EXAMPLES=20000 .venv/bin/pytest tests/test_fuzz.py

``AAS_FUZZ_EXAMPLES`` is the total over the four tests (default 400). A third test does the
same to AASX packages (the sensor example, its model as a JSON spec part, and a V3.0 package):
members dropped, duplicated, renamed (also to names that leave the package) or swapped,
relationships retargeted and retyped, the spec part mutated as above, bytes changed.

A fourth mutates RDF: six of the seeds and a model of real-world ids (an IRDI, an id with a
space, one id twice, empty lists, nested collections), each written in the four RDF formats,
parsed into triples that are dropped, duplicated and moved; IRIs changed to ids with spaces,
relative IRIs and other nodes; literals given other text, datatypes and kinds; the order and
empty-list annotations corrupted (not a number, negative, doubled, naming unknown predicates);
rdf:type changed, doubled or dropped; blank nodes merged, shared and closed into cycles. The
triples are written again by hand (so a broken IRI stays broken) in any RDF format, sometimes
the text damaged too.
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

TOTAL_EXAMPLES = int(os.environ.get("AAS_FUZZ_EXAMPLES", "400"))

FUZZ_SETTINGS = settings(
    max_examples=max(1, TOTAL_EXAMPLES // 4),  # four tests (JSON, XML, AASX, RDF) share it
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
    refusal = ""
    try:
        model = aas.load(data, format=seed.format, version=version)
    except aas.AasError as error:
        assert error.message
        refusal = error.rule
        model = None
    report = aas.validate(data, format=seed.format, version=version)
    assert isinstance(report, aas.Report)
    assert report.to_text()
    if model is None:
        return f"refused ({refusal})"
    for target in ("json", "xml"):
        try:
            aas.dump(model, target)
        except aas.AasError as error:
            assert error.message
    try:
        package = aas.dump(model, "aasx").data
    except aas.AasError as error:
        assert error.message
    else:  # what the writer makes, the reader takes
        aas.load(package, format="aasx")
    round_trip_rdf(model)
    return "read"


RDF_FORMATS = ["turtle", "ntriples", "jsonld", "rdfxml"]


def round_trip_rdf(model: aas.Model) -> None:
    """Every RDF writer refuses the model with an AasError, or writes what its reader reads
    back into the same JSON."""
    try:
        first: bytes | None = aas.dump(model, "json").data
    except aas.AasError:
        first = None
    for fmt in RDF_FORMATS:
        try:
            written = aas.dump(model, fmt).data
        except aas.AasError as error:
            assert error.message
            RDF_OUTCOMES[f"{fmt} refused"] = RDF_OUTCOMES.get(f"{fmt} refused", 0) + 1
            continue
        back = aas.load(written, format=fmt)  # the writer never writes what it cannot read
        if first is not None:
            assert aas.dump(back, "json").data == first, fmt
        RDF_OUTCOMES[f"{fmt} equal"] = RDF_OUTCOMES.get(f"{fmt} equal", 0) + 1


RDF_OUTCOMES: dict[str, int] = {}


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
SEEN: dict[str, dict[str, int]] = {"json": {}, "xml": {}, "aasx": {}, "rdf": {}}


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
    import aas.converters.json.format as json_format

    return _outcome(lambda context: json_format.read(text, context), seed)


def read_whole(text: bytes, seed: Seed) -> Any:
    """What reading the whole document at once gives."""
    import aas.converters.json.format as json_format

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
            member[1] = aas.dump(model, "json").data
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


# region RDF mutations: triples as terms, written back as text by hand (so broken IRIs stay)

Term = tuple[str, str, str | None]  # ("iri" | "bnode" | "literal", value, datatype or "@lang")
Triple = tuple[Term, str, Term]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XS = "http://www.w3.org/2001/XMLSchema#"
INDEX = "urn:aas-toolkit:rdf:index"
EMPTY = "urn:aas-toolkit:rdf:empty"
ENVIRONMENT = "urn:aas-toolkit:rdf:environment"
OXIGRAPH_FORMATS = {
    "turtle": "TURTLE",
    "ntriples": "N_TRIPLES",
    "jsonld": "JSON_LD",
    "rdfxml": "RDF_XML",
}
#: What IRIs are changed to: ids with spaces, relative IRIs, IRDIs, an empty one, others'.
IRIS = [
    "urn:a b",
    "https://example.com/with space",
    "relative/x",
    "#fragment",
    "",
    "0173-1#02-AAO677#002",
    "urn:aas-toolkit:id/0173-1%2302-AAO677%23002",
    ENVIRONMENT,
    "urn:x",
    "https://admin-shell.io/aas/3/1/Nonsense",
    "https://admin-shell.io/aas/3/0/KeyTypes/Submodel",
    "https://admin-shell.io/aas/3/1/ModellingKind/Template",
    "http://127.0.0.1:9/remote",
]
LEXICALS = ["", " ", "x", "-1", "1.5", "1e3", "99999999999999999999", "true", "0", "1"]
LEXICALS += ["AA==", "not base64!", "\x00", "\ud7ff", "\U0001f600", "a\nb", "<&>", '"']
DATATYPES = [f"{XS}{name}" for name in ("string", "integer", "boolean", "base64Binary")]
DATATYPES += [f"{XS}dateTime", "urn:weird", "@de", "@en-GB"]


def _term(value: Any) -> Term:
    import pyoxigraph

    if isinstance(value, pyoxigraph.NamedNode):
        return ("iri", value.value, None)
    if isinstance(value, pyoxigraph.BlankNode):
        return ("bnode", value.value, None)
    if value.language:
        return ("literal", value.value, "@" + value.language)
    return ("literal", value.value, value.datatype.value)


def parse_triples(data: bytes, fmt: str) -> list[Triple]:
    import pyoxigraph

    found = pyoxigraph.parse(data, format=getattr(pyoxigraph.RdfFormat, OXIGRAPH_FORMATS[fmt]))
    labels: dict[str, str] = {}  # pyoxigraph's labels are random: the draws must not be

    def relabelled(term: Term) -> Term:
        if term[0] != "bnode":
            return term
        return ("bnode", labels.setdefault(term[1], f"b{len(labels)}"), None)

    return [
        (relabelled(_term(t.subject)), t.predicate.value, relabelled(_term(t.object)))
        for t in found
    ]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def _nt_term(term: Term) -> str:
    kind, value, extra = term
    if kind == "iri":
        return f"<{value}>"  # unescaped: a broken IRI stays broken
    if kind == "bnode":
        return f"_:{value}"
    if extra and extra.startswith("@"):
        return f'"{_escape(value)}"{extra}'
    return f'"{_escape(value)}"^^<{extra}>'


def _jsonld_term(term: Term) -> dict[str, str]:
    kind, value, extra = term
    if kind == "iri":
        return {"@id": value}
    if kind == "bnode":
        return {"@id": "_:" + value}
    if extra and extra.startswith("@"):
        return {"@value": value, "@language": extra[1:]}
    return {"@value": value, "@type": extra or XS + "string"}


def _xml_name(predicate: str) -> tuple[str, str]:
    """(namespace, local name) of a predicate, split after its last '/', '#' or ':'."""
    at = max(predicate.rfind("/"), predicate.rfind("#"), predicate.rfind(":")) + 1
    return predicate[:at], predicate[at:] or "x"


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def render_triples(triples: list[Triple], fmt: str) -> bytes:
    """The triples as text of ``fmt``, written without checking a term (so what a mutation
    broke reaches the reader)."""
    if fmt in ("turtle", "ntriples"):
        lines = [f"{_nt_term(s)} <{p}> {_nt_term(o)} .\n" for s, p, o in triples]
        return "".join(lines).encode("utf-8", "surrogatepass")
    if fmt == "jsonld":
        nodes: dict[str, dict[str, Any]] = {}
        for subject, predicate, obj in triples:
            key = _jsonld_term(subject)["@id"]
            node = nodes.setdefault(key, {"@id": key})
            node.setdefault(predicate, []).append(_jsonld_term(obj))
        return json.dumps(list(nodes.values()), ensure_ascii=False).encode("utf-8", "surrogatepass")
    parts = ['<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n']
    for subject, predicate, obj in triples:
        about = (
            f'rdf:nodeID="{_attribute(subject[1])}"'
            if subject[0] == "bnode"
            else f'rdf:about="{_attribute(subject[1])}"'
        )
        namespace, local = _xml_name(predicate)
        element = f'<p:{local} xmlns:p="{_attribute(namespace)}"'
        kind, value, extra = obj
        if kind == "iri":
            element += f' rdf:resource="{_attribute(value)}"/>'
        elif kind == "bnode":
            element += f' rdf:nodeID="{_attribute(value)}"/>'
        else:
            if extra and extra.startswith("@"):
                element += f' xml:lang="{_attribute(extra[1:])}"'
            else:
                element += f' rdf:datatype="{_attribute(extra or XS + "string")}"'
            element += f">{_attribute(value).replace('>', '&gt;')}</p:{local}>"
        parts.append(f"<rdf:Description {about}>{element}</rdf:Description>\n")
    parts.append("</rdf:RDF>\n")
    return "".join(parts).encode("utf-8", "surrogatepass")


TRIPLE_MUTATIONS = ["drop", "duplicate", "move", "iri", "literal", "predicate", "index"]
TRIPLE_MUTATIONS += ["empty", "type", "cycle", "share", "bnode"]


def mutate_triples(draw: Callable[..., Any], triples: list[Triple]) -> None:
    if not triples:
        triples.append(
            (("iri", "urn:x", None), RDF_TYPE, ("iri", draw(st.sampled_from(IRIS)), None))
        )
        return
    action = draw(st.sampled_from(TRIPLE_MUTATIONS))
    at = draw(st.integers(0, len(triples) - 1))
    subject, predicate, obj = triples[at]
    subjects = [t[0] for t in triples]
    nodes = [term for term in subjects if term[0] == "bnode"] or subjects
    if action == "drop":
        del triples[at]
    elif action == "duplicate":
        triples.insert(draw(st.integers(0, len(triples))), triples[at])
    elif action == "move":
        triples.insert(draw(st.integers(0, len(triples) - 1)), triples.pop(at))
    elif action == "iri":  # an IRI changed, in the subject or the object
        new = (
            "iri",
            draw(st.sampled_from(IRIS) | st.sampled_from(subjects).map(lambda t: t[1])),
            None,
        )
        if draw(st.booleans()) or obj[0] == "literal":
            triples[at] = (new, predicate, obj)
        else:
            triples[at] = (subject, predicate, new)
    elif action == "literal":  # a value changed: its text, its type, or its kind
        lexical = draw(st.sampled_from(LEXICALS) | st.text(max_size=8))
        kind = draw(st.sampled_from(["literal", "literal", "iri", "bnode"]))
        datatype = draw(st.sampled_from(DATATYPES)) if kind == "literal" else None
        triples[at] = (subject, predicate, (kind, lexical if kind != "bnode" else "n0", datatype))
    elif action == "predicate":
        choices = [*sorted({t[1] for t in triples}), INDEX, EMPTY, RDF_TYPE, "urn:x:p", ""]
        triples[at] = (subject, draw(st.sampled_from(choices)), obj)
    elif action == "index":  # the order annotation: not a number, negative, twice, misplaced
        lexical = draw(st.sampled_from(["x", "-1", "1.5", "1e3", "99999999999999999999", " 2"]))
        target = draw(st.sampled_from(nodes))
        triples.append((target, INDEX, ("literal", lexical, draw(st.sampled_from(DATATYPES)))))
    elif action == "empty":  # the empty-list annotation: unknown, contradicted, on a literal
        named = draw(
            st.sampled_from([*sorted({t[1] for t in triples}), "urn:x:p", RDF_TYPE, INDEX])
        )
        target = draw(st.sampled_from([*nodes, ("iri", ENVIRONMENT, None)]))
        value = draw(st.sampled_from([("iri", named, None), ("literal", named, XS + "string")]))
        triples.append((target, EMPTY, value))
    elif action == "type":  # rdf:type changed, doubled or dropped
        types = [i for i, t in enumerate(triples) if t[1] == RDF_TYPE] or [at]
        which = draw(st.sampled_from(types))
        classes = sorted({t[2][1] for t in triples if t[1] == RDF_TYPE}) + IRIS
        new_type = ("iri", draw(st.sampled_from(classes)), None)
        how = draw(st.sampled_from(["change", "double", "drop"]))
        if how == "change":
            triples[which] = (triples[which][0], RDF_TYPE, new_type)
        elif how == "double":
            triples.insert(which + 1, (triples[which][0], RDF_TYPE, new_type))
        else:
            del triples[which]
    elif action == "cycle":  # a node made to contain itself, directly or through its children
        cycles = cycle_candidates(triples)
        if cycles:
            index, closing = draw(st.sampled_from(cycles))
            triples[index] = closing
        else:
            triples.append((subject, predicate, subject))
    elif action == "share":  # one node the value of two parents of one type
        types = types_of(triples)
        if obj[0] == "bnode":
            alike = [t for t in subjects if types.get(t) == types.get(subject)] or subjects
            triples.append((draw(st.sampled_from(alike)), predicate, obj))
    else:  # blank nodes merged or turned into IRIs
        if subject[0] == "bnode":
            replacement = draw(st.sampled_from([*nodes, ("iri", "urn:was-blank", None)]))
            triples[:] = [
                (replacement if s == subject else s, p, replacement if o == subject else o)
                for s, p, o in triples
            ]


def types_of(triples: list[Triple]) -> dict[Term, str]:
    return {s: o[1] for s, p, o in triples if p == RDF_TYPE}


def cycle_candidates(triples: list[Triple]) -> list[tuple[int, Triple]]:
    """Triples that close a cycle the reader follows, with the position of the triple each
    replaces: ``(a, q, x)`` becomes ``(a, q, y)`` where ``y`` is ``a`` or one of its ancestors
    and of ``x``'s type (replaced, not added: the reader reads one value of a predicate that
    holds one)."""
    types = types_of(triples)
    parents: dict[Term, list[Term]] = {}
    for subject, _, obj in triples:
        if obj[0] != "literal" and obj != subject:
            parents.setdefault(obj, []).append(subject)
    found: list[tuple[int, Triple]] = []
    for index, (subject, predicate, obj) in enumerate(triples):
        if obj[0] == "literal" or obj not in types:
            continue
        seen = {subject}
        pending = [subject]
        while pending and len(seen) < 200:
            ancestor = pending.pop()
            if types.get(ancestor) == types[obj]:
                found.append((index, (subject, predicate, ancestor)))
            for parent in parents.get(ancestor, ()):
                if parent not in seen:
                    seen.add(parent)
                    pending.append(parent)
    return sorted(set(found))


def _rdf_seeds() -> list[Seed]:
    """Corpus seeds written in every RDF format, and a model of real-world ids (an IRDI, an id
    with a space, an id twice, empty lists)."""
    chosen = [seed for seed in JSON_SEEDS if seed.name.split("/")[1] in RDF_SEED_CLASSES]
    sources = [
        (seed.name, aas.load(seed.data, version=seed.version, format="json")) for seed in chosen
    ]
    real = {
        "assetAdministrationShells": [],
        "submodels": [
            {"modelType": "Submodel", "id": "urn:same", "submodelElements": []},
            {
                "modelType": "Submodel",
                "id": "urn:same",
                "idShort": "twin",
                "submodelElements": [
                    {
                        "modelType": "Property",
                        "idShort": "p",
                        "valueType": "xs:double",
                        "value": "1.0E2",
                        "semanticId": {
                            "type": "ExternalReference",
                            "keys": [
                                {"type": "GlobalReference", "value": "0112/2///61987#ABA565#009"}
                            ],
                            "referredSemanticId": {
                                "type": "ExternalReference",
                                "keys": [{"type": "GlobalReference", "value": "urn:x"}],
                            },
                        },
                    },
                    {
                        "modelType": "SubmodelElementCollection",
                        "idShort": "outer",
                        "value": [
                            {
                                "modelType": "SubmodelElementCollection",
                                "idShort": "inner",
                                "value": [
                                    {
                                        "modelType": "Property",
                                        "idShort": "leaf",
                                        "valueType": "xs:string",
                                    }
                                ],
                            }
                        ],
                    },
                    {"modelType": "MultiLanguageProperty", "idShort": "m", "value": []},
                ],
            },
        ],
        "conceptDescriptions": [
            {"modelType": "ConceptDescription", "id": cd_id}
            for cd_id in ("0173-1#02-AAO677#002", "https://example.com/cd/with space", "urn:ok")
        ],
    }
    sources.append(("real-ids", aas.load(json.dumps(real).encode(), format="json")))
    return [
        Seed(f"{fmt}/{name}", aas.dump(model, fmt).data, fmt, str(model.version))
        for name, model in sources
        for fmt in RDF_FORMATS
    ]


RDF_SEED_CLASSES = {"Submodel", "AssetAdministrationShell", "ConceptDescription", "Operation"}
RDF_SEED_CLASSES |= {"MultiLanguageProperty", "DataSpecificationIec61360"}
RDF_SEEDS = _rdf_seeds()


# rdflib (under the SHACL check) warns of each literal it cannot convert: fuzzing makes many.
@pytest.mark.filterwarnings("ignore:Parsing weird:UserWarning")
@FUZZ_SETTINGS
@given(seed=st.sampled_from(RDF_SEEDS), data=st.data())
def test_mutated_rdf_is_read_or_refused_cleanly(seed: Seed, data: st.DataObject) -> None:
    triples = parse_triples(seed.data, seed.format)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        mutate_triples(data.draw, triples)
    fmt = data.draw(st.sampled_from([seed.format] * 3 + RDF_FORMATS), label="written as")
    text = render_triples(triples, fmt)
    if data.draw(st.integers(0, 4), label="text mutation") == 0:
        text = mutate_text(data.draw, text)
    outcome = exercise(text, Seed(seed.name, text, fmt, seed.version))
    SEEN["rdf"][outcome] = SEEN["rdf"].get(outcome, 0) + 1


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


def test_the_rdf_seeds_read_in_every_format_and_offer_every_mutation() -> None:
    assert {seed.format for seed in RDF_SEEDS} == set(RDF_FORMATS)
    for seed in RDF_SEEDS:
        assert exercise(seed.data, seed) == "read", seed.name
        triples = parse_triples(seed.data, seed.format)
        assert render_triples(triples, seed.format)  # written again by hand, it reads alike
        again = aas.load(render_triples(triples, seed.format), format=seed.format)
        assert (
            aas.dump(again, "json").data
            == aas.dump(aas.load(seed.data, format=seed.format), "json").data
        )
    real = [s for s in RDF_SEEDS if s.name.endswith("real-ids")]
    for seed in real:  # a cycle the reader follows can be closed, an empty list annotated
        triples = parse_triples(seed.data, seed.format)
        assert cycle_candidates(triples)
        assert any(p == EMPTY for _, p, _ in triples)


@pytest.fixture(scope="module", autouse=True)
def _summary() -> Any:
    yield
    total = sum(sum(counts.values()) for counts in SEEN.values())
    if total:
        print(f"\nfuzz cases run: {total} {SEEN}; RDF round trips: {RDF_OUTCOMES}")
