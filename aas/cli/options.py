"""Options that several commands share, and the parsing of their values."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from aas import batch
from aas.cli.output import fail
from aas.errors import AasError, UsageError
from aas.formats import names

if TYPE_CHECKING:
    from aas.cluster import DaskExecutor

FromOption = Annotated[
    str | None,
    typer.Option("--from", metavar="FORMAT", help=f"Input format ({', '.join(names())})."),
]
VersionOption = Annotated[
    str | None,
    typer.Option(
        "--aas-version",
        metavar="VERSION",
        help="Metamodel version of a JSON input (3.0 or 3.1; default 3.1). "
        "XML and AASX say their own version.",
    ),
]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        metavar="N",
        help="Files of a batch worked on at once: each in a process of its own (0: one per "
        "CPU; default 1, in this process), or with --executor dask on the cluster (0 and the "
        "default: as many as its workers have threads). The output is the same for every "
        "number.",
    ),
]


def worker_count(jobs: int | None) -> int:
    """The local batch's workers (``--jobs``; 1 when not given)."""
    try:
        return batch.worker_count(1 if jobs is None else jobs)
    except UsageError as error:
        fail(error)


def in_flight(jobs: int | None, executor: DaskExecutor | None) -> int | None:
    """How many calls a cluster works on at once: ``--jobs N``, or None (as many as its
    workers have threads, Dask's own way) when not given or 0; None on this machine."""
    return jobs if executor is not None and jobs else None


class ExecutorName(StrEnum):
    local = "local"
    dask = "dask"


ExecutorOption = Annotated[
    ExecutorName,
    typer.Option(
        "--executor",
        help="Where a batch's files are worked on: local (this machine, --jobs at once) or "
        "dask (the workers of the Dask cluster at --scheduler, as many at once as they have "
        "threads, or --jobs; needs the dask extra of aas-toolkit).",
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="ADDRESS",
        help="--executor dask: the address of the Dask scheduler (tcp://host:8786).",
    ),
]


@contextlib.contextmanager
def batch_executor(name: ExecutorName, scheduler: str | None) -> Iterator[DaskExecutor | None]:
    """The executor a batch runs on: None for the local one (``--jobs``), else a Dask
    cluster's, closed when the block ends. A usage error or an unreachable cluster fails the
    command before any file is worked on."""
    if name is ExecutorName.local:
        if scheduler is not None:
            fail(UsageError("--scheduler names a Dask scheduler: give it with --executor dask"))
        yield None
        return
    if scheduler is None:
        fail(UsageError("--executor dask needs --scheduler ADDRESS (tcp://host:8786)"))
    from aas.cluster import dask_executor  # only here: distributed is an optional extra

    with contextlib.ExitStack() as stack:
        try:
            executor = stack.enter_context(dask_executor(scheduler))
        except AasError as error:
            fail(error)
        yield executor


def per_task(files: int, executor: DaskExecutor | None, jobs: int | None = None) -> int:
    """Files sent to the cluster in one call (1 on this machine), spread over the threads
    that work at once (no more than ``--jobs``)."""
    if executor is None:
        return 1
    threads = executor.worker_threads()
    return batch.files_per_task(files, min(threads, jobs) if jobs else threads)
