"""The project's SHACL shapes checked natively, on the graph the RDF reader parsed.

pySHACL takes seconds for what a model of a few megabytes needs (issue 14: 6.2 s for a
3.1 MB Turtle model, 0.48 s for its JSON). The project's shapes are generated
(``aas.metamodel.schemagen``) and use a small part of SHACL: node shapes that target a class,
are closed and have property shapes with ``sh:minCount``, ``sh:maxCount``, ``sh:datatype``,
``sh:minLength``, ``sh:maxLength``, ``sh:pattern``, ``sh:in``, ``sh:class``, ``sh:or`` of
``sh:class`` and ``sh:nodeKind``. This module reads the committed shapes file (with
pyoxigraph, as the reader reads RDF), refuses any construct beyond that part, and checks
each targeted node in one pass over the graph, with SHACL's semantics as pySHACL implements
them: the same results (component, focus node, path, value) and, rendered by
``shacl_text``, the same messages. Shapes a user brings (``--schema shapes.ttl``) still go
through pySHACL (``shacl.check_with``).

Values are taken as pySHACL sees the graph once it is an rdflib graph: a literal has its
datatype (never a language: the reader keeps ``rdf:langString`` as the datatype), a
statement made twice is one, and what a length or pattern is measured on is the literal's
lexical form as rdflib normalises it (``"1"^^xs:boolean`` is ``true``).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from aas.metamodel.description import MetaClass
from aas.metamodel.rdf_names import (
    NAMESPACES,
    RDF_TYPE,
    XS_BASE64,
    XS_BOOLEAN,
    XS_INTEGER,
    XS_STRING,
)
from aas.versions import Version

from .mapping import RDFS_SUBCLASS_OF, Graph, checking_reader, predicates_of
from .terms import Blank, Iri, Literal, Subject, Term

SH = "http://www.w3.org/ns/shacl#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDF_FIRST, _RDF_REST, _RDF_NIL = _RDF + "first", _RDF + "rest", _RDF + "nil"
RDF_LANG_STRING = _RDF + "langString"
_RDFS_RESOURCE = "http://www.w3.org/2000/01/rdf-schema#Resource"

#: What a property shape may state; anything else in the shapes file is refused.
_PROPERTY_FACTS = frozenset(
    SH + name
    for name in (
        "path",
        "minCount",
        "maxCount",
        "datatype",
        "minLength",
        "maxLength",
        "pattern",
        "in",
        "class",
        "or",
        "nodeKind",
    )
)
_NODE_FACTS = frozenset(
    {RDF_TYPE, *(SH + n for n in ("targetClass", "closed", "ignoredProperties", "property"))}
)
_NODE_KINDS = {
    SH + "BlankNodeOrIRI": (Blank, Iri),
    SH + "BlankNode": (Blank,),
    SH + "IRI": (Iri,),
    SH + "Literal": (Literal,),
    SH + "BlankNodeOrLiteral": (Blank, Literal),
    SH + "IRIOrLiteral": (Iri, Literal),
}


class UnsupportedShapes(ValueError):
    """The shapes use SHACL beyond what this checker implements."""


@dataclass(frozen=True)
class PropertyShape:
    node: Subject  # the property shape's node in the shapes graph (messages name its parts)
    path: str
    min_count: Literal | None = None
    max_count: Literal | None = None
    datatype: str | None = None
    min_length: Literal | None = None
    max_length: Literal | None = None
    patterns: tuple[tuple[str, re.Pattern[str]], ...] = ()
    allowed: frozenset[Term] | None = None  # sh:in
    allowed_list: Subject | None = None
    classes: tuple[str, ...] = ()  # sh:class, each one required
    alternatives: tuple[tuple[Subject, frozenset[str]], ...] = ()  # sh:or lists of sh:class
    node_kind: str | None = None
    #: The lengths and counts as numbers (the literals above are what messages show).
    least: int | None = None
    most: int | None = None
    fewest: int | None = None
    most_values: int | None = None


@dataclass(frozen=True)
class NodeShape:
    node: Subject
    targets: tuple[str, ...]
    closed: bool
    ignored: frozenset[str]
    properties: tuple[PropertyShape, ...]
    #: Every path of the property shapes (a closed shape allows them).
    paths: frozenset[str] = field(default=frozenset())
    #: The property shapes that count values, and the property shapes by path: a node is
    #: checked by the predicates it states, not by every property its class has.
    counted: tuple[PropertyShape, ...] = ()
    by_path: dict[str, tuple[PropertyShape, ...]] = field(
        default_factory=dict, compare=False, hash=False
    )


@dataclass(frozen=True)
class Shapes:
    """Node shapes as parsed from one shapes file, with that file's triples (messages
    show parts of it)."""

    shapes: tuple[NodeShape, ...]
    graph: Graph
    #: The prefixes the file declares (rdflib binds them when it parses the file).
    prefixes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Result:
    """One SHACL validation result, as pySHACL's results graph states it."""

    component: str  # "MinCount", "Pattern", ... (the constraint component without its suffix)
    shape: NodeShape
    prop: PropertyShape | None
    focus: Subject
    path: str | None
    value: Term | None
    #: The rule the result is about, for the message (a pattern's text, a length's literal).
    rule: Any = None


