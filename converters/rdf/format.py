"""RDF per the official AAS mapping: Turtle, N-Triples, JSON-LD and RDF/XML.

The mapping itself is ``aas.converters.rdf.mapping``; this module reads and writes the
serialisations.
Reading goes through pyoxigraph (fast, and it keeps the order in which a document states its
triples, which is the order a list takes when the document has no order annotations); JSON-LD
with a remote context is never fetched. Turtle, N-Triples and JSON-LD are written here as text,
streaming and deterministic (same model, same bytes); RDF/XML through pyoxigraph.

An identifiable's IRI follows one rule in every format (``aas.rdfids``): an id
that is an absolute IRI is its own IRI, any other id is percent-encoded behind a base
(``urn:aas-toolkit:id/`` unless ``rdf_base`` says otherwise), and no two identifiables share
a node. Reading takes ids from the ``Identifiable/id`` literal, never from the IRI; relative
IRIs in a document are resolved against the same default base.
"""

from __future__ import annotations

import json
import re
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import orjson

from aas.codec import (
    Check,
    Codec,
    Document,
    ReadContext,
    WriteContext,
    report_package_not_carried,
    unrepresentable,
)
from aas.errors import FindingsError, ReadError, WriteError
from aas.findings import Finding, Location, Severity, escape_pointer_token, pointer
from aas.limits import Limits
from aas.metamodel.classes import identifiables
from aas.metamodel.jsonbuild import from_jsonable
from aas.metamodel.paths import jsonization_tokens
from aas.metamodel.rdf_names import EMPTY, INDEX, NAMESPACES, XS, XS_STRING
from aas.model import Model
from aas.rdfids import DEFAULT_BASE, iris_of
from aas.versions import DEFAULT_JSON_VERSION, binding

from ..json.format import _deeper_than
from . import native
from .mapping import (
    Annotations,
    Graph,
    Node,
    deeper_than,
    iter_nodes,
    iter_triples,
    lazy_environment,
    node_at,
    ntriples,
    to_jsonable,
    version_of_graph,
)
from .oxiterms import _Terms
from .shacl import check as shacl_check
from .shacl import check_with as shacl_check_with
from .shapes import Fused, project_shapes
from .terms import Blank, Iri, Literal, Subject, Term, convert, escape_string

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_DOCTYPE = re.compile(rb"<!doctype", re.IGNORECASE)


class RdfDocument(Document[Graph]):
    """RDF text and its triples. Findings about the model point into it by JSON pointers
    (the model's own structure), which the text has no lines for; SHACL findings name the
    focus node and the path."""

    style = "json"

    def __init__(
        self,
        text: bytes,
        source: str | None,
        graph: Graph | None,
        store: Any = None,
        codec: RdfCodec | None = None,
    ) -> None:
        super().__init__(text, source)
        self._graph = graph
        #: The compiled parser's store (``native.parse``), while the graph is not made: the
        #: graph is made from the text only when something asks for ``tree``.
        self.store = store
        self._codec = codec
        #: Whether the compiled reading checked the project's shapes and found nothing.
        self.shacl_clean = False
        #: What the model was read from (the jsonable and the node of each of its objects),
        #: kept when the schema is checked too, until ``pointers`` is first asked for.
        self.read: tuple[dict[str, Any], dict[int, Subject]] | None = None
        self._pointers: dict[str, str] | None = None

    @property
    def pointers(self) -> dict[str, str]:
        """The JSON pointer of each node the model was read from, by the node's name in
        findings (``_:label``, ``<iri>``); empty unless the schema is checked too. Made on
        first use: only SHACL findings need it, and a model most often has none."""
        if self._pointers is None:
            self._pointers = {}
            if self.read is not None:
                _pointers_of_nodes(*self.read, self._pointers)
                self.read = None
        return self._pointers

    @property
    def tree(self) -> Graph:
        if self._graph is None:  # parsed by the compiled parser: the graph made when asked
            assert self._codec is not None
            self.store = None
            self._graph = self._codec._graph(self.text, self.source)
        return self._graph

    def targets(self, finding: Finding) -> list[Hashable]:
        """A SHACL finding's defect is at the property (its path) of its focus node: the
        pointer the model's findings use for it, so that one defect seen by SHACL and by the
        metamodel (an idShort's pattern) is reported once."""
        where = finding.location
        if finding.rule.startswith("shacl:") and where.focus and where.path:
            found = self.pointers.get(where.focus)
            if found is not None:
                name = where.path.strip("<>").rsplit("/", 1)[-1]
                return [f"{found}/{escape_pointer_token(name)}"]
        return super().targets(finding)


