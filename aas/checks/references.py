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

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeAlias

from aas.findings import Finding, pointed
from aas.metamodel.classes import identifiables as environment_items
from aas.metamodel.paths import Positions
from aas.metamodel.walk import holding, location, steps, trail_pointer
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

    # One pass over the model, with the way to each reference kept as a linked trail (one
    # tuple a step): the path of a reference that fails is unrolled only then.
    resolver = _Resolver(identifiables, types, judge_missing=environment is not None)
    model_reference = types.ReferenceTypes.MODEL_REFERENCE
    positions: Positions = {}  # XPath positions, each list counted once
    findings: list[Finding] = []
    source = model.source
    for trail, reference in holding(model.root, "Reference"):
        if reference.type is not model_reference or trail is None:
            continue  # the root itself is not a reference into a model it is part of
        problem = resolver.resolve(reference)
        if problem is not None:
            rule, message = problem
            if style == "xml":
                where = location(model.root, steps(trail), source, style, positions)
                findings.append(Finding(_SEVERITIES[rule], rule, message, where))
            else:
                # made a slot at a time (thousands of findings of two rules)
                at = trail_pointer(trail)
                findings.append(pointed(_SEVERITIES[rule], rule, message, source, at))
    return findings


#: The registry's severity of each rule this check reports.
_SEVERITIES = {
    rule: Finding.of(rule, "").severity for rule in ("reference:unresolved", "reference:wrong-type")
}


class _Resolver:
    """Follows model references through one model. Each element's children are indexed by
    idShort the first time a reference walks through it, so a key costs one look-up, not a
    scan of its siblings; and the many references with the same keys (semanticIds naming
    one concept description) are followed once."""

    def __init__(
        self, identifiables: dict[str, list[_Identifiable]], types: Types, judge_missing: bool
    ) -> None:
        self.identifiables = identifiables
        self.types = types
        self.judge_missing = judge_missing
        # The class each key type names, as met (None: a key type that names no class, which
        # any element matches).
        self.classes: dict[object, type | None] = {}
        self.children: dict[int, dict[str, Root]] = {}
        self.known: dict[tuple[tuple[object, str], ...], tuple[str, str] | None] = {}

    def resolve(self, reference: _Reference) -> tuple[str, str] | None:
        signature = tuple([(key.type, key.value) for key in reference.keys])
        if signature in self.known:
            return self.known[signature]
        problem = self._follow(reference.keys)
        self.known[signature] = problem
        return problem

    def _is_of(self, node: Root, key: _Key) -> bool:
        if key.type in self.classes:
            cls = self.classes[key.type]
        else:
            named = getattr(self.types, key.type.value, None)
            cls = self.classes[key.type] = named if isinstance(named, type) else None
        return cls is None or isinstance(node, cls)

    def _wrong_type(self, node: Root, key: _Key, which: str) -> tuple[str, str] | None:
        """The finding when what ``key`` reaches is not of the type the key names."""
        if self._is_of(node, key):
            return None
        return (
            "reference:wrong-type",
            f"the model reference names {key.type.value} {key.value!r}, "
            f"but {which} a {type(node).__name__}",
        )

    def _follow(self, keys: Sequence[_Key]) -> tuple[str, str] | None:
        if not keys:
            return None  # an empty reference breaks a metamodel rule, reported elsewhere
        first = keys[0]
        if first.type.value not in _IDENTIFIABLE_KEYS:
            return None  # AASd-123 reports a model reference that starts elsewhere
        held = self.identifiables.get(first.value)
        if held is None:
            if not self.judge_missing:
                return None
            return (
                "reference:unresolved",
                f"the model reference names {first.type.value} {first.value!r}, "
                "which is not in this file",
            )
        target = next((item for item in held if self._is_of(item, first)), held[0])
        wrong = self._wrong_type(target, first, "that id belongs to")
        if wrong is not None:
            return wrong
        node: Root = target
        walked = [first.value]
        for key in keys[1:]:
            if key.type.value in ("FragmentReference", "GlobalReference"):
                return None  # a fragment lies inside a file or blob: not a model element
            child = self._child(node, key.value)
            if child is None:
                return (
                    "reference:unresolved",
                    f"the model reference walks {' / '.join(walked)} and then finds no element "
                    f"{key.value!r} there",
                )
            wrong = self._wrong_type(child, key, "that element is")
            if wrong is not None:
                return wrong
            node = child
            walked.append(key.value)
        return None

    def _child(self, node: Root, step: str) -> Root | None:
        types = self.types
        if isinstance(node, types.SubmodelElementList):
            items = node.value or []
            # isdecimal, not isdigit: int() takes every decimal digit, not a superscript two
            if step.isdecimal() and int(step) < len(items):
                return items[int(step)]
            return None
        index = self.children.get(id(node))
        if index is None:
            index = self.children[id(node)] = _by_id_short(node, types)
        return index.get(step)


_IDENTIFIABLE_KEYS = frozenset(
    {"AssetAdministrationShell", "Submodel", "ConceptDescription", "Identifiable"}
)


def _by_id_short(node: Root, types: Types) -> dict[str, Root]:
    """The referable children of ``node`` by idShort; where two share one (an error of its
    own), the first, as a scan of the children in order would find."""
    index: dict[str, Root] = {}
    for child in node.descend_once():
        if isinstance(child, types.OperationVariable):
            child = child.value
        if (
            isinstance(child, types.Referable)
            and not isinstance(child, types.Identifiable)
            and child.id_short is not None
        ):
            index.setdefault(child.id_short, child)
    return index
