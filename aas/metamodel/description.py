"""One description of the metamodel of each version, derived from aas-core: the facts that the
project's schemas (and, later, its RDF mapping and SHACL shapes) are generated from.

Classes, their properties in serialisation order, types, cardinalities and enumerations come
from aas-core's typed model (its classes and type hints), which the library needs at run time
(the RDF mapping, paths, unknown properties). Nothing here is written per class by hand. Which
constrained string type a property has and which lists must not be empty are only in aas-core's
verification code; the schema generator alone needs them, so they are read there, at build time
(:mod:`aas.metamodel.verification_facts`).
"""

from __future__ import annotations

import enum
import inspect
import typing
from dataclasses import dataclass
from functools import cache, cached_property

from aas.metamodel.classes import class_names
from aas.metamodel.names import camel, serialized_name, xml_element
from aas.versions import Types, Version, binding


@dataclass(frozen=True)
class Property:
    name: str  # aas-core's attribute name, such as "id_short"
    json_name: str  # "idShort"; also the XML element name
    kind: str  # "string", "bytes", "bool", "int", "enum" or "class"
    type_name: str | None  # the enumeration or class, for kind "enum" and "class"
    many: bool
    required: bool
    #: The class that declares the property (``Referable`` for ``idShort``): the RDF
    #: predicate is named after it.
    declared_by: str = ""

    @property
    def xml_name(self) -> str:
        return self.json_name


@dataclass(frozen=True)
class MetaClass:
    name: str
    abstract: bool
    parents: tuple[str, ...]
    properties: tuple[Property, ...]  # all, inherited first, in serialisation order
    #: Whether JSON carries ``modelType`` for it (it stands where an abstract parent is expected)
    model_type: bool

    @cached_property
    def serialized_name(self) -> str:
        """The name modelType and the schemas use: ``DataSpecificationIec61360``."""
        return serialized_name(self.name)

    @cached_property
    def xml_name(self) -> str:
        return xml_element(self.name)


@dataclass(frozen=True)
class Metamodel:
    version: Version
    classes: dict[str, MetaClass]
    enums: dict[str, tuple[str, ...]]

    def classes_by_serialized(self) -> dict[str, MetaClass]:
        """Classes keyed by the name modelType, XML and RDF use (``DataSpecificationIec61360``)."""
        return _by_serialized(self.version)

    def concrete(self) -> list[MetaClass]:
        return [cls for cls in self.classes.values() if not cls.abstract]

    def descendants(self, name: str) -> list[MetaClass]:
        """The concrete classes that are ``name`` or inherit from it, in a stable order."""
        return list(_descendants(self.version, name))

    def ancestors(self, cls: MetaClass) -> set[str]:
        found: set[str] = set()
        stack = list(cls.parents)
        while stack:
            parent = stack.pop()
            if parent not in found:
                found.add(parent)
                stack.extend(self.classes[parent].parents)
        return found


@cache
def _descendants(version: Version, name: str) -> tuple[MetaClass, ...]:
    model = describe(version)
    return tuple(
        cls for cls in model.concrete() if name == cls.name or name in model.ancestors(cls)
    )


@cache
def _by_serialized(version: Version) -> dict[str, MetaClass]:
    return {cls.serialized_name: cls for cls in describe(version).classes.values()}


def _kind_of(hint: object, types: Types) -> tuple[str, str | None, bool, bool]:
    """(kind, type name, many, required) of one annotation."""
    required = True
    args = typing.get_args(hint)
    if typing.get_origin(hint) is typing.Union and type(None) in args:
        required = False
        hint = next(arg for arg in args if arg is not type(None))
    many = False
    if typing.get_origin(hint) in (list, typing.List):  # noqa: UP006 - aas-core writes List
        many = True
        hint = typing.get_args(hint)[0]
    if hint is str:
        return "string", None, many, required
    if hint is bytes:
        return "bytes", None, many, required
    if hint is bool:
        return "bool", None, many, required
    if hint is int:
        return "int", None, many, required
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return "enum", hint.__name__, many, required
    if isinstance(hint, type) and issubclass(hint, types.Class):
        return "class", hint.__name__, many, required
    raise TypeError(f"unexpected annotation {hint!r}")


@cache
def describe(version: Version) -> Metamodel:
    bound = binding(version)
    types = bound.types
    classes: dict[str, MetaClass] = {}
    names = sorted(class_names(bound).values())
    typed_parents = (types.Identifiable, types.SubmodelElement, types.DataSpecificationContent)
    for name in names:
        cls = getattr(types, name)
        hints = typing.get_type_hints(cls)
        owners: dict[str, str] = {}
        for base in _serialisation_order(cls, types):
            for attribute in inspect.get_annotations(base):
                if attribute not in owners and attribute in hints:
                    owners[attribute] = base.__name__
        properties = []
        for attribute, owner in owners.items():
            kind, type_name, many, required = _kind_of(hints[attribute], types)
            properties.append(
                Property(attribute, camel(attribute), kind, type_name, many, required, owner)
            )
        classes[name] = MetaClass(
            name=name,
            abstract=inspect.isabstract(cls),
            parents=tuple(base.__name__ for base in cls.__bases__ if base is not types.Class),
            properties=tuple(properties),
            model_type=issubclass(cls, typed_parents) and not inspect.isabstract(cls),
        )
    enums = {
        name: tuple(member.value for member in value)
        for name, value in vars(types).items()
        if isinstance(value, type)
        and issubclass(value, enum.Enum)
        and value is not enum.Enum
        and value.__module__ == types.__name__
    }
    return Metamodel(version, classes, enums)


def _serialisation_order(cls: type, types: Types) -> list[type]:
    """Classes whose own annotations make up ``cls``'s properties: parents first, depth first,
    in the order the class names its parents, then the class itself."""
    order: list[type] = []

    def visit(current: type) -> None:
        for base in current.__bases__:
            if base is not types.Class and issubclass(base, types.Class):
                visit(base)
        if current not in order:
            order.append(current)

    visit(cls)
    return order
