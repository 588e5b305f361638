"""The official AAS RDF mapping, both ways, driven by the metamodel description.

A model becomes a tree of nodes: every instance is a node with an ``rdf:type``; identifiables
are IRI nodes named by their id, everything else a blank node; a property is the predicate
``<ns><DeclaringClass>/<property>`` (``.../Referable/idShort``); strings are ``xs:string``
literals holding the lexical value, booleans ``xs:boolean``, binary data ``xs:base64Binary``;
enumeration literals are IRIs (``.../KeyTypes/GlobalReference``). An Environment has no node
of its own: its identifiables are the top-level nodes.

Order: RDF keeps no order among the values of one predicate, although the order of a
Reference's keys is its meaning. So every item of a list (and every identifiable of an
Environment) gets an ``<urn:aas-toolkit:rdf:index>`` literal, its position counted from 0, in a
namespace of this project; readers that do not know it see plain extra triples. It is on by
default and off with ``order=False`` for strictly official output; reading RDF without it keeps
the order in which the document states the values.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

from aas.errors import ReadError
from aas.findings import Finding, Location, Severity
from aas.limits import Limits
from aas.metamodel.description import MetaClass, Metamodel, Property, describe
from aas.metamodel.names import serialized_name
from aas.metamodel.rdf_names import (
    EMPTY,
    ENVIRONMENT,
    INDEX,
    NAMESPACES,
    RDF_TYPE,
    XS_BASE64,
    XS_BOOLEAN,
    XS_INTEGER,
    XS_STRING,
    enum_iris,
    version_of_namespace,
)
from aas.versions import Version, binding

from .terms import Blank, Iri, Literal, Subject, Term, escape_string

RDFS_SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


@dataclass
class Node:
    """A subject: an IRI node (``iri`` set) or a blank node, with its statements in order."""

    type: str
    iri: str | None = None
    statements: list[tuple[str, Iri | Literal | Node]] = field(default_factory=list)


# region model -> nodes


@dataclass
class Annotations:
    """How a writer treats what the official mapping cannot say (order, empty lists).

    ``on`` writes the project's annotations (``INDEX``, ``EMPTY``); with it off, each empty
    list left out is reported in ``findings`` (by its JSON pointer), never dropped in silence.
    """

    on: bool = True
    findings: list[Finding] = field(default_factory=list)
    target: str | None = None

    def empty_list_dropped(self, where: str) -> None:
        self.findings.append(
            Finding(
                Severity.WARNING,
                "rdf:empty-list-dropped",
                "the official RDF mapping has no place for an empty list; it is left out "
                "(it reads back as absent; write with order annotations to keep it)",
                Location(file=self.target, pointer=where),
            )
        )


def iter_nodes(
    jsonable: dict[str, Any],
    class_name: str,
    version: Version,
    annotations: Annotations,
    iris: list[str],
) -> Iterator[Node]:
    """The top-level nodes one after another: with an Environment's arrays made lazily
    (``lazy_environment``), one identifiable's nodes are in memory at a time.

    ``iris`` are the identifiables' IRIs in the order they come
    (``aas.rdfids.iris_of``)."""
    model = describe(version)
    writer = _Writer(model, version, annotations)
    names = iter(iris)
    if class_name == "Environment":
        empty: list[str] = []  # predicates of the Environment's empty lists
        for prop, predicate, index, item in _environment_items(jsonable, version):
            if index < 0:
                _empty_environment_list(prop, predicate, annotations, empty)
                continue
            node = writer.node(item, _concrete(model, prop, item), f"/{prop.json_name}/{index}")
            node.iri = next(names)
            if annotations.on:
                node.statements.append((INDEX, Literal(str(index), XS_INTEGER)))
            yield node
        if empty:
            yield Node(type="", iri=ENVIRONMENT, statements=[(EMPTY, Iri(p)) for p in empty])
        return
    node = writer.node(jsonable, model.classes[class_name], "")
    node.iri = next(names)
    yield node


def lazy_environment(environment: Any, version: Version) -> dict[str, Any]:
    """An Environment as aas-core's jsonable, but each array an iterator that makes one item's
    jsonable when it is reached: writers that take each item once (``iter_nodes``,
    ``ntriples``) never hold the whole model twice."""
    to_jsonable = binding(version).jsonization.to_jsonable
    lazy: dict[str, Any] = {}
    for prop in describe(version).classes["Environment"].properties:
        items = getattr(environment, prop.name)
        if items is not None:
            lazy[prop.json_name] = map(to_jsonable, items)
    return lazy


def _concrete(model: Metamodel, prop: Property, item: Any) -> MetaClass:
    assert prop.type_name is not None
    cls = model.classes[prop.type_name]
    if cls.abstract:
        told = item.get("modelType") if isinstance(item, dict) else None
        found = _below(model.version, cls.name).get(told or "")
        if found is None:
            raise ValueError(f"no class {told!r} below {cls.name}")
        return found
    return cls


@cache
def _below(version: Version, name: str) -> dict[str, MetaClass]:
    """The concrete classes below ``name`` by their serialised name."""
    return {cls.serialized_name: cls for cls in describe(version).descendants(name)}


@cache
def _predicates(version: Version, class_name: str) -> tuple[tuple[Property, str], ...]:
    """Each property of a class with its predicate IRI."""
    namespace = NAMESPACES[version]
    return tuple(
        (prop, f"{namespace}{serialized_name(prop.declared_by)}/{prop.json_name}")
        for prop in describe(version).classes[class_name].properties
    )


class _Writer:
    def __init__(self, model: Metamodel, version: Version, annotations: Annotations) -> None:
        self.model = model
        self.namespace = NAMESPACES[version]
        self.annotations = annotations
        self.order = annotations.on
        self.enums = enum_iris(version)

    def node(self, value: dict[str, Any], cls: MetaClass, where: str) -> Node:
        """The node of one instance (blank; the caller names identifiables); ``where`` is its
        JSON pointer, for findings."""
        node = Node(type=self.namespace + cls.serialized_name)
        for prop, predicate in _predicates(self.model.version, cls.name):
            given = value.get(prop.json_name)
            if given is None:
                continue
            here = f"{where}/{prop.json_name}"
            if prop.many:
                if not given:
                    if self.order:
                        node.statements.append((EMPTY, Iri(predicate)))
                    else:
                        self.annotations.empty_list_dropped(here)
                for index, item in enumerate(given):
                    obj = self.value(prop, item, f"{here}/{index}")
                    if self.order and isinstance(obj, Node):
                        obj.statements.append((INDEX, Literal(str(index), XS_INTEGER)))
                    node.statements.append((predicate, obj))
            else:
                node.statements.append((predicate, self.value(prop, given, here)))
        return node

    def value(self, prop: Property, given: Any, where: str) -> Iri | Literal | Node:
        if prop.kind == "string":
            return Literal(given)
        if prop.kind == "bool":
            return Literal("true" if given else "false", XS_BOOLEAN)
        if prop.kind == "bytes":
            return Literal(given, XS_BASE64)  # jsonable holds it base64-encoded already
        if prop.kind == "int":
            return Literal(str(given), XS_INTEGER)
        if prop.kind == "enum":
            assert prop.type_name is not None
            return Iri(self.enums[(prop.type_name, given)])
        return self.node(given, _concrete(self.model, prop, given), where)


def ntriples(
    jsonable: dict[str, Any],
    class_name: str,
    version: Version,
    annotations: Annotations,
    iris: list[str],
) -> Iterator[str]:
    """N-Triples lines straight from aas-core's jsonable, without building nodes: the fast
    path for the largest outputs. ``iris`` as for ``iter_nodes``.

    Terms are written as their ``str()`` gives them (``aas.converters.rdf.terms``), put
    together once per class in ``_nt_plan``; per triple only the values and the blank nodes'
    labels (``_:b1``, as ``str(Blank("b1"))``) are formatted, which keeps this path fast."""
    model = describe(version)
    counter = 0
    order = annotations.on
    index_predicate = f" {Iri(INDEX)} "
    index_tail = f'"^^{Iri(XS_INTEGER)} .\n'
    empty_predicate = f" {Iri(EMPTY)} "
    names = iter(iris)

    def emit(
        subject: str, value: dict[str, Any], cls: MetaClass, out: list[str], where: str
    ) -> None:
        nonlocal counter
        type_line, plan = _nt_plan(version, cls.name)
        out.append(subject + type_line)
        for name, predicate, kind, extra, many in plan:
            given = value.get(name)
            if given is None:
                continue
            if many and not given:
                if order:
                    out.append(f"{subject}{empty_predicate}{predicate.strip()} .\n")
                else:
                    annotations.empty_list_dropped(f"{where}/{name}")
            for index, item in enumerate(given if many else (given,)):
                if kind == "literal":
                    out.append(f'{subject}{predicate}"{escape_string(item)}{extra}')
                elif kind == "bool":
                    out.append(f'{subject}{predicate}"{"true" if item else "false"}{extra}')
                elif kind == "enum":
                    out.append(f"{subject}{predicate}{extra[item]}")
                else:
                    counter += 1
                    child = f"_:b{counter}"
                    out.append(f"{subject}{predicate}{child} .\n")
                    target = _concrete(model, extra, item)
                    here = f"{where}/{name}/{index}" if many else f"{where}/{name}"
                    emit(child, item, target, out, here)
                    if many and order:
                        out.append(f'{child}{index_predicate}"{index}{index_tail}')

    if class_name != "Environment":
        lines: list[str] = []
        emit(str(Iri(next(names))), jsonable, model.classes[class_name], lines, "")
        yield from lines
        return
    empty: list[str] = []
    for prop, predicate, index, item in _environment_items(jsonable, version):
        if index < 0:
            _empty_environment_list(prop, predicate, annotations, empty)
            continue
        lines = []
        subject = str(Iri(next(names)))
        emit(subject, item, _concrete(model, prop, item), lines, f"/{prop.json_name}/{index}")
        if order:
            lines.append(f'{subject}{index_predicate}"{index}{index_tail}')
        yield from lines
    environment = Iri(ENVIRONMENT)
    yield from (f"{environment}{empty_predicate}{Iri(predicate)} .\n" for predicate in empty)


def _environment_items(
    jsonable: dict[str, Any], version: Version
) -> Iterator[tuple[Property, str, int, Any]]:
    """Each identifiable of an Environment's jsonable: (its array's property, the property's
    predicate, its index, its jsonable); an array that is there and empty gives index -1."""
    for prop, predicate in _predicates(version, "Environment"):
        given = jsonable.get(prop.json_name)
        if given is None:
            continue
        index = -1
        for index, item in enumerate(given):
            yield prop, predicate, index, item
        if index < 0:
            yield prop, predicate, -1, None


def _empty_environment_list(
    prop: Property, predicate: str, annotations: Annotations, empty: list[str]
) -> None:
    """An Environment's empty list: annotated (its predicate goes to ``empty``) or reported."""
    if annotations.on:
        empty.append(predicate)
    else:
        annotations.empty_list_dropped(f"/{prop.json_name}")


