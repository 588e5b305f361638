"""The benchmark of issue 5: this project against basyx-python-sdk, aas-core and the raw floor.

Every measurement runs in a fresh Python process (``run.py --worker ...``): the process
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

basyx-python-sdk 2.2 reads V3.1 only: it reads the same JSON, and the V3.1 twin of XML and AASX.

Usage::

    python benchmarks/run.py [--sizes 1,15,100] [--repeat 3 | 3,3,1] [--quick] [--aas-version 3.0]
                             [--data-dir benchmarks/data] [--json-out results.json]
                             [--only json-xml,validate-json/project]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
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

HERE = Path(__file__).resolve().parent
MB = 1_000_000

PROJECT = "aas-toolkit"
BASYX = "basyx-python-sdk"
FLOOR_ORJSON = "floor: orjson.loads"
FLOOR_JSON = "floor: json.load"
FLOOR_LXML = "floor: lxml parse"
FLOOR_CONVERT = "floor: orjson + lxml"
NOT_AVAILABLE = "not available"


def aas_core(version: str) -> str:
    return f"aas-core{version}"


# region worker: one job, timed in this process

Job = Callable[[], Any]


@dataclass
class Context:
    """What a worker is given: the model's files and where to write."""

    json: str
    xml: str
    xml31: str
    aasx: str
    aasx31: str
    files: str  # the folder the File elements' paths are taken from
    version: str
    out: str
    to_format: str | None = None


def _aas_core_modules(version: str) -> Any:
    import importlib

    package = "aas_core3" if version == "3.0" else "aas_core3_1"
    modules = {
        name: importlib.import_module(f"{package}.{name}")
        for name in ("types", "jsonization", "xmlization", "verification")
    }
    return argparse.Namespace(**modules)


_TINY = b'{"submodels": [{"modelType": "Submodel", "id": "urn:example:warm-up"}]}'


def _tiny(aas: Any, version: str, fmt: str) -> bytes:
    """A one-submodel model in ``fmt``, to warm a job up with."""
    if fmt == "json":
        return _TINY
    return aas.dump(aas.load(_TINY, format="json", version=version), fmt)


def _warm_project(version: str, job: str, source_format: str, target_format: str = "") -> Any:
    """Run the job once on a tiny model of the same formats, so that everything the project
    imports on first use (aas-core's modules, the generated builders and writers, a format's
    reader) is imported before the timing, as the other tools' imports are."""
    import io

    import aas

    source = _tiny(aas, version, source_format)
    if job == "load":
        aas.load(source, format=source_format, version=version)
    elif job == "validate":
        aas.validate(source, format=source_format, version=version)
    else:
        aas.convert(
            source,
            io.BytesIO(),
            from_format=source_format,
            to_format=target_format,
            version=version,
        )
    return aas


def _project_load(ctx: Context, path: str, fmt: str) -> Job:
    aas = _warm_project(ctx.version, "load", fmt)
    return lambda: aas.load(path, version=ctx.version)


def _project_validate(ctx: Context, path: str, fmt: str) -> Job:
    aas = _warm_project(ctx.version, "validate", fmt)

    def job() -> Any:
        report = aas.validate(path, version=ctx.version)
        return {"findings": len(report.findings)}

    return job


def _project_convert(ctx: Context, source: str, target_suffix: str, *formats: str) -> Job:
    aas = _warm_project(ctx.version, "convert", formats[0], formats[1])
    target = str(Path(ctx.out) / f"out{target_suffix}")

    def job() -> Any:
        result = aas.convert(source, target, version=ctx.version, to_format=ctx.to_format)
        return {"findings": len(result.findings)}

    return job


def _project_rdf(ctx: Context) -> Job:
    assert ctx.to_format is not None
    aas = _warm_project(ctx.version, "convert", "json", ctx.to_format)
    target = Path(ctx.out) / "out.rdf"

    def job() -> Any:
        aas.convert(ctx.json, target, version=ctx.version, to_format=ctx.to_format)

    return job


