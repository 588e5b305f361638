"""The ``aas`` command: a thin layer over the library.

Exit codes (the same for every command):

=====  ==========================================================================
0      done; findings, if any, were printed (``validate``: none at or above ``--fail-on``)
1      the content made the run fail: ``validate`` found something at or above
       ``--fail-on``; ``convert --strict`` found an error; a model that the target version
       of ``--to-version`` cannot hold
2      usage error: unknown option, or an invalid option value (format, version, class,
       check, ...), output onto input, format undecidable; one line, no traceback
3      an input cannot be read as a model at all (damaged, hostile or not AAS)
4      an output could not be written (nothing was left behind)
5      internal error: a bug in this toolkit (please report it)
130    interrupted
=====  ==========================================================================
"""

from __future__ import annotations

import contextlib
import signal
import sys
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import orjson
import typer
from typer.exceptions import TyperException

from aas import batch
from aas.about import __version__
from aas.api import convert as convert_model
from aas.api import load
from aas.cli.info import summarize
from aas.errors import AasError, FindingsError, UsageError
from aas.findings import Finding, Location, Severity
from aas.formats import by_name, by_suffix, names
from aas.rdfids import DEFAULT_BASE, check_base

if TYPE_CHECKING:
    from aas.report import Report

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_UNREADABLE = 3
EXIT_UNWRITABLE = 4
EXIT_INTERNAL = 5
EXIT_INTERRUPTED = 130

app = typer.Typer(
    name="aas",
    help="Read, validate and convert Asset Administration Shell models (JSON, XML, AASX, RDF).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

VersionOption = Annotated[
    str | None,
    typer.Option(
        "--aas-version",
        help="Metamodel version of a JSON input (3.0 or 3.1; default 3.1). "
        "XML and AASX say their own version.",
    ),
]
JobsOption = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        help="Files of a batch worked on at once, each in a process of its own "
        "(0: one per CPU). The output is the same for every number.",
    ),
]


class InfoOutput(StrEnum):
    text = "text"
    json = "json"


def _say(message: str) -> None:
    typer.echo(message, err=True)


def _fail(error: AasError) -> NoReturn:
    _say(f"aas: error: {error}")
    if isinstance(error, FindingsError):
        for finding in error.findings:
            _say(f"  {finding}")
    raise typer.Exit(error.exit_code)


def _print_findings(findings: list[Finding], quiet: bool) -> None:
    for finding in findings:
        if finding.severity is Severity.INFO:
            if not quiet:
                _say(finding.render("note"))
        else:
            # Each with the severity `aas validate` gives it (a rule has one severity
            # everywhere); convert is tolerant all the same: only --strict refuses errors.
            _say(str(finding))


