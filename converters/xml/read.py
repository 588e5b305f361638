"""Reading AAS XML: lxml streams the text, aas-core builds the model.

The parser never expands entities, never loads a DTD and never touches the network, and a
document with a DOCTYPE at all is refused: an AAS document needs none, and entity tricks
(billion laughs, external entities) all start there. Elements are dropped from the tree as
soon as aas-core has read them, so memory stays near the size of the model itself.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import TYPE_CHECKING, Any, TypeAlias

from lxml import etree

from aas.codec import ReadContext
from aas.errors import ReadError, too_deep
from aas.findings import Finding, Location, Severity
from aas.limits import Limits
from aas.metamodel.classes import deserialization_rule, from_iterparse, resolve_class_name
from aas.metamodel.paths import XPATH_PREFIX
from aas.model import Model
from aas.versions import XML_NAMESPACES, Binding, Version, binding, version_of_xml_namespace
from aas.xmlsafe import (
    LimitGuard,
    doctype_error,
    parse_xml,
    parser_options,
    refuse_doctype,
    syntax_error,
)

from ..v2.xml import build_v2_model, old_version_of_namespace
from . import prerelease
from .pieces import PieceChecker, Surprise, make_stand_in

if TYPE_CHECKING:
    import aas_core3.xmlization as x30
    import aas_core3_1.xmlization as x31

#: An iterparse event as aas-core reads it: ("start" or "end", the element).
Event: TypeAlias = tuple[str, etree._Element]
#: aas-core's refusal of a document, and where in it.
_Refusal: TypeAlias = "x30.DeserializationException | x31.DeserializationException"


class _Events:
    """lxml's iterparse events as aas-core wants them: elements only, each freed once read."""

    def __init__(
        self,
        data: bytes,
        source: str | None,
        findings: list[Finding],
        limits: Limits,
        empty_bytes: bool = False,
    ) -> None:
        self.source = source
        #: Give empty base64 elements an empty text (see ``_give_empty_bytes_text``); off
        #: unless a first reading met one, so the common path pays nothing for it.
        self.empty_bytes = empty_bytes
        self.findings = findings
        self.limits = limits
        self._data = data
        refuse_doctype(data, source)
        self._guard = LimitGuard(limits, source)
        self._events: Iterator[Event] = etree.iterparse(
            io.BytesIO(data), events=("start", "end", "comment", "pi"), **parser_options(limits)
        )
        self._pending: Event | None = None
        self.root: etree._Element | None = None

    def _next_raw(self) -> Event | None:
        try:
            return next(self._events)
        except StopIteration:
            return None
        except etree.XMLSyntaxError as error:
            if not error.position[0]:
                # iterparse loses some errors ("no element found (line 0)" for an undefined
                # entity): the whole-document parser names them, with their line.
                parse_xml(self._data, self.source, self.limits)
            raise syntax_error(error, self.source, self.limits) from None

    def first_element(self) -> etree._Element:
        """Read up to the root element's start, refusing a DOCTYPE."""
        while True:
            event = self._next_raw()
            if event is None:
                raise ReadError(
                    "the XML document has no root element",
                    Location(file=self.source),
                    rule="xml:syntax",
                )
            kind, node = event
            if kind == "start":
                if node.getroottree().docinfo.doctype:
                    raise doctype_error(self._data, self.source)
                self.root = node
                self._pending = event
                if self._guard.active:
                    self._guard.start(node)
                return node
            self._note_dropped(kind, node)

    def __iter__(self) -> Iterator[Event]:
        # Each element event is held back until the next one has been parsed. aas-core reads
        # an element's text at its start event, and lxml hands out the start event as soon as
        # the start tag is parsed: a long text (over about 32 KB) is then not complete yet and
        # would be cut short. Once the next event exists, the text before it is complete.
        # Comments and processing instructions are taken out once the text after them is
        # parsed too, and that text joins the text before them: "a<!--c-->b" reads as "ab".
        held = self._pending
        self._pending = None
        guard = self._guard if self._guard.active else None
        empty_bytes = self.empty_bytes
        dropped: list[etree._Element] = []
        while (event := self._next_raw()) is not None:
            kind, node = event
            if kind == "start":
                if guard is not None:
                    guard.start(node)
            elif kind == "end":
                if guard is not None:
                    guard.end(node)
            else:
                self._note_dropped(kind, node)
                dropped.append(node)
                continue
            if dropped:
                for other in dropped:
                    _remove_keeping_tail(other)
                dropped.clear()
            if held is not None:
                if empty_bytes and held[0] == "start" and held[1].text is None:
                    _give_empty_bytes_text(held[1])
                yield held
                if held[0] == "end":
                    _free(held[1])
            held = event
        if held is not None:
            yield held
            if held[0] == "end":
                _free(held[1])

    def drain(self) -> None:
        """Read what follows the root element, so trailing damage or comments are not missed."""
        for _ in self:
            pass

    def _note_dropped(self, kind: str, node: etree._Element) -> None:
        what = "comment" if kind == "comment" else "processing instruction"
        self.findings.append(_dropped(f"xml:{kind}-dropped", what, self.source, node.sourceline))