@cache
def _nt_plan(version: Version, class_name: str) -> tuple[str, tuple[tuple[Any, ...], ...]]:
    """Per class: its rdf:type line's tail, and per property (json name, ' <predicate> ',
    kind, what the kind needs, many)."""
    model = describe(version)
    namespace = NAMESPACES[version]
    cls = model.classes[class_name]
    enums = enum_iris(version)
    plan: list[tuple[Any, ...]] = []
    for prop, predicate in _predicates(version, class_name):
        spaced = f" {Iri(predicate)} "
        if prop.kind in ("string", "bytes", "int"):
            datatype = {"string": XS_STRING, "bytes": XS_BASE64, "int": XS_INTEGER}[prop.kind]
            plan.append((prop.json_name, spaced, "literal", f'"^^{Iri(datatype)} .\n', prop.many))
        elif prop.kind == "bool":
            plan.append((prop.json_name, spaced, "bool", f'"^^{Iri(XS_BOOLEAN)} .\n', prop.many))
        elif prop.kind == "enum":
            iris = {
                value: f"{Iri(iri)} .\n"
                for (enum_name, value), iri in enums.items()
                if enum_name == prop.type_name
            }
            plan.append((prop.json_name, spaced, "enum", iris, prop.many))
        else:
            plan.append((prop.json_name, spaced, "node", prop, prop.many))
    type_line = f" {Iri(RDF_TYPE)} {Iri(namespace + cls.serialized_name)} .\n"
    return type_line, tuple(plan)


