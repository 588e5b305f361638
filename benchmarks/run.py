"""The benchmark of issues 5 and 14: this project against basyx-python-sdk, aas-core and the
raw floor, on models of every shape ``generate.py`` makes (``--shapes``, default all).

Every measurement runs in a fresh Python process (``worker.py``, which imports no more than a
job needs): the process
imports what its tool needs, prepares its inputs, then times the job alone with
``time.perf_counter`` and reports its peak resident memory (``resource.getrusage``, or on
Linux the kernel's high-water mark of the worker itself, see ``_peak_rss``) and the memory it
held just before the job, as one JSON line that this script collects. Repetitions of
one size are interleaved, so drift on the machine spreads over every tool alike.

Jobs (``V`` is ``--aas-version``, 3.0 by default, so that the project is compared with
aas-core3.0 doing the same work at the same version):

- load:     project ``aas.load`` (with its default metamodel checks); aas-core ``json.load`` +
            jsonization + verification (XML: xmlization + verification); basyx ``read_aas_*``;
            floor ``orjson.loads`` / ``json.load`` / ``lxml.etree.parse``
- validate: project ``aas.validate`` (every layer); aas-core deserialisation + verification
            (all it checks); floor ``json.load`` / ``lxml.etree.parse``
- convert:  JSON -> XML, XML -> JSON, JSON -> AASX, each with the project's ``aas.convert``
            (default checks), aas-core (read, verify, write), basyx (read, write) and a floor
            (``orjson.loads`` plus lxml writing a tree of the model's size, and the reverse)
- JSON -> N-Triples, when the project has a writer for it (``aas.formats.names()``)
- validate Turtle: project ``aas.validate`` of the model's Turtle twin

Every job runs on every shape and size; the report has one table per shape, then the targets
of issue 5 (on the default shape) and of issue 14 (on every shape, at 15 and 100 MB, with the
model of about 5,000 unresolved references against its no-findings twin). ``--huge`` adds one
conversion of a 500 MB default model to XML, for its peak memory.

basyx-python-sdk 2.2 reads V3.1 only: it reads the same JSON, and the V3.1 twin of XML and AASX.

Usage::

    python benchmarks/run.py [--sizes 1,15,100] [--repeat 3 | 3,3,1] [--quick] [--aas-version 3.0]
                             [--shapes default,deep,...] [--huge]
                             [--data-dir benchmarks/data] [--json-out results.json]
                             [--only json-xml,validate-json/project]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import generate
from worker import (
    BASYX,
    JOBS,
    NOT_AVAILABLE,
    PREBUILT,
    PROJECT,
    RDF_JOBS,
    SHARED_ROWS,
    Context,
    aas_core,
)

HERE = Path(__file__).resolve().parent
MB = 1_000_000
#: The shapes ``--quick`` measures: the suite's own and the pair the findings target compares.
QUICK_SHAPES = ("default", "references", "references-ok")


# region parent: plan, run, report


@dataclass
class Measurement:
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)
    baselines: list[int] = field(default_factory=list)
    extra: dict[str, Any] | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return bool(self.seconds) and self.error is None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.cpu else None

    @property
    def peak(self) -> int:
        return max(self.peaks)

    @property
    def baseline(self) -> int:
        return min(self.baselines) if self.baselines else 0


@dataclass
class SizeRun:
    model: generate.Generated
    repeat: int = 1
    results: dict[str, Measurement] = field(default_factory=dict)
    #: bytes of the inputs other than the JSON the jobs read ("xml": the XML twin)
    inputs: dict[str, int] = field(default_factory=dict)

    @property
    def shape(self) -> str:
        return self.model.shape


@dataclass(frozen=True)
class Plan:
    """One model to measure: its shape and size, how often, and which jobs (None: all)."""

    shape: str
    size: float
    repeat: int
    jobs: tuple[str, ...] | None = None
    #: job ids or prefixes measured in the first repetition only
    once: tuple[str, ...] = ()


def rdf_formats() -> dict[str, str | None]:
    """For each RDF job, the project's name of its format, or None when it has none."""
    from aas import formats

    names = formats.names()
    return {
        job: next((name for name in candidates if name in names), None)
        for job, candidates in RDF_JOBS.items()
    }


