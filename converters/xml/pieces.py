"""The XSD check of an Environment, one identifiable at a time, while the model is read.

Checking the whole document needs its whole lxml tree: about seven times the text. Here each
shell, submodel and concept description is checked against the XSD (whose global element of
that name has the same type as the element in the Environment) when its end tag has been read,
then emptied: what stays is a skeleton of the root, its three lists and one empty element per
identifiable. The skeleton is checked last, and each empty element's single complaint (its
required children are missing) is replaced by what the identifiable's own check found. The
findings are those of the whole-document check, in its order, with its XPaths and lines:

- libxml2 validates the Environment's children in document order, and an identifiable's errors
  lie between its start and its end; nothing inside one affects the check of another (the XSD
  has no identity constraints);
- an identifiable in a list the Environment does not expect there is skipped by libxml2, and
  then its empty stand-in draws no complaint either: its findings are dropped too;
- the paths are libxml2's own, rebased from the identifiable onto its place in the skeleton,
  which keeps every element of the first three levels, so positions among siblings agree.

Anything unexpected (a stand-in with more than one complaint) gives None, and the caller checks
the whole document as before.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from aas.checks.schemas import XmlSchema, named_xpath, xsd_rule
from aas.findings import Finding, Location, Severity
from aas.metamodel.classes import ENVIRONMENT_ARRAYS
from aas.metamodel.paths import XPATH_PREFIX

#: libxml2 keeps lines above this in a side field that a copied element (the root of the
#: document lxml validates an element in) does not carry; the element's own line is meant.
_LAST_SHORT_LINE = 65535


@dataclass
class _Entry:
    """One error of an identifiable's own check, held until its place in the whole is known."""

    rule: str
    message: str
    line: int | None
    #: libxml2's path below the identifiable ("" for the identifiable itself, "/*[2]/@x"); None
    #: when the error names no node.
    rest: str | None
    #: The named steps below the identifiable (``/aas:idShort``) where the whole-document
    #: check names the node, else None (it keeps libxml2's path).
    named_rest: str | None


@dataclass
class _Piece:
    element: Any  # the identifiable's element, emptied once checked (lxml's _Element)
    entries: list[_Entry] = field(default_factory=list)


class PieceChecker:
    """Checks the identifiables of an Environment as the reader streams them (see the module)."""

    def __init__(self, schema: XmlSchema, namespace: str, source: str | None) -> None:
        self.schema = schema
        self.source = source
        self._items = {
            f"{{{namespace}}}{key}": f"{{{namespace}}}{class_name[0].lower()}{class_name[1:]}"
            for key, (_, class_name) in ENVIRONMENT_ARRAYS.items()
        }
        self._root_tag = f"{{{namespace}}}environment"
        #: The tags of the skeleton's elements: the root, the lists, the identifiables.
        self.skeleton_tags = (self._root_tag, *self._items, *self._items.values())
        self._pieces: list[_Piece] = []
        #: The root element once the whole document has been read: the skeleton.
        self.skeleton: Any = None

    def is_list(self, element: Any) -> bool:
        """Whether ``element`` (under the root) is one of the Environment's lists."""
        return element.tag in self._items

    def is_piece(self, element: Any) -> bool:
        """Whether ``element`` (three levels down) is an identifiable in its Environment list."""
        parent = element.getparent()
        if parent is None or self._items.get(parent.tag) != element.tag:
            return False
        root = parent.getparent()
        return root is not None and root.tag == self._root_tag and root.getparent() is None

    def check(self, element: Any) -> None:
        """Check a whole identifiable; the caller empties it afterwards."""
        piece = _Piece(element)
        self._pieces.append(piece)
        schema = self.schema.schema
        if schema.validate(element):
            return
        for entry in schema.error_log:
            piece.entries.append(_entry_of(entry, element))

    def finish(self) -> list[Finding] | None:
        """Every finding of the whole-document check, once the document has been read whole;
        None when the skeleton surprises."""
        if self.skeleton is None:
            return None
        tree = self.skeleton.getroottree()
        by_path: dict[str, _Piece] = {}
        for each in self._pieces:
            by_path[tree.getpath(each.element)] = each
        schema = self.schema.schema
        if schema.validate(tree):
            # Even an Environment without identifiables draws no complaint then: a stand-in
            # always draws one (its required children are missing), so none was checked.
            return [] if not by_path else None
        found: list[Finding] = []
        seen: set[str] = set()
        for entry in schema.error_log:
            raw: str = entry.path or ""
            piece = by_path.get(raw)
            if piece is None:
                found.append(
                    Finding(
                        Severity.ERROR,
                        xsd_rule(entry),
                        entry.message,
                        Location(
                            file=self.source,
                            xpath=named_xpath(tree, entry.path),
                            line=entry.line or None,
                        ),
                    )
                )
                continue
            if raw in seen:
                return None  # a stand-in with two complaints: not what it was made for
            seen.add(raw)
            found.extend(self._placed(tree, raw, piece))
        return found

    def _placed(self, tree: Any, raw: str, piece: _Piece) -> list[Finding]:
        """The identifiable's own findings, with the paths of the whole document."""
        if not piece.entries:
            return []
        named = named_xpath(tree, raw)
        placed: list[Finding] = []
        for entry in piece.entries:
            if entry.rest is None:
                xpath = None
            elif entry.named_rest is not None and named is not None and ":" not in raw:
                xpath = named + entry.named_rest
            else:
                xpath = raw + entry.rest
            placed.append(
                Finding(
                    Severity.ERROR,
                    entry.rule,
                    entry.message,
                    Location(file=self.source, xpath=xpath, line=entry.line),
                )
            )
        return placed