def _worker_count(jobs: int) -> int:
    try:
        return batch.worker_count(jobs)
    except UsageError as error:
        _fail(error)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"aas {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """Exit codes: 0 done, 1 findings made fatal, 2 usage error, 3 unreadable input,
    4 output not written, 5 internal error."""


@app.command()
def convert(
    source: Annotated[
        str, typer.Argument(metavar="IN", help="Input file or folder; - for standard input.")
    ],
    target: Annotated[
        str, typer.Argument(metavar="OUT", help="Output file or folder; - for standard output.")
    ],
    from_format: Annotated[
        str | None, typer.Option("--from", help=f"Input format ({', '.join(names())}).")
    ] = None,
    to_format: Annotated[
        str | None, typer.Option("--to", help=f"Output format ({', '.join(names())}).")
    ] = None,
    aas_version: VersionOption = None,
    to_version: Annotated[
        str | None,
        typer.Option(
            help="Change the metamodel version (3.0 -> 3.1 upgrades); losses are reported."
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
    jobs: JobsOption = 1,
) -> None:
    """Convert a model between JSON, XML, AASX and RDF, keeping every value as written."""
    workers = _worker_count(jobs)
    try:
        check_base(rdf_base)
    except AasError as error:
        _fail(error)
    if source != "-" and Path(source).is_dir():
        _convert_folder(
            Path(source),
            target,
            from_format,
            to_format,
            aas_version,
            to_version,
            strict,
            quiet,
            rdf_order,
            rdf_base,
            workers,
        )
        return
    try:
        if source == "-":
            source_arg: Any = sys.stdin.buffer
        else:
            source_arg = source
        target_arg: Any = sys.stdout.buffer if target == "-" else target
        result = convert_model(
            source_arg,
            target_arg,
            from_format=from_format,
            to_format=to_format,
            version=aas_version,
            to_version=to_version,
            strict=strict,
            rdf_order=rdf_order,
            rdf_base=rdf_base,
        )
    except AasError as error:
        _fail(error)
    _print_findings(result.findings, quiet)
    if target != "-" and not quiet:
        _say(
            f"converted {source} ({result.source_format}, V{result.source_version}) -> "
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
    counted = ", ".join(
        f"{count} {name}(s)" for count, name in ((errors, "error"), (warnings, "warning")) if count
    )
    refused = "; --strict refuses such a model" if errors else ""
    return f"; carried over as they are: {counted}{refused}"


def _convert_folder(
    folder: Path,
    target: str,
    from_format: str | None,
    to_format: str | None,
    aas_version: str | None,
    to_version: str | None,
    strict: bool,
    quiet: bool,
    rdf_order: bool,
    rdf_base: str,
    workers: int,
) -> None:
    if target == "-":
        _fail(UsageError("a folder is converted into a folder, not to standard output"))
    if to_format is None:
        _fail(UsageError("converting a folder needs --to to name the output format"))
    try:
        out_format = by_name(to_format)
        wanted = by_name(from_format) if from_format else None
    except AasError as error:
        _fail(error)
    out_root = Path(target)
    # When the output folder lies inside the input folder, what is already in it is output
    # of an earlier run, not input.
    skip = out_root.resolve() if out_root.resolve().is_relative_to(folder.resolve()) else None
    inputs = [
        path
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and (fmt := by_suffix(path)) is not None
        and (wanted is None or fmt == wanted)
        and not (skip is not None and path.resolve().is_relative_to(skip))
    ]
    if not inputs:
        _fail(UsageError(f"no {wanted.name if wanted else 'AAS'} files in {str(folder)!r}"))
    destinations: dict[Path, Path] = {}
    for path in inputs:
        destination = out_root / path.relative_to(folder).with_suffix(out_format.suffixes[0])
        if destination in destinations:
            _fail(
                UsageError(
                    f"{str(destinations[destination])!r} and {str(path)!r} would both be "
                    f"written to {str(destination)!r}; pick one input format with --from, "
                    "or convert them separately"
                )
            )
        destinations[destination] = path
    work = [
        batch.ConvertJob(
            path,
            destination,
            from_format,
            out_format.name,
            aas_version,
            to_version,
            strict,
            rdf_order,
            rdf_base,
        )
        for destination, path in destinations.items()
    ]
    worst = EXIT_OK
    converted = 0
    with contextlib.closing(batch.run(batch.convert_file, work, workers, "converting")) as outcomes:
        for job, done in zip(work, outcomes, strict=True):
            if done.error is not None:
                _say(f"aas: error: {done.error}")
                worst = max(worst, done.error.exit_code)
            elif done.internal is not None:
                _say(f"aas: internal error: {job.source}: {done.internal} {batch.BUG}")
                worst = max(worst, EXIT_INTERNAL)
            elif done.lost:
                _say(f"aas: error: {job.source}: not converted: {batch.LOST}")
                worst = max(worst, EXIT_INTERNAL)
            else:
                converted += 1
                _print_findings(done.value.findings, quiet)
    if not quiet:
        _say(f"converted {converted} of {len(inputs)} file(s) into {target}")
    raise typer.Exit(worst)


@app.command()
def info(
    source: Annotated[
        str, typer.Argument(metavar="FILE", help="Input file; - for standard input.")
    ],
    from_format: Annotated[
        str | None, typer.Option("--from", help=f"Input format ({', '.join(names())}).")
    ] = None,
    aas_version: VersionOption = None,
    output: Annotated[InfoOutput, typer.Option(help="text or json.")] = InfoOutput.text,
) -> None:
    """Show a model's version, what it holds (by element type) and its package files."""
    try:
        model = load(
            sys.stdin.buffer if source == "-" else source, format=from_format, version=aas_version
        )
    except AasError as error:
        _fail(error)
    summary = summarize(model)
    if output is InfoOutput.json:
        typer.echo(orjson.dumps(summary.to_dict(), option=orjson.OPT_INDENT_2).decode())
    else:
        typer.echo(summary.to_text())


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    junit = "junit"
    sarif = "sarif"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    info = "info"


