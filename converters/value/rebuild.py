"""Value-only JSON back to full submodels, with their template.

Value-only JSON holds values by idShort and nothing else, so the structure comes from the
submodel template: the template submodel is walked, and each element takes the value-only
entry of its idShort. What the rebuilt submodel is:

- kind Instance, the template's semanticId, descriptions, data specifications and the rest;
  its id is the one the value-only JSON is keyed by, or the caller's, else the template's;
- an element of the template the value-only JSON has no entry for is left out (value-only
  leaves out what has no value; the template's own example values never pass into the
  instance). Capabilities and Operations, which value-only JSON cannot hold, are kept as the
  template has them;
- a repeated element (an idShort placeholder of the IDTA templates, ``Document__00__``,
  ``Document{00}``, ``{arbitrary}``, or a cardinality qualifier ZeroToMany / OneToMany) is
  made once per entry whose key is its stem followed by a number (``Document01``,
  ``Document__02__``), each with the entry's key as its idShort, in the order of the entries;
  an item of a SubmodelElementList is made from the template's item at its index, or its last;
- qualifiers that describe the template, not the instance, are left out: those of kind
  TemplateQualifier (AASd-119 forbids them on an Instance) and the IDTA template rules
  (``SMT/...``, ``Cardinality``, ``Multiplicity``), which ``aas template check`` reads from
  the template itself. Other qualifiers are kept. A Property's or MultiLanguageProperty's
  valueId is the template's coded value, not the instance's, and is left out too;
- a value keeps its lexical form: a JSON number is the text it was written as, ``true`` and
  ``false`` are ``"true"`` and ``"false"``.

Every entry the template has no place for is a ``value:unexpected`` finding, and every entry
whose JSON form is not that of its element's kind a ``value:shape`` finding, both at the
entry's JSON pointer; the rest is rebuilt.
"""

from __future__ import annotations

import base64
import binascii
import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aas.findings import Finding, Location, Severity, escape_pointer_token
from aas.versions import Version, binding

from .text import Number

#: An entry of value-only JSON: its key (None for a list item), its value, its pointer.
Entry = tuple[str | None, object, str]

_PLACEHOLDER = re.compile(r"(?P<stem>.*?)(?:__\d+__|\{\d+\})")
_WILDCARD = re.compile(r"\{[^{}]*\}")
_NUMBERED = re.compile(r"(?:_*\d+_*|\{\d+\})?")
_CARDINALITY_TYPES = frozenset({"SMT/Cardinality", "Cardinality", "Multiplicity"})
_MANY = frozenset({"ZeroToMany", "OneToMany"})
_TEMPLATE_QUALIFIER_TYPES = frozenset({"Cardinality", "Multiplicity"})
#: Elements value-only JSON cannot hold: kept from the template as they are.
_KEPT = frozenset({"Capability", "Operation"})


