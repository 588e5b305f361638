"""Turn paths into a model into locations a person can act on: JSON pointers and XPaths.

A path is a list of steps of the project's own (``PropertyStep``, ``IndexStep``): made from
aas-core's verification and jsonization paths (either version) by ``verification_steps`` and
``jsonization_steps``, or built directly by ``aas.metamodel.walk``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from aas.metamodel.names import camel, xml_element
from aas.versions import binding, version_of_instance

#: Prefix used for the AAS namespace in the XPaths this toolkit prints.
XPATH_PREFIX = "aas"


@dataclass(frozen=True, slots=True)
class PropertyStep:
    """A step into the property ``name`` of ``instance``: an aas-core instance and its
    attribute name (``semantic_id``) on a model path; on a jsonization path the JSON name
    (``semanticId``), and what aas-core put as the instance (aas-core 1.1.4 and 1.0.0 put
    the property's jsonable value there, not the object that holds it)."""

    instance: object
    name: str


@dataclass(frozen=True, slots=True)
class IndexStep:
    """A step to the item at ``index`` (from 0) of ``sequence``."""

    sequence: Sequence[object]
    index: int


Step = PropertyStep | IndexStep


def verification_steps(path: object) -> list[Step]:
    """The steps of an ``aas_core3*.verification.Path`` (V3.0 or V3.1)."""
    return _steps(path, "verification", lambda segment: segment.sequence)


def jsonization_steps(path: object) -> list[Step]:
    """The steps of an ``aas_core3*.jsonization.Path`` (V3.0 or V3.1); its names are JSON
    names already."""
    return _steps(path, "jsonization", _container_items)


def _container_items(segment: Any) -> Sequence[object]:
    # a jsonization index segment holds the iterable it indexes, not always a sequence
    container = segment.container
    return container if isinstance(container, Sequence) else tuple(container)


def _steps(path: object, kind: str, items: Callable[[Any], Sequence[object]]) -> list[Step]:
    """The steps of a path of aas-core's module ``kind`` (``verification``, ``jsonization``),
    whose index segments hold what they index as ``items`` takes it out."""
    module: ModuleType = getattr(binding(version_of_instance(path)), kind)
    if not isinstance(path, module.Path):
        raise TypeError(f"{type(path).__qualname__} is no {kind} path")
    steps: list[Step] = []
    for segment in path.segments:
        if isinstance(segment, module.PropertySegment):
            steps.append(PropertyStep(segment.instance, segment.name))
        elif isinstance(segment, module.IndexSegment):
            steps.append(IndexStep(items(segment), segment.index))
        else:
            raise TypeError(f"{type(segment).__qualname__} is no {kind} path segment")
    return steps


def pointer_tokens(steps: Sequence[Step]) -> list[str | int]:
    """JSON pointer tokens for steps through aas-core instances (attribute names)."""
    return [camel(step.name) if isinstance(step, PropertyStep) else step.index for step in steps]


#: Per list (by ``id``), each item's position among the items of its own class: kept by a
#: caller that places many findings in one model, so each list is counted once.
Positions = dict[int, list[int]]


def xpath(steps: Sequence[Step], root: object, positions: Positions | None = None) -> str:
    """An XPath (prefix ``aas``) to the element that steps from ``root`` lead to."""
    parts = [xml_element(type(root).__name__)]
    for step in steps:
        if isinstance(step, PropertyStep):
            parts.append(camel(step.name))
            # A property whose type is abstract holds its value inside an element named by
            # the value's class: <dataSpecificationContent><dataSpecificationIec61360>.
            value = getattr(step.instance, step.name, None)
            if (
                value is not None
                and not isinstance(value, list | str | bytes | bool | int)
                and _declared_abstract(step.instance, step.name)
            ):
                parts.append(xml_element(type(value).__name__))
        elif positions is not None:
            parts.append(_counted_item_step(step.sequence, step.index, positions))
        else:
            parts.append(_item_step(step.sequence, step.index))
    return "".join(f"/{XPATH_PREFIX}:{part}" for part in parts)


def verification_tokens(path: object) -> list[str | int]:
    """JSON pointer tokens for an ``aas_core3*.verification.Path``."""
    return pointer_tokens(verification_steps(path))


def verification_xpath(path: object, root: object) -> str:
    """An XPath (prefix ``aas``) to the element an ``aas_core3*.verification.Path`` points at."""
    return xpath(verification_steps(path), root)


def jsonization_tokens(path: object) -> list[str | int]:
    """JSON pointer tokens for an ``aas_core3*.jsonization.Path`` (names are already JSON names)."""
    return [
        step.name if isinstance(step, PropertyStep) else step.index
        for step in jsonization_steps(path)
    ]


def _declared_abstract(instance: object, attribute: str) -> bool:
    from aas.metamodel.description import describe

    model = describe(version_of_instance(instance))
    cls = model.classes.get(type(instance).__name__)
    if cls is None:
        return False
    for prop in cls.properties:
        if prop.name == attribute and prop.kind == "class" and prop.type_name and not prop.many:
            return model.classes[prop.type_name].abstract
    return False


def _item_step(sequence: Sequence[object], index: int) -> str:
    # XPath positions count siblings of the same name, so a list of mixed elements
    # (submodelElements) needs the position among items of the item's own class.
    item_class = type(sequence[index])
    position = 1 + sum(1 for other in sequence[:index] if type(other) is item_class)
    return f"{xml_element(item_class.__name__)}[{position}]"


def _counted_item_step(sequence: Sequence[object], index: int, positions: Positions) -> str:
    """``_item_step`` with the positions of ``sequence`` counted once, in one pass: placing a
    finding in each of a list's n items costs n steps, not n * n / 2."""
    counted = positions.get(id(sequence))
    if counted is None:
        seen: dict[type, int] = {}
        counted = positions[id(sequence)] = []
        for item in sequence:
            seen[type(item)] = seen.get(type(item), 0) + 1
            counted.append(seen[type(item)])
    return f"{xml_element(type(sequence[index]).__name__)}[{counted[index]}]"
