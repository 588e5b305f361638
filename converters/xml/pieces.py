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

A large submodel (its text at least :data:`LARGE_SUBMODEL` long) would still be one large subtree,
several times its text: it is cut one level further, the same way. Each element of its
``submodelElements`` is checked alone (the XSD's global element of its name has the type of the
element in the list) once its end tag has been read, then emptied and marked with an attribute
the XSD does not allow, so that every stand-in draws complaints (an empty element of some types
draws none) and exactly those of a lone stand-in of its name. The submodel is then checked with
its stand-ins, and each stand-in's complaints are replaced by its element's own findings, rebased
onto its place. A stand-in with other complaints than a lone one's ends the reading in pieces
(:class:`Surprise`), and the whole document is checked as before.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from aas.checks.schemas import XmlSchema, named_xpath, xsd_rule
from aas.findings import Finding, Location, Severity
from aas.metamodel.classes import ENVIRONMENT_ARRAYS
from aas.metamodel.paths import XPATH_PREFIX

#: A submodel whose text is at least this long is checked one element at a time (module doc).
LARGE_SUBMODEL = 4 << 20
#: Every concrete SubmodelElement, by the name of its element in ``submodelElements``.
SUBMODEL_ELEMENTS = (
    "annotatedRelationshipElement",
    "basicEventElement",
    "blob",
    "capability",
    "entity",
    "file",
    "multiLanguageProperty",
    "operation",
    "property",
    "range",
    "referenceElement",
    "relationshipElement",
    "submodelElementCollection",
    "submodelElementList",
)
#: The attribute that marks a submodel element's stand-in: no element of the XSD allows it.
STAND_IN = "aasToolkitStandIn"
#: A submodel's start or end tag, with any prefix.
_SUBMODEL_TAG = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?submodel(?=[\s/>])")

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


class Surprise(Exception):
    """A large submodel is not as its reading in pieces expects: check the whole document."""


def large_submodels(data: bytes) -> frozenset[int]:
    """The positions, among the submodels of the text in document order, of those whose text
    is at least :data:`LARGE_SUBMODEL` long. Found by a scan of the text for their tags: a
    wrong guess (a tag in a comment, say) only decides which submodels are cut, not what the
    check finds."""
    if len(data) < LARGE_SUBMODEL:
        return frozenset()
    large: set[int] = set()
    ordinal = -1
    opened: int | None = None
    for match in _SUBMODEL_TAG.finditer(data):
        if not match.group(1):
            ordinal += 1
            opened = match.start()
        elif opened is not None:
            if match.end() - opened >= LARGE_SUBMODEL:
                large.add(ordinal)
            opened = None
    return frozenset(large)


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
        self.submodel_tag = f"{{{namespace}}}submodel"
        self.elements_tag = f"{{{namespace}}}submodelElements"
        self.element_tags = tuple(f"{{{namespace}}}{name}" for name in SUBMODEL_ELEMENTS)
        #: The submodels to cut, by position among the submodels (see ``large_submodels``).
        self.large: frozenset[int] = frozenset()
        self._stand_in_complaints: dict[str, list[str]] = {}
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

    def check_element(self, element: Any) -> _Piece:
        """Check a whole element of a large submodel's ``submodelElements``; the caller then
        makes it a stand-in (:func:`make_stand_in`)."""
        piece = _Piece(element)
        schema = self.schema.schema
        if not schema.validate(element):
            piece.entries.extend(_entry_of(entry, element) for entry in schema.error_log)
        return piece

    def check_cut(self, element: Any, parts: list[_Piece]) -> None:
        """Check a large submodel whose elements (``parts``, checked already, in document
        order) are stand-ins now; raises :class:`Surprise` where the first stand-in's
        complaints are not a lone one's.

        Only the first stand-in stays in the list when the submodel is checked: every
        complaint costs libxml2 and lxml some microseconds, and the others could only draw
        their own. Every child of the list is a submodel element (the reader made sure), and
        the list allows any number of them in any order, so within a checked list each is
        checked, and no complaint lies between two of them; a list libxml2 skips (an
        unexpected element before it) has none of its elements checked, and the first
        stand-in draws nothing either."""
        piece = _Piece(element)
        self._pieces.append(piece)
        tree = element.getroottree()
        base = len(tree.getpath(element))
        rests = [path[base:] for path in _paths(tree, parts)]
        names: dict[Any, str] = {}
        listed: str | None = None  # the list's named steps from the submodel
        if any(part.entries for part in parts):
            names = _named_steps(parts[0].element.getparent())
            listed = _named_rest(element, rests[0].rpartition("/")[0])
        for part in parts[1:]:
            part.element.getparent().remove(part.element)
        schema = self.schema.schema
        if schema.validate(element):
            if parts:
                raise Surprise  # a stand-in always draws complaints
            return
        # alone in its list now, the first stand-in's path has no position there
        first = tree.getpath(parts[0].element)[base:] if parts else None
        complaints: list[str] = []
        for entry in schema.error_log:
            if first is not None and _rest_of(entry.path or None) == first:
                if not complaints:
                    piece.entries.extend(_rebased(parts, rests, names, listed))
                complaints.append(entry.message)
            else:
                piece.entries.append(_entry_of(entry, element))
        if complaints and complaints != self._lone_complaints(str(parts[0].element.tag)):
            raise Surprise

    def _lone_complaints(self, tag: str) -> list[str]:
        """What a lone stand-in named ``tag`` draws."""
        if tag not in self._stand_in_complaints:
            lone = etree.Element(tag, {STAND_IN: ""})
            schema = self.schema.schema
            schema.validate(lone)
            self._stand_in_complaints[tag] = [entry.message for entry in schema.error_log]
        return self._stand_in_complaints[tag]

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


