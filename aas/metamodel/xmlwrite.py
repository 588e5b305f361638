"""Fast XML writers for aas-core instances, generated from the metamodel description.

aas-core's serializer writes each tag and text through a method call of its own, and the
project's indentation added more on top: writing XML took a third of a conversion. This module
generates, per version, two plain functions per class from :mod:`aas.metamodel.description`:
``s_<Class>``
writes the class's properties as a sequence of elements, ``e_<Class>`` the element that wraps
them; each element goes to the output in one ``write`` call with its indentation. The generated
modules are committed under ``aas/metamodel/generated/`` (``python -m
aas.metamodel.xmlwrite --write``; a test keeps them current).

The output is aas-core's XML, indented by two spaces per level: the same elements in the
same order, empty lists and instances without properties as empty elements, text escaped as
aas-core escapes it (``&``, ``<``, ``>``), and a carriage return written as ``&#13;`` so that
it survives reading. A character XML 1.0 cannot hold raises :class:`NotXml`. A test checks on
the corpus that the bytes equal aas-core's own serializer's output, indented.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from aas.metamodel import codegen
from aas.metamodel.description import MetaClass, Metamodel, Property, describe
from aas.model import Root
from aas.versions import XML_NAMESPACES, Version, binding

#: ``root(instance, write)`` writes the instance as the document's root element.
#: Writes an instance as XML text, piece by piece, to a callback (whatever it returns).
RootWriter = Callable[[Root, Callable[[str], object]], None]
GENERATED: codegen.Generated[dict[type, RootWriter]] = codegen.Generated(
    "xml_write", "aas.metamodel.xmlwrite", "ROOTS"
)
#: The root-element writer of every concrete class of a version, by aas-core class.
roots = GENERATED.table
module_path = GENERATED.path

#: While a model whose equal References are one instance is written (see
#: :func:`remembering`): the text of each Reference written so far, by instance and
#: indentation. A model names the same few concepts thousands of times (on the benchmark's
#: 15 MB models about 17,000 References of which about 500 differ): each is written once.
WRITTEN: ContextVar[dict[tuple[object, str], str] | None] = ContextVar(
    "aas_written_references", default=None
)
#: The most texts remembered in one writing: a model of mostly distinct References keeps
#: no more than a few megabytes of them.
REMEMBER_AT_MOST = 16384
#: The classes whose written text is remembered (see :data:`WRITTEN`).
_REMEMBERED = ("Reference",)


@contextmanager
def remembering() -> Iterator[None]:
    """Within the block, the text of each Reference instance is made once per indentation.

    Only for a model that shares equal References as one instance (``aas.convert``'s, see
    ``aas.metamodel.jsonbuild.sharing``); elsewhere every Reference is another instance and
    remembering would only cost."""
    token = WRITTEN.set({})
    try:
        yield
    finally:
        WRITTEN.reset(token)


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class NotXml(Exception):
    """A text holds a character that XML 1.0 cannot hold, not even as a reference."""

    def __init__(self, text: str, character: str) -> None:
        super().__init__(text)
        self.text = text
        self.character = character


def escape(text: str) -> str:
    """Text as element content: markup escaped, a carriage return as a reference."""
    bad = _NOT_XML.search(text)
    if bad is not None:
        raise NotXml(text, bad.group())
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def source(version: Version) -> str:
    """The generated module of ``version``."""
    model = describe(version)
    namespace = XML_NAMESPACES[version]
    lines = GENERATED.header(
        version,
        "XML writers of aas-core instances",
        "what the functions write",
        [
            "from base64 import b64encode as _b64encode",
            f"import {binding(version).types.__name__} as _types",
            "from aas.metamodel.xmlwrite import escape as _escape",
            "from aas.metamodel.xmlwrite import WRITTEN as _WRITTEN",
        ],
    )
    lines += [f"D_{cls.name}: dict = {{}}" for cls in model.classes.values() if cls.abstract]
    for cls in model.concrete():
        lines += ["", "", _sequence_source(model, cls)]
        lines += ["", "", _element_source(cls)]
        lines += ["", "", _root_source(cls, namespace)]
    lines += ["", ""]
    for cls in model.classes.values():
        if cls.abstract:
            lines.append(f"D_{cls.name}.update({{")
            lines += [
                f"    _types.{child.name}: e_{child.name}," for child in model.descendants(cls.name)
            ]
            lines.append("})")
    lines.append("")
    lines.append("ROOTS = {")
    lines += [f"    _types.{cls.name}: r_{cls.name}," for cls in model.concrete()]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _simple(cls: MetaClass) -> bool:
    """A class of required text-like properties only (Key, the language strings): its element
    is written in one piece."""
    return not cls.abstract and all(
        prop.required and not prop.many and prop.kind != "class" for prop in cls.properties
    )


def _simple_element(cls: MetaClass, value: str, outer: str, inner: str) -> list[str]:
    """Statements writing the whole element of a simple class's instance ``value`` in one
    piece: a text, which the expression reads several times, is read into a local first."""
    name = cls.xml_name
    bound: list[str] = []
    children = ""
    for number, prop in enumerate(cls.properties):
        read = f"{value}.{prop.name}"
        if prop.kind == "string":
            bound.append(f"t{number} = {read}")
            read = f"t{number}"
        children += f"{{{inner}}}<{prop.xml_name}>{{{_text(prop, read)}}}</{prop.xml_name}>"
    return [*bound, f"w(f'{{{outer}}}<{name}>{children}{{{outer}}}</{name}>')"]


def _all_optional(cls: MetaClass) -> bool:
    """aas-core writes an instance of such a class as an empty element when nothing is set."""
    return not any(prop.required for prop in cls.properties)


def _nothing_set(cls: MetaClass, value: str) -> str:
    return " and ".join(f"{value}.{prop.name} is None" for prop in cls.properties) or "True"


def _text(prop: Property, value: str) -> str:
    """An expression: the element content of a text-like property's ``value``."""
    if prop.kind == "string":
        # A printable text holds no control character, surrogate or noncharacter (nothing
        # XML cannot hold, no carriage return): without markup characters it is written as is.
        return (
            f'({value} if {value}.isprintable() and "&" not in {value} and "<" not in {value} '
            f'and ">" not in {value} else _escape({value}))'
        )
    if prop.kind == "enum":
        return f"{value}._value_"
    if prop.kind == "bool":
        return f'("true" if {value} else "false")'
    if prop.kind == "int":
        return f"str({value})"
    if prop.kind == "bytes":
        return f'_b64encode({value}).decode("ascii")'
    raise AssertionError(prop.kind)


