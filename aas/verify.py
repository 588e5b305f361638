"""Metamodel constraints, checked by aas-core's verification, reported as findings.

aas-core names the constraint only inside its message text ("Constraint AASd-119: ...");
the rule id is taken from there, and the invariants that have no constraint number
(lengths, patterns, "at least one item") are grouped by kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from aas.findings import Finding, Location, Severity
from aas.model import Model
from aas.paths import pointer, verification_tokens, verification_xpath
from aas.versions import Version, binding

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
    root: Any, version: Version, file: str | None, style: str = "json"
) -> Iterator[Finding]:
    """Every metamodel constraint ``root`` breaks; ``style`` picks JSON pointers or XPaths."""
    for error in binding(version).verification.verify(root):
        rule = rule_of(error.cause)
        if version is Version.V3_1 and rule in _VALUE_RULES and _iris_only(root, error.path):
            continue
        if style == "xml":
            location = Location(file=file, xpath=verification_xpath(error.path, root))
        else:
            location = Location(file=file, pointer=pointer(verification_tokens(error.path)))
        yield Finding(Severity.ERROR, rule, error.cause, location)


# xs:anyURI in V3.1 (IDTA-01001-3-1, primitive data types) holds "absolute or relative Uniform
# Resource Identifiers or Internationalized Resource Identifiers", and XSD 1.1 puts no grammar
# on its lexical space at all. aas-core3.1 (1.0.0) checks it against RFC 2396 in ASCII only, so
# it rejects IRIs ("/path/ô") and URIs RFC 3986 allows ("HCSxO:"), which the official V3.1
# examples hold as valid. Such a value is judged by the RFC 3987 IRI-reference grammar that
# aas-core3.0 implements instead.
_VALUE_RULES = frozenset({"metamodel:value-type", "AASd-020"})


def _iris_only(root: Any, path: Any) -> bool:
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


def _instance_at(root: Any, path: Any) -> Any:
    node = root
    for segment in path.segments:
        if hasattr(segment, "name"):
            node = getattr(node, segment.name, None)
        else:
            node = segment.sequence[segment.index]
    return node


def verify_model(model: Model, style: str = "json") -> list[Finding]:
    return list(verify_instance(model.root, model.version, model.source, style))
