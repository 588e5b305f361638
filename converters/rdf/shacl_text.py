"""The messages of native SHACL results (``shapes``), worded as pySHACL words them.

pySHACL writes a node as its ``stringify_node`` does: an IRI in Turtle's short form where a
prefix of the graph covers it (rdflib's namespace managers decide), a blank node as its
statements between brackets, recursively and sorted, a literal as ``Literal("lexical" =
value, datatype=...)``. The data graph is the one pySHACL would be given (a new rdflib graph,
its default prefixes and ``sh``), the shapes graph the shapes file as rdflib parses it.
Messages are made only for results, so rdflib is imported only when there are some.

One difference on purpose: pySHACL lists the values of ``sh:in`` in the order of a Python
set, which changes from one process to the next; here they come in the shapes' order.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .mapping import Graph
from .shapes import SH, Result, Shapes, items, literal_facts, rdflib_literal
from .terms import Blank, Iri, Literal, Term

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDF_FIRST, _RDF_REST, _RDF_NIL = _RDF + "first", _RDF + "rest", _RDF + "nil"
_TOO_DEEP = "<http://recursion.too.deep>"


class _Writer:
    """stringify_node over one graph, with that graph's namespace manager."""

    def __init__(self, graph: Graph, namespaces: Any) -> None:
        self.graph = graph
        self.namespaces = namespaces
        self.blanks: dict[str, str] = {}  # pySHACL caches a blank node's text by its label
        self.iris: dict[str, str] = {}

    def node(self, term: Term, recursion: int = 0) -> str:
        if isinstance(term, Literal):
            return self.literal(term)
        if isinstance(term, Blank):
            return self.blank(term, recursion + 1)
        return self.iri(term.value)

    def iri(self, value: str) -> str:
        found = self.iris.get(value)
        if found is None:
            found = self.iris[value] = _iri_text(value, self.namespaces)
        return found

    def literal(self, literal: Literal) -> str:
        value, lexical = _literal_value(literal)
        if value is not None and value != lexical:
            text = f'"{lexical}" = {value}'
        else:
            text = f'"{lexical}"'
        return f"Literal({text}, datatype={self.iri(literal.datatype)})"

    def blank(self, term: Blank, recursion: int) -> str:
        if recursion >= 12:
            return _TOO_DEEP
        cached = self.blanks.get(term.label)
        if cached is not None:
            return cached
        by_predicate: dict[str, list[Term]] = {}
        for predicate, obj in self.graph.statements.get(term, ()):
            found = by_predicate.setdefault(predicate, [])
            if obj not in found:
                found.append(obj)
        if not by_predicate:
            return "[ ]"
        if _RDF_FIRST in by_predicate:
            members = _list_items(self.graph, term)
            return "( {} )".format(" ".join(self.node(m, recursion + 1) for m in members))
        texts: dict[str, str] = {}
        for predicate, objects in by_predicate.items():
            shown = sorted(self.node(obj, recursion + 1) for obj in objects)
            texts[self.iri(predicate)] = ", ".join(shown)
        text = "[ {} ]".format(" ; ".join(f"{p} {o}" for p, o in sorted(texts.items())))
        self.blanks[term.label] = text
        return text


def _iri_text(value: str, namespaces: Any) -> str:
    import rdflib

    try:
        return str(rdflib.URIRef(value).n3(namespace_manager=namespaces))
    except Exception:  # pySHACL falls back to the plain IRI
        return value


def _list_items(graph: Graph, node: Term) -> list[Term]:
    """The members of a list in the data, as rdflib's ``Graph.items`` follows it (a first
    value of each ``rdf:first``, until ``rdf:rest`` ends or comes back)."""
    found: list[Term] = []
    seen = {node}
    while isinstance(node, Blank | Iri) and node != Iri(_RDF_NIL):
        statements = graph.statements.get(node, ())
        first = next((o for p, o in statements if p == _RDF_FIRST), None)
        if first is not None:
            found.append(first)
        rest = next((o for p, o in statements if p == _RDF_REST), None)
        if rest is None or rest in seen:
            break
        seen.add(rest)
        node = rest
    return found


