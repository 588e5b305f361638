"""Metamodel constraints, checked by aas-core's verification, reported as findings.

aas-core names the constraint only inside its message text ("Constraint AASd-119: ...");
the rule id is taken from there, and the invariants that have no constraint number
(lengths, patterns, "at least one item") are grouped by kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, TypeAlias

from aas.findings import Finding, Location, Severity, pointer
from aas.metamodel.classes import IDENTIFIABLE_ARRAYS
from aas.metamodel.names import camel
from aas.metamodel.paths import (
    XPATH_PREFIX,
    IndexStep,
    PropertyStep,
    Step,
    verification_steps,
    verification_tokens,
    verification_xpath,
)
from aas.metamodel.walk import location
from aas.model import Model, Root
from aas.versions import Version, binding

if TYPE_CHECKING:
    import aas_core3.types as v30
    import aas_core3.verification
    import aas_core3_1.types as v31
    import aas_core3_1.verification

#: Where aas-core's verification found an error.
_Path: TypeAlias = "aas_core3.verification.Path | aas_core3_1.verification.Path"
_Identifiable: TypeAlias = "v30.Identifiable | v31.Identifiable"

# "Constraint AASd-119: ...", "... according to AASd-117", "Constraint AASc-3a-009: ..."
_CONSTRAINT = re.compile(r"\b(AAS[a-z]{1,2}-(?:\d+[a-z]?-)?\d+[a-z]?)\b")
_KINDS = (
    (re.compile(r"maximum length", re.IGNORECASE), "metamodel:max-length"),
    (re.compile(r"minimum length|must not be empty", re.IGNORECASE), "metamodel:min-length"),
    (
        re.compile(
            r"pattern|shall consist of|shall match|shall only feature|must represent a valid"
            r"|conformant to a URI|language tag",
            re.IGNORECASE,
        ),
        "metamodel:pattern",
    ),
    (re.compile(r"at least one item", re.IGNORECASE), "metamodel:min-items"),
    (re.compile(r"unique", re.IGNORECASE), "metamodel:unique"),
    (re.compile(r"value type|consistent with", re.IGNORECASE), "metamodel:value-type"),
)


def rule_of(cause: str) -> str:
    match = _CONSTRAINT.search(cause)
    if match:
        return match.group(1)
    for pattern, rule in _KINDS:
        if pattern.search(cause):
            return rule
    return "metamodel:invariant"


def verify_instance(
    root: Root, version: Version, file: str | None, style: str = "json"
) -> Iterator[Finding]:
    """Every metamodel constraint ``root`` breaks; ``style`` picks JSON pointers or XPaths."""
    for error in _verify(root, version):
        rule = rule_of(error.cause)
        if version is Version.V3_1 and rule in _VALUE_RULES and _iris_only(root, error.path):
            continue
        # aas-core places "at least one item" on the object holding the list; the finding
        # goes to the empty list itself, where the schema finds the same defect.
        empty = (
            _empty_list(root, error.path, error.cause) if rule == "metamodel:min-items" else None
        )
        if style == "xml":
            xpath = verification_xpath(error.path, root)
            if empty is not None:
                xpath += f"/{XPATH_PREFIX}:{camel(empty)}"
            location = Location(file=file, xpath=xpath)
        else:
            tokens = verification_tokens(error.path)
            if empty is not None:
                tokens.append(camel(empty))
            location = Location(file=file, pointer=pointer(tokens))
        yield Finding(Severity.ERROR, rule, error.cause, location)


def _verify(root: Root, version: Version) -> Iterator[Any]:
    """aas-core's verification of ``root``, each distinct Reference verified once: a model's
    many semanticIds name the same few concepts, and aas-core checks the same keys each time
    (a third of verifying a model of many references). The errors of a Reference met again
    are those of the first, with their paths made anew through the one met (so each error
    is what aas-core gives for it, instances included)."""
    verification = binding(version).verification
    remembering = _remembering(version)
    if remembering is None:  # an aas-core without the transformer this builds on
        return verification.verify(root)  # type: ignore[no-any-return]
    transformer = remembering()
    transformer.known = {}  # for this model alone
    return transformer.transform(root)  # type: ignore[no-any-return]


#: An error's path below the Reference it is about: ("p", attribute) or ("i", index) steps.
_Steps: TypeAlias = "tuple[tuple[str, Any], ...]"
_Signature: TypeAlias = "tuple[object, tuple[tuple[object, object], ...], object]"


@cache
def _remembering(version: Version) -> type | None:
    """A subclass of aas-core's verifying transformer that remembers what each Reference it
    met broke, by the Reference's content."""
    verification = binding(version).verification
    base = getattr(verification, "_Transformer", None)
    if not isinstance(base, type) or not hasattr(base, "transform_reference"):
        return None
    verify_reference = base.transform_reference

    def transform_reference(self: Any, that: Any) -> Iterator[Any]:
        try:
            signature = _signature(that)
            known: list[tuple[str, _Steps]] | None = self.known.get(signature)
        except TypeError:  # content that is no model's (unhashable): verified as it is
            yield from verify_reference(self, that)
            return
        if known is None:
            errors = list(verify_reference(self, that))
            self.known[signature] = [(e.cause, _steps(e.path, that)) for e in errors]
            yield from errors
            return
        for cause, steps in known:
            yield _error_at(verification, cause, steps, that)

    return type("_Remembering", (base,), {"transform_reference": transform_reference})


