"""Where the project's time goes: cProfile of its JSON -> XML conversion and JSON validation.

Usage::

    python benchmarks/profile_run.py [--size 15] [--shape default]
                                     [--jobs convert,validate,validate-ttl]
                                     [--top 15] [--aas-version 3.0] [--data-dir benchmarks/data]

Prints first the time of each stage of both jobs, measured without a profiler (the stages
are the project's own functions, called one after another as ``aas.convert`` and
``aas.validate`` call them), with what the same work costs aas-core alone and with the garbage
collector off; then, per job, the top entries by cumulative and by own time under cProfile
(whose overhead inflates small, often-called functions: read the own-time list for where the
work is and the cumulative list for which stage). The job ``validate-ttl`` (not run by
default) validates the model's Turtle twin and first prints its own stages.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import generate

_PREFIXES = ("site-packages/", "/work/", "lib/python3")


def _short(path: str) -> str:
    for prefix in _PREFIXES:
        if prefix in path:
            return path.split(prefix, 1)[1]
    return path


def _table(stats: pstats.Stats, key: str, top: int) -> str:
    entries: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    index = {"cumulative": 3, "tottime": 2}[key]
    ordered = sorted(entries.items(), key=lambda item: item[1][index], reverse=True)[:top]
    lines = [
        "| calls | own s | cumulative s | function |",
        "|---:|---:|---:|---|",
    ]
    for (file, line, name), (_, calls, own, cumulative, _) in ordered:
        where = name if file == "~" else f"{_short(file)}:{line} {name}"
        lines.append(f"| {calls:,} | {own:.3f} | {cumulative:.3f} | `{where}` |")
    return "\n".join(lines)


def profile(name: str, job: Callable[[], Any], top: int) -> str:
    started = time.perf_counter()
    job()
    plain = time.perf_counter() - started
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(job)
    profiled = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    return "\n".join(
        [
            f"### {name}: {plain:.2f} s ({profiled:.2f} s under cProfile)",
            "",
            f"Top {top} by cumulative time:",
            "",
            _table(stats, "cumulative", top),
            "",
            f"Top {top} by own time:",
            "",
            _table(stats, "tottime", top),
            "",
        ]
    )


def _timed(stages: list[tuple[str, float]], name: str, job: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = job()
    stages.append((name, time.perf_counter() - started))
    return result


def _stage_timings(json_path: Path, out: Path, version_text: str) -> list[tuple[str, float]]:
    """The stages of ``aas.convert`` JSON -> XML and of ``aas.validate`` JSON, one by one, with
    what aas-core alone takes for the same steps."""
    import io

    import aas.converters.json.format as json_format
    import aas.converters.xml.format as xml_format
    from aas.checks.constraints import instance_findings, unique_ids
    from aas.checks.references import check_references
    from aas.checks.schemas import project_json_schema
    from aas.codec import ReadContext, WriteContext
    from aas.versions import binding, parse_version

    version = parse_version(version_text)
    bound = binding(version)
    context = ReadContext(source=str(json_path), version=version)
    timings: list[tuple[str, float]] = []
    data = _timed(timings, "read the file", json_path.read_bytes)
    model = _timed(
        timings,
        "parse and build, one identifiable at a time (project: orjson, generated builders)",
        lambda: json_format.read_in_parts(data, context),
    )
    document = _timed(timings, "parse whole (orjson)", lambda: json_format.parse(data, None, []))
    _timed(
        timings,
        "build from the whole document (project's generated builders)",
        lambda: json_format.build(document, context, []),
    )
    _timed(
        timings,
        "build from the whole document (aas-core jsonization)",
        lambda: bound.jsonization.environment_from_jsonable(document),
    )
    schema = _timed(
        timings,
        "load and compile the JSON Schema (once per process)",
        lambda: project_json_schema(version),
    )
    _timed(timings, "JSON Schema (jsonschema-rs)", lambda: list(schema.check(document, None)))
    _timed(
        timings,
        "verify (aas-core verification)",
        lambda: [*instance_findings(model, "json"), *unique_ids(model)],
    )
    _timed(timings, "references (aas.checks.references)", lambda: check_references(model))

    def write_project() -> None:
        with open(out, "wb") as stream:
            xml_format.write(model, stream, WriteContext())

    def write_aas_core() -> None:
        with open(out, "w", encoding="utf-8") as stream:
            bound.xmlization.write(model.root, stream)

    def write_buffered() -> None:
        buffer = io.StringIO()
        bound.xmlization.write(model.root, buffer)
        out.write_text(buffer.getvalue(), encoding="utf-8")

    _timed(timings, "write XML (project: generated writer, indented)", write_project)
    _timed(timings, "write XML (aas-core alone, no indentation)", write_aas_core)
    _timed(timings, "write XML (aas-core into StringIO, one write)", write_buffered)
    return timings


def stages(json_path: Path, out: Path, version_text: str) -> str:
    """The stages one by one, then the whole jobs with the garbage collector on and off."""
    import gc

    import aas
    from aas.versions import parse_version

    version = parse_version(version_text)
    gc.collect()
    gc.disable()  # as the library's load, validate and convert run
    try:
        timings = _stage_timings(json_path, out, version_text)
    finally:
        gc.enable()
    gc.collect()

    _timed(
        timings,
        "aas.convert JSON -> XML, whole",
        lambda: aas.convert(json_path, out, version=version),
    )
    _timed(timings, "aas.validate JSON, whole", lambda: aas.validate(json_path, version=version))
    gc.collect()
    gc.disable()
    try:
        _timed(
            timings,
            "aas.convert JSON -> XML, garbage collector off",
            lambda: aas.convert(json_path, out, version=version),
        )
        _timed(
            timings,
            "aas.validate JSON, garbage collector off",
            lambda: aas.validate(json_path, version=version),
        )
    finally:
        gc.enable()
    lines = ["| stage | seconds |", "|---|---:|"]
    lines += [f"| {name} | {seconds:.3f} |" for name, seconds in timings]
    return "\n".join(lines)


def turtle_stages(turtle: Path, version_text: str) -> str:
    """The stages of ``aas validate`` of a Turtle model one by one (issue 14: within 3x of
    validating the same model as JSON): pyoxigraph's parse alone, the parse into the
    reader's graph (with the nesting bound), the jsonable, the model, the native SHACL check
    of the project's shapes, the constraints and references; CPU seconds, collector off."""
    import gc

    import pyoxigraph

    from aas.checks.constraints import instance_findings
    from aas.checks.references import check_references
    from aas.converters.rdf import format as rdf_format
    from aas.converters.rdf import mapping, shacl, shapes
    from aas.metamodel.jsonbuild import from_jsonable
    from aas.versions import binding, parse_version

    data = turtle.read_bytes()
    version = parse_version(version_text)
    timings: list[tuple[str, float]] = []

    def timed(name: str, job: Callable[[], Any]) -> Any:
        started = time.process_time()
        result = job()
        timings.append((name, time.process_time() - started))
        return result

    gc.disable()
    try:
        turtle_format = pyoxigraph.RdfFormat.TURTLE
        timed(
            "pyoxigraph.parse, iterated",
            lambda: sum(1 for _ in pyoxigraph.parse(data, format=turtle_format)),
        )
        graph = timed(
            "parse into the graph (with deeper_than)", lambda: rdf_format.TURTLE._graph(data, None)
        )
        timed("  of which deeper_than", lambda: mapping.deeper_than(graph, 64))
        origins: dict[int, Any] = {}
        # as validation reads: each node checked by SHACL as it is read (shapes.Fused)
        fused = shapes.Fused(graph, shapes.project_shapes(version))
        jsonable = timed(
            "to_jsonable, SHACL checked while reading",
            lambda: mapping.to_jsonable(graph, version, None, [], origins=origins, check=fused),
        )
        root = timed(
            "from_jsonable", lambda: from_jsonable(binding(version), jsonable, "Environment")
        )
        timed("SHACL, the nodes left (native)", lambda: shacl.check(graph, version, None))
        model = aas_model(root, version)
        timed("constraints", lambda: instance_findings(model, "json"))
        timed("references", lambda: check_references(model, "json"))
    finally:
        gc.enable()
    lines = ["| stage (Turtle) | CPU s |", "|---|---:|"]
    lines += [f"| {name} | {seconds:.3f} |" for name, seconds in timings]
    return "\n".join(lines)


