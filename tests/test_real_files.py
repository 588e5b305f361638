"""Real files: the published IDTA submodel templates, through every format and back.

``idta-templates/`` holds 210 real files (105 AASX, 105 JSON, V3.0 and V3.1) with the quirks of
real producers: IRDI ids, ids with spaces, duplicated languages, empty lists, an AAS and a
concept description sharing an id. Every one that holds a model must read (its problems are
findings), and for every output format converting it and reading the result back must give
the JSON that converting it straight to JSON gives; what a format cannot carry (an AASX's
files in a format without packages) must be reported.

The whole set goes through the library in this one process; the CLI gets a sample.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import aas

from conftest import corpus, run_cli

FORMATS = ("json", "xml", "aasx", "turtle", "ntriples", "jsonld", "rdfxml")
SUFFIXES = {"json": "json", "xml": "xml", "aasx": "aasx", "turtle": "ttl", "ntriples": "nt"}
SUFFIXES |= {"jsonld": "jsonld", "rdfxml": "rdf"}

#: The one file of the set that is no AAS model: an AASX Package Explorer "GenericForm"
#: options file (``{"$type": "Options", "Records": [...]}``) published beside its template.
NOT_A_MODEL = "IDTA 02005-1-0_GenericForm_ProvisionOfSimulationModels.json"


def templates() -> list[Path]:
    root = corpus("idta-templates", "published")
    return sorted(p for p in root.rglob("*") if p.suffix in (".json", ".aasx") and p.is_file())


def package_files(model: aas.Model) -> dict[str, bytes]:
    if model.package is None:
        return {}
    return {part.name: part.data for part in model.package.all_files()}


def test_every_template_reads_and_round_trips_through_every_format() -> None:
    paths = templates()
    assert len(paths) == 210
    passed: Counter[str] = Counter()
    failures: list[str] = []
    read = 0
    for path in paths:
        if path.name == NOT_A_MODEL:
            with pytest.raises(aas.ReadError, match="no modelType and is no Environment"):
                aas.load(path)
            continue
        model = aas.load(path)
        read += 1
        straight = aas.dump(model, "json").data
        for fmt in FORMATS:
            try:
                dumped = aas.dump(model, fmt)
                written, carried = dumped.data, dumped.findings
                back = aas.load(written, format=fmt, version=str(model.version), verify=False)
                again = aas.dump(back, "json").data
            except aas.AasError as error:
                failures.append(f"{path.name} -> {fmt}: {error}")
                continue
            if again != straight:
                failures.append(f"{path.name} -> {fmt} -> json differs from {path.name} -> json")
                continue
            if fmt == "aasx" and package_files(back) != package_files(model):
                failures.append(f"{path.name} -> aasx: the package's files changed")
                continue
            if fmt != "aasx" and package_files(model):
                rules = {finding.rule for finding in carried}
                if "aas:package-files-not-carried" not in rules:
                    failures.append(f"{path.name} -> {fmt}: files left behind unreported")
                    continue
            passed[fmt] += 1
    print(f"read {read} of {len(paths)}; round trips passed: {dict(passed)}")
    assert read == len(paths) - 1
    assert failures == []
    assert all(passed[fmt] == read for fmt in FORMATS)


def test_the_options_file_is_refused_with_a_clear_error() -> None:
    path = next(p for p in templates() if p.name == NOT_A_MODEL)
    result = run_cli("info", str(path))
    assert result.returncode == 3
    error = result.stderr.decode()
    assert "Traceback" not in error
    assert "no modelType and is no Environment" in error
    assert "'Options'" in error and "no AAS model" in error


@pytest.mark.parametrize("fmt", ["turtle", "jsonld", "rdfxml", "aasx"])
def test_the_cli_converts_real_templates_and_reads_them_back(tmp_path: Path, fmt: str) -> None:
    # A sample with IRDI ids and ids with spaces (the files that broke RDF before).
    wanted = ("Nameplate", "TechnicalData", "HandoverDocumentation")
    sample = [p for p in templates() if p.suffix == ".aasx" and any(w in p.name for w in wanted)][
        :2
    ]
    assert sample
    for path in sample:
        out = tmp_path / f"{path.stem}.{SUFFIXES[fmt]}"
        converted = run_cli("convert", str(path), str(out), "--quiet")
        assert converted.returncode == 0, converted.stderr.decode()
        shown = run_cli("info", str(out), "--output", "json")
        assert shown.returncode == 0, shown.stderr.decode()
        straight = aas.load(path)
        expected = len(straight.root.concept_descriptions or ())
        assert f'"conceptDescriptions": {expected}' in shown.stdout.decode()
