"""What a format plugin (a module under ``aas.converters``) provides, and what it is given."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import BinaryIO, Protocol

from aas.errors import FindingsError
from aas.findings import Finding, Location, Severity
from aas.model import Model
from aas.rdfids import DEFAULT_BASE
from aas.versions import Version


@dataclass
class ReadContext:
    """What a reader knows besides the bytes."""

    #: A name for the input in messages (a path, or "<stdin>").
    source: str | None = None
    #: The version the caller asked for; readers of self-describing formats check it.
    version: Version | None = None
    #: The class of a lone instance, by its metamodel name ("Submodel"); None for "detect".
    model_type: str | None = None


@dataclass
class WriteContext:
    """What a writer knows besides the model; it appends what it cannot carry to ``findings``."""

    target: str | None = None
    findings: list[Finding] = field(default_factory=list)
    #: RDF: annotate the position of list items (see ``aas.converters.rdf.mapping``); off
    #: for strictly official output.
    rdf_order: bool = True
    #: RDF: what ids that are no absolute IRI are appended to (see ``aas.rdfids``).
    rdf_base: str = DEFAULT_BASE


def report_package_not_carried(model: Model, context: WriteContext, format_name: str) -> None:
    """A format without packages cannot hold an AASX's files: say so, name them."""
    if model.package is None:
        return
    files = model.package.all_files()
    if model.package.core_properties is not None:
        files.append(model.package.core_properties)
    if not files:
        return
    names = ", ".join(part.name for part in files[:5])
    more = f" and {len(files) - 5} more" if len(files) > 5 else ""
    context.findings.append(
        Finding(
            Severity.WARNING,
            "aas:package-files-not-carried",
            f"{format_name} holds only the model: {len(files)} package file(s) are not "
            f"carried over ({names}{more}); convert to AASX to keep them",
            Location(file=context.target),
        )
    )


def unrepresentable(
    rule: str, format_name: str, text: str, character: str, target: str | None, why: str
) -> FindingsError:
    """The error that stops a writer at a character its format cannot hold; nothing is
    written. ``why`` ends the message (what else could hold it, say)."""
    shown = text if len(text) <= 60 else text[:57] + "..."
    finding = Finding(
        Severity.ERROR,
        rule,
        f"the value {shown!r} holds U+{ord(character):04X}, which {why}; nothing was written",
        Location(file=target),
    )
    return FindingsError(
        f"the model cannot be written as {format_name}: {finding.message}", [finding]
    )


class Codec(Protocol):
    def read(self, data: bytes, context: ReadContext) -> Model: ...

    def write(self, model: Model, stream: BinaryIO, context: WriteContext) -> None: ...
