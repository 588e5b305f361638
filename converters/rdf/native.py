"""The compiled Turtle reader (``aas._turtle``, C in aas/_native/), seen from Python.

Parsing: ``parse`` gives the compiled parser's store of a Turtle document, or
None when the module is absent (not compiled where the package was installed), switched off
(``AAS_NATIVE_TURTLE=0``), or does not take the document (anything unusual: the Python reader,
pyoxigraph, then reads it; ``last_reason`` says why, for tests and for looking into a slow read).
``python_triples`` is the oracle the compiled parser is tested against: pyoxigraph's triples
named as the Python reader names them.

Reading (map.c): ``read`` reads a store into the jsonable ``mapping.to_jsonable`` makes,
checking the project's SHACL shapes on the way, but only where the Python reader would give
exactly that with no finding and the shapes no result; anything else is handed to the Python
reader, which stays the reference.
"""

from __future__ import annotations

import os
from functools import cache
from types import ModuleType
from typing import Any

from aas.metamodel.description import describe
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
)
from aas.rdfids import DEFAULT_BASE
from aas.versions import Version

from .mapping import RDFS_SUBCLASS_OF, _classes_by_iri, _predicates
from .shapes import _NODE_KINDS, PropertyShape, project_shapes
from .terms import Blank, Iri, Literal, Subject, Term

#: Why the last ``parse`` gave None ("" when it gave a store).
last_reason = ""


def module() -> ModuleType | None:
    """``aas._turtle`` when it is there and not switched off, else None."""
    if os.environ.get("AAS_NATIVE_TURTLE", "1") == "0":
        return None
    try:
        # imported here, not at the top: the package works without the compiled module
        import aas._turtle as compiled
    except ImportError:
        return None
    return compiled


def parse(data: bytes) -> Any | None:
    """The compiled parser's store of ``data`` (relative IRIs against the default base), or
    None (see the module's description)."""
    global last_reason
    compiled = module()
    if compiled is None:
        last_reason = "the compiled Turtle reader is absent or switched off"
        return None
    result = compiled.parse(data, DEFAULT_BASE)
    if isinstance(result, str):
        last_reason = result
        return None
    last_reason = ""
    return result


def triples(store: Any) -> list[tuple[Subject, str, Term]]:
    """A store's triples in order, as the terms the Python reader makes."""
    result: list[tuple[Subject, str, Term]] = store.triples(Iri, Blank, Literal)
    return result


def python_triples(data: bytes) -> list[tuple[Subject, str, Term]]:
    """pyoxigraph's triples of a Turtle document, in its order, named as the Python reader
    names them (``_Terms``): what the compiled parser must give exactly."""
    import pyoxigraph

    from .oxiterms import _Terms

    terms = _Terms(pyoxigraph)
    out: list[tuple[Subject, str, Term]] = []
    for triple in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE, base_iri=DEFAULT_BASE):
        subject = terms.subject(triple.subject)
        out.append((subject, triple.predicate.value, terms(triple.object)))
    return out


# region the tables map.c reads by

#: Kinds of values, as map.c numbers them.
_KINDS = {"string": 0, "bool": 1, "bytes": 2, "int": 3, "enum": 4, "class": 5}
_KIND_DATATYPES = {"string": XS_STRING, "bool": XS_BOOLEAN, "bytes": XS_BASE64, "int": XS_INTEGER}
#: The IRIs every table starts with, at these ids (map.c knows them by number).
_FIXED = (
    RDF_TYPE,
    INDEX,
    EMPTY,
    RDFS_SUBCLASS_OF,
    XS_STRING,
    XS_BOOLEAN,
    XS_INTEGER,
    XS_BASE64,
    ENVIRONMENT,
)
#: sh:nodeKind as map.c numbers it: bit 1 IRI, bit 2 blank node, bit 4 literal allowed.
_NODE_KIND_BITS = {
    kind: (1 if Iri in allowed else 0)
    | (2 if Blank in allowed else 0)
    | (4 if Literal in allowed else 0)
    for kind, allowed in _NODE_KINDS.items()
}
#: The one pattern the project's shapes put on nearly every string (the characters XML 1.0
#: holds), which map.c checks itself; every other pattern is checked here, by ``re``.
_XML_CHARS = "^[\t\n\r -\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*$"