def _remove_keeping_tail(node: etree._Element) -> None:
    """Take a comment or processing instruction out of its element, keeping the text after it."""
    parent = node.getparent()
    if parent is None:  # beside the root element: no text of the model
        return
    tail = node.tail or ""
    previous = node.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(node)


def _free(node: etree._Element) -> None:
    """aas-core is done with an element once it has seen its end: free it."""
    node.clear()
    parent = node.getparent()
    if parent is not None:
        parent.remove(node)


def read(data: bytes, context: ReadContext) -> Model:
    """Stream the document into a model; elements are freed as soon as they are read."""
    try:
        return _read(data, context, empty_bytes=False)
    except _PreRelease:
        # A draft of V3.0 (rare): rewritten as a whole tree into V3.0, then read from it.
        return build_from_tree(parse_tree(data, context.source), context, [])
    except _EmptyBytes:
        # A Blob with an empty value (rare): read again, giving such elements their text.
        return _read(data, context, empty_bytes=True)


def _read(data: bytes, context: ReadContext, empty_bytes: bool) -> Model:
    findings: list[Finding] = []
    events = _Events(data, context.source, findings, Limits.from_environment(), empty_bytes)
    root = events.first_element()
    if old_version_of_namespace(_split_tag(str(root.tag))[0]) is not None:
        # V2.0 or V1.0: read whole into the V2 JSON form and upgraded (the V3 path pays
        # only this look-up of the root's namespace)
        tree = parse_xml(data, context.source, Limits.from_environment())
        return build_v2_model(tree, context, findings)
    if prerelease.is_pre_release(_split_tag(str(root.tag))[0]):
        raise _PreRelease
    model = _build(root, iter(events), context, findings, retry_empty_bytes=not empty_bytes)
    events.drain()
    return model


def read_checking(data: bytes, context: ReadContext, pieces: PieceChecker) -> Model | None:
    """An Environment read one identifiable at a time, each checked by ``pieces`` (the XSD)
    while its subtree is whole, then built by aas-core from it and emptied; None where the
    whole tree is to decide (see :mod:`.pieces`): a limit to count, damage, anything aas-core
    refuses, anything but the lists and their identifiables around them.

    lxml parses the text in C and stops only at the root, the lists, the identifiables and
    comments, so no Python runs per element but aas-core's reading of each identifiable (as
    from a parsed tree) and what the checks do.
    """
    limits = Limits.from_environment()
    if LimitGuard(limits, context.source).active:
        return None  # limits libxml2 does not enforce: the whole reading counts them
    findings: list[Finding] = []
    try:
        refuse_doctype(data, context.source)
        # A large submodel is read one element at a time: its list's and elements' events too.
        cut_tags = (pieces.elements_tag, *pieces.element_tags) if pieces.large else ()
        events = etree.iterparse(
            io.BytesIO(data),
            events=("start", "end", "comment", "pi"),
            tag=[*pieces.skeleton_tags, *cut_tags, etree.Comment, etree.ProcessingInstruction],
            **parser_options(limits),
        )
        reading = _Pieces(events, pieces, context.source, findings)
        root = reading.first_element()
        if root is None:
            return None
        model = _build(root, iter(reading), context, findings)
        reading.drain()
    except (ReadError, etree.Error, RecursionError, Surprise):
        return None
    if not reading.fits(root):
        return None
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _remove_keeping_tail(node)  # as the whole reading does before the schema sees the tree
    pieces.skeleton = root
    return model