# region loading the shapes


@cache
def project_shapes(version: Version) -> Shapes:
    from aas.metamodel.schemafiles import schema_folder, shapes_name

    return load_shapes((schema_folder() / shapes_name(version)).read_bytes())


def load_shapes(data: bytes) -> Shapes:
    """The node shapes a Turtle document states; UnsupportedShapes for SHACL this module does
    not implement."""
    import pyoxigraph

    graph = Graph()
    terms: dict[str, Subject] = {}

    def subject(term: Any) -> Subject:
        key = ("b" if isinstance(term, pyoxigraph.BlankNode) else "i") + term.value
        found = terms.get(key)
        if found is None:
            found = terms[key] = (
                Blank(term.value) if isinstance(term, pyoxigraph.BlankNode) else Iri(term.value)
            )
        return found

    prefixes: dict[str, str] = {}
    parsed = pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE)
    for triple in parsed:
        obj = triple.object
        value: Term = (
            Literal(obj.value, obj.datatype.value)
            if isinstance(obj, pyoxigraph.Literal)
            else subject(obj)
        )
        graph.add(subject(triple.subject), triple.predicate.value, value)
    prefixes.update(getattr(parsed, "prefixes", {}) or {})
    shapes = [
        _node_shape(graph, key)
        for key, statements in graph.statements.items()
        if (RDF_TYPE, Iri(SH + "NodeShape")) in statements
    ]
    return Shapes(tuple(shapes), graph, tuple(prefixes.items()))


def _objects(graph: Graph, node: Subject, predicate: str) -> list[Term]:
    return [o for p, o in graph.statements.get(node, ()) if p == predicate]


def _one(graph: Graph, node: Subject, predicate: str) -> Term | None:
    found = list(dict.fromkeys(_objects(graph, node, predicate)))
    if len(found) > 1:
        raise UnsupportedShapes(f"{node} has {len(found)} values of <{predicate}>")
    return found[0] if found else None


def items(graph: Graph, node: Term) -> list[Term]:
    """The members of an RDF list."""
    found: list[Term] = []
    while isinstance(node, Blank | Iri) and node != Iri(_RDF_NIL):
        first = _one(graph, node, _RDF_FIRST)
        if first is None:
            raise UnsupportedShapes(f"{node} is no well-formed RDF list")
        found.append(first)
        node = _one(graph, node, _RDF_REST) or Iri(_RDF_NIL)
    return found


def _iri(term: Term | None, what: str) -> str:
    if not isinstance(term, Iri):
        raise UnsupportedShapes(f"{what} must be an IRI")
    return term.value