@dataclass
class Rebuild:
    """One rebuilding: the version's modules, where findings point, what was found."""

    version: Version
    source: str | None
    findings: list[Finding] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.types: Any = binding(self.version).types
        self.jsonization: Any = binding(self.version).jsonization

    def unexpected(self, at: str, message: str) -> None:
        self.findings.append(
            Finding(Severity.WARNING, "value:unexpected", message, Location(self.source, at))
        )

    def shape(self, at: str, message: str) -> None:
        self.findings.append(
            Finding(Severity.WARNING, "value:shape", message, Location(self.source, at))
        )

    def submodel(self, template: Any, values: Mapping[str, object], at: str, id: str) -> Any:
        """The instance of ``template`` that ``values`` (its elements' values by idShort) give."""
        instance = _copy(template, "submodel_elements")
        instance.id = id
        instance.kind = self.types.ModellingKind.INSTANCE
        instance.qualifiers = _instance_qualifiers(template.qualifiers)
        entries = _entries(values, at)
        instance.submodel_elements = self.place(template.submodel_elements, entries, "") or None
        return instance

    def place(self, templates: Any, entries: list[Entry], path: str) -> list[Any]:
        """The elements ``entries`` make of ``templates`` (siblings), in the template's order."""
        templates = list(templates or [])
        chosen: dict[int, list[Entry]] = {}
        exact = {t.id_short: index for index, t in enumerate(templates) if t.id_short}
        for entry in entries:
            key, _, at = entry
            index = exact.get(key) if key is not None else None
            if index is None and key is not None:
                index = repeated(templates, key)
            if index is None:
                where = f"{path}.{key}" if path else str(key)
                self.unexpected(at, f"the template has no element {where} for this value")
                continue
            chosen.setdefault(index, []).append(entry)
        built: list[Any] = []
        for index, template in enumerate(templates):
            kind = type(template).__name__
            given = chosen.get(index)
            if not given:
                if kind in _KEPT and not _is_placeholder(template.id_short):
                    built.append(_kept(template))
                continue
            for key, value, at in given:
                where = f"{path}.{key}" if path else str(key)
                element = self.element(template, value, at, where)
                if element is not None:
                    if key is not None:
                        element.id_short = key
                    built.append(element)
        return built

    def element(self, template: Any, value: object, at: str, path: str) -> Any:
        """The element ``value`` makes of ``template``; None when its form does not fit."""
        kind = type(template).__name__
        if kind in _KEPT:
            self.unexpected(at, f"{path} is a {kind}, which value-only JSON holds no value of")
            return _kept(template)
        build = getattr(self, "_" + kind, None)
        if build is None:  # a kind this toolkit does not know: nothing to place it in
            self.unexpected(at, f"{path} is a {kind}, which has no value-only form")
            return None
        instance = _copy(template, *_CHILDREN.get(kind, ("value",)))
        instance.qualifiers = _instance_qualifiers(template.qualifiers)
        if build(template, instance, value, at, path) is False:
            return None
        return instance

    # --- each kind of element; False when the value's form does not fit ----------------

    def _Property(self, template: Any, instance: Any, value: object, at: str, path: str) -> bool:
        instance.value_id = None
        if value is None:
            return True
        text = _scalar(value)
        if text is None:
            return self._wrong(at, path, "Property", "a string, number or boolean", value)
        instance.value = text
        return True

    def _MultiLanguageProperty(
        self, template: Any, instance: Any, value: object, at: str, path: str
    ) -> bool:
        instance.value_id = None
        if value is None:
            return True
        if not isinstance(value, list) or not all(
            isinstance(item, dict) and all(isinstance(text, str) for text in item.values())
            for item in value
        ):
            return self._wrong(
                at, path, "MultiLanguageProperty", "an array of {language: text} objects", value
            )
        texts = [
            self.types.LangStringTextType(language, text)
            for item in value
            for language, text in item.items()
        ]
        instance.value = texts or None
        return True

    def _Range(self, template: Any, instance: Any, value: object, at: str, path: str) -> bool:
        if value is None:
            return True
        if not isinstance(value, dict):
            return self._wrong(at, path, "Range", 'an object {"min", "max"}', value)
        for name, bound in self._members(value, ("min", "max"), at, path).items():
            text = _scalar(bound)
            if text is None and bound is not None:
                self._wrong(f"{at}/{name}", f"{path} {name}", "Range bound", "a number", bound)
                continue
            setattr(instance, name, text)
        return True

    def _File(self, template: Any, instance: Any, value: object, at: str, path: str) -> bool:
        return self._file(instance, value, at, path, "File")

    def _Blob(self, template: Any, instance: Any, value: object, at: str, path: str) -> bool:
        return self._file(instance, value, at, path, "Blob")

    def _file(self, instance: Any, value: object, at: str, path: str, kind: str) -> bool:
        if value is None:
            return True
        if not isinstance(value, dict):
            return self._wrong(at, path, kind, 'an object {"contentType", "value"}', value)
        members = self._members(value, ("contentType", "value"), at, path)
        content_type = members.get("contentType")
        if isinstance(content_type, str):
            instance.content_type = content_type
        elif content_type is not None:
            self._wrong(f"{at}/contentType", path, kind, "a string", content_type)
        content = members.get("value")
        if content is None:
            return True
        if not isinstance(content, str) or isinstance(content, Number):
            self._wrong(f"{at}/value", path, kind, "a string", content)
        elif kind == "File":
            instance.value = content
        else:
            try:
                instance.value = base64.b64decode(content, validate=True)
            except (binascii.Error, ValueError):
                self.shape(f"{at}/value", f"the value of the Blob {path} is not base64")
        return True

    def _ReferenceElement(
        self, template: Any, instance: Any, value: object, at: str, path: str
    ) -> bool:
        if value is None:
            return True
        reference = self._reference(value, at, path)
        if reference is None:
            return False
        instance.value = reference
        return True

    def _RelationshipElement(
        self, template: Any, instance: Any, value: object, at: str, path: str
    ) -> bool:
        return self._relationship(template, instance, value, at, path, ("first", "second"))

    def _AnnotatedRelationshipElement(
        self, template: Any, instance: Any, value: object, at: str, path: str
    ) -> bool:
        names = ("first", "second", "annotations")
        return self._relationship(template, instance, value, at, path, names)

    def _relationship(
        self,
        template: Any,
        instance: Any,
        value: object,
        at: str,
        path: str,
        names: tuple[str, ...],
    ) -> bool:
        given: dict[str, object] = {}
        if value is not None:
            if not isinstance(value, dict):
                return self._wrong(at, path, "relationship", 'an object {"first", "second"}', value)
            given = self._members(value, names, at, path)
        for name in ("first", "second"):
            reference = None
            if given.get(name) is not None:
                reference = self._reference(given[name], f"{at}/{name}", f"{path} {name}")
            # V3.0 requires both: where none is given the template's stands
            needed = self.version is Version.V3_0
            setattr(instance, name, reference or (getattr(template, name) if needed else None))
        if "annotations" in names:
            entries: list[Entry] = []
            annotations = given.get("annotations")
            if isinstance(annotations, list):
                for index, item in enumerate(annotations):
                    if not isinstance(item, dict):
                        self._wrong(
                            f"{at}/annotations/{index}", path, "annotation", "an object", item
                        )
                        continue
                    for key, annotation in item.items():
                        pointer = f"{at}/annotations/{index}/{escape_pointer_token(key)}"
                        entries.append((key, annotation, pointer))
            elif annotations is not None:
                self._wrong(f"{at}/annotations", path, "annotations", "an array", annotations)
            instance.annotations = self.place(template.annotations, entries, path) or None
        return True

    def _SubmodelElementCollection(
        self, template: Any, instance: Any, value: object, at: str, path: str
    ) -> bool:
        if value is None:
            value = {}
        if not isinstance(value, dict):
            return self._wrong(at, path, "SubmodelElementCollection", "an object", value)
        instance.value = self.place(template.value, _entries(value, at), path) or None
        return True

    def _SubmodelElementList(
        self, template: Any, instance: Any, value: object, at: str, path: str
    ) -> bool:
        if value is None:
            value = []
        if not isinstance(value, list):
            return self._wrong(at, path, "SubmodelElementList", "an array", value)
        items: list[Any] = []
        prototypes = list(template.value or [])
        for index, item in enumerate(value):
            where = f"{at}/{index}"
            if not prototypes:
                self.unexpected(
                    where, f"the template's list {path} has no item to make this one of"
                )
                continue
            prototype = prototypes[min(index, len(prototypes) - 1)]
            built = self.element(prototype, item, where, f"{path}[{index}]")
            if built is not None:
                items.append(built)
        instance.value = items or None
        return True

    def _Entity(self, template: Any, instance: Any, value: object, at: str, path: str) -> bool:
        given: dict[str, object] = {}
        if value is not None:
            if not isinstance(value, dict):
                return self._wrong(at, path, "Entity", "an object", value)
            names = ("statements", "entityType", "globalAssetId", "specificAssetIds")
            given = self._members(value, names, at, path)
        statements = given.get("statements")
        entries: list[Entry] = []
        if isinstance(statements, dict):
            entries = _entries(statements, f"{at}/statements")
        elif statements is not None:
            self._wrong(f"{at}/statements", path, "Entity statements", "an object", statements)
        instance.statements = self.place(template.statements, entries, path) or None
        entity_type = given.get("entityType")
        if entity_type is not None:
            try:
                instance.entity_type = self.types.EntityType(entity_type)
            except ValueError:
                self._wrong(f"{at}/entityType", path, "entityType", "an EntityType", entity_type)
        asset = given.get("globalAssetId")
        instance.global_asset_id = None
        if isinstance(asset, str) and not isinstance(asset, Number):
            instance.global_asset_id = asset
        elif asset is not None:
            self._wrong(f"{at}/globalAssetId", path, "globalAssetId", "a string", asset)
        instance.specific_asset_ids = None
        specific = given.get("specificAssetIds")
        if specific is not None:
            instance.specific_asset_ids = self._specific_asset_ids(specific, at, path)
        return True

    def _specific_asset_ids(self, specific: object, at: str, path: str) -> list[Any] | None:
        if not isinstance(specific, list):
            self._wrong(f"{at}/specificAssetIds", path, "specificAssetIds", "an array", specific)
            return None
        found: list[Any] = []
        for index, item in enumerate(specific):
            try:
                found.append(self.jsonization.specific_asset_id_from_jsonable(_plain(item)))
            except self.jsonization.DeserializationException as error:
                self.shape(
                    f"{at}/specificAssetIds/{index}",
                    f"a specific asset id of {path} is no SpecificAssetId: {error.cause}",
                )
        return found or None

    def _BasicEventElement(
        self, template: Any, instance: Any, value: object, at: str, path: str
    ) -> bool:
        if value is None:
            return True
        if not isinstance(value, dict):
            return self._wrong(at, path, "BasicEventElement", 'an object {"observed"}', value)
        observed = self._members(value, ("observed",), at, path).get("observed")
        if observed is not None:
            reference = self._reference(observed, f"{at}/observed", path)
            if reference is not None:
                instance.observed = reference
        return True

    # --- helpers -----------------------------------------------------------------------

    def _members(
        self, value: dict[str, object], names: tuple[str, ...], at: str, path: str
    ) -> dict[str, object]:
        """The members of an element's object that its kind has; the others are reported."""
        for key in value:
            if key not in names:
                self.unexpected(
                    f"{at}/{escape_pointer_token(key)}",
                    f"{path} has no {key!r} (its value-only form has {', '.join(names)})",
                )
        return {key: item for key, item in value.items() if key in names}

    def _reference(self, value: object, at: str, path: str) -> Any:
        try:
            return self.jsonization.reference_from_jsonable(_plain(value))
        except self.jsonization.DeserializationException as error:
            self.shape(at, f"the value of {path} is no reference: {error.cause} at {error.path}")
            return None

    def _wrong(self, at: str, path: str, kind: str, expected: str, value: object) -> bool:
        self.shape(
            at,
            f"the value of {path} (a {kind}) is {_json_kind(value)}, not {expected}; "
            "it is left out",
        )
        return False


