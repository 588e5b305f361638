"""``aas show``: a model as a tree (:mod:`aas.tree`), coloured on a terminal only."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from aas.api import load
from aas.cli.options import FromOption, VersionOption
from aas.cli.output import fail
from aas.errors import AasError


def show(
    source: Annotated[
        str, typer.Argument(metavar="FILE", help="Input file; - for standard input.")
    ],
    depth: Annotated[
        int | None,
        typer.Option(
            min=0,
            metavar="N",
            help="Levels shown below the model, 0 or more (0: the model alone; 1: shells, "
            "submodels and concept descriptions; 2: what lies directly in them; default: all).",
        ),
    ] = None,
    semantic_id: Annotated[
        list[str] | None,
        typer.Option(
            "--semantic-id",
            metavar="ID",
            help="Only the branches leading to a submodel or element with this semanticId "
            "(its first key, as written); repeatable.",
        ),
    ] = None,
    color: Annotated[
        bool | None,
        typer.Option(
            "--color/--no-color",
            help="Colour the tree (default: on a terminal, unless NO_COLOR is set).",
        ),
    ] = None,
    from_format: FromOption = None,
    aas_version: VersionOption = None,
) -> None:
    """Print a model as a tree: shells and their assets, submodels, elements with their values
    (with units) and concept descriptions.

    Exit codes: 0 shown, 2 usage error, 3 an input no model can be read from.
    """
    from aas.tree import TREE_CHARACTERS, show_tree

    try:
        model = load(
            sys.stdin.buffer if source == "-" else source,
            format=from_format,
            version=aas_version,
            verify=False,  # the tree shows what the file holds; validate judges it
        )
    except AasError as error:
        fail(error)
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    colored = _colored() if color is None else color
    text = show_tree(
        model,
        depth=depth,
        semantic_ids=semantic_id,
        color=colored,
        ascii=not _encodes(TREE_CHARACTERS, encoding),
    )
    if not _encodes(text, encoding):  # a value in a script the terminal cannot show
        text = text.encode(encoding, "backslashreplace").decode(encoding)
    # click strips ANSI codes when stdout is no terminal; --color keeps them there too.
    typer.echo(text, nl=False, color=colored)


def _colored() -> bool:
    # https://no-color.org: a NO_COLOR that is set and not empty turns colour off.
    if os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True
