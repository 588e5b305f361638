"""RDF terms as the mapping reads and writes them: an IRI, a blank node, a literal.

Each is a small frozen value (equal and hashable by its content, so a graph can be keyed by
its subjects), and ``str()`` gives it as N-Triples (and Turtle) write it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from aas.metamodel.rdf_names import XS_STRING


class Iri(str):
    """A named node (or an enumeration literal, which the mapping names by IRI).

    A ``str`` holding the IRI: hashed and compared by the interpreter itself, which matters
    because every statement read is filed under its subject, and the reader and SHACL look
    nodes up by the hundred thousand (issue 14). An IRI equals the plain string of its text,
    never a ``Blank`` (which holds ``_:`` before its label, and no absolute IRI starts so).
    """

    __slots__ = ()

    @property
    def value(self) -> str:
        return str.__str__(self)

    def __str__(self) -> str:
        return f"<{str.__str__(self)}>"

    def __repr__(self) -> str:
        return f"Iri({str.__repr__(self)})"

    def __getnewargs__(self) -> tuple[str]:
        return (str.__str__(self),)


class Blank(str):
    """A blank node, by its label in one document: a ``str`` holding ``_:label`` (as
    N-Triples writes it), for the reason ``Iri`` is one."""

    __slots__ = ()

    def __new__(cls, label: str) -> Blank:
        return super().__new__(cls, "_:" + label)

    @property
    def label(self) -> str:
        return self[2:]

    def __str__(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"Blank({self[2:]!r})"

    def __getnewargs__(self) -> tuple[str]:
        return (self[2:],)


@dataclass(frozen=True, slots=True)
class Literal:
    """A typed literal. The mapping types every literal (strings ``xs:string``), so it needs
    no language: a language-tagged literal keeps its datatype, ``rdf:langString``."""

    lexical: str
    datatype: str = XS_STRING

    def __str__(self) -> str:
        return f'"{escape_string(self.lexical)}"^^<{self.datatype}>'


#: What a triple's subject is; its object is any ``Term``.
Subject = Iri | Blank
Term = Iri | Blank | Literal

T = TypeVar("T")


def convert(
    term: Term,
    iri: Callable[[str], T],
    blank: Callable[[str], T],
    literal: Callable[[str, str], T],
) -> T:
    """The term as another library's (rdflib, pyoxigraph), made by the constructor of its kind:
    ``iri(value)``, ``blank(label)`` or ``literal(lexical, datatype)``."""
    if isinstance(term, Iri):
        return iri(term.value)
    if isinstance(term, Blank):
        return blank(term.label)
    return literal(term.lexical, term.datatype)


_NT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b"}
_NT_TO_ESCAPE = re.compile(r'[\\"\n\r\t\b\x00-\x1f\x7f]')


def escape_string(text: str) -> str:
    """The text of a string literal as Turtle and N-Triples write it between quotes."""
    if _NT_TO_ESCAPE.search(text) is None:
        return text
    return _NT_TO_ESCAPE.sub(lambda m: _NT_ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), text)
