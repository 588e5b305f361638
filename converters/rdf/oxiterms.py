"""pyoxigraph's terms as the RDF mapping's (``_Terms``): what the Python reader files each
triple as, and what the compiled reader (``native``) is compared against. A module of its own
so that ``format`` (which reads through ``native``) and ``native`` (whose oracle this is) do not
import each other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from aas.metamodel.rdf_names import EMPTY, RDF_TYPE, XS_STRING

from .mapping import RDFS_SUBCLASS_OF, Graph, vocabulary
from .terms import Blank, Iri, Literal, Subject, Term

#: The labels a blank node is renamed from: those pyoxigraph makes up for an unlabelled one
#: (``[ ]`` in Turtle, an object without ``@id`` in JSON-LD, ``rdf:parseType`` in RDF/XML: a
#: random 128-bit number in hex, new on every parse, always starting with a letter), and the
#: labels the renaming gives (``b`` and a number), so that no kept label can clash with one.
_RENAMED = re.compile(r"[a-f][0-9a-f]{16,31}|b[0-9]+")


class _Terms:
    """pyoxigraph's terms as the mapping's. A node is named by every statement about it (and
    an identifiable's type by every one of its kind): each IRI and blank node is made once per
    document, so the graph holds one object per node and finds it by identity first.

    Blank nodes that pyoxigraph labelled itself are renamed ``b0``, ``b1``, ... in the order
    the document's triples first name them: findings show blank nodes by label, and the same
    file gives the same report in every run. A label the document wrote (``_:part``) is kept,
    except one of the renamed forms (``_:b7``), which is numbered like the others."""

    def __init__(self, pyoxigraph: Any) -> None:
        self._named = pyoxigraph.NamedNode
        self._blank = pyoxigraph.BlankNode
        self._literal = pyoxigraph.Literal
        #: Each node by pyoxigraph's term of it (equal terms name one node): what the triples
        #: name their nodes by, looked up without a string made for the lookup.
        self._nodes: dict[Any, Subject] = {}
        self._renamed = 0  # blank nodes renamed so far

    def subject(self, term: Any) -> Subject:
        found = self._nodes.get(term)
        if found is not None:
            return found
        kind = type(term)
        if kind is self._named:
            found = self._nodes[term] = Iri(term.value)
            return found
        # A blank node; or a quoted triple (RDF 1.2), which the mapping never states: named
        # by its text, it is a node of no AAS type.
        label: str = term.value if kind is self._blank else self._quoted(term)
        # Renamed once per node, when first met: the cost is per node, not per triple.
        if kind is self._blank and _RENAMED.fullmatch(label) is not None:
            label = f"b{self._renamed}"
            self._renamed += 1
        # str.__new__ as Blank(label) makes it, without a Python call per node
        found = self._nodes[term] = str.__new__(Blank, "_:" + label)
        return found

    def _quoted(self, triple: Any) -> str:
        """A quoted triple's text as pyoxigraph writes it (``s p <<( s p o )>>``), but with
        its blank nodes renamed as everywhere else; by a stack, since pyoxigraph reads quoted
        triples nested deeper than Python recurses."""
        out: list[str] = []
        pending: list[Any] = [triple.object, " ", triple.predicate, " ", triple.subject]
        while pending:
            part = pending.pop()
            kind = type(part)
            if kind is str:
                out.append(part)
            elif kind is self._blank:
                out.append(self.subject(part))
            elif kind is self._named or kind is self._literal:
                out.append(str(part))
            else:
                pending += [" )>>", part.object, " ", part.predicate, " ", part.subject, "<<( "]
        return "".join(out)

    def __call__(self, term: Any) -> Term:
        if type(term) is self._literal:
            datatype = term.datatype
            return Literal(term.value, datatype.value if datatype is not None else XS_STRING)
        return self.subject(term)

    def fill(self, graph: Graph, triples: Iterable[Any]) -> None:
        """``graph.add`` for each of pyoxigraph's triples, inlined: this loop runs once per
        triple of the document and was the largest part of reading Turtle (issue 14).

        pyoxigraph's terms are the keys: a node's term is looked up by the term itself (hashed
        in pyoxigraph), not by a string made for it first, and each predicate and datatype
        names one string (``vocabulary``). A document states most triples right after another
        of the same subject, so the last subject's statements are kept at hand."""
        literal = self._literal
        nodes = self._nodes  # pyoxigraph's subject or object -> the graph's node
        names: dict[Any, str] = {}  # pyoxigraph's predicate -> one string
        datatypes: dict[Any, str] = {None: XS_STRING}  # pyoxigraph's datatype -> one string
        #: Each literal made once, by pyoxigraph's term of it: values repeat (list positions,
        #: languages, units), and a literal is a frozen value, so one object serves them all.
        literals: dict[Any, Literal] = {}
        vocabulary_ = vocabulary()
        statements, types, links = graph.statements, graph.types, graph.links
        node = self.subject
        last: Subject | None = None
        stated: list[tuple[str, Term]] = []
        linked: list[Subject] | None = None
        for triple in triples:
            term = triple.subject
            subject = nodes.get(term)
            if subject is None:
                subject = nodes[term] = node(term)
            term = triple.predicate
            predicate = names.get(term)
            if predicate is None:
                text: str = term.value
                predicate = names[term] = vocabulary_.get(text, text)
            if subject is not last:
                found = statements.get(subject)
                if found is None:
                    found = statements[subject] = []
                stated, last = found, subject
                linked = links.get(subject)
            term = triple.object
            if type(term) is literal:
                value = literals.get(term)
                if value is None:
                    kind = term.datatype
                    datatype = datatypes.get(kind)
                    if datatype is None:
                        text = kind.value
                        datatype = datatypes[kind] = vocabulary_.get(text, text)
                    value = literals[term] = Literal(term.value, datatype)
                stated.append((predicate, value))
                continue
            obj = nodes.get(term)
            if obj is None:
                obj = nodes[term] = node(term)
            stated.append((predicate, obj))
            if predicate == RDF_TYPE:
                if type(obj) is Iri:
                    known = types.get(subject)
                    if known is None:
                        types[subject] = [obj]
                    else:
                        known.append(obj)
            elif predicate != EMPTY:  # what may lead to another node (``deeper_than``)
                if linked is None:
                    linked = links[subject] = []
                linked.append(obj)
        # Whether any triple states rdfs:subClassOf, whatever its object.
        graph.subclasses = graph.subclasses or RDFS_SUBCLASS_OF in names.values()