# endregion

# region triples -> model


@dataclass
class Graph:
    """Triples grouped by subject: the subjects in the order the document first names them,
    each subject's statements in document order."""

    statements: dict[Subject, list[tuple[str, Term]]] = field(default_factory=dict)
    #: The rdf:type objects that are IRIs, by subject in document order: what the reader
    #: and SHACL ask of every node, kept as the triples come so that neither scans them.
    types: dict[Subject, list[Iri]] = field(default_factory=dict)
    #: Whether any triple states rdfs:subClassOf (SHACL then follows the data's classes).
    subclasses: bool = False
    #: The objects of each subject that may be nodes (IRIs and blank nodes, rdf:type and the
    #: project's empty-list annotation aside), in document order: what ``deeper_than``
    #: follows, kept as the triples come so that it does not look at every statement.
    links: dict[Subject, list[Subject]] = field(default_factory=dict)
    #: A node's objects by predicate, as the reader grouped them (``to_jsonable`` with
    #: ``group``), for SHACL to take rather than group them again; it empties this.
    grouped: dict[Subject, dict[str, list[Term]]] = field(default_factory=dict)
    #: The SHACL check the reader ran as it read (``shapes.Fused``), for ``shapes.check`` to
    #: take its results from; it lets go of it.
    fused: Any = None

    def add(self, subject: Subject, predicate: str, obj: Term) -> None:
        statements = self.statements.get(subject)
        if statements is None:
            self.statements[subject] = [(predicate, obj)]
        else:
            statements.append((predicate, obj))
        if predicate == RDF_TYPE and isinstance(obj, Iri):
            self.types.setdefault(subject, []).append(obj)
        elif predicate == RDFS_SUBCLASS_OF:
            self.subclasses = True
        if not isinstance(obj, Literal) and predicate != RDF_TYPE and predicate != EMPTY:
            self.links.setdefault(subject, []).append(obj)


@dataclass
class _Reading:
    graph: Graph
    model: Metamodel
    version: Version
    source: str | None
    findings: list[Finding]
    enums: dict[str, tuple[str, str]]
    namespace: str
    #: The nesting-depth limit, in JSON terms (``aas.limits``), and the depth read to.
    max_depth: int
    depth: int = 0
    active: set[Subject] = field(default_factory=set)
    #: The node each object of the jsonable was read from, by the object's id().
    origins: dict[int, Subject] = field(default_factory=dict)
    #: Every node read, so that a typed node nothing reaches is reported, not lost.
    reached: set[Subject] = field(default_factory=set)
    #: Where each node's objects by predicate are left for SHACL (``to_jsonable``'s group).
    grouped: dict[Subject, dict[str, list[Term]]] | None = None
    #: What checks a node's values once it is read (``to_jsonable``'s check).
    check: NodeCheck | None = None
    #: The reader of each class (``_class_reader``), by the class's name.
    readers: dict[str, Reader] = field(default_factory=dict)


