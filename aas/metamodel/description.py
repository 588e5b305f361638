"""One description of the metamodel of each version, derived from aas-core: the facts that the
project's schemas (and, later, its RDF mapping and SHACL shapes) are generated from.

Classes, their properties in serialisation order, types, cardinalities and enumerations come
from aas-core's typed model; which constrained string type a property has (``IdShortType``,
``Identifier``, ...) and which lists must not be empty come from reading aas-core's verification
code (its ``transform_<class>`` methods), and what each constrained type allows (length,
pattern) from its ``verify_<type>`` function. Nothing here is written per class by hand; the
patterns themselves are this project's (``aas/patterns.py``).
"""

from __future__ import annotations

import ast
import enum
import inspect
import typing
from dataclasses import dataclass, field
from functools import cache, cached_property

from aas.metamodel.classes import class_names
from aas.metamodel.names import camel, serialized_name, snake, xml_element
from aas.versions import Binding, Types, Version, binding


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
class Constrained:
    """A constrained string type of the metamodel (``IdShortType``), as its verifier checks it."""

    name: str  # the verify function's stem, such as "id_short_type"
    min_length: int | None = None
    max_length: int | None = None
    patterns: tuple[str, ...] = ()  # names of aas.metamodel.patterns entries
    base64: bool = False


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
    #: (class, property) -> the constrained type its values have
    constrained: dict[tuple[str, str], Constrained] = field(default_factory=dict)
    #: (class, property) -> (minimum, maximum) length (items of a list, characters of a
    #: string) that the class's invariants put on it
    lengths: dict[tuple[str, str], tuple[int | None, int | None]] = field(default_factory=dict)

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
    constrained, lengths = _read_verification(bound, classes)
    return Metamodel(version, classes, enums, constrained, lengths)


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


# region reading aas-core's verification


def _read_verification(
    bound: Binding, classes: dict[str, MetaClass]
) -> tuple[
    dict[tuple[str, str], Constrained],
    dict[tuple[str, str], tuple[int | None, int | None]],
]:
    source = inspect.getsource(bound.verification)
    tree = ast.parse(source)
    verifiers = {
        node.name.removeprefix("verify_"): _constrained_of(node)
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("verify_")
    }
    by_method = {snake(name): name for name in classes}
    constrained: dict[tuple[str, str], Constrained] = {}
    lengths: dict[tuple[str, str], tuple[int | None, int | None]] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.FunctionDef) and node.name.startswith("transform_")):
            continue
        class_name = by_method.get(node.name.removeprefix("transform_"))
        if class_name is None:
            continue
        for inner in ast.walk(node):
            call = _verify_call(inner)
            if call is not None and call[0] in verifiers:
                constrained[(class_name, call[1])] = verifiers[call[0]]
        # Plain invariants on a property's length stand alone as `if not (...)` in the
        # method body; lengths inside the numbered constraints' conditions are not bounds.
        for statement in node.body:
            if isinstance(statement, ast.If) and isinstance(statement.test, ast.UnaryOp):
                bound_found = _length_invariant(statement.test.operand)
                if bound_found is not None:
                    attribute, minimum, maximum = bound_found
                    old_min, old_max = lengths.get((class_name, attribute), (None, None))
                    lengths[(class_name, attribute)] = (
                        minimum if minimum is not None else old_min,
                        maximum if maximum is not None else old_max,
                    )
    return constrained, lengths


def _verify_call(node: ast.AST) -> tuple[str, str] | None:
    """``verify_<type>(that.<attribute>)`` -> (type, attribute)."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.startswith("verify_")
        and node.args
        and isinstance(node.args[0], ast.Attribute)
        and isinstance(node.args[0].value, ast.Name)
        and node.args[0].value.id == "that"
    ):
        return node.func.id.removeprefix("verify_"), node.args[0].attr
    return None


def _length_invariant(test: ast.expr) -> tuple[str, int | None, int | None] | None:
    """``len(that.x) >= n``, ``len(that.x) <= n``, or either behind ``not (that.x is not None)
    or ...`` (an optional property) -> (x, minimum, maximum)."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or) and len(test.values) == 2:
        test = test.values[1]
    if not (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Call)
        and isinstance(test.left.func, ast.Name)
        and test.left.func.id == "len"
        and test.left.args
        and isinstance(test.left.args[0], ast.Attribute)
        and isinstance(test.left.args[0].value, ast.Name)
        and test.left.args[0].value.id == "that"
        and len(test.ops) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and isinstance(test.comparators[0].value, int)
    ):
        return None
    attribute = test.left.args[0].attr
    value = test.comparators[0].value
    if isinstance(test.ops[0], ast.GtE):
        return attribute, value, None
    if isinstance(test.ops[0], ast.LtE):
        return attribute, None, value
    return None


def _constrained_of(function: ast.FunctionDef) -> Constrained:
    """Lengths and patterns a ``verify_<type>(that)`` function checks."""
    minimum = maximum = None
    patterns: list[str] = []
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id.startswith("matches_")
            and node.func.id.removeprefix("matches_") not in patterns
        ):
            patterns.append(node.func.id.removeprefix("matches_"))
        if (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Call)
            and isinstance(node.left.func, ast.Name)
            and node.left.func.id == "len"
            and isinstance(node.comparators[0], ast.Constant)
            and isinstance(node.comparators[0].value, int)
        ):
            bound = node.comparators[0].value
            if isinstance(node.ops[0], ast.GtE):
                minimum = bound
            elif isinstance(node.ops[0], ast.LtE):
                maximum = bound
    name = function.name.removeprefix("verify_")
    return Constrained(name, minimum, maximum, tuple(patterns), base64=name == "blob_type")


# endregion