def _count(term: Term | None) -> Literal | None:
    if term is None:
        return None
    if not isinstance(term, Literal) or term.datatype != XS_INTEGER:
        raise UnsupportedShapes("a count or length must be an xs:integer")
    return term


def _node_shape(graph: Graph, node: Subject) -> NodeShape:
    statements = graph.statements[node]
    unknown = {p for p, _ in statements} - _NODE_FACTS
    if unknown:
        raise UnsupportedShapes(f"the node shape {node} states {sorted(unknown)}")
    closed = _one(graph, node, SH + "closed")
    ignored = _one(graph, node, SH + "ignoredProperties")
    properties = tuple(
        _property_shape(graph, prop)
        for prop in dict.fromkeys(_objects(graph, node, SH + "property"))
        if isinstance(prop, Blank | Iri)
    )
    return NodeShape(
        node=node,
        targets=tuple(_iri(t, "sh:targetClass") for t in _objects(graph, node, SH + "targetClass")),
        closed=isinstance(closed, Literal) and closed.lexical in ("true", "1"),
        ignored=frozenset(
            _iri(item, "an ignored property") for item in (items(graph, ignored) if ignored else ())
        ),
        properties=properties,
        paths=frozenset(prop.path for prop in properties),
        counted=tuple(p for p in properties if p.fewest is not None or p.most_values is not None),
        by_path={
            path: tuple(p for p in properties if p.path == path)
            for path in dict.fromkeys(p.path for p in properties)
        },
    )


def _property_shape(graph: Graph, node: Subject) -> PropertyShape:
    statements = graph.statements.get(node, [])
    unknown = {p for p, _ in statements} - _PROPERTY_FACTS
    if unknown:
        raise UnsupportedShapes(f"the property shape {node} states {sorted(unknown)}")
    patterns = []
    for pattern in dict.fromkeys(_objects(graph, node, SH + "pattern")):
        if not isinstance(pattern, Literal):
            raise UnsupportedShapes("sh:pattern must be a literal")
        patterns.append((pattern.lexical, re.compile(pattern.lexical)))
    allowed_list = _one(graph, node, SH + "in")
    alternatives = []
    for alternative in dict.fromkeys(_objects(graph, node, SH + "or")):
        classes = []
        for member in items(graph, alternative):
            if not isinstance(member, Blank | Iri):
                raise UnsupportedShapes("a member of sh:or must be a shape")
            facts = graph.statements.get(member, [])
            if not facts or any(p != SH + "class" for p, _ in facts):
                raise UnsupportedShapes("sh:or is implemented for shapes of sh:class only")
            for _, cls in facts:
                classes.append(_iri(cls, "sh:class"))
        assert isinstance(alternative, Blank | Iri)
        alternatives.append((alternative, frozenset(classes)))
    datatype = _one(graph, node, SH + "datatype")
    kind = _one(graph, node, SH + "nodeKind")
    min_length = _count(_one(graph, node, SH + "minLength"))
    max_length = _count(_one(graph, node, SH + "maxLength"))
    if kind is not None and _iri(kind, "sh:nodeKind") not in _NODE_KINDS:
        raise UnsupportedShapes(f"unknown node kind {kind}")
    min_count = _count(_one(graph, node, SH + "minCount"))
    max_count = _count(_one(graph, node, SH + "maxCount"))
    return PropertyShape(
        node=node,
        path=_iri(_one(graph, node, SH + "path"), "sh:path (a predicate path)"),
        min_count=min_count,
        max_count=max_count,
        fewest=int(min_count.lexical) if min_count is not None else None,
        most_values=int(max_count.lexical) if max_count is not None else None,
        datatype=_iri(datatype, "sh:datatype") if datatype is not None else None,
        min_length=min_length,
        max_length=max_length,
        least=int(min_length.lexical) if min_length is not None else None,
        most=int(max_length.lexical) if max_length is not None else None,
        patterns=tuple(patterns),
        allowed=frozenset(items(graph, allowed_list)) if allowed_list is not None else None,
        allowed_list=allowed_list if isinstance(allowed_list, Blank | Iri) else None,
        classes=tuple(
            _iri(c, "sh:class") for c in dict.fromkeys(_objects(graph, node, SH + "class"))
        ),
        alternatives=tuple(alternatives),
        node_kind=kind.value if isinstance(kind, Iri) else None,
    )


