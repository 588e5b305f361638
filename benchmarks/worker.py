"""One benchmark job, timed in this process: what ``run.py`` starts for each measurement.

This module imports only what a job needs (the standard library's lightest parts and, inside
each job, its tool), so that the process's memory before the job is the interpreter's and the
tool's own, not the harness's (``run.py`` with its reporting imports added 10 MB).

Usage (by ``run.py``)::

    python benchmarks/worker.py JOB_ID CONTEXT_JSON
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

PROJECT = "aas-toolkit"
BASYX = "basyx-python-sdk"
FLOOR_ORJSON = "floor: orjson.loads"
FLOOR_JSON = "floor: json.load"
FLOOR_LXML = "floor: lxml parse"
FLOOR_CONVERT = "floor: orjson + lxml"
NOT_AVAILABLE = "not available"


def aas_core(version: str) -> str:
    return f"aas-core{version}"


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
    turtle: str | None = None  # the model's Turtle twin, when a job reads it


def _aas_core_modules(version: str) -> Any:
    import importlib

    package = "aas_core3" if version == "3.0" else "aas_core3_1"
    modules = {
        name: importlib.import_module(f"{package}.{name}")
        for name in ("types", "jsonization", "xmlization", "verification")
    }
    return SimpleNamespace(**modules)


_TINY = b'{"submodels": [{"modelType": "Submodel", "id": "urn:example:warm-up"}]}'


def _tiny(aas: Any, version: str, fmt: str) -> bytes:
    """A one-submodel model in ``fmt``, to warm a job up with."""
    if fmt == "json":
        return _TINY
    return aas.dump(aas.load(_TINY, format="json", version=version), fmt).data


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
    elif job == "values":
        aas.values(source, format=source_format, version=version)
    else:
        aas.convert(
            source,
            io.BytesIO(),
            from_format=source_format,
            to_format=target_format,
            version=version,
        )
    return aas


def _project_load(fmt: str) -> Callable[[Context], Job]:
    """How to make the job: the project loading the model's ``fmt`` file."""

    def make(ctx: Context) -> Job:
        aas = _warm_project(ctx.version, "load", fmt)
        path = _file(ctx, fmt)
        return lambda: aas.load(path, version=ctx.version)

    return make


def _project_validate(fmt: str) -> Callable[[Context], Job]:
    """How to make the job: the project validating the model's ``fmt`` file."""

    def make(ctx: Context) -> Job:
        aas = _warm_project(ctx.version, "validate", fmt)
        path = _file(ctx, fmt)

        def job() -> Any:
            report = aas.validate(path, version=ctx.version)
            return {"findings": len(report.findings)}

        return job

    return make


def _project_validate_turtle(ctx: Context) -> Job:
    """How to make the job: the project validating the model as Turtle (issue 14: the
    project's SHACL shapes checked natively). The Turtle twin is written beside the JSON once,
    by a process of its own, so that the worker's peak is the validation's."""
    import subprocess

    path = Path(ctx.json).with_name(f"model-{ctx.version}.ttl")
    if not path.exists():
        command = [sys.executable, "-m", "aas", "convert", ctx.json, str(path)]
        subprocess.run([*command, "--aas-version", ctx.version], check=True, capture_output=True)
    aas = _warm_project(ctx.version, "validate", "turtle")

    def job() -> Any:
        report = aas.validate(str(path), version=ctx.version)
        return {"findings": len(report.findings)}

    return job


def _project_template(fmt: str) -> Callable[[Context], Job]:
    """How to make the job: the project checking the model's ``fmt`` file against a submodel
    template made for it (benchmarks/smt_template.py: small, as real templates are; the model
    conforms to it), as ``aas template check`` does (issue 13). Making the template is not
    timed."""

    def make(ctx: Context) -> Job:
        aas = _warm_project(ctx.version, "validate", fmt)
        import orjson
        from smt_template import template_of

        template = Path(ctx.out) / "template.json"
        template.write_bytes(orjson.dumps(template_of(orjson.loads(Path(ctx.json).read_bytes()))))
        path = _file(ctx, fmt)

        def job() -> Any:
            report = aas.check_template(path, [template], version=ctx.version)
            return {"findings": len(report.findings)}

        return job

    return make


def _project_values(fmt: str) -> Callable[[Context], Job]:
    """How to make the job: the project listing the values of the model's ``fmt`` file as rows
    and writing them as CSV (what ``aas values --output csv`` does; issue 13)."""

    def make(ctx: Context) -> Job:
        aas = _warm_project(ctx.version, "values", fmt)
        from aas.value_rows import render_csv

        path = _file(ctx, fmt)

        def job() -> Any:
            rows = aas.values(path, version=ctx.version)
            return {"rows": len(rows), "csv": len(render_csv(rows))}

        return job

    return make


