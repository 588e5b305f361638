"""The compiled Turtle reader (``aas._turtle``, C in aas/_native/), seen from Python.

Parsing (this part): ``parse`` gives the compiled parser's store of a Turtle document, or
None when the module is absent (not compiled where the package was installed), switched off
(``AAS_NATIVE_TURTLE=0``), or does not take the document (anything unusual: the Python reader,
pyoxigraph, then reads it; ``last_reason`` says why, for tests and ``-v`` diagnostics).
``python_triples`` is the oracle the compiled parser is tested against: pyoxigraph's triples
named as the Python reader names them.
"""

from __future__ import annotations

import os
from types import ModuleType
from typing import Any

from aas.rdfids import DEFAULT_BASE

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

    from .format import _Terms

    terms = _Terms(pyoxigraph)
    out: list[tuple[Subject, str, Term]] = []
    for triple in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE, base_iri=DEFAULT_BASE):
        subject = terms.subject(triple.subject)
        out.append((subject, triple.predicate.value, terms(triple.object)))
    return out