# endregion

# region literals as rdflib sees them


def literal_facts(literal: Literal) -> tuple[bool, str]:
    """(ill-typed, text): whether rdflib takes the literal as ill-typed for its datatype, and
    its string as SHACL's string constraints measure it (rdflib's normalised lexical form)."""
    datatype, lexical = literal.datatype, literal.lexical
    if datatype in (XS_STRING, RDF_LANG_STRING):
        return False, lexical
    if datatype == XS_BOOLEAN:
        well_formed = lexical in ("true", "false", "1", "0")
        return not well_formed, "true" if lexical.lower() in ("1", "true") else "false"
    if datatype == XS_INTEGER:
        try:
            return False, str(int(lexical))
        except ValueError:
            return True, lexical
    if datatype == XS_BASE64:
        try:
            decoded = base64.b64decode(lexical)
        except ValueError:
            return True, lexical
        return False, base64.b64encode(decoded).decode("utf-8")
    return _rdflib_facts(lexical, datatype)


@cache
def _rdflib_facts(lexical: str, datatype: str) -> tuple[bool, str]:
    """Any other datatype: as rdflib makes it (rare in AAS data, so rdflib is imported only
    for one)."""
    made = rdflib_literal(lexical, datatype)
    ill = made.ill_typed is True
    if made.value is not None and datatype in (RDF_LANG_STRING, XS_STRING):
        return ill, str(made.value)
    return ill, str(made)


def rdflib_literal(lexical: str, datatype: str) -> Any:
    """rdflib's literal, made without the log record (a traceback) and the warning rdflib
    gives for a lexical form its datatype does not allow: that is a finding here."""
    import logging
    import warnings

    import rdflib

    logger = logging.getLogger("rdflib.term")
    was = logger.disabled
    logger.disabled = True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return rdflib.Literal(lexical, datatype=rdflib.URIRef(datatype))
    finally:
        logger.disabled = was


# endregion

# region checking


def check(graph: Graph, shapes: Shapes) -> list[Result]:
    """Every result of validating ``graph`` against ``shapes``.

    The nodes' types are the graph's own index of them; a node's values grouped by predicate
    are taken from what the reader grouped (``Graph.grouped``), where it did. The nodes the
    reader checked as it read them (``Fused``, left in ``Graph.fused``) are not checked
    again: their results are taken as they are."""
    statements = graph.statements
    types = graph.types
    fused, graph.fused = graph.fused, None
    results: list[Result] = []
    done: Collection[Subject] = ()
    if isinstance(fused, Fused) and fused.shapes is shapes:
        results, done = fused.results, fused.checked
    below: dict[str, list[str]] = {}  # class -> its direct subclasses, from the data
    if graph.subclasses:
        for key, stated in statements.items():
            for predicate, obj in stated:
                if predicate == RDFS_SUBCLASS_OF and isinstance(obj, Iri) and isinstance(key, Iri):
                    below.setdefault(obj.value, []).append(key.value)
    by_type: dict[str, list[NodeShape]] = {}
    for shape in shapes.shapes:
        for target in shape.targets:
            for cls in _closure(target, below):
                by_type.setdefault(cls, []).append(shape)

    def classes_of(value: Term) -> Collection[str]:
        """The classes ``value`` is a SHACL instance of (its types and, where the data says
        so, their superclasses)."""
        if isinstance(value, Literal):
            return ()
        found = types.get(value, ())
        if below and found:
            return set().union(*(_closure_up(t, statements) for t in found))
        return found

    grouped = graph.grouped
    types_get = types.get
    for key, classes in types.items():
        if len(classes) == 1:  # the usual case: a node of one class, one shape
            focus_shapes: Iterable[NodeShape] = by_type.get(classes[0], ())
            if key in done:
                continue
        else:
            focus_shapes = {
                id(shape): shape for cls in classes for shape in by_type.get(cls, ())
            }.values()
        if not focus_shapes:
            continue
        values = grouped.pop(key, None)
        if values is None:
            values = {}
            for predicate, obj in statements[key]:
                found = values.get(predicate)
                if found is None:
                    values[predicate] = [obj]
                else:
                    found.append(obj)
        for shape in focus_shapes:  # each drops repeated statements (one triple) itself
            checker_of(shape)(key, values, results, classes_of, types_get)
    grouped.clear()
    return results