class _Pieces:
    """The events aas-core reads an Environment from: the root's and the lists' own, and each
    identifiable's, walked over its subtree once that is whole (see :func:`read_checking`)."""

    def __init__(
        self,
        events: Iterator[Event],
        pieces: PieceChecker,
        source: str | None,
        findings: list[Finding],
    ) -> None:
        self._events = events
        self._pieces = pieces
        self._source = source
        self._findings = findings
        self._first: Event | None = None

    def first_element(self) -> etree._Element | None:
        for kind, node in self._events:
            if kind == "start":
                if node.getroottree().docinfo.doctype:
                    return None
                self._first = (kind, node)
                return node
            self._note(kind, node)
        return None

    def __iter__(self) -> Iterator[Event]:
        # Chained in C: an identifiable's events pass through one generator only.
        return chain.from_iterable(self._chunks())

    def _chunks(self) -> Iterator[Iterable[Event]]:
        if self._first is not None:
            yield (self._first,)
            self._first = None
        pieces = self._pieces
        commented = False  # a comment or processing instruction since the last identifiable
        submodels = 0  # the submodels begun so far
        cutting: _Cutting | None = None  # the large submodel being read one element at a time
        for kind, node in self._events:
            if kind == "comment" or kind == "pi":
                self._note(kind, node)
                commented = True
                continue
            parent = node.getparent()
            if parent is None:  # the root
                yield ((kind, node),)
                continue
            grandparent = parent.getparent()
            if grandparent is None:  # a list (or a list's name deeper down: no event)
                yield ((kind, node),)
            elif grandparent.getparent() is None:  # an identifiable, where it belongs
                if kind == "start":
                    if pieces.large and node.tag == pieces.submodel_tag and pieces.is_piece(node):
                        if submodels in pieces.large:
                            cutting = _Cutting(node)
                        submodels += 1
                    continue
                if not pieces.is_piece(node):
                    continue
                if cutting is not None and cutting.submodel is node:
                    if cutting.elements is not None:
                        yield cutting.close(pieces, self._source)
                        cutting = None
                        node.clear(keep_tail=True)
                        continue
                    cutting = None  # no elements to cut: checked whole
                if commented:
                    for inner in list(node.iter(etree.Comment, etree.ProcessingInstruction)):
                        _remove_keeping_tail(inner)  # noted when read, in document order
                    commented = False
                pieces.check(node)
                yield _tree_events(node, self._source, [])
                # aas-core has read the identifiable's end: empty it (its stand-in)
                node.clear(keep_tail=True)
            elif cutting is not None:
                if parent is cutting.submodel and node.tag == pieces.elements_tag:
                    yield cutting.open(node, self._source) if kind == "start" else cutting.end()
                elif kind == "end" and parent is cutting.elements:
                    if commented:
                        for inner in list(node.iter(etree.Comment, etree.ProcessingInstruction)):
                            _remove_keeping_tail(inner)
                        commented = False
                    cutting.parts.append(pieces.check_element(node))
                    yield _tree_events(node, self._source, [])
                    make_stand_in(node)  # aas-core has read it

    def drain(self) -> None:
        """Read what follows the root element, so trailing damage or comments are not missed."""
        for _ in self:
            pass

    def fits(self, root: etree._Element) -> bool:
        """Whether the skeleton holds only what aas-core read: the lists under the root, each
        holding only its identifiables, with no text but white space around them (aas-core
        reads an element's text at its start, which may not have been whole then)."""
        if (root.text or "").strip():
            return False
        for container in root:
            if not isinstance(container.tag, str):
                continue  # a comment: taken out before the schema sees it
            if not self._pieces.is_list(container):
                return False
            if (container.text or "").strip() or (container.tail or "").strip():
                return False
            for item in container:
                if isinstance(item.tag, str) and not self._pieces.is_piece(item):
                    return False
                if (item.tail or "").strip():
                    return False
        return True

    def _note(self, kind: str, node: etree._Element) -> None:
        what = "comment" if kind == "comment" else "processing instruction"
        self._findings.append(_dropped(f"xml:{kind}-dropped", what, self._source, node.sourceline))


