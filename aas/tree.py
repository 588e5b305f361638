"""A model as a tree to read: the data behind ``aas show`` and :func:`aas.show_tree`.

The root is the model (its file, class, format and version); below it the shells (id,
idShort, their asset and the submodels they list), the submodels (id, idShort, semanticId)
with their elements as the file nests them, and the concept descriptions. An element shows
its idShort (a list item its index), its class and its value: a Property's value with its
unit, a Range as ``min..max`` with its unit, a MultiLanguageProperty's strings with their
languages, a File's path and content type, a Blob's size, a reference in its text form.

The unit of an element is the one its own IEC 61360 data specification gives, else the one
of the ConceptDescription its semanticId names (found as :mod:`aas.value_rows` finds it).

Text from the model is shown on one line (line breaks and control characters, among them the
escape that starts a terminal sequence, become spaces) and long values are cut: the tree is
for looking; ``aas values`` and :func:`aas.load` give values whole.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from aas.model import Model
from aas.value_rows import concepts_by_id, element_children, first_key, one_line, reference_text
from aas.wording import counted

#: The longest a value (one language string, one id) is shown before it is cut.
VALUE_WIDTH = 80

#: ANSI SGR codes of each kind of text.
_COLORS = {
    "name": "1",  # idShort: bold
    "class": "36",  # cyan
    "value": "32",  # green
    "unit": "33",  # yellow
    "id": "2",  # dim
    "note": "2",
}


@dataclass(frozen=True)
class _Glyphs:
    branch: str
    last: str
    through: str
    arrow: str
    ellipsis: str


_UNICODE = _Glyphs("\u251c\u2500\u2500 ", "\u2514\u2500\u2500 ", "\u2502   ", "\u2192", "\u2026")
_ASCII = _Glyphs("|-- ", "`-- ", "|   ", "->", "...")
#: The characters the Unicode tree needs from the output's encoding.
TREE_CHARACTERS = "\u251c\u2500\u2514\u2502\u2192\u2026"


@dataclass
class _Node:
    """One line of the tree: its parts (kind of text, text) and what lies below it."""

    parts: list[tuple[str, str]]
    semantic_id: str | None = None
    children: list[_Node] = field(default_factory=list)
    #: The model object whose children are still to be made into nodes (None once made).
    pending: Any = None


def show_tree(
    model: Model,
    *,
    depth: int | None = None,
    semantic_ids: Collection[str] | None = None,
    color: bool = False,
    ascii: bool = False,
) -> str:
    """The tree of ``model`` as text, one line per node (see the module's docstring).

    ``depth`` is how many levels below the model are shown (1: the shells, submodels and
    concept descriptions; 2: besides, what lies directly in them; None: all); a node whose
    children are cut says how many lie below it. With ``semantic_ids`` (ids, or one id as a
    string), only the branches that lead to a submodel or element whose semanticId's first
    key is one of them, compared as written (as ``aas values --semantic-id``); a matching
    node keeps all it holds, and shells and concept descriptions (which have no semanticId)
    are left out. ``color`` adds ANSI colours; ``ascii`` draws the tree in ASCII."""
    return "".join(line + "\n" for line in tree_lines(model, depth, semantic_ids, color, ascii))


def tree_lines(
    model: Model,
    depth: int | None = None,
    semantic_ids: Collection[str] | None = None,
    color: bool = False,
    ascii: bool = False,
) -> Iterator[str]:
    """The lines of :func:`show_tree`, without line ends."""
    if depth is not None and depth < 0:
        raise ValueError(f"depth must be 0 or more, not {depth}")
    glyphs = _ASCII if ascii else _UNICODE
    root = _Builder(model, glyphs).build()
    if semantic_ids is not None:
        wanted = frozenset((semantic_ids,) if isinstance(semantic_ids, str) else semantic_ids)
        _keep_matching(root, wanted)
    if depth == 0:
        yield _paint([*root.parts, ("note", f"({_count(root)} below)")], color)
        return
    yield _paint(root.parts, color)
    # A stack, not recursion: elements nest as deep as the reader's limit lets them.
    stack: list[tuple[_Node, str, bool, int]] = [
        (child, "", index == len(root.children) - 1, 1)
        for index, child in reversed(list(enumerate(root.children)))
    ]
    while stack:
        node, prefix, last, level = stack.pop()
        parts = list(node.parts)
        cut = depth is not None and level >= depth and node.children
        if cut:
            parts.append(("note", f"({_count(node)} below)"))
        yield prefix + (glyphs.last if last else glyphs.branch) + _paint(parts, color)
        if cut:
            continue
        inner = prefix + ("    " if last else glyphs.through)
        count = len(node.children)
        stack.extend(
            (child, inner, index == count - 1, level + 1)
            for index, child in reversed(list(enumerate(node.children)))
        )


def _count(node: _Node) -> int:
    """How many nodes lie below ``node``."""
    total, stack = 0, list(node.children)
    while stack:
        below = stack.pop()
        total += 1
        stack.extend(below.children)
    return total


def _paint(parts: Sequence[tuple[str, str]], color: bool) -> str:
    if not color:
        return "  ".join(text for _, text in parts)
    return "  ".join(f"\x1b[{_COLORS[kind]}m{text}\x1b[0m" for kind, text in parts)


def _keep_matching(root: _Node, wanted: frozenset[str]) -> None:
    """Cut every branch that leads to no node of a wanted semanticId; a matching node keeps
    its whole subtree."""
    order: list[_Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(node.children)
    keep: dict[int, bool] = {}
    for node in reversed(order):  # children before their parent
        matched = node.semantic_id is not None and node.semantic_id in wanted
        keep[id(node)] = matched or any(keep[id(child)] for child in node.children)
    stack = [root]
    while stack:
        node = stack.pop()
        if node is not root and node.semantic_id is not None and node.semantic_id in wanted:
            continue  # all below a match stays
        node.children = [child for child in node.children if keep[id(child)]]
        stack.extend(node.children)


class _Builder:
    """Makes the nodes of one model, iteratively."""

    def __init__(self, model: Model, glyphs: _Glyphs) -> None:
        self.model = model
        self.glyphs = glyphs
        root: Any = model.root
        is_environment = type(root).__name__ == "Environment"
        self.concepts = concepts_by_id(root) if is_environment else {}
        self.submodel_names: dict[str, str] = {}
        if is_environment:
            for submodel in root.submodels or ():
                if submodel.id_short and submodel.id not in self.submodel_names:
                    self.submodel_names[submodel.id] = submodel.id_short

    def build(self) -> _Node:
        model = self.model
        about = ", ".join(
            part for part in (model.format, f"V{model.version.value}", self._upgraded()) if part
        )
        name = _short(model.source, VALUE_WIDTH * 2, self.glyphs) if model.source else "<input>"
        root = _Node([("name", name), ("class", model.class_name), ("note", f"({about})")])
        root.pending = model.root
        work = [root]
        while work:
            node = work.pop()
            below, node.pending = node.pending, None
            node.children = self._children(below, node is root)
            work.extend(child for child in node.children if child.pending is not None)
        return root

    def _upgraded(self) -> str | None:
        upgraded = self.model.upgraded_from
        return f"upgraded from V{upgraded}" if upgraded else None

    def _children(self, thing: Any, is_root: bool) -> list[_Node]:
        kind = type(thing).__name__
        if kind == "Environment":
            return [
                *(self._shell(shell) for shell in thing.asset_administration_shells or ()),
                *(self._submodel(submodel) for submodel in thing.submodels or ()),
                *(self._concept(concept) for concept in thing.concept_descriptions or ()),
            ]
        if is_root:  # a file holding one identifiable or element: it is the one node
            if kind == "Submodel":
                return [self._submodel(thing)]
            if kind == "AssetAdministrationShell":
                return [self._shell(thing)]
            if kind == "ConceptDescription":
                return [self._concept(thing)]
            return [self._element(thing, None)]
        if kind == "Submodel":
            return [self._element(element, None) for element in thing.submodel_elements or ()]
        is_list = kind == "SubmodelElementList"
        return [
            self._element(child, index if is_list else None)
            for index, (_, child) in enumerate(element_children("", thing))
        ]

    def _shell(self, shell: Any) -> _Node:
        node = _Node(self._named("AssetAdministrationShell", shell))
        info = shell.asset_information
        asset: list[tuple[str, str]] = [("class", "asset"), ("value", info.asset_kind.value)]
        if info.global_asset_id:
            asset.append(("id", self._text(info.global_asset_id)))
        if info.asset_type:
            asset.append(("note", f"type {self._text(info.asset_type)}"))
        node.children.append(_Node(asset))
        for reference in shell.submodels or ():
            target = first_key(reference) or ""
            parts = [("class", "submodel"), ("value", self.glyphs.arrow)]
            if target in self.submodel_names:
                parts.append(("name", self._text(self.submodel_names[target])))
            parts.append(("id", self._text(target)))
            node.children.append(_Node(parts))
        return node

    def _submodel(self, submodel: Any) -> _Node:
        parts = self._named("Submodel", submodel)
        semantic_id = first_key(submodel.semantic_id)
        if semantic_id is not None:
            parts.append(("note", f"semanticId {self._text(semantic_id)}"))
        return _Node(parts, semantic_id, pending=submodel)

    def _concept(self, concept: Any) -> _Node:
        parts = self._named("ConceptDescription", concept)
        known = self.concepts.get(concept.id)
        if known is not None and known.preferred_name:
            parts.append(("value", self._text(known.preferred_name)))
        if known is not None and known.unit:
            parts.append(("unit", f"[{self._text(known.unit)}]"))
        return _Node(parts)

    def _named(self, kind: str, identifiable: Any) -> list[tuple[str, str]]:
        parts = [("class", kind)]
        if identifiable.id_short:
            parts.append(("name", self._text(identifiable.id_short)))
        parts.append(("id", self._text(identifiable.id)))
        return parts

    def _element(self, element: Any, index: int | None) -> _Node:
        kind = type(element).__name__
        name = f"[{index}]" if index is not None else self._text(element.id_short or "")
        parts = [("name", name or "?"), ("class", kind)]
        parts.extend(self._value(kind, element))
        semantic_id = first_key(element.semantic_id)
        # Every element's children are made later, by the builder's loop.
        return _Node(parts, semantic_id, pending=element)

    def _value(self, kind: str, element: Any) -> list[tuple[str, str]]:
        if kind == "Property":
            return self._with_unit(element.value, element)
        if kind == "Range":
            if element.min is None and element.max is None:
                return []
            low, high = self._text(element.min or ""), self._text(element.max or "")
            return self._with_unit(f"{low}..{high}", element, shortened=True)
        if kind == "MultiLanguageProperty":
            return [
                ("value", f"{self._text(text.language)} {_quoted(self._text(text.text))}")
                for text in element.value or ()
            ]
        if kind in ("File", "Blob"):
            if kind == "File":
                value = self._text(element.value) if element.value is not None else None
            else:
                value = None if element.value is None else f"{len(element.value)} bytes"
            parts = [("value", f"= {value}")] if value else []
            if element.content_type:
                parts.append(("note", f"({self._text(element.content_type)})"))
            return parts
        if kind == "ReferenceElement":
            text = reference_text(element.value)
            return [("value", f"{self.glyphs.arrow} {self._text(text)}")] if text else []
        if kind in ("RelationshipElement", "AnnotatedRelationshipElement"):
            first, second = reference_text(element.first), reference_text(element.second)
            if first is None and second is None:
                return []
            arrow = self.glyphs.arrow
            return [("value", f"{self._text(first or '')} {arrow} {self._text(second or '')}")]
        if kind == "Entity":
            parts = [("value", element.entity_type.value)] if element.entity_type else []
            if element.global_asset_id:
                parts.append(("id", self._text(element.global_asset_id)))
            return parts
        if kind == "SubmodelElementList":
            count = len(element.value or ())
            return [("note", f"({counted(count, 'item')})")]
        return []

    def _with_unit(
        self, value: str | None, element: Any, shortened: bool = False
    ) -> list[tuple[str, str]]:
        if value is None:
            return []
        shown = value if shortened else _quoted_if_needed(self._text(value))
        parts = [("value", f"= {shown}")]
        unit = self._unit(element)
        if unit:
            parts.append(("unit", self._text(unit)))
        return parts

    def _unit(self, element: Any) -> str | None:
        for specification in element.embedded_data_specifications or ():
            content = specification.data_specification_content
            if type(content).__name__ == "DataSpecificationIEC61360" and content.unit:
                unit: str = content.unit
                return unit
        semantic_id = first_key(element.semantic_id)
        concept = self.concepts.get(semantic_id) if semantic_id is not None else None
        return concept.unit if concept is not None else None

    def _text(self, text: str) -> str:
        return _short(text, VALUE_WIDTH, self.glyphs)


def _short(text: str, width: int, glyphs: _Glyphs) -> str:
    flat = one_line(text)
    if len(flat) <= width:
        return flat
    return flat[: width - len(glyphs.ellipsis)] + glyphs.ellipsis


def _quoted(text: str) -> str:
    return f'"{text}"'


def _quoted_if_needed(text: str) -> str:
    """A value as it is, but quoted when it is empty or has spaces at an end (otherwise
    invisible)."""
    return _quoted(text) if not text or text != text.strip() else text