def _signature(reference: Any) -> _Signature:
    """What a Reference's verification depends on: its type, its keys, its referred
    semanticId's."""
    referred = reference.referred_semantic_id
    keys = tuple([(key.type, key.value) for key in reference.keys])
    return (reference.type, keys, None if referred is None else _signature(referred))


def _steps(path: Any, reference: Any) -> _Steps:
    steps: list[tuple[str, Any]] = []
    for segment in path.segments:
        if hasattr(segment, "name"):
            steps.append(("p", segment.name))
        else:
            steps.append(("i", segment.index))
    return tuple(steps)


def _error_at(verification: Any, cause: str, steps: _Steps, reference: Any) -> Any:
    """aas-core's error ``cause`` at ``steps`` below ``reference``."""
    segments: list[Any] = []
    node = reference
    for kind, step in steps:
        if kind == "p":
            segments.append(verification.PropertySegment(node, step))
            node = getattr(node, step)
        else:
            segments.append(verification.IndexSegment(node, step))
            node = node[step]
    error = verification.Error(cause)
    for segment in reversed(segments):
        error.path._prepend(segment)
    return error


def _empty_list(root: Root, path: _Path, cause: str) -> str | None:
    """The attribute (snake case) of the instance at ``path`` that is an empty list and that
    ``cause`` names ("Concept descriptions must be either not set or have at least one
    item"), when exactly one is."""
    instance = _instance_at(root, path)
    said = cause.split(" must ")[0].replace(" ", "").replace("-", "").lower()
    names = [
        name
        for name, value in vars(instance).items()
        if isinstance(value, list) and not value and name.replace("_", "") == said
    ]
    return names[0] if len(names) == 1 else None


# xs:anyURI in V3.1 (IDTA-01001-3-1, primitive data types) holds "absolute or relative Uniform
# Resource Identifiers or Internationalized Resource Identifiers", and XSD 1.1 puts no grammar
# on its lexical space at all. aas-core3.1 (1.0.0) checks it against RFC 2396 in ASCII only, so
# it rejects IRIs ("/path/ô") and URIs RFC 3986 allows ("HCSxO:"), which the official V3.1
# examples hold as valid. Such a value is judged by the RFC 3987 IRI-reference grammar that
# aas-core3.0 implements instead.
_VALUE_RULES = frozenset({"metamodel:value-type", "AASd-020"})


def _iris_only(root: Root, path: _Path) -> bool:
    """Whether the instance a value-type error is about is an xs:anyURI one whose values are
    all valid IRI references."""
    instance = _instance_at(root, path)
    value_type = getattr(instance, "value_type", None)
    if value_type is None or getattr(value_type, "value", None) != "xs:anyURI":
        return False
    values = [getattr(instance, name, None) for name in ("value", "min", "max")]
    texts = [value for value in values if isinstance(value, str)]
    matches = binding(Version.V3_0).verification.matches_xs_any_uri
    return bool(texts) and all(matches(text) for text in texts)


def _instance_at(root: Root, path: _Path) -> object:
    node: object = root
    for step in verification_steps(path):
        if isinstance(step, PropertyStep):
            node = getattr(node, step.name, None)
        else:
            node = step.sequence[step.index]
    return node


def findings_file(model: Model) -> str | None:
    """The file findings about the model name: the source, or for a package of one spec part
    that part (``package.aasx!/aasx/data.xml``), where its locations lead."""
    package = model.package
    if package is None or len(package.spec_parts) != 1:
        return model.source
    part = package.spec_parts[0].name
    return f"{model.source}!{part}" if model.source else part


def instance_findings(model: Model, style: str) -> list[Finding]:
    """Every constraint the model's instances break, as aas-core reports them (neither
    merged nor with ids held twice): what its reader found where it checked the model
    already (``Model.checked``, taken once), else checked now."""
    known = model.checked.pop(style, None)
    if known is not None:
        return known
    return list(verify_instance(model.root, model.version, findings_file(model), style))


def unique_ids(model: Model, style: str = "json", file: str | None = None) -> list[Finding]:
    """An error for every identifiable whose id another one of the Environment already has.

    IDTA-01001 defines Identifiable/id as the *globally* unique identification of the
    element, so an AssetAdministrationShell and a ConceptDescription (or a Submodel and a
    ConceptDescription) may not share one either. Located at the second, naming the first.
    """
    root = model.root
    if not isinstance(root, binding(model.version).types.Environment):
        return []
    first: dict[str, tuple[str, int, _Identifiable]] = {}
    findings: list[Finding] = []
    for name in IDENTIFIABLE_ARRAYS:
        for index, item in enumerate(getattr(root, name) or ()):
            earlier = first.setdefault(item.id, (name, index, item))
            if earlier[2] is item:
                continue
            other_name, other_index, other = earlier
            there_steps: list[Step] = [
                PropertyStep(root, other_name),
                IndexStep(getattr(root, other_name), other_index),
            ]
            there = location(root, there_steps, None, style)
            steps: list[Step] = [PropertyStep(root, name), IndexStep(getattr(root, name), index)]
            where = location(root, [*steps, PropertyStep(item, "id")], file or model.source, style)
            findings.append(
                Finding.of(
                    "metamodel:unique-id",
                    f"the id {item.id!r} of this {type(item).__name__} is already the id of the "
                    f"{type(other).__name__} at {there.pointer or there.xpath}; ids are "
                    "globally unique (IDTA-01001, Identifiable/id)",
                    where,
                )
            )
    return findings