@dataclass(frozen=True)
class RdfCodec(Codec[RdfDocument]):
    """One RDF serialisation, plugged into ``aas.formats`` like any other format."""

    name: str
    oxigraph_format: str  # the pyoxigraph RdfFormat member that parses it

    def parse(self, data: bytes, context: ReadContext) -> RdfDocument:
        if self.name == "Turtle":
            store = native.parse(data)  # None: the Python reader parses it
            if store is not None:
                return RdfDocument(data, context.source, None, store, self)
        return RdfDocument(data, context.source, self._graph(data, context.source))

    def build(self, document: RdfDocument, context: ReadContext) -> Model:
        """The model a parsed graph holds; a ReadError (with its rule) when there is none."""
        findings: list[Finding] = []
        keep = document if Check.SCHEMA in context.checks else None
        theirs = context.schemas.shacl if context.schemas is not None else None
        if document.store is not None and theirs is None:
            made = _build_natively(document, context, shacl=keep is not None)
            if made is not None:
                return made
        try:
            return _build(document.tree, context, findings, keep, group=theirs is None)
        except ReadError:
            document.findings.extend(findings)  # noticed before no model could be built
            raise

    def check_schema(self, document: RdfDocument, context: ReadContext) -> list[Finding] | None:
        """SHACL: the project's shapes of the version (checked natively), or the shapes the
        caller brought (by pySHACL); None when the graph names no version of the metamodel
        and no shapes were brought."""
        theirs = context.schemas.shacl if context.schemas is not None else None
        if theirs is None and document.shacl_clean:
            document.read = None
            return []  # the compiled reading checked the project's shapes: no result
        graph = document.tree
        found: list[Finding] | None
        if theirs is not None:
            found = shacl_check_with(graph, theirs.graph, context.source)
        else:
            version = context.version or version_of_graph(graph)
            found = shacl_check(graph, version, context.source) if version else None
        if not found:
            document.read = None  # no SHACL finding to place: the jsonable can go
        return found

    def _graph(self, data: bytes, source: str | None) -> Graph:
        """The triples of ``data``; a ReadError for bad syntax, a DOCTYPE in RDF/XML, or
        nodes nested deeper than the nesting-depth limit."""
        import pyoxigraph

        if self.oxigraph_format == "RDF_XML" and (found := _DOCTYPE.search(data)):
            # pyoxigraph expands the internal entities of a DOCTYPE: a few hundred bytes of
            # nested entities ("billion laughs") would become gigabytes of text. It takes a
            # DOCTYPE in any letter case and even inside the root element, so one is refused
            # wherever it stands (also in a comment: AAS documents need none).
            raise ReadError(
                "the RDF/XML document has a DOCTYPE declaration; AAS documents need none and "
                "it is refused, because entity expansion is how XML attacks begin",
                Location(file=source, line=data.count(b"\n", 0, found.start()) + 1),
                rule="xml:doctype",
            )
        limits = Limits.from_environment()
        if self.oxigraph_format == "JSON_LD":
            _refuse_deep_json(data, source, limits)
        graph = Graph()
        fmt = getattr(pyoxigraph.RdfFormat, self.oxigraph_format)
        try:
            triples = pyoxigraph.parse(data, format=fmt, base_iri=DEFAULT_BASE)
            _Terms(pyoxigraph).fill(graph, triples)
        except MemoryError as error:
            if "buffer maximal size" not in str(error):
                raise
            raise ReadError(
                f"the {self.name} holds a value longer than pyoxigraph, which reads RDF here, "
                "takes (16 MiB on one line of Turtle or N-Triples, 8 MiB in one JSON-LD string; "
                "RDF/XML has no such limit)",
                Location(file=source),
                rule="rdf:text-length",
            ) from None
        except SyntaxError as error:
            line, column = _position(error)
            raise ReadError(
                f"not well-formed {self.name}: {_explained(error)}",
                Location(file=source, line=line, column=column),
                rule="rdf:syntax",
            ) from None
        except (ValueError, OSError) as error:
            raise ReadError(
                f"not well-formed {self.name}: {_explained(error)}",
                Location(file=source),
                rule="rdf:syntax",
            ) from None
        limit = limits.max_nesting_depth
        deep = deeper_than(graph, limit)
        if deep is not None:
            raise ReadError(
                f"the RDF nests nodes deeper than {limit} levels, starting at {_shown(deep)} "
                "(the nesting-depth limit; raise it with AAS_MAX_NESTING_DEPTH)",
                Location(file=source),
                rule="rdf:nesting-depth",
            )
        return graph

    def write(self, model: Model, stream: BinaryIO, context: WriteContext) -> None:
        report_package_not_carried(model, context, self.name)
        class_name = model.class_name
        if class_name == "Environment":
            # Turtle and N-Triples are written one identifiable at a time, from a jsonable
            # made for it alone; JSON-LD and RDF/XML need the whole graph at once.
            jsonable = lazy_environment(model.root, model.version)
            ids = [item.id for item in identifiables(model.root)]
        else:
            jsonable = binding(model.version).jsonization.to_jsonable(model.root)
            if "id" not in jsonable:
                raise WriteError(
                    f"the RDF mapping has no place for a lone {class_name}: it writes an "
                    "Environment or an identifiable",
                    Location(file=context.target),
                )
            ids = [jsonable["id"]]
        iris = iris_of(ids, context.rdf_base)
        namespace = NAMESPACES[model.version]
        annotations = Annotations(context.rdf_order, context.findings, context.target)
        # a generator: the nodes are made only when a writer takes them (N-Triples does not)
        nodes = iter_nodes(jsonable, class_name, model.version, annotations, iris)
        if self.name == "Turtle":
            _write_turtle(nodes, namespace, stream, annotations.on, context.target)
        elif self.name == "N-Triples":
            lines = ntriples(jsonable, class_name, model.version, annotations, iris)
            _write_lines(lines, stream, context.target)
        elif self.name == "JSON-LD":
            _write_jsonld(list(nodes), namespace, stream, annotations.on, context.target)
        else:
            nodes_list = list(nodes)
            _refuse_what_xml_cannot_hold(nodes_list, context.target)
            _write_with_oxigraph(nodes_list, stream, self.oxigraph_format, namespace)


