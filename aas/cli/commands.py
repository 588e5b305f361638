"""The ``aas`` command: a thin layer over the library. Each command parses its options, calls
the library and prints (:mod:`aas.cli.output`, which lists the exit codes); nothing escapes
as a traceback."""

from __future__ import annotations

import signal
import sys
from enum import StrEnum
from typing import Annotated

import orjson
import typer
from typer.exceptions import TyperException

from aas import batch
from aas.about import installed_version
from aas.api import load
from aas.cli.convert import convert
from aas.cli.diff import diff
from aas.cli.helptext import PlainGroup
from aas.cli.info import summarize
from aas.cli.options import FromOption, VersionOption
from aas.cli.output import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, fail, say
from aas.cli.show import show
from aas.cli.template import template_app
from aas.cli.validate import validate
from aas.cli.values import values
from aas.errors import AasError
from aas.formats import formats

app = typer.Typer(
    name="aas",
    help="Read, validate and convert Asset Administration Shell models (JSON, XML, AASX, RDF).",
    no_args_is_help=True,
    # --install-completion and --show-completion (bash, zsh, fish, PowerShell)
    add_completion=True,
    pretty_exceptions_enable=False,
    cls=PlainGroup,  # help without typer's <str>/<bool> placeholders
    context_settings={"help_option_names": ["-h", "--help"]},  # inherited by every command
)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"aas {installed_version()}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version_callback,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    """Exit codes: 0 done, 1 findings made fatal, 2 usage error, 3 unreadable input,
    4 output not written, 5 internal error."""


app.command()(convert)


class InfoOutput(StrEnum):
    text = "text"
    json = "json"


@app.command()
def info(
    source: Annotated[
        str, typer.Argument(metavar="FILE", help="Input file; - for standard input.")
    ],
    from_format: FromOption = None,
    aas_version: VersionOption = None,
    output: Annotated[InfoOutput, typer.Option(help="text or json.")] = InfoOutput.text,
) -> None:
    """Show a model's version, what it holds (by element type) and its package files."""
    try:
        model = load(
            sys.stdin.buffer if source == "-" else source, format=from_format, version=aas_version
        )
    except AasError as error:
        fail(error)
    summary = summarize(model)
    if output is InfoOutput.json:
        typer.echo(orjson.dumps(summary.to_dict(), option=orjson.OPT_INDENT_2).decode())
    else:
        typer.echo(summary.to_text())


app.command()(validate)
app.command()(values)
app.command()(show)
app.command()(diff)
app.add_typer(template_app)


@app.command("formats")
def list_formats() -> None:
    """List the formats this toolkit reads and writes."""
    try:
        known = formats()  # the built-in ones and those of installed plugins
    except AasError as error:
        fail(error)
    rows = [
        (
            fmt.name,
            " ".join(fmt.suffixes),
            fmt.description,
            f"({', '.join(fmt.media_types)})" if fmt.media_types else "",
        )
        for fmt in known
    ]
    # Each column as wide as its widest cell, so that every column starts at one place
    # (the media types too, after descriptions of any length).
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        typer.echo("  ".join([*cells, row[3]]).rstrip())


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
            say("aas: interrupted")
        raise
    except TyperException as error:  # click's usage errors: a bad option, a bad value
        sys.exit(_usage_error(error))
    except typer.Abort:  # end of input while a prompt waited (no command prompts)
        say("aas: interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        say("aas: interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        sys.exit(EXIT_OK)
    except Exception as error:  # a bug: one clear line instead of a traceback
        say(f"aas: internal error: {type(error).__name__}: {error} {batch.BUG}")
        sys.exit(EXIT_INTERNAL)
    if code == EXIT_INTERRUPTED and _interrupted:
        say("aas: interrupted")
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
    say(f"aas: error: {message} (see '{command} --help')")
    return int(getattr(error, "exit_code", EXIT_USAGE))
