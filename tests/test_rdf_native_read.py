"""The compiled reading of a Turtle store (``aas._turtle.read``, map.c, through
``converters/rdf/native.py``) against the Python reader, its oracle.

For every input, the compiled reading either gives exactly what the Python reader gives (the
jsonable with its key order, the node of each object, the version) or hands over; it must
hand over whenever the Python reader has any finding or ReadError, or the project's SHACL
shapes give any result. The stores are made from pyoxigraph's triples named as the Python
reader names them (``store_from_triples``): what the compiled parser (parse.c) gives.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aas.converters.rdf import native
from aas.converters.rdf.format import TURTLE, _pointers_of_nodes, _Terms
from aas.converters.rdf.mapping import to_jsonable, version_of_graph
from aas.converters.rdf.shapes import check as shapes_check
from aas.converters.rdf.shapes import project_shapes
from aas.converters.rdf.terms import Blank, Iri, Literal
from aas.errors import ReadError
from aas.findings import Finding
from aas.limits import Limits
from aas.metamodel.rdf_names import (
    EMPTY,
    ENVIRONMENT,
    INDEX,
    RDF_TYPE,
    XS_BOOLEAN,
    XS_INTEGER,
    XS_STRING,
)
from aas.rdfids import DEFAULT_BASE

from conftest import corpus

pytestmark = pytest.mark.skipif(native.module() is None, reason="aas._turtle is not built")

Triple = tuple[Any, str, Any]
MAX_DEPTH = Limits().max_nesting_depth


def triples_of(data: bytes) -> list[Triple]:
    """pyoxigraph's triples of a Turtle document, named as the Python reader names them."""
    terms = _Terms(pyoxigraph)
    parsed = pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE, base_iri=DEFAULT_BASE)
    return [(terms.subject(t.subject), t.predicate.value, terms(t.object)) for t in parsed]


def turtle_of(triples: list[Triple]) -> bytes:
    """N-Triples (which is Turtle) of triples: the document the Python reader is given."""

    return "".join(f"{s} <{p}> {o} .\n" for s, p, o in triples).encode("utf-8")


def python_reading(data: bytes) -> tuple[str, Any]:
    """What the Python reader makes of a document: ("clean", (jsonable, pointers, version)),
    or ("findings", ...) when it has findings, a ReadError or SHACL results."""
    try:
        graph = TURTLE._graph(data, None)
    except ReadError as error:
        return "error", error.rule
    version = version_of_graph(graph)
    if version is None:
        return "error", "no version"
    findings: list[Finding] = []
    origins: dict[int, Any] = {}
    try:
        jsonable = to_jsonable(graph, version, None, findings, origins=origins)
    except ReadError as error:
        return "error", error.rule
    results = shapes_check(graph, project_shapes(version))
    if findings or results:
        return "findings", ([f.rule for f in findings], [r.component for r in results])
    pointers: dict[str, str] = {}
    _pointers_of_nodes(jsonable, origins, pointers)
    return "clean", (jsonable, pointers, version)


def native_reading(triples: list[Triple], shacl: bool = True) -> tuple[str, Any]:
    store = native.store_from_triples(triples)
    version = native.version_of(store)
    if version is None:
        return "handed over", "no version"
    made = native.read(store, version, MAX_DEPTH, shacl, origins=True)
    if isinstance(made, str):
        return "handed over", made
    jsonable, origins = made
    assert origins is not None
    pointers: dict[str, str] = {}
    _pointers_of_nodes(jsonable, origins, pointers)
    return "read", (jsonable, pointers, version)


def assert_same(triples: list[Triple], data: bytes | None = None) -> str:
    """The compiled reading equals the Python reading or hands over; the outcome."""
    if data is None:  # named again as a parser names them (blank labels by first mention)
        data = turtle_of(triples)
        triples = triples_of(data)
    theirs, told = python_reading(data)
    ours, made = native_reading(triples)
    if ours == "read":
        assert theirs == "clean", f"read natively, but the Python reader says {told}"
        assert orjson.dumps(made[0]) == orjson.dumps(told[0])  # key order included
        assert made[1] == told[1]
        assert made[2] == told[2]
    return ours


def turtle_files(*parts: str) -> list[Path]:
    return sorted(corpus(*parts).rglob("*.ttl"))


@pytest.mark.parametrize("where", [("testgen-3.0", "Rdf"), ("examples-3.1", "rdf")])
def test_corpus(where: tuple[str, str]) -> None:
    outcomes = {"read": 0, "handed over": 0}
    for path in turtle_files(*where):
        data = path.read_bytes()
        try:
            triples = triples_of(data)
        except SyntaxError:
            continue
        outcomes[assert_same(triples, data)] += 1
    # the valid examples are read natively: a reader that hands everything over fails here
    assert outcomes["read"] > 1000, outcomes