def _build(
    graph: Graph,
    context: ReadContext,
    findings: list[Finding],
    keep: RdfDocument | None = None,
    group: bool = False,
) -> Model:
    """The model ``graph`` holds; what building notices goes to ``findings``; what it was
    read from to ``keep.read`` (when given), for the pointers of SHACL findings."""
    version = context.version or version_of_graph(graph)
    if version is None:
        if graph.statements:
            raise ReadError(
                "the RDF holds no node typed in an AAS namespace ("
                + " or ".join(NAMESPACES.values())
                + ")",
                Location(file=context.source),
                rule="rdf:namespace",
            )
        version = DEFAULT_JSON_VERSION
    origins: dict[int, Subject] = {}
    # The project's shapes are checked next over the same nodes: each node as it is read,
    # where its classes are its types (issue 14); else grouped once, for both. Keeping every
    # node's grouping until the check costs more than grouping the few nodes left again.
    ours = keep is not None and group
    check = Fused(graph, project_shapes(version)) if ours and not graph.subclasses else None
    jsonable = to_jsonable(
        graph,
        version,
        context.source,
        findings,
        origins=origins,
        group=ours and check is None,
        check=check,
    )
    if keep is not None:
        keep.read = (jsonable, origins)
    bound = binding(version)
    try:
        root = from_jsonable(bound, jsonable, "Environment")
    except bound.jsonization.DeserializationException as error:
        tokens = jsonization_tokens(error.path)
        node = node_at(jsonable, tokens, origins)
        raise ReadError(
            f"cannot read as an AAS V{version} model: {error.cause} (at "
            + (f"the node {node}, " if node else "the node ")
            + f"reached by {pointer(tokens) or 'the top'} in JSON terms)",
            Location(file=context.source),
            rule="model:type",
        ) from None
    return Model(root=root, version=version, source=context.source, findings=findings)