def _inputs(paths: list[str], wanted: str | None) -> list[str]:
    """Files named, and the AAS files (by suffix) inside folders named, in a stable order."""
    found: list[str] = []
    for name in paths:
        path = Path(name)
        if name != "-" and path.is_dir():
            found.extend(
                str(child)
                for child in sorted(path.rglob("*"))
                if child.is_file()
                and (fmt := by_suffix(child)) is not None
                and (wanted is None or fmt.name == wanted)
            )
        else:
            found.append(name)
    return found


@app.command()
def validate(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH...", help="Files or folders to check; - for standard input."),
    ],
    model_type: Annotated[
        str | None,
        typer.Option(help="The class a file holds when it is no Environment (e.g. Submodel)."),
    ] = None,
    aas_version: VersionOption = None,
    from_format: Annotated[
        str | None, typer.Option("--from", help=f"Input format ({', '.join(names())}).")
    ] = None,
    output: Annotated[ReportFormat, typer.Option(help="Report format.")] = ReportFormat.text,
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
            help="Comma-separated layers to run: schema, constraints, references, package "
            "(default: all)."
        ),
    ] = None,
    schema: Annotated[
        list[str] | None,
        typer.Option(help="A JSON Schema (.json) or XSD (.xsd) to validate with; repeatable."),
    ] = None,
    jobs: JobsOption = 1,
) -> None:
    """Check models against schemas, the metamodel's constraints, references and packaging.

    Exit codes: 0 nothing at or above --fail-on, 1 something was, 2 usage error,
    3 an input no model can be read from (what convert cannot read either).
    """
    from aas.report import render_json, render_junit, render_sarif, render_text
    from aas.validation import Check

    workers = _worker_count(jobs)
    try:
        chosen = (
            None
            if checks is None
            else [Check(part.strip()) for part in checks.split(",") if part.strip()]
        )
    except ValueError:
        _fail(
            UsageError(
                f"unknown check in {checks!r} (choose from {', '.join(c.value for c in Check)})"
            )
        )
    if from_format is not None:
        try:
            by_name(from_format)
        except AasError as error:
            _fail(error)
    files = _inputs(paths, from_format)
    if not files:
        _fail(UsageError("no AAS files (.json, .xml, .aasx) in the given folders"))
    work = [
        batch.ValidateJob(
            name,
            from_format,
            aas_version,
            model_type,
            None if chosen is None else tuple(chosen),
            tuple(schema or ()),
        )
        for name in files
    ]
    if min(workers, len(work)) > 1:  # a worker process has no standard input: read it here
        work = [
            replace(job, stdin=sys.stdin.buffer.read()) if job.name == "-" else job for job in work
        ]
    reports: list[Report] = []
    worst = EXIT_OK
    with contextlib.closing(
        batch.run(batch.validate_file, work, workers, "validating")
    ) as outcomes:
        for job, done in zip(work, outcomes, strict=True):
            if done.error is not None:
                _fail(done.error)  # a usage error stops the run, as in a run of one file
            where = "<stdin>" if job.name == "-" else job.name
            if done.internal is not None:
                message = f"internal error: {done.internal} {batch.BUG}"
                reports.append(_no_report(where, "aas:internal-error", message))
                worst = EXIT_INTERNAL
            elif done.lost:
                reports.append(_no_report(where, "aas:worker-died", f"not checked: {batch.LOST}"))
                worst = EXIT_INTERNAL
            else:
                reports.append(done.value)
    threshold = Severity(fail_on.value)
    renderers = {
        ReportFormat.text: render_text,
        ReportFormat.json: render_json,
        ReportFormat.sarif: render_sarif,
        ReportFormat.junit: lambda found: render_junit(found, threshold),
    }
    typer.echo(renderers[output](reports), nl=False)
    if worst != EXIT_OK:
        raise typer.Exit(worst)
    if any(not report.readable for report in reports):
        raise typer.Exit(EXIT_UNREADABLE)
    if any(report.fails(threshold) for report in reports):
        raise typer.Exit(EXIT_FINDINGS)