#: What reads the values of one node of a class into its jsonable (``_class_reader``).
Reader = Callable[..., dict[str, Any]]


class NodeCheck(Protocol):
    """What checks each node the reader reads (``shapes.Fused``): called with a node and
    its values by predicate once it is read, unless it gives a reader that checks the node
    as it reads it (``reader``), whose results it is then given (``done``)."""

    def __call__(self, key: Subject, values: dict[str, list[Term]]) -> None: ...

    def reader(self, key: Subject, cls: MetaClass, version: Version) -> Reader | None: ...

    def done(self, key: Subject, results: list[Any]) -> None: ...


def version_of_graph(graph: Graph) -> Version | None:
    """The version of the first AAS type in the graph; else of the first empty list the
    project's annotation names (an Environment whose lists are all empty has no typed node)."""
    for statements in graph.statements.values():
        for predicate, obj in statements:
            if predicate == RDF_TYPE and isinstance(obj, Iri):
                found = version_of_namespace(obj.value)
                if found is not None:
                    return found
    for predicate, obj in graph.statements.get(Iri(ENVIRONMENT), ()):
        if predicate == EMPTY and isinstance(obj, Iri):
            found = version_of_namespace(obj.value)
            if found is not None:
                return found
    return None


def to_jsonable(
    graph: Graph,
    version: Version,
    source: str | None,
    findings: list[Finding],
    limits: Limits | None = None,
    origins: dict[int, Subject] | None = None,
    group: bool = False,
    check: NodeCheck | None = None,
) -> dict[str, Any]:
    """The Environment the graph holds, as aas-core's jsonable.

    With ``group``, each node's objects by predicate are left in ``graph.grouped`` for the
    SHACL check that follows (``shapes.check``), which would group them again otherwise.
    ``check``, when given, is called with each node read and its objects by predicate, once
    the node is read (``shapes.Fused``: SHACL checks a node while its values are at hand).

    A model that nests deeper than the nesting-depth limit (counted as its JSON would nest:
    objects and arrays) is refused, as the JSON reader refuses it, before the recursion here
    or in the checks and writers that follow could run out of stack. ``origins``, when
    given, is filled with the node each object of the result was read from (by its id()),
    so that what aas-core then refuses can be named by its node."""
    model = describe(version)
    enums = {iri: key for key, iri in enum_iris(version).items()}
    max_depth = (limits or Limits.from_environment()).max_nesting_depth
    reading = _Reading(
        graph, model, version, source, findings, enums, NAMESPACES[version], max_depth
    )
    if origins is not None:
        reading.origins = origins
    if group:
        reading.grouped = graph.grouped
    reading.check = check
    environment: dict[str, Any] = {}
    tops = {
        cls.serialized_name: prop
        for prop in model.classes["Environment"].properties
        for cls in model.descendants(prop.type_name or "")
    }
    chosen: dict[str, list[tuple[float, dict[str, Any]]]] = {}
    typed = graph.types
    top_types = {reading.namespace + name for name in tops}
    for first_seen, key in enumerate(graph.statements):
        # An identifiable is named by an IRI in the mapping; one written as a blank node is
        # read all the same (its id is a statement of its own), as no other node holds it.
        stated = typed.get(key)
        if stated is None or (len(stated) == 1 and stated[0] not in top_types):
            continue  # no type, or one that is not an identifiable's (most nodes)
        type_name = _type_of(reading, key)
        if type_name is None or type_name not in tops:
            continue
        prop = tops[type_name]
        reading.depth = 3  # the Environment's object, its array, the identifiable's object
        value = _read_node(reading, key, model.classes_by_serialized()[type_name])
        position = _index_of(reading, key, first_seen)
        chosen.setdefault(prop.json_name, []).append((position, value))
    for name, items in chosen.items():
        environment[name] = [value for _, value in sorted(items, key=lambda item: item[0])]
    empty = {
        obj.value
        for predicate, obj in graph.statements.get(Iri(ENVIRONMENT), ())
        if predicate == EMPTY and isinstance(obj, Iri)
    }
    for prop, predicate in _predicates(version, "Environment"):
        if predicate in empty and prop.json_name not in environment:
            environment[prop.json_name] = []
    _report_unreached(reading)
    return environment


def _report_unreached(reading: _Reading) -> None:
    """A node of an AAS type that no identifiable reaches has no place in the model: say so,
    once per node, rather than leave it behind in silence."""
    typed = reading.graph.types
    if typed.keys() <= reading.reached:  # most often every typed node was read: none to say
        return
    for key in reading.graph.statements:  # in the order the document names the nodes
        types = typed.get(key)
        if types is None or key in reading.reached:
            continue
        first = types[0].value  # the first type the node states
        if first.startswith(reading.namespace):
            reading.findings.append(
                Finding(
                    Severity.WARNING,
                    "rdf:unreached-node",
                    f"the node {key}, typed {first.removeprefix(reading.namespace)}, is reached"
                    " from no shell, submodel or concept description; it is not carried over",
                    Location(file=reading.source),
                )
            )