def _build_natively(document: RdfDocument, context: ReadContext, shacl: bool) -> Model | None:
    """The model the compiled reader reads from the document's store (``native.read``), or
    None: it handed over, and the Python reader reads the document from its text. It reads
    only what the Python reader reads with no finding (and, with ``shacl``, where the
    project's shapes give no result), so the model has no findings.

    The nesting-depth check of ``_graph`` (``deeper_than``) is kept in effect: the compiled
    reading reaches every node of the store exactly once, from an identifiable, along the
    only links there are (an enumeration value that is also a node, an index annotation
    that is not a literal, hand over), so no path is longer than the depth it checks."""
    store, document.store = document.store, None
    version = context.version or native.version_of(store)
    if version is None:
        return None
    limit = Limits.from_environment().max_nesting_depth
    made = native.read(store, version, limit, shacl)
    if isinstance(made, str):
        return None
    bound = binding(version)
    try:
        root = from_jsonable(bound, made[0], "Environment")
    except bound.jsonization.DeserializationException:
        return None  # the Python reader names the node in its message
    document.shacl_clean = shacl
    return Model(root=root, version=version, source=context.source, findings=[])


def _pointers_of_nodes(
    jsonable: dict[str, Any], origins: dict[int, Subject], pointers: dict[str, str]
) -> None:
    """The JSON pointer of each object of ``jsonable`` read from a node, by the node's name."""
    pending: list[tuple[Any, str]] = [(jsonable, "")]
    while pending:
        value, at = pending.pop()
        if isinstance(value, dict):
            node = origins.get(id(value))
            if node is not None:
                pointers.setdefault(str(node), at)
            items: Iterable[tuple[Any, Any]] = value.items()
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            continue
        for key, item in items:
            if isinstance(item, dict | list):
                pending.append((item, f"{at}/{escape_pointer_token(str(key))}"))


#: pyoxigraph's JSON-LD parser recurses once per level of objects: some 3,000 levels overflow
#: the main thread's stack and the process dies (a segmentation fault, no exception).
_JSONLD_MAX_DEPTH = 1000


def _refuse_deep_json(data: bytes, source: str | None, limits: Limits) -> None:
    """Refuse JSON-LD that nests deeper than a model within the limits is written (every value
    is an object in an array, so about twice its JSON's depth), before pyoxigraph sees it."""
    limit = min(2 * limits.max_nesting_depth + 8, _JSONLD_MAX_DEPTH)
    if _deeper_than(data, limit):
        raise ReadError(
            f"the JSON-LD nests deeper than {limit} levels of objects and arrays (twice the "
            f"nesting-depth limit, at most {_JSONLD_MAX_DEPTH}; raise it with "
            "AAS_MAX_NESTING_DEPTH)",
            Location(file=source),
            rule="rdf:nesting-depth",
        )


def _shown(key: Subject) -> str:
    """The node as N-Triples names it, shortened to 80 characters of its IRI or label."""
    if isinstance(key, Iri):
        return str(Iri(key.value if len(key.value) <= 80 else key.value[:77] + "..."))
    return str(Blank(key.label if len(key.label) <= 80 else key.label[:77] + "..."))


def _explained(error: Exception) -> str:
    message = str(getattr(error, "msg", None) or error)
    if "LoadDocumentCallback" in message:
        return "it names a remote JSON-LD context, and remote documents are never fetched"
    return message


def _position(error: SyntaxError) -> tuple[int | None, int | None]:
    """pyoxigraph's line and column, both 1-based."""
    if error.lineno:
        return error.lineno, error.offset
    found = re.search(r"line (\d+) column (\d+)", str(error))
    return (int(found.group(1)), int(found.group(2))) if found else (None, None)