def _aas_core_read_json(ctx: Context) -> Callable[[], Any]:
    core = _aas_core_modules(ctx.version)

    def read() -> Any:
        with open(ctx.json, encoding="utf-8") as stream:
            jsonable = json.load(stream)
        environment = core.jsonization.environment_from_jsonable(jsonable)
        errors = list(core.verification.verify(environment))
        return environment, errors

    return read


def _aas_core_read_xml(ctx: Context) -> Callable[[], Any]:
    core = _aas_core_modules(ctx.version)

    def read() -> Any:
        environment = core.xmlization.environment_from_file(ctx.xml)
        errors = list(core.verification.verify(environment))
        return environment, errors

    return read


def _aas_core_load(ctx: Context, fmt: str) -> Job:
    read = _aas_core_read_json(ctx) if fmt == "json" else _aas_core_read_xml(ctx)

    def job() -> Any:
        _, errors = read()
        return {"findings": len(errors)}

    return job


def _aas_core_json_to_xml(ctx: Context) -> Job:
    core = _aas_core_modules(ctx.version)
    read = _aas_core_read_json(ctx)

    def job() -> Any:
        environment, errors = read()
        with open(Path(ctx.out) / "out.xml", "w", encoding="utf-8") as stream:
            core.xmlization.write(environment, stream)
        return {"findings": len(errors)}

    return job


def _aas_core_xml_to_json(ctx: Context) -> Job:
    core = _aas_core_modules(ctx.version)
    read = _aas_core_read_xml(ctx)

    def job() -> Any:
        environment, errors = read()
        jsonable = core.jsonization.to_jsonable(environment)
        with open(Path(ctx.out) / "out.json", "w", encoding="utf-8") as stream:
            json.dump(jsonable, stream, indent=2)
        return {"findings": len(errors)}

    return job


_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_AASX_RELS = "http://admin-shell.io/aasx/relationships/"


def _write_package(target: Path, spec: Callable[[Any], None], files: Path) -> None:
    """A minimal AASX (OPC) package: the spec part written by ``spec`` and the files."""
    import zipfile

    def rels(*targets: tuple[str, str]) -> str:
        items = "".join(
            f'<Relationship Type="{kind}" Target="{to}" Id="r{n}"/>'
            for n, (kind, to) in enumerate(targets)
        )
        head = '<?xml version="1.0" encoding="UTF-8"?>'
        return f'{head}<Relationships xmlns="{_RELS}">{items}</Relationships>'

    names = sorted(path.name for path in files.iterdir())
    types = "".join(
        f'<Override PartName="/aasx/files/{name}" ContentType="'
        f'{"image/png" if name.endswith(".png") else "application/pdf"}"/>'
        for name in names
    )
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Override PartName="/aasx/aasx-origin" '
            'ContentType="text/plain"/><Override PartName="/aasx/data.xml" '
            f'ContentType="text/xml"/>{types}</Types>',
        )
        archive.writestr("_rels/.rels", rels((_AASX_RELS + "aasx-origin", "/aasx/aasx-origin")))
        archive.writestr("aasx/aasx-origin", "Intended to be empty.")
        archive.writestr(
            "aasx/_rels/aasx-origin.rels", rels((_AASX_RELS + "aas-spec", "/aasx/data.xml"))
        )
        with archive.open("aasx/data.xml", "w") as part:
            spec(part)
        archive.writestr(
            "aasx/_rels/data.xml.rels",
            rels(*((_AASX_RELS + "aas-suppl", f"/aasx/files/{name}") for name in names)),
        )
        for name in names:
            archive.writestr(f"aasx/files/{name}", (files / name).read_bytes())


def _aas_core_json_to_aasx(ctx: Context) -> Job:
    import io

    core = _aas_core_modules(ctx.version)
    read = _aas_core_read_json(ctx)

    def job() -> Any:
        environment, errors = read()

        def spec(part: Any) -> None:
            text = io.TextIOWrapper(part, encoding="utf-8")
            core.xmlization.write(environment, text)
            text.flush()

        _write_package(Path(ctx.out) / "out.aasx", spec, Path(ctx.files))
        return {"findings": len(errors)}

    return job


