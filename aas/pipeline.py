"""The one read pipeline: ``load``, ``validate`` and ``convert`` all read through here.

Where a model comes from (a path, bytes or a binary stream, read into bytes with a name for
messages), then the stages every format goes through (see :class:`aas.codec.Codec`)::

    parse -> build -> schema (asked) -> constraints -> references, package (asked)
          -> each defect once (aas.defects) -> each finding located by the document

``load`` asks for the constraints (or nothing), ``validate`` for every check; nothing else
differs, so both report the same findings at the same places, with lines and columns.
"""

from __future__ import annotations

import mmap
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, cast

from aas.checks.constraints import findings_file, instance_findings, unique_ids
from aas.checks.references import check_references
from aas.codec import Check, Codec, Document, ReadContext
from aas.defects import merge
from aas.errors import AasError, ReadError, UsageError, too_deep
from aas.findings import Finding, Location, Severity
from aas.formats import Format
from aas.gzipped import gunzip, inner_name, is_gzip
from aas.model import Model
from aas.places import is_url, read_bytes

Source = str | os.PathLike[str] | bytes | BinaryIO
Target = str | os.PathLike[str] | BinaryIO


@dataclass
class Input:
    """The bytes of a source and how to name it in messages: the file mapped into memory
    read-only when the caller asked for that (see :func:`read_input`)."""

    data: bytes | mmap.mmap
    name: str | None
    path: Path | None
    #: Whether ``data`` was decompressed from gzip (``name`` is then the compressed file's).
    gzipped: bool = False

    @property
    def named_as(self) -> str | None:
        """The name whose suffix tells the format: ``m.json`` for ``m.json.gz``."""
        return inner_name(self.name) if self.gzipped else self.name


#: Files from this size on are mapped when the caller asks for it (smaller ones are read).
MAP_FROM_BYTES = 1 << 20


def read_input(source: Source, mapped: bool = False) -> Input:
    """The bytes of ``source``, decompressed when they are gzip's (see :mod:`aas.gzipped`).

    With ``mapped``, a local file of at least ``MAP_FROM_BYTES`` is mapped into memory instead
    of read: a format that reads it in pieces (JSON) then lets the pages it has read go, so the
    whole text and the whole model are never in memory at once. Only for a caller that lets the
    Input go before the file might change (``convert``)."""
    given = _read_input(source, mapped)
    if is_gzip(given.data):
        return replace(given, data=gunzip(bytes(given.data[:]), given.name), gzipped=True)
    return given


def _read_input(source: Source, mapped: bool) -> Input:
    if isinstance(source, bytes | bytearray | memoryview):
        return Input(bytes(source), None, None)
    if isinstance(source, str) and is_url(source):  # s3://, file://, ... (fsspec)
        return Input(read_bytes(source), source, None)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            if mapped:
                mapping = _mapped(path)
                if mapping is not None:
                    return Input(mapping, str(source), path)
            return Input(path.read_bytes(), str(source), path)
        except FileNotFoundError:
            raise ReadError("no such file", Location(file=str(source))) from None
        except IsADirectoryError:
            raise ReadError("is a folder, not a file", Location(file=str(source))) from None
        except OSError as error:
            raise ReadError(
                f"cannot read: {error.strerror or error}", Location(file=str(source))
            ) from None
    name = getattr(source, "name", None)
    data = source.read()
    if not isinstance(data, bytes | bytearray):
        raise UsageError("a model is read from a binary stream (open the file with 'rb')")
    return Input(bytes(data), name if isinstance(name, str) else None, None)


def _mapped(path: Path) -> mmap.mmap | None:
    """A read-only mapping of a regular file of at least ``MAP_FROM_BYTES``, else None."""
    with open(path, "rb") as file:
        status = os.fstat(file.fileno())
        if not os.path.isfile(path) or status.st_size < MAP_FROM_BYTES:
            return None
        try:
            return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # a file system that maps nothing: read it
            return None