def available_jobs(rdf: dict[str, str | None]) -> list[str]:
    jobs = [job for job in JOBS if job not in rdf or rdf[job] is not None]
    try:
        import basyx.aas  # noqa: F401
    except ImportError:
        jobs = [job for job in jobs if not job.endswith("/basyx")]
    return jobs


def run_one(job_id: str, context: Context, timeout: float) -> dict[str, Any]:
    command = [sys.executable, str(HERE / "worker.py"), job_id, json.dumps(context.__dict__)]
    try:
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"job": job_id, "error": f"timed out after {timeout:.0f} s"}
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if not lines:
        tail = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        return {"job": job_id, "error": f"worker exited {completed.returncode}: {tail[:300]}"}
    return json.loads(lines[-1])


def measure(
    plans: list[Plan],
    version: str,
    data_dir: Path,
    seed: int,
    timeout: float,
    log: Callable[[str], None],
    only: list[str] | None = None,
) -> tuple[list[SizeRun], dict[str, str | None]]:
    rdf = rdf_formats()
    every = available_jobs(rdf)
    if only:
        every = [job for job in every if any(job.startswith(prefix) for prefix in only)]
    runs = []
    for plan in plans:
        jobs = [job for job in every if plan.jobs is None or job in plan.jobs]
        runs.append(_measure_model(plan, jobs, rdf, version, data_dir, seed, timeout, log))
    return runs, rdf


