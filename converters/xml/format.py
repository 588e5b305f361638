"""AAS XML (Part 2 serialisation).

Reading (``xml_read``) streams the text through lxml into aas-core, and is imported only when
XML is read; writing uses the writers generated from the metamodel description
(``aas.metamodel.xmlwrite``), so a conversion from JSON to XML loads neither lxml nor aas-core's XML
module. :data:`CODEC` is the format (``aas.codec.Codec``).
"""

from __future__ import annotations

import io
from collections.abc import Hashable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, BinaryIO

from aas.checks.schemas import project_xml_schema
from aas.codec import (
    Check,
    Codec,
    Document,
    ReadContext,
    WriteContext,
    report_package_not_carried,
    unrepresentable,
)
from aas.errors import ReadError, WriteError, too_deep_to_write
from aas.findings import Finding, Location
from aas.metamodel import xmlwrite
from aas.model import Model
from aas.versions import version_of_xml_namespace

if TYPE_CHECKING:
    pass  # for annotations only: writing XML never loads lxml

_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


def write(model: Model, stream: BinaryIO, context: WriteContext) -> None:
    report_package_not_carried(model, context, "XML")
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="\n", write_through=False)
    # The generated writer makes hundreds of thousands of small writes, which the wrapper
    # encodes as they come and passes on in chunks of this size: 64 KiB rather than the
    # default 8 KiB took 212,000 writes of language strings from 17.9 to 15.8 ms.
    text._CHUNK_SIZE = 1 << 16  # type: ignore[attr-defined]
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
            if context.shared:  # each Reference's text is made once (see xmlwrite.WRITTEN)
                with xmlwrite.remembering():
                    writer(model.root, text.write)
            else:
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


class XmlDocument(Document[Any]):
    """XML text and, once asked for, its lxml tree (the root element).

    Reading streams the text without keeping a tree. Validating an Environment checks each
    identifiable against the XSD while its subtree is at hand (``schema_findings``, see
    :mod:`.pieces`); any other document is parsed whole when the schema needs it (the model is
    then built from the tree too). The findings' XPaths are followed in one more pass over the
    text (:mod:`.locate`), or in the tree where there is one. Two findings are about one
    element when their XPaths select it, however each layer spells the XPath
    (``aas:submodel``, ``*[1]``, ``aas:submodel[1]``)."""

    style = "xml"

    def __init__(self, text: bytes, source: str | None) -> None:
        super().__init__(text, source)
        self._root: Any = None
        self._error: ReadError | None = None
        self._selected: dict[str, Any] = {}
        #: What rewriting a pre-release V3.0 tree into V3.0 met (see ``read.upgrade_pre_release``).
        self.pre_release: list[Finding] = []
        #: The XSD's findings, made one identifiable at a time while the model was streamed
        #: (see :mod:`.pieces`); None when the schema checks the whole tree.
        self.schema_findings: list[Finding] | None = None
        #: Where XPaths lead, found by streaming the text once (see :meth:`prepare`): the
        #: element's positions from the root and its line, or None for no element.
        self._found: dict[str, tuple[tuple[int, ...], int | None] | None] = {}

    @property
    def parsed(self) -> bool:
        return self._root is not None

    @property
    def tree(self) -> Any:
        if self._error is not None:
            raise self._error
        if self._root is None:
            from . import read as xml_read

            try:
                root = xml_read.parse_tree(self.text, self.source)
                # Rewritten before anything sees it, so that the schema of V3.0 checks it and
                # findings are located in it whichever layer comes first.
                self.pre_release = xml_read.upgrade_pre_release(root, self.source)
                self._root = root
            except ReadError as error:
                self._error = error
                raise
        return self._root

    def _element(self, xpath: str | None) -> Any:
        """The element ``xpath`` selects; None if none (or the text has no tree)."""
        if not xpath:
            return None
        if xpath not in self._selected:
            from . import read as xml_read

            try:
                root = self.tree
            except ReadError:
                self._selected[xpath] = None
            else:
                self._selected[xpath] = xml_read.select(root, xpath)
        return self._selected[xpath]

    def prepare(self, findings: Sequence[Finding]) -> None:
        """Find where the findings' XPaths lead in one pass over the text, when no tree was
        parsed (the model was streamed): parsing the whole tree only to give lines would
        undo what streaming saved."""
        if self._root is not None or self._error is not None:
            return
        from lxml import etree

        from . import locate as xml_locate

        wanted = {f.location.xpath for f in findings if f.location.xpath} - self._found.keys()
        if not wanted:
            return
        try:
            namespace = xml_locate.root_namespace(self.text)
        except etree.Error:
            return  # not well-formed: the tree says so
        if namespace is None or version_of_xml_namespace(namespace) is None:
            return  # a draft of V3.0 or V2: findings point into the tree it was rewritten into
        found = xml_locate.resolve(self.text, wanted)
        if found is not None:
            self._found.update(found)

    def locate(self, location: Location) -> Location:
        if location.line is not None or not location.xpath:
            return location
        if location.xpath in self._found:
            place = self._found[location.xpath]
            line = place[1] if place is not None else None
        else:
            element = self._element(location.xpath)
            line = element.sourceline if element is not None else None
        if not line:
            return location
        return replace(location, line=line)

    def targets(self, finding: Finding) -> list[Hashable]:
        xpath = finding.location.xpath
        if xpath and xpath in self._found:
            place = self._found[xpath]
            return [place[0]] if place is not None else [xpath]
        element = self._element(xpath)
        if element is not None:
            return [element.getroottree().getpath(element)]
        return [xpath] if xpath else []


