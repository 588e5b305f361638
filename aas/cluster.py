"""Batches on a Dask distributed cluster (``--executor dask --scheduler ADDRESS``): a
:class:`concurrent.futures.Executor` for :mod:`aas.batch` that sends a batch's files to the
cluster's workers. Needs the ``dask`` extra (``pip install 'aas-toolkit[dask]'``); nothing else
in the toolkit imports ``distributed``.

What this adds to Dask's own executor (``Client.get_executor``):

- **No hang.** Dask reruns the file of a worker that died on another worker, and gives the file
  up (``KilledWorker``) once it has killed ``distributed.scheduler.allowed-failures`` + 1
  workers; its future then fails with :class:`WorkersLost`, which :mod:`aas.batch` reports as a
  lost file. A cluster left with no worker, or a scheduler that cannot be reached, would leave
  every waiting file waiting for ever: a watchdog ends them with :class:`WorkersLost` once that
  has lasted ``no_worker_timeout`` seconds.
- **The same names.** Each file is worked on in the command's working folder (where the worker
  has it), so that relative paths name the same files and every message is the one ``--jobs 1``
  prints.
- **A clear start.** An address without a scheduler, or a worker without this toolkit (or
  with another version of it), is a :class:`~aas.errors.ClusterError` before any file is sent.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import BrokenExecutor, Executor, Future
from typing import Any, TypeVar

from aas.about import __version__
from aas.errors import ClusterError, UsageError

T = TypeVar("T")

#: How long a cluster may have no worker (or its scheduler be unreachable) while files wait.
NO_WORKER_TIMEOUT = 60.0
#: How long to try to reach the scheduler at the start.
CONNECT_TIMEOUT = 10.0
DISTRIBUTION = "aas-toolkit"


class WorkersLost(BrokenExecutor):
    """The cluster lost what a file needed: the workers that ran it died, none is left, or the
    scheduler is gone. The message says which."""


@contextlib.contextmanager
def dask_executor(
    address: str,
    *,
    no_worker_timeout: float = NO_WORKER_TIMEOUT,
    connect_timeout: float = CONNECT_TIMEOUT,
) -> Iterator[DaskExecutor]:
    """An executor on the Dask scheduler at ``address`` (``tcp://host:8786``), closed (and the
    files not yet started cancelled) when the block ends.

    Raises UsageError when the ``dask`` extra is not installed or ``address`` is malformed,
    ClusterError when no scheduler answers at ``address`` or a worker lacks this toolkit's
    version."""
    try:
        import distributed
    except ImportError:
        raise UsageError(
            "--executor dask needs Dask's distributed scheduler: pip install 'aas-toolkit[dask]'"
        ) from None
    _check_address(address)
    try:
        connect: Any = distributed.Client  # untyped: its results are handled as Any here
        client: Any = connect(address, timeout=connect_timeout, set_as_default=False)
    except (OSError, TimeoutError) as error:  # nothing answered within connect_timeout
        raise ClusterError(f"cannot reach the Dask scheduler at {address!r}: {error}") from None
    try:
        _check_workers(client)
        executor = DaskExecutor(client, no_worker_timeout=no_worker_timeout)
        try:
            yield executor
        finally:
            executor.shutdown(wait=False, cancel_futures=True)
    finally:
        with contextlib.suppress(Exception):  # a scheduler already gone: nothing to close
            client.close()


def _check_address(address: str) -> None:
    """An address Dask can connect to, checked before a client is made: a client made with
    a malformed one fails only when the interpreter exits, with a traceback."""
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        protocol, where = parse_address(address)
        if protocol in ("tcp", "tls", "ws", "wss"):
            parse_host_port(where)
    except ValueError as error:
        raise UsageError(
            f"{address!r} is no Dask scheduler address ({error}); give one as tcp://host:8786"
        ) from None


def _check_workers(client: Any) -> None:
    """Every worker has this toolkit, in this version: a worker without it would fail each
    file it is sent with an error that names no cause."""
    from importlib.metadata import version

    found = client.run(version, DISTRIBUTION, on_error="return")
    for worker, answer in sorted(found.items()):
        if isinstance(answer, BaseException):
            raise ClusterError(
                f"the Dask worker {worker} has no {DISTRIBUTION} installed; every worker "
                f"needs it ({DISTRIBUTION} {__version__}, as this command)"
            )
        if answer != __version__:
            raise ClusterError(
                f"the Dask worker {worker} has {DISTRIBUTION} {answer}, this command "
                f"{__version__}; install the same version on every worker"
            )


class DaskExecutor(Executor):
    """Runs each call on a worker of ``client``'s cluster; see the module's text."""

    def __init__(
        self, client: Any, *, no_worker_timeout: float = NO_WORKER_TIMEOUT, poll: float = 1.0
    ) -> None:
        self._client = client
        self._folder = os.getcwd()
        self._timeout = no_worker_timeout
        self._poll = poll
        self._lock = threading.Lock()
        #: Each future handed out that is not done yet, with the cluster's future behind it.
        self._pending: dict[Future[Any], Any] = {}
        self._broken: str | None = None
        self._closed = threading.Event()
        self._watchdog = threading.Thread(target=self._watch, name="aas-dask-watchdog")
        self._watchdog.daemon = True
        self._watchdog.start()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        if self._closed.is_set():
            raise RuntimeError("cannot submit to a DaskExecutor that was shut down")
        outer: Future[T] = Future()
        if self._broken is not None:
            outer.set_exception(WorkersLost(self._broken))
            return outer
        call = functools.partial(fn, *args, **kwargs)
        # pure=False: two equal jobs are two files to write (Dask would run equal calls once).
        inner = self._client.submit(_in_folder, self._folder, call, pure=False)
        with self._lock:
            self._pending[outer] = inner
        outer.add_done_callback(self._forget)
        inner.add_done_callback(functools.partial(self._settle, outer))
        return outer

    def worker_threads(self) -> int:
        """The threads of the cluster's workers now (at least 1): how many files it works on
        at once."""
        try:
            threads: dict[str, int] = self._client.nthreads()
            return max(1, sum(threads.values()))
        except Exception:  # the watchdog says what is wrong with the cluster, if anything
            return 1

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._closed.set()
        with self._lock:
            pending = list(self._pending.items())
        if cancel_futures:
            for outer, inner in pending:
                if outer.cancel():
                    with contextlib.suppress(Exception):
                        inner.cancel()
        if wait:
            for outer, _ in pending:
                with contextlib.suppress(Exception):
                    outer.exception()

    def _forget(self, outer: Future[Any]) -> None:
        with self._lock:
            inner = self._pending.pop(outer, None)
        if outer.cancelled() and inner is not None:  # cancelled by the batch: not worth running
            with contextlib.suppress(Exception):
                inner.cancel()

    def _settle(self, outer: Future[Any], inner: Any) -> None:
        """Pass the cluster's outcome on (in Dask's callback thread). The outcome is asked for
        rather than read from the status: a result lost with its worker after the task was
        done is computed again, and ``result()`` waits for that."""
        from distributed.scheduler import KilledWorker

        value: Any = None
        error: BaseException | None = None
        try:
            value = inner.result()
        except KilledWorker:
            error = WorkersLost(
                "every Dask worker that ran it died (killed, or out of memory?), "
                "and the cluster gave it up"
            )
        except Exception as failure:
            if inner.status == "cancelled":  # not by the batch (then outer is done already)
                error = WorkersLost("cancelled on the Dask cluster before it was done")
            else:  # what the call raised, or why its result could not be had
                error = failure
        with contextlib.suppress(Exception):  # InvalidStateError: cancelled or broken already
            if error is None:
                outer.set_result(value)
            else:
                outer.set_exception(error)

    def _watch(self) -> None:
        """End the waiting files once the cluster has had no worker (or no scheduler) for the
        timeout: Dask would wait for a worker to come for ever."""
        without_since: float | None = None
        while not self._closed.wait(self._poll):
            with self._lock:
                waiting = bool(self._pending)
            if not waiting:
                without_since = None
                continue
            why = self._missing()
            if why is None:
                without_since = None
                continue
            now = time.monotonic()
            without_since = without_since if without_since is not None else now
            if now - without_since >= self._timeout:
                self._break(f"{why} for {self._timeout:g} s, which stopped the batch")
                return

    def _missing(self) -> str | None:
        """What the cluster lacks now to go on, or None."""
        try:
            workers = self._client.nthreads(callback_timeout=max(self._poll, 5.0))
        except Exception as error:
            return f"the Dask scheduler could not be reached ({type(error).__name__})"
        return None if workers else "the Dask cluster had no worker"

    def _break(self, why: str) -> None:
        self._broken = why
        with self._lock:
            pending = list(self._pending.items())
        for outer, inner in pending:
            with contextlib.suppress(Exception):
                outer.set_exception(WorkersLost(why))
            with contextlib.suppress(Exception):
                inner.cancel()


#: A worker process works on one file at a time: the working folder is the process's.
_folder_lock = threading.Lock()


def _in_folder(folder: str, call: Callable[[], T]) -> T:
    """``call()`` in the command's working folder ``folder``, where the worker has it, so that
    relative paths name the files they name for the command (and messages read the same).
    Runs on a worker; the lock keeps the worker's other threads from seeing the folder change
    (they would gain little anyway: this work holds Python's global lock)."""
    with _folder_lock:
        here = os.getcwd()
        if here == folder:
            return call()
        try:
            os.chdir(folder)
        except OSError:  # not on this machine: absolute paths and URLs still work
            return call()
        try:
            return call()
        finally:
            os.chdir(here)
