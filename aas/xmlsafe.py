"""Parse a small XML document (OPC parts) with entities, DTDs and the network all off."""

from __future__ import annotations

from typing import Any

from lxml import etree

from aas.errors import ReadError
from aas.findings import Location

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_xml(data: bytes, source: str | None) -> Any:
    """The root element of ``data``; a DOCTYPE or damage is a ReadError naming ``source``."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        line, column = error.position
        raise ReadError(
            f"not well-formed XML: {error.msg}",
            Location(file=source, line=line or None, column=column or None),
            rule="xml:syntax",
        ) from None
    if root.getroottree().docinfo.doctype:
        raise ReadError(
            "the XML document has a DOCTYPE declaration, which is refused "
            "(entity expansion and external DTDs are how XML attacks begin)",
            Location(file=source, line=1),
            rule="xml:doctype",
        )
    return root