def test_benchmark_shapes(tmp_path: Path) -> None:
    """Small models of every shape benchmarks/generate.py makes, as Turtle."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    shapes = "default,deep,references,references-ok,mlp,huge-submodel,irdi"
    subprocess.run(
        [
            sys.executable,
            str(root / "benchmarks" / "generate.py"),
            "--sizes",
            "1",
            "--shape",
            shapes,
            "--turtle",
            "3.0,3.1",
            "--data-dir",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    files = sorted(tmp_path.rglob("*.ttl"))
    assert len(files) >= 7
    read = 0
    for path in files:
        data = path.read_bytes()
        read += assert_same(triples_of(data), data) == "read"
    assert read >= 7


@pytest.fixture(scope="module")
def real_triples() -> list[list[Triple]]:
    """The triples of a few real valid files (the mutations' seeds)."""
    found = []
    for path in turtle_files("examples-3.1", "rdf")[::211][:12]:
        triples = triples_of(path.read_bytes())
        if native_reading(triples)[0] == "read":
            found.append(triples)
    assert found
    return found


def _mutate(triples: list[Triple], edit: str, i: int, j: int) -> list[Triple]:
    """One edit of a list of triples (``i`` and ``j`` pick what it applies to)."""
    out = list(triples)
    n = len(out)
    s, p, o = out[i % n]
    other = out[j % n]
    if edit == "drop":
        del out[i % n]
    elif edit == "duplicate":
        out.insert(j % n, out[i % n])
    elif edit == "datatype" and isinstance(o, Literal):
        types = [XS_STRING, XS_BOOLEAN, XS_INTEGER, "http://example.com/t"]
        out[i % n] = (s, p, Literal(o.lexical, types[j % len(types)]))
    elif edit == "literal" and isinstance(o, Literal):
        texts = ["", "x", "1", "true", "0", "-5", "A\u0001", "a" * 3000, "ab==", "2020-01-01"]
        out[i % n] = (s, p, Literal(texts[j % len(texts)], o.datatype))
    elif edit == "predicate":
        out[i % n] = (s, other[1], o)
    elif edit == "type" and p == RDF_TYPE:
        kinds = [t for t in {x[2] for x in out if x[1] == RDF_TYPE}]
        out[i % n] = (s, p, sorted(kinds, key=str)[j % len(kinds)])
    elif edit == "index":
        texts = ["0", "7", "-1", "x", "01", " 2", "99999999999999999999"]
        out.insert(j % n, (s, INDEX, Literal(texts[j % len(texts)], XS_INTEGER)))
    elif edit == "move" and not isinstance(o, Literal) and p != RDF_TYPE:
        out[i % n] = (other[0], p, o)
    elif edit == "object" and not isinstance(other[2], Literal):
        out[i % n] = (s, p, other[2])
    elif edit == "empty":  # the project's empty-list annotation, of some predicate
        out.insert(j % n, (s, EMPTY, Iri(other[1])))
    elif edit == "empty-environment":
        out.insert(j % n, (Iri(ENVIRONMENT), EMPTY, Iri(other[1])))
    elif edit == "blank-to-iri" and isinstance(s, Blank):
        name = Iri("http://example.com/" + s.label)
        out = [(name if a == s else a, b, name if c == s else c) for a, b, c in out]
    return out


EDITS = [
    "drop",
    "duplicate",
    "datatype",
    "literal",
    "predicate",
    "type",
    "index",
    "move",
    "object",
    "blank-to-iri",
    "empty",
    "empty-environment",
]


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    seed=st.integers(0, 11),
    edits=st.lists(
        st.tuples(st.sampled_from(EDITS), st.integers(0, 10**6), st.integers(0, 10**6)),
        min_size=1,
        max_size=3,
    ),
)
def test_mutations(real_triples: list[list[Triple]], seed: int, edits: list[Any]) -> None:
    triples = real_triples[seed % len(real_triples)]
    for edit, i, j in edits:
        triples = _mutate(triples, edit, i, j)
    if triples:
        assert_same(triples)


def test_idta_templates(tmp_path: Path) -> None:
    """The published IDTA templates (JSON) written as Turtle by the library: those whose
    reading has a finding hand over; the others are read the same."""
    import aas

    outcomes: dict[str, int] = {}
    for path in sorted(corpus("idta-templates", "published").rglob("*.json")):
        try:
            model = aas.load(path)
            target = tmp_path / (path.stem + ".ttl")
            aas.save(model, target)
        except Exception:
            continue
        data = target.read_bytes()
        outcome = assert_same(triples_of(data), data)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert outcomes.get("read", 0) > 20, outcomes


