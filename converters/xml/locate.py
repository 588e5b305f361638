"""Where XPaths lead in an XML text, found in one streaming pass instead of a parsed tree.

Findings point into XML by XPaths of a few simple shapes: steps from the root, each a name
with the prefix ``aas`` (the root's namespace) or ``*``, with a position or not
(``/aas:environment/aas:submodels/aas:submodel[2]/*[3]``), or ending at an attribute or text.
They select what lxml's XPath selects in the whole tree: the first element in document order
that the steps reach (a step without a position follows every child of that name). Each
element is read once, its start event telling its name and position among its siblings, and
freed at its end, so memory stays small whatever the size of the text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree

from aas.errors import ReadError
from aas.limits import Limits
from aas.metamodel.classes import ENVIRONMENT_ARRAYS
from aas.metamodel.paths import XPATH_PREFIX
from aas.xmlsafe import parser_options, refuse_doctype

from .pieces import SUBMODEL_ELEMENTS, large_submodels

#: A step: a name test (``prefix:name``, ``name`` or ``*``) and an optional position.
_STEP = re.compile(r"(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*|\*)(?:\[([0-9]+)\])?")
#: Steps that select no element (an attribute, text), so the XPath leads to none.
_NOT_ELEMENT = re.compile(r"@[\w.:-]+|text\(\)")

#: An element's place: its position among the element children at each level from the root,
#: and its line.
Place = tuple[tuple[int, ...], int | None]
#: A step as written: its prefix, its name (or ``*``) and its position.
_Parsed = tuple[str | None, str, int | None]


@dataclass(frozen=True)
class _Step:
    #: "{namespace}local" to compare with lxml's tag, or None for ``*`` (any element)
    tag: str | None
    position: int | None


@dataclass
class _Frame:
    """An open element: the steps of each XPath reached at it, and its children so far."""

    states: list[tuple[int, int]]
    children: int = 0
    by_tag: dict[str, int] = field(default_factory=dict)


def resolve(data: bytes, xpaths: Iterable[str]) -> dict[str, Place | None] | None:
    """Where each XPath leads (None for no element); None for all when an XPath is of a shape
    this does not follow or the text cannot be read (the tree then decides, as before)."""
    result: dict[str, Place | None] = {}
    live: list[tuple[str, list[_Parsed]]] = []
    for xpath in xpaths:
        steps = _parse(xpath)
        if steps is False:
            return None
        result[xpath] = None
        if steps is not True:
            live.append((xpath, steps))
    if not live:
        return result
    try:
        refuse_doctype(data, None)
        found = _walk_environment(data, live)
        if found is None:
            found = _walk(data, live)
    except (ReadError, etree.Error):
        return None
    result.update(found)
    return result


def _parse(xpath: str) -> list[_Parsed] | bool:
    """The steps of ``xpath`` (prefix, name or ``*``, position); True for an XPath that
    selects no element; False for a shape not followed here."""
    if not xpath.startswith("/") or xpath == "/":
        return False
    steps: list[_Parsed] = []
    for text in xpath[1:].split("/"):
        if _NOT_ELEMENT.fullmatch(text):
            return True
        match = _STEP.fullmatch(text)
        if match is None:
            return False
        prefix, name, position = match.groups()
        if prefix is not None and prefix != XPATH_PREFIX:
            return True  # lxml knows no other prefix: the XPath selects nothing
        if name == "*" and prefix is not None:
            return False
        steps.append((prefix, name, int(position) if position is not None else None))
    return steps


def _walk(data: bytes, live: list[tuple[str, list[_Parsed]]]) -> dict[str, Place | None]:
    compiled: list[list[_Step]] = []
    found: dict[str, Place | None] = {}
    left = len(live)
    frames: list[_Frame] = [_Frame([(index, 0) for index in range(len(live))])]
    positions: list[int] = []
    events = etree.iterparse(
        io.BytesIO(data), events=("start", "end"), **parser_options(Limits.from_environment())
    )
    for kind, node in events:
        if kind == "end":
            frames.pop()
            positions.pop()
            node.clear()
            parent = node.getparent()
            if parent is not None:
                parent.remove(node)
            continue
        tag = node.tag
        if not isinstance(tag, str):
            continue
        if not compiled:
            namespace = tag[1:].rpartition("}")[0] if tag.startswith("{") else None
            compiled = [[_compile(step, namespace) for step in steps] for _, steps in live]
        parent_frame = frames[-1]
        parent_frame.children += 1
        position = parent_frame.children
        same = parent_frame.by_tag[tag] = parent_frame.by_tag.get(tag, 0) + 1
        positions.append(position)
        states: list[tuple[int, int]] = []
        for index, reached in parent_frame.states:
            steps = compiled[index]
            step = steps[reached]
            if step.tag is not None and step.tag != tag:
                continue
            if step.position is not None and step.position != (
                position if step.tag is None else same
            ):
                continue
            if reached + 1 < len(steps):
                states.append((index, reached + 1))
                continue
            xpath = live[index][0]
            if xpath not in found:
                found[xpath] = (tuple(positions), node.sourceline)
                left -= 1
        frames.append(_Frame(states))
        if not left:
            break
    return found


def _walk_environment(
    data: bytes, live: list[tuple[str, list[_Parsed]]]
) -> dict[str, Place | None] | None:
    """The fast way for an Environment (the common document): lxml parses in C and stops
    only at the root, its lists and their identifiables; the steps below an identifiable are
    lxml's own XPath over its subtree, which is then emptied. None for another root, or when
    the first three levels hold anything else (the element-by-element walk then decides)."""
    namespace = root_namespace(data)
    if namespace is None:
        return None
    root_tag = f"{{{namespace}}}environment"
    items = {
        f"{{{namespace}}}{key}": f"{{{namespace}}}{class_name[0].lower()}{class_name[1:]}"
        for key, (_, class_name) in ENVIRONMENT_ARRAYS.items()
    }
    compiled = [[_compile(step, namespace) for step in steps] for _, steps in live]
    below = [_below(steps[3:], namespace) for _, steps in live]
    found: dict[str, Place | None] = {}
    left = len(live)
    at_list: list[int] = []  # the XPaths whose first two steps reached the open list
    list_position = 0
    list_counts: dict[str, int] = {}
    item_position = 0
    item_count = 0
    # A large submodel is walked one element of its list at a time (as it is checked).
    large = large_submodels(data)
    cut_tags = [f"{{{namespace}}}{name}" for name in ("submodelElements", *SUBMODEL_ELEMENTS)]
    submodel_tag = f"{{{namespace}}}submodel"
    submodels = 0
    cutting: _Cut | None = None
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        tag=[root_tag, *items, *items.values(), *(cut_tags if large else ())],
        **parser_options(Limits.from_environment()),
    )
    root: etree._Element | None = None
    for kind, node in events:
        parent = node.getparent()
        if cutting is not None and parent is not None and parent is not root:
            if parent is cutting.submodel and node.tag == cut_tags[0]:
                if kind == "start":
                    cutting.open(node)
                elif any(isinstance(child.tag, str) for child in node):
                    return None  # elements that are no submodel elements: counted wrong
                continue
            if kind == "end" and parent is cutting.elements:
                left -= cutting.element(node, compiled, live, found)
                if not left:
                    break
                continue
            if node is not cutting.submodel:
                continue  # deeper down: walked with its element
        if kind == "start" and large and node.tag == submodel_tag and parent is not None:
            grandparent = parent.getparent()
            if grandparent is not None and grandparent.getparent() is None:
                if submodels in large and items.get(str(parent.tag)) == node.tag:
                    place = (1, list_position, item_position + 1)
                    cutting = _Cut(node, place, item_count + 1, at_list, live, namespace)
                submodels += 1
                continue
        if parent is None:  # the root
            if kind == "end":
                break
            if node.tag != root_tag:
                return None
            root = node
            for index, steps in enumerate(compiled):
                if _matches(steps[0], node.tag, 1, 1) and len(steps) == 1:
                    found[live[index][0]] = ((1,), node.sourceline)
                    left -= 1
            continue
        grandparent = parent.getparent()
        if grandparent is None:  # a list
            if kind == "end":
                continue
            list_position += 1
            tag = str(node.tag)
            same = list_counts[tag] = list_counts.get(tag, 0) + 1
            item_position = item_count = 0
            at_list = []
            for index, steps in enumerate(compiled):
                if len(steps) < 2 or live[index][0] in found:
                    continue
                if not _matches(steps[0], root_tag, 1, 1):
                    continue
                if not _matches(steps[1], tag, list_position, same):
                    continue
                if len(steps) == 2:
                    found[live[index][0]] = ((1, list_position), node.sourceline)
                    left -= 1
                else:
                    at_list.append(index)
            continue
        if grandparent.getparent() is not None or kind != "end":
            continue  # deeper down: walked with its identifiable
        if items.get(str(parent.tag)) != node.tag:
            return None  # not the lists' own items: the careful walk decides
        item_position += 1
        item_count += 1
        place = (1, list_position, item_position)
        for index in at_list:
            xpath = live[index][0]
            steps = compiled[index]
            if xpath in found or not _matches(steps[2], str(node.tag), item_position, item_count):
                continue
            if len(steps) == 3:
                found[xpath] = (place, node.sourceline)
                left -= 1
                continue
            below_place = _select(below[index], node)
            if below_place is not None:
                found[xpath] = (place + below_place[0], below_place[1])
                left -= 1
        # No proxy into the subtree may be left here: lxml would move the subtree aside
        # (a walk over all of it) instead of freeing it.
        node.clear(keep_tail=True)
        cutting = None
        if not left:
            break
    if root is None or not _plain(root, items):
        return None
    return found


class _Cut:
    """A large submodel walked one element of its ``submodelElements`` at a time: the XPaths
    that lead into its elements are followed at each element's end, which is then freed."""

    def __init__(
        self,
        submodel: etree._Element,
        place: tuple[int, ...],
        same: int,
        at_list: list[int],
        live: list[tuple[str, list[_Parsed]]],
        namespace: str,
    ) -> None:
        self.submodel = submodel
        self.place = place
        #: the XPaths that reach this submodel and lead into its list's elements, each with
        #: lxml's XPath for its steps below the element
        self.into: dict[int, etree.XPath] = {}
        for index in at_list:
            steps = live[index][1]
            if len(steps) > 4 and _matches(
                _compile(steps[2], namespace), str(submodel.tag), place[-1], same
            ):
                self.into[index] = _below(steps[5:], namespace)
        self.elements: etree._Element | None = None
        self.list_place = (0, 0)  # the list's position among the submodel's children, by name
        self.count = 0
        self.by_tag: dict[str, int] = {}

    def open(self, elements: etree._Element) -> None:
        children = [child for child in self.submodel if isinstance(child.tag, str)]
        same = sum(1 for child in children if child.tag == elements.tag)
        self.elements, self.list_place = elements, (len(children), same)
        self.count = 0
        self.by_tag = {}

    def element(
        self,
        node: etree._Element,
        compiled: list[list[_Step]],
        live: list[tuple[str, list[_Parsed]]],
        found: dict[str, Place | None],
    ) -> int:
        """Follow the XPaths into ``node``, an element of the list that has ended, and free
        it; how many XPaths it settled."""
        assert self.elements is not None
        tag = str(node.tag)
        self.count += 1
        same = self.by_tag[tag] = self.by_tag.get(tag, 0) + 1
        settled = 0
        for index, deeper_steps in self.into.items():
            xpath = live[index][0]
            steps = compiled[index]
            if xpath in found or not _matches(steps[3], str(self.elements.tag), *self.list_place):
                continue
            if not _matches(steps[4], tag, self.count, same):
                continue
            place = (*self.place, self.list_place[0], self.count)
            if len(steps) == 5:
                found[xpath] = (place, node.sourceline)
                settled += 1
                continue
            deeper = _select(deeper_steps, node)
            if deeper is not None:
                found[xpath] = (place + deeper[0], deeper[1])
                settled += 1
        node.clear(keep_tail=True)
        self.elements.remove(node)
        return settled


