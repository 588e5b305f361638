"""Walk a model with the path to every instance, and turn such a path into a Location.

aas-core's ``descend()`` gives instances without their place; findings made outside aas-core's
verification (references, package files) need the place, as a JSON pointer or an XPath.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from typing import Any, TypeAlias

from aas.findings import Location, escape_pointer_token, pointer
from aas.metamodel.description import describe
from aas.metamodel.names import camel
from aas.metamodel.paths import (
    IndexStep,
    Positions,
    PropertyStep,
    Step,
    pointer_tokens,
    xpath,
)
from aas.versions import Version, binding, version_of_instance

#: The way from the root to an instance, innermost step first: (the trail to the container,
#: the container, its attribute, the list the instance is in or None, its index or None).
#: Linked, so that a step down costs one tuple whatever the depth; unrolled by ``steps``.
Trail: TypeAlias = "tuple[Trail | None, Any, str, list[Any] | None, int] | None"


def instances(
    root: Any, types: Any, wanted: Callable[[Any], bool], descend_into_found: bool = True
) -> Iterator[tuple[list[Step], Any]]:
    """Every instance under ``root`` (itself included) for which ``wanted`` holds, in document
    order, with the steps from ``root`` to it."""
    # The walk keeps plain (container, name or index) pairs, cheap to copy at every level;
    # only the paths it yields become steps.
    stack: list[tuple[Any, list[tuple[Any, str | int]]]] = [(root, [])]
    while stack:
        node, trail = stack.pop()
        if wanted(node):
            yield [_step(container, key) for container, key in trail], node
            if not descend_into_found:
                continue
        for name, value in reversed(list(_properties(node))):
            if isinstance(value, list):
                for index in range(len(value) - 1, -1, -1):
                    if isinstance(value[index], types.Class):
                        stack.append((value[index], [*trail, (node, name), (value, index)]))
            elif isinstance(value, types.Class):
                stack.append((value, [*trail, (node, name)]))


def holding(root: Any, target: str) -> Iterator[tuple[Trail, Any]]:
    """Every instance of the metamodel class ``target`` (or a subclass) under ``root`` (root
    itself included), in the order :func:`instances` gives them, with its trail.

    Faster than :func:`instances` for one class: only the attributes whose type can hold an
    instance of ``target`` somewhere below are followed (a Key or a LangString never holds a
    Reference), and a step down costs one tuple."""
    version = version_of_instance(root)
    wanted = getattr(binding(version).types, target)
    # Per class: whether it is wanted (aas-core's classes are ABCs, whose isinstance is slow)
    # and the attributes to follow, last first: pushed in that order onto the stack, they
    # are taken off first to last.
    known: dict[type, tuple[bool, tuple[tuple[str, bool], ...]]] = {}
    stack: list[tuple[Any, Trail]] = [(root, None)]
    pop, push = stack.pop, stack.append
    while stack:
        node, trail = pop()
        cls = type(node)
        facts = known.get(cls)
        if facts is None:
            facts = known[cls] = (issubclass(cls, wanted), _fields(node, version, target)[::-1])
        is_wanted, names = facts
        if is_wanted:
            yield trail, node
        for name, many in names:
            value = getattr(node, name)
            if value is None:
                continue
            if many:
                for index in range(len(value) - 1, -1, -1):
                    push((value[index], (trail, node, name, value, index)))
            else:
                push((value, (trail, node, name, None, 0)))


def steps(trail: Trail) -> list[Step]:
    """The steps of a trail, from the root."""
    found: list[Step] = []
    while trail is not None:
        trail, container, name, sequence, index = trail
        if sequence is not None:
            found.append(IndexStep(sequence, index))
        found.append(PropertyStep(container, name))
    found.reverse()
    return found


def trail_pointer(trail: Trail) -> str:
    """The JSON pointer a trail leads to, as :func:`location` gives it for the trail's
    steps, without making them: a model with thousands of findings places each at the cost
    of its depth."""
    tokens: list[str] = []
    while trail is not None:
        trail, _, name, sequence, index = trail
        if sequence is not None:
            tokens.append("/" + str(index))
        tokens.append(_pointer_token(name))
    tokens.reverse()
    return "".join(tokens)


@cache
def _pointer_token(name: str) -> str:
    """A property's name as a step of a JSON pointer, ``/`` included."""
    return "/" + escape_pointer_token(camel(name))


def _fields(node: Any, version: Version, target: str) -> tuple[tuple[str, bool], ...]:
    """(attribute, holds a list) of the attributes of ``node``'s class that can lead to an
    instance of ``target``, in the order of ``vars`` (the order :func:`instances` follows)."""
    leading = _leading(version, target)
    # The metamodel's class, also for an instance of a subclass of it made by a caller.
    described = next(base.__name__ for base in type(node).__mro__ if base.__name__ in leading)
    attributes = leading[described]
    return tuple((name, attributes[name]) for name in vars(node) if name in attributes)


@cache
def _leading(version: Version, target: str) -> dict[str, dict[str, bool]]:
    """Per class name, its attributes (and whether each is a list) whose declared class can be
    or hold an instance of ``target``: the classes that can are found by a fixed point."""
    model = describe(version)

    def kinds(name: str) -> set[str]:
        return {name, *(cls.name for cls in model.descendants(name))}

    holds = kinds(target)
    changed = True
    while changed:
        changed = False
        for cls in model.classes.values():
            if cls.name in holds:
                continue
            if any(
                prop.kind == "class" and prop.type_name and kinds(prop.type_name) & holds
                for prop in cls.properties
            ):
                holds.add(cls.name)
                changed = True
    return {
        cls.name: {
            prop.name: prop.many
            for prop in cls.properties
            if prop.kind == "class" and prop.type_name and kinds(prop.type_name) & holds
        }
        for cls in model.classes.values()
    }


def _step(container: Any, key: str | int) -> Step:
    return IndexStep(container, key) if isinstance(key, int) else PropertyStep(container, key)


def _properties(node: Any) -> Iterator[tuple[str, Any]]:
    for name, value in vars(node).items():
        if value is not None and not name.startswith("_"):
            yield name, value


def location(
    root: object,
    path: list[Step],
    file: str | None,
    style: str,
    positions: Positions | None = None,
) -> Location:
    """Where ``path`` leads from ``root``: an XPath for ``style`` "xml", else a JSON pointer.
    A caller placing many findings in one model keeps ``positions`` (see ``paths.xpath``),
    and every list is counted once."""
    if style == "xml":
        return Location(file=file, xpath=xpath(path, root, positions))
    return Location(file=file, pointer=pointer(pointer_tokens(path)))
