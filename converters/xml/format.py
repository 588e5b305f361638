"""AAS XML (Part 2 serialisation).

Reading (``xml_read``) streams the text through lxml into aas-core, and is imported only when
XML is read; writing uses the writers generated from the metamodel description
(``aas.metamodel.xmlwrite``), so a conversion from JSON to XML loads neither lxml nor aas-core's XML
module.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, BinaryIO

from aas.codec import ReadContext, WriteContext, report_package_not_carried, unrepresentable
from aas.errors import WriteError, too_deep_to_write
from aas.findings import Finding, Location
from aas.metamodel import xmlwrite
from aas.model import Model

if TYPE_CHECKING:
    from lxml import etree  # for annotations only: writing XML never loads lxml

_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


def read(data: bytes, context: ReadContext) -> Model:
    """Stream the document into a model; elements are freed as soon as they are read."""
    from . import read as xml_read

    return xml_read.read(data, context)


def parse_tree(data: bytes, source: str | None) -> etree._Element:
    """The whole document as an lxml tree (for schema validation and line numbers)."""
    from . import read as xml_read

    return xml_read.parse_tree(data, source)


def build_from_tree(root: etree._Element, context: ReadContext, findings: list[Finding]) -> Model:
    """The model in a parsed tree, which is left intact (but for its comments and processing
    instructions) so findings can be located in it."""
    from . import read as xml_read

    return xml_read.build_from_tree(root, context, findings)


def write(model: Model, stream: BinaryIO, context: WriteContext) -> None:
    report_package_not_carried(model, context, "XML")
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="\n", write_through=False)
    try:
        # The declaration stands on its own line; the root's start tag begins with "\n".
        text.write(_DECLARATION.rstrip("\n"))
        try:
            writer = xmlwrite.roots(model.version).get(type(model.root))
            if writer is None:
                raise WriteError(
                    f"{type(model.root).__name__} is no class of the metamodel "
                    f"V{model.version}; nothing was written",
                    Location(file=context.target),
                )
            writer(model.root, text.write)
        except RecursionError:
            raise too_deep_to_write(context.target) from None
        except xmlwrite.NotXml as error:
            raise unrepresentable(
                "xml:unrepresentable-character",
                "XML",
                error.text,
                error.character,
                context.target,
                "XML 1.0 cannot hold (not even as a character reference)",
            ) from None
        text.write("\n")
        text.flush()
    finally:
        text.detach()  # leave the caller's stream open
