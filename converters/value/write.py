"""Submodels to value-only JSON (IDTA-01001 V3.1, "Format Value (Value-Only Serialization)
in JSON").

What each kind of submodel element becomes, as the definition says:

- a Submodel and a SubmodelElementCollection: an object of their elements by idShort; a
  SubmodelElementList: an array of its items' values, in order;
- Property: its value, a JSON number or boolean where the valueType maps to one (xs:int,
  xs:double, ... and xs:boolean), else a string. The lexical form is kept: ``1.0E2`` is
  written ``1.0E2``. A form JSON has no number or boolean for (``+007``, ``INF``, boolean
  ``1``) is written as a string, so nothing changes on the way, and said (``value:as-string``);
- MultiLanguageProperty: an array of one-member objects ``{language: text}``;
- Range: ``{"min", "max"}``, each as a Property's value; File and Blob ``{"contentType",
  "value"}`` (a Blob's bytes in base64);
- ReferenceElement: the reference as AAS JSON writes it; RelationshipElement ``{"first",
  "second"}``; AnnotatedRelationshipElement also ``"annotations"``, an array of one-member
  objects ``{idShort: value}``; BasicEventElement ``{"observed"}``;
- Entity: ``{"statements", "entityType", "globalAssetId", "specificAssetIds"}``, the
  statements an object by idShort (as the definition's schema and example have them), the
  specific asset ids as AAS JSON writes them.

An element with no value is left out, as the definition asks. Capabilities are outside the
format; an Operation has no value-only form and is left out with ``value:omitted``. What the
format does not hold (semanticIds, qualifiers, descriptions, valueTypes, the shells and
concept descriptions, ...) is said once, in one ``value:not-carried`` note.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aas.findings import Finding, Location, Severity, escape_pointer_token
from aas.model import Model
from aas.versions import binding
from aas.wording import counted

from .text import JSON_NUMBER, Number, Value

#: The value types the definition maps to a JSON number, and to a JSON boolean.
NUMBER_TYPES = frozenset(
    {
        "xs:decimal",
        "xs:integer",
        "xs:double",
        "xs:float",
        "xs:byte",
        "xs:short",
        "xs:int",
        "xs:long",
        "xs:unsignedByte",
        "xs:unsignedShort",
        "xs:unsignedInt",
        "xs:unsignedLong",
        "xs:positiveInteger",
        "xs:nonNegativeInteger",
        "xs:negativeInteger",
        "xs:nonPositiveInteger",
    }
)
BOOLEAN_TYPES = frozenset({"xs:boolean"})

#: Attributes value-only JSON does not hold, by their JSON names, looked for on every
#: element (and the submodel) so that the note names those the model had.
_METADATA = (
    ("semantic_id", "semanticId"),
    ("supplemental_semantic_ids", "supplementalSemanticIds"),
    ("qualifiers", "qualifiers"),
    ("description", "description"),
    ("display_name", "displayName"),
    ("category", "category"),
    ("extensions", "extensions"),
    ("embedded_data_specifications", "embeddedDataSpecifications"),
    ("value_type", "valueType"),
    ("value_id", "valueId"),
    ("type_value_list_element", "typeValueListElement"),
    ("value_type_list_element", "valueTypeListElement"),
    ("semantic_id_list_element", "semanticIdListElement"),
    ("order_relevant", "orderRelevant"),
    ("administration", "administration"),
    ("kind", "kind"),
    ("direction", "direction"),
    ("state", "state"),
    ("message_topic", "messageTopic"),
    ("message_broker", "messageBroker"),
    ("last_update", "lastUpdate"),
    ("min_interval", "minInterval"),
    ("max_interval", "maxInterval"),
)


@dataclass
class _Walk:
    """One writing: the findings made, and what the model held that the format does not."""

    target: str | None
    to_jsonable: Callable[[Any], Any]
    findings: list[Finding] = field(default_factory=list)
    dropped: set[str] = field(default_factory=set)
    capabilities: int = 0

    def note(self, rule: str, severity: Severity, message: str, at: str | None) -> None:
        self.findings.append(Finding(severity, rule, message, Location(self.target, at)))


def submodels(model: Model) -> list[Any]:
    """The submodels of a model: an Environment's, or a lone Submodel."""
    name = model.class_name
    if name == "Environment":
        return list(getattr(model.root, "submodels", None) or [])
    if name == "Submodel":
        return [model.root]
    return []


