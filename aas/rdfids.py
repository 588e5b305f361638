"""The IRI an identifiable gets in RDF: one rule for every id and every RDF format.

The AAS RDF mapping names an identifiable's node by its id, but an id is any string of up to
2,000 characters: real ids are IRDIs (``0173-1#02-AAO677#002``), IRIs with spaces, plain
names. The rule, the same in Turtle, N-Triples, JSON-LD and RDF/XML:

1. An id that is already an absolute IRI (RFC 3987, as pyoxigraph checks it) is its own IRI,
   so the official examples' graphs stay as they are.
2. Any other id becomes ``base`` + the id percent-encoded (``urn:aas-toolkit:id/`` unless
   ``--rdf-base`` says otherwise): every character an IRI path segment holds stays (letters,
   digits, ``-._~``, ``!$&'()*+,;=:@``, ``/`` and the non-ASCII characters IRIs allow, but
   white space such as U+00A0 and the bidirectional formatting marks), every other one is
   written as the %XX of its UTF-8 bytes (``%`` itself included, so the encoding is
   reversible), and a path segment ``.`` or ``..`` has its dots encoded (no resolver may
   remove it). An id holding such white space or marks is no IRI under rule 1 either.
   ``0173-1#02-AAO677#002`` becomes ``urn:aas-toolkit:id/0173-1%2302-AAO677%23002``.
3. Two identifiables of one graph never share a node: when an id's IRI is taken already (the
   same id twice, which the metamodel forbids, or an id that is literally another's minted
   IRI), the later one gets ``base`` + ``duplicate/<n>/`` + the encoded id, with the smallest
   n >= 2 that is free. Absolute-IRI ids are placed first, so rule 1 holds for them whenever
   the id itself is unique.

Reading never decodes an IRI: the ``Identifiable/id`` literal is the id, exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from aas.errors import UsageError

DEFAULT_BASE = "urn:aas-toolkit:id/"

# What an IRI path segment may hold besides "%" (RFC 3987 ipchar): iunreserved (with
# ucschar), sub-delims, ":" and "@"; and "/" between segments.
_KEPT = (
    r"A-Za-z0-9\-._~!$&'()*+,;=:@/"
    "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
    "\U00010000-\U0001fffd\U00020000-\U0002fffd\U00030000-\U0003fffd"
    "\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd"
    "\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd"
    "\U000a0000-\U000afffd\U000b0000-\U000bfffd\U000c0000-\U000cfffd"
    "\U000d0000-\U000dfffd\U000e1000-\U000efffd"
)
# Kept by RFC 3987's grammar, but encoded all the same: white space (U+00A0, U+2028, U+3000,
# ...), which N-Triples readers such as rdflib's take for the end of an IRI, and the
# bidirectional formatting characters RFC 3987 (4.1) says an IRI must not hold.
_AVOIDED = "\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u200e\u200f\u202a-\u202e"
_TO_ENCODE = re.compile(f"[^{_KEPT}]|[{_AVOIDED}]")
_HAS_AVOIDED = re.compile(f"[{_AVOIDED}]")
_DOT_SEGMENT = re.compile(r"(?:^|(?<=/))\.{1,2}(?=/|$)")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


@lru_cache(maxsize=4096)
def is_absolute_iri(text: str) -> bool:
    """Whether ``text`` is an absolute IRI every RDF format here can hold as it is."""
    if not _SCHEME.match(text) or _HAS_AVOIDED.search(text):
        return False
    import pyoxigraph  # the parser that reads our RDF back decides what an IRI is

    try:
        pyoxigraph.NamedNode(text)
    except ValueError:
        return False
    return True


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8", "surrogatepass"))


def encode(identifier: str) -> str:
    """The id as IRI path characters, reversibly (see the module's rule 2)."""
    encoded = _TO_ENCODE.sub(_percent, identifier)
    return _DOT_SEGMENT.sub(lambda m: "%2E" * len(m.group()), encoded)


def minted(identifier: str, base: str = DEFAULT_BASE) -> str:
    """The IRI of an id that is no absolute IRI (rule 2)."""
    return base + encode(identifier)


def iri_of(identifier: str, base: str = DEFAULT_BASE) -> str:
    """The IRI of one id (rules 1 and 2), without regard to other ids in the graph."""
    return identifier if is_absolute_iri(identifier) else minted(identifier, base)


def iris_of(identifiers: Iterable[str], base: str = DEFAULT_BASE) -> list[str]:
    """The IRIs of the identifiables of one graph, in their order (rules 1 to 3)."""
    ids = list(identifiers)
    result: list[str | None] = [None] * len(ids)
    taken: set[str] = set()
    later: list[int] = []
    for position, identifier in enumerate(ids):
        if is_absolute_iri(identifier) and identifier not in taken:
            result[position] = identifier
            taken.add(identifier)
        else:
            later.append(position)
    for position in later:
        identifier = ids[position]
        iri = iri_of(identifier, base)
        number = 2
        while iri in taken:
            iri = f"{base}duplicate/{number}/{encode(identifier)}"
            number += 1
        result[position] = iri
        taken.add(iri)
    return [iri for iri in result if iri is not None]


def check_base(base: str) -> str:
    """``base`` if ids can be appended to it to make absolute IRIs, else a UsageError."""
    if base == DEFAULT_BASE:
        return base  # known good; a conversion to JSON or XML never loads pyoxigraph (10 MB)
    if not is_absolute_iri(base):
        raise UsageError(f"--rdf-base {base!r} is no absolute IRI (such as urn:example:ids/)")
    if not base.endswith(("/", "#", ":")):
        raise UsageError(
            f"--rdf-base {base!r} must end with '/', '#' or ':', so that an id appended to "
            "it stays apart from the base"
        )
    if not is_absolute_iri(minted("0173-1#02-AAO677#002 x", base)):
        raise UsageError(f"--rdf-base {base!r} cannot be followed by an id")
    return base
