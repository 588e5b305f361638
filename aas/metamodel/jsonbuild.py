"""Fast builders of aas-core instances from parsed JSON, generated from the metamodel description.

aas-core's jsonization is exact but general: a setter object per instance, a method call per
property, ``isinstance`` against abstract base classes and a chain of ``__init__`` calls. On a
15 MB model it took two thirds of a conversion. This module generates, per version, one plain
function per class from :mod:`aas.metamodel.description`: a ``dict.get`` per property, exact
type checks,
and the attributes set directly in the order aas-core's constructor sets them (so instances
share their attribute layout with those aas-core makes). The generated modules are committed
under ``aas/metamodel/generated/`` (``python -m aas.metamodel.jsonbuild --write`` regenerates
them; a test keeps them current), so a reader pays neither for deriving the description nor
for compiling them.

The fast path only ever *accepts*. Whatever it does not recognise -- a wrong type, a missing
required property, an unknown key, an unknown modelType or enumeration literal, bad base64 --
makes it give up (:class:`Unfit`), and the caller builds the same JSON with aas-core, whose
exception names the cause and the path. So errors are aas-core's, word for word, and a test
checks on the whole corpus that both builders give equal instances wherever the fast one
accepts, and that it gives up wherever aas-core refuses.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from aas.metamodel import codegen
from aas.metamodel.classes import json_class_name
from aas.metamodel.description import MetaClass, Metamodel, Property, describe
from aas.metamodel.names import snake
from aas.model import Root
from aas.versions import Binding, Version, binding

#: Builds an instance from JSON as orjson read it (anything else: it gives up).
Builder = Callable[[object], Root]
GENERATED: codegen.Generated[dict[str, Builder]] = codegen.Generated(
    "json_build", "aas.metamodel.jsonbuild", "BUILDERS"
)
#: One builder per class (abstract ones dispatch on ``modelType``), by class name.
builders = GENERATED.table
module_path = GENERATED.path


#: While :func:`sharing` is in effect: the References built so far, by their JSON text, one
#: table per version (a model may be read as V3.1 and then as V3.0 in one reading).
SHARED: dict[str, ContextVar[dict[bytes, Root] | None]] = {
    version.value: ContextVar(f"aas_shared_references_{version.value}", default=None)
    for version in Version
}

#: The classes whose equal instances are one instance while :func:`sharing` is in effect.
#: References, above all semanticIds, repeat throughout a model (on the benchmark's 15 MB
#: model 24,114 of which 468 differ): one shared instance each saves their objects (on the
#: compact shape about a third of the model) and building them again.
_SHAREABLE = frozenset({"Reference"})


@contextmanager
def sharing() -> Iterator[None]:
    """Within the block, References read from equal JSON are one instance.

    Only for a model no caller gets to change: a change to one such Reference would change
    every place it stands. ``aas.convert`` reads its model so, and writes it and lets it go."""
    tokens = [table.set({}) for table in SHARED.values()]
    try:
        yield
    finally:
        for table, token in zip(SHARED.values(), tokens, strict=True):
            table.reset(token)


def shared() -> bool:
    """Within a :func:`sharing` block: whether a reader built References through its tables
    (a JSON reader does; XML and RDF readers do not), so that equal ones are one instance."""
    return any(table.get() for table in SHARED.values())


class Unfit(Exception):
    """The fast builder does not take this JSON; aas-core decides (and explains)."""


def build(version: Version, class_name: str, jsonable: object) -> Root:
    """An instance of ``class_name`` built from ``jsonable``: fast when the JSON fits the
    metamodel, otherwise by aas-core (which raises its ``DeserializationException``)."""
    try:
        return builders(version)[class_name](jsonable)
    except (RecursionError, MemoryError):
        raise
    except Exception:
        function = getattr(binding(version).jsonization, f"{snake(class_name)}_from_jsonable")
        instance: Root = function(jsonable)
        return instance


def try_build(version: Version, class_name: str, jsonable: object) -> Root:
    """Like :func:`build`, but raises :class:`Unfit` instead of asking aas-core."""
    try:
        return builders(version)[class_name](jsonable)
    except (RecursionError, MemoryError):
        raise
    except Exception:
        raise Unfit from None


def source(version: Version) -> str:
    """The generated module of ``version``: every builder, their tables, and ``BUILDERS``."""
    model = describe(version)
    lines = GENERATED.header(
        version,
        "Builders of aas-core instances from parsed JSON",
        "what the functions do and do not do",
        [
            "from base64 import b64decode as _b64decode",
            "from sys import intern as _intern",
            f"import {binding(version).types.__name__} as _types",
            "from orjson import dumps as _dumps",
            "from aas.metamodel.jsonbuild import SHARED",
            "from aas.metamodel.jsonbuild import Unfit",
            "_new = object.__new__",
            f"_SHARED = SHARED[{version.value!r}]",
        ],
    )
    lines += [f"C_{name} = _types.{name}" for name in model.classes]
    lines.append("")
    lines += [
        f"E_{name} = {{member.value: member for member in _types.{name}}}" for name in model.enums
    ]
    lines.append("")
    lines += [f"D_{cls.name}: dict = {{}}" for cls in model.classes.values() if cls.abstract]
    for cls in model.classes.values():
        lines += ["", ""]
        if cls.abstract:
            lines.append(_abstract_source(cls).rstrip("\n"))
        else:
            lines.append(_concrete_source(model, cls, _attribute_order(version, cls)).rstrip("\n"))
    lines += ["", ""]
    for cls in model.classes.values():
        if cls.abstract:
            lines.append(f"D_{cls.name}.update({{")
            lines += [
                f"    {child.serialized_name!r}: {_function(child.name)},"
                for child in model.descendants(cls.name)
            ]
            lines.append("})")
    lines.append("")
    lines.append("BUILDERS = {")
    lines += [f"    {name!r}: {_function(name)}," for name in model.classes]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _function(name: str) -> str:
    return f"build_{name}"


def _attribute_order(version: Version, cls: MetaClass) -> list[str]:
    """The attributes in the order aas-core's constructor sets them."""
    python_class = getattr(binding(version).types, cls.name)
    parameters = list(inspect.signature(python_class.__init__).parameters)[1:]
    probe = python_class(*([None] * len(parameters)))
    order = list(vars(probe))
    expected = {prop.name for prop in cls.properties}
    if set(order) != expected:  # aas-core changed shape: the description no longer fits it
        raise RuntimeError(f"{cls.name}: aas-core sets {order}, the description has {expected}")
    return order


