"""The library API: ``load``, ``dump``, ``save`` and ``convert``.

The data flow is the same for every format: source -> format detection -> reader ->
model -> metamodel checks -> (version change) -> writer -> atomic write.
"""

from __future__ import annotations

import importlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from aas.atomic import atomic_output
from aas.checks.constraints import verify_model
from aas.codec import ReadContext, WriteContext
from aas.errors import FindingsError, ReadError, UsageError, too_deep
from aas.findings import Finding, Severity
from aas.formats import Format, detect_input, detect_output
from aas.gcpause import collector_paused
from aas.model import Model
from aas.pipeline import Input, Source, Target, read_input
from aas.rdfids import DEFAULT_BASE, check_base
from aas.version_change import change_version
from aas.versions import Version, as_version

_SNIFF_BYTES = 4096


@collector_paused
def load(
    source: Source,
    *,
    format: str | None = None,
    version: str | Version | None = None,
    model_type: str | None = None,
    verify: bool = True,
) -> Model:
    """Read a model from a path, bytes or a binary stream.

    ``model.findings`` holds what reading noticed and, unless ``verify`` is false, every
    metamodel constraint the model breaks. Raises :class:`~aas.errors.ReadError` only for
    input that cannot be represented as a model at all.
    """
    given = read_input(source)
    return _load(given, format, as_version(version), model_type, verify)


def _load(
    given: Input, format: str | None, version: Version | None, model_type: str | None, verify: bool
) -> Model:
    fmt = detect_input(format, given.name, given.data[:_SNIFF_BYTES])
    context = ReadContext(source=given.name, version=version, model_type=model_type)
    try:
        model = fmt.codec.read(given.data, context)
        model.format = fmt.name
        if verify:
            model.findings.extend(verify_model(model))
        model.checked.clear()
        if fmt.name == "json":  # what reading and checking found, with lines and columns
            positions = importlib.import_module("aas.converters.json.positions")
            model.findings = positions.with_positions(model.findings, given.data)
    except RecursionError:  # only when AAS_MAX_NESTING_DEPTH was raised beyond what Python follows
        raise too_deep("the model", "read", given.name) from None
    return model


@collector_paused
def dump(
    model: Model,
    format: str,
    *,
    findings: list[Finding] | None = None,
    rdf_order: bool = True,
    rdf_base: str = DEFAULT_BASE,
) -> bytes:
    """The model in ``format`` as bytes; what the format cannot carry is added to ``findings``.

    ``rdf_order=False`` leaves out the project's order annotations in RDF (strictly official
    output); ``rdf_base`` is what RDF appends ids that are no absolute IRI to."""
    context = WriteContext(
        findings=findings if findings is not None else [],
        rdf_order=rdf_order,
        rdf_base=check_base(rdf_base),
    )
    buffer = io.BytesIO()
    detect_output(format, None).codec.write(model, buffer, context)
    return buffer.getvalue()


@collector_paused
def save(
    model: Model,
    target: Target,
    *,
    format: str | None = None,
    rdf_order: bool = True,
    rdf_base: str = DEFAULT_BASE,
) -> list[Finding]:
    """Write ``model`` to a path (atomically) or a binary stream.

    Returns the findings about what the format could not carry.
    """
    name = str(target) if isinstance(target, str | os.PathLike) else None
    fmt = detect_output(format, name)
    context = WriteContext(target=name, rdf_order=rdf_order, rdf_base=check_base(rdf_base))
    _write(fmt, model, target, context)
    return context.findings


def _write(fmt: Format, model: Model, target: Target, context: WriteContext) -> None:
    if isinstance(target, str | os.PathLike):
        with atomic_output(target) as stream:
            fmt.codec.write(model, stream, context)
    else:
        fmt.codec.write(model, target, context)


@dataclass
class ConversionResult:
    """What a conversion read, wrote and found."""

    source_format: str
    target_format: str
    source_version: Version
    target_version: Version
    findings: list[Finding] = field(default_factory=list)


@collector_paused
def convert(
    source: Source,
    target: Target,
    *,
    from_format: str | None = None,
    to_format: str | None = None,
    version: str | Version | None = None,
    to_version: str | Version | None = None,
    model_type: str | None = None,
    strict: bool = False,
    rdf_order: bool = True,
    rdf_base: str = DEFAULT_BASE,
) -> ConversionResult:
    """Convert ``source`` into ``target``.

    Problems the model can carry come back as findings and the output is written anyway.
    With ``strict=True`` the input is judged as :func:`aas.validate` judges it (every layer,
    the schema included) and any error raises :class:`~aas.errors.FindingsError` with nothing
    written: ``convert --strict`` refuses exactly what ``validate`` fails. Converting a file
    onto itself is refused.
    """
    target_name = str(target) if isinstance(target, str | os.PathLike) else None
    target_fmt = detect_output(to_format, target_name)
    check_base(rdf_base)
    if isinstance(source, str | os.PathLike) and isinstance(target, str | os.PathLike):
        _refuse_same_file(Path(source), Path(target))

    given = read_input(source)
    source_fmt = detect_input(from_format, given.name, given.data[:_SNIFF_BYTES])
    wanted_version = as_version(version)
    if strict:
        model = _judged(given, source_fmt.name, wanted_version, model_type)
    else:
        model = _load(given, source_fmt.name, wanted_version, model_type, verify=True)
    del given  # the input's bytes are no longer needed: keep peak memory down
    source_version = model.version
    findings = list(model.findings)

    wanted = as_version(to_version)
    if wanted is not None and wanted != model.version:
        model, version_findings = change_version(model, wanted)
        findings.extend(version_findings)

    if strict:  # what the version change broke (the input itself passed _judged)
        _refuse_errors(findings, f"the model under V{model.version}")

    context = WriteContext(target=target_name, rdf_order=rdf_order, rdf_base=rdf_base)
    _write(target_fmt, model, target, context)
    findings.extend(context.findings)
    return ConversionResult(
        source_fmt.name, target_fmt.name, source_version, model.version, findings
    )


def _judged(
    given: Input, format_name: str, version: Version | None, model_type: str | None
) -> Model:
    """The model of an input that ``validate`` passes (every layer, default threshold); a
    FindingsError with the errors of one it fails, the reader's own ReadError for one it
    calls unreadable (as without ``strict``)."""
    from aas.report import failing
    from aas.validation import judge_input  # validation builds on this module

    report, model = judge_input(given, format_name, version, model_type)
    if model is None:
        # Unreadable: refused as a tolerant conversion refuses it, with the reader's error.
        _load(given, format_name, version, model_type, verify=False)
        first = failing(report.findings, Severity.ERROR)[0]
        raise ReadError(first.message, first.location, rule=first.rule)
    _refuse_errors(report.findings, "the input")
    model.findings = list(report.findings)
    return model


def _refuse_errors(findings: list[Finding], what: str) -> None:
    from aas.report import failing

    fatal = failing(findings, Severity.ERROR)
    if fatal:
        raise FindingsError(f"{len(fatal)} error(s) in {what}; nothing written (--strict)", fatal)


def _refuse_same_file(source: Path, target: Path) -> None:
    same = False
    if source.exists() and target.exists():
        same = os.path.samefile(source, target)
    else:
        same = source.resolve() == target.resolve()
    if same:
        raise UsageError(
            f"the output {str(target)!r} is the input; the input is never modified, "
            "so write the result to another file"
        )