def _basyx_read_json(ctx: Context) -> Callable[[], Any]:
    from basyx.aas.adapter.json import read_aas_json_file

    def read() -> Any:
        with open(ctx.json, encoding="utf-8") as stream:
            return read_aas_json_file(stream, failsafe=False)

    return read


def _basyx_read_xml(ctx: Context) -> Callable[[], Any]:
    from basyx.aas.adapter.xml import read_aas_xml_file

    def read() -> Any:
        with open(ctx.xml31, "rb") as stream:
            return read_aas_xml_file(stream, failsafe=False)

    return read


def _basyx_load(ctx: Context, fmt: str) -> Job:
    read = _basyx_read_json(ctx) if fmt == "json" else _basyx_read_xml(ctx)
    return lambda: {"identifiables": len(read())}


def _basyx_load_aasx(ctx: Context) -> Job:
    from basyx.aas import model
    from basyx.aas.adapter import aasx

    def job() -> Any:
        store: Any = model.DictIdentifiableStore()
        files = aasx.DictSupplementaryFileContainer()
        with aasx.AASXReader(ctx.aasx31, failsafe=False) as reader:
            reader.read_into(store, files)
        return {"identifiables": len(store)}

    return job


def _basyx_json_to_xml(ctx: Context) -> Job:
    from basyx.aas.adapter.xml import write_aas_xml_file

    read = _basyx_read_json(ctx)

    def job() -> Any:
        store = read()
        with open(Path(ctx.out) / "out.xml", "wb") as stream:
            write_aas_xml_file(stream, store)

    return job


def _basyx_xml_to_json(ctx: Context) -> Job:
    from basyx.aas.adapter.json import write_aas_json_file

    read = _basyx_read_xml(ctx)

    def job() -> Any:
        store = read()
        with open(Path(ctx.out) / "out.json", "w", encoding="utf-8") as stream:
            write_aas_json_file(stream, store, indent=2)

    return job


def _basyx_json_to_aasx(ctx: Context) -> Job:
    from basyx.aas.adapter import aasx

    read = _basyx_read_json(ctx)

    def job() -> Any:
        store = read()
        files = aasx.DictSupplementaryFileContainer()
        for path in sorted(Path(ctx.files).iterdir()):
            kind = "image/png" if path.suffix == ".png" else "application/pdf"
            with open(path, "rb") as stream:
                files.add_file(f"/aasx/files/{path.name}", stream, kind)
        with aasx.AASXWriter(Path(ctx.out) / "out.aasx", failsafe=False) as writer:
            writer.write_all_aas_objects("/aasx/data.xml", store, files)

    return job


def _floor_orjson(ctx: Context) -> Job:
    import orjson

    return lambda: orjson.loads(Path(ctx.json).read_bytes())


def _floor_json(ctx: Context) -> Job:
    def job() -> Any:
        with open(ctx.json, encoding="utf-8") as stream:
            json.load(stream)

    return job


def _floor_lxml(ctx: Context) -> Job:
    from lxml import etree

    return lambda: etree.parse(ctx.xml)


def _floor_json_to_xml(ctx: Context) -> Job:
    """orjson parsing the input, then lxml writing a tree as big as the model's XML (built
    beforehand, outside the timing)."""
    import orjson
    from lxml import etree

    tree = etree.parse(ctx.xml)

    def job() -> Any:
        orjson.loads(Path(ctx.json).read_bytes())
        tree.write(str(Path(ctx.out) / "out.xml"), xml_declaration=True, encoding="utf-8")

    return job


def _floor_xml_to_json(ctx: Context) -> Job:
    """lxml parsing the input, then orjson writing the model's JSON document (parsed
    beforehand, outside the timing)."""
    import orjson
    from lxml import etree

    document = orjson.loads(Path(ctx.json).read_bytes())

    def job() -> Any:
        etree.parse(ctx.xml)
        data = orjson.dumps(document, option=orjson.OPT_INDENT_2)
        (Path(ctx.out) / "out.json").write_bytes(data)

    return job


