"""The project's exceptions, and the exit code the CLI gives for each.

::

    AasError                      any failure of this toolkit (exit 1 unless said otherwise)
    ├── UsageError                the call is wrong: unknown format, output onto input (exit 2)
    │   └── FormatDetectionError  the format could not be decided; the message says why (exit 2)
    ├── ReadError                 the input cannot be represented as a model at all (exit 3)
    │   └── PackageError          an AASX package is broken or hostile (exit 3)
    ├── FindingsError             --strict (or a caller) made findings fatal; carries them (exit 1)
    ├── VersionChangeError        the model holds what the target version cannot (exit 1)
    ├── WriteError                the output could not be written; nothing was left behind (exit 4)
    └── ClusterError              a cluster a batch was sent to could not be used (exit 5)

Readers raise only for input that cannot be represented; problems a model can carry are
reported as :class:`~aas.findings.Finding` objects instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from aas.findings import Finding, Location


class AasError(Exception):
    """Base of every error this toolkit raises on purpose."""

    exit_code = 1
    #: The rule id a finding made of this error carries (see ``aas.validate``).
    default_rule = "aas:error"

    def __init__(
        self, message: str, location: Location | None = None, rule: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()
        self.rule = rule or self.default_rule

    def __str__(self) -> str:
        where = str(self.location)
        return f"{where}: {self.message}" if where else self.message


class UsageError(AasError):
    exit_code = 2


class FormatDetectionError(UsageError):
    pass


class ReadError(AasError):
    exit_code = 3
    default_rule = "input:unreadable"


class PackageError(ReadError):
    default_rule = "aasx:broken-package"


class WriteError(AasError):
    exit_code = 4


class ClusterError(AasError):
    """The cluster a batch was sent to (``--executor dask``) cannot be reached or used: no
    scheduler at the address, a worker without this toolkit. Exit 5, as a worker process that
    died in a local batch."""

    exit_code = 5


class VersionChangeError(AasError):
    """The model holds something the target metamodel version has no place for."""

    exit_code = 1


class FindingsError(AasError):
    """Raised when findings were made fatal (``strict=True``)."""

    exit_code = 1

    def __init__(self, message: str, findings: Sequence[Finding]) -> None:
        super().__init__(message)
        self.findings = tuple(findings)

    def __reduce__(self) -> tuple[object, ...]:
        # Exceptions unpickle by calling the class with ``self.args`` (the message alone), which
        # this one cannot take; ``aas convert --jobs`` sends it from a worker process.
        return (type(self), (self.message, self.findings), self.__dict__)


def too_deep(
    what: str, doing: str, file: str | None, rule: str = "input:nesting-depth"
) -> ReadError:
    """The error for a model or document deeper than Python's recursion follows: ``what``
    ("the model", "the JSON") could not be ``doing`` ("read", "checked"). Only possible when
    AAS_MAX_NESTING_DEPTH was raised that far, so it says to lower it."""
    return ReadError(
        f"{what} nests too deeply to be {doing} (beyond Python's recursion limit; "
        "lower AAS_MAX_NESTING_DEPTH)",
        Location(file=file),
        rule=rule,
    )


def too_deep_to_write(file: str | None) -> WriteError:
    """A writer went deeper than Python's recursion follows; nothing was left behind."""
    return WriteError(
        "the model nests too deeply to be written (beyond Python's recursion limit)",
        Location(file=file),
    )