class _Cutting:
    """A large submodel read one element of its ``submodelElements`` at a time: aas-core is
    given the submodel's start and the children before the list once the list begins, each
    element's events once it is whole, the rest at the submodel's end."""

    def __init__(self, submodel: etree._Element) -> None:
        self.submodel = submodel
        self.elements: etree._Element | None = None
        self.parts: list[Any] = []  # the elements' own checks (``pieces._Piece``)

    def open(self, elements: etree._Element, source: str | None) -> Iterable[Event]:
        if self.elements is not None:
            raise Surprise  # a second list: the whole reading reports it
        self.elements = elements
        before = [child for child in self.submodel if isinstance(child.tag, str)][:-1]
        return chain(
            (("start", self.submodel),),
            chain.from_iterable(_tree_events(child, source, []) for child in before),
            (("start", elements),),
        )

    def end(self) -> Iterable[Event]:
        assert self.elements is not None
        if len(self.parts) != sum(1 for child in self.elements if isinstance(child.tag, str)):
            raise Surprise  # something in the list that is no submodel element
        if (self.elements.text or "").strip() or any(
            (child.tail or "").strip() for child in self.elements
        ):
            raise Surprise  # text in the list: where libxml2 reports it is not followed here
        return (("end", self.elements),)

    def close(self, pieces: PieceChecker, source: str | None) -> Iterable[Event]:
        """The rest of the submodel's events, once it is checked with its stand-ins."""
        submodel = self.submodel
        assert self.elements is not None  # closed only once the list began
        for inner in list(submodel.iter(etree.Comment, etree.ProcessingInstruction)):
            _remove_keeping_tail(inner)  # noted when read, in document order
        pieces.check_cut(submodel, self.parts)
        children = [child for child in submodel if isinstance(child.tag, str)]
        after = children[children.index(self.elements) + 1 :]
        return chain(
            chain.from_iterable(_tree_events(child, source, []) for child in after),
            (("end", submodel),),
        )


class _PreRelease(Exception):
    """The root is in the pre-release V3.0 namespace: the document is read as a tree."""


class _EmptyBytes(Exception):
    """aas-core met an empty base64 element, which the first, fast reading leaves as it is."""


def parse_tree(data: bytes, source: str | None) -> etree._Element:
    """The whole document as an lxml tree (for schema validation and line numbers)."""
    return parse_xml(data, source, Limits.from_environment())


def upgrade_pre_release(root: etree._Element, source: str | None) -> list[Finding]:
    """Rewrite a tree in the pre-release V3.0 namespace into V3.0, in place (see
    :mod:`.prerelease`), and say what differed; nothing for any other tree."""
    if not prerelease.is_pre_release(_split_tag(str(root.tag))[0]):
        return []
    return prerelease.upgrade(root, source)


