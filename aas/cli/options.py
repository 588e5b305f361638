"""Options that several commands share, and the parsing of their values."""

from __future__ import annotations

from typing import Annotated

import typer

from aas import batch
from aas.cli.output import fail
from aas.errors import UsageError
from aas.formats import names

FromOption = Annotated[
    str | None, typer.Option("--from", help=f"Input format ({', '.join(names())}).")
]
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


def worker_count(jobs: int) -> int:
    try:
        return batch.worker_count(jobs)
    except UsageError as error:
        fail(error)