def _type_of(reading: _Reading, key: Subject) -> str | None:
    stated = reading.graph.types.get(key)
    if stated is None:
        return None
    if len(stated) == 1:  # the usual case
        only = stated[0].value
        return only.removeprefix(reading.namespace) if only.startswith(reading.namespace) else None
    types = [obj.value for obj in stated if obj.value.startswith(reading.namespace)]
    if not types:
        return None
    if len(set(types)) > 1:
        raise ReadError(
            f"the node {key} has {len(set(types))} AAS types ("
            + ", ".join(sorted(t.removeprefix(reading.namespace) for t in set(types)))
            + "); an AAS instance has exactly one",
            Location(file=reading.source),
            rule="rdf:two-types",
        )
    return types[0].removeprefix(reading.namespace)


def node_at(jsonable: Any, tokens: list[str | int], origins: dict[int, Subject]) -> str | None:
    """The node (as Turtle names it) of the deepest object on the JSON path ``tokens``."""
    found = origins.get(id(jsonable))
    node = jsonable
    for token in tokens:
        try:
            node = node[token]
        except (KeyError, IndexError, TypeError):
            break
        found = origins.get(id(node), found)
    return str(found) if found is not None else None


def _index_of(reading: _Reading, key: Subject, fallback: float) -> float:
    for predicate, obj in reading.graph.statements.get(key, ()):
        if predicate == INDEX and isinstance(obj, Literal):
            try:
                return int(obj.lexical)
            except ValueError:
                break
    return fallback + 1e9  # unannotated values follow annotated ones, in document order


def _read_node(reading: _Reading, key: Subject, cls: MetaClass) -> dict[str, Any]:
    """A node's jsonable, read as ``cls`` (its values grouped by predicate first)."""
    if key in reading.active:
        raise ReadError(
            f"the node {key} contains itself (a cycle); an AAS model is a tree",
            Location(file=reading.source),
            rule="rdf:cycle",
        )
    reading.active.add(key)
    reading.reached.add(key)
    try:
        by_predicate: dict[str, list[Term]] = {}
        for predicate, obj in reading.graph.statements.get(key, ()):
            found = by_predicate.get(predicate)
            if found is None:
                by_predicate[predicate] = [obj]
            else:
                found.append(obj)
        if reading.grouped is not None:
            reading.grouped[key] = by_predicate
        check = reading.check
        if EMPTY in by_predicate:  # rare: an empty list annotated, read the general way
            value = _read_stated(reading, key, cls, by_predicate)
        elif check is not None and (checking := check.reader(key, cls, reading.version)):
            results: list[Any] = []  # given to the check only once the node is read whole
            value = checking(reading, key, by_predicate, results, check)
            check.done(key, results)
            check = None
        else:
            reader = reading.readers.get(cls.name)
            if reader is None:
                reader = reading.readers[cls.name] = _class_reader(reading.version, cls.name)
            value = reader(reading, key, by_predicate)
        reading.origins[id(value)] = key
    finally:
        reading.active.discard(key)
    if check is not None:
        check(key, by_predicate)
    return value


def _read_stated(
    reading: _Reading, key: Subject, cls: MetaClass, by_predicate: dict[str, list[Term]]
) -> dict[str, Any]:
    """A node's values read by its class's properties (what ``_class_reader`` makes does the
    same, but only for a node that states no empty list)."""
    plan = _predicates(reading.version, cls.name)
    empty: Collection[str] = ()
    chosen: Iterable[tuple[Property, str]] = plan
    if EMPTY in by_predicate:
        empty = {obj.value for obj in by_predicate[EMPTY] if isinstance(obj, Iri)}
    else:
        # Only the properties the node states, in the class's order: a node states a few
        # of its class's many properties (the rest would each be looked up for nothing).
        places = _places(reading.version, cls.name)
        chosen = [plan[i] for i in sorted(places[p] for p in by_predicate if p in places)]
    value: dict[str, Any] = {}
    for prop, predicate in chosen:
        objects = by_predicate.get(predicate)
        if not objects:
            if prop.many and predicate in empty:
                value[prop.json_name] = []
            continue
        if prop.many:
            value[prop.json_name] = _read_many(reading, prop, objects, key)
        else:
            if len(objects) > 1:
                _too_many(reading, key, prop, objects)
            value[prop.json_name] = _read_value(reading, prop, objects[0], key)
    _unknown_predicates(reading, key, cls, by_predicate)
    if cls.model_type:
        value["modelType"] = cls.serialized_name
    return value


def _read_many(reading: _Reading, prop: Property, objects: list[Term], owner: Subject) -> list[Any]:
    """The values of a list, in the order their annotations (or the document) give."""
    if len(objects) == 1:  # one value has one order: its position is not looked up
        return [_read_value(reading, prop, objects[0], owner)]
    items = [
        (_position(reading, obj, number), _read_value(reading, prop, obj, owner))
        for number, obj in enumerate(objects)
    ]
    return [item for _, item in sorted(items, key=_first)]


