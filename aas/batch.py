"""Batches: the files of a folder (``convert``) or of several paths (``validate``) one after
another in this process, ``--jobs N`` at once in worker processes, or on any
:class:`concurrent.futures.Executor` the caller gives (a Dask cluster's: :mod:`aas.cluster`),
with the same outcome for each file every way and in input order, so that what the command
prints does not depend on where the files were worked on. Which files a batch holds is planned
in :mod:`aas.plan`; how far it has come is told to a ``progress`` callback, which the command
line turns into a progress bar.

An executor's future that fails with :class:`concurrent.futures.BrokenExecutor` (a process
pool whose worker died, a cluster that lost its workers) marks its file lost, with the
exception's message as the reason; the batch never waits for it."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sys
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from aas.api import ConversionResult
from aas.api import convert as convert_model
from aas.errors import AasError, UsageError, WriteError
from aas.findings import Finding, Location, Severity
from aas.places import make_folder, parent
from aas.rdfids import DEFAULT_BASE
from aas.report import Report

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future, ProcessPoolExecutor

    from aas.pipeline import Source, Target

#: The exit code of a worker that was stopped (as the command's own when interrupted).
EXIT_INTERRUPTED = 130

#: Told ``(files done, files in all)``: once before the first file, then as each one finishes
#: (in whatever order the workers finish them).
Progress = Callable[[int, int], None]

BUG = "(a bug in this toolkit; please report it with the input that caused it)"
LOST = (
    "a worker process died (killed, or out of memory?), which stopped the batch; "
    "try again with fewer --jobs"
)
#: How long stopped workers get to remove their temporary outputs before they are killed.
_STOP_GRACE_SECONDS = 10.0
_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def worker_count(jobs: int) -> int:
    """What ``--jobs`` asks for: 1 works in this process, 0 means one worker per usable CPU."""
    if jobs < 0:
        raise UsageError(f"--jobs takes 0 (one per CPU) or a positive number, not {jobs}")
    if jobs > 0:
        return jobs
    if hasattr(os, "sched_getaffinity"):  # the CPUs this process may run on (not on every OS)
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@dataclass(frozen=True)
class ConvertOptions:
    """How each file of a conversion is read and written: the keywords :func:`aas.convert`
    takes besides the source and the target, under their names there."""

    from_format: str | None = None
    to_format: str | None = None
    version: str | None = None
    to_version: str | None = None
    strict: bool = False
    rdf_order: bool = True
    rdf_base: str = DEFAULT_BASE
    #: Value-only JSON: the template values are read with (a path), the submodel chosen
    #: (written, or of the template), the id a rebuilt submodel gets.
    template: str | None = None
    submodel: str | None = None
    submodel_id: str | None = None

    def convert(self, source: Source, target: Target) -> ConversionResult:
        return convert_model(source, target, **vars(self))


@dataclass(frozen=True)
class ConvertJob:
    #: A local path, or an fsspec URL (a string; see :mod:`aas.places`).
    source: Path | str
    destination: Path | str
    options: ConvertOptions


def convert_file(job: ConvertJob) -> ConversionResult:
    if isinstance(job.destination, str):  # a URL
        make_folder(parent(job.destination))
        return job.options.convert(job.source, job.destination)
    try:
        job.destination.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriteError(
            f"cannot create the folder: {error.strerror or error}",
            Location(file=str(job.destination.parent)),
        ) from None
    return job.options.convert(job.source, job.destination)


def convert_files(
    jobs: Sequence[ConvertJob],
    workers: int = 1,
    progress: Progress | None = None,
    *,
    executor: Executor | None = None,
    per_task: int = 1,
    in_flight: int | None = None,
) -> Generator[Done, None, None]:
    """Each job's :class:`Done` (its ConversionResult as the value), in the order of ``jobs``;
    on ``executor`` when one is given, ``per_task`` files in each call, at most ``in_flight``
    calls at once (see :func:`run`)."""
    return run(
        convert_file,
        list(jobs),
        workers,
        progress,
        executor=executor,
        per_task=per_task,
        in_flight=in_flight,
    )


@dataclass(frozen=True)
class ValidateOptions:
    """The keywords :func:`aas.validate` takes besides the source, under their names there."""

    format: str | None = None
    version: str | None = None
    model_type: str | None = None
    checks: tuple[str, ...] | None = None
    schemas: tuple[str, ...] = ()


@dataclass(frozen=True)
class ValidateJob:
    #: A path, or ``-`` for standard input.
    name: str
    options: ValidateOptions
    #: What standard input held, for ``-`` checked in a worker process (which has no stdin).
    stdin: bytes | None = None


class _Stdin(io.BytesIO):
    """Standard input's bytes, read in the main process, under standard input's name."""

    name = "<stdin>"


def validate_file(job: ValidateJob) -> Report:
    from aas.validation import validate as validate_one

    source: Any = job.name
    if job.stdin is not None:
        source = _Stdin(job.stdin)
    elif job.name == "-":
        source = sys.stdin.buffer
    return validate_one(source, **vars(job.options))


def validate_files(
    jobs: Sequence[ValidateJob],
    workers: int = 1,
    progress: Progress | None = None,
    *,
    executor: Executor | None = None,
    per_task: int = 1,
    in_flight: int | None = None,
) -> Generator[Done, None, None]:
    """Each job's :class:`Done` (its Report as the value), in the order of ``jobs``, on
    ``executor`` when one is given, ``per_task`` files in each call, at most ``in_flight``
    calls at once (see :func:`run`); see :func:`report_of` for the report of a file that could
    not be checked."""
    work = list(jobs)
    # A worker process has no standard input (nor has an executor's worker): read it here.
    if executor is not None or min(workers, len(work)) > 1:
        work = [
            replace(job, stdin=sys.stdin.buffer.read()) if job.name == "-" else job for job in work
        ]
    return run(
        validate_file,
        work,
        workers,
        progress,
        executor=executor,
        per_task=per_task,
        in_flight=in_flight,
    )


def report_of(job: ValidateJob, done: Done) -> Report:
    """The file's report; for a file this toolkit could not check (a bug, or its worker died),
    a report that says so, marked unreadable. ``done.error`` is the caller's to raise."""
    if done.internal is None and not done.lost:
        report: Report = done.value
        return report
    source = "<stdin>" if job.name == "-" else job.name
    if done.internal is not None:
        rule, message = "aas:internal-error", f"internal error: {done.internal} {BUG}"
    else:
        rule, message = "aas:worker-died", f"not checked: {done.why_lost}"
    finding = Finding(Severity.ERROR, rule, message, Location(file=source))
    return Report(source, [finding], readable=False)


