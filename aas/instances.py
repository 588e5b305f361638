"""Which metamodel class a document holds, and reading it with aas-core.

A file usually holds an ``Environment``; it may hold a lone instance of any class (a
Submodel from an API, say), named by the caller or told by ``modelType`` / the XML root.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from aas.versions import Binding

_WORD_BOUNDARY = re.compile(
    r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])"
)


def snake(class_name: str) -> str:
    """``DataSpecificationIEC61360`` -> ``data_specification_iec_61360`` (aas-core's names)."""
    return _WORD_BOUNDARY.sub("_", class_name).lower()


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


def from_jsonable(bound: Binding, document: dict[str, Any], model_type: str | None) -> Any:
    name = model_type
    if name is None:
        told = document.get("modelType")
        name = told if isinstance(told, str) and resolve_class_name(bound, told) else "Environment"
    function = getattr(bound.jsonization, f"{snake(name)}_from_jsonable")
    return function(document)


def from_iterparse(bound: Binding, events: Iterator[tuple[str, Any]], class_name: str) -> Any:
    function = getattr(bound.xmlization, f"{snake(class_name)}_from_iterparse")
    return function(events)