def test_hands_over_on_deep_nesting() -> None:
    """Nodes nested far beyond the limit (and beyond what C would recurse) hand over."""
    ns = "https://admin-shell.io/aas/3/0/"
    triples: list[Triple] = [
        (Iri("urn:sm"), RDF_TYPE, Iri(ns + "Submodel")),
        (Iri("urn:sm"), ns + "Identifiable/id", Literal("urn:sm")),
    ]
    parent, predicate = Iri("urn:sm"), ns + "Submodel/submodelElements"
    for level in range(100_000):
        child = Blank(f"b{level}")
        triples += [
            (parent, predicate, child),
            (child, RDF_TYPE, Iri(ns + "SubmodelElementCollection")),
        ]
        parent, predicate = child, ns + "SubmodelElementCollection/value"
    ours, why = native_reading(triples)
    assert ours == "handed over" and "deeper" in why
    # with the limit raised beyond reason, the compiled reader's own bound still holds
    store = native.store_from_triples(triples)
    version = native.version_of(store)
    assert version is not None
    why = native.read(store, version, 10**9, True)
    assert isinstance(why, str) and "deeper than the compiled reader goes" in why


def test_no_leak() -> None:
    """Reading one store 200 times does not grow the process."""
    path = turtle_files("examples-3.1", "rdf")[0]
    triples = triples_of(path.read_bytes())
    store = native.store_from_triples(triples)
    version = native.version_of(store)
    assert version is not None

    def rss() -> int:  # resident pages now (not the peak, which never shrinks)
        return int(Path("/proc/self/statm").read_text().split()[1])

    for _ in range(50):
        native.read(store, version, MAX_DEPTH, True, True)
    before = rss()
    data = path.read_bytes()
    for _ in range(200):
        native.read(store, version, MAX_DEPTH, True, True)
        native.store_from_triples(triples)
        parsed = native.parse(data)  # the compiled parser's store, read and let go
        if parsed is not None:
            native.read(parsed, version, MAX_DEPTH, True, False)
    assert rss() - before < 512  # pages: 2 MiB


@pytest.fixture
def compiled_parse(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """``native.parse`` as the compiled parser gives it (pyoxigraph's triples in a store)
    where parse.c takes nothing yet; and a count of the documents read natively."""
    from aas.converters.rdf import format as rdf_format

    real_parse, real_build = native.parse, rdf_format._build_natively
    counts = {"native": 0}

    def parse(data: bytes) -> Any:
        store = real_parse(data)
        if store is not None or native.module() is None:
            return store
        try:
            return native.store_from_triples(triples_of(data))
        except SyntaxError:
            return None

    def build(*args: Any, **kwargs: Any) -> Any:
        made = real_build(*args, **kwargs)
        counts["native"] += made is not None
        return made

    monkeypatch.setattr(native, "parse", parse)
    monkeypatch.setattr(rdf_format, "_build_natively", build)
    return counts


def _end_to_end_files() -> list[Path]:
    files = turtle_files("testgen-3.0", "Rdf")[::40] + turtle_files("examples-3.1", "rdf")[::80]
    return files


def test_validate_and_load_switch(
    compiled_parse: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``aas.validate`` and ``aas.load`` give the same report and model with the compiled
    path on and off (``AAS_NATIVE_TURTLE``)."""
    import aas
    from aas.versions import binding

    def outcome(path: Path, switch: str) -> tuple[Any, ...]:
        monkeypatch.setenv("AAS_NATIVE_TURTLE", switch)
        report = aas.validate(path)
        schema_only = aas.validate(path, checks=["schema"])
        try:
            model = aas.load(path)
        except Exception as error:
            loaded: Any = (type(error).__name__, str(error))
        else:
            as_json = binding(model.version).jsonization.to_jsonable(model.root)
            loaded = (model.version, orjson.dumps(as_json), model.findings)
        return report.readable, report.findings, schema_only.findings, loaded

    files = _end_to_end_files()
    for path in files:
        assert outcome(path, "1") == outcome(path, "0"), path
    assert compiled_parse["native"] > len(files) // 2  # the compiled path was taken


def test_empty_lists(tmp_path: Path) -> None:
    """Empty lists, which the writer annotates (``EMPTY``) on their node and on the
    Environment's own node, are read the same."""
    import aas

    model = {
        "assetAdministrationShells": [],
        "submodels": [
            {
                "id": "urn:example:sm",
                "modelType": "Submodel",
                "submodelElements": [
                    {
                        "idShort": "list",
                        "modelType": "SubmodelElementList",
                        "typeValueListElement": "Property",
                        "value": [],
                    },
                    {"idShort": "empty", "modelType": "SubmodelElementCollection", "value": []},
                ],
                "supplementalSemanticIds": [],
            }
        ],
        "conceptDescriptions": [],
    }
    source = tmp_path / "empty.json"
    source.write_bytes(orjson.dumps(model))
    target = tmp_path / "empty.ttl"
    aas.save(aas.load(source), target)
    data = target.read_bytes()
    assert EMPTY.encode() in data and ENVIRONMENT.encode() in data
    assert assert_same(triples_of(data), data) == "read"
