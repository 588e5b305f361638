"""XML: the AAS XML serialisation."""

from __future__ import annotations

from aas.formats import Format, text_start

from ..rdf import looks_like_rdf_xml, looks_like_turtle


def _sniff(head: bytes) -> bool:
    # "<" opens RDF/XML and N-Triples lines too; those are RDF's
    return (
        text_start(head).startswith(b"<")
        and not looks_like_turtle(head)
        and not looks_like_rdf_xml(head)
    )


FORMAT = Format(
    name="xml",
    suffixes=(".xml",),
    media_types=("application/xml", "text/xml"),
    module="aas.converters.xml.format",
    description="AAS XML",
    sniff=_sniff,
    rank=2,
)
