"""One defect, one finding: the same defect reported by several layers is reported once.

A value that breaks its type's pattern is seen by the schema (``schema:pattern``), by the
metamodel (``metamodel:pattern``) and sometimes by a numbered constraint (``AASd-130``); a
required property that is missing, by the schema (``schema:required``) and by the model
(``model:required``). Such findings are one defect: they point at the same place and are of
the same *aspect* (the value, something missing, something unexpected, the keys of a
reference). They are merged into the most specific of them (a numbered constraint before the
model, the model before an unnumbered invariant, that before a schema), which names the
others in ``Finding.also``. Findings of different aspects at one place (a property whose value
breaks its value type and whose idShort is not unique) stay apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import replace

from aas.findings import Finding, escape_pointer_token

VALUE, TOO_LONG = "value", "too-long"
MISSING, UNEXPECTED, REFERENCE_KEYS = "missing", "unexpected", "reference-keys"

#: Aspect of each rule that can be a second report of one defect; other rules never merge.
_ASPECTS: dict[str, str] = {
    **dict.fromkeys(
        (
            "schema:pattern",
            "schema:minLength",
            "schema:format",
            "schema:type",
            "schema:enum",
            "schema:const",
            "model:type",
            "model:null",
            "model:enum",
            "metamodel:pattern",
            "metamodel:min-length",
            "AASd-130",
            "xsd:cvc-pattern-valid",
            "xsd:cvc-minlength-valid",
            "xsd:cvc-length-valid",
            "xsd:cvc-enumeration-valid",
            "xsd:cvc-type-3-1-2",
            "xsd:cvc-datatype-valid-1-2-1",
            "xsd:cvc-datatype-valid-1-2-3",
            "xsd:cvc-complex-type-2-3",
            "xsd:cvc-elt-1",
            "shacl:Pattern",
            "shacl:MinLength",
        ),
        VALUE,
    ),
    # A value too long is a defect of its own, even when its characters break the pattern
    # too; one that is empty (the metamodel's minimum length is 1) breaks the pattern only
    # for being empty, so that is one defect.
    **dict.fromkeys(
        ("schema:maxLength", "metamodel:max-length", "xsd:cvc-maxlength-valid", "shacl:MaxLength"),
        TOO_LONG,
    ),
    **dict.fromkeys(
        (
            "schema:required",
            "schema:minItems",
            "model:required",
            "model:missing-model-type",
            "metamodel:min-items",
        ),
        MISSING,
    ),
    **dict.fromkeys(("schema:additionalProperties", "model:unexpected-property"), UNEXPECTED),
    # The key types of one reference: AASd-121 (first key, every reference), AASd-122 and
    # AASd-124 (first and last key of an external one: the same key when there is one),
    # AASd-123 and AASd-125 to AASd-128 (the keys of a model reference).
    **dict.fromkeys((f"AASd-{n}" for n in range(121, 129)), REFERENCE_KEYS),
}

#: Within an aspect, which finding reports the defect: the lower, the more specific.
_PREFERENCE = (
    "metamodel:min-length",
    "metamodel:pattern",
)

_QUOTED = re.compile(r"""^["'](.+?)["'] is a required property""")
_REQUIRED_PROPERTY = re.compile(r"required property '([^']+)' is missing")
_UNEXPECTED_NAMES = re.compile(r"\((.*) (?:was|were) unexpected\)")
_NAME_IN_LIST = re.compile(r"""'((?:[^'\\]|\\.)*)'""")
_UNEXPECTED_PROPERTY = re.compile(r"Unexpected property: (\S+)$")


#: A value of the wrong type (text where a Reference belongs, an unknown class) is the one
#: defect behind what the schema then misses or finds unexpected in it.
_WRONG_TYPE = frozenset({"model:type", "model:null", "model:enum", "model:model-type"})


def _aspects(finding: Finding) -> tuple[str, ...]:
    if finding.rule in _WRONG_TYPE:
        return VALUE, MISSING, UNEXPECTED
    aspect = _ASPECTS.get(finding.rule)
    if aspect is None and finding.rule == "xsd:element-content":
        # libxml2 says both "Missing child element(s)" and "This element is not expected".
        if "Missing child" in finding.message:
            return (MISSING,)
        if "not expected" in finding.message:
            return (UNEXPECTED,)
    return () if aspect is None else (aspect,)


def _rank(finding: Finding) -> tuple[int, int, int]:
    """Higher is the better report of a defect."""
    rule = finding.rule
    if rule.startswith(("AASd-", "AASc-")):
        layer = 4
    elif rule.startswith("model:"):
        layer = 3
    elif rule.startswith("metamodel:"):
        layer = 2
    else:
        layer = 1
    preference = _PREFERENCE.index(rule) if rule in _PREFERENCE else len(_PREFERENCE)
    # A generic schema complaint ("not a valid value of the atomic type") comes after the
    # facet that says what is wrong.
    generic = rule in ("xsd:cvc-type-3-1-2", "schema:type") or rule.startswith("xsd:cvc-complex")
    return finding.severity.rank, layer, -preference * 2 - int(generic)


def _properties(finding: Finding) -> list[str] | None:
    """The properties of a JSON object an object-level finding is about, where it names them:
    ``schema:required`` and ``model:required`` at the object name the missing property,
    ``schema:additionalProperties`` the unexpected ones."""
    rule = finding.rule
    if rule == "schema:required":
        match = _QUOTED.search(finding.message)
        return [match.group(1)] if match else None
    if rule == "model:required":
        match = _REQUIRED_PROPERTY.search(finding.message)
        return [match.group(1)] if match else None
    if rule == "model:missing-model-type":
        return ["modelType"]
    if rule == "schema:additionalProperties":
        match = _UNEXPECTED_NAMES.search(finding.message)
        return _NAME_IN_LIST.findall(match.group(1)) if match else None
    if rule == "model:unexpected-property":
        match = _UNEXPECTED_PROPERTY.search(finding.message)
        if match and not (finding.location.pointer or "").endswith("/" + match.group(1)):
            return [match.group(1)]
    return None


def pointer_targets(finding: Finding) -> list[Hashable]:
    """Where in a document a finding's defect is: its JSON pointer, or for a finding about
    properties of an object, the pointer of each property; else its XPath (as one layer
    spells them: the XPaths of different layers are compared by the element they select,
    see ``aas.validation``)."""
    at = finding.location.pointer
    if at is None:
        return [finding.location.xpath] if finding.location.xpath else []
    names = _properties(finding)
    if names is None:
        return [at]
    return [f"{at}/{escape_pointer_token(name)}" for name in names]


def merge(
    findings: Sequence[Finding], targets: Callable[[Finding], list[Hashable]] = pointer_targets
) -> list[Finding]:
    """The findings with each defect reported once (see the module's docstring).

    ``targets`` says where a finding's defect is (JSON pointers by default; for XML the
    element the XPath selects, as XPaths of one element are spelled in several ways).
    Findings of different files never merge.
    """
    if len(findings) < 2:
        return list(findings)
    Key = tuple[str | None, Hashable, str]  # file, target, aspect
    claims: dict[Key, list[int]] = {}
    claimed: list[list[Key]] = []
    for index, finding in enumerate(findings):
        keys: list[Key] = []
        for aspect in _aspects(finding):
            for target in targets(finding):
                key = (finding.location.file, target, aspect)
                claims.setdefault(key, []).append(index)
                keys.append(key)
        claimed.append(keys)
    if all(len(members) == 1 for members in claims.values()):
        return list(findings)

    best: dict[Key, int] = {}
    also: dict[int, list[str]] = {}
    for key, members in claims.items():
        if len(members) == 1:
            best[key] = members[0]
            continue
        winner = max(members, key=lambda i: _rank(findings[i]))
        best[key] = winner
        named = also.setdefault(winner, [])
        for other in members:
            if other != winner:
                named.extend((findings[other].rule, *findings[other].also))

    merged: list[Finding] = []
    for index, finding in enumerate(findings):
        keys = claimed[index]
        if keys and all(best[key] != index for key in keys):
            continue  # every defect it reports is reported by a more specific finding
        extra = also.get(index)
        if extra:
            names = [finding.rule, *finding.also]
            combined = [
                *finding.also,
                *(rule for rule in dict.fromkeys(extra) if rule not in names),
            ]
            finding = replace(finding, also=tuple(combined))
        merged.append(finding)
    return merged