def _abstract_source(cls: MetaClass) -> str:
    return f"def {_function(cls.name)}(j):\n    return D_{cls.name}[j['modelType']](j)\n"


#: Strings that repeat across a model: a vocabulary rather than data (idShorts, languages,
#: qualifier types and values, and above all the keys of semanticIds, which name the same few
#: concepts thousands of times). orjson makes a new string object for every value it reads;
#: these are interned (the one object for each text is kept): on the benchmark's 15 MB model
#: 3.5 MB less at the peak, on one with model-reference semanticIds 8 MB. Values, ids and
#: free texts are left alone: mostly unique, they would cost the hashing (interning the texts
#: of descriptions too saved 1.5 MB more there but cost 4 % of the time to build the model)
#: and grow the interpreter's table of interned strings. Interned strings go when nothing
#: holds them any more.
_REPEATED = frozenset({"id_short", "language", "category", "content_type", "name", "unit"})
_REPEATED_IN = frozenset({("Key", "value"), ("Qualifier", "type"), ("Qualifier", "value")})


def _repeats(cls: MetaClass, prop: Property) -> bool:
    return prop.name in _REPEATED or (cls.name, prop.name) in _REPEATED_IN


def _convert(model: Metamodel, prop: Property, value: str, repeats: bool = False) -> list[str]:
    """Statements that check ``value`` (a local) and replace it with what aas-core holds
    (a string that ``repeats`` is interned)."""
    if prop.kind == "string":
        check = f"if {value}.__class__ is not str: raise Unfit"
        return [check, f"{value} = _intern({value})"] if repeats else [check]
    if prop.kind == "bool":
        return [f"if {value}.__class__ is not bool: raise Unfit"]
    if prop.kind == "int":
        return [f"if {value}.__class__ is not int: raise Unfit"]
    if prop.kind == "bytes":
        return [
            f"if {value}.__class__ is not str: raise Unfit",
            f"{value} = _b64decode({value}.encode('ascii'))",
        ]
    if prop.kind == "enum":
        return [f"{value} = E_{prop.type_name}[{value}]"]
    assert prop.type_name is not None
    return [f"{value} = {_function(prop.type_name)}({value})"]


#: The optional properties most objects hold, looked up first (then the others, in the
#: metamodel's order): see :func:`_lookup_order`.
_USUAL = ("value", "id_short", "semantic_id", "description")


def _lookup_order(cls: MetaClass) -> list[Property]:
    """The order a builder looks the properties of ``cls`` up in: the required ones, then the
    optional ones a model usually sets, then the rest. Once every key of the object is
    accounted for, the optional properties left are not looked up at all (each would cost a
    ``dict.get`` to find nothing): a sample in a list of Properties holds its value type and
    value only, and is built with two look-ups instead of twelve. The order is the builder's
    alone: the attributes are set in aas-core's order, and any object it does not take makes
    it give up whatever the order (the caller then asks aas-core)."""
    required = [prop for prop in cls.properties if prop.required]
    optional = [prop for prop in cls.properties if not prop.required]
    usual = [prop for name in _USUAL for prop in optional if prop.name == name]
    return required + usual + [prop for prop in optional if prop not in usual]


