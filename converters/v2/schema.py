"""What the AAS V2.0.1 schemas (its JSON Schema and its XSD) say about a V2 model, checked
over the V2 JSON form (V2 JSON as parsed, V2 XML as :mod:`.xml` reads it): the attributes a
class requires, the literals of its enumerations, and the JSON type of its attributes.

Only what both schemas state surely is checked; a rule the project cannot state for sure is
left out, because a check that fails valid files is worse than none. So: an enumeration is
checked against a set that holds at least V2's literals (IEC 61360 data types and value
type names are the wider sets V3 and XML Schema know), unknown attributes are no finding
(V2's JSON Schema allows them), and language string sets and the IEC 61360 texts are not
type checked (tools wrote them in two shapes). Each finding is an error ``v2schema:required``,
``v2schema:enum`` or ``v2schema:type``, at the JSON pointer of the V2 form.

A spec (what a value should be) is a string: ``string``, ``boolean``, ``enum:<Name>``,
``object:<Shape>`` (an object without modelType, its shape by position), ``list:<spec>``,
``valueTypeDef`` (a value type object or name), or ``class`` (an object whose
``modelType.name`` names its class)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeAlias

from aas.findings import Finding, Location, Severity, escape_pointer_token

from .upgrade import IEC_TYPES, XSD_NEAREST, XSD_TYPES

Props: TypeAlias = dict[str, str]
#: A shape: the attributes it requires, and the spec of each attribute it knows.
Shape: TypeAlias = tuple[tuple[str, ...], Props]

#: V2's KeyElements (the ``type`` of a key).
#: (and the V2.0.1 XSD's list, which also names AssetInformation and ISubmodelElement)
_KEY_ELEMENTS = frozenset(
    {
        "Asset",
        "AssetAdministrationShell",
        "ConceptDescription",
        "Submodel",
        "AccessPermissionRule",
        "AnnotatedRelationshipElement",
        "BasicEvent",
        "Blob",
        "Capability",
        "ConceptDictionary",
        "DataElement",
        "File",
        "Entity",
        "Event",
        "MultiLanguageProperty",
        "Operation",
        "Property",
        "Range",
        "ReferenceElement",
        "RelationshipElement",
        "SubmodelElement",
        "SubmodelElementCollection",
        "View",
        "GlobalReference",
        "FragmentReference",
        "AssetInformation",
        "ISubmodelElement",
    }
)

_ENUMS: dict[str, frozenset[str]] = {
    # an identifier's and a key's idType: IdentifierType and LocalKeyType together
    "KeyType": frozenset({"IRI", "IRDI", "Custom", "IdShort", "FragmentId"}),
    "KeyElements": _KEY_ELEMENTS,
    "ModelingKind": frozenset({"Template", "Instance"}),
    "EntityType": frozenset({"CoManagedEntity", "SelfManagedEntity"}),
    "LevelType": frozenset({"Min", "Max", "Nom", "Typ"}),
    # V2's IEC 61360 data types are among V3's (and URL, renamed IRI in V3)
    "DataTypeIEC61360": frozenset({*IEC_TYPES, "URL"}),
}

_REFERABLE: Props = {
    "idShort": "string",
    "category": "string",
    "parent": "object:Reference",
    "modelType": "object:ModelType",
    "description": "list:object:LangString",
}
_IDENTIFIABLE: Props = {
    **_REFERABLE,
    "identification": "object:Identifier",
    "administration": "object:AdministrativeInformation",
}
_SEMANTIC: Props = {"semanticId": "object:Reference"}
_KIND: Props = {"kind": "enum:ModelingKind"}
_QUALIFIABLE: Props = {"qualifiers": "list:class"}
_HAS_SPECS: Props = {"embeddedDataSpecifications": "list:object:EmbeddedDataSpecification"}
_ELEMENT: Props = {**_REFERABLE, **_SEMANTIC, **_KIND, **_QUALIFIABLE, **_HAS_SPECS}
#: V2's JSON wrote a value type as ``{"dataObjectType": {"name": ...}}`` or as the name alone.
_TYPED: Props = {"valueType": "valueTypeDef"}

_REFERABLE_REQUIRED = ("modelType", "idShort")
_IDENTIFIABLE_REQUIRED = (*_REFERABLE_REQUIRED, "identification")

#: The classes a ``modelType.name`` names, with their shapes.
_CLASSES: dict[str, Shape] = {
    "AssetAdministrationShell": (
        _IDENTIFIABLE_REQUIRED,
        {
            **_IDENTIFIABLE,
            **_HAS_SPECS,
            "derivedFrom": "object:Reference",
            "asset": "object:Reference",
            "submodels": "list:object:Reference",
            "views": "list:class",
            "conceptDictionaries": "list:class",
        },
    ),
    "Asset": (
        _IDENTIFIABLE_REQUIRED,
        {
            **_IDENTIFIABLE,
            **_HAS_SPECS,
            **_KIND,
            "assetIdentificationModel": "object:Reference",
            "billOfMaterial": "object:Reference",
        },
    ),
    "Submodel": (
        _IDENTIFIABLE_REQUIRED,
        {**_IDENTIFIABLE, **_SEMANTIC, **_KIND, **_QUALIFIABLE, **_HAS_SPECS}
        | {"submodelElements": "list:class"},
    ),
    "ConceptDescription": (
        _IDENTIFIABLE_REQUIRED,
        {**_IDENTIFIABLE, **_HAS_SPECS, "isCaseOf": "list:object:Reference"},
    ),
    "View": (
        _REFERABLE_REQUIRED,
        {**_REFERABLE, **_SEMANTIC, **_HAS_SPECS, "containedElements": "list:object:Reference"},
    ),
    "ConceptDictionary": (
        _REFERABLE_REQUIRED,
        {**_REFERABLE, "conceptDescriptions": "list:object:Reference"},
    ),
    "Property": (
        _REFERABLE_REQUIRED,
        {**_ELEMENT, **_TYPED, "value": "string", "valueId": "object:Reference"},
    ),
    "MultiLanguageProperty": (
        _REFERABLE_REQUIRED,
        {**_ELEMENT, "valueId": "object:Reference"},
    ),
    "Range": (
        _REFERABLE_REQUIRED,
        {**_ELEMENT, **_TYPED, "min": "string", "max": "string"},
    ),
    "Blob": (_REFERABLE_REQUIRED, {**_ELEMENT, "mimeType": "string", "value": "string"}),
    "File": (_REFERABLE_REQUIRED, {**_ELEMENT, "mimeType": "string", "value": "string"}),
    "ReferenceElement": (_REFERABLE_REQUIRED, {**_ELEMENT, "value": "object:Reference"}),
    "SubmodelElementCollection": (
        _REFERABLE_REQUIRED,
        {**_ELEMENT, "value": "list:class", "ordered": "boolean", "allowDuplicates": "boolean"},
    ),
    "RelationshipElement": (
        _REFERABLE_REQUIRED,
        {**_ELEMENT, "first": "object:Reference", "second": "object:Reference"},
    ),
    "AnnotatedRelationshipElement": (
        _REFERABLE_REQUIRED,
        {**_ELEMENT, "first": "object:Reference", "second": "object:Reference"},
    ),
    "Capability": (_REFERABLE_REQUIRED, _ELEMENT),
    "Operation": (
        _REFERABLE_REQUIRED,
        {
            **_ELEMENT,
            "inputVariable": "list:object:OperationVariable",
            "outputVariable": "list:object:OperationVariable",
            "inoutputVariable": "list:object:OperationVariable",
        },
    ),
    "BasicEvent": (_REFERABLE_REQUIRED, {**_ELEMENT, "observed": "object:Reference"}),
    "Entity": (
        _REFERABLE_REQUIRED,
        {
            **_ELEMENT,
            "statements": "list:class",
            "entityType": "enum:EntityType",
            "asset": "object:Reference",
        },
    ),
    "Qualifier": (
        ("modelType",),
        {
            **_SEMANTIC,
            **_TYPED,
            "modelType": "object:ModelType",
            "type": "string",
            "value": "string",
            "valueId": "object:Reference",
        },
    ),
    "Formula": (
        ("modelType",),
        {"modelType": "object:ModelType", "dependsOn": "list:object:Reference"},
    ),
}

#: Names a ``modelType`` may carry that have no shape here (abstract classes, the event
#: and the access rule): known, not checked further.
_OTHER_MODEL_TYPES = frozenset(
    {"DataElement", "SubmodelElement", "Event", "AccessPermissionRule", "GlobalReference"}
    | {"FragmentReference", "Constraint", "Referable", "Identifiable"}
)
_MODEL_TYPES = frozenset(_CLASSES) | _OTHER_MODEL_TYPES | _KEY_ELEMENTS

#: The objects without a modelType, by the attribute that holds them.
_OBJECTS: dict[str, Shape] = {
    "Reference": (("keys",), {"keys": "list:object:Key"}),
    "Key": (
        ("type", "idType", "value"),
        {
            "type": "enum:KeyElements",
            "idType": "enum:KeyType",
            "value": "string",
            "local": "boolean",
        },
    ),
    "Identifier": (("id", "idType"), {"id": "string", "idType": "enum:KeyType"}),
    "ModelType": (("name",), {"name": "string"}),
    "AdministrativeInformation": ((), {"version": "string", "revision": "string"}),
    "LangString": ((), {"language": "string", "text": "string"}),
    "ValueType": ((), {"dataObjectType": "object:DataObjectType"}),
    "DataObjectType": ((), {"name": "valueType"}),
    "EmbeddedDataSpecification": (
        (),
        {
            "dataSpecification": "object:Reference",
            "dataSpecificationContent": "object:DataSpecificationIEC61360",
        },
    ),
    "DataSpecificationIEC61360": (
        (),
        {
            "dataType": "enum:DataTypeIEC61360",
            "levelType": "list:enum:LevelType",
            "unit": "string",
            "unitId": "object:Reference",
            "valueFormat": "string",
            "valueId": "object:Reference",
            "valueList": "object:ValueList",
        },
    ),
    "ValueList": ((), {"valueReferencePairTypes": "list:object:ValueReferencePair"}),
    "ValueReferencePair": (
        (),
        {"value": "string", "valueId": "object:Reference", "valueType": "valueTypeDef"},
    ),
    "OperationVariable": ((), {"value": "class"}),
}

_ENVIRONMENT: Props = {
    key: "list:class"
    for key in ("assetAdministrationShells", "assets", "submodels", "conceptDescriptions")
}

#: The value type names: XML Schema's built-in types (V2's list is among them) and
#: langString, compared without case (V2's JSON and XML wrote some in other cases).
_VALUE_TYPES = frozenset(XSD_TYPES) | frozenset(XSD_NEAREST)

_KINDS = {str: "a string", bool: "a boolean", list: "an array", dict: "an object"}


def check_v2_schema(document: object, source: str | None) -> list[Finding]:
    """The V2 schema's findings on a V2 JSON form: an Environment, or one lone object of a
    class (``modelType`` at the top, as a V2 server gives a Submodel)."""
    if isinstance(document, dict) and "modelType" in document:
        return list(_check(document, "class", "", source))
    if not isinstance(document, dict):
        return [_finding("type", "the document is no JSON object", "", source)]
    return list(_props(document, _ENVIRONMENT, "", source))


def _finding(keyword: str, message: str, at: str, source: str | None) -> Finding:
    return Finding(
        Severity.ERROR,
        f"v2schema:{keyword}",
        f"V2.0.1 schema: {message}",
        Location(file=source, pointer=at),
    )


def _kind(value: object) -> str:
    for python, name in _KINDS.items():
        if isinstance(value, python):
            return name
    return "null" if value is None else "a number"


def _check(value: object, spec: str, at: str, source: str | None) -> Iterator[Finding]:
    head, _, rest = spec.partition(":")
    if head == "valueTypeDef":
        head, rest = ("valueType", "") if isinstance(value, str) else ("object", "ValueType")
    if head == "string" or head == "enum" or head == "valueType":
        if not isinstance(value, str):
            yield _finding("type", f"{_kind(value)} where a string belongs", at, source)
        elif head == "enum" and value not in _ENUMS[rest]:
            yield _finding("enum", f"{value!r} is no {rest} literal", at, source)
        elif head == "valueType" and value and value.lower() not in _VALUE_TYPES:
            yield _finding("enum", f"{value!r} is no value type (an XSD type)", at, source)
    elif head == "boolean":
        if not isinstance(value, bool):
            yield _finding("type", f"{_kind(value)} where a boolean belongs", at, source)
    elif head == "list":
        if not isinstance(value, list):
            yield _finding("type", f"{_kind(value)} where an array belongs", at, source)
            return
        for index, item in enumerate(value):
            yield from _check(item, rest, f"{at}/{index}", source)
    elif not isinstance(value, dict):
        yield _finding("type", f"{_kind(value)} where an object belongs", at, source)
    elif head == "object":
        yield from _shape(value, _OBJECTS[rest], rest, at, source)
    else:  # a class, by its modelType
        yield from _class(value, at, source)


def _class(value: dict[str, object], at: str, source: str | None) -> Iterator[Finding]:
    model_type = value.get("modelType")
    name = model_type.get("name") if isinstance(model_type, dict) else None
    if not isinstance(name, str):
        # a missing modelType or name, or one of the wrong type, is said by the shape
        yield from _shape(
            value, (("modelType",), {"modelType": "object:ModelType"}), "", at, source
        )
        return
    shape = _CLASSES.get(name)
    if shape is not None:
        yield from _shape(value, shape, name, at, source)
    elif name not in _MODEL_TYPES:
        yield _finding("enum", f"{name!r} is no V2 class", f"{at}/modelType/name", source)


def _shape(
    value: dict[str, object], shape: Shape, name: str, at: str, source: str | None
) -> Iterator[Finding]:
    required, props = shape
    for key in required:
        if key not in value:
            what = f"the {name} has no {key}" if name else f"no {key}"
            yield _finding("required", what, at, source)
    yield from _props(value, props, at, source)


def _props(
    value: dict[str, object], props: Props, at: str, source: str | None
) -> Iterator[Finding]:
    for key, spec in props.items():
        if key in value:
            yield from _check(value[key], spec, f"{at}/{escape_pointer_token(key)}", source)
