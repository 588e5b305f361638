"""What every command prints the same way: exit codes, errors, findings and the progress bar.

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
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import NoReturn

import typer

from aas.batch import Progress
from aas.errors import AasError, FindingsError
from aas.findings import Finding, Severity

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_UNREADABLE = 3
EXIT_INTERNAL = 5
EXIT_INTERRUPTED = 130


def say(message: str) -> None:
    typer.echo(message, err=True)


def fail(error: AasError) -> NoReturn:
    say(f"aas: error: {error}")
    if isinstance(error, FindingsError):
        for finding in error.findings:
            say(f"  {finding}")
    raise typer.Exit(error.exit_code)


def note_passed_over(files: Sequence[Path | str], verb: str) -> None:
    """One line on the files a folder walk left out (value-only JSON, read only with its
    template), so that a folder's files are not checked fewer than it holds in silence."""
    from aas.plan import passed_over_note

    note = passed_over_note(files, verb)
    if note is not None:
        say(f"aas: note: {note}")


def print_findings(findings: list[Finding], quiet: bool) -> None:
    for finding in findings:
        if finding.severity is Severity.INFO:
            if not quiet:
                say(finding.render("note"))
        else:
            # Each with the severity `aas validate` gives it (a rule has one severity
            # everywhere); convert is tolerant all the same: only --strict refuses errors.
            say(str(finding))


@contextlib.contextmanager
def progress_bar(label: str) -> Iterator[Progress]:
    """A progress bar on a terminal, drawn as a batch tells how far it has come, for a batch
    of more than one file; nothing when stderr is piped or in CI logs."""
    with contextlib.ExitStack() as stack:
        yield _Bar(label, stack)


class _Bar:
    """Started at the first call, which tells how many files the batch holds."""

    def __init__(self, label: str, stack: contextlib.ExitStack) -> None:
        self._label = label
        self._stack = stack
        self._update: Callable[[int], None] | None = None
        self._shown = 0

    def __call__(self, done: int, total: int) -> None:
        if self._update is None:
            if total <= 1 or not sys.stderr.isatty():
                return
            bar = typer.progressbar(length=total, label=self._label, file=sys.stderr)
            self._update = self._stack.enter_context(bar).update
        self._update(done - self._shown)
        self._shown = done
