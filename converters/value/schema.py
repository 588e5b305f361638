"""The JSON Schema (2020-12) of a submodel's value-only JSON, generated from its template.

Value-only JSON says nothing of an element's kind, so a schema for every submodel
(``schemas/valueonly.schema.json``) must take any kind's form everywhere. With the template,
each idShort has its kind and valueType, and the schema says exactly what the definition
asks: a number for ``xs:int``, a boolean for ``xs:boolean``, ``{"min", "max"}`` for a Range,
an array of ``{language: text}`` for a MultiLanguageProperty, and no member the template has
no element for. Repeated elements (idShort placeholders, ZeroToMany / OneToMany) take every
key of their stem and a number, as reading does.
"""

from __future__ import annotations

import importlib.resources
import re
from functools import cache
from typing import Any

import orjson

from .rebuild import stem_of
from .write import BOOLEAN_TYPES, NUMBER_TYPES

#: The definitions every generated schema shares, from the project's general schema.
_SHARED = ("Reference", "Key", "SpecificAssetId", "MultiLanguagePropertyValue", "FileBlobValue")


@cache
def general() -> dict[str, Any]:
    """``schemas/valueonly.schema.json``: the value-only JSON of any submodel."""
    text = importlib.resources.files("aas.schemas").joinpath("valueonly.schema.json")
    loaded: dict[str, Any] = orjson.loads(text.read_bytes())
    return loaded


def for_template(submodel: Any) -> dict[str, Any]:
    """The schema of the value-only JSON of one submodel made from ``submodel`` (a template)."""
    shared = general()["$defs"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Value-only JSON of submodels of the template {submodel.id}",
        "$defs": {name: shared[name] for name in _SHARED},
        **_object(submodel.submodel_elements),
    }


def _object(elements: Any) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    patterns: dict[str, Any] = {}
    for element in elements or []:
        form = _form(element)
        if form is None:
            continue
        stem = stem_of(element)
        if stem == "":
            patterns["^.*$"] = form
            continue
        if element.id_short:
            properties[element.id_short] = form
        if stem:
            patterns[f"^{re.escape(stem)}(_*[0-9]+_*|\\{{[0-9]+\\}})?$"] = form
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if patterns:
        schema["patternProperties"] = patterns
    schema["additionalProperties"] = False
    return schema


def _scalar(value_type: Any) -> dict[str, Any]:
    named = value_type.value if value_type is not None else "xs:string"
    if named in NUMBER_TYPES:
        return {"type": "number"}
    if named in BOOLEAN_TYPES:
        return {"type": "boolean"}
    return {"type": "string"}


_REFERENCE = {"$ref": "#/$defs/Reference"}


def _form(element: Any) -> dict[str, Any] | None:
    """The schema of one element's value; None for a kind value-only JSON does not hold."""
    kind = type(element).__name__
    if kind == "Property":
        return _scalar(element.value_type)
    if kind == "MultiLanguageProperty":
        return {"$ref": "#/$defs/MultiLanguagePropertyValue"}
    if kind == "Range":
        bound = _scalar(element.value_type)
        return _closed({"min": bound, "max": bound})
    if kind in ("File", "Blob"):
        return {"$ref": "#/$defs/FileBlobValue"}
    if kind == "ReferenceElement":
        return _REFERENCE
    if kind == "RelationshipElement":
        return _closed({"first": _REFERENCE, "second": _REFERENCE})
    if kind == "AnnotatedRelationshipElement":
        annotation = _object(element.annotations)
        annotation.update(minProperties=1, maxProperties=1)
        return _closed(
            {
                "first": _REFERENCE,
                "second": _REFERENCE,
                "annotations": {"type": "array", "items": annotation},
            }
        )
    if kind == "SubmodelElementCollection":
        return _object(element.value)
    if kind == "SubmodelElementList":
        items = [form for item in element.value or [] if (form := _form(item)) is not None]
        # an item at index n has the form of the template's item n, or of its last
        schema: dict[str, Any] = {"type": "array"}
        if items:
            schema["prefixItems"] = [{"anyOf": [form, {"type": "null"}]} for form in items]
            schema["items"] = {"anyOf": [items[-1], {"type": "null"}]}
        else:
            schema["maxItems"] = 0
        return schema
    if kind == "Entity":
        return _closed(
            {
                "statements": _object(element.statements),
                "entityType": {"enum": ["CoManagedEntity", "SelfManagedEntity"]},
                "globalAssetId": {"type": "string", "minLength": 1},
                "specificAssetIds": {"type": "array", "items": {"$ref": "#/$defs/SpecificAssetId"}},
            }
        )
    if kind == "BasicEventElement":
        return {**_closed({"observed": _REFERENCE}), "required": ["observed"]}
    return None


def _closed(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "minProperties": 1,
        "properties": properties,
        "additionalProperties": False,
    }
