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
from aas.versions import binding

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
    root: Any, version: Any, file: str | None, style: str = "json"
) -> Iterator[Finding]:
    """Every metamodel constraint ``root`` breaks; ``style`` picks JSON pointers or XPaths."""
    for error in binding(version).verification.verify(root):
        if style == "xml":
            location = Location(file=file, xpath=verification_xpath(error.path, root))
        else:
            location = Location(file=file, pointer=pointer(verification_tokens(error.path)))
        yield Finding(Severity.ERROR, rule_of(error.cause), error.cause, location)


def verify_model(model: Model, style: str = "json") -> list[Finding]:
    return list(verify_instance(model.root, model.version, model.source, style))