class Fused:
    """SHACL checked while the reader reads (``mapping.to_jsonable``'s check): a node's values
    by predicate are at hand once the reader has read it, so the node is checked then, not
    grouped again in a second pass over the graph. Only nodes of one type, in a graph that
    states no rdfs:subClassOf (every node's classes are its types), each once; ``check``
    checks every other node, and takes these results as they are."""

    def __init__(self, graph: Graph, shapes: Shapes) -> None:
        self.shapes = shapes
        self.results: list[Result] = []
        self.checked: set[Subject] = set()
        self._types = graph.types
        self.types_get = graph.types.get
        self._by_type = _checkers_by_type(shapes)
        #: By class: its type IRI and the reader that checks its shape as it reads.
        self._readers: dict[str, tuple[str, Any]] = {}
        graph.fused = self

    def classes_of(self, value: Term) -> Collection[str]:
        return () if isinstance(value, Literal) else self._types.get(value, ())

    def reader(self, key: Subject, cls: MetaClass, version: Version) -> Any:
        """The reader of ``cls`` that checks the node as it reads it (``checking_reader``):
        for a node not yet checked whose one type is the class, when one shape targets the
        class and has a path for each of its properties and none besides (the project's
        shapes); else None (the node is checked once read, by ``__call__``)."""
        stated = self._types.get(key)
        if stated is None or len(stated) != 1 or key in self.checked:
            return None
        found = self._readers.get(cls.name)
        if found is None:
            found = self._readers[cls.name] = _checking_reader(self.shapes, cls, version)
        return found[1] if stated[0] == found[0] else None

    def done(self, key: Subject, results: list[Result]) -> None:
        self.checked.add(key)
        self.results += results

    def __call__(self, key: Subject, values: dict[str, list[Term]]) -> None:
        stated = self._types.get(key)
        if stated is None or len(stated) != 1:
            return
        checkers = self._by_type.get(stated[0])
        if checkers is None or key in self.checked:
            return
        self.checked.add(key)
        for checker in checkers:
            checker(key, values, self.results, self.classes_of, self.types_get)


def _checking_reader(shapes: Shapes, cls: MetaClass, version: Version) -> tuple[str, Any]:
    """(the class's type IRI, the reader that checks its shape as it reads, or None)."""
    iri = NAMESPACES[version] + cls.serialized_name
    targeting = [shape for shape in shapes.shapes if iri in shape.targets]
    if len(targeting) != 1 or set(targeting[0].by_path) != predicates_of(version, cls.name):
        return iri, None
    return iri, checking_reader(version, cls.name, shape_lines(targeting[0]))


_LINES: dict[int, tuple[NodeShape, ShapeLines]] = {}


def shape_lines(shape: NodeShape) -> ShapeLines:
    """The lines of a shape's check, made once per shape (readers are made once per class
    and lines)."""
    found = _LINES.get(id(shape))
    if found is None or found[0] is not shape:
        found = _LINES[id(shape)] = (shape, ShapeLines(shape))
    return found[1]


#: A node shape's check of one focus node: (focus, its values by predicate, the results to
#: add to, the classes of a value, the types of a node).
Checker = Callable[
    [Subject, dict[str, list[Term]], list[Result], Callable[[Term], Collection[str]], Any], None
]