def _measure_model(
    plan: Plan,
    jobs: list[str],
    rdf: dict[str, str | None],
    version: str,
    data_dir: Path,
    seed: int,
    timeout: float,
    log: Callable[[str], None],
) -> SizeRun:
    size, shape = plan.size, plan.shape
    started = time.perf_counter()
    # Only the twins some job reads (the --huge run reads the JSON alone); the floors of the
    # conversions build the XML tree before their timing.
    from_json = ("json-", "load-json/", "validate-json/", "values-json/")
    twins = any(job.endswith("/floor") or not job.startswith(from_json) for job in jobs)
    turtle = "validate-ttl/project" in jobs
    # Generated in a process of its own, so that this one stays small.
    subprocess.run(
        [
            sys.executable,
            str(HERE / "generate.py"),
            f"--sizes={size:g}",
            f"--shape={shape}",
            f"--seed={seed}",
            f"--data-dir={data_dir}",
            f"--twins={version},3.1" if twins else "--twins=",
            f"--turtle={version}" if turtle else "--turtle=",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    model = generate.ensure_model(size, seed, data_dir, shape)
    json_only = str(model.json)
    paths = {
        "xml": str(model.xml(version)) if twins else json_only,
        "aasx": str(model.aasx(version)) if twins else json_only,
        "xml31": str(model.xml("3.1")) if twins else json_only,
        "aasx31": str(model.aasx("3.1")) if twins else json_only,
    }
    run = SizeRun(model, plan.repeat)
    if twins:
        run.inputs["xml"] = Path(paths["xml"]).stat().st_size
    references = (
        f", {model.unresolved:,} of {model.model_references:,} model references unresolved"
        if model.model_references
        else ""
    )
    log(
        f"model {shape} {size:g} MB: {model.json_bytes / MB:.1f} MB JSON, {model.elements:,} "
        f"elements{references} ready ({time.perf_counter() - started:.1f} s)"
    )
    label = f"{shape} {size:g} MB"
    out = Path(tempfile.mkdtemp(prefix="aas-bench-"))
    try:
        context = Context(
            json=str(model.json),
            xml=paths["xml"],
            xml31=paths["xml31"],
            aasx=paths["aasx"],
            aasx31=paths["aasx31"],
            files=str(model.folder / "aasx" / "files"),
            version=version,
            out=str(out),
            to_format=None,
            turtle=str(model.turtle(version)) if turtle else None,
        )
        for repetition in range(plan.repeat):
            for job_id in jobs:
                if repetition and job_id.startswith(plan.once):
                    continue
                job_context = context
                if job_id in rdf:
                    job_context = Context(**{**context.__dict__, "to_format": rdf[job_id]})
                result = run_one(job_id, job_context, timeout)
                for leftover in out.iterdir():
                    leftover.unlink()
                measurement = run.results.setdefault(job_id, Measurement())
                if "error" in result:
                    measurement.error = result["error"]
                    log(f"  {label} #{repetition + 1} {job_id}: FAILED {result['error']}")
                    continue
                measurement.seconds.append(result["seconds"])
                measurement.cpu.append(result["cpu_seconds"])
                measurement.peaks.append(result["peak_rss"])
                if result.get("baseline_rss"):
                    measurement.baselines.append(result["baseline_rss"])
                measurement.extra = result.get("extra")
                log(
                    f"  {label} #{repetition + 1} {job_id}: {result['seconds']:.3f} s, "
                    f"{result['peak_rss'] / 2**20:.0f} MiB"
                )
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return run


def _seconds(value: float) -> str:
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _ratio(value: float) -> str:
    return f"{value:.2f}x" if value < 10 else f"{value:.1f}x"


def _mib(value: int) -> str:
    return f"{value / 2**20:.0f}"


def rows_for(run: SizeRun, version: str, rdf: dict[str, str | None]) -> list[list[str]]:
    """One row per operation and tool: median, range, peak, and the tool's time over the
    project's (above 1: the project is faster)."""
    rows: list[list[str]] = []
    operations: dict[str, list[tuple[str, str]]] = {}
    for job_id, (operation, tool, _) in JOBS.items():
        operations.setdefault(operation, []).append((tool, job_id))
    for operation, shared in SHARED_ROWS.items():
        operations[operation].extend(shared)
    size = f"{run.model.size_mb:g} MB"
    for operation, entries in operations.items():
        project_job = next(job for tool, job in entries if tool == PROJECT)
        project = run.results.get(project_job)
        for tool, job_id in entries:
            label = aas_core(version) if tool == "aas-core" else tool
            if tool == BASYX and job_id.split("/")[0] in ("load-xml", "load-aasx", "xml-json"):
                label += " (V3.1 twin)"
            measurement = run.results.get(job_id)
            if rdf.get(job_id, "") is None:
                rows.append([size, operation, label, NOT_AVAILABLE, "", "", "", "", ""])
                continue
            if measurement is None:
                continue
            if not measurement.ok:
                failed = f"failed: {measurement.error}"
                rows.append([size, operation, label, failed, "", "", "", "", ""])
                continue
            spread = f"{_seconds(min(measurement.seconds))}-{_seconds(max(measurement.seconds))}"
            peak = _mib(measurement.peak) + (" *" if job_id in PREBUILT else "")
            growth = _mib(measurement.peak - measurement.baseline) if measurement.baseline else ""
            versus = ""
            if project is not None and project.ok and tool != PROJECT:
                versus = _ratio(measurement.median / project.median)
            elif tool == PROJECT:
                versus = "1"
            cpu = measurement.cpu_median
            rows.append(
                [
                    size,
                    operation,
                    label,
                    _seconds(measurement.median),
                    spread,
                    _seconds(cpu) if cpu is not None else "",
                    peak,
                    growth,
                    versus,
                ]
            )
    return rows


def markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _reference(runs: list[SizeRun]) -> SizeRun:
    """The run the issue's targets are judged on: the size nearest to 15 MB."""
    return min(runs, key=lambda run: abs(run.model.size_mb - 15))


def _median(run: SizeRun, job_id: str) -> float | None:
    measurement = run.results.get(job_id)
    return measurement.median if measurement is not None and measurement.ok else None


def _cpu_ratio(run: SizeRun, numerator: str, denominator: str) -> str:
    """The same ratio over CPU time (less disturbed by other load on the machine)."""
    top, bottom = run.results.get(numerator), run.results.get(denominator)
    if top is None or bottom is None or not top.ok or not bottom.ok:
        return ""
    if not top.cpu_median or not bottom.cpu_median:
        return ""
    return f" (CPU time: {_ratio(top.cpu_median / bottom.cpu_median)})"


def target_rows(runs: list[SizeRun], version: str, rdf: dict[str, str | None]) -> list[list[str]]:
    reference = _reference(runs)
    at = f"{reference.model.size_mb:g} MB"
    rows: list[list[str]] = []

    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else ("met" if ok else "MISSED")

    project = _median(reference, "json-xml/project")
    for job_id, name, goal in (
        ("json-xml/basyx", BASYX, 5.0),
        ("json-xml/aas-core", aas_core(version), 1.5),
    ):
        other = _median(reference, job_id)
        if project is None or other is None:
            rows.append(
                [f"convert JSON->XML: {name} time / project time", at, "n/a", f">= {goal}x", "n/a"]
            )
            continue
        ratio = other / project
        rows.append(
            [
                f"convert JSON->XML: {name} time / project time",
                at,
                _ratio(ratio) + _cpu_ratio(reference, job_id, "json-xml/project"),
                f">= {goal:g}x",
                verdict(ratio >= goal),
            ]
        )

    validate = _median(reference, "validate-json/project")
    json_load = _median(reference, "load-json/json")
    if validate is not None and json_load is not None:
        ratio = validate / json_load
        rows.append(
            [
                "validate JSON: project time / json.load time",
                at,
                _ratio(ratio) + _cpu_ratio(reference, "validate-json/project", "load-json/json"),
                "<= 5x",
                verdict(ratio <= 5),
            ]
        )
    else:
        rows.append(["validate JSON: project time / json.load time", at, "n/a", "<= 5x", "n/a"])

    values = _median(reference, "values-json/project")
    if values is not None and validate is not None:  # issue 13: aas values within 2x validate
        ratio = values / validate
        rows.append(
            [
                "values JSON: project time / validate JSON time",
                at,
                _ratio(ratio)
                + _cpu_ratio(reference, "values-json/project", "validate-json/project"),
                "<= 2x",
                verdict(ratio <= 2),
            ]
        )
    else:
        rows.append(["values JSON: project time / validate JSON time", at, "n/a", "<= 2x", "n/a"])

    template = _median(reference, "template-json/project")
    name = "template check JSON: project time / validate JSON time"
    if template is not None and validate is not None:  # issue 13: within 2x validate
        ratio = template / validate
        cpu = _cpu_ratio(reference, "template-json/project", "validate-json/project")
        rows.append([name, at, _ratio(ratio) + cpu, "<= 2x", verdict(ratio <= 2)])
    else:
        rows.append([name, at, "n/a", "<= 2x", "n/a"])

    turtle = _median(reference, "validate-ttl/project")
    name = "validate Turtle: project time / validate JSON time"
    if turtle is not None and validate is not None:  # issue 14: SHACL checked natively
        ratio = turtle / validate
        cpu = _cpu_ratio(reference, "validate-ttl/project", "validate-json/project")
        rows.append([name, at, _ratio(ratio) + cpu, "<= 3x", verdict(ratio <= 3)])
    else:
        rows.append([name, at, "n/a", "<= 3x", "n/a"])

    if rdf.get("json-nt/project") is None:
        rows.append(
            ["convert JSON->N-Triples: triples per second", at, NOT_AVAILABLE, ">= 200,000", "n/a"]
        )
    else:
        measurement = reference.results.get("json-nt/project")
        if measurement is not None and measurement.ok and measurement.extra:
            rate = measurement.extra["triples"] / measurement.median
            rows.append(
                [
                    "convert JSON->N-Triples: triples per second",
                    at,
                    f"{rate:,.0f}",
                    ">= 200,000",
                    verdict(rate >= 200_000),
                ]
            )
        else:
            rows.append(
                ["convert JSON->N-Triples: triples per second", at, "failed", ">= 200,000", "n/a"]
            )

    for job_id, operation in (
        ("json-xml/project", "convert JSON->XML"),
        ("validate-json/project", "validate JSON"),
    ):
        measurement = reference.results.get(job_id)
        if measurement is None or not measurement.ok:
            continue
        size = reference.model.json_bytes
        ratio = measurement.peak / size
        above = (measurement.peak - measurement.baseline) / size if measurement.baseline else None
        measured = _ratio(ratio) + (
            f" ({_ratio(above)} above the process before the job)" if above else ""
        )
        rows.append(
            [f"{operation}: peak memory / input size", at, measured, "<= 5x", verdict(ratio <= 5)]
        )

    # issue 14: validating XML holds one identifiable's tree at a time; judged at the largest
    # size, against the XML text itself
    largest = max(runs, key=lambda run: run.model.size_mb)
    measurement = largest.results.get("validate-xml/project")
    if measurement is not None and measurement.ok:
        ratio = measurement.peak / largest.model.xml(version).stat().st_size
        rows.append(
            [
                "validate XML: peak memory / XML size",
                f"{largest.model.size_mb:g} MB",
                _ratio(ratio),
                "<= 5x",
                verdict(ratio <= 5),
            ]
        )

    ordered = sorted(runs, key=lambda run: run.model.size_mb)
    for job_id, operation in (
        ("json-xml/project", "convert JSON->XML"),
        ("validate-json/project", "validate JSON"),
    ):
        name = f"{operation}: cost per element, growth"
        per_element = {
            run.model.size_mb: seconds / run.model.elements
            for run in ordered
            if (seconds := _median(run, job_id)) is not None
        }
        if len(per_element) < 2:
            rows.append([name, "needs two sizes", "n/a", "<= 1.5x", "n/a"])
            continue
        growth, span, steps = _growth(per_element)
        rows.append(
            [
                name,
                span,
                f"{_ratio(growth)} (us/element: {steps})",
                "<= 1.5x",
                verdict(growth <= 1.5),
            ]
        )
    return rows


# region issue 14: every target on every shape

#: The sizes the issue-14 targets are judged at (a run of other sizes is judged at the size
#: nearest to 15 MB).
JUDGED_SIZES = (15.0, 100.0)
#: Sizes from which a memory target on XML is judged (at 100 MB the interpreter no longer
#: dominates the peak).
XML_PEAK_FROM = 100.0
HUGE_SIZE = 500.0


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "MISSED")


def _judged(runs: list[SizeRun]) -> list[SizeRun]:
    ordered = sorted(runs, key=lambda run: run.model.size_mb)
    return [run for run in ordered if run.model.size_mb in JUDGED_SIZES] or [_reference(ordered)]


def _quotient_row(
    name: str,
    run: SizeRun,
    top: str,
    bottom: str,
    goal: float,
    at_least: bool,
) -> list[str]:
    """A row judging the ratio of two jobs' median times in ``run``."""
    at = f"{run.model.size_mb:g} MB"
    wording = f">= {goal:g}x" if at_least else f"<= {goal:g}x"
    missing = [job for job in (top, bottom) if job not in run.results or not run.results[job].ok]
    if missing:
        why = "; ".join(
            f"{job} failed: {run.results[job].error}" if job in run.results else f"{job} not run"
            for job in missing
        )
        return [name, run.shape, at, f"n/a ({why})", wording, "n/a"]
    ratio = run.results[top].median / run.results[bottom].median
    ok = ratio >= goal if at_least else ratio <= goal
    return [
        name,
        run.shape,
        at,
        _ratio(ratio) + _cpu_ratio(run, top, bottom),
        wording,
        _verdict(ok),
    ]


def _peak_row(
    name: str, run: SizeRun, job_id: str, input_bytes: int | None, goal: float, judge: bool = True
) -> list[str]:
    at = f"{run.model.size_mb:g} MB"
    measurement = run.results.get(job_id)
    if measurement is None or not measurement.ok or not input_bytes:
        why = "not run" if measurement is None else f"failed: {measurement.error}"
        return [name, run.shape, at, f"n/a ({why})", f"<= {goal:g}x", "n/a"]
    ratio = measurement.peak / input_bytes
    above = (measurement.peak - measurement.baseline) / input_bytes if measurement.baseline else 0
    measured = (
        f"{_ratio(ratio)} ({_mib(measurement.peak)} MiB of {input_bytes / MB:.1f} MB"
        + (f"; {_ratio(above)} above the process before the job" if above else "")
        + ")"
    )
    verdict = _verdict(ratio <= goal) if judge else "n/a (judged at 100 MB)"
    return [name, run.shape, at, measured, f"<= {goal:g}x", verdict]


def _findings(run: SizeRun, job_id: str) -> int | None:
    measurement = run.results.get(job_id)
    if measurement is None or not measurement.extra:
        return None
    found = measurement.extra.get("findings")
    return found if isinstance(found, int) else None


def issue14_rows(
    runs: list[SizeRun], version: str, huge: list[SizeRun] | None = None
) -> list[list[str]]:
    """Every target of issue 14 on every shape measured: its figure and verdict."""
    core = aas_core(version)
    by_shape: dict[str, list[SizeRun]] = {}
    for run in runs:
        by_shape.setdefault(run.shape, []).append(run)
    rows: list[list[str]] = []
    for shape_runs in by_shape.values():
        for run in _judged(shape_runs):
            project = "json-xml/project"
            rows.append(
                _quotient_row(
                    f"convert JSON->XML: {BASYX} time / project time",
                    run,
                    "json-xml/basyx",
                    project,
                    8,
                    at_least=True,
                )
            )
            rows.append(
                _quotient_row(
                    f"convert JSON->XML: {core} time / project time",
                    run,
                    "json-xml/aas-core",
                    project,
                    2,
                    at_least=True,
                )
            )
            rows.append(
                _peak_row(
                    "convert JSON->XML: peak memory / input size",
                    run,
                    project,
                    run.model.json_bytes,
                    4,
                )
            )
            rows.append(
                _quotient_row(
                    "validate JSON: project time / json.load time",
                    run,
                    "validate-json/project",
                    "load-json/json",
                    4,
                    at_least=False,
                )
            )
            rows.append(
                _peak_row(
                    "validate XML: peak memory / input size (the XML)",
                    run,
                    "validate-xml/project",
                    run.inputs.get("xml"),
                    5,
                    judge=run.model.size_mb >= XML_PEAK_FROM,
                )
            )
            rows.append(
                _quotient_row(
                    "validate Turtle: project time / validate JSON time",
                    run,
                    "validate-ttl/project",
                    "validate-json/project",
                    3,
                    at_least=False,
                )
            )
        rows += _linear_rows(shape_runs)
    rows += _findings_rows(by_shape)
    rows.append(_huge_row(huge or []))
    return rows


def _linear_rows(runs: list[SizeRun]) -> list[list[str]]:
    ordered = sorted(runs, key=lambda run: run.model.size_mb)
    rows = []
    for job_id, operation in (
        ("json-xml/project", "convert JSON->XML"),
        ("validate-json/project", "validate JSON"),
    ):
        name = f"{operation}: cost per element, growth"
        per_element = {
            run.model.size_mb: seconds / run.model.elements
            for run in ordered
            if (seconds := _median(run, job_id)) is not None
        }
        if len(per_element) < 2:
            rows.append([name, ordered[0].shape, "needs two sizes", "n/a", "<= 1.3x", "n/a"])
            continue
        growth, span, steps = _growth(per_element)
        rows.append(
            [
                name,
                ordered[0].shape,
                span,
                f"{_ratio(growth)} (us/element: {steps}){_cpu_growth(ordered, job_id)}",
                "<= 1.3x",
                _verdict(growth <= 1.3),
            ]
        )
    return rows


def _cpu_growth(ordered: list[SizeRun], job_id: str) -> str:
    """The growth of the cost per element over CPU time (less disturbed by other load on the
    machine than the wall-clock time the verdict is on), from the smallest size to the
    largest."""
    per_element = {}
    for run in ordered:
        measurement = run.results.get(job_id)
        if measurement is not None and measurement.ok and measurement.cpu_median:
            per_element[run.model.size_mb] = measurement.cpu_median / run.model.elements
    if len(per_element) < 2:
        return ""
    growth, _, steps = _growth(per_element)
    return f"; CPU time: {_ratio(growth)} (us/element: {steps})"


def _growth(per_element: dict[float, float]) -> tuple[float, str, str]:
    """Cost per element at the largest size over the smallest, the span of sizes, and the cost
    at each size (us/element), from seconds per element by size in MB (ascending)."""
    sizes = list(per_element)
    growth = per_element[sizes[-1]] / per_element[sizes[0]]
    steps = ", ".join(f"{size:g} MB {cost * 1e6:.1f}" for size, cost in per_element.items())
    return growth, f"{sizes[0]:g} -> {sizes[-1]:g} MB", steps


def _findings_rows(by_shape: dict[str, list[SizeRun]]) -> list[list[str]]:
    """The model with about 5,000 unresolved references against its no-findings twin."""
    name = "validate JSON: model with ~5,000 findings time / its no-findings twin time"
    findings, twin = by_shape.get("references", []), by_shape.get("references-ok", [])
    twins = {run.model.size_mb: run for run in twin}
    rows = []
    for run in sorted(findings, key=lambda run: run.model.size_mb):
        other = twins.get(run.model.size_mb)
        at = f"{run.model.size_mb:g} MB"
        job = "validate-json/project"
        if other is None:
            rows.append([name, "references", at, "n/a (references-ok not run)", "<= 1.5x", "n/a"])
            continue
        mine, theirs = _median(run, job), _median(other, job)
        if mine is None or theirs is None:
            rows.append([name, "references", at, f"n/a ({job} failed)", "<= 1.5x", "n/a"])
            continue
        ratio = mine / theirs
        counts = f"{_findings(run, job) or 0:,} findings vs {_findings(other, job) or 0:,}"
        measured = f"{_ratio(ratio)} ({counts}; {_seconds(mine)} s vs {_seconds(theirs)} s)"
        rows.append([name, "references", at, measured, "<= 1.5x", _verdict(ratio <= 1.5)])
    if not rows:
        rows.append(
            [name, "references", "n/a", "n/a (run both reference shapes)", "<= 1.5x", "n/a"]
        )
    return rows


def _huge_row(huge: list[SizeRun]) -> list[str]:
    name = "convert JSON->XML: peak memory / input size, 500 MB"
    if not huge:
        return [name, "default", f"{HUGE_SIZE:g} MB", "n/a (run with --huge)", "<= 4x", "n/a"]
    run = huge[0]
    return _peak_row(name, run, "json-xml/project", run.model.json_bytes, 4)


# endregion


def _load() -> str:
    """How busy the machine is (other processes disturb the timings)."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"


def _versions() -> str:
    names = ["aas-toolkit", "aas-core3.0", "aas-core3.1", "basyx-python-sdk", "orjson", "lxml"]
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)


def _commit() -> str:
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=HERE,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        described = ""
    return f"commit {described}; " if described else ""


def report(
    runs: list[SizeRun],
    version: str,
    rdf: dict[str, str | None],
    huge: list[SizeRun] | None = None,
    load: str = "",
) -> str:
    lines = [
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
        + _versions(),
        f"{_commit()}AAS V{version}; each measurement in a fresh process, imports before "
        "the timing." + (f" {load}" if load else ""),
        "",
        "Models:",
        "",
    ]
    for run in [*runs, *(huge or [])]:
        model = run.model
        references = (
            f", {model.model_references:,} model references ({model.unresolved:,} unresolved)"
            if model.model_references
            else ""
        )
        lines.append(
            f"- {model.shape} {model.size_mb:g} MB = {model.json_bytes / MB:.1f} MB JSON, "
            f"{model.elements:,} submodel elements{references}, {run.repeat} repetition(s)"
        )
    header = [
        "size",
        "operation",
        "tool",
        "median s",
        "min-max s",
        "CPU s",
        "peak RSS MiB",
        "job's own MiB",
        "tool / project",
    ]
    shapes: dict[str, list[SizeRun]] = {}
    for run in [*runs, *(huge or [])]:
        shapes.setdefault(run.shape, []).append(run)
    for shape, shape_runs in shapes.items():
        summary = generate.SHAPES[shape].summary
        lines += ["", f"Shape {shape}: {summary}.", ""]
        rows = [row for run in shape_runs for row in rows_for(run, version, rdf)]
        lines.append(markdown(header, rows))
    lines += [
        "",
        "Times are wall-clock medians; CPU s is the median CPU time of the same runs. "
        "tool / project: the tool's median time over the project's for the same operation "
        "(above 1: the project is faster). job's own MiB: peak RSS less the RSS before the job "
        "(the interpreter and imports). * peak includes the tree or document the floor builds "
        "before the timing.",
    ]
    default = shapes.get("default", [])
    if default:
        lines += [
            "",
            "Targets (issue 5), judged on the default shape at the size nearest to 15 MB:",
            "",
            markdown(
                ["target", "on", "measured", "goal", "verdict"],
                target_rows([run for run in runs if run.shape == "default"], version, rdf),
            ),
        ]
    lines += [
        "",
        "Targets (issue 14), on every shape at 15 and 100 MB (or the size nearest to 15 MB):",
        "",
        markdown(
            ["target", "shape", "on", "measured", "goal", "verdict"],
            issue14_rows(runs, version, huge),
        ),
    ]
    return "\n".join(lines)


def results_json(runs: list[SizeRun]) -> Any:
    return [
        {
            "shape": run.shape,
            "size_mb": run.model.size_mb,
            "json_bytes": run.model.json_bytes,
            "elements": run.model.elements,
            "inputs": run.inputs,
            "results": {job: measurement.__dict__ for job, measurement in run.results.items()},
        }
        for run in runs
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,15,100", help="model sizes in MB of JSON")
    parser.add_argument(
        "--repeat",
        default="3",
        help="repetitions per size: one number for all, or one per size (3,3,1)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"1 and 15 MB, one repetition, shapes {','.join(QUICK_SHAPES)} (unless --shapes)",
    )
    parser.add_argument(
        "--shapes",
        help="comma-separated model shapes (default: all): " + ", ".join(generate.SHAPES),
    )
    parser.add_argument(
        "--once",
        default="",
        help="comma-separated job ids or prefixes measured in the first repetition only "
        "(slow jobs far from their goal, such as validate-ttl)",
    )
    parser.add_argument(
        "--huge",
        action="store_true",
        help=f"also convert the {HUGE_SIZE:g} MB default model to XML (once; its peak memory)",
    )
    parser.add_argument("--aas-version", default="3.0", choices=("3.0", "3.1"))
    parser.add_argument("--data-dir", type=Path, default=generate.DATA_DIR)
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per measurement")
    parser.add_argument("--json-out", type=Path, help="also write the raw results here")
    parser.add_argument(
        "--only",
        help="comma-separated job ids or prefixes to run (json-xml,validate-json/project); "
        "rows whose jobs did not run show n/a",
    )
    args = parser.parse_args(argv)

    sizes = generate.parse_sizes(args.sizes)
    repeats = [int(part) for part in args.repeat.split(",")]
    shapes = generate.parse_shapes(args.shapes or "all")
    if shapes is None:
        parser.error(f"--shapes takes names of {', '.join(generate.SHAPES)}, comma-separated")
    if args.quick:
        sizes, repeats = [1.0, 15.0], [1]
        shapes = shapes if args.shapes else list(QUICK_SHAPES)
    if len(repeats) == 1:
        repeats *= len(sizes)
    if len(repeats) != len(sizes) or min(repeats) < 1:
        parser.error("--repeat needs one number, or one per size, each at least 1")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    only = [part.strip() for part in args.only.split(",")] if args.only else None
    once = tuple(part.strip() for part in args.once.split(",") if part.strip())
    plans = [
        Plan(shape, size, repeat, once=once)
        for shape in shapes
        for size, repeat in zip(sizes, repeats, strict=True)
    ]
    measured = (args.aas_version, args.data_dir, args.seed, args.timeout, log)
    before = _load()
    runs, rdf = measure(plans, *measured, only=only)
    huge: list[SizeRun] = []
    if args.huge:
        huge, _ = measure([Plan("default", HUGE_SIZE, 1, ("json-xml/project",))], *measured)
    load = f"Load average (1 min) at the start {before}, at the end {_load()}."
    print(report(runs, args.aas_version, rdf, huge, load))
    if args.json_out:
        args.json_out.write_text(json.dumps(results_json(runs + huge), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