def _plain(cls: MetaClass) -> bool:
    """A class of required texts and enumeration literals only, without modelType (Key, the
    language strings; a model holds tens of thousands): its builder tests them together."""
    return not cls.model_type and all(
        prop.required and not prop.many and prop.kind in ("string", "enum")
        for prop in cls.properties
    )


def _plain_source(cls: MetaClass, order: list[str]) -> str:
    """The builder of a :func:`_plain` class: the instance :func:`_concrete_source`'s builder
    makes, and the same refusals (a missing or non-text value, a key more than modelType, an
    unknown enumeration literal, which raises and so gives up as well)."""
    lines = [f"def {_function(cls.name)}(j):", "    if j.__class__ is not dict: raise Unfit"]
    lines += [f"    p_{prop.name} = j.get({prop.json_name!r})" for prop in cls.properties]
    texts = [f"p_{p.name}.__class__ is not str" for p in cls.properties if p.kind == "string"]
    if texts:
        lines.append(f"    if {' or '.join(texts)}: raise Unfit")
    count = len(cls.properties)
    # every property is there; a key more is modelType (which aas-core ignores) or unknown
    lines.append(
        f"    if len(j) != {count} and len(j) - ('modelType' in j) != {count}: raise Unfit"
    )
    for prop in cls.properties:
        if prop.kind == "enum":
            lines.append(f"    p_{prop.name} = E_{prop.type_name}[p_{prop.name}]")
        elif _repeats(cls, prop):
            lines.append(f"    p_{prop.name} = _intern(p_{prop.name})")
    lines.append(f"    o = _new(C_{cls.name})")
    lines += [f"    o.{attribute} = p_{attribute}" for attribute in order]
    lines.append("    return o")
    return "\n".join(lines) + "\n"


def _concrete_source(model: Metamodel, cls: MetaClass, order: list[str]) -> str:
    if _plain(cls):
        return _plain_source(cls, order)
    lines = [f"def {_function(cls.name)}(j):", "    if j.__class__ is not dict: raise Unfit"]
    shared = cls.name in _SHAREABLE
    if shared:
        lines += [
            "    m = _SHARED.get()",
            "    if m is not None:",
            "        k = _dumps(j)",
            "        o = m.get(k)",
            "        if o is not None: return o",
        ]
    if cls.model_type:
        lines += [
            f"    if j.get('modelType') != {cls.serialized_name!r}: raise Unfit",
            "    n = len(j) - 1",
        ]
    else:
        # aas-core ignores a modelType on these classes, whatever its value.
        lines.append("    n = len(j) - ('modelType' in j)")
    optional = [f"p_{prop.name}" for prop in cls.properties if not prop.required]
    if optional:
        lines.append(f"    {' = '.join(optional)} = None")
    for prop in _lookup_order(cls):
        local = f"p_{prop.name}"
        # an optional property is looked up only while keys are left to account for
        indent = "    " if prop.required else "        "
        if not prop.required:
            lines.append("    if n:")
        lines.append(f"{indent}{local} = j.get({prop.json_name!r})")
        lines.append(f"{indent}if {local} is not None:")
        body = indent + "    "
        lines.append(f"{body}n -= 1")
        if prop.many:
            lines.append(f"{body}if {local}.__class__ is not list: raise Unfit")
            item = _convert(model, prop, "x")
            if prop.kind == "class":
                call = item[0].split(" = ", 1)[1]
                lines.append(f"{body}{local} = [{call} for x in {local}]")
            else:
                lines.append(f"{body}for x in {local}:")
                lines += [f"{body}    {statement}" for statement in item]
                if prop.kind in ("bytes", "enum"):  # conversions that change the value
                    raise NotImplementedError(f"a list of {prop.kind} in {cls.name}")
        else:
            statements = _convert(model, prop, local, _repeats(cls, prop))
            lines += [f"{body}{statement}" for statement in statements]
        if prop.required:
            lines.append("    else: raise Unfit")
    lines.append("    if n: raise Unfit")
    lines.append(f"    o = _new(C_{cls.name})")
    lines += [f"    o.{attribute} = p_{attribute}" for attribute in order]
    if shared:
        lines.append("    if m is not None: m[k] = o")
    lines.append("    return o")
    return "\n".join(lines) + "\n"


def from_jsonable(bound: Binding, document: Mapping[str, object], model_type: str | None) -> Root:
    name = json_class_name(bound, document, model_type)
    return build(bound.version, name, document)


if __name__ == "__main__":
    raise SystemExit(GENERATED.main(sys.argv[1:], source))