_CHECKERS: dict[int, tuple[NodeShape, Checker]] = {}
_BY_TYPE: dict[int, tuple[Shapes, dict[str, tuple[Checker, ...]]]] = {}


def _checkers_by_type(shapes: Shapes) -> dict[str, tuple[Checker, ...]]:
    """The checkers of the shapes that target each class (no subclasses: ``Fused``)."""
    found = _BY_TYPE.get(id(shapes))
    if found is None or found[0] is not shapes:
        by_type: dict[str, list[Checker]] = {}
        for shape in shapes.shapes:
            for target in dict.fromkeys(shape.targets):
                by_type.setdefault(target, []).append(checker_of(shape))
        found = _BY_TYPE[id(shapes)] = (shapes, {k: tuple(v) for k, v in by_type.items()})
    return found[1]


def checker_of(shape: NodeShape) -> Checker:
    """The check of a node shape, made once per shape (``_make_checker``)."""
    found = _CHECKERS.get(id(shape))
    if found is None or found[0] is not shape:
        found = _CHECKERS[id(shape)] = (shape, _make_checker(shape))
    return found[1]


_CLASS_KINDS = (None, SH + "BlankNodeOrIRI")


class ShapeLines:
    """A node shape's check as lines of Python, by path: what runs when a node states the
    path (its values ``v``, repeated ones not yet dropped), what runs when it does not, and
    the closed shape's check at the end (with ``stated``, the number of paths the node
    states). The names the lines use are in ``env``; the lines expect ``focus``, ``values``,
    ``results``, ``classes_of`` and ``types_get`` (``Checker``'s arguments) and use ``v``,
    ``n``, ``t``, ``item`` and ``text`` themselves. ``_make_checker`` makes a check of them;
    the reader of the shape's class can run them as it reads (``mapping._class_reader``)."""

    def __init__(self, shape: NodeShape) -> None:
        self.shape = shape
        self.env: dict[str, Any] = {
            "Result": Result,
            "Literal": Literal,
            "Iri": Iri,
            "XS_STRING": XS_STRING,
            "shape": shape,
            "_check_values": _check_values,
            "_closed": _closed,
        }
        self._index = {path: i for i, path in enumerate(shape.by_path)}

    @property
    def paths(self) -> Collection[str]:
        return self._index.keys()

    def _counts(self, path: str) -> tuple[list[str], list[str]]:
        """(the count results of no value, the count checks of ``n`` values)."""
        i = self._index[path]
        absent: list[str] = []
        counts: list[str] = []
        for j, prop in enumerate(self.shape.by_path[path]):
            self.env[f"s_prop{i}_{j}"], self.env[f"s_path{i}"] = prop, path
            here = f"shape, s_prop{i}_{j}, focus, s_path{i}"
            for component, bound, below in (
                ("MinCount", prop.fewest, True),
                ("MaxCount", prop.most_values, False),
            ):
                if bound is None:
                    continue
                result = f"results.append(Result({component!r}, {here}, None))"
                if (bound > 0) if below else (bound < 0):  # no value fails it
                    absent.append(f"        {result}")
                compared = f"n {'<' if below else '>'} {bound}"
                counts += [f"        if {compared}:", f"            {result}"]
        return absent, counts

    def absent(self, path: str) -> list[str]:
        """What runs (inside an ``if``) when the node states no value of ``path``."""
        return self._counts(path)[0]

    def present(self, path: str) -> list[str]:
        """What runs (inside an ``if``) on the values ``v`` the node states of ``path``."""
        i = self._index[path]
        _, counts = self._counts(path)
        lines = ["        if len(v) > 1:", "            v = list(dict.fromkeys(v))"]  # one triple
        if counts:
            lines += ["        n = len(v)", *counts]
        for j, prop in enumerate(self.shape.by_path[path]):
            lines += _value_lines(self.env, prop, f"s_prop{i}_{j}", f"s_path{i}")
        return lines

    def end(self) -> list[str]:
        """The closed shape's check: only when the node states a predicate beyond the paths
        counted in ``stated`` and those the shape ignores."""
        if not self.shape.closed:
            return []
        ignored = [p for p in sorted(self.shape.ignored) if p not in self.shape.by_path]
        stated = ["stated"]
        for k, predicate in enumerate(ignored):
            self.env[f"s_ignored{k}"] = predicate
            stated.append(f"(s_ignored{k} in values)")
        return [
            f"    if len(values) != {' + '.join(stated)}:",
            "        _closed(focus, values, shape, results)",
        ]