def _write_one(model: Metamodel, prop: Property, value: str, indent: str) -> list[str]:
    """Statements writing the element of one (not list) property value."""
    name = prop.xml_name
    if prop.kind != "class":
        return [f"w(f'{{{indent}}}<{name}>{{{_text(prop, value)}}}</{name}>')"]
    assert prop.type_name is not None
    target = model.classes[prop.type_name]
    if target.abstract:  # the property's element wraps the element of the value's class
        return [
            f"w(f'{{{indent}}}<{name}>')",
            f"D_{target.name}[{value}.__class__]({value}, w, {indent} + '  ')",
            f"w(f'{{{indent}}}</{name}>')",
        ]
    body = [
        f"w(f'{{{indent}}}<{name}>')",
        f"s_{target.name}({value}, w, {indent} + '  ')",
        f"w(f'{{{indent}}}</{name}>')",
    ]
    if not _all_optional(target):
        return body
    return [
        f"if {_nothing_set(target, value)}:",
        f"    w(f'{{{indent}}}<{name}/>')",
        "else:",
        *[f"    {statement}" for statement in body],
    ]


def _property_source(model: Metamodel, prop: Property) -> list[str]:
    value = "v"
    name = prop.xml_name
    if prop.many:
        if prop.kind == "class":
            assert prop.type_name is not None
            target = model.classes[prop.type_name]
            if target.abstract:
                loop = [f"for x in {value}:", f"    D_{target.name}[x.__class__](x, w, j)"]
            elif _simple(target):
                loop = [
                    "k = j + '  '",
                    f"for x in {value}:",
                    *[f"    {line}" for line in _simple_element(target, "x", "j", "k")],
                ]
            else:
                loop = [f"for x in {value}:", f"    e_{target.name}(x, w, j)"]
        else:  # the metamodel has no lists of text values; XML would need an item element
            raise NotImplementedError(f"a list of {prop.kind} values ({prop.name})")
        body = [
            f"if {value}:",
            f"    w(f'{{i}}<{name}>')",
            "    j = i + '  '",
            *[f"    {statement}" for statement in loop],
            f"    w(f'{{i}}</{name}>')",
            "else:",
            f"    w(f'{{i}}<{name}/>')",
        ]
    else:
        body = _write_one(model, prop, value, "i")
    if not prop.required:
        body = [f"if {value} is not None:", *[f"    {statement}" for statement in body]]
    return [f"v = o.{prop.name}", *body]