def choose(found: list[Any], wanted: str, where: str) -> Any:
    """The submodel ``wanted`` names (its id, else its idShort when only one has it); a
    LookupError saying which there are otherwise."""
    for submodel in found:
        if submodel.id == wanted:
            return submodel
    named = [submodel for submodel in found if submodel.id_short == wanted]
    if len(named) == 1:
        return named[0]
    listed = ", ".join(repr(submodel.id) for submodel in found[:10]) or "none"
    more = f" and {len(found) - 10} more" if len(found) > 10 else ""
    raise LookupError(
        f"{where} holds no submodel {wanted!r} (by id or idShort; it holds {listed}{more})"
    )


def value_only(
    model: Model, submodel: str | None, target: str | None
) -> tuple[Value, list[Finding]]:
    """The value-only JSON of the submodel ``submodel`` names (by id, or by idShort), or of
    every submodel by id; with the findings about what it does not carry."""
    walk = _Walk(target, binding(model.version).jsonization.to_jsonable)
    found = submodels(model)
    if submodel is not None:
        chosen = choose(found, submodel, "the model")
        result: Value = _elements(chosen.submodel_elements, "", "", walk)
        _metadata(chosen, walk, submodel=True)
        left = len(found) - 1
    else:
        keyed: dict[str, Value] = {}
        for each in found:
            at = "/" + escape_pointer_token(each.id)
            keyed[each.id] = _elements(each.submodel_elements, at, "", walk)
            _metadata(each, walk, submodel=True)
        result, left = keyed, 0
    _not_carried(model, walk, left)
    return result, walk.findings


def _not_carried(model: Model, walk: _Walk, other_submodels: int) -> None:
    parts: list[str] = []
    if model.class_name == "Environment":
        shells = len(getattr(model.root, "asset_administration_shells", None) or [])
        concepts = len(getattr(model.root, "concept_descriptions", None) or [])
        parts += [
            counted(n, what)
            for n, what in ((shells, "shell"), (concepts, "concept description"))
            if n
        ]
    if other_submodels:
        parts.append(counted(other_submodels, "other submodel"))
    if walk.capabilities:
        parts.append(f"{counted(walk.capabilities, 'Capability element')}, which hold no value")
    if walk.dropped:
        ordered = [name for _, name in _METADATA if name in walk.dropped]
        parts.append("the submodels' and elements' " + ", ".join(ordered))
    if not parts:
        return
    walk.note(
        "value:not-carried",
        Severity.INFO,
        "value-only JSON holds values only; not carried: "
        + "; ".join(parts)
        + " (they come back from the template: aas convert --from value --template T)",
        None,
    )


def _metadata(element: Any, walk: _Walk, submodel: bool = False) -> None:
    for attribute, name in _METADATA:
        present = getattr(element, attribute, None)
        if present is not None and present != []:
            if submodel and attribute == "kind":
                continue  # a rebuilt submodel is an Instance: nothing to lose
            walk.dropped.add(name)


def _elements(elements: Any, at: str, path: str, walk: _Walk) -> dict[str, Value]:
    """An object of the elements' values by idShort; those without a value left out."""
    result: dict[str, Value] = {}
    for element in elements or []:
        id_short = element.id_short
        where = f"{path}.{id_short}" if path else str(id_short)
        if id_short is None or id_short in result:
            why = "it has no idShort" if id_short is None else "a second element has its idShort"
            walk.note(
                "value:omitted",
                Severity.WARNING,
                f"the value of {where} is not written: {why}, and value-only JSON names "
                "elements by idShort",
                at,
            )
            continue
        value = _element(element, f"{at}/{escape_pointer_token(id_short)}", where, walk)
        if value is not None:
            result[id_short] = value
    return result