def select(root: etree._Element, xpath: str) -> etree._Element | None:
    """The element ``xpath`` (with the prefix ``aas`` for the root's namespace) selects in
    the tree of ``root``; None if it selects none, or lxml refuses the XPath."""
    document = root.getroottree()
    namespaces = {XPATH_PREFIX: etree.QName(root).namespace or ""}
    try:
        nodes = document.xpath(xpath, namespaces=namespaces)
    except etree.XPathError:
        return None
    if isinstance(nodes, list) and nodes and isinstance(nodes[0], etree._Element):
        return nodes[0]
    return None


def build_from_tree(root: etree._Element, context: ReadContext, findings: list[Finding]) -> Model:
    """The model in a parsed tree, which is left intact (but for its comments and processing
    instructions) so findings can be located in it. A pre-release V3.0 tree is first rewritten
    into V3.0 (its elements keep their lines); a V2.0 or V1.0 tree is upgraded."""
    if old_version_of_namespace(_split_tag(str(root.tag))[0]) is not None:
        return build_v2_model(root, context, findings)
    findings.extend(upgrade_pre_release(root, context.source))
    return _build(root, _tree_events(root, context.source, findings), context, findings)


def _tree_events(
    root: etree._Element, source: str | None, findings: list[Finding]
) -> Iterator[Event]:
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        what = "comment" if isinstance(node, etree._Comment) else "processing instruction"
        rule = "xml:comment-dropped" if what == "comment" else "xml:pi-dropped"
        findings.append(_dropped(rule, what, source, node.sourceline))
        _remove_keeping_tail(node)  # its text joins the text before it, as when streaming
    for kind, node in etree.iterwalk(root, events=("start", "end")):
        if isinstance(node.tag, str):
            if kind == "start" and node.text is None:
                _give_empty_bytes_text(node)
            yield kind, node


#: Elements holding base64 bytes (``Blob/value``, ``EventPayload/payload``), by the local
#: names of the element and its parent.
_BYTES_ELEMENTS = frozenset({("value", "blob"), ("payload", "eventPayload")})


def _give_empty_bytes_text(node: etree._Element) -> None:
    """An empty base64 element (``<value/>`` in a Blob) holds zero bytes.

    Both official XSDs accept an empty ``xs:base64Binary``, and the writer writes one for an
    empty Blob value; aas-core requires text there, so the element is given an empty one.
    Only called for elements without text, which are rare: the common path pays nothing.
    """
    if len(node):
        return
    parent = node.getparent()
    if parent is None:
        return
    tag, parent_tag = node.tag, parent.tag
    if not isinstance(tag, str) or not isinstance(parent_tag, str):
        return
    if (_split_tag(tag)[1], _split_tag(parent_tag)[1]) in _BYTES_ELEMENTS:
        node.text = ""


def _dropped(rule: str, what: str, source: str | None, line: int | None) -> Finding:
    return Finding(
        Severity.INFO,
        rule,
        f"an XML {what} is not part of the model and is not carried over",
        Location(file=source, line=line),
    )


def _build(
    root: etree._Element,
    events: Iterator[Event],
    context: ReadContext,
    findings: list[Finding],
    retry_empty_bytes: bool = False,
) -> Model:
    namespace, localname = _split_tag(str(root.tag))  # an element's tag: a str
    version = _version_of(namespace, context, root)
    bound = binding(version)
    _strip_schema_instance_attributes(root, localname, context.source, findings)
    class_name = context.model_type or resolve_class_name(bound, localname)
    if class_name is None:
        raise ReadError(
            f"the root element <{localname}> is no class of the AAS metamodel",
            Location(
                file=context.source,
                xpath=f"/{XPATH_PREFIX}:{localname}",
                line=root.sourceline,
            ),
            rule="model:model-type",
        )
    try:
        instance = from_iterparse(bound, events, class_name)
    except RecursionError:
        raise too_deep("the model", "read", context.source, "xml:nesting-depth") from None
    except bound.xmlization.DeserializationException as error:
        if retry_empty_bytes and _is_empty_bytes(error):
            raise _EmptyBytes from None
        raise ReadError(
            f"cannot read as an AAS V{version} model: {error.cause}",
            _location_of(error.path, bound, context.source),
            rule=deserialization_rule(error.cause),
        ) from None
    return Model(root=instance, version=version, source=context.source, findings=findings)


_XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _strip_schema_instance_attributes(
    root: etree._Element, localname: str, source: str | None, findings: list[Finding]
) -> None:
    """Take ``xsi:`` attributes (``xsi:schemaLocation``, ...) off the root element.

    Producers write them as hints for schema validators; XML Schema allows them on any
    element, but aas-core refuses every attribute. They carry nothing of the model, so each
    is reported and dropped. Other attributes stay, and aas-core refuses them as before.
    Namespace declarations are no attributes here (lxml keeps them apart) and need nothing.
    """
    for name in [name for name in root.attrib if name.startswith("{" + _XSI + "}")]:
        value = root.attrib[name]
        shown = value if len(value) <= 120 else value[:117] + "..."
        attribute = "xsi:" + name[len(_XSI) + 2 :]
        findings.append(
            Finding(
                Severity.WARNING,
                "xml:root-attribute",
                f"the root element carries {attribute}={shown!r}, an XML Schema instance "
                "attribute (for validators) that is no part of the model; it is not carried over",
                Location(file=source, xpath=f"/{XPATH_PREFIX}:{localname}", line=root.sourceline),
            )
        )
        del root.attrib[name]


def _is_empty_bytes(error: _Refusal) -> bool:
    """Whether aas-core stopped at an empty base64 element (``<value/>`` in a Blob)."""
    if "with no text" not in str(error.cause):
        return False
    segments = list(error.path.segments)
    if len(segments) < 2:
        return False
    element, parent = segments[-1].element, segments[-2].element
    if not isinstance(element.tag, str) or not isinstance(parent.tag, str):
        return False
    return (_split_tag(element.tag)[1], _split_tag(parent.tag)[1]) in _BYTES_ELEMENTS


def _split_tag(tag: str) -> tuple[str | None, str]:
    """Namespace and local name of an lxml tag. Unlike ``etree.QName`` this takes a namespace
    holding "}" (which the streaming parser lets through) without raising."""
    if tag.startswith("{"):
        namespace, _, localname = tag[1:].rpartition("}")
        return namespace, localname
    return None, tag


def _version_of(namespace: str | None, context: ReadContext, root: etree._Element) -> Version:
    known = " or ".join(XML_NAMESPACES.values())
    where = Location(file=context.source, line=root.sourceline)
    if namespace is None:
        raise ReadError(
            f"the root element has no namespace; expected {known}", where, rule="xml:namespace"
        )
    version = version_of_xml_namespace(namespace)
    if version is None:
        raise ReadError(
            f"unknown namespace {namespace!r}; expected {known}", where, rule="xml:namespace"
        )
    if context.version is not None and context.version != version:
        raise ReadError(
            f"the document is AAS V{version} (by its namespace), but V{context.version} was "
            "asked for; to change a model's version, convert it with --to-version",
            where,
            rule="aas:version-mismatch",
        )
    return version


def _location_of(path: Any, bound: Binding, source: str | None) -> Location:
    # aas-core's xmlization.Path: its annotations name the standard library's Element, but
    # what it holds are lxml's elements (with their source lines), so it is taken untyped.
    steps: list[str] = []
    line: int | None = None
    for segment in path.segments:
        element = segment.element
        name = _split_tag(element.tag)[1] if isinstance(element.tag, str) else "node()"
        if isinstance(segment, bound.xmlization.IndexSegment):
            steps.append(f"*[{segment.index + 1}]")
        else:
            steps.append(f"{XPATH_PREFIX}:{name}")
        line = element.sourceline or line
    xpath = "".join("/" + step for step in steps)
    return Location(file=source, xpath=xpath or None, line=line)
