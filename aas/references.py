"""Model references that must resolve: follow every ``ModelReference`` through the model.

A model reference names an identifiable by its id and then walks down by ``idShort`` (or by
index inside a ``SubmodelElementList``). Where the identifiable is in the same file, the
whole walk can be checked: a step that finds nothing is an error, and so is an element whose
class is not the one the key names. An identifiable that is not in the file may live in a
registry or another package, so that is only a warning, and for a lone instance (not an
Environment) it is not judged at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aas.findings import Finding, Location, Severity
from aas.model import Model
from aas.paths import pointer, verification_tokens, verification_xpath
from aas.versions import binding


def check_references(model: Model, style: str = "json") -> list[Finding]:
    types = binding(model.version).types
    environment = model.root if isinstance(model.root, types.Environment) else None
    identifiables: dict[str, Any] = {}
    if environment is not None:
        for name in ("asset_administration_shells", "submodels", "concept_descriptions"):
            for item in getattr(environment, name) or ():
                identifiables.setdefault(item.id, item)
    elif isinstance(model.root, types.Identifiable):
        identifiables[model.root.id] = model.root

    findings: list[Finding] = []
    for path, reference in _model_references(model.root, types):
        problem = _resolve(reference, identifiables, types, judge_missing=environment is not None)
        if problem is None:
            continue
        severity, rule, message = problem
        findings.append(Finding(severity, rule, message, _location(model, path, style)))
    return findings


def _location(model: Model, path: list[tuple[Any, str | int]], style: str) -> Location:
    segments = [_Segment(container, step) for container, step in path]
    fake = _Path(segments)
    if style == "xml":
        return Location(file=model.source, xpath=verification_xpath(fake, model.root))
    return Location(file=model.source, pointer=pointer(verification_tokens(fake)))


class _Segment:
    """Quacks like aas-core's verification path segments, so ``aas.paths`` can render it."""

    def __init__(self, container: Any, step: str | int) -> None:
        if isinstance(step, int):
            self.sequence = container
            self.index = step
        else:
            self.instance = container
            self.name = step


class _Path:
    def __init__(self, segments: list[_Segment]) -> None:
        self.segments = segments


def _model_references(root: Any, types: Any) -> Iterator[tuple[list[tuple[Any, str | int]], Any]]:
    """Every model reference under ``root``, with the path of (container, property or index)."""
    stack: list[tuple[Any, list[tuple[Any, str | int]]]] = [(root, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, types.Reference):
            if node.type is types.ReferenceTypes.MODEL_REFERENCE:
                yield path, node
            continue  # a reference's referred semantic id is metadata, not a link to follow
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


def _resolve(
    reference: Any, identifiables: dict[str, Any], types: Any, judge_missing: bool
) -> tuple[Severity, str, str] | None:
    keys = reference.keys
    if not keys:
        return None  # an empty reference breaks a metamodel rule, reported elsewhere
    first = keys[0]
    target = identifiables.get(first.value)
    if target is None:
        if not judge_missing:
            return None
        return (
            Severity.WARNING,
            "reference:unresolved",
            f"the model reference names {first.type.value} {first.value!r}, "
            "which is not in this file",
        )
    if not _is_of(target, first.type.value, types):
        return (
            Severity.ERROR,
            "reference:wrong-type",
            f"the model reference names {first.type.value} {first.value!r}, "
            f"but that id belongs to a {type(target).__name__}",
        )
    node = target
    walked = [first.value]
    for key in keys[1:]:
        if key.type.value in ("FragmentReference", "GlobalReference"):
            return None  # a fragment lies inside a file or blob: not a model element
        child = _child(node, key.value, types)
        if child is None:
            return (
                Severity.ERROR,
                "reference:unresolved",
                f"the model reference walks {' / '.join(walked)} and then finds no element "
                f"{key.value!r} there",
            )
        if not _is_of(child, key.type.value, types):
            return (
                Severity.ERROR,
                "reference:wrong-type",
                f"the model reference names {key.type.value} {key.value!r}, but that element "
                f"is a {type(child).__name__}",
            )
        node = child
        walked.append(key.value)
    return None


def _is_of(node: Any, key_type: str, types: Any) -> bool:
    cls = getattr(types, key_type, None)
    return isinstance(node, cls) if isinstance(cls, type) else True


def _child(node: Any, step: str, types: Any) -> Any:
    if isinstance(node, types.SubmodelElementList):
        items = node.value or []
        if step.isdigit() and int(step) < len(items):
            return items[int(step)]
        return None
    for child in node.descend_once():
        if isinstance(child, types.OperationVariable):
            child = child.value
        if (
            isinstance(child, types.Referable)
            and not isinstance(child, types.Identifiable)
            and child.id_short == step
        ):
            return child
    return None
