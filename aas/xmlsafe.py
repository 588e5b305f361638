"""Parse XML with entities, DTDs and the network all off, within the limits of :mod:`aas.limits`."""

from __future__ import annotations

import re
from typing import TypedDict

from lxml import etree

from aas.errors import ReadError
from aas.findings import Location
from aas.limits import LIBXML2_MAX_DEPTH, LIBXML2_MAX_TEXT_BYTES, Limits


class ParserOptions(TypedDict):
    """Keyword arguments of lxml's parsers (``XMLParser``, ``iterparse``)."""

    resolve_entities: bool
    no_network: bool
    load_dtd: bool
    huge_tree: bool


def parser_options(limits: Limits | None = None) -> ParserOptions:
    """The lxml parser options every XML reader here uses."""
    return {
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "huge_tree": limits is not None and limits.xml_huge_tree,
    }


_PARSER = etree.XMLParser(**parser_options())
_HUGE_PARSER = etree.XMLParser(**parser_options(Limits(max_nesting_depth=LIBXML2_MAX_DEPTH + 1)))


def parse_xml(data: bytes, source: str | None, limits: Limits | None = None) -> etree._Element:
    """The root element of ``data``; a DOCTYPE or damage is a ReadError naming ``source``.

    Without ``limits`` (small documents such as OPC parts) libxml2's own limits apply."""
    refuse_doctype(data, source)
    parser = _HUGE_PARSER if limits is not None and limits.xml_huge_tree else _PARSER
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise syntax_error(error, source, limits) from None
    if root.getroottree().docinfo.doctype:
        raise doctype_error(data, source)
    if limits is not None:
        guard = LimitGuard(limits, source)
        if guard.active:  # limits libxml2 does not enforce itself
            for kind, node in etree.iterwalk(root, events=("start", "end")):
                if not isinstance(node.tag, str):
                    continue
                if kind == "start":
                    guard.start(node)
                else:
                    guard.end(node)
    return root


# The prolog (byte order mark, declaration, comments, processing instructions, white space)
# up to a DOCTYPE; each alternative consumes at least one byte, so matching stays linear.
_DOCTYPE_IN_PROLOG = re.compile(
    rb"\A(?:\xef\xbb\xbf)?(?:\s|<\?(?:[^?]|\?(?!>))*\?>|<!--(?:[^-]|-(?!->))*-->)*<!DOCTYPE"
)


def refuse_doctype(data: bytes, source: str | None) -> None:
    """Refuse a document with a DOCTYPE before libxml2 reads any of it (its entities included)."""
    if b"<!DOCTYPE" in data[:65536] and _DOCTYPE_IN_PROLOG.match(data):
        raise doctype_error(data, source)


def doctype_error(data: bytes, source: str | None) -> ReadError:
    """The refusal of a document with a DOCTYPE, pointing at the declaration."""
    at = data.find(b"<!DOCTYPE")
    line = data.count(b"\n", 0, at) + 1 if at >= 0 else None
    return ReadError(
        "the XML document has a DOCTYPE declaration; AAS documents need none and it is "
        "refused, because entity expansion and external DTDs are how XML attacks begin",
        Location(file=source, line=line),
        rule="xml:doctype",
    )


_POSITION_SUFFIX = re.compile(r", line \d+, column \d+$")
_DEPTH = re.compile(r"depth in document: (\d+)")


def syntax_error(
    error: etree.XMLSyntaxError, source: str | None, limits: Limits | None
) -> ReadError:
    """A ReadError for what libxml2 refused; its own limits are named with the setting."""
    line, column = error.position
    where = Location(file=source, line=line or None, column=column or None)
    message = _POSITION_SUFFIX.sub("", str(error.msg))
    if "XML_PARSE_HUGE" in message or "too long" in message or "huge" in message.lower():
        if "depth" in message.lower():
            depth = _DEPTH.search(message)
            return nesting_error(int(depth.group(1)) if depth else LIBXML2_MAX_DEPTH, where)
        huge = limits is not None and limits.xml_huge_tree
        size = "1 GB" if huge else f"{LIBXML2_MAX_TEXT_BYTES:,} bytes"
        return ReadError(
            f"the XML holds a text or attribute value longer than {size} "
            f"({message.rstrip('.')}; raise the limit with AAS_MAX_XML_TEXT_BYTES)",
            where,
            rule="xml:text-length",
        )
    return ReadError(f"not well-formed XML: {message}", where, rule="xml:syntax")


def nesting_error(limit: int, where: Location) -> ReadError:
    return ReadError(
        f"the XML nests deeper than {limit} levels of elements "
        "(the nesting-depth limit; raise it with AAS_MAX_NESTING_DEPTH)",
        where,
        rule="xml:nesting-depth",
    )


class LimitGuard:
    """Checks what libxml2 does not: nesting and text below its defaults, or in huge mode.

    With the default limits libxml2 enforces them itself and nothing is counted here."""

    def __init__(self, limits: Limits, source: str | None) -> None:
        huge = limits.xml_huge_tree
        self.source = source
        self.max_depth = limits.max_nesting_depth
        self.max_text = limits.max_xml_text_bytes
        self.count_depth = huge or self.max_depth < LIBXML2_MAX_DEPTH
        self.measure_text = huge or self.max_text < LIBXML2_MAX_TEXT_BYTES
        self.active = self.count_depth or self.measure_text
        self.depth = 0

    def start(self, node: etree._Element) -> None:
        if self.count_depth:
            self.depth += 1
            if self.depth > self.max_depth:
                where = Location(file=self.source, line=node.sourceline)
                raise nesting_error(self.max_depth, where)

    def end(self, node: etree._Element) -> None:
        self.depth -= 1
        if self.measure_text:
            text = node.text
            # A character is at most 4 bytes in UTF-8: encode only texts that might be too long.
            if (
                text is not None
                and len(text) * 4 > self.max_text
                and len(text.encode("utf-8")) > self.max_text
            ):
                where = Location(file=self.source, line=node.sourceline)
                raise text_error(self.max_text, where)


def text_error(limit: int, where: Location) -> ReadError:
    return ReadError(
        f"the XML holds a text longer than {limit:,} bytes "
        "(raise the limit with AAS_MAX_XML_TEXT_BYTES)",
        where,
        rule="xml:text-length",
    )