def _entry_of(entry: Any, element: Any) -> _Entry:
    path: str | None = entry.path or None
    line: int | None = entry.line or None
    if path is None:
        return _Entry(xsd_rule(entry), entry.message, line, None, None)
    # The first step is the identifiable itself, the root of the document it was checked in.
    slash = path.find("/", 1)
    rest = "" if slash < 0 else path[slash:]
    if rest == "" and line == _LAST_SHORT_LINE:
        line = element.sourceline or line
    return _Entry(xsd_rule(entry), entry.message, line, rest, _named_rest(element, rest))


def _named_rest(element: Any, rest: str) -> str | None:
    """The named steps from ``element`` down to the node libxml2's ``rest`` selects, as the
    whole-document check names it (see ``aas.checks.schemas.named_xpath``); None where that
    check keeps libxml2's path (a prefix lxml does not know, a node that is no element)."""
    if not rest:
        return ""
    if ":" in rest:
        return None  # lxml knows no prefixes in the whole document's path either
    try:
        nodes = element.xpath("." + rest)
    except etree.XPathError:
        return None
    if (
        not isinstance(nodes, list)
        or not nodes
        or not isinstance(getattr(nodes[0], "tag", None), str)
    ):
        return None
    steps: list[str] = []
    node = nodes[0]
    while node is not element:
        parent = node.getparent()
        name = etree.QName(node).localname
        same = [sibling for sibling in parent if sibling.tag == node.tag]
        position = f"[{same.index(node) + 1}]" if len(same) > 1 else ""
        steps.append(f"/{XPATH_PREFIX}:{name}{position}")
        node = parent
    return "".join(reversed(steps))


def checker_for(data: bytes, source: str | None) -> PieceChecker | None:
    """A checker for ``data`` when its root is an Environment of V3.0 or V3.1 (by a look at
    the root's start tag only), checked by the project's XSD; None for any other document,
    which is then checked whole."""
    from aas.checks.schemas import project_xml_schema
    from aas.versions import version_of_xml_namespace
    from aas.xmlsafe import parser_options

    if b"<!DOCTYPE" in data[:65536]:
        return None  # refused by the whole reading, which says where
    try:
        for _, node in etree.iterparse(io.BytesIO(data), events=("start",), **parser_options()):
            namespace, _, localname = str(node.tag)[1:].rpartition("}")
            break
        else:
            return None
    except etree.Error:
        return None  # not well-formed, or hostile: the whole reading says so
    version = version_of_xml_namespace(namespace) if str(node.tag).startswith("{") else None
    if version is None or localname != "environment":
        return None
    return PieceChecker(project_xml_schema(version), namespace, source)