def _floor_json_to_aasx(ctx: Context) -> Job:
    import orjson
    from lxml import etree

    tree = etree.parse(ctx.xml)

    def job() -> Any:
        orjson.loads(Path(ctx.json).read_bytes())
        _write_package(
            Path(ctx.out) / "out.aasx",
            lambda part: tree.write(part, xml_declaration=True, encoding="utf-8"),
            Path(ctx.files),
        )

    return job


# job id -> (operation, tool, how to make the job); the table shows rows in this order
JOBS: dict[str, tuple[str, str, Callable[[Context], Job]]] = {
    "load-json/project": ("load JSON", PROJECT, lambda c: _project_load(c, c.json, "json")),
    "load-json/aas-core": ("load JSON", "aas-core", lambda c: _aas_core_load(c, "json")),
    "load-json/basyx": ("load JSON", BASYX, lambda c: _basyx_load(c, "json")),
    "load-json/orjson": ("load JSON", FLOOR_ORJSON, _floor_orjson),
    "load-json/json": ("load JSON", FLOOR_JSON, _floor_json),
    "load-xml/project": ("load XML", PROJECT, lambda c: _project_load(c, c.xml, "xml")),
    "load-xml/aas-core": ("load XML", "aas-core", lambda c: _aas_core_load(c, "xml")),
    "load-xml/basyx": ("load XML", BASYX, lambda c: _basyx_load(c, "xml")),
    "load-xml/lxml": ("load XML", FLOOR_LXML, _floor_lxml),
    "load-aasx/project": ("load AASX", PROJECT, lambda c: _project_load(c, c.aasx, "aasx")),
    "load-aasx/basyx": ("load AASX", BASYX, _basyx_load_aasx),
    "validate-json/project": (
        "validate JSON",
        PROJECT,
        lambda c: _project_validate(c, c.json, "json"),
    ),
    "validate-xml/project": ("validate XML", PROJECT, lambda c: _project_validate(c, c.xml, "xml")),
    "validate-aasx/project": (
        "validate AASX",
        PROJECT,
        lambda c: _project_validate(c, c.aasx, "aasx"),
    ),
    "json-xml/project": (
        "convert JSON->XML",
        PROJECT,
        lambda c: _project_convert(c, c.json, ".xml", "json", "xml"),
    ),
    "json-xml/aas-core": ("convert JSON->XML", "aas-core", _aas_core_json_to_xml),
    "json-xml/basyx": ("convert JSON->XML", BASYX, _basyx_json_to_xml),
    "json-xml/floor": ("convert JSON->XML", FLOOR_CONVERT, _floor_json_to_xml),
    "xml-json/project": (
        "convert XML->JSON",
        PROJECT,
        lambda c: _project_convert(c, c.xml, ".json", "xml", "json"),
    ),
    "xml-json/aas-core": ("convert XML->JSON", "aas-core", _aas_core_xml_to_json),
    "xml-json/basyx": ("convert XML->JSON", BASYX, _basyx_xml_to_json),
    "xml-json/floor": ("convert XML->JSON", "floor: lxml + orjson", _floor_xml_to_json),
    "json-aasx/project": (
        "convert JSON->AASX",
        PROJECT,
        lambda c: _project_convert(c, c.json, ".aasx", "json", "aasx", "xml"),
    ),
    "json-aasx/aas-core": ("convert JSON->AASX", "aas-core", _aas_core_json_to_aasx),
    "json-aasx/basyx": ("convert JSON->AASX", BASYX, _basyx_json_to_aasx),
    "json-aasx/floor": ("convert JSON->AASX", FLOOR_CONVERT, _floor_json_to_aasx),
    "json-nt/project": ("convert JSON->N-Triples", PROJECT, _project_rdf),
    "json-ttl/project": ("convert JSON->Turtle", PROJECT, _project_rdf),
}

#: RDF jobs: the format names the project may give each (the first it knows is used).
RDF_JOBS = {"json-nt/project": ("nt", "ntriples"), "json-ttl/project": ("turtle", "ttl")}

