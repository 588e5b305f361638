"""Model references that must resolve: follow every ``ModelReference`` through the model.

A model reference names an identifiable by its id and then walks down by ``idShort`` (or by
index inside a ``SubmodelElementList``). Where the identifiable is in the same file, the
whole walk can be checked: a step that finds nothing, or an element whose class is not the
one the key names. For a lone instance (not an Environment) an identifiable the file does not
hold is not judged at all.

Every such finding is a warning: no rule of the metamodel requires a model reference to
resolve inside the file it is in (the identifiable may live in a registry or another
package), or its key types to match what it reaches (a semanticId typed ``Submodel`` that
names a ConceptDescription is a real defect, yet the specification does not forbid it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias, TypeGuard

from aas.findings import Finding
from aas.metamodel.classes import identifiables as environment_items
from aas.metamodel.walk import instances, location
from aas.model import Model, Root
from aas.versions import Types, binding

if TYPE_CHECKING:
    import aas_core3.types as v30
    import aas_core3_1.types as v31

_Identifiable: TypeAlias = "v30.Identifiable | v31.Identifiable"
_Reference: TypeAlias = "v30.Reference | v31.Reference"
_Key: TypeAlias = "v30.Key | v31.Key"


def check_references(model: Model, style: str = "json") -> list[Finding]:
    types = binding(model.version).types
    environment = model.root if isinstance(model.root, types.Environment) else None
    # An id may be held twice (an error of its own, metamodel:unique-id): a reference then
    # reaches whichever of them is of the kind it names.
    identifiables: dict[str, list[_Identifiable]] = {}
    if environment is not None:
        for item in environment_items(environment):
            identifiables.setdefault(item.id, []).append(item)
    elif isinstance(model.root, types.Identifiable):
        identifiables[model.root.id] = [model.root]

    def is_model_reference(node: Root) -> TypeGuard[_Reference]:
        return (
            isinstance(node, types.Reference) and node.type is types.ReferenceTypes.MODEL_REFERENCE
        )

    # aas-core's generated descend() is the fast way through the model; the (slower) walk
    # that knows paths runs only when a reference failed, to say where it is.
    problems: dict[int, tuple[str, str]] = {}
    for node in model.root.descend():
        if is_model_reference(node):
            problem = _resolve(node, identifiables, types, judge_missing=environment is not None)
            if problem is not None:
                problems[id(node)] = problem
    if not problems:
        return []
    findings: list[Finding] = []
    for path, reference in instances(model.root, types, is_model_reference):
        problem = problems.get(id(reference))
        if problem is not None:
            rule, message = problem
            where = location(model.root, path, model.source, style)
            findings.append(Finding.of(rule, message, where))
    return findings


def _resolve(
    reference: _Reference,
    identifiables: dict[str, list[_Identifiable]],
    types: Types,
    judge_missing: bool,
) -> tuple[str, str] | None:
    keys = reference.keys
    if not keys:
        return None  # an empty reference breaks a metamodel rule, reported elsewhere
    first = keys[0]
    if first.type.value not in _IDENTIFIABLE_KEYS:
        return None  # AASd-123 reports a model reference that starts elsewhere
    held = identifiables.get(first.value)
    if held is None:
        if not judge_missing:
            return None
        return (
            "reference:unresolved",
            f"the model reference names {first.type.value} {first.value!r}, "
            "which is not in this file",
        )
    target = next((item for item in held if _is_of(item, first.type.value, types)), held[0])
    wrong = _wrong_type(target, first, types, "that id belongs to")
    if wrong is not None:
        return wrong
    node: Root = target
    walked = [first.value]
    for key in keys[1:]:
        if key.type.value in ("FragmentReference", "GlobalReference"):
            return None  # a fragment lies inside a file or blob: not a model element
        child = _child(node, key.value, types)
        if child is None:
            return (
                "reference:unresolved",
                f"the model reference walks {' / '.join(walked)} and then finds no element "
                f"{key.value!r} there",
            )
        wrong = _wrong_type(child, key, types, "that element is")
        if wrong is not None:
            return wrong
        node = child
        walked.append(key.value)
    return None


_IDENTIFIABLE_KEYS = frozenset(
    {"AssetAdministrationShell", "Submodel", "ConceptDescription", "Identifiable"}
)


def _wrong_type(node: Root, key: _Key, types: Types, which: str) -> tuple[str, str] | None:
    """The finding when what ``key`` reaches is not of the type the key names."""
    if _is_of(node, key.type.value, types):
        return None
    return (
        "reference:wrong-type",
        f"the model reference names {key.type.value} {key.value!r}, "
        f"but {which} a {type(node).__name__}",
    )


def _is_of(node: Root, key_type: str, types: Types) -> bool:
    cls = getattr(types, key_type, None)
    return isinstance(node, cls) if isinstance(cls, type) else True


def _child(node: Root, step: str, types: Types) -> Root | None:
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
