"""The library API: ``load``, ``dump``, ``save`` and ``convert``.

The data flow is the same for every format: source -> format detection -> the read pipeline
(:mod:`aas.pipeline`: parse, build, checks, each finding located) -> model -> (version change)
-> writer -> atomic write. Every call returns an object with ``.findings``: ``load`` the
:class:`~aas.model.Model`, ``dump`` :class:`Dumped`, ``save`` :class:`Written`, ``convert``
:class:`ConversionResult` (and ``aas.validate`` its report).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from aas.atomic import atomic_output
from aas.codec import ALL_CHECKS, Check, ReadContext, Template, WriteContext
from aas.errors import FindingsError, UsageError
from aas.findings import Finding, Severity
from aas.formats import Format, detect_input, detect_output
from aas.gcpause import collector_paused
from aas.metamodel.jsonbuild import shared as references_shared
from aas.metamodel.jsonbuild import sharing
from aas.model import Model
from aas.pipeline import Input, Reading, Source, Target, read, read_input
from aas.places import is_url
from aas.rdfids import DEFAULT_BASE, check_base
from aas.report import failing
from aas.version_change import change_version
from aas.versions import Version, VersionLike, as_read_version, as_version
from aas.wording import counted

if TYPE_CHECKING:
    from aas.checks.schemas import Schemas

_SNIFF_BYTES = 4096

#: What ``load`` checks: the metamodel's constraints (``validate`` checks every layer).
LOAD_CHECKS: frozenset[Check] = frozenset({Check.CONSTRAINTS})


@collector_paused
def load(
    source: Source,
    *,
    format: str | None = None,
    version: VersionLike = None,
    model_type: str | None = None,
    verify: bool = True,
    template: Source | Model | Template | None = None,
    submodel: str | None = None,
    submodel_id: str | None = None,
) -> Model:
    """Read a model from a path, bytes or a binary stream.

    ``model.findings`` holds what reading noticed and, unless ``verify`` is false, every
    metamodel constraint the model breaks, each located (line and column where the format has
    them). Raises :class:`~aas.errors.ReadError` only for input that cannot be represented as
    a model at all.

    Value-only JSON (``format="value"``) is read with its submodel ``template`` (a model, or
    where to read one from): ``submodel`` names the template's submodel when it holds several,
    ``submodel_id`` the id the rebuilt submodel gets (else the template's).
    """
    given = read_input(source)
    checks = LOAD_CHECKS if verify else frozenset()
    chosen = as_template(template, submodel, submodel_id)
    return read_as(given, format, version, model_type, checks, template=chosen).built()


def as_template(
    template: Source | Model | Template | None, submodel: str | None, submodel_id: str | None
) -> Template | None:
    """The template a values-only format is read with: a model as it is, else read (a path,
    bytes or a stream, in any format) without checking it, since only its structure is used."""
    if template is None or isinstance(template, Template):
        return template
    model = template if isinstance(template, Model) else load(template, verify=False)
    return Template(model, submodel, submodel_id)


def read_as(
    given: Input,
    format: str | None,
    version: VersionLike,
    model_type: str | None,
    checks: frozenset[Check],
    schemas: Schemas | None = None,
    upgrade_to: Version | None = None,
    template: Template | None = None,
) -> Reading:
    """``given`` through the read pipeline, its format told by ``format``, its name or its
    content, checked as ``checks`` say (with the caller's ``schemas``). ``version`` may name
    V2 ("2.0"): the input is then read as V2.0.1 and upgraded (to ``upgrade_to``, else V3.1)."""
    wanted, v2 = as_read_version(version)
    fmt = detect_input(format, given.named_as, given.data[:_SNIFF_BYTES])
    context = ReadContext(given.name, wanted, model_type, checks, schemas, v2, upgrade_to, template)
    return read(given, fmt, context)


@dataclass
class Dumped:
    """A model written as bytes, and what the format could not carry."""

    data: bytes
    format: str
    findings: list[Finding] = field(default_factory=list)


@collector_paused
def dump(
    model: Model,
    format: str,
    *,
    rdf_order: bool = True,
    rdf_base: str = DEFAULT_BASE,
    submodel: str | None = None,
) -> Dumped:
    """The model in ``format`` as bytes (``.data``), with findings about what the format
    cannot carry (``.findings``).

    ``rdf_order=False`` leaves out the project's order annotations in RDF (strictly official
    output); ``rdf_base`` is what RDF appends ids that are no absolute IRI to. ``submodel``
    (an id or idShort) picks the one submodel value-only JSON (``"value"``) is written of;
    without it every submodel's values are written, by submodel id."""
    context = WriteContext(rdf_order=rdf_order, rdf_base=check_base(rdf_base), submodel=submodel)
    fmt = detect_output(format, None)
    buffer = io.BytesIO()
    fmt.codec.write(model, buffer, context)
    return Dumped(buffer.getvalue(), fmt.name, context.findings)


@dataclass
class Written:
    """Where a model was written, in which format, and what the format could not carry."""

    target: str | None
    format: str
    findings: list[Finding] = field(default_factory=list)


@collector_paused
def save(
    model: Model,
    target: Target,
    *,
    format: str | None = None,
    rdf_order: bool = True,
    rdf_base: str = DEFAULT_BASE,
    submodel: str | None = None,
) -> Written:
    """Write ``model`` to a path (atomically) or a binary stream.

    The result's ``findings`` say what the format could not carry. ``submodel`` is as for
    :func:`dump`.
    """
    name = str(target) if isinstance(target, str | os.PathLike) else None
    fmt = detect_output(format, name)
    context = WriteContext(
        target=name, rdf_order=rdf_order, rdf_base=check_base(rdf_base), submodel=submodel
    )
    _write(fmt, model, target, context)
    return Written(name, fmt.name, context.findings)


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
    #: The version the input was written in when it was upgraded on reading ("2.0.1"; then
    #: ``source_version`` is the version it was upgraded to); None for a V3 input.
    upgraded_from: str | None = None

    @property
    def source_written_in(self) -> str:
        """The version the input was written in, as a person reads it ("2.0.1", "3.0")."""
        return self.upgraded_from or str(self.source_version)


@collector_paused
def convert(
    source: Source,
    target: Target,
    *,
    from_format: str | None = None,
    to_format: str | None = None,
    version: VersionLike = None,
    to_version: VersionLike = None,
    model_type: str | None = None,
    strict: bool = False,
    rdf_order: bool = True,
    rdf_base: str = DEFAULT_BASE,
    template: Source | Model | Template | None = None,
    submodel: str | None = None,
    submodel_id: str | None = None,
) -> ConversionResult:
    """Convert ``source`` into ``target``.

    Problems the model can carry come back as findings and the output is written anyway.
    With ``strict=True`` the input is judged as :func:`aas.validate` judges it (every layer,
    the schema included) and any error raises :class:`~aas.errors.FindingsError` with nothing
    written: ``convert --strict`` refuses exactly what ``validate`` fails. Converting a file
    onto itself is refused.

    Value-only JSON: ``to_format="value"`` writes the values of the submodel ``submodel``
    names (else of every submodel, by id); ``from_format="value"`` reads values with their
    ``template`` (see :func:`load`, which takes ``submodel`` and ``submodel_id`` the same way).
    """
    target_name = str(target) if isinstance(target, str | os.PathLike) else None
    target_fmt = detect_output(to_format, target_name)
    check_base(rdf_base)
    if isinstance(source, str | os.PathLike) and isinstance(target, str | os.PathLike):
        _refuse_same_file(_place(source), _place(target))

    wanted = as_version(to_version)
    chosen = as_template(template, submodel, submodel_id)
    # Mapped: the input is let go (below) before anything else could change the file.
    given = read_input(source, mapped=True)
    # --strict reads as validate does (every layer, the schema included), and refuses what
    # validate fails; else as load does. A V2 input is upgraded to the version asked for.
    checks = ALL_CHECKS if strict else LOAD_CHECKS
    # The model is the conversion's alone (written, then let go): equal References in it may
    # be one instance, which saves memory and time (see aas.metamodel.jsonbuild.sharing).
    with sharing():
        reading = read_as(
            given, from_format, version, model_type, checks, upgrade_to=wanted, template=chosen
        )
        shared = references_shared()
    del given  # the input's bytes are no longer needed: keep peak memory down
    model = reading.built()
    source_format = model.format or ""
    del reading  # and neither is the document (its text, a tree the schema needed)
    if strict:
        _refuse_errors(model.findings, "the input")
    source_version, upgraded_from = model.version, model.upgraded_from
    findings = list(model.findings)

    if wanted is not None and wanted != model.version:
        model, version_findings = change_version(model, wanted)
        findings.extend(version_findings)
        shared = False  # a model made anew

    if strict:  # what the version change broke (the input itself passed above)
        _refuse_errors(findings, f"the model under V{model.version}")

    context = WriteContext(
        target=target_name,
        rdf_order=rdf_order,
        rdf_base=rdf_base,
        submodel=submodel,
        shared=shared,
    )
    _write(target_fmt, model, target, context)
    findings.extend(context.findings)
    return ConversionResult(
        source_format, target_fmt.name, source_version, model.version, findings, upgraded_from
    )


def _refuse_errors(findings: list[Finding], what: str) -> None:
    fatal = failing(findings, Severity.ERROR)
    if fatal:
        raise FindingsError(
            f"{counted(len(fatal), 'error')} in {what}; nothing written (--strict)", fatal
        )


def _place(name: str | os.PathLike[str]) -> Path | str:
    return str(name) if is_url(name) else Path(name)


def _refuse_same_file(source: Path | str, target: Path | str) -> None:
    same = False
    if isinstance(source, str) or isinstance(target, str):  # a URL: by its name
        same = source == target
    elif source.exists() and target.exists():
        same = os.path.samefile(source, target)
    else:
        same = source.resolve() == target.resolve()
    if same:
        raise UsageError(
            f"the output {str(target)!r} is the input; the input is never modified, "
            "so write the result to another file"
        )