class _Vocabulary:
    def __init__(self) -> None:
        self.iris: list[str] = []
        self.ids: dict[str, int] = {}
        for iri in _FIXED:
            self.id(iri)

    def id(self, iri: str) -> int:
        found = self.ids.get(iri)
        if found is None:
            found = self.ids[iri] = len(self.iris)
            self.iris.append(iri)
        return found


@cache
def _spec(version: Version, shacl: bool) -> tuple[Any, tuple[Any, ...]]:
    """What map.c is given once per version (and whether the shapes are checked): the IRIs it
    knows, each class with its properties and the checks of its shape, the top-level classes,
    and the patterns left to Python."""
    model = describe(version)
    namespace = NAMESPACES[version]
    vocabulary = _Vocabulary()
    classes = [cls for cls in model.classes.values() if not cls.abstract]
    class_index = {cls.name: i for i, cls in enumerate(classes)}
    for cls in classes:
        vocabulary.id(namespace + cls.serialized_name)
    enums = enum_iris(version)
    patterns: list[Any] = []
    pattern_ids: dict[str, int] = {}
    shapes = project_shapes(version) if shacl else None
    class_specs = []
    for cls in classes:
        iri = namespace + cls.serialized_name
        targeting = [s for s in shapes.shapes if iri in s.targets] if shapes else []
        # A closed shape allows its paths and what it ignores: any other predicate the node
        # states is a result (the node hands over).
        allowed_extra = [RDF_TYPE, INDEX]
        closed = [s for s in targeting if s.closed]
        props = []
        for prop, predicate in _predicates(version, cls.name):
            checks: list[Any] = []
            supported = True
            for shape in targeting:
                for ps in shape.by_path.get(predicate, ()):
                    made = _property_checks(ps, prop.kind, vocabulary, patterns, pattern_ids)
                    if made is None:
                        supported = False
                    else:
                        checks.append(made)
            if any(predicate not in s.by_path and predicate not in s.ignored for s in closed):
                supported = False
            extra: Any = None
            if prop.kind == "enum":
                extra = {
                    vocabulary.id(enum_iri): value
                    for (enum_name, value), enum_iri in enums.items()
                    if enum_name == prop.type_name
                }
            elif prop.kind == "class":
                assert prop.type_name is not None
                extra = tuple(
                    class_index[c.name]
                    for c in _classes_by_iri(version, prop.type_name).values()
                    if c.name in class_index
                )
            props.append(
                (
                    vocabulary.id(predicate),
                    prop.json_name,
                    _KINDS[prop.kind],
                    prop.many,
                    extra,
                    tuple(checks),
                    supported,
                )
            )
        extras_ok = all(
            all(p in s.by_path or p in s.ignored for s in closed) for p in allowed_extra
        )
        # Every property shape must have a path the class has (else the shape counts or
        # checks values the reader never looks at: the node hands over).
        known = {predicate for _, predicate in _predicates(version, cls.name)}
        paths_ok = all(path in known for s in targeting for path in s.by_path)
        class_specs.append(
            (
                vocabulary.id(iri),
                cls.serialized_name if cls.model_type else None,
                tuple(props),
                extras_ok and paths_ok,
            )
        )
    tops = tuple(
        (class_index[c.name], prop.json_name)
        for prop in model.classes["Environment"].properties
        for c in model.descendants(prop.type_name or "")
        if c.name in class_index
    )
    environment = tuple(
        (vocabulary.id(predicate), prop.json_name)
        for prop, predicate in _predicates(version, "Environment")
    )
    spec = (
        tuple(vocabulary.iris),
        tuple(class_specs),
        tops,
        len(patterns),
        Iri,
        Blank,
        environment,
    )
    return spec, tuple(patterns)