def _no_report(source: str, rule: str, message: str) -> Report:
    """The report of a file that could not be checked at all, for a reason of this toolkit."""
    from aas.report import Report

    finding = Finding(Severity.ERROR, rule, message, Location(file=source))
    return Report(source, [finding], readable=False)


@app.command("formats")
def list_formats() -> None:
    """List the formats this toolkit reads and writes."""
    from aas.formats import formats

    try:
        known = formats()  # the built-in ones and those of installed plugins
    except AasError as error:
        _fail(error)
    name_width = max(len(fmt.name) for fmt in known)
    suffix_width = max(len(" ".join(fmt.suffixes)) for fmt in known)
    for fmt in known:
        suffixes = " ".join(fmt.suffixes)
        media = f" ({', '.join(fmt.media_types)})" if fmt.media_types else ""
        typer.echo(
            f"{fmt.name:<{name_width}}  {suffixes:<{suffix_width}}  {fmt.description}{media}"
        )


_interrupted = False


def _interrupt(signum: int, frame: object) -> None:
    # SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C, so a half-written output's
    # temporary file is removed and the old output stays as it was.
    global _interrupted
    _interrupted = True
    raise KeyboardInterrupt


def main() -> None:
    """Entry point of the ``aas`` command: typer parses, and nothing escapes as a traceback."""
    signal.signal(signal.SIGTERM, _interrupt)
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not when ignored
        signal.signal(signal.SIGINT, _interrupt)
    try:
        # Not standalone: a usage error comes back here, to be said in one line.
        code = app(standalone_mode=False)
    except SystemExit as stop:
        # typer turns a KeyboardInterrupt into a silent exit 130; say why the run ended.
        if _interrupted and stop.code == EXIT_INTERRUPTED:
            _say("aas: interrupted")
        raise
    except TyperException as error:  # click's usage errors: a bad option, a bad value
        sys.exit(_usage_error(error))
    except typer.Abort:  # end of input while a prompt waited (no command prompts)
        _say("aas: interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        _say("aas: interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        sys.exit(EXIT_OK)
    except Exception as error:  # a bug: one clear line instead of a traceback
        _say(f"aas: internal error: {type(error).__name__}: {error} {batch.BUG}")
        sys.exit(EXIT_INTERNAL)
    if code == EXIT_INTERRUPTED and _interrupted:
        _say("aas: interrupted")
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _usage_error(error: TyperException) -> int:
    """Say a usage error of the command line in one line (``aas: error: ...``), as every
    other error is said, instead of click's usage block; no arguments at all shows the help."""
    if type(error).__name__ == "NoArgsIsHelpError":
        show = getattr(error, "show", None)
        if show is not None:
            show()
        return EXIT_USAGE
    context = getattr(error, "ctx", None)
    command = getattr(context, "command_path", "aas") or "aas"
    message = " ".join(error.format_message().replace("Value error, ", "").split())
    _say(f"aas: error: {message} (see '{command} --help')")
    return int(getattr(error, "exit_code", EXIT_USAGE))
