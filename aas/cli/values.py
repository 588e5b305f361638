"""``aas values``: the values of files and folders (walked as ``validate`` walks them) as one
table, CSV or JSON Lines."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from aas.batch import ValidateOptions
from aas.cli.options import FromOption, VersionOption
from aas.cli.output import EXIT_UNREADABLE, fail, note_passed_over, progress_bar, say
from aas.errors import AasError, ReadError
from aas.plan import plan_validation
from aas.wording import counted

if TYPE_CHECKING:
    from aas.value_rows import ValueRow


class ValuesOutput(StrEnum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"


def values(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="MODEL...", help="Files or folders to read; - for standard input."),
    ],
    semantic_id: Annotated[
        list[str] | None,
        typer.Option(
            "--semantic-id",
            help="Only elements whose semanticId (its first key's value) is this id, exactly "
            "as written; repeatable.",
        ),
    ] = None,
    output: Annotated[
        ValuesOutput, typer.Option(help="table (for a terminal), csv or jsonl.")
    ] = ValuesOutput.table,
    from_format: FromOption = None,
    aas_version: VersionOption = None,
) -> None:
    """List the values of models: one row per Property, Range, MultiLanguageProperty language,
    File, Blob and ReferenceElement, with its place, semanticId, unit and preferred name.

    Exit codes: 0 done, 2 usage error, 3 a file no model can be read from (the others are
    listed all the same).
    """
    # Only here: every other command starts without it.
    from aas.value_rows import render_csv, render_jsonl, render_table, terminal_width
    from aas.value_rows import values as read_values

    passed_over: list[str] = []
    try:
        planned = plan_validation(paths, ValidateOptions(format=from_format), passed_over)
    except AasError as error:
        fail(error)
    names = [job.name for job in planned]
    note_passed_over(passed_over, "read")
    wanted = tuple(semantic_id) if semantic_id else None
    rows: list[ValueRow] = []
    unreadable = 0
    with progress_bar("reading") as progress:
        progress(0, len(names))
        for done, name in enumerate(names, start=1):
            source = sys.stdin.buffer if name == "-" else name
            try:
                rows.extend(
                    read_values(
                        source, semantic_ids=wanted, format=from_format, version=aas_version
                    )
                )
            except ReadError as error:  # this file only: the others are still listed
                say(f"aas: error: {error}")
                unreadable += 1
            except AasError as error:  # a wrong call (format, version): wrong for every file
                fail(error)
            progress(done, len(names))
    renderers: dict[ValuesOutput, Callable[[Sequence[ValueRow]], str]] = {
        ValuesOutput.table: lambda shown: render_table(shown, terminal_width()),
        ValuesOutput.csv: render_csv,
        ValuesOutput.jsonl: render_jsonl,
    }
    typer.echo(renderers[output](rows), nl=False)
    if not rows and output is ValuesOutput.table:  # an empty table would print nothing at all
        say(
            f"aas: no values in {counted(len(names), 'file')}"
            + (" for --semantic-id" if wanted else "")
        )
    if unreadable:
        say(f"aas: {unreadable} of {counted(len(names), 'file')} could not be read")
        raise typer.Exit(EXIT_UNREADABLE)
