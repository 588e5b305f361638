"""``aas validate``: files and folders as a batch planned by :mod:`aas.plan`, one report."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from enum import StrEnum
from functools import partial
from typing import Annotated

import typer

from aas import batch
from aas.batch import ValidateOptions
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
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_UNREADABLE,
    fail,
    note_passed_over,
    progress_bar,
)
from aas.errors import AasError, UsageError
from aas.findings import Severity
from aas.plan import plan_validation
from aas.report import Report, render_json, render_junit, render_sarif, render_text
from aas.report_html import render_html


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    junit = "junit"
    sarif = "sarif"
    html = "html"


#: The report formats are said in the option's help: as its metavar, all five would be cut
#: in two (text|json|junit|sarif|htm l) in a terminal of 80 columns.
OutputOption = Annotated[
    ReportFormat,
    typer.Option(
        metavar="FORMAT",
        help=f"Report format: {'|'.join(f.value for f in ReportFormat)}.",
    ),
]


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


def validate(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH...",
            help="Files or folders to check; - for standard input. A folder gives its files "
            "of every format, gzipped ones too (m.json.gz); value-only JSON (read only with "
            "its template) is left out, and said so.",
        ),
    ],
    model_type: Annotated[
        str | None,
        typer.Option(
            metavar="CLASS",
            help="The class a file holds when it is no Environment (e.g. Submodel).",
        ),
    ] = None,
    aas_version: VersionOption = None,
    from_format: FromOption = None,
    output: OutputOption = ReportFormat.text,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            help="Exit 1 when a finding at or above this severity is found (notes about how "
            "the input was read, such as the JSON version assumed, never count)."
        ),
    ] = FailOn.error,
    checks: Annotated[
        str | None,
        typer.Option(
            metavar="LAYERS",
            help="Comma-separated layers to run: schema, constraints, references, package "
            "(default: all).",
        ),
    ] = None,
    schema: Annotated[
        list[str] | None,
        typer.Option(
            metavar="FILE",
            help="A JSON Schema (.json), XSD (.xsd) or SHACL shapes (.ttl) to validate with; "
            "repeatable.",
        ),
    ] = None,
    jobs: JobsOption = None,
    executor: ExecutorOption = ExecutorName.local,
    scheduler: SchedulerOption = None,
) -> None:
    """Check models against schemas, the metamodel's constraints, references and packaging.

    Exit codes: 0 nothing at or above --fail-on, 1 something was, 2 usage error,
    3 an input no model can be read from (what convert cannot read either).
    """
    workers = worker_count(jobs)
    options = ValidateOptions(
        from_format, aas_version, model_type, _checks(checks), tuple(schema or ())
    )
    passed_over: list[str] = []
    try:
        work = plan_validation(paths, options, passed_over)
    except AasError as error:
        fail(error)
    reports: list[Report] = []
    worst = EXIT_OK
    with (
        batch_executor(executor, scheduler) as on,
        progress_bar("validating") as progress,
        contextlib.closing(
            batch.validate_files(
                work,
                workers,
                progress,
                executor=on,
                per_task=per_task(len(work), on, jobs),
                in_flight=in_flight(jobs, on),
            )
        ) as outcomes,
    ):
        for job, done in zip(work, outcomes, strict=True):
            if done.error is not None:
                fail(done.error)  # a usage error stops the run, as in a run of one file
            if done.internal is not None or done.lost:
                worst = EXIT_INTERNAL
            reports.append(batch.report_of(job, done))
    threshold = Severity(fail_on.value)
    renderers: dict[ReportFormat, Callable[[Sequence[Report]], str]] = {
        ReportFormat.text: render_text,
        ReportFormat.json: render_json,
        ReportFormat.sarif: render_sarif,
        ReportFormat.junit: partial(render_junit, threshold=threshold),
        ReportFormat.html: render_html,
    }
    typer.echo(renderers[output](reports), nl=False)
    note_passed_over(passed_over, "checked")
    if worst != EXIT_OK:
        raise typer.Exit(worst)
    if any(not report.readable for report in reports):
        raise typer.Exit(EXIT_UNREADABLE)
    if any(report.fails(threshold) for report in reports):
        raise typer.Exit(EXIT_FINDINGS)


def _checks(option: str | None) -> tuple[str, ...] | None:
    """The layers ``--checks`` names (None: all of them)."""
    from aas.validation import Check  # only here: convert never loads the checks

    if option is None:
        return None
    try:
        return tuple(Check(part.strip()) for part in option.split(",") if part.strip())
    except ValueError:
        fail(
            UsageError(
                f"unknown check in {option!r} (choose from {', '.join(c.value for c in Check)})"
            )
        )