def _literal_value(literal: Literal) -> tuple[str | None, str]:
    """(str of rdflib's value, rdflib's lexical form) of a literal."""
    made = rdflib_literal(literal.lexical, literal.datatype)
    value = None if made.value is None else str(made.value)
    if value is not None:
        at = value.find(" object at 0x")
        if at > 0:
            value = value[:at]
    return value, str(made)


def _data_namespaces() -> Any:
    import rdflib

    namespaces = rdflib.Graph().namespace_manager
    namespaces.bind("sh", rdflib.URIRef(SH), override=False, replace=False)
    return namespaces


@cache
def _shapes_namespaces(prefixes: tuple[tuple[str, str], ...]) -> Any:
    """The namespace manager of the shapes graph as rdflib parses the file: its defaults, then
    the file's prefixes."""
    import rdflib

    graph = rdflib.Graph()
    header = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in prefixes)
    graph.parse(data=header, format="turtle")
    graph.namespace_manager.bind("sh", rdflib.URIRef(SH), override=False, replace=False)
    return graph.namespace_manager


class Messages:
    """The messages of one validation's results."""

    def __init__(self, data: Graph, shapes: Shapes) -> None:
        self.data = _Writer(data, _data_namespaces())
        self.shapes = _Writer(shapes.graph, _shapes_namespaces(shapes.prefixes))

    def __call__(self, result: Result) -> str:
        prop, kind = result.prop, result.component
        data, shapes = self.data, self.shapes
        if kind == "Closed":
            assert result.value is not None
            return (
                f"Node {data.node(result.focus)} is closed. It cannot have value: "
                f"{data.node(result.value)}"
            )
        assert prop is not None
        value = result.value
        if kind in ("MinCount", "MaxCount"):
            count = prop.min_count if kind == "MinCount" else prop.max_count
            assert count is not None
            words = "Less than" if kind == "MinCount" else "More than"
            return (
                f"{words} {int(count.lexical)} values on {data.node(result.focus)}->"
                f"{shapes.iri(prop.path)}"
            )
        if kind == "Datatype":
            assert prop.datatype is not None
            return f"Value is not Literal with datatype {shapes.iri(prop.datatype)}"
        if kind in ("MinLength", "MaxLength"):
            sign = ">=" if kind == "MinLength" else "<="
            return f"String length not {sign} {data.node(result.rule)}"
        if kind == "Pattern":
            if len(prop.patterns) < 2:
                return f"Value does not match pattern '{prop.patterns[0][0]}'"
            rules = "', '".join(pattern for pattern, _ in prop.patterns)
            return f"Value does not match every pattern in ('{rules}')"
        assert value is not None
        if kind == "In":
            assert prop.allowed_list is not None
            allowed = [shapes.node(item) for item in items(shapes.graph, prop.allowed_list)]
            return f"Value {data.node(value)} not in list {allowed}"
        if kind == "Class":
            if len(prop.classes) < 2:
                return f"Value does not have class {shapes.iri(prop.classes[0])}"
            listed = ", ".join(shapes.iri(c) for c in prop.classes)
            return f"Value class is not in classes ({listed})"
        if kind == "Or":
            if len(prop.alternatives) < 2:
                (alternative, _), *_ = prop.alternatives
                options = " , ".join(shapes.node(item) for item in items(shapes.graph, alternative))
            else:
                options = " and ".join(
                    "({})".format(" , ".join(shapes.node(i) for i in items(shapes.graph, a)))
                    for a, _ in prop.alternatives
                )
            return f"Node {data.node(value)} must conform to one or more shapes in {options}"
        if kind == "NodeKind":
            assert prop.node_kind is not None
            return f"Value is not of Node Kind {shapes.iri(prop.node_kind)}"
        raise AssertionError(kind)


def value_text(term: Term) -> str:
    """``str()`` of the rdflib term pySHACL reports as the value: an IRI, a blank node's
    label, a literal's lexical form as rdflib normalises it."""
    if isinstance(term, Iri):
        return term.value
    if isinstance(term, Blank):
        return term.label
    return literal_facts(term)[1]
