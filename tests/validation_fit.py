"""Which rules fit which cause folder of the conformance corpus (shared by tests and notes)."""

from __future__ import annotations

import re

FITTING_RULES: dict[str, re.Pattern[str]] = {
    # AASd-130 is the numbered pattern every string must match (XML-serialisable characters).
    "PatternViolation": re.compile(
        r"metamodel:pattern|AASd-130|schema:pattern|xsd:cvc-pattern-valid|shacl:Pattern"
    ),
    "MaxLengthViolation": re.compile(
        r"metamodel:max-length|schema:maxLength|xsd:cvc-maxlength|shacl:MaxLength"
    ),
    "MinLengthViolation": re.compile(
        r"metamodel:min-length|metamodel:min-items|schema:min(Length|Items)|xsd:cvc-minlength"
        r"|shacl:Min(Length|Count)"
    ),
    # AASd-020 is the numbered form of the same rule for qualifiers.
    "InvalidValueExample": re.compile(r"metamodel:value-type|AASd-020"),
    "InvalidMinMaxExample": re.compile(r"metamodel:value-type"),
    "InvalidRangeExample": re.compile(r"metamodel:value-type"),
    "ConstraintViolation": re.compile(r"AAS[a-z]+-[0-9a-z-]+"),
    "SetViolation": re.compile(r"AAS[a-z]+-\d+|metamodel:unique|schema:enum"),
    "DateTimeUtcViolationOnFebruary29th": re.compile(r"metamodel:pattern|metamodel:date-time"),
    "EnumViolation": re.compile(r"model:enum|schema:enum|xsd:cvc-enumeration|shacl:In"),
    "InvalidModelType": re.compile(r"model:model-type|schema:(const|enum|oneOf|anyOf)"),
    "InvalidClassName": re.compile(r"model:model-type"),
    "MissingModelType": re.compile(r"model:missing-model-type|schema:required"),
    "NullViolation": re.compile(r"model:null|model:type|schema:type"),
    "RequiredViolation": re.compile(
        r"model:required|schema:required|xsd:cvc-complex-type|shacl:MinCount"
    ),
    "TypeViolation": re.compile(r"model:type|schema:type|xsd:cvc-complex-type"),
    "UnexpectedAdditionalProperty": re.compile(
        r"model:unexpected-property|schema:additionalProperties|xsd:cvc-complex-type"
    ),
}


def fits(cause: str, rules: set[str]) -> bool:
    pattern = FITTING_RULES[cause]
    return any(pattern.fullmatch(rule) or pattern.match(rule) for rule in rules)