def _make_checker(shape: NodeShape) -> Checker:
    """A node shape's check as straight-line Python, made from the shape (as the reader's
    classes are made from the metamodel): each path looked up once, the counts and the common
    values (an xs:string literal, a node of the one class allowed, an IRI of an sh:in list)
    checked inline, any other value by ``_check_values``, which checks every constraint. The
    results are those of checking every constraint of every property shape on the node, in
    another order (``shacl.check`` sorts them)."""
    made = ShapeLines(shape)
    lines = ["def check(focus, values, results, classes_of, types_get):", "    stated = 0"]
    for i, path in enumerate(made.paths):
        lines.append(f"    v = values.get(s_path{i})")
        absent = made.absent(path)
        if absent:
            lines += ["    if v is None:", *absent, "    else:"]
        else:
            lines.append("    if v is not None:")
        lines += ["        stated += 1", *made.present(path)]
    lines += made.end()
    exec(compile("\n".join(lines), "<SHACL check>", "exec"), made.env)
    checker: Checker = made.env["check"]
    return checker


def _value_lines(env: dict[str, Any], prop: PropertyShape, name: str, path: str) -> list[str]:
    """The lines that check the values ``v`` of one property shape (inside ``if v``), each
    value as ``item``."""
    here = f"shape, {name}, focus, {path}"
    generic = f"_check_values(focus, (item,), shape, {name}, classes_of, results)"
    strings = prop.min_length is not None or prop.max_length is not None or prop.patterns
    plain = prop.allowed is None and not prop.classes and not prop.alternatives
    if prop.datatype == XS_STRING and plain and prop.node_kind is None:
        lines = [
            "        for item in v:",
            "            if type(item) is Literal and item.datatype == XS_STRING:",
            "                text = item.lexical",
        ]
        if strings and prop.least:
            lines += [
                f"                if len(text) < {prop.least}:",
                f"                    results.append(Result('MinLength', {here}, item, "
                f"{name}.min_length))",
            ]
        if strings and prop.most is not None:
            lines += [
                f"                if len(text) > {prop.most}:",
                f"                    results.append(Result('MaxLength', {here}, item, "
                f"{name}.max_length))",
            ]
        for k, (pattern, compiled) in enumerate(prop.patterns):
            env[f"{name}_search{k}"], env[f"{name}_pattern{k}"] = compiled.search, pattern
            lines += [
                f"                if {name}_search{k}(text) is None:",
                f"                    results.append(Result('Pattern', {here}, item, "
                f"{name}_pattern{k}))",
            ]
        return [*lines, "            else:", f"                {generic}"]
    nodes = prop.datatype is None and not strings and prop.node_kind in _CLASS_KINDS
    if nodes and prop.allowed is None and (prop.classes or prop.alternatives):
        if len(prop.classes) > 1:
            return [f"        _check_values(focus, v, shape, {name}, classes_of, results)"]
        tests = []
        if prop.classes:
            env[f"{name}_class"] = prop.classes[0]
            tests.append(f"t[0] != {name}_class")
        for k, (_, allowed) in enumerate(prop.alternatives):
            env[f"{name}_or{k}"] = allowed
            tests.append(f"t[0] not in {name}_or{k}")
        return [
            "        for item in v:",
            "            t = types_get(item)",
            f"            if t is None or len(t) != 1 or {' or '.join(tests)}:",
            f"                {generic}",
        ]
    if (
        prop.allowed is not None
        and prop.datatype is None
        and not strings
        and not prop.classes
        and not prop.alternatives
        and prop.node_kind is None
    ):
        env[f"{name}_in"] = prop.allowed
        return [
            "        for item in v:",
            f"            if type(item) is not Iri or item not in {name}_in:",
            f"                {generic}",
        ]
    return [f"        _check_values(focus, v, shape, {name}, classes_of, results)"]


