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
            "--shapes",
            "default",
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


# -- the shapes of issue 14

SHAPES = (
    "default",
    "deep",
    "references",
    "references-ok",
    "mlp",
    "huge-submodel",
    "compact",
    "one-space",
    "irdi",
)
IRDI = re.compile(r"^0173-1#0[12]-[A-Z]{3}\d{3}#\d{3}$")


def _walk(node: Any) -> Any:
    """Every JSON object in ``node``, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _collection_depth(node: Any) -> int:
    """How many SubmodelElementCollections nest in ``node`` at the most."""
    if isinstance(node, list):
        return max((_collection_depth(value) for value in node), default=0)
    if not isinstance(node, dict):
        return 0
    below = max((_collection_depth(value) for value in node.values()), default=0)
    return below + (node.get("modelType") == "SubmodelElementCollection")


def test_the_shapes_are_the_ones_the_runner_knows(bench: Any) -> None:
    assert tuple(bench.generate.SHAPES) == SHAPES
    assert bench.generate.parse_shapes("all") == list(SHAPES)
    assert bench.generate.parse_shapes("deep, irdi") == ["deep", "irdi"]
    assert bench.generate.parse_shapes("deep,cubic") is None
    with pytest.raises(ValueError, match="unknown shape"):
        bench.generate.ensure_model(0.1, shape="cubic")


@pytest.mark.parametrize("shape", SHAPES)
def test_each_shape_is_deterministic_and_valid(bench: Any, tmp_path: Path, shape: str) -> None:
    generate = bench.generate
    model = generate.ensure_model(0.2, data_dir=tmp_path / "a", shape=shape)
    again = generate.ensure_model(0.2, data_dir=tmp_path / "b", shape=shape)
    assert model.shape == shape
    assert 0.15e6 < model.json_bytes < 0.3e6
    assert model.json.read_bytes() == again.json.read_bytes()
    assert (model.elements, model.unresolved) == (again.elements, again.unresolved)
    other_seed = generate.ensure_model(0.2, seed=7, data_dir=tmp_path / "c", shape=shape)
    assert other_seed.json.read_bytes() != model.json.read_bytes()
    # No warning or error but the unresolved references the shape made, as many as it made.
    assert generate.check(model, ("3.0", "3.1")) == []


def test_the_deep_shape_nests_collections_eight_levels(bench: Any, tmp_path: Path) -> None:
    deep = bench.generate.ensure_model(0.2, data_dir=tmp_path, shape="deep")
    default = bench.generate.ensure_model(0.2, data_dir=tmp_path, shape="default")
    assert _collection_depth(orjson.loads(deep.json.read_bytes())) == 8
    assert _collection_depth(orjson.loads(default.json.read_bytes())) < 8
    # References reach down to the deep elements: keys as long as the nesting.
    longest = max(
        len(node["keys"])
        for node in _walk(orjson.loads(deep.json.read_bytes()))
        if node.get("type") == "ModelReference"
    )
    assert longest >= 8


def test_the_reference_shapes_differ_only_in_what_resolves(bench: Any, tmp_path: Path) -> None:
    import aas

    generate = bench.generate
    broken = generate.ensure_model(0.5, data_dir=tmp_path, shape="references")
    whole = generate.ensure_model(0.5, data_dir=tmp_path, shape="references-ok")
    assert whole.unresolved == 0
    assert broken.model_references == whole.model_references
    assert broken.elements == whole.elements
    # Every 4th model reference names nothing: about 5,000 at 15 MB.
    assert broken.unresolved == broken.model_references // 4
    document = orjson.loads(broken.json.read_bytes())
    kinds = _kinds(document)
    assert kinds["ReferenceElement"] > kinds["Property"] / 2
    semantic = [
        node["semanticId"]["keys"][0]["type"]
        for node in _walk(document)
        if node.get("semanticId", {}).get("type") == "ModelReference"
    ]
    assert semantic and set(semantic) == {"ConceptDescription"}
    findings = aas.validate(broken.json).findings
    unresolved = [f for f in findings if f.rule == generate.UNRESOLVED]
    assert len(unresolved) == broken.unresolved
    assert [f for f in aas.validate(whole.json).findings if f.rule.startswith("reference:")] == []


def test_the_mlp_shape_has_many_languages(bench: Any, tmp_path: Path) -> None:
    model = bench.generate.ensure_model(0.2, data_dir=tmp_path, shape="mlp")
    document = orjson.loads(model.json.read_bytes())
    kinds = _kinds(document)
    assert kinds["MultiLanguageProperty"] > model.elements * 0.4
    languages = [
        [text["language"] for text in node["value"]]
        for node in _walk(document)
        if node.get("modelType") == "MultiLanguageProperty"
    ]
    assert max(len(found) for found in languages) == 7
    assert {"zh", "ja", "pt-BR"} <= {language for found in languages for language in found}


def test_the_huge_submodel_shape_is_one_submodel(bench: Any, tmp_path: Path) -> None:
    model = bench.generate.ensure_model(0.5, data_dir=tmp_path, shape="huge-submodel")
    document = orjson.loads(model.json.read_bytes())
    (submodel,) = document["submodels"]
    in_submodel = sum(1 for node in _walk(submodel["submodelElements"]) if "modelType" in node)
    assert in_submodel == model.elements
    # Small elements: about 100,000 of them in 15 MB.
    assert model.json_bytes / model.elements < 160


def test_compact_and_one_space_are_the_default_model_laid_out_otherwise(
    bench: Any, tmp_path: Path
) -> None:
    generate = bench.generate
    compact = generate.ensure_model(0.2, data_dir=tmp_path, shape="compact")
    one_space = generate.ensure_model(0.2, data_dir=tmp_path, shape="one-space")
    data = compact.json.read_bytes()
    assert orjson.dumps(orjson.loads(data)) == data  # not one byte of whitespace
    text = one_space.json.read_bytes()
    assert text.startswith(b'{\n "assetAdministrationShells": [\n  {\n   "modelType"')
    assert (
        generate.one_space(orjson.dumps(orjson.loads(text), option=orjson.OPT_INDENT_2)) + (b"\n")
        == text
    )
    # The same content as the default model, more of it in the same bytes.
    default = generate.ensure_model(0.2, data_dir=tmp_path, shape="default")
    assert compact.elements > one_space.elements > default.elements


def test_the_irdi_shape_names_everything_by_irdi(bench: Any, tmp_path: Path) -> None:
    model = bench.generate.ensure_model(0.2, data_dir=tmp_path, shape="irdi")
    document = orjson.loads(model.json.read_bytes())
    ids = [node["id"] for node in _walk(document) if "id" in node]
    assert ids and all(IRDI.match(value) for value in ids), ids[:5]
    keys = [
        key["value"]
        for node in _walk(document)
        for key in node.get("keys", ())
        if key["type"] in ("GlobalReference", "Submodel", "ConceptDescription")
        and not key["value"].startswith(bench.generate._TEMPLATES)
        and "/" not in key["value"]  # a File's semanticId: two IRDIs joined
    ]
    assert keys and all(IRDI.match(value) for value in keys), keys[:5]
    assert len(set(ids)) == len(ids)


def _measured(bench: Any, shape: str, size: float, **medians: float) -> Any:
    run = bench.run
    model = bench.generate.Generated(Path("."), size, int(size * 1e6), 1_000, 1, shape)
    measured = run.SizeRun(model)
    for job, seconds in medians.items():
        job_id = job.replace("__", "/").replace("_", "-")
        measured.results[job_id] = run.Measurement([seconds], [seconds], [40 * 2**20])
    return measured


def test_the_issue_14_table_judges_every_shape_and_the_findings_twin(bench: Any) -> None:
    run = bench.run
    jobs = {"json_xml__project": 1.0, "json_xml__basyx": 9.0, "json_xml__aas_core": 1.5}
    broken = _measured(bench, "references", 15, validate_json__project=1.2, **jobs)
    broken.results["validate-json/project"].extra = {"findings": 4_900}
    whole = _measured(bench, "references-ok", 15, validate_json__project=1.0, **jobs)
    slow = _measured(bench, "deep", 15, validate_json__project=3.0, **jobs)
    slower = _measured(bench, "deep", 1, validate_json__project=0.1, **jobs)
    rows = run.issue14_rows([broken, whole, slow, slower], "3.0")
    table = {(row[0], row[1], row[2]): row for row in rows}
    basyx = table[("convert JSON->XML: basyx-python-sdk time / project time", "deep", "15 MB")]
    assert basyx[3].startswith("9.00x") and basyx[5] == "met"
    core = table[("convert JSON->XML: aas-core3.0 time / project time", "deep", "15 MB")]
    assert core[5] == "MISSED"  # 1.5x, the goal is 2x
    # Only 15 and 100 MB are judged when they were run.
    assert ("convert JSON->XML: basyx-python-sdk time / project time", "deep", "1 MB") not in table
    findings = [row for row in rows if "findings" in row[0]]
    assert len(findings) == 1 and findings[0][5] == "met"
    assert "1.20x (4,900 findings vs 0" in findings[0][3]
    growth = table[("validate JSON: cost per element, growth", "deep", "1 -> 15 MB")]
    assert growth[5] == "MISSED" and growth[3].startswith("30.0x")  # 100 us, then 3,000 us
    assert "; CPU time: 30.0x (us/element: 1 MB 100.0, 15 MB 3000.0)" in growth[3]
    not_run = table[("validate Turtle: project time / validate JSON time", "deep", "15 MB")]
    assert not_run[3] == "n/a (validate-ttl/project not run)" and not_run[5] == "n/a"
    assert rows[-1][3] == "n/a (run with --huge)"
    twice = _measured(bench, "references", 15, validate_json__project=2.0)
    findings = run.issue14_rows([twice, whole], "3.0")
    assert [row[5] for row in findings if "findings" in row[0]] == ["MISSED"]


def test_the_runner_judges_the_findings_twin_end_to_end(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "run.py"),
            "--sizes",
            "0.1",
            "--repeat",
            "1",
            "--shapes",
            "references,references-ok",
            "--only",
            "validate-json/project,load-json/json",
            "--data-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    table = result.stdout
    assert "Shape references: " in table and "Shape references-ok: " in table
    rows = [line.split(" | ") for line in table.splitlines() if "findings time" in line]
    assert len(rows) == 1, table
    assert re.match(r"\d+\.\d+x \(\d+ findings vs 0;", rows[0][3]), rows[0]
    assert rows[0][5].strip(" |") in ("met", "MISSED")
    # The jobs left out show as such, not as failures.
    assert "failed" not in table
    assert "json-xml/project not run" in table
