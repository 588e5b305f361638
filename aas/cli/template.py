"""``aas template check``: models against IDTA submodel templates, reported as ``validate``
reports (the same outputs, the same exit codes, the same ``--fail-on``)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from aas.cli.options import FromOption, VersionOption
from aas.cli.output import EXIT_FINDINGS, EXIT_UNREADABLE, fail, note_passed_over, say
from aas.cli.validate import FailOn, OutputOption, ReportFormat
from aas.errors import AasError, UsageError
from aas.findings import Severity
from aas.report import Report, render_json, render_junit, render_sarif, render_text
from aas.report_html import render_html

template_app = typer.Typer(
    name="template",
    help="Check models against IDTA submodel templates.",
    no_args_is_help=True,
)


@template_app.command("check")
def check(
    models: Annotated[
        list[str],
        typer.Argument(
            metavar="MODEL...", help="Model files or folders to check; - for standard input."
        ),
    ],
    template: Annotated[
        list[str],
        typer.Option(
            "--template",
            "-t",
            help="A template file (JSON, XML or AASX holding submodels of kind Template) or a "
            "folder searched for them; repeatable.",
        ),
    ],
    submodel: Annotated[
        str | None,
        typer.Option(
            help="Check only the submodel with this id; when its semanticId matches no "
            "template and one template is given, against that one."
        ),
    ] = None,
    aas_version: VersionOption = None,
    from_format: FromOption = None,
    output: OutputOption = ReportFormat.text,
    fail_on: Annotated[
        FailOn,
        typer.Option(help="Exit 1 when a finding at or above this severity is found."),
    ] = FailOn.error,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="Say on standard error which template each submodel was checked against "
            "(the JSON report holds it under templates).",
        ),
    ] = False,
) -> None:
    """Check each submodel of each model against the template with its semanticId.

    Checked: cardinality (SMT/Cardinality, Cardinality, Multiplicity), element kind, valueType,
    semanticId, list items, SMT/AllowedValue, SMT/AllowedRange, SMT/RequiredLang and
    SMT/EitherOr; elements the template does not have are warnings, and so is a model none
    of whose submodels has a template given (template:no-match: nothing checked).

    Exit codes: 0 nothing at or above --fail-on, 1 something was, 2 usage error,
    3 a model no model can be read from.
    """
    from aas.template_check import check_template, load_templates

    try:
        templates = load_templates(template)
        models = _files(models)
        reports = [
            check_template(
                sys.stdin.buffer if name == "-" else name,
                templates,
                submodel=submodel,
                format=from_format,
                version=aas_version,
            )
            for name in models
        ]
    except AasError as error:
        fail(error)
    # Quiet by default: one line per submodel of every file drowns a hook's or a CI job's
    # output; a model that met no template is a finding (template:no-match) in the report.
    for report in reports if verbose else ():
        for match in report.matches:
            say(f"aas: {report.source or '<input>'}: {match}")
    threshold = Severity(fail_on.value)
    renderers: dict[ReportFormat, Callable[[Sequence[Report]], str]] = {
        ReportFormat.text: render_text,
        ReportFormat.json: render_json,
        ReportFormat.sarif: render_sarif,
        ReportFormat.junit: partial(render_junit, threshold=threshold, name="aas template check"),
        ReportFormat.html: partial(render_html, title="aas template check"),
    }
    typer.echo(renderers[output](reports), nl=False)
    if any(not report.readable for report in reports):
        raise typer.Exit(EXIT_UNREADABLE)
    if any(report.fails(threshold) for report in reports):
        raise typer.Exit(EXIT_FINDINGS)


def _files(names: list[str]) -> list[str]:
    """The files named, and the AAS files below each folder named (as ``validate`` finds
    them)."""
    from aas.plan import aas_files

    found: list[str] = []
    passed_over: list[Path] = []
    for name in names:
        path = Path(name)
        if name != "-" and path.is_dir():
            found.extend(str(file) for file in aas_files(path, passed_over=passed_over))
        else:
            found.append(name)
    note_passed_over(passed_over, "checked")
    if not found:
        raise UsageError("no AAS files in the given folders")
    return found