#: Rows that show a job measured under another operation (the same work).
SHARED_ROWS: dict[str, list[tuple[str, str]]] = {
    "validate JSON": [
        ("aas-core", "load-json/aas-core"),
        (FLOOR_JSON, "load-json/json"),
        (FLOOR_ORJSON, "load-json/orjson"),
    ],
    "validate XML": [("aas-core", "load-xml/aas-core"), (FLOOR_LXML, "load-xml/lxml")],
}

#: Jobs whose peak memory includes a structure built before the timing (the floor's tree).
PREBUILT = {"json-xml/floor", "xml-json/floor", "json-aasx/floor"}


def _status(field: str) -> int | None:
    """A memory figure of this process from /proc (Linux), in bytes."""
    try:
        with open("/proc/self/status") as stream:
            for line in stream:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _peak_rss() -> int:
    """The peak resident memory of this process.

    On Linux, ``getrusage``'s ``ru_maxrss`` carries the peak of the parent over fork and exec
    (the parent's address space is the old one exec replaces), so a worker started from a big
    parent would report the parent's peak; the kernel's high-water mark of the worker's own
    address space (``VmHWM``) is taken there instead.
    """
    own = _status("VmHWM")
    if own is not None:
        return own
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def worker(job_id: str, context: Context) -> int:
    make = JOBS[job_id][2]
    try:
        job = make(context)
        baseline = _status("VmRSS")
        cpu_started = time.process_time()
        started = time.perf_counter()
        extra = job()
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
    except Exception as error:  # reported to the parent as a failed measurement
        print(json.dumps({"job": job_id, "error": f"{type(error).__name__}: {error}"[:300]}))
        return 1
    peak_bytes = _peak_rss()
    if job_id == "json-nt/project":
        out = Path(context.out) / "out.rdf"
        with open(out, "rb") as stream:
            triples = sum(1 for line in stream if line.strip() and not line.startswith(b"#"))
        extra = {"triples": triples}
    result = {
        "job": job_id,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss": peak_bytes,
        "baseline_rss": baseline,
        "extra": extra if isinstance(extra, dict) else None,
    }
    print(json.dumps(result))
    return 0


# endregion

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
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", job_id]
    command += ["--context", json.dumps(context.__dict__)]
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
    sizes: list[float],
    repeats: list[int],
    version: str,
    data_dir: Path,
    seed: int,
    timeout: float,
    log: Callable[[str], None],
    only: list[str] | None = None,
) -> tuple[list[SizeRun], dict[str, str | None]]:
    rdf = rdf_formats()
    jobs = available_jobs(rdf)
    if only:
        jobs = [job for job in jobs if any(job.startswith(prefix) for prefix in only)]
    runs = []
    for size, repeat in zip(sizes, repeats, strict=True):
        started = time.perf_counter()
        # Generated in a process of its own, so that this one stays small.
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate.py"),
                f"--sizes={size:g}",
                f"--seed={seed}",
                f"--data-dir={data_dir}",
                f"--twins={version},3.1",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        model = generate.ensure_model(size, seed, data_dir)
        paths = {
            "xml": model.xml(version),
            "aasx": model.aasx(version),
            "xml31": model.xml("3.1"),
            "aasx31": model.aasx("3.1"),
        }
        log(
            f"model {size:g} MB: {model.json_bytes / MB:.1f} MB JSON, {model.elements:,} "
            f"elements ready ({time.perf_counter() - started:.1f} s)"
        )
        run = SizeRun(model, repeat)
        runs.append(run)
        out = Path(tempfile.mkdtemp(prefix="aas-bench-"))
        try:
            context = Context(
                json=str(model.json),
                xml=str(paths["xml"]),
                xml31=str(paths["xml31"]),
                aasx=str(paths["aasx"]),
                aasx31=str(paths["aasx31"]),
                files=str(model.folder / "aasx" / "files"),
                version=version,
                out=str(out),
                to_format=None,
            )
            for repetition in range(repeat):
                for job_id in jobs:
                    job_context = context
                    if job_id in rdf:
                        job_context = Context(**{**context.__dict__, "to_format": rdf[job_id]})
                    result = run_one(job_id, job_context, timeout)
                    for leftover in out.iterdir():
                        leftover.unlink()
                    measurement = run.results.setdefault(job_id, Measurement())
                    if "error" in result:
                        measurement.error = result["error"]
                        log(f"  {size:g} MB #{repetition + 1} {job_id}: FAILED {result['error']}")
                        continue
                    measurement.seconds.append(result["seconds"])
                    measurement.cpu.append(result["cpu_seconds"])
                    measurement.peaks.append(result["peak_rss"])
                    if result.get("baseline_rss"):
                        measurement.baselines.append(result["baseline_rss"])
                    measurement.extra = result.get("extra")
                    log(
                        f"  {size:g} MB #{repetition + 1} {job_id}: {result['seconds']:.3f} s, "
                        f"{result['peak_rss'] / 2**20:.0f} MiB"
                    )
        finally:
            shutil.rmtree(out, ignore_errors=True)
    return runs, rdf


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
        sizes = list(per_element)
        growth = per_element[sizes[-1]] / per_element[sizes[0]]
        steps = ", ".join(f"{size:g} MB {cost * 1e6:.1f}" for size, cost in per_element.items())
        rows.append(
            [
                name,
                f"{sizes[0]:g} -> {sizes[-1]:g} MB",
                f"{_ratio(growth)} (us/element: {steps})",
                "<= 1.5x",
                verdict(growth <= 1.5),
            ]
        )
    return rows


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