class XmlCodec(Codec[XmlDocument]):
    """AAS XML: streamed into the model (an Environment checked by the XSD one identifiable
    at a time), or built from the whole tree when the schema needs it."""

    def parse(self, data: bytes, context: ReadContext) -> XmlDocument:
        """Nothing is parsed yet: the text is streamed when the model is built, unless the
        schema needs the tree."""
        return XmlDocument(data, context.source)

    def build(self, document: XmlDocument, context: ReadContext) -> Model:
        from . import read as xml_read

        if not document.parsed and Check.SCHEMA in context.checks:
            model = _build_checking_pieces(document, context)
            if model is not None:
                return model
        if document.parsed or Check.SCHEMA in context.checks:
            # The tree is left intact (but for its comments and processing instructions) so
            # that the schema can check it and findings be located in it.
            noticed: list[Finding] = []
            tree = document.tree
            noticed.extend(document.pre_release)
            try:
                return xml_read.build_from_tree(tree, context, noticed)
            except ReadError:
                document.findings.extend(noticed)  # noticed before no model could be built
                raise
        return xml_read.read(document.text, context)

    def check_schema(self, document: XmlDocument, context: ReadContext) -> list[Finding] | None:
        """The XSD of the version the root's namespace names (the project's, or the
        caller's). The project's XSD declares every class, so a root it does not know is an
        error; a schema the caller brings may not cover lone instances, and is then not
        applied. None for an unknown namespace (reading the model reports it)."""
        from lxml import etree  # XML only: validating JSON never loads lxml

        if document.schema_findings is not None:
            return list(document.schema_findings)
        root = document.tree
        namespace = etree.QName(root).namespace or ""
        version = version_of_xml_namespace(namespace)
        if version is None:
            return _check_v2_schema(root, namespace, context.source)
        theirs = context.schemas.xml if context.schemas is not None else None
        if theirs is not None and not theirs.declares(etree.QName(root).localname):
            return None
        schema = theirs or project_xml_schema(version)
        return list(schema.check(root.getroottree(), context.source))

    def write(self, model: Model, stream: BinaryIO, context: WriteContext) -> None:
        write(model, stream, context)


def _build_checking_pieces(document: XmlDocument, context: ReadContext) -> Model | None:
    """The model of an Environment streamed, each identifiable checked by the project's XSD
    as it is read (see :mod:`.pieces`); None where the whole tree is to be parsed as before:
    another root, a schema the caller brings, a lone instance asked for, or a document from
    which no model can be built (the whole reading then reports it as it always has)."""
    from . import pieces
    from . import read as xml_read

    if context.model_type is not None or (context.schemas and context.schemas.xml):
        return None
    checker = pieces.checker_for(document.text, context.source)
    if checker is None:
        return None
    model = xml_read.read_checking(document.text, context, checker)
    if model is None:
        return None
    # None when the skeleton surprised: the schema then checks the whole tree.
    document.schema_findings = checker.finish()
    return model


def _check_v2_schema(root: Any, namespace: str, source: str | None) -> list[Finding] | None:
    """V2.0's own schema rules over the V2 JSON form the tree reads into, each finding at its
    element (XPath and line); None for V1.0 (whose schema differs: ``URI`` ids, say) and for
    other namespaces."""
    from ..v2.schema import check_v2_schema
    from ..v2.xml import old_version_of_namespace, read_v2_tree

    if old_version_of_namespace(namespace) != "2.0":
        return None
    try:
        v2, locate, _ = read_v2_tree(root, source)
    except ReadError:
        return None  # no V2 environment: building the model says so
    found = check_v2_schema(v2, source)
    return [replace(finding, location=locate(finding.location)) for finding in found]


CODEC = XmlCodec()
