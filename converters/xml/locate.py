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
from aas.metamodel.paths import XPATH_PREFIX
from aas.xmlsafe import parser_options, refuse_doctype

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


def _compile(step: _Parsed, namespace: str | None) -> _Step:
    prefix, name, position = step
    if name == "*":
        return _Step(None, position)
    if prefix is None:
        return _Step(name, position)  # no prefix: an element in no namespace
    return _Step(f"{{{namespace}}}{name}" if namespace is not None else "\0", position)