@dataclass
class Reading:
    """What reading an input gave: the model (None when none can be built), every finding
    (each defect once, located), the document, and which checks ran."""

    format: str
    model: Model | None
    findings: list[Finding]
    document: Document[Any] | None
    #: The checks that ran (a schema or package check runs only where one applies).
    ran: frozenset[Check]
    #: Why there is no model: the reader's own error (``load`` raises it).
    error: ReadError | None = None

    def built(self) -> Model:
        """The model; the reader's error when none could be built, located as ``validate``
        locates it (with the line and column the document knows)."""
        if self.model is None:
            error = self.error or ReadError("no model could be read", Location())
            if self.document is not None:
                error.location = self.document.locate(error.location)
            raise error
        return self.model


def finding_of(error: AasError) -> Finding:
    return Finding(Severity.ERROR, error.rule, error.message, error.location)


def read(given: Input, fmt: Format, context: ReadContext) -> Reading:
    """Read ``given`` as ``fmt``, checking what ``context.checks`` asks for."""
    codec: Codec[Any] = fmt.codec
    data = given.data
    if isinstance(data, mmap.mmap) and not codec.reads_mapped:
        data = data[:]
    try:
        # A mapping goes only to a codec that takes one (typed as the bytes it stands for).
        document = codec.parse(cast(bytes, data), context)
    except ReadError as error:
        return Reading(fmt.name, None, [finding_of(error)], None, frozenset(), error)
    except RecursionError:  # only when AAS_MAX_NESTING_DEPTH was raised beyond what Python follows
        deep = too_deep("the model", "read", given.name)
        return Reading(fmt.name, None, [finding_of(deep)], None, frozenset(), deep)

    ran: set[Check] = set()
    model: Model | None = None
    failure: ReadError | None = None
    try:
        model = codec.build(document, context)
        model.format = fmt.name
    except ReadError as error:
        failure = error
    except RecursionError:
        failure = too_deep("the model", "read", given.name)

    schema: list[Finding] = []
    if Check.SCHEMA in context.checks:
        # The schema of the version the model was read as (JSON names none).
        version = model.version if model is not None else context.version
        try:
            found = codec.check_schema(document, replace(context, version=version))
        except ReadError:
            found = None  # not well-formed: building the model said so
        except RecursionError:
            found, failure, model = None, _too_deep(given.name), None
        if found is not None:
            ran.add(Check.SCHEMA)
            schema = found

    findings = [*document.findings, *schema]
    if model is not None:
        findings.extend(model.findings)
        try:
            checked = _check(model, document, context.checks, codec, ran, given.name)
            if model.judge is not None:  # upgraded: the older version's rules were not V3's
                checked = [model.judge(f) for f in checked]
                model.judge = None
            if model.relocate is not None:  # upgraded: the checks saw the model, not the input
                checked = [replace(f, location=model.relocate(f.location)) for f in checked]
                model.relocate = None
            findings.extend(checked)
        except RecursionError:  # no model that deep can be checked: none is given
            failure, model = _too_deep(given.name), None
    if failure is not None:
        # The reader's error, once (a package reports its parts' errors as it reads them).
        first = finding_of(failure)
        if first not in findings:
            findings.append(first)
    document.prepare(findings)
    settled = document.locate_all(merge(findings, document.targets))
    if model is not None:
        model.findings = settled
        model.checked.clear()
    return Reading(fmt.name, model, settled, document, frozenset(ran), failure)


def _too_deep(name: str | None) -> ReadError:
    return too_deep("the model", "checked", name)


def _check(
    model: Model,
    document: Document[Any],
    checks: frozenset[Check],
    codec: Codec[Any],
    ran: set[Check],
    name: str | None,
) -> list[Finding]:
    """What the checks asked for find in a model that was built."""
    found: list[Finding] = []
    if Check.CONSTRAINTS in checks:
        ran.add(Check.CONSTRAINTS)
        found.extend(instance_findings(model, document.style))
        # Over the whole model (every spec part of a package): ids are global.
        found.extend(unique_ids(model, document.style, findings_file(model)))
    if Check.REFERENCES in checks:
        ran.add(Check.REFERENCES)
        try:
            found.extend(check_references(model, document.style))
        except RecursionError:
            found.append(finding_of(_too_deep(name)))
    if Check.PACKAGE in checks:
        package = codec.check_package(model)
        if package is not None:
            ran.add(Check.PACKAGE)
            found.extend(package)
    return found
