"""Walk a model with the path to every instance, and turn such a path into a Location.

aas-core's ``descend()`` gives instances without their place; findings made outside aas-core's
verification (references, package files) need the place, as a JSON pointer or an XPath.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from aas.findings import Location, pointer
from aas.metamodel.paths import IndexStep, PropertyStep, Step, pointer_tokens, xpath


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


def _step(container: Any, key: str | int) -> Step:
    return IndexStep(container, key) if isinstance(key, int) else PropertyStep(container, key)


def _properties(node: Any) -> Iterator[tuple[str, Any]]:
    for name, value in vars(node).items():
        if value is not None and not name.startswith("_"):
            yield name, value


def location(root: object, path: list[Step], file: str | None, style: str) -> Location:
    """Where ``path`` leads from ``root``: an XPath for ``style`` "xml", else a JSON pointer."""
    if style == "xml":
        return Location(file=file, xpath=xpath(path, root))
    return Location(file=file, pointer=pointer(pointer_tokens(path)))
