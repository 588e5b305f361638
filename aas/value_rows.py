"""The values of a model as rows: the data behind ``aas values`` and :func:`aas.values`.

One :class:`ValueRow` per value-bearing element of every submodel, in model order (submodels
as the file lists them, their elements depth first as the file nests them):

- Property: ``value`` and ``value_type``;
- Range: ``min``, ``max`` and ``value_type`` (``value`` stays empty);
- MultiLanguageProperty: one row per language string (``language`` and ``value``);
- File: ``value`` is the path or URI as written, ``content_type`` its content type;
- Blob: ``value`` is the size of its content in bytes, in decimal (``"2048"``), not the bytes
  themselves (a table cannot show them; ``aas.load`` gives them), ``content_type`` its type;
- ReferenceElement: ``value`` is the reference in the metamodel's text form of a reference,
  ``[ModelRef](Submodel)urn:x,(Property)p`` (``ExternalRef`` for an external reference), the
  keys in order, the referredSemanticId left out.

An element without a value still gives its row, with the value (and the language) empty, so
that the rows of models made from one template line up (a table of 100 nameplates has a
``ManufacturerName`` row for each, filled or not). Containers (collections, lists, entities,
operations, annotated relationships) give no row themselves; their children do.

Everything is taken as the file wrote it: values keep their lexical form, identifiers are
compared and shown exactly (``0173-1#02-AAO677#002`` and ``...#003`` are two ids).
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from aas.gcpause import collector_paused
from aas.model import Model

if TYPE_CHECKING:
    from aas.pipeline import Source


@dataclass(frozen=True)
class ValueRow:
    """One value of a model, where it is and what it means.

    ``semantic_id`` (and ``submodel_semantic_id``) is the value of the *first* key of the
    semanticId as written (for a reference of several keys, the first names the concept: the
    global id of an external reference, the ConceptDescription or other identifiable of a
    model reference); None without a semanticId. ``unit`` and ``preferred_name`` come from
    the IEC 61360 data specification of the ConceptDescription whose id is that value, when
    the model holds one (the first such data specification of it); the preferred name is the
    one in English (``en``, then a regional ``en-..``), else the first one listed.
    """

    #: The file the model was read from (None for bytes or a stream without a name).
    file: str | None
    #: The ids of the shells that list the submodel (empty when none does), in model order.
    shells: tuple[str, ...]
    submodel_id: str
    submodel_semantic_id: str | None
    #: The idShort path below the submodel in the form of Part 2 of the specification:
    #: idShorts joined by dots, an item of a list by its index (``a.b[2].c``).
    path: str
    semantic_id: str | None
    #: The element's class as the serialisations name it (``Property``, ``Range``, ...).
    model_type: str
    value_type: str | None = None
    value: str | None = None
    language: str | None = None
    min: str | None = None
    max: str | None = None
    #: Of a File or a Blob.
    content_type: str | None = None
    unit: str | None = None
    preferred_name: str | None = None

    def to_dict(self) -> dict[str, str | list[str] | None]:
        """The row under the column names of the CSV and JSON Lines outputs."""
        return {
            "file": self.file,
            "shells": list(self.shells),
            "submodelId": self.submodel_id,
            "submodelSemanticId": self.submodel_semantic_id,
            "idShortPath": self.path,
            "semanticId": self.semantic_id,
            "modelType": self.model_type,
            "valueType": self.value_type,
            "value": self.value,
            "language": self.language,
            "min": self.min,
            "max": self.max,
            "contentType": self.content_type,
            "unit": self.unit,
            "preferredName": self.preferred_name,
        }


#: The columns of every output, in order (the keys of ``ValueRow.to_dict``).
COLUMNS = tuple(ValueRow(None, (), "", None, "", None, "").to_dict())


@collector_paused
def values(
    source: Model | Source,
    *,
    semantic_ids: Collection[str] | None = None,
    format: str | None = None,
    version: str | None = None,
) -> list[ValueRow]:
    """The values of ``source`` (a model, or a path, bytes or stream it is read from) as rows.

    With ``semantic_ids`` (ids, or one id as a string), only the rows whose ``semantic_id``
    (the first key's value of the element's semanticId, as shown in the row) is one of them,
    compared exactly as written: no trimming, no case folding, no IRDI version merged with
    another. A source that is read
    here is read as :func:`aas.load` reads it (``format`` and ``version`` as there), without
    checking the metamodel's constraints: values are listed from whatever model can be read.
    Raises :class:`~aas.errors.ReadError` when no model can be read from it.
    """
    if isinstance(source, Model):
        model = source
    else:
        from aas.api import load  # a model passed in needs no reading

        model = load(source, format=format, version=version, verify=False)
    rows = rows_of(model)
    if semantic_ids is None:
        return list(rows)
    # A lone string is one id, not a collection of one-character ids.
    wanted = frozenset((semantic_ids,) if isinstance(semantic_ids, str) else semantic_ids)
    return [row for row in rows if row.semantic_id in wanted]


def rows_of(model: Model) -> Iterator[ValueRow]:
    """The rows of ``model``, in model order (see the module's docstring)."""
    root: Any = model.root
    kind = type(root).__name__
    if kind == "Environment":
        submodels = list(root.submodels or ())
        shells = _shells_by_submodel(root)
        concepts = _concepts(root)
    elif kind == "Submodel":  # a file holding one submodel (from an API): no shell, no concept
        submodels, shells, concepts = [root], {}, {}
    else:
        return
    for submodel in submodels:
        context = _Submodel(
            model.source,
            tuple(shells.get(submodel.id, ())),
            submodel.id,
            _first_key(submodel.semantic_id),
            concepts,
        )
        for path, element in _elements(submodel.submodel_elements or ()):
            yield from context.rows(path, element)


@dataclass(frozen=True)
class _Concept:
    unit: str | None
    preferred_name: str | None


@dataclass(frozen=True)
class _Submodel:
    """What every row of one submodel shares."""

    file: str | None
    shells: tuple[str, ...]
    submodel_id: str
    submodel_semantic_id: str | None
    concepts: dict[str, _Concept]

    def rows(self, path: str, element: Any) -> Iterator[ValueRow]:
        kind = type(element).__name__
        cells = _CELLS.get(kind)
        if cells is None:
            return
        semantic_id = _first_key(element.semantic_id)
        concept = self.concepts.get(semantic_id) if semantic_id is not None else None
        for cell in cells(element):
            yield ValueRow(
                self.file,
                self.shells,
                self.submodel_id,
                self.submodel_semantic_id,
                path,
                semantic_id,
                kind,
                unit=concept.unit if concept else None,
                preferred_name=concept.preferred_name if concept else None,
                **cell,
            )


#: The cells each kind of element fills besides those every row has: one dict per row.
_Cells = Callable[[Any], list[dict[str, str | None]]]


def _property(element: Any) -> list[dict[str, str | None]]:
    return [{"value_type": element.value_type.value, "value": element.value}]


def _range(element: Any) -> list[dict[str, str | None]]:
    return [{"value_type": element.value_type.value, "min": element.min, "max": element.max}]


def _multi_language(element: Any) -> list[dict[str, str | None]]:
    if not element.value:  # no language at all: still one row, so that the rows line up
        return [{}]
    return [{"language": text.language, "value": text.text} for text in element.value]


def _file(element: Any) -> list[dict[str, str | None]]:
    return [{"content_type": element.content_type, "value": element.value}]


def _blob(element: Any) -> list[dict[str, str | None]]:
    size = None if element.value is None else str(len(element.value))
    return [{"content_type": element.content_type, "value": size}]


def _reference_element(element: Any) -> list[dict[str, str | None]]:
    return [{"value": reference_text(element.value)}]


_CELLS: dict[str, _Cells] = {
    "Property": _property,
    "Range": _range,
    "MultiLanguageProperty": _multi_language,
    "File": _file,
    "Blob": _blob,
    "ReferenceElement": _reference_element,
}


def reference_text(reference: Any) -> str | None:
    """A reference in the metamodel's text form, ``[ModelRef](Submodel)urn:x,(Property)p``
    (``[ExternalRef]`` for an external one); None for no reference. Key values are written as
    they are (a comma in a value is not escaped: the form is for reading, not for parsing)."""
    if reference is None:
        return None
    kind = "ModelRef" if reference.type.value == "ModelReference" else "ExternalRef"
    keys = ",".join(f"({key.type.value}){key.value}" for key in reference.keys)
    return f"[{kind}]{keys}"


def _elements(top: Sequence[Any]) -> Iterator[tuple[str, Any]]:
    """Every submodel element below a submodel with its idShort path, depth first in the order
    the model lists them (the order of aas-core's ``descend``). A stack, not recursion: the
    nesting is as deep as the input's limit allows."""
    stack: list[tuple[str, Any]] = [(_child_path("", element), element) for element in top]
    stack.reverse()
    while stack:
        path, element = stack.pop()
        yield path, element
        children = list(_children(path, element))
        stack.extend(reversed(children))


def _children(path: str, element: Any) -> Iterator[tuple[str, Any]]:
    kind = type(element).__name__
    if kind == "SubmodelElementList":
        for index, item in enumerate(element.value or ()):
            yield f"{path}[{index}]", item
    elif kind == "SubmodelElementCollection":
        for child in element.value or ():
            yield _child_path(path, child), child
    elif kind == "Entity":
        for child in element.statements or ():
            yield _child_path(path, child), child
    elif kind == "AnnotatedRelationshipElement":
        for child in element.annotations or ():
            yield _child_path(path, child), child
    elif kind == "Operation":
        # Operation variables hold an element each; Part 2 names it by its idShort below the
        # operation, whichever of the three lists it is in.
        for variables in (
            element.input_variables,
            element.output_variables,
            element.inoutput_variables,
        ):
            for variable in variables or ():
                yield _child_path(path, variable.value), variable.value


def _child_path(path: str, element: Any) -> str:
    # An element outside a list without an idShort breaks the metamodel (AASd-117), but may
    # still be read: its name is then empty, and the path shows the gap.
    name = element.id_short or ""
    return f"{path}.{name}" if path else name


def _first_key(reference: Any) -> str | None:
    if reference is None or not reference.keys:
        return None
    value: str = reference.keys[0].value
    return value


def _shells_by_submodel(environment: Any) -> dict[str, list[str]]:
    """For each submodel id, the ids of the shells whose submodel references name it (by the
    first key's value, where a reference to a submodel names it)."""
    found: dict[str, list[str]] = {}
    for shell in environment.asset_administration_shells or ():
        for reference in shell.submodels or ():
            target = _first_key(reference)
            if target is not None and shell.id not in found.setdefault(target, []):
                found[target].append(shell.id)
    return found


def _concepts(environment: Any) -> dict[str, _Concept]:
    """Unit and preferred name of each ConceptDescription with IEC 61360 content, by id (the
    first of two with one id, as a reader of the file finds it first)."""
    found: dict[str, _Concept] = {}
    for concept in environment.concept_descriptions or ():
        if concept.id in found:
            continue
        for specification in concept.embedded_data_specifications or ():
            content = specification.data_specification_content
            if type(content).__name__ == "DataSpecificationIEC61360":
                found[concept.id] = _Concept(content.unit, _preferred(content.preferred_name))
                break
    return found


def _preferred(names: Sequence[Any] | None) -> str | None:
    """The English preferred name (``en``, else a regional ``en-..``), else the first one."""
    if not names:
        return None
    chosen = (
        [name for name in names if name.language.lower() == "en"]
        or [name for name in names if name.language.lower().startswith("en-")]
        or list(names)
    )
    text: str = chosen[0].text
    return text


# The outputs. Each is a pure function of the rows: the same rows give the same text.


def render_csv(rows: Sequence[ValueRow]) -> str:
    """RFC 4180 CSV: a header row, then one record per row (CRLF line ends, quoted where
    needed); absent cells are empty, and a row's shells are joined by ``" | "``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(_flat(row).values())
    return buffer.getvalue()


def render_jsonl(rows: Sequence[ValueRow]) -> str:
    """JSON Lines: one object per row, under the CSV's column names; absent cells are null,
    ``shells`` a list."""
    return "".join(orjson.dumps(row.to_dict()).decode() + "\n" for row in rows)


#: The longest a cell of the table gets before it is shortened.
CELL_WIDTH = 40
#: The narrowest a column gets when the table is fitted to a terminal (8 for the others): a
#: path or an id cut shorter tells nothing.
_NARROWEST = {"idShortPath": 24, "semanticId": 20, "value": 16, "preferredName": 16, "file": 16}
#: Columns whose cells are identifiers or paths: shortened in the middle, since the end tells
#: two ids apart (an IRDI's version, a template's version); the others keep their start.
_MIDDLE = frozenset(
    {"file", "shells", "submodelId", "submodelSemanticId", "idShortPath", "semanticId"}
)


def render_table(
    rows: Sequence[ValueRow], width: int | None = None, cell_width: int = CELL_WIDTH
) -> str:
    """An aligned table for a terminal. A column empty in every row is left out; one that
    holds the same text in every row (the file, when there is one) is said once above the
    table (``file: ...``) when there are two rows or more. Each cell is at most
    ``cell_width`` characters: a longer one is cut with ``...``, identifiers and paths in the
    middle (their end tells two ids apart), values at the end; line breaks show as spaces.
    With ``width``, the widest columns are narrowed until a line fits it. CSV and JSON Lines
    keep every column whole."""
    flat = [{name: _one_line(text) for name, text in _flat(row).items()} for row in rows]
    filled = [name for name in COLUMNS if any(cells[name] for cells in flat)]
    if not filled:
        return ""
    same = {name for name in filled if len(flat) > 1 and len({c[name] for c in flat}) == 1}
    above = [f"{name}: {flat[0][name]}" for name in filled if name in same]
    shown = [name for name in filled if name not in same]
    table = [[cells[name] for name in shown] for cells in flat]
    widths = [
        min(max([len(name)] + [len(line[column]) for line in table]), max(cell_width, len(name)))
        for column, name in enumerate(shown)
    ]
    if width is not None:
        floors = [min(w, _NARROWEST.get(name, 8)) for w, name in zip(widths, shown, strict=True)]
        _fit(widths, width - 2 * (len(widths) - 1), floors)
    lines = [*above, _line(shown, widths, shown), _line(["-" * w for w in widths], widths, shown)]
    lines.extend(_line(line, widths, shown) for line in table)
    return "\n".join(lines) + "\n"


def _flat(row: ValueRow) -> dict[str, str]:
    cells = row.to_dict()
    cells["shells"] = " | ".join(row.shells)
    return {name: "" if value is None else str(value) for name, value in cells.items()}


def _one_line(text: str) -> str:
    # A value may hold line breaks or tabs (a description-like text): one table line per row.
    if text.isprintable():
        return text
    return "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text).strip()


def _fit(widths: list[int], room: int, floors: list[int]) -> None:
    """Narrow the widest column, one character at a time, until the line fits ``room`` or no
    column is above its floor (the terminal then wraps the lines)."""
    while sum(widths) > room:
        narrowable = [column for column in range(len(widths)) if widths[column] > floors[column]]
        if not narrowable:
            return
        widest = max(narrowable, key=lambda column: widths[column])
        widths[widest] -= 1


def _line(cells: list[str], widths: list[int], names: Sequence[str]) -> str:
    return "  ".join(
        _cut(text, width, name in _MIDDLE).ljust(width)
        for text, width, name in zip(cells, widths, names, strict=True)
    ).rstrip()


def _cut(text: str, width: int, middle: bool) -> str:
    if len(text) <= width:
        return text
    if width <= 3:
        return text[:width]
    keep = width - 3
    if not middle:
        return text[:keep] + "..."
    head = keep // 2
    return text[:head] + "..." + text[len(text) - (keep - head) :]


def terminal_width() -> int | None:
    """The width of the terminal standard output is, None when it is none (a pipe, a file):
    a table written to a file keeps its full cells, up to :data:`CELL_WIDTH`."""
    try:
        if not os.isatty(1):
            return None
        return os.get_terminal_size(1).columns
    except (OSError, ValueError):
        return None


# Shared with the tree view (:mod:`aas.tree`), so that it walks the same children and finds
# the same concept (unit, preferred name) for an element as the rows do.
element_children = _children
concepts_by_id = _concepts
first_key = _first_key
one_line = _one_line
