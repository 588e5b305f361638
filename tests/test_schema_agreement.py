"""The project's schemas against the official ones: the same verdict on every corpus file,
except where the official schema is known to be wrong (each exception is named here and in
the README), and the committed schema files are exactly what the generator makes."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from aas import pipeline
from aas.findings import Finding
from aas.metamodel.schemagen import (
    json_schema,
    schema_folder,
    schema_names,
    shacl,
    shapes_name,
    xsd,
)
from aas.validation import validate
from aas.versions import Version

from conftest import corpus

SETS = [
    ("testgen-3.0", "Json", "ContainedInEnvironment"),
    ("testgen-3.0", "Xml", "ContainedInEnvironment"),
    ("testdatagen-3.1", "Json"),
    ("testdatagen-3.1", "Xml"),
    ("examples-3.1", "json"),
    ("examples-3.1", "xml"),
]
OFFICIAL = {"3.0": ("3.0.9",), "3.1": ("3.1.2",)}
_NON_BMP = re.compile("[\U00010000-\U0010ffff]")
_VALUE_PATHS = re.compile(r"/(value|min|max)$")
_LANG_TEXT = re.compile(r"langString\w*Type\w*/aas:text|langString\w*/text")


def _schema_findings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule.startswith(("schema:", "xsd:"))]


def known_official_defect(
    version: str, suffix: str, text: str, ours: list[Finding], theirs: list[Finding]
) -> str | None:
    """Why the verdicts may differ, if it is one of the official schemas' known defects."""
    if theirs and not ours:
        # 1. The official JSON Schemas write their character patterns as UTF-16 surrogate
        #    ranges, so any text outside the Basic Multilingual Plane fails them.
        if (
            suffix == "json"
            and _NON_BMP.search(text)
            and all(f.rule in ("schema:pattern", "schema:oneOf", "schema:allOf") for f in theirs)
        ):
            return "non-BMP text fails the official surrogate patterns"
        return None
    if ours and not theirs:
        # 2. The official JSON Schemas accept properties the serialisation does not have.
        if all(f.rule == "schema:additionalProperties" for f in ours):
            return "official JSON Schema accepts unknown properties"
        # 3. The V3.0.9 JSON Schema leaves value-typed strings (Property/Extension/Qualifier
        #    value, Range min/max) without AASd-130's character pattern (V3.1.2 has it).
        if (
            version == "3.0"
            and suffix == "json"
            and all(
                f.rule == "schema:pattern" and _VALUE_PATHS.search(f.location.pointer or "")
                for f in ours
            )
        ):
            return "V3.0.9 JSON Schema lacks AASd-130 on values"
        # 4. The V3.0.9 XSD puts no length limit on the text of the language-string types.
        if (
            version == "3.0"
            and suffix == "xml"
            and all(
                f.rule == "xsd:cvc-maxlength-valid" and "text" in (f.location.xpath or "")
                for f in ours
            )
        ):
            return "V3.0.9 XSD lacks the language strings' text lengths"
    return None


@pytest.mark.parametrize("folder", SETS, ids=["/".join(s) for s in SETS])
def test_project_schemas_agree_with_the_official_ones(
    folder: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The schema layers are compared as they find, before a defect the model's layer finds
    # too is reported once (by the model's rule, naming the schema's: aas.defects).
    monkeypatch.setattr(pipeline, "merge", lambda findings, targets=None: list(findings))
    base = corpus(*folder)
    version = "3.0" if folder[0] == "testgen-3.0" else "3.1"
    suffix = folder[1].lower()
    official = corpus(
        "official-schemas", *OFFICIAL[version], "aas.json" if suffix == "json" else "AAS.xsd"
    )
    single = folder[0] == "testdatagen-3.1"
    tally: Counter[str] = Counter()
    unexplained: list[str] = []
    for path in sorted(base.rglob(f"*.{suffix}")):
        parts = path.relative_to(base).parts
        class_name = (parts[1] if parts[0] == "Expected" else parts[3]) if single else None
        options = {
            "version": version if suffix == "json" else None,
            "model_type": class_name,
            "checks": ["schema"],
        }
        ours = validate(path, **options)
        theirs = validate(path, schemas=[official], **options)
        assert "schema" in ours.checks, path
        if "schema" not in theirs.checks:
            tally["the official schema cannot check it"] += 1
            continue
        our_findings = _schema_findings(ours.findings)
        their_findings = _schema_findings(theirs.findings)
        if bool(our_findings) == bool(their_findings):
            tally["same verdict"] += 1
            continue
        # JSON may write non-BMP characters as escaped surrogate pairs: look at the decoded text.
        raw = path.read_bytes()
        text = json.dumps(json.loads(raw), ensure_ascii=False) if suffix == "json" else ""
        reason = known_official_defect(version, suffix, text, our_findings, their_findings)
        if reason is None:
            unexplained.append(
                f"{path}: ours {[f.message for f in our_findings][:2]}, "
                f"official {[f.message for f in their_findings][:2]}"
            )
        else:
            tally[reason] += 1
    print("/".join(folder), dict(tally))
    assert tally["same verdict"] > 0
    assert unexplained == []


@pytest.mark.parametrize("version", list(Version), ids=str)
def test_committed_schemas_are_what_the_generator_makes(version: Version) -> None:
    import orjson

    json_name, xsd_name = schema_names(version)
    folder: Path = schema_folder()
    expected_json = orjson.dumps(json_schema(version), option=orjson.OPT_INDENT_2) + b"\n"
    assert (folder / json_name).read_bytes() == expected_json, (
        "run python -m aas.metamodel.schemagen"
    )
    assert (folder / xsd_name).read_bytes() == xsd(version), "run python -m aas.metamodel.schemagen"
    assert (folder / shapes_name(version)).read_bytes() == shacl(version), "run the generator"
