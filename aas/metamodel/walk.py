"""Walk a model with the path to every instance, and turn such a path into a Location.

aas-core's ``descend()`` gives instances without their place; findings made outside aas-core's
verification (references, package files) need the place, as a JSON pointer or an XPath.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from aas.findings import Location, pointer
from aas.metamodel.paths import verification_tokens, verification_xpath

#: (container, property name) or (list, index), from the root down
Path = list[tuple[Any, str | int]]


def instances(
    root: Any, types: Any, wanted: Callable[[Any], bool], descend_into_found: bool = True
) -> Iterator[tuple[Path, Any]]:
    """Every instance under ``root`` (itself included) for which ``wanted`` holds, in document
    order, with its path."""
    stack: list[tuple[Any, Path]] = [(root, [])]
    while stack:
        node, path = stack.pop()
        if wanted(node):
            yield path, node
            if not descend_into_found:
                continue
        for name, value in reversed(list(_properties(node))):
            if isinstance(value, list):
                for index in range(len(value) - 1, -1, -1):
                    if isinstance(value[index], types.Class):
                        stack.append((value[index], [*path, (node, name), (value, index)]))
            elif isinstance(value, types.Class):
                stack.append((value, [*path, (node, name)]))


def _properties(node: Any) -> Iterator[tuple[str, Any]]:
    for name, value in vars(node).items():
        if value is not None and not name.startswith("_"):
            yield name, value


class _Segment:
    """Quacks like aas-core's verification path segments, so ``aas.metamodel.paths`` can
    render it."""

    def __init__(self, container: Any, step: str | int) -> None:
        if isinstance(step, int):
            self.sequence = container
            self.index = step
        else:
            self.instance = container
            self.name = step


class _Path:
    def __init__(self, path: Path) -> None:
        self.segments = [_Segment(container, step) for container, step in path]


def location(root: Any, path: Path, file: str | None, style: str) -> Location:
    """Where ``path`` leads: an XPath for ``style`` "xml", else a JSON pointer."""
    rendered = _Path(path)
    if style == "xml":
        return Location(file=file, xpath=verification_xpath(rendered, root))
    return Location(file=file, pointer=pointer(verification_tokens(rendered)))