# region writers

#: What pyoxigraph reads back (see ``RdfCodec.parse``): a token with what precedes it on its
#: line of at most 16 MiB in Turtle and N-Triples, a JSON string of at most 8 MiB in JSON-LD
#: (its buffer doubles up to 16 MiB). The writers refuse what would exceed them, less a margin.
_MAX_LINE_BYTES = 16 * 1024 * 1024 - 4096
_MAX_JSON_STRING_BYTES = 8 * 1024 * 1024 - 4096


def _check_length(
    text: str, limit: int, format_name: str, target: str | None, written: bytes | None = None
) -> None:
    """A FindingsError when ``text`` (a line of Turtle or N-Triples, or a JSON-LD string, as
    ``written`` if given) takes more than ``limit`` bytes."""
    if written is None and len(text) * 4 <= limit:  # the common case, encoding nothing
        return
    size = len(written if written is not None else text.encode("utf-8", "surrogatepass"))
    if size <= limit:
        return
    where = "in one JSON-LD string" if format_name == "JSON-LD" else f"on a line of {format_name}"
    finding = Finding(
        Severity.ERROR,
        "rdf:text-length",
        f"{text.strip()[:60]!r}... takes {size:,} bytes {where}, more than pyoxigraph reads "
        f"back ({limit:,}); nothing was written (RDF/XML holds it)",
        Location(file=target),
    )
    message = f"the model cannot be written as {format_name}: {finding.message}"
    raise FindingsError(message, [finding])


def _write_turtle(
    nodes: Iterable[Node], namespace: str, stream: BinaryIO, order: bool, target: str | None
) -> None:
    out: list[str] = [
        f"@prefix aas: <{namespace}> .\n",
        f"@prefix rdf: <{_RDF}> .\n",
        f"@prefix xs: <{XS}> .\n",
    ]
    if order:
        out.append(
            f"# <{INDEX}> holds the position of a list item (from 0), <{EMPTY}> names a list\n"
            "# that is there and empty.\n"
        )

    def body(node: Node, depth: int) -> None:
        pad = "    " * depth
        if node.type:
            out.append(f"rdf:type aas:{node.type.removeprefix(namespace)} ;\n")
        else:  # the Environment's annotation node has no type
            out.append("\n")
        for predicate, obj in node.statements:
            out.append(f"{pad}<{predicate}> ")
            if isinstance(obj, Node) and obj.iri is None:
                out.append("[\n" + pad + "    ")
                body(obj, depth + 1)
                out.append(f"{pad}] ;\n")
            elif isinstance(obj, Node):
                out.append(f"<{obj.iri}> ;\n")
            elif isinstance(obj, Iri):
                out.append(f"<{obj.value}> ;\n")
            else:
                line = _turtle_literal(obj)
                _check_length(f"{pad}<{predicate}> {line}", _MAX_LINE_BYTES, "Turtle", target)
                out.append(line + " ;\n")

    for node in nodes:
        _check_length(node.iri or "", _MAX_LINE_BYTES, "Turtle", target)
        out.append(f"\n<{node.iri}>" + (" " if node.type else ""))
        body(node, 1)
        out.append(".\n")
        if len(out) > 4096:
            stream.write("".join(out).encode("utf-8"))
            out.clear()
    stream.write("".join(out).encode("utf-8"))


def _turtle_literal(literal: Literal) -> str:
    if literal.datatype == XS_STRING:
        return f'"{escape_string(literal.lexical)}"^^xs:string'
    if literal.datatype.startswith(XS):
        return f'"{escape_string(literal.lexical)}"^^xs:{literal.datatype.removeprefix(XS)}'
    return str(literal)


def _write_lines(lines: Iterator[str], stream: BinaryIO, target: str | None) -> None:
    out: list[str] = []
    for line in lines:
        _check_length(line, _MAX_LINE_BYTES, "N-Triples", target)
        out.append(line)
        if len(out) > 8192:
            stream.write("".join(out).encode("utf-8"))
            out.clear()
    stream.write("".join(out).encode("utf-8"))