def _read_children(
    reading: _Reading, prop: Property, objects: list[Term], owner: Subject
) -> list[Any]:
    """A list of nodes (``_read_many``; one node straight to ``_read_child``)."""
    if len(objects) == 1:
        only = objects[0]
        if not isinstance(only, Literal):
            return [_read_child(reading, prop, only, owner)]
    return _read_many(reading, prop, objects, owner)


def _too_many(reading: _Reading, key: Subject, prop: Property, objects: list[Term]) -> None:
    reading.findings.append(
        Finding(
            Severity.ERROR,
            "rdf:too-many-values",
            f"{key} has {len(objects)} values for "
            f"{prop.declared_by}/{prop.json_name}, which holds one; the first is kept",
            Location(file=reading.source),
        )
    )


def _unknown_predicates(
    reading: _Reading, key: Subject, cls: MetaClass, by_predicate: dict[str, list[Term]]
) -> None:
    known = _known_predicates(reading.version, cls.name)
    for predicate in by_predicate:
        if predicate not in known:
            reading.findings.append(
                Finding(
                    Severity.WARNING,
                    "rdf:unknown-predicate",
                    f"{key} (a {cls.serialized_name}) has the predicate <{predicate}>, "
                    "which the AAS mapping does not define; it is not carried over",
                    Location(file=reading.source),
                )
            )


class ReaderChecks(Protocol):
    """Checks a class's reader runs on each property's values as it reads them (the SHACL
    shape of the class, ``shapes.ShapeLines``): lines of Python by predicate, and the names
    they use."""

    env: dict[str, Any]

    def __hash__(self) -> int: ...  # the readers are made once per class and checks

    def present(self, path: str) -> list[str]: ...

    def absent(self, path: str) -> list[str]: ...

    def end(self) -> list[str]: ...


def checking_reader(version: Version, class_name: str, checks: ReaderChecks) -> Callable[..., Any]:
    """The reader of the class (``_class_reader``) that runs ``checks`` too, as each property
    is read: ``read(reading, key, by, results, check)``, with ``check.classes_of`` and
    ``check.types_get`` for the checks' lines; the checks' results go to ``results``."""
    return _class_reader(version, class_name, checks)


def predicates_of(version: Version, class_name: str) -> frozenset[str]:
    """The predicates of a class's properties."""
    return frozenset(predicate for _, predicate in _predicates(version, class_name))


@cache
def _class_reader(version: Version, class_name: str, checks: ReaderChecks | None = None) -> Reader:
    """The reader of a node of the class that states no empty list: straight-line Python made
    once from the metamodel description (as the shapes are), one lookup per property of the
    class, where a general loop would look up each property's plan, kind and place per node
    (issue 14: reading Turtle runs this once per node). It does what ``_read_stated`` does, in
    the same order: the properties in the class's order, then the unknown predicates. With
    ``checks`` (``checking_reader``), each property's values are checked once read, and the
    node at the end."""
    cls = describe(version).classes[class_name]
    env: dict[str, Any] = {
        "Literal": Literal,
        "XS_STRING": XS_STRING,
        "RDF_TYPE": RDF_TYPE,
        "INDEX": INDEX,
        "cls": cls,
        "_read_value": _read_value,
        "_read_many": _read_many,
        "_read_children": _read_children,
        "_read_child": _read_child,
        "_too_many": _too_many,
        "_unknown_predicates": _unknown_predicates,
    }
    if checks is None:
        lines = ["def read(reading, key, by):"]
    else:
        lines = [
            "def read(reading, key, by, results, check):",
            "    focus, values = key, by",
            "    classes_of, types_get = check.classes_of, check.types_get",
        ]
    lines += ["    value = {}", "    stated = 0"]
    for i, (prop, predicate) in enumerate(_predicates(version, class_name)):
        env[f"p{i}"], env[f"prop{i}"] = predicate, prop
        name = repr(prop.json_name)
        lines += [
            f"    objects = by.get(p{i})",
            "    if objects is not None:",
            "        stated += 1",
        ]
        if prop.many:
            many = "_read_children" if prop.kind == "class" else "_read_many"
            lines.append(f"        value[{name}] = {many}(reading, prop{i}, objects, key)")
        else:
            lines += [
                "        if len(objects) > 1:",
                f"            _too_many(reading, key, prop{i}, objects)",
                "        obj = objects[0]",
            ]
            if prop.kind == "string":  # most values: a string typed as the mapping types it
                lines += [
                    "        if type(obj) is Literal and obj.datatype == XS_STRING:",
                    f"            value[{name}] = obj.lexical",
                    "        else:",
                    f"            value[{name}] = _read_value(reading, prop{i}, obj, key)",
                ]
            elif prop.kind == "class":
                lines += [
                    "        if type(obj) is Literal:",
                    f"            _read_value(reading, prop{i}, obj, key)",  # raises
                    f"        value[{name}] = _read_child(reading, prop{i}, obj, key)",
                ]
            else:
                lines.append(f"        value[{name}] = _read_value(reading, prop{i}, obj, key)")
        if checks is not None:
            lines += ["        v = objects", *checks.present(predicate)]
            absent = checks.absent(predicate)
            if absent:
                lines += ["    else:", *absent]
    lines += [
        "    if len(by) != stated + (RDF_TYPE in by) + (INDEX in by):",
        "        _unknown_predicates(reading, key, cls, by)",
    ]
    if checks is not None:
        lines += checks.end()
    if cls.model_type:
        lines.append(f"    value['modelType'] = {cls.serialized_name!r}")
    lines.append("    return value")
    if checks is not None:
        env.update(checks.env)  # the names its lines use, known once they are made
    title = f"<reader of {class_name}{' checking' if checks is not None else ''}>"
    exec(compile("\n".join(lines), title, "exec"), env)
    reader: Reader = env["read"]
    return reader