#: The attributes that hold an element's value or children, cleared before it is copied
#: (they are made again from the value-only JSON; "value" where a kind is not named).
_CHILDREN: dict[str, tuple[str, ...]] = {
    "Range": ("min", "max"),
    "Entity": ("statements",),
    "RelationshipElement": (),
    "AnnotatedRelationshipElement": ("annotations",),
    "BasicEventElement": (),
}


def _copy(template: Any, *cleared: str) -> Any:
    """A deep copy of ``template`` without what ``cleared`` names (values and children are
    made again; copying them would cost and could let a template's value through)."""
    saved = [(name, getattr(template, name)) for name in cleared]
    try:
        for name, _ in saved:
            setattr(template, name, None)
        return copy.deepcopy(template)
    finally:
        for name, value in saved:
            setattr(template, name, value)


def _kept(template: Any) -> Any:
    """A Capability or Operation as the template has it, without the template's qualifiers."""
    kept = copy.deepcopy(template)
    for node in [kept, *kept.descend()]:
        if hasattr(node, "qualifiers"):
            node.qualifiers = _instance_qualifiers(node.qualifiers)
    return kept


def _instance_qualifiers(qualifiers: Any) -> Any:
    """The qualifiers an instance keeps: not those that describe the template."""
    if not qualifiers:
        return None
    kept = [q for q in qualifiers if not _describes_template(q)]
    return [copy.deepcopy(q) for q in kept] or None