def _write_jsonld(
    nodes: list[Node], namespace: str, stream: BinaryIO, order: bool, target: str | None
) -> None:
    """Compact JSON-LD with its context inline, so reading it needs no network.

    The context's terms end in ``_``, which no IRI scheme may hold: a JSON-LD processor
    expands ``prefix:rest`` in an ``@id`` whenever ``prefix`` is a term, so a term ``aas``
    would turn an id ``aas:motor-1`` into another IRI."""
    context: dict[str, Any] = {"aas_": namespace, "xs_": XS}
    if order:
        context |= {"index_": {"@id": INDEX}, "empty_": {"@id": EMPTY, "@type": "@id"}}
    keys = {INDEX: "index_", EMPTY: "empty_"}

    def compact(iri: str) -> str:
        return "aas_:" + iri.removeprefix(namespace) if iri.startswith(namespace) else iri

    def check(text: str) -> None:
        if len(text) * 6 > _MAX_JSON_STRING_BYTES:  # else no escaping can make it too long
            written = orjson.dumps(text)
            _check_length(text, _MAX_JSON_STRING_BYTES, "JSON-LD", target, written)

    def obj(node: Node) -> dict[str, Any]:
        value: dict[str, Any] = {}
        if node.iri is not None:
            check(node.iri)
            value["@id"] = node.iri
        if node.type:  # the Environment's annotation node has none
            value["@type"] = compact(node.type)
        for predicate, item in node.statements:
            key = keys.get(predicate) or compact(predicate)
            if isinstance(item, Node):
                entry: Any = obj(item) if item.iri is None else {"@id": item.iri}
            elif isinstance(item, Iri):
                entry = compact(item.value) if predicate == EMPTY else {"@id": compact(item.value)}
            else:
                check(item.lexical)
                entry = {"@value": item.lexical, "@type": "xs_:" + item.datatype.removeprefix(XS)}
            value.setdefault(key, []).append(entry)
        return value

    document = {"@context": context, "@graph": [obj(node) for node in nodes]}
    try:
        text = orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError:  # deeper than orjson writes (254 levels): a deep model
        text = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    stream.write(text)


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _refuse_what_xml_cannot_hold(nodes: list[Node], target: str | None) -> None:
    """RDF/XML holds literals as XML text: a character XML 1.0 cannot hold (U+0001, ...)
    stops the conversion with a finding, before anything is written."""
    pending = list(nodes)
    while pending:
        node = pending.pop()
        for _, obj in node.statements:
            if isinstance(obj, Node):
                pending.append(obj)
            elif isinstance(obj, Literal) and (bad := _NOT_XML.search(obj.lexical)):
                raise unrepresentable(
                    "rdf:unrepresentable-character",
                    "RDF/XML",
                    obj.lexical,
                    bad.group(),
                    target,
                    "RDF/XML (XML 1.0) cannot hold (Turtle, N-Triples and JSON-LD can)",
                )


def _write_with_oxigraph(nodes: list[Node], stream: BinaryIO, fmt: str, namespace: str) -> None:
    import pyoxigraph

    def literal(lexical: str, datatype: str) -> Any:
        return pyoxigraph.Literal(lexical, datatype=pyoxigraph.NamedNode(datatype))

    def term(value: Term) -> Any:
        return convert(value, pyoxigraph.NamedNode, pyoxigraph.BlankNode, literal)

    triples = (
        pyoxigraph.Triple(term(s), pyoxigraph.NamedNode(p), term(o))
        for s, p, o in iter_triples(nodes)
    )
    pyoxigraph.serialize(
        triples,
        stream,
        format=getattr(pyoxigraph.RdfFormat, fmt),
        prefixes={"aas": namespace, "rdf": _RDF, "xs": XS},
    )


# endregion

TURTLE = RdfCodec("Turtle", "TURTLE")
NTRIPLES = RdfCodec("N-Triples", "N_TRIPLES")
JSONLD = RdfCodec("JSON-LD", "JSON_LD")
RDFXML = RdfCodec("RDF/XML", "RDF_XML")