def _project_convert(source_format: str, target_format: str) -> Callable[[Context], Job]:
    """How to make the job: the project converting the model's ``source_format`` file into
    ``target_format``."""

    def make(ctx: Context) -> Job:
        aas = _warm_project(ctx.version, "convert", source_format, target_format)
        source = _file(ctx, source_format)
        target = str(Path(ctx.out) / f"out.{target_format}")

        def job() -> Any:
            result = aas.convert(source, target, version=ctx.version, to_format=ctx.to_format)
            return {"findings": len(result.findings)}

        return job

    return make


def _file(ctx: Context, fmt: str) -> str:
    """The model's file in ``fmt`` ("json", "xml", "aasx", "turtle")."""
    path: str = getattr(ctx, fmt)
    return path


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
    return _aas_core_convert(_aas_core_read_json(ctx), ctx, "out.xml", core.xmlization.write)


def _aas_core_xml_to_json(ctx: Context) -> Job:
    core = _aas_core_modules(ctx.version)

    def write(environment: Any, stream: Any) -> None:
        json.dump(core.jsonization.to_jsonable(environment), stream, indent=2)

    return _aas_core_convert(_aas_core_read_xml(ctx), ctx, "out.json", write)


def _aas_core_convert(
    read: Callable[[], Any], ctx: Context, name: str, write: Callable[[Any, Any], None]
) -> Job:
    """Read and verify as aas-core does, then write the environment as text to ``name``."""

    def job() -> Any:
        environment, errors = read()
        with open(Path(ctx.out) / name, "w", encoding="utf-8") as stream:
            write(environment, stream)
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
    "load-json/project": ("load JSON", PROJECT, _project_load("json")),
    "load-json/aas-core": ("load JSON", "aas-core", lambda c: _aas_core_load(c, "json")),
    "load-json/basyx": ("load JSON", BASYX, lambda c: _basyx_load(c, "json")),
    "load-json/orjson": ("load JSON", FLOOR_ORJSON, _floor_orjson),
    "load-json/json": ("load JSON", FLOOR_JSON, _floor_json),
    "load-xml/project": ("load XML", PROJECT, _project_load("xml")),
    "load-xml/aas-core": ("load XML", "aas-core", lambda c: _aas_core_load(c, "xml")),
    "load-xml/basyx": ("load XML", BASYX, lambda c: _basyx_load(c, "xml")),
    "load-xml/lxml": ("load XML", FLOOR_LXML, _floor_lxml),
    "load-aasx/project": ("load AASX", PROJECT, _project_load("aasx")),
    "load-aasx/basyx": ("load AASX", BASYX, _basyx_load_aasx),
    "validate-json/project": ("validate JSON", PROJECT, _project_validate("json")),
    "validate-xml/project": ("validate XML", PROJECT, _project_validate("xml")),
    "validate-aasx/project": ("validate AASX", PROJECT, _project_validate("aasx")),
    "validate-ttl/project": ("validate Turtle", PROJECT, _project_validate_turtle),
    "values-json/project": ("values JSON (CSV)", PROJECT, _project_values("json")),
    "template-json/project": ("template check JSON", PROJECT, _project_template("json")),
    "json-xml/project": ("convert JSON->XML", PROJECT, _project_convert("json", "xml")),
    "json-xml/aas-core": ("convert JSON->XML", "aas-core", _aas_core_json_to_xml),
    "json-xml/basyx": ("convert JSON->XML", BASYX, _basyx_json_to_xml),
    "json-xml/floor": ("convert JSON->XML", FLOOR_CONVERT, _floor_json_to_xml),
    "xml-json/project": ("convert XML->JSON", PROJECT, _project_convert("xml", "json")),
    "xml-json/aas-core": ("convert XML->JSON", "aas-core", _aas_core_xml_to_json),
    "xml-json/basyx": ("convert XML->JSON", BASYX, _basyx_xml_to_json),
    "xml-json/floor": ("convert XML->JSON", "floor: lxml + orjson", _floor_xml_to_json),
    "json-aasx/project": ("convert JSON->AASX", PROJECT, _project_convert("json", "aasx")),
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


def main(argv: list[str]) -> int:
    job_id, context = argv
    return worker(job_id, Context(**json.loads(context)))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
