"""Every official valid example converts JSON <-> XML into a model equal to its official twin,
and a second round trip gives the same bytes as the first."""

from __future__ import annotations

from pathlib import Path

import pytest

import aas
from aas.versions import binding

from conftest import corpus

CASES = [
    (
        "3.0",
        ("testgen-3.0", "Json", "ContainedInEnvironment", "Expected"),
        ("testgen-3.0", "Xml", "ContainedInEnvironment", "Expected"),
    ),
    ("3.1", ("examples-3.1", "json"), ("examples-3.1", "xml")),
]


def canonical(model: aas.Model) -> object:
    return binding(model.version).jsonization.to_jsonable(model.root)


def twins(json_dir: Path, xml_dir: Path) -> list[tuple[Path, Path]]:
    xml_by_key = {
        str(path.relative_to(xml_dir).with_suffix("")).lower(): path
        for path in xml_dir.rglob("*.xml")
    }
    pairs = []
    for path in sorted(json_dir.rglob("*.json")):
        key = str(path.relative_to(json_dir).with_suffix("")).lower()
        pairs.append((path, xml_by_key[key]))
    return pairs


@pytest.mark.parametrize(("version", "json_parts", "xml_parts"), CASES, ids=["V3.0", "V3.1"])
def test_every_expected_file_converts_to_its_official_twin(
    version: str, json_parts: tuple[str, ...], xml_parts: tuple[str, ...]
) -> None:
    pairs = twins(corpus(*json_parts), corpus(*xml_parts))
    assert len(pairs) > 2500
    failures: list[str] = []
    for json_path, xml_path in pairs:
        from_json = aas.load(json_path, version=version, verify=False)
        official_xml = aas.load(xml_path, verify=False)
        assert official_xml.version == aas.Version(version)

        xml_bytes = aas.dump(from_json, "xml").data
        json_bytes = aas.dump(official_xml, "json").data
        if canonical(aas.load(xml_bytes, verify=False)) != canonical(official_xml):
            failures.append(f"JSON->XML differs from the XML twin: {json_path}")
        if canonical(aas.load(json_bytes, version=version, verify=False)) != canonical(from_json):
            failures.append(f"XML->JSON differs from the JSON twin: {xml_path}")

        # A second round trip gives exactly the bytes of the first.
        again_json = aas.dump(aas.load(xml_bytes, verify=False), "json").data
        again_xml = aas.dump(aas.load(again_json, version=version, verify=False), "xml").data
        if again_xml != xml_bytes:
            failures.append(f"XML round trip not byte-identical: {json_path}")
        if aas.dump(aas.load(again_json, version=version, verify=False), "json").data != again_json:
            failures.append(f"JSON round trip not byte-identical: {json_path}")
    print(f"V{version}: {len(pairs) - len(failures)} of {len(pairs)} pairs pass")
    assert failures == []


def test_valid_v30_examples_have_no_constraint_findings() -> None:
    directory = corpus("testgen-3.0", "Json", "ContainedInEnvironment", "Expected")
    noisy = []
    for path in sorted(directory.rglob("*.json")):
        model = aas.load(path, version="3.0")
        errors = [f for f in model.findings if f.severity is aas.Severity.ERROR]
        if errors:
            noisy.append((path, errors[0]))
    assert noisy == []
