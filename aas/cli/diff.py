"""``aas diff A B``: what differs between two models, in any formats and versions."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import orjson
import typer

from aas.cli.output import EXIT_FINDINGS, fail, say
from aas.errors import AasError, UsageError
from aas.formats import by_suffix, names
from aas.wording import counted


class DiffOutput(StrEnum):
    text = "text"
    json = "json"


def diff(
    first: Annotated[
        str, typer.Argument(metavar="A", help="The first model (any format); - for standard input.")
    ],
    second: Annotated[
        str, typer.Argument(metavar="B", help="The second model (any format and version).")
    ],
    numeric: Annotated[
        bool,
        typer.Option(
            "--numeric",
            help="Compare the values of a numeric valueType by value (1.0E2 = 100 = 100.0), "
            "not as written.",
        ),
    ] = False,
    output: Annotated[
        DiffOutput, typer.Option(help="text (one line per change) or json.")
    ] = DiffOutput.text,
    from_format: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="FORMAT",
            help=f"The format of an input whose suffix names none, such as standard input "
            f"({', '.join(names())}).",
        ),
    ] = None,
    aas_version: Annotated[
        str | None,
        typer.Option(
            "--aas-version",
            metavar="VERSION",
            help="The metamodel version both are compared in (3.0 or 3.1): a JSON input is "
            "read in it, an input of another version carried to it as convert --to-version "
            "carries it (one that holds what VERSION cannot is refused, exit 1). Default: the "
            "newer of the two.",
        ),
    ] = None,
) -> None:
    """Compare two models in any formats and versions: what was added, removed, changed or
    reordered.

    Identifiables match by id, elements by idShort, list items by position (see README).

    One line per change: its kind, its path and the values as written.

    Exit codes: 0 equal, 1 different, 2 usage error, 3 an input no model can be read from.
    """
    # Only here: every other command starts without it.
    from aas.semantic_diff import comparable, read_in
    from aas.semantic_diff import diff as compare

    try:
        if first == "-" and second == "-":
            raise UsageError("standard input can be only one of A and B")
        a, b = (
            read_in(
                sys.stdin.buffer if name == "-" else name,
                aas_version,
                # Each input keeps the format its suffix names: A may be an AASX, B JSON.
                format=None if name != "-" and by_suffix(name) else from_format,
            )
            for name in (first, second)
        )
        a_as, b_as = comparable(a, b, aas_version)
        changes = compare(a_as, b_as, numeric=numeric)
    except AasError as error:
        fail(error)
    for name, read, compared in ((first, a, a_as), (second, b, b_as)):
        if read.version != compared.version:
            say(
                f"aas: note: {name} is V{read.version}: compared in V{compared.version}, carried "
                f"there as 'aas convert --to-version {compared.version}' carries it"
            )
    if output is DiffOutput.json:
        document = {
            "a": first,
            "b": second,
            "version": str(a_as.version),
            "equal": not changes,
            "changes": [change.to_dict() for change in changes],
        }
        typer.echo(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode())
    else:
        for change in changes:
            typer.echo(str(change))
        count = len(changes)
        say(
            f"aas: {first} and {second} are equal"
            if not count
            else f"aas: {counted(count, 'change')}"
        )
    if changes:
        raise typer.Exit(EXIT_FINDINGS)