def _first(item: tuple[float, Any]) -> float:
    return item[0]


@cache
def vocabulary() -> dict[str, str]:
    """The strings the reader compares predicates and datatypes with, each by itself: a
    parser that files each predicate and datatype it reads as the one string here holds
    one copy of each, and every later lookup finds its key by identity."""
    names = [RDF_TYPE, INDEX, EMPTY, XS_STRING, XS_BOOLEAN, XS_INTEGER, XS_BASE64]
    for version in NAMESPACES:
        for class_name in describe(version).classes:
            names.extend(predicate for _, predicate in _predicates(version, class_name))
    return {name: name for name in names}


@cache
def _places(version: Version, class_name: str) -> dict[str, int]:
    """Each predicate of a class's properties by its place among them."""
    return {predicate: i for i, (_, predicate) in enumerate(_predicates(version, class_name))}


@cache
def _known_predicates(version: Version, class_name: str) -> frozenset[str]:
    """What a node of the class may state: its properties and the project's annotations."""
    return frozenset(
        {RDF_TYPE, INDEX, EMPTY, *(predicate for _, predicate in _predicates(version, class_name))}
    )


@cache
def _allowed_types(version: Version, class_name: str) -> frozenset[str]:
    """The serialised names of the concrete classes a value of ``class_name`` may be."""
    return frozenset(c.serialized_name for c in describe(version).descendants(class_name))


def _position(reading: _Reading, obj: Term, number: int) -> float:
    if isinstance(obj, Literal):
        return number
    return _index_of(reading, obj, number)


def _where(owner: Subject, prop: Property) -> str:
    """A value as findings name it: its node and its property. Made only for a finding."""
    return f"{owner} {prop.declared_by}/{prop.json_name}"


_LITERAL_KINDS = {"string": XS_STRING, "bytes": XS_BASE64, "bool": XS_BOOLEAN, "int": XS_INTEGER}


def _read_value(reading: _Reading, prop: Property, obj: Term, owner: Subject) -> Any:
    kind = prop.kind
    if kind in _LITERAL_KINDS:
        if type(obj) is Literal and kind == "string" and obj.datatype == XS_STRING:
            return obj.lexical  # most values: a string typed as the mapping types it
        if not isinstance(obj, Literal):
            raise ReadError(
                f"{_where(owner, prop)} must be a literal, but is "
                + ("an IRI" if isinstance(obj, Iri) else "a node"),
                Location(file=reading.source),
                rule="rdf:wrong-term",
            )
        return _read_literal(reading, prop, obj, owner)
    if kind == "enum":
        found = reading.enums.get(obj.value) if isinstance(obj, Iri) else None
        if found is None or found[0] != prop.type_name:
            raise ReadError(
                f"{_where(owner, prop)} must be a literal of {prop.type_name}, but is "
                f"{_text(obj)!r}",
                Location(file=reading.source),
                rule="model:enum",
            )
        return found[1]
    if isinstance(obj, Literal):
        raise ReadError(
            f"{_where(owner, prop)} must be a node, but is a literal",
            Location(file=reading.source),
            rule="rdf:wrong-term",
        )
    return _read_child(reading, prop, obj, owner)


def _text(term: Term) -> str:
    """What a term says, without its kind: an IRI, a blank node's label, a literal's text."""
    if isinstance(term, Literal):
        return term.lexical
    return term.value if isinstance(term, Iri) else term.label


def _read_literal(reading: _Reading, prop: Property, obj: Literal, owner: Subject) -> Any:
    """A string, bytes (kept base64-encoded, as the jsonable holds them), bool or int."""
    text = obj.lexical
    expected = _LITERAL_KINDS[prop.kind]
    if obj.datatype != expected:
        reading.findings.append(
            Finding(
                Severity.WARNING,
                "rdf:datatype",
                f"{_where(owner, prop)} is typed <{obj.datatype}>; the mapping types it "
                f"<{expected}>",
                Location(file=reading.source),
            )
        )
    if prop.kind == "bool":
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise ReadError(
            f"{_where(owner, prop)}: {text!r} is no boolean",
            Location(file=reading.source),
            rule="model:type",
        )
    if prop.kind == "bytes":
        try:
            base64.b64decode(text, validate=True)
        except ValueError:
            raise ReadError(
                f"{_where(owner, prop)}: the value is not base64",
                Location(file=reading.source),
                rule="model:type",
            ) from None
    if prop.kind == "int":
        return int(text)
    return text