def make_stand_in(element: Any) -> None:
    """Empty a checked submodel element, marked so that the XSD complains of it (see the module)."""
    element.clear(keep_tail=True)
    element.set(STAND_IN, "")


def _rebased(
    parts: list[_Piece], rests: list[str], names: dict[Any, str], listed: str | None
) -> list[_Entry]:
    """The parts' own findings, with paths from the submodel they lie in (``rests``: libxml2's
    path to each; ``listed`` and ``names``: the named steps to their list, and from it)."""
    rebased: list[_Entry] = []
    for part, rest in zip(parts, rests, strict=True):
        named = None if listed is None or ":" in rest else listed + names[part.element]
        for inner in part.entries:
            rebased.append(
                _Entry(
                    inner.rule,
                    inner.message,
                    inner.line,
                    None if inner.rest is None else rest + inner.rest,
                    None if named is None or inner.named_rest is None else named + inner.named_rest,
                )
            )
    return rebased


def _paths(tree: Any, parts: list[_Piece]) -> list[str]:
    """libxml2's paths to the parts (the element children of one list, in order), as
    ``tree.getpath`` gives them. That walks the siblings before each element, which for many
    is quadratic; in the default namespace libxml2 counts every element sibling (``*[n]``),
    so the paths are counted here, and checked against ``getpath`` at both ends."""
    if not parts:
        return []
    parent = parts[0].element.getparent()
    children = [child for child in parent if isinstance(child.tag, str)]
    if len(children) > 1 and all(part.element.prefix is None for part in parts):
        base = tree.getpath(parent)
        paths = [f"{base}/*[{at}]" for at in range(1, len(children) + 1)]
        ends = (children[0], children[-1])
        if (
            len(children) == len(parts)
            and ends[0] is parts[0].element
            and ends[1] is parts[-1].element
            and (tree.getpath(ends[0]), tree.getpath(ends[1])) == (paths[0], paths[-1])
        ):
            return paths
    return [tree.getpath(part.element) for part in parts]


def _named_steps(parent: Any) -> dict[Any, str]:
    """The named step to each element child of ``parent`` (``/aas:property[3]``), as
    ``_named_rest`` names it, found in one pass over the children (there may be many)."""
    counts: dict[str, int] = {}
    at: list[tuple[Any, int]] = []
    for child in parent:
        if isinstance(child.tag, str):
            counts[child.tag] = counts.get(child.tag, 0) + 1
            at.append((child, counts[child.tag]))
    steps: dict[Any, str] = {}
    for child, position in at:
        shown = f"[{position}]" if counts[child.tag] > 1 else ""
        steps[child] = f"/{XPATH_PREFIX}:{etree.QName(child).localname}{shown}"
    return steps


def _rest_of(path: str | None) -> str | None:
    """libxml2's path below the element a document was checked in (its first step)."""
    if path is None:
        return None
    slash = path.find("/", 1)
    return "" if slash < 0 else path[slash:]


def _entry_of(entry: Any, element: Any) -> _Entry:
    path: str | None = entry.path or None
    line: int | None = entry.line or None
    if path is None:
        return _Entry(xsd_rule(entry), entry.message, line, None, None)
    rest = _rest_of(path)
    assert rest is not None
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
    checker = PieceChecker(project_xml_schema(version), namespace, source)
    checker.large = large_submodels(data)
    return checker
