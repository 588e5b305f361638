"""Validation verdicts on the conformance corpus: every valid file passes with zero errors, and
every invalid or unserializable one fails with a finding whose rule fits its cause folder."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from aas.findings import Severity
from aas.rules import lookup
from aas.validation import validate

from conftest import corpus
from validation_fit import fits

SETS = [
    # label, folder, version, suffix, class named by the folder (single instances)
    (
        "testgen-3.0 Json ContainedInEnvironment",
        ("testgen-3.0", "Json", "ContainedInEnvironment"),
        "3.0",
        "json",
        False,
    ),
    (
        "testgen-3.0 Xml ContainedInEnvironment",
        ("testgen-3.0", "Xml", "ContainedInEnvironment"),
        "3.0",
        "xml",
        False,
    ),
    (
        "testgen-3.0 Json SelfContained",
        ("testgen-3.0", "Json", "SelfContained"),
        "3.0",
        "json",
        True,
    ),
    ("testgen-3.0 Xml SelfContained", ("testgen-3.0", "Xml", "SelfContained"), "3.0", "xml", True),
    ("testdatagen-3.1 Json", ("testdatagen-3.1", "Json"), "3.1", "json", True),
    ("testdatagen-3.1 Xml", ("testdatagen-3.1", "Xml"), "3.1", "xml", True),
]


def classify(base: Path, path: Path) -> tuple[str, str | None, str]:
    parts = path.relative_to(base).parts
    if parts[0] == "Expected":
        return "Expected", None, parts[1]
    return parts[1], parts[2], parts[3]


@pytest.mark.parametrize(
    ("label", "folder", "version", "suffix", "by_folder"), SETS, ids=[s[0] for s in SETS]
)
def test_verdicts_fit_the_corpus(
    label: str, folder: tuple[str, ...], version: str, suffix: str, by_folder: bool
) -> None:
    base = corpus(*folder)
    tally: Counter[tuple[str, bool]] = Counter()
    wrong: list[str] = []
    unregistered: set[str] = set()
    for path in sorted(base.rglob(f"*.{suffix}")):
        kind, cause, class_name = classify(base, path)
        report = validate(
            path,
            version=version if suffix == "json" else None,
            model_type=class_name if by_folder else None,
        )
        errors = [f for f in report.findings if f.severity is Severity.ERROR]
        # every rule a run produces is in the registry (aas/rules.py) and the README's table
        unregistered.update(r for f in report.findings for r in (f.rule, *f.also) if not lookup(r))
        if kind == "Expected":
            right = report.readable and not errors
        else:
            assert cause is not None
            # A defect several layers found is one finding naming the others (``also``):
            # each of them fits the cause.
            right = bool(errors) and fits(cause, {r for f in errors for r in (f.rule, *f.also)})
        key = kind if cause is None else f"{kind}/{cause}"
        tally[(key, right)] += 1
        if not right:
            wrong.append(f"{path}: {[(f.rule, f.message) for f in errors][:3]}")
    for key in sorted({key for key, _ in tally}):
        print(f"{label} {key}: {tally[(key, True)]} of {tally[(key, True)] + tally[(key, False)]}")
    assert tally[("Expected", True)] > 0
    assert wrong == []
    assert unregistered == set(), "rules missing from aas/rules.py"