def _property_checks(
    ps: PropertyShape,
    kind: str,
    vocabulary: _Vocabulary,
    patterns: list[Any],
    pattern_ids: dict[str, int],
) -> tuple[Any, ...] | None:
    """One property shape as map.c checks it, or None where map.c does not implement it for
    values of ``kind`` (a node of the class then hands over when it states the property)."""
    strings = ps.min_length is not None or ps.max_length is not None or ps.patterns
    literal_kind = kind in _KIND_DATATYPES
    if strings and kind != "string":
        return None  # lengths and patterns are measured on normalised forms: not done in C
    if ps.datatype is not None and (not literal_kind or ps.datatype != _KIND_DATATYPES[kind]):
        return None
    allowed = [t for t in ps.allowed if isinstance(t, Iri)] if ps.allowed is not None else []
    if ps.allowed is not None and (kind != "enum" or len(allowed) != len(ps.allowed)):
        return None
    if (ps.classes or ps.alternatives) and kind != "class":
        return None
    xml_chars = False
    python_patterns = []
    for text, compiled in ps.patterns:
        if text == _XML_CHARS:
            xml_chars = True
            continue
        found = pattern_ids.get(text)
        if found is None:
            found = pattern_ids[text] = len(patterns)
            patterns.append(compiled.search)
        python_patterns.append(found)
    if len(patterns) > 32:
        return None
    node_kind = _NODE_KIND_BITS[ps.node_kind] if ps.node_kind is not None else 7
    return (
        ps.fewest if ps.fewest is not None else -1,
        ps.most_values if ps.most_values is not None else -1,
        ps.least if ps.least is not None else -1,
        ps.most if ps.most is not None else -1,
        xml_chars,
        tuple(python_patterns),
        tuple(vocabulary.id(t) for t in allowed) if ps.allowed is not None else None,
        tuple(vocabulary.id(c) for c in ps.classes),
        tuple(tuple(vocabulary.id(c) for c in allowed) for _, allowed in ps.alternatives),
        node_kind,
    )


@cache
def _tables(version: Version, shacl: bool) -> tuple[Any, tuple[Any, ...]]:
    """map.c's tables of a version, made once and kept there."""
    compiled = _compiled()
    spec, patterns = _spec(version, shacl)
    return compiled.tables(spec), patterns


# endregion


def version_of(store: Any) -> Version | None:
    """The version of the first AAS type the store states, in the order the Python reader
    looks (``mapping.version_of_graph``), or None (the Python reader then decides)."""
    versions = list(NAMESPACES)
    found: int = _compiled().first_type(store, tuple(NAMESPACES[v] for v in versions), RDF_TYPE)
    return versions[found] if found >= 0 else None


def read(
    store: Any, version: Version, max_depth: int, shacl: bool, origins: bool = False
) -> tuple[dict[str, Any], dict[int, Any] | None] | str:
    """The jsonable (and, with ``origins``, the node of each of its objects by id) the store
    holds, read as ``mapping.to_jsonable`` reads it with no finding and, with ``shacl``, the
    project's shapes giving no result; else why not (a hand-over to the Python reader)."""
    compiled = module()
    if compiled is None:
        return "the compiled Turtle reader is absent or switched off"
    tables, patterns = _tables(version, shacl)
    made = compiled.read(store, tables, max_depth, shacl, origins)
    if isinstance(made, str):
        return made
    jsonable, nodes, pending = made
    for search, values in zip(patterns, pending, strict=True):
        if not all(map(search, values)):
            return "a value does not match a pattern of the shapes"
    return jsonable, nodes


def store_from_triples(triples: list[tuple[Any, str, Any]]) -> Any:
    """A store of triples named as ``format._Terms`` names them (for tests and benchmarks of
    ``read`` alone): IRIs, blank nodes (``_:label``) and literals."""
    return _compiled().store_from_triples(triples, Iri, Blank)


def _compiled() -> ModuleType:
    """``aas._turtle`` (the caller has a store, so it is there)."""
    compiled = module()
    assert compiled is not None
    return compiled
