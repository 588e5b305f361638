"""JSON: the AAS JSON serialisation, read in parts, with source positions."""

from __future__ import annotations

from aas.formats import Format, text_start

#: What only a JSON-LD document says near its start: JSON with these is RDF.
JSON_LD_KEYWORDS = (b'"@context"', b'"@graph"')


def looks_like_json_ld(head: bytes) -> bool:
    """A top-level array (JSON-LD's expanded form) or an object with JSON-LD keywords."""
    text = text_start(head)
    return text.startswith(b"[") or (
        text.startswith(b"{") and any(keyword in text for keyword in JSON_LD_KEYWORDS)
    )


def _sniff(head: bytes) -> bool:
    return text_start(head).startswith(b"{") and not looks_like_json_ld(head)


FORMAT = Format(
    name="json",
    suffixes=(".json",),
    media_types=("application/json",),
    module="aas.converters.json.format",
    description="AAS JSON",
    sniff=_sniff,
    rank=1,
)
