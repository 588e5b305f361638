"""Which metamodel class a document holds, and reading it with aas-core.

A file usually holds an ``Environment``; it may hold a lone instance of any class (a
Submodel from an API, say), named by the caller or told by ``modelType`` / the XML root.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, TypeAlias

from aas.errors import ReadError, UsageError
from aas.findings import Location
from aas.metamodel.names import camel, serialized_name, snake
from aas.model import Root
from aas.versions import Binding

if TYPE_CHECKING:
    import aas_core3.types as v30
    import aas_core3_1.types as v31
    from lxml import etree

_Identifiable: TypeAlias = "v30.Identifiable | v31.Identifiable"

#: The Environment's members (the same in V3.0 and V3.1): JSON key -> (aas-core attribute,
#: class of the items).
ENVIRONMENT_ARRAYS = {
    "assetAdministrationShells": ("asset_administration_shells", "AssetAdministrationShell"),
    "submodels": ("submodels", "Submodel"),
    "conceptDescriptions": ("concept_descriptions", "ConceptDescription"),
}
#: The Environment's aas-core attributes that hold identifiables, in serialisation order.
IDENTIFIABLE_ARRAYS = tuple(attribute for attribute, _ in ENVIRONMENT_ARRAYS.values())


def identifiables(environment: Root) -> Iterator[_Identifiable]:
    """An Environment's shells, submodels and concept descriptions, in serialisation order
    (none for an instance of another class)."""
    for attribute in IDENTIFIABLE_ARRAYS:
        yield from getattr(environment, attribute, None) or ()


@cache
def class_names(bound: Binding) -> dict[str, str]:
    """Metamodel class names of this version, keyed by their lower-case form."""
    names: dict[str, str] = {}
    base = bound.types.Class
    for name in dir(bound.types):
        candidate = getattr(bound.types, name)
        if isinstance(candidate, type) and issubclass(candidate, base) and candidate is not base:
            names[name.lower()] = name
    return names


def resolve_class_name(bound: Binding, name: str) -> str | None:
    """The metamodel's spelling of a class name given in any case, or None."""
    return class_names(bound).get(name.lower())


def require_class_name(bound: Binding, name: str) -> str:
    """The metamodel's spelling of ``name``; a UsageError naming the choices if there is none."""
    resolved = resolve_class_name(bound, name)
    if resolved is None:
        concrete = (
            serialized_name(name)
            for name in class_names(bound).values()
            if not inspect.isabstract(getattr(bound.types, name))
        )
        known = ", ".join(sorted(concrete))
        raise UsageError(
            f"{name!r} is no class of the AAS V{bound.version} metamodel (known: {known})"
        )
    return resolved


_ENVIRONMENT_KEYS = frozenset(ENVIRONMENT_ARRAYS)


@cache
def _json_shapes(bound: Binding) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """Per concrete class: the JSON names of all its properties, and of the required ones."""
    shapes: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    # Instances of these classes always carry modelType in JSON (they stand where their
    # abstract parent is expected), so a document without one is none of them.
    typed: tuple[type, ...] = (
        bound.types.Identifiable,
        bound.types.SubmodelElement,
        bound.types.DataSpecificationContent,
    )
    for name in class_names(bound).values():
        cls = getattr(bound.types, name)
        if inspect.isabstract(cls) or issubclass(cls, typed):
            continue
        try:
            parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
        except (TypeError, ValueError):
            continue
        every = frozenset(camel(p.name) for p in parameters)
        required = frozenset(camel(p.name) for p in parameters if p.default is p.empty)
        shapes[name] = (every, required)
    return shapes


def detect_json_class(bound: Binding, document: Mapping[str, object]) -> str:
    """The class a JSON object holds: its modelType, an Environment, or the one class whose
    properties fit its keys. Ambiguity is refused, never guessed."""
    told = document.get("modelType")
    if isinstance(told, str):
        return resolve_class_name(bound, told) or "Environment"  # aas-core names the bad type
    keys = frozenset(document)
    if keys <= _ENVIRONMENT_KEYS:
        return "Environment"
    shapes = _json_shapes(bound)
    fitting = sorted(
        name
        for name, (every, required) in shapes.items()
        if required <= keys <= every and name != "Environment"
    )
    if not fitting:
        # Nothing fits whole: a class whose properties hold every key, though some required
        # ones are missing, is still the class meant (and its reader names what is missing).
        fitting = sorted(
            name for name, (every, _) in shapes.items() if keys <= every and name != "Environment"
        )
    if len(fitting) == 1:
        return fitting[0]
    if not fitting and keys & _ENVIRONMENT_KEYS:
        # An Environment's arrays beside keys no class has: an Environment with properties
        # the metamodel does not define (its reader reports them).
        return "Environment"
    could = f"it could be {', '.join(fitting)}" if fitting else "no class has these properties"
    hint = "(name the class with --model-type)"
    dotnet_type = document.get("$type")
    if not fitting and isinstance(dotnet_type, str):
        # .NET's JSON ("$type": "Options") as the AASX Package Explorer writes its own
        # settings and form files, which are published beside some IDTA templates.
        hint = (
            f"(it reads like a .NET object of type {dotnet_type[:60]!r}, such as the "
            "AASX Package Explorer's option or form files; those are no AAS model)"
        )
    raise ReadError(
        f"the JSON object has no modelType and is no Environment; {could} {hint}",
        Location(pointer=""),
        rule="model:model-type",
    )


def json_class_name(bound: Binding, document: Mapping[str, object], model_type: str | None) -> str:
    """The class a JSON document holds: the one named (a UsageError if there is none such),
    or the one the document tells (a ReadError if it tells none)."""
    if model_type is not None:
        return require_class_name(bound, model_type)
    return detect_json_class(bound, document)


_DESERIALIZATION_RULES = (
    (re.compile(r"modelType, but found none"), "model:missing-model-type"),
    (
        re.compile(
            r"Invalid modelType|Unexpected model type|valid model type|element with the tag"
        ),
        "model:model-type",
    ),
    (re.compile(r"required property .* is missing"), "model:required"),
    (re.compile(r"string representation of a literal"), "model:enum"),
    (
        re.compile(r"Unexpected property|element representing a property, but got"),
        "model:unexpected-property",
    ),
    (re.compile(r"NoneType"), "model:null"),
)


def deserialization_rule(cause: str) -> str:
    """The rule a document breaks when aas-core cannot build the model from it."""
    for pattern, rule in _DESERIALIZATION_RULES:
        if pattern.search(cause):
            return rule
    return "model:type"


def from_iterparse(
    bound: Binding, events: Iterator[tuple[str, etree._Element]], class_name: str
) -> Root:
    name = require_class_name(bound, class_name)
    function = getattr(bound.xmlization, f"{snake(name)}_from_iterparse")
    instance: Root = function(events)
    return instance