@dataclass(frozen=True)
class Done:
    """What became of one file of a batch; made in a worker process and sent back pickled."""

    #: The file's ConversionResult or Report.
    value: Any = None
    #: The toolkit refused the file, as it would in a run of its own.
    error: AasError | None = None
    #: An unexpected exception (a bug), as "Type: message": exit 5 for this file.
    internal: str | None = None
    #: The pool's worker processes were lost (one was killed) before this file was done.
    lost: bool = False
    #: Why, when the executor said (a cluster's words); else the process pool's :data:`LOST`.
    reason: str | None = None

    @property
    def why_lost(self) -> str:
        return self.reason or LOST


J = TypeVar("J")


def _attempt(work: Callable[[J], Any], job: J) -> Done:
    """One file's job, the same in this process and in a worker; only an interrupt escapes."""
    try:
        return Done(value=work(job))
    except AasError as error:
        return Done(error=error)
    except Exception as error:  # a bug: reported for this file while the others go on
        return Done(internal=f"{type(error).__name__}: {error}")


def run(
    work: Callable[[J], Any],
    jobs: list[J],
    workers: int = 1,
    progress: Progress | None = None,
    *,
    executor: Executor | None = None,
    per_task: int = 1,
    in_flight: int | None = None,
) -> Generator[Done, None, None]:
    """The outcome of ``work`` on each job, in the order of ``jobs`` whatever the order in which
    they finish, so that what is printed does not depend on the number of workers.

    With an ``executor`` (any :class:`concurrent.futures.Executor`: a thread pool, a process
    pool, a Dask cluster's) every job is submitted to it and ``workers`` is not used; the
    executor stays the caller's to shut down. ``work`` and each job must then be picklable
    (defined at a module's top level) when the executor runs them in other processes. A job
    interrupted on an executor of the caller's is cancelled if it has not started; one that
    has runs to its end there (its output is written whole or not at all).

    ``per_task`` jobs go to the executor in one call (see :func:`files_per_task`): a cluster
    spends milliseconds on each call, more than a small file takes. When such a call is lost,
    its jobs are sent again one by one, so that only a job that kills its workers is lost.

    ``in_flight`` calls at most are given to the executor at once (None: every call at once,
    left to the executor to queue): each call works on its jobs one after another, so that is
    how many jobs are worked on at once (``--jobs N`` with ``--executor dask``)."""
    tell = progress or _untold
    if executor is not None:
        calls = -(-len(jobs) // max(1, per_task))
        if in_flight is not None and in_flight < calls:
            yield from _windowed(executor, work, jobs, tell, max(1, per_task), max(1, in_flight))
        else:
            yield from _on_executor(executor, work, jobs, tell, max(1, per_task))
        return
    if workers <= 1 or len(jobs) <= 1:
        tell(0, len(jobs))
        for number, job in enumerate(jobs, 1):
            done = _attempt(work, job)
            tell(number, len(jobs))
            yield done
        return
    yield from _in_parallel(work, jobs, min(workers, len(jobs)), tell)


def _untold(done: int, total: int) -> None:
    pass


def _in_parallel(
    work: Callable[[J], Any], jobs: list[J], workers: int, progress: Progress
) -> Iterator[Done]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # "spawn": each worker is a fresh interpreter that inherits nothing of this process but
    # the job it is sent. A forked worker would copy this process at whatever moment the pool
    # grows: a cycle collector the library may have paused, locks held by the pool's own
    # threads (fork with threads is unsafe, and deprecated in Python 3.12), open temporary
    # outputs, the CLI's SIGTERM handler. Starting one costs a Python start-up (about 0.2 s
    # here, and aas-core is loaded with its first file), once per worker, not per file.
    # (forkserver would start faster but keeps a server process around and is not available
    # everywhere.)
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_started,
    )
    try:
        # Workers start with SIGINT and SIGTERM blocked (the mask survives exec) until they
        # have their own handlers; here the signals wait until every worker is started.
        with _stop_signals_blocked():
            futures = [pool.submit(_in_worker, work, job) for job in jobs]
        for future in _in_order(futures, progress):
            yield _outcome(future)
    except BaseException:  # Ctrl-C, SIGTERM, or the caller stopped early
        _stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def files_per_task(files: int, threads: int) -> int:
    """How many files one call to a cluster carries: enough that its cost per call (a few
    milliseconds: the scheduler, the network, the result's way back) is spread, few enough that
    each worker thread gets four calls or more to balance the load, and at most 16 (a lost
    call's files are sent again one by one)."""
    return max(1, min(16, files // (4 * max(1, threads))))


def _on_executor(
    executor: Executor, work: Callable[[J], Any], jobs: list[J], progress: Progress, per_task: int
) -> Iterator[Done]:
    chunks = [jobs[start : start + per_task] for start in range(0, len(jobs), per_task)]
    futures: list[Future[list[Done]]] = []
    resent: list[Future[list[Done]]] = []
    try:
        futures.extend(executor.submit(_attempt_all, work, chunk) for chunk in chunks)
        sizes = [len(chunk) for chunk in chunks]
        for chunk, future in zip(chunks, _in_order(futures, progress, sizes), strict=True):
            outcomes = _outcomes(future, len(chunk))
            if len(chunk) > 1 and all(done.lost for done in outcomes):
                # Its worker died: which of its jobs killed it is not known, so each is
                # sent again alone (an executor that is broken fails them at once).
                again = [executor.submit(_attempt_all, work, [job]) for job in chunk]
                resent.extend(again)
                outcomes = [_outcomes(single, 1)[0] for single in again]
            yield from outcomes
    except BaseException:  # Ctrl-C, SIGTERM, or the caller stopped early
        for future in futures + resent:
            future.cancel()  # those not started; a running one ends on its own
        raise


def _windowed(
    executor: Executor,
    work: Callable[[J], Any],
    jobs: list[J],
    progress: Progress,
    per_task: int,
    limit: int,
) -> Iterator[Done]:
    """:func:`_on_executor` with at most ``limit`` calls on the executor at once: the next
    call is given as soon as one is done (in whatever order), the outcomes in input order."""
    from concurrent.futures import FIRST_COMPLETED, wait

    chunks = [jobs[start : start + per_task] for start in range(0, len(jobs), per_task)]
    submitted: list[Future[list[Done]]] = []
    size_of: dict[Future[list[Done]], int] = {}
    running: set[Future[list[Done]]] = set()
    finished = given = 0
    progress(0, len(jobs))
    try:
        while given < len(chunks):
            while len(submitted) < len(chunks) and len(running) < limit:
                chunk = chunks[len(submitted)]
                future = executor.submit(_attempt_all, work, chunk)
                submitted.append(future)
                size_of[future] = len(chunk)
                running.add(future)
            ended, _ = wait(running, return_when=FIRST_COMPLETED)
            running -= ended
            finished += sum(size_of[future] for future in ended)
            progress(finished, len(jobs))
            while given < len(submitted) and submitted[given].done():
                chunk = chunks[given]
                outcomes = _outcomes(submitted[given], len(chunk))
                if len(chunk) > 1 and all(done.lost for done in outcomes):
                    outcomes = _one_by_one(executor, work, chunk, limit)
                yield from outcomes
                given += 1
    except BaseException:  # Ctrl-C, SIGTERM, or the caller stopped early
        for future in running:
            future.cancel()  # those not started; a running one ends on its own
        raise


def _one_by_one(
    executor: Executor, work: Callable[[J], Any], chunk: list[J], limit: int
) -> list[Done]:
    """The jobs of a lost call sent again each alone, ``limit`` at once (the calls still
    running are not counted: this is the rare way of a worker that died)."""
    outcomes: list[Done] = []
    for start in range(0, len(chunk), limit):
        again = [executor.submit(_attempt_all, work, [job]) for job in chunk[start : start + limit]]
        outcomes.extend(_outcomes(single, 1)[0] for single in again)
    return outcomes


def _attempt_all(work: Callable[[J], Any], jobs: list[J]) -> list[Done]:
    return [_attempt(work, job) for job in jobs]


def _outcomes(future: Future[list[Done]], size: int) -> list[Done]:
    """The outcomes of a call of :func:`_attempt_all` on ``size`` jobs: each job marked as the
    call failed, when it did."""
    try:
        outcomes = future.result()
    except BaseException:
        return [_outcome(future)] * size
    return outcomes


F = TypeVar("F", bound="Future[Any]")


def _in_order(futures: list[F], progress: Progress, sizes: list[int] | None = None) -> Iterator[F]:
    """Each of ``futures`` in their order, each as soon as it and those before it are done;
    ``progress`` is told as any of them finishes, counting ``sizes[i]`` jobs for the i-th
    (one each when not given)."""
    from concurrent.futures import FIRST_COMPLETED, wait

    size_of = {id(future): sizes[number] if sizes else 1 for number, future in enumerate(futures)}
    total = sum(size_of.values())
    progress(0, total)
    waiting: set[F] = set(futures)
    given = finished_count = 0
    while given < len(futures):
        finished, waiting = wait(waiting, return_when=FIRST_COMPLETED)  # type: ignore[assignment]
        finished_count += sum(size_of[id(future)] for future in finished)
        progress(finished_count, total)
        while given < len(futures) and futures[given].done():
            yield futures[given]
            given += 1


def _outcome(future: Future[Any]) -> Done:
    from concurrent.futures import BrokenExecutor, CancelledError
    from concurrent.futures.process import BrokenProcessPool

    try:
        done: Done = future.result()
        return done
    except BrokenProcessPool:
        return Done(lost=True)
    except BrokenExecutor as error:  # an executor's own words on what it lost
        return Done(lost=True, reason=str(error) or None)
    except CancelledError:  # not by this batch (it cancels only when it stops): its executor
        return Done(lost=True, reason="cancelled by the executor before it was done")
    except Exception as error:  # e.g. an outcome that could not be sent back (pickled)
        return Done(internal=f"{type(error).__name__}: {error}")


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End every worker now. SIGTERM makes a busy worker unwind its job, which removes the
    temporary file of an output it was writing; one that does not end in time is killed."""
    import multiprocessing

    pool.shutdown(wait=False, cancel_futures=True)
    workers = multiprocessing.active_children()  # the pool's (the CLI starts no others)
    for process in workers:
        process.terminate()
    for process in workers:
        process.join(_STOP_GRACE_SECONDS)
        if process.is_alive():
            process.kill()
            process.join()


@contextlib.contextmanager
def _stop_signals_blocked() -> Iterator[None]:
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


#: True in a worker process while it works on a file.
_busy = False


def _worker_started() -> None:
    # Ctrl-C reaches the whole process group: the main process decides, and stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_terminated)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)


def _worker_terminated(signum: int, frame: object) -> None:
    if _busy:
        raise KeyboardInterrupt  # unwind the job: a half-written output's .part file goes
    os._exit(EXIT_INTERRUPTED)  # between files: nothing to clean up


def _in_worker(work: Callable[[J], Any], job: J) -> Done:
    global _busy
    _busy = True
    try:
        return _attempt(work, job)
    except KeyboardInterrupt:  # stopped: the job has unwound; take no further one
        os._exit(EXIT_INTERRUPTED)
    finally:
        _busy = False