def _describes_template(qualifier: Any) -> bool:
    kind = qualifier.kind
    if kind is not None and kind.value == "TemplateQualifier":
        return True
    return bool(qualifier.type.startswith("SMT/") or qualifier.type in _TEMPLATE_QUALIFIER_TYPES)


def _is_placeholder(id_short: str | None) -> bool:
    return bool(id_short) and (
        _PLACEHOLDER.fullmatch(str(id_short)) is not None
        or _WILDCARD.fullmatch(str(id_short)) is not None
    )


def stem_of(template: Any) -> str | None:
    """The stem of a repeated element's idShort (``Document`` of ``Document__00__``), "" for
    a wildcard (``{arbitrary}``); None for an element that is not repeated."""
    id_short = template.id_short
    if not id_short:
        return None
    placeholder = _PLACEHOLDER.fullmatch(id_short)
    if placeholder is not None:
        return placeholder["stem"]
    if _WILDCARD.fullmatch(id_short):
        return ""
    for qualifier in template.qualifiers or []:
        if qualifier.type in _CARDINALITY_TYPES and qualifier.value in _MANY:
            return str(id_short)
    return None


def repeated(templates: list[Any], key: str) -> int | None:
    """The repeated element of ``templates`` whose stem ``key`` is made of (the longest
    stem; a wildcard last)."""
    best: tuple[int, int] | None = None
    for index, template in enumerate(templates):
        stem = stem_of(template)
        if stem is None:
            continue
        if stem == "":
            fits = _WILDCARD.fullmatch(template.id_short) is not None
            rank = -1
        else:
            fits = key.startswith(stem) and _NUMBERED.fullmatch(key[len(stem) :]) is not None
            rank = len(stem)
        if fits and (best is None or rank > best[0]):
            best = (rank, index)
    return None if best is None else best[1]


def _entries(value: Mapping[str, object], at: str) -> list[Entry]:
    return [(key, item, f"{at}/{escape_pointer_token(key)}") for key, item in value.items()]


def _scalar(value: object) -> str | None:
    """A Property's lexical form from a JSON scalar: a number's text, a boolean's literal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):  # a Number is its text
        return str(value)
    return None


def _plain(value: object) -> object:
    """A JSON value as aas-core's JSON reader takes it (numbers as numbers)."""
    if isinstance(value, Number):
        return float(value) if any(c in value for c in ".eE") else int(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _json_kind(value: object) -> str:
    if isinstance(value, Number):
        return "a number"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    return "an array" if isinstance(value, list) else "an object"