def report(runs: list[SizeRun], version: str, rdf: dict[str, str | None]) -> str:
    lines = [
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores; "
        + _versions(),
        f"{_commit()}AAS V{version}; each measurement in a fresh process, imports before "
        "the timing.",
        "",
        "Models: "
        + "; ".join(
            f"{run.model.size_mb:g} MB = {run.model.json_bytes / MB:.1f} MB JSON, "
            f"{run.model.elements:,} submodel elements, {run.repeat} repetition(s)"
            for run in runs
        ),
        "",
    ]
    rows = [row for run in runs for row in rows_for(run, version, rdf)]
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
    lines.append(markdown(header, rows))
    lines += [
        "",
        "Times are wall-clock medians; CPU s is the median CPU time of the same runs. "
        "tool / project: the tool's median time over the project's for the same operation "
        "(above 1: the project is faster). job's own MiB: peak RSS less the RSS before the job "
        "(the interpreter and imports). * peak includes the tree or document the floor builds "
        "before the timing.",
        "",
        "Targets (issue 5), judged on the size nearest to 15 MB:",
        "",
        markdown(["target", "on", "measured", "goal", "verdict"], target_rows(runs, version, rdf)),
    ]
    return "\n".join(lines)


def results_json(runs: list[SizeRun]) -> Any:
    return [
        {
            "size_mb": run.model.size_mb,
            "json_bytes": run.model.json_bytes,
            "elements": run.model.elements,
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
    parser.add_argument("--quick", action="store_true", help="1 and 15 MB, one repetition")
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
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--context", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        return worker(args.worker, Context(**json.loads(args.context)))

    sizes = generate.parse_sizes(args.sizes)
    repeats = [int(part) for part in args.repeat.split(",")]
    if args.quick:
        sizes, repeats = [1.0, 15.0], [1]
    if len(repeats) == 1:
        repeats *= len(sizes)
    if len(repeats) != len(sizes) or min(repeats) < 1:
        parser.error("--repeat needs one number, or one per size, each at least 1")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    only = [part.strip() for part in args.only.split(",")] if args.only else None
    runs, rdf = measure(
        sizes, repeats, args.aas_version, args.data_dir, args.seed, args.timeout, log, only
    )
    print(report(runs, args.aas_version, rdf))
    if args.json_out:
        args.json_out.write_text(json.dumps(results_json(runs), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