def _element(element: Any, at: str, path: str, walk: _Walk) -> Value:
    """The value of one element; None when it has none (it is then left out)."""
    _metadata(element, walk)
    kind = type(element).__name__
    if kind == "Property":
        return _typed(element.value, element.value_type, at, path, walk)
    if kind == "MultiLanguageProperty":
        texts = element.value or []
        return [{text.language: text.text} for text in texts] or None
    if kind == "Range":
        bounds = {
            name: _typed(bound, element.value_type, f"{at}/{name}", path, walk)
            for name, bound in (("min", element.min), ("max", element.max))
            if bound is not None
        }
        return bounds or None
    if kind in ("File", "Blob"):
        if element.value is None:
            return None
        content = element.value
        if kind == "Blob":
            content = base64.b64encode(content).decode("ascii")
        file: dict[str, Value] = {}
        if element.content_type is not None:
            file["contentType"] = element.content_type
        file["value"] = content
        return file
    if kind == "ReferenceElement":
        return None if element.value is None else walk.to_jsonable(element.value)
    if kind in ("RelationshipElement", "AnnotatedRelationshipElement"):
        return _relationship(element, kind, at, path, walk)
    if kind == "SubmodelElementCollection":
        return _elements(element.value, at, path, walk) or None
    if kind == "SubmodelElementList":
        return _list(element, at, path, walk)
    if kind == "Entity":
        return _entity(element, at, path, walk)
    if kind == "BasicEventElement":
        return {"observed": walk.to_jsonable(element.observed)}
    if kind == "Capability":
        walk.capabilities += 1
        return None
    walk.note(
        "value:omitted",
        Severity.WARNING,
        f"{path} ({'an' if kind[0] in 'AEIOU' else 'a'} {kind}) is not written: value-only "
        "JSON has no form for it",
        None,
    )
    return None


def _typed(text: str | None, value_type: Any, at: str, path: str, walk: _Walk) -> Value:
    """A Property's (or Range bound's) value as its valueType maps it, its lexical form kept."""
    if text is None:
        return None
    named = value_type.value
    if named in NUMBER_TYPES:
        if JSON_NUMBER.fullmatch(text):
            return Number(text)
    elif named in BOOLEAN_TYPES:
        if text in ("true", "false"):
            return text == "true"
    else:
        return text
    walk.note(
        "value:as-string",
        Severity.WARNING,
        f"the {named} value {text!r} of {path} has no JSON "
        f"{'boolean' if named in BOOLEAN_TYPES else 'number'} of its lexical form; it is "
        "written as a string, as it was written",
        at,
    )
    return text


def _relationship(element: Any, kind: str, at: str, path: str, walk: _Walk) -> Value:
    result: dict[str, Value] = {}
    for name in ("first", "second"):
        reference = getattr(element, name)
        if reference is not None:
            result[name] = walk.to_jsonable(reference)
    if kind == "AnnotatedRelationshipElement":
        annotations: list[Value] = []
        for annotation in element.annotations or []:
            id_short = annotation.id_short
            index = len(annotations)
            where = f"{path}.{id_short}"
            value = _element(
                annotation,
                f"{at}/annotations/{index}/{escape_pointer_token(str(id_short))}",
                where,
                walk,
            )
            if value is not None and id_short is not None:
                annotations.append({id_short: value})
        if annotations:
            result["annotations"] = annotations
    return result or None


def _list(element: Any, at: str, path: str, walk: _Walk) -> Value:
    items: list[Value] = []
    for index, item in enumerate(element.value or []):
        value = _element(item, f"{at}/{index}", f"{path}[{index}]", walk)
        if value is None and type(item).__name__ == "SubmodelElementCollection":
            value = {}  # a collection without values keeps its place as what it is
        items.append(value)
    if all(item is None for item in items):
        return None
    for index, item in enumerate(items):
        if item is None:
            walk.note(
                "value:null-item",
                Severity.WARNING,
                f"{path}[{index}] has no value; it is written as null to keep the place of "
                "the items after it (the definition has no form for it)",
                f"{at}/{index}",
            )
    return items


def _entity(element: Any, at: str, path: str, walk: _Walk) -> Value:
    result: dict[str, Value] = {}
    statements = _elements(element.statements, f"{at}/statements", path, walk)
    if statements:
        result["statements"] = statements
    if element.entity_type is not None:
        result["entityType"] = element.entity_type.value
    if element.global_asset_id is not None:
        result["globalAssetId"] = element.global_asset_id
    if element.specific_asset_ids:
        result["specificAssetIds"] = [walk.to_jsonable(s) for s in element.specific_asset_ids]
    return result or None
