"""RDF: the official AAS RDF mapping in Turtle, N-Triples, JSON-LD and RDF/XML."""

from __future__ import annotations

import re

from aas.formats import Format, text_start

from ..json import looks_like_json_ld

_TURTLE_DIRECTIVES = (b"@prefix", b"@base", b"PREFIX", b"BASE", b"_:")
#: A line that opens with an absolute IRI, as every N-Triples line does.
_IRI_START = re.compile(rb"<[a-zA-Z][a-zA-Z0-9+.\-]*:[^\s>]*>\s")


def looks_like_turtle(head: bytes) -> bool:
    """Turtle directives, a blank node, or an IRI first: N-Triples is Turtle too, and is
    read as such when its suffix does not say otherwise."""
    text = text_start(head)
    return text.startswith(_TURTLE_DIRECTIVES) or _IRI_START.match(text) is not None


def looks_like_rdf_xml(head: bytes) -> bool:
    text = text_start(head)
    return (
        text.startswith(b"<")
        and not looks_like_turtle(head)
        and (b"<rdf:RDF" in text or b"22-rdf-syntax-ns#" in text[:2048])
    )


TURTLE = Format(
    name="turtle",
    aliases=("ttl",),
    suffixes=(".ttl",),
    media_types=("text/turtle",),
    module="aas.converters.rdf.format:TURTLE",
    description="RDF Turtle, official AAS RDF mapping",
    sniff=looks_like_turtle,
    rank=4,
)
NTRIPLES = Format(
    name="ntriples",
    aliases=("nt",),
    suffixes=(".nt",),
    media_types=("application/n-triples",),
    module="aas.converters.rdf.format:NTRIPLES",
    description="RDF N-Triples, official AAS RDF mapping",
    rank=5,
)
JSONLD = Format(
    name="jsonld",
    aliases=("json-ld",),
    suffixes=(".jsonld",),
    media_types=("application/ld+json",),
    module="aas.converters.rdf.format:JSONLD",
    description="RDF JSON-LD (context inline), official AAS RDF mapping",
    sniff=looks_like_json_ld,
    rank=6,
)
RDFXML = Format(
    name="rdfxml",
    aliases=("rdf",),
    suffixes=(".rdf", ".owl"),
    media_types=("application/rdf+xml",),
    module="aas.converters.rdf.format:RDFXML",
    description="RDF/XML, official AAS RDF mapping",
    sniff=looks_like_rdf_xml,
    rank=7,
)