def _sequence_source(model: Metamodel, cls: MetaClass) -> str:
    remembered = cls.name in _REMEMBERED
    lines = [f"def {'_' if remembered else ''}s_{cls.name}(o, w, i):"]
    for prop in cls.properties:
        lines += [f"    {statement}" for statement in _property_source(model, prop)]
    if len(lines) == 1:
        lines.append("    pass")
    if remembered:
        lines += ["", "", *_remembering_source(cls)]
    return "\n".join(lines)


def _remembering_source(cls: MetaClass) -> list[str]:
    """``s_<Class>``: the text of the instance at this indentation, made once while
    :func:`remembering` (see :data:`WRITTEN`)."""
    return [
        f"def s_{cls.name}(o, w, i):",
        "    c = _WRITTEN.get()",
        "    if c is None:",
        f"        return _s_{cls.name}(o, w, i)",
        "    k = (o, i)",
        "    t = c.get(k)",
        "    if t is None:",
        "        p = []",
        f"        _s_{cls.name}(o, p.append, i)",
        "        t = ''.join(p)",
        f"        if len(c) < {REMEMBER_AT_MOST}:",
        "            c[k] = t",
        "    w(t)",
    ]


def _element_source(cls: MetaClass) -> str:
    if _simple(cls):
        return "\n".join(
            [
                f"def e_{cls.name}(o, w, i):",
                "    j = i + '  '",
                *[f"    {line}" for line in _simple_element(cls, "o", "i", "j")],
            ]
        )
    wrapping = _wrapping_source(cls, f"e_{cls.name}(o, w, i)", "f'{i}", "", "i + '  '")
    return _texts_only_source(cls, wrapping)


def _texts_only_source(cls: MetaClass, wrapping: str) -> str:
    """``wrapping``, first writing in one piece an instance whose lists and instances of classes
    are all unset (a Property of a list of numbers: its value type and value), when the class
    requires none of them: the same text, in one call instead of four or more."""
    nested = [prop for prop in cls.properties if prop.many or prop.kind == "class"]
    if (
        cls.name in _REMEMBERED
        or _all_optional(cls)  # (nothing set: an empty element, written before)
        or not nested
        or any(prop.required for prop in nested)
    ):
        return wrapping
    name = cls.xml_name
    unset = " and ".join(f"o.{prop.name} is None" for prop in nested)
    lines = [f"    if {unset}:", "        j = i + '  '"]
    pieces = ""
    for number, prop in enumerate(cls.properties):
        if prop in nested:
            continue
        element = f"f'{{j}}<{prop.xml_name}>{{{_text(prop, 'v')}}}</{prop.xml_name}>'"
        lines.append(f"        v = o.{prop.name}")
        if prop.required:
            lines.append(f"        t{number} = {element}")
        else:
            lines.append(f"        t{number} = '' if v is None else {element}")
        pieces += f"{{t{number}}}"
    lines += [f"        w(f'{{i}}<{name}>{pieces}{{i}}</{name}>')", "        return"]
    head, body = wrapping.split("\n", 1)
    return "\n".join([head, *lines, body])


def _root_source(cls: MetaClass, namespace: str) -> str:
    """The document's root element: on a line of its own, with the namespace."""
    return _wrapping_source(cls, f"r_{cls.name}(o, w)", "'\\n", f' xmlns="{namespace}"', "'\\n  '")


def _wrapping_source(
    cls: MetaClass, signature: str, start: str, attributes: str, inner: str
) -> str:
    """A function writing the element of class ``cls`` around its properties' sequence:
    ``start`` opens each (single-quoted) string literal and writes the newline and indentation,
    ``inner`` is the indentation of the sequence."""
    name = cls.xml_name
    quote = "'"
    body = [
        f"    w({start}<{name}{attributes}>{quote})",
        f"    s_{cls.name}(o, w, {inner})",
        f"    w({start}</{name}>{quote})",
    ]
    if _all_optional(cls):
        body = [
            f"    if {_nothing_set(cls, 'o')}:",
            f"        w({start}<{name}{attributes}/>{quote})",
            "        return",
            *body,
        ]
    return "\n".join([f"def {signature}:", *body])


if __name__ == "__main__":
    raise SystemExit(GENERATED.main(sys.argv[1:], source))