def _read_child(
    reading: _Reading, prop: Property, child: Subject, owner: Subject
) -> dict[str, Any]:
    """The object of a node a property holds, its class checked against the property's."""
    assert prop.type_name is not None
    stated = reading.graph.types.get(child)
    cls = None
    if stated is not None and len(stated) == 1:  # the usual case: one type, an allowed one
        cls = _classes_by_iri(reading.version, prop.type_name).get(stated[0])
    if cls is None:
        cls = _class_of_child(reading, prop, child, owner)
    step = 2 if prop.many else 1  # in JSON, an item of a list is an object in an array
    reading.depth += step
    try:
        if reading.depth > reading.max_depth:
            raise ReadError(
                f"{_where(owner, prop)}: the model nests deeper than {reading.max_depth} levels"
                " (counted as its JSON would nest: objects and arrays; the nesting-depth limit,"
                " raise it with AAS_MAX_NESTING_DEPTH)",
                Location(file=reading.source),
                rule="rdf:nesting-depth",
            )
        return _read_node(reading, child, cls)
    finally:
        reading.depth -= step


@cache
def _classes_by_iri(version: Version, class_name: str) -> dict[str, MetaClass]:
    """The concrete classes a value of ``class_name`` may be, by their type IRI."""
    namespace = NAMESPACES[version]
    return {namespace + c.serialized_name: c for c in describe(version).descendants(class_name)}


def _class_of_child(reading: _Reading, prop: Property, child: Subject, owner: Subject) -> MetaClass:
    """The class of a node a property holds, by its types (none, several, or one that is not
    allowed: a ReadError where that is wrong)."""
    type_name = _type_of(reading, child)
    assert prop.type_name is not None
    target = reading.model.classes[prop.type_name]
    if type_name is None:
        if target.abstract:
            raise ReadError(
                f"{_where(owner, prop)}: the node {child} has no rdf:type, so its class is unknown",
                Location(file=reading.source),
                rule="model:missing-model-type",
            )
        cls = target
    else:
        found = reading.model.classes_by_serialized().get(type_name)
        if found is None or type_name not in _allowed_types(reading.version, target.name):
            raise ReadError(
                f"{_where(owner, prop)}: the node {child} is a {type_name}, not a "
                f"{target.serialized_name}",
                Location(file=reading.source),
                rule="model:model-type",
            )
        cls = found
    return cls


def deeper_than(graph: Graph, limit: int) -> Subject | None:
    """A node from which more than ``limit`` nodes lead down one path (following every
    object that is a subject too, rdf:type and the project's annotations aside), or None.

    Iterative, and linear in the size of the graph: it bounds what the recursive reader (and
    SHACL, in validation) is given. A node that leads back to itself is left to the reader
    (``rdf:cycle``)."""
    statements = graph.statements
    links = graph.links

    def children(key: Subject) -> list[Subject]:
        return [obj for obj in links.get(key, ()) if obj in statements]

    # A node that states no link is a leaf, of height 1 (most nodes): told apart by the links
    # alone, without a list made for it.
    height: dict[Subject, int] = {}
    for root in statements:
        if root in height:
            continue
        if root not in links:
            height[root] = 1
            if limit < 1:
                return root
            continue
        first = children(root)
        stack = [(root, first, iter(first))]
        on_path = {root}
        while stack:
            key, below, pending = stack[-1]
            for child in pending:
                if child not in height and child not in on_path:
                    if child not in links and limit > 0:
                        height[child] = 1
                        continue
                    grandchildren = children(child)
                    if not grandchildren and limit > 0:  # a leaf: height 1
                        height[child] = 1
                        continue
                    stack.append((child, grandchildren, iter(grandchildren)))
                    on_path.add(child)
                    break
            else:
                stack.pop()
                on_path.discard(key)
                tallest = 0
                for child in below:
                    found = height.get(child, 0)
                    if found > tallest:
                        tallest = found
                height[key] = tallest + 1
                if tallest >= limit:
                    return key
                continue
            if len(stack) > limit:
                return stack[0][0]
    return None


# endregion


def iter_triples(nodes: list[Node]) -> Iterator[tuple[Subject, str, Term]]:
    """The triples of a node tree; blank nodes are labelled b0, b1, ... in order."""
    counter = 0

    def label(node: Node) -> Subject:
        nonlocal counter
        if node.iri is not None:
            return Iri(node.iri)
        counter += 1
        return Blank(f"b{counter - 1}")

    def walk(node: Node, subject: Subject) -> Iterator[tuple[Subject, str, Term]]:
        if node.type:  # the Environment's annotation node has none
            yield subject, RDF_TYPE, Iri(node.type)
        for predicate, obj in node.statements:
            if isinstance(obj, Node):
                child = label(obj)
                yield subject, predicate, child
                yield from walk(obj, child)
            else:
                yield subject, predicate, obj

    for node in nodes:
        yield from walk(node, label(node))