def _closed(
    focus: Subject, values: dict[str, list[Term]], shape: NodeShape, results: list[Result]
) -> None:
    """A closed shape's results: a value of a predicate the shape has no path for."""
    for predicate, given in values.items():
        if predicate not in shape.by_path and predicate not in shape.ignored:
            for obj in dict.fromkeys(given):  # a statement made twice is one triple
                if predicate == RDF_TYPE and obj == Iri(_RDFS_RESOURCE):
                    continue
                results.append(Result("Closed", shape, None, focus, predicate, obj))


def _closure(cls: str, below: dict[str, list[str]]) -> set[str]:
    """``cls`` and every class that is a subclass of it in the data (rdfs:subClassOf)."""
    found = {cls}
    pending = [cls]
    while pending:
        for sub in below.get(pending.pop(), ()):
            if sub not in found:
                found.add(sub)
                pending.append(sub)
    return found


def _closure_up(cls: str, statements: dict[Subject, list[tuple[str, Term]]]) -> set[str]:
    """``cls`` and every class it is a subclass of in the data."""
    found = {cls}
    pending = [cls]
    while pending:
        for predicate, obj in statements.get(Iri(pending.pop()), ()):
            if predicate == RDFS_SUBCLASS_OF and isinstance(obj, Iri) and obj.value not in found:
                found.add(obj.value)
                pending.append(obj.value)
    return found


def _check_values(
    focus: Subject,
    given: Iterable[Term],
    shape: NodeShape,
    prop: PropertyShape,
    classes_of: Any,
    results: list[Result],
) -> None:
    path = prop.path
    strings = prop.min_length is not None or prop.max_length is not None or prop.patterns
    for value in given:
        # What the string constraints measure: a literal's (normalised) lexical form, an
        # IRI; a blank node has none and fails them.
        text: str | None
        if type(value) is Literal and value.datatype == XS_STRING:  # most values: fast
            ill_typed, text = False, value.lexical
        elif isinstance(value, Literal):
            ill_typed, text = literal_facts(value)
        else:
            ill_typed, text = False, value.value if isinstance(value, Iri) else None
        if prop.datatype is not None and (
            not isinstance(value, Literal) or value.datatype != prop.datatype or ill_typed
        ):
            results.append(Result("Datatype", shape, prop, focus, path, value))
        if strings:
            least, most = prop.least, prop.most
            if least and (text is None or len(text) < least):
                results.append(
                    Result("MinLength", shape, prop, focus, path, value, prop.min_length)
                )
            if most is not None and (text is None or len(text) > most):
                results.append(
                    Result("MaxLength", shape, prop, focus, path, value, prop.max_length)
                )
            for pattern, compiled in prop.patterns:
                if text is None or compiled.search(text) is None:
                    results.append(Result("Pattern", shape, prop, focus, path, value, pattern))
        if prop.allowed is not None and value not in prop.allowed:
            results.append(Result("In", shape, prop, focus, path, value))
        if prop.classes or prop.alternatives:
            instance_of = classes_of(value)
            for cls in prop.classes:
                if cls not in instance_of:
                    results.append(Result("Class", shape, prop, focus, path, value, cls))
            for alternative, allowed in prop.alternatives:
                if not any(cls in allowed for cls in instance_of):
                    results.append(Result("Or", shape, prop, focus, path, value, alternative))
        if prop.node_kind is not None and not isinstance(value, _NODE_KINDS[prop.node_kind]):
            results.append(Result("NodeKind", shape, prop, focus, path, value))


# endregion
