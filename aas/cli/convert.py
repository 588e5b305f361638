"""``aas convert``: one file, or a folder as a batch planned by :mod:`aas.plan`."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from aas import batch
from aas.batch import ConvertOptions
from aas.cli.options import (
    ExecutorName,
    ExecutorOption,
    FromOption,
    JobsOption,
    SchedulerOption,
    VersionOption,
    batch_executor,
    in_flight,
    per_task,
    worker_count,
)
from aas.cli.output import (
    EXIT_INTERNAL,
    EXIT_OK,
    fail,
    note_passed_over,
    print_findings,
    progress_bar,
    say,
)
from aas.errors import AasError, UsageError
from aas.findings import Finding, Severity
from aas.formats import names
from aas.places import is_url
from aas.plan import is_folder, plan_conversion
from aas.rdfids import DEFAULT_BASE, check_base
from aas.wording import counted

if TYPE_CHECKING:
    from aas.cluster import DaskExecutor


def convert(
    source: Annotated[
        str,
        typer.Argument(
            metavar="IN",
            help="Input file or folder; - for standard input. A folder gives its files of "
            "every format, gzipped ones too (m.json.gz is written as m.xml); value-only JSON "
            "(read only with its template) is left out, and said so.",
        ),
    ],
    target: Annotated[
        str, typer.Argument(metavar="OUT", help="Output file or folder; - for standard output.")
    ],
    from_format: FromOption = None,
    to_format: Annotated[
        str | None,
        typer.Option("--to", metavar="FORMAT", help=f"Output format ({', '.join(names())})."),
    ] = None,
    aas_version: VersionOption = None,
    to_version: Annotated[
        str | None,
        typer.Option(
            metavar="VERSION",
            help="Change the metamodel version (3.0 -> 3.1 upgrades); losses are reported.",
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Judge the input as `aas validate` does (every layer) and refuse it (exit 1, "
            "nothing written) when validate would fail it.",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print no notes.")] = False,
    rdf_order: Annotated[
        bool,
        typer.Option(
            "--rdf-order/--no-rdf-order",
            help="RDF: annotate list positions and empty lists (urn:aas-toolkit:rdf:index, "
            "urn:aas-toolkit:rdf:empty); --no-rdf-order writes strictly the official mapping.",
        ),
    ] = True,
    rdf_base: Annotated[
        str,
        typer.Option(
            "--rdf-base",
            metavar="IRI",
            help="RDF: the IRI that ids which are no absolute IRI are appended to "
            "(percent-encoded).",
        ),
    ] = DEFAULT_BASE,
    jobs: JobsOption = None,
    executor: ExecutorOption = ExecutorName.local,
    scheduler: SchedulerOption = None,
    template: Annotated[
        str | None,
        typer.Option(
            metavar="PATH",
            help="Value-only JSON (--from value): the submodel template its values go into "
            "(a file in any format).",
        ),
    ] = None,
    submodel: Annotated[
        str | None,
        typer.Option(
            metavar="ID",
            help="Value-only JSON: the submodel (id or idShort) to write (--to value; else "
            "every submodel, by id), or the template's submodel to read with (--from value).",
        ),
    ] = None,
    submodel_id: Annotated[
        str | None,
        typer.Option(
            metavar="ID",
            help="--from value: the id of the rebuilt submodel (else the template's).",
        ),
    ] = None,
) -> None:
    """Convert a model between JSON, XML, AASX and RDF, keeping every value as written."""
    workers = worker_count(jobs)
    try:
        check_base(rdf_base)
    except AasError as error:
        fail(error)
    options = ConvertOptions(
        from_format,
        to_format,
        aas_version,
        to_version,
        strict,
        rdf_order,
        rdf_base,
        template,
        submodel,
        submodel_id,
    )
    try:
        folder = source != "-" and is_folder(source)
    except AasError as error:  # a URL whose filesystem is not installed
        fail(error)
    if folder:
        with batch_executor(executor, scheduler) as on:
            _convert_folder(source, target, options, quiet, workers, on, jobs)
    try:
        source_arg: Any = sys.stdin.buffer if source == "-" else source
        target_arg: Any = sys.stdout.buffer if target == "-" else target
        result = options.convert(source_arg, target_arg)
    except AasError as error:
        fail(error)
    print_findings(result.findings, quiet)
    if target != "-" and not quiet:
        say(
            f"converted {source} ({result.source_format}, V{result.source_written_in}) -> "
            f"{target} ({result.target_format}, V{result.target_version})"
            + _carried_problems(result.findings)
        )


def _carried_problems(findings: list[Finding]) -> str:
    """What the converted model still breaks, counted, so that a tolerant conversion that
    printed errors does not read as a failed one."""
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    if not errors and not warnings:
        return ""
    problems = ", ".join(
        counted(count, name) for count, name in ((errors, "error"), (warnings, "warning")) if count
    )
    refused = "; --strict refuses such a model" if errors else ""
    return f"; carried over as they are: {problems}{refused}"


def _convert_folder(
    folder: str,
    target: str,
    options: ConvertOptions,
    quiet: bool,
    workers: int,
    executor: DaskExecutor | None,
    jobs: int | None,
) -> NoReturn:
    if target == "-":
        fail(UsageError("a folder is converted into a folder, not to standard output"))
    passed_over: list[Path | str] = []
    try:
        if is_url(folder) or is_url(target):
            work = plan_conversion(folder, target, options, passed_over)
        else:
            work = plan_conversion(Path(folder), Path(target), options, passed_over)
    except AasError as error:
        fail(error)
    worst = EXIT_OK
    converted = 0
    with (
        progress_bar("converting") as progress,
        contextlib.closing(
            batch.convert_files(
                work,
                workers,
                progress,
                executor=executor,
                per_task=per_task(len(work), executor, jobs),
                in_flight=in_flight(jobs, executor),
            )
        ) as outcomes,
    ):
        for job, done in zip(work, outcomes, strict=True):
            if done.error is not None:
                say(f"aas: error: {done.error}")
                worst = max(worst, done.error.exit_code)
            elif done.internal is not None:
                say(f"aas: internal error: {job.source}: {done.internal} {batch.BUG}")
                worst = max(worst, EXIT_INTERNAL)
            elif done.lost:
                say(f"aas: error: {job.source}: not converted: {done.why_lost}")
                worst = max(worst, EXIT_INTERNAL)
            else:
                converted += 1
                print_findings(done.value.findings, quiet)
    if not quiet:
        note_passed_over(passed_over, "converted")
        say(f"converted {converted} of {counted(len(work), 'file')} into {target}")
    raise typer.Exit(worst)