def root_namespace(data: bytes) -> str | None:
    """The namespace of the root element, by a look at its start tag only."""
    for _, node in etree.iterparse(io.BytesIO(data), events=("start",), **parser_options()):
        tag = str(node.tag)
        return tag[1:].rpartition("}")[0] if tag.startswith("{") else None
    return None


def _matches(step: _Step, tag: str, position: int, same: int) -> bool:
    if step.tag is not None and step.tag != tag:
        return False
    return step.position is None or step.position == (position if step.tag is None else same)


def _below(steps: list[_Parsed], namespace: str) -> etree.XPath:
    """lxml's XPath for the steps below an identifiable, relative to it."""
    text = "/".join(
        f"{prefix + ':' if prefix else ''}{name}{f'[{position}]' if position else ''}"
        for prefix, name, position in steps
    )
    return etree.XPath("./" + text if text else ".", namespaces={XPATH_PREFIX: namespace})


def _select(xpath: etree.XPath, top: etree._Element) -> Place | None:
    """The place below ``top`` of the first element ``xpath`` selects from it, if any."""
    selected = xpath(top)
    if isinstance(selected, list) and selected:
        first = selected[0]
        if isinstance(first, etree._Element) and isinstance(first.tag, str):
            return _positions(first, top), first.sourceline
    return None


def _positions(node: etree._Element, top: etree._Element) -> tuple[int, ...]:
    """The positions among element siblings from below ``top`` down to ``node``."""
    positions: list[int] = []
    while node is not top:
        before = sum(1 for other in node.itersiblings(preceding=True) if isinstance(other.tag, str))
        positions.append(before + 1)
        parent = node.getparent()
        assert parent is not None  # ``node`` lies below ``top``
        node = parent
    return tuple(reversed(positions))


def _plain(root: etree._Element, items: dict[str, str]) -> bool:
    """Whether the first three levels read so far held only the lists and their items (the
    positions counted above are then those of the document)."""
    for container in root:
        if not isinstance(container.tag, str):
            continue
        item = items.get(container.tag)
        if item is None:
            return False
        for child in container:
            if isinstance(child.tag, str) and child.tag != item:
                return False
    return True


def _compile(step: _Parsed, namespace: str | None) -> _Step:
    prefix, name, position = step
    if name == "*":
        return _Step(None, position)
    if prefix is None:
        return _Step(name, position)  # no prefix: an element in no namespace
    return _Step(f"{{{namespace}}}{name}" if namespace is not None else "\0", position)
