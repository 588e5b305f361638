"""``validate``: every problem in an input, from all layers, in one report.

The layers, all reported together: well-formedness (JSON or XML syntax, hostile content),
schema (a JSON Schema, XSD or SHACL shapes), the model itself (what aas-core cannot build from
the document), metamodel constraints (every AASd/AASc rule aas-core checks), model references
that must resolve, and for AASX the packaging. A model that breaks rules is still read as far
as it can be, so one run finds everything. It is the read pipeline ``load`` runs
(:mod:`aas.pipeline`), with every check asked for.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from aas.api import read_as
from aas.checks.schemas import load_schemas
from aas.codec import ALL_CHECKS, Check
from aas.errors import ReadError
from aas.gcpause import collector_paused
from aas.pipeline import Reading, Source, finding_of, read_input
from aas.report import Report
from aas.versions import VersionLike, as_read_version

__all__ = ["ALL_CHECKS", "Check", "report_of", "validate"]


@collector_paused
def validate(
    source: Source,
    *,
    format: str | None = None,
    version: VersionLike = None,
    model_type: str | None = None,
    checks: Iterable[Check | str] | None = None,
    schemas: Sequence[str | os.PathLike[str]] = (),
) -> Report:
    """Check ``source`` (a path, bytes or binary stream) and return its report.

    ``checks`` picks layers (default: all); ``schemas`` are JSON Schema (``.json``), XSD
    (``.xsd``) and SHACL (``.ttl``, for RDF input) files to validate with. An input from
    which no model can be built (missing, not well-formed, hostile, or a document aas-core
    cannot build a model from) gives a report with ``readable=False`` that still lists every
    problem found; a wrong call (unknown format, version or model type) raises UsageError.
    """
    chosen = ALL_CHECKS if checks is None else frozenset(Check(str(c)) for c in checks)
    theirs = load_schemas(schemas)
    as_read_version(version)  # a wrong version is a wrong call, before the input is read
    name = str(source) if isinstance(source, str | os.PathLike) else getattr(source, "name", None)
    try:
        given = read_input(source)
    except ReadError as error:
        return Report(name, [finding_of(error)], readable=False)
    reading = read_as(given, format, version, model_type, chosen, theirs)
    return report_of(reading, given.name, model_type)


def report_of(reading: Reading, source: str | None, model_type: str | None) -> Report:
    """The report of a reading: an input from which no model can be built is unreadable (what
    ``convert`` cannot convert either, exit 3), with every problem the layers found."""
    model = reading.model
    report = Report(
        source,
        reading.findings,
        format=reading.format,
        model_type=model_type,
        readable=model is not None,
        checks=tuple(sorted(reading.ran)),
    )
    if model is not None:
        report.version = str(model.version)
        report.upgraded_from = model.upgraded_from
        report.model_type = model.class_name
    return report
