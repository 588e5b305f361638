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


@dataclass(frozen=True, slots=True)
class Iri:
    """A named node (or an enumeration literal, which the mapping names by IRI)."""

    value: str

    def __str__(self) -> str:
        return f"<{self.value}>"


@dataclass(frozen=True, slots=True)
class Blank:
    """A blank node, by its label in one document."""

    label: str

    def __str__(self) -> str:
        return f"_:{self.label}"


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