def aas_model(root: Any, version: Any) -> Any:
    from aas.model import Model

    return Model(root=root, version=version)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=float, default=15.0)
    parser.add_argument("--shape", default="default", choices=tuple(generate.SHAPES))
    parser.add_argument("--jobs", default="convert,validate")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--aas-version", default="3.0", choices=("3.0", "3.1"))
    parser.add_argument("--data-dir", type=Path, default=generate.DATA_DIR)
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    args = parser.parse_args(argv)

    import io

    import aas

    version = args.aas_version
    # Everything imported on first use is imported before the timing, as in run.py.
    tiny = b'{"submodels": [{"modelType": "Submodel", "id": "urn:example:warm-up"}]}'
    aas.convert(tiny, io.BytesIO(), from_format="json", to_format="xml", version=version)
    aas.validate(tiny, format="json", version=version)
    model = generate.ensure_model(args.size, args.seed, args.data_dir, args.shape)
    print(
        f"Model: {args.shape}, {model.json_bytes / 1e6:.1f} MB JSON, {model.elements:,} "
        "submodel elements\n"
    )
    with tempfile.TemporaryDirectory(prefix="aas-profile-") as out:
        target = Path(out) / "out.xml"
        print("### Stages, without a profiler\n")
        print(
            "(in one process, one after another: the first stage that builds a model also "
            "pays for growing the heap, which a fresh process pays once)\n"
        )
        print(stages(model.json, target, version) + "\n")
        jobs: dict[str, Callable[[], Any]] = {
            "convert": lambda: aas.convert(model.json, target, version=version),
            "validate": lambda: aas.validate(model.json, version=version),
            "validate-ttl": lambda: aas.validate(model.turtle(version), version=version),
        }
        names = {
            "convert": "aas.convert JSON -> XML",
            "validate": "aas.validate JSON",
            "validate-ttl": "aas.validate Turtle",
        }
        if "validate-ttl" in args.jobs.split(","):
            print(turtle_stages(model.turtle(version), version) + "\n")
        for job in args.jobs.split(","):
            print(profile(names[job], jobs[job], args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
