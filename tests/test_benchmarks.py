"""The benchmark suite works: its models are valid and its runner runs end to end.

Nothing here is timed: speed is judged by ``benchmarks/run.py`` alone.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest

from conftest import REPO

BENCHMARKS = REPO / "benchmarks"


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The benchmark scripts as modules (``run`` imports ``generate`` from its folder)."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import generate
    import run

    return type("Bench", (), {"generate": generate, "run": run})


def _kinds(document: Any) -> Counter[str]:
    found: Counter[str] = Counter()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "modelType" in node:
                found[node["modelType"]] += 1
            if node.get("modelType") == "Property":
                found[node["valueType"]] += 1
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    return found


def test_the_1mb_model_is_valid_under_both_versions(bench: Any, tmp_path: Path) -> None:
    model = bench.generate.ensure_model(1, data_dir=tmp_path)
    assert 0.8e6 < model.json_bytes < 1.5e6
    assert bench.generate.check(model, ("3.0", "3.1")) == []

    kinds = _kinds(orjson.loads(model.json.read_bytes()))
    for kind in (
        "Property",
        "MultiLanguageProperty",
        "Range",
        "File",
        "ReferenceElement",
        "SubmodelElementCollection",
        "SubmodelElementList",
        "Entity",
        "Submodel",
        "AssetAdministrationShell",
        "ConceptDescription",
        "xs:double",
        "xs:int",
        "xs:boolean",
        "xs:string",
        "xs:dateTime",
    ):
        assert kinds[kind] > 0, kind
    assert kinds["Submodel"] >= 8
    text = model.json.read_text()
    assert re.search(r'"value": "-?\d\.\d[eE][+-]?\d+"', text)  # doubles like 1.0E2
    assert '"ModelReference"' in text and '"GlobalReference"' in text


def test_the_twins_are_valid(bench: Any, tmp_path: Path) -> None:
    import aas

    model = bench.generate.ensure_model(0.1, data_dir=tmp_path)
    for version in ("3.0", "3.1"):
        for path in (model.xml(version), model.aasx(version)):
            report = aas.validate(path)
            assert report.version == version
            assert [f for f in report.findings if f.severity >= aas.Severity.WARNING] == [], path


def test_generation_is_deterministic(bench: Any, tmp_path: Path) -> None:
    first = bench.generate.ensure_model(0.1, data_dir=tmp_path / "a")
    second = bench.generate.ensure_model(0.1, data_dir=tmp_path / "b")
    other_seed = bench.generate.ensure_model(0.1, seed=7, data_dir=tmp_path / "c")
    assert first.json.read_bytes() == second.json.read_bytes()
    assert first.json.read_bytes() != other_seed.json.read_bytes()
    # A folder that is there is reused, not made anew.
    before = first.json.stat().st_mtime_ns
    bench.generate.ensure_model(0.1, data_dir=tmp_path / "a")
    assert first.json.stat().st_mtime_ns == before


OPERATIONS = (
    "load JSON",
    "load XML",
    "load AASX",
    "validate JSON",
    "validate XML",
    "validate AASX",
    "convert JSON->XML",
    "convert XML->JSON",
    "convert JSON->AASX",
    "convert JSON->N-Triples",
)
TARGETS = (
    "convert JSON->XML: aas-core3.0 time / project time",
    "validate JSON: project time / json.load time",
    "convert JSON->N-Triples: triples per second",
    "convert JSON->XML: peak memory / input size",
    "convert JSON->XML: cost per element, growth",
)


def test_the_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "run.py"),
            "--sizes",
            "0.1",
            "--repeat",
            "1",
            "--data-dir",
            str(tmp_path),
            "--json-out",
            str(tmp_path / "results.json"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    table = result.stdout
    assert "failed" not in table, table
    rows = [line.split(" | ") for line in table.splitlines() if line.startswith("| 0.1 MB |")]
    for operation in OPERATIONS:
        tools = {row[2] for row in rows if row[1] == operation}
        assert "aas-toolkit" in tools, (operation, table)
    tools = {row[2] for row in rows if row[1] == "convert JSON->XML"}
    assert {"aas-core3.0", "floor: orjson + lxml"} <= tools
    try:
        import basyx.aas  # noqa: F401
    except ImportError:
        pass
    else:
        assert "basyx-python-sdk" in tools
        assert "convert JSON->XML: basyx-python-sdk time / project time" in table
    assert any(row[1] == "validate JSON" and row[2] == "floor: json.load" for row in rows)
    for target in TARGETS:
        assert f"| {target} |" in table, (target, table)
    raw = orjson.loads((tmp_path / "results.json").read_bytes())
    assert raw[0]["results"]["json-xml/project"]["seconds"]


def test_without_an_rdf_writer_the_triples_row_says_not_available(bench: Any) -> None:
    run = bench.run
    rdf = dict.fromkeys(run.RDF_JOBS)
    assert "json-nt/project" not in run.available_jobs(rdf)
    model = bench.generate.Generated(Path("."), 1.0, 1_000_000, 1_000, 1)
    measured = run.SizeRun(model)
    measured.results["json-xml/project"] = run.Measurement([1.0], [50 * 2**20], [30 * 2**20])
    rows = run.rows_for(measured, "3.0", rdf) + run.target_rows([measured], "3.0", rdf)
    triples = [row for row in rows if "N-Triples" in row[0] or "N-Triples" in row[1]]
    assert triples and all(run.NOT_AVAILABLE in row for row in triples)
