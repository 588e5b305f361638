"""The format interface: what every format (a class under ``aas.converters``) implements,
and what it is given.

Reading is two stages. ``parse`` turns bytes into a :class:`Document` (the text, the parsed
tree, and how to locate a finding in them); ``build`` turns the document into a
:class:`~aas.model.Model`. The hooks ``check_schema`` and ``check_package`` are optional: a
format without a schema or a package keeps the defaults, which say the check does not apply.
The one pipeline that runs these stages for ``load``, ``validate`` and ``convert`` is
:func:`aas.pipeline.read`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, BinaryIO, Generic, Literal, TypeVar

from aas.defects import pointer_targets
from aas.errors import FindingsError
from aas.findings import Finding, Location, Severity
from aas.model import Model
from aas.rdfids import DEFAULT_BASE
from aas.versions import Version
from aas.wording import counted

if TYPE_CHECKING:
    from aas.checks.schemas import Schemas


class Check(StrEnum):
    """The layers a reading checks beside building the model (``aas validate --checks``)."""

    SCHEMA = "schema"
    CONSTRAINTS = "constraints"
    REFERENCES = "references"
    PACKAGE = "package"


ALL_CHECKS: frozenset[Check] = frozenset(Check)

#: How findings point into a model: JSON pointers ("json") or XPaths ("xml").
Style = Literal["json", "xml"]


@dataclass
class ReadContext:
    """What a reader knows besides the bytes."""

    #: A name for the input in messages (a path, or "<stdin>").
    source: str | None = None
    #: The version the caller asked for; readers of self-describing formats check it. The
    #: schema hook is given the version the model was read as here.
    version: Version | None = None
    #: The class of a lone instance, by its metamodel name ("Submodel"); None for "detect".
    model_type: str | None = None
    #: What the reading checks beside building. A format may prepare for them while it
    #: reads (JSON checks each identifiable's schema while it has it, XML keeps the tree the
    #: schema needs, AASX checks each spec part's constraints), so nothing is read twice.
    checks: frozenset[Check] = frozenset()
    #: Schemas the caller brought (``--schema``); the project's own where None.
    schemas: Schemas | None = None
    #: The caller said the input is V2.0.1 (``--aas-version 2.0``): read it as V2 and upgrade.
    v2: bool = False
    #: The version a V2 input is upgraded to (V3.1 where None).
    upgrade_to: Version | None = None
    #: The submodel template a format that holds values only (value-only JSON) rebuilds the
    #: model from; None for the formats that hold whole models.
    template: Template | None = None


@dataclass(frozen=True)
class Template:
    """A submodel template, for reading a format that holds only values (value-only JSON):
    the template gives the structure, semantics and value types the values go into."""

    #: The model the template was read from (an Environment with its submodel, usually).
    model: Model
    #: Which of its submodels is the template (its id, or its idShort); None for its only one.
    submodel: str | None = None
    #: The id a submodel rebuilt from values gets when the values do not name one; None for
    #: the template's own id.
    submodel_id: str | None = None


TreeT = TypeVar("TreeT")


class Document(ABC, Generic[TreeT]):
    """An input parsed as far as its format parses before building: the text, the tree (a
    JSON value, an lxml element, an RDF graph, a package's parts) and how findings about
    it are located.

    ``findings`` holds what parsing noticed (a byte order mark, a key held twice, a damaged
    relationship), whether or not a model is built from the document afterwards."""

    #: How findings about the model read from this document point into it.
    style: Style = "json"

    def __init__(self, text: bytes, source: str | None) -> None:
        self.text = text
        self.source = source
        self.findings: list[Finding] = []

    @property
    @abstractmethod
    def tree(self) -> TreeT:
        """The parsed document (formats that read in pieces parse it whole only when asked)."""

    def locate(self, location: Location) -> Location:
        """``location`` with the line (and column) of what it points at, where known."""
        return location

    def prepare(self, findings: Sequence[Finding]) -> None:
        """Get ready to locate and tell apart ``findings`` (see :meth:`locate`, :meth:`targets`)
        at once: a format that finds places by reading the text again does it in one pass."""

    def locate_all(self, findings: Sequence[Finding]) -> list[Finding]:
        """Every finding located (see :meth:`locate`); formats that find positions by
        scanning the text override this to scan once."""
        located: list[Finding] = []
        for finding in findings:
            where = self.locate(finding.location)
            changed = where != finding.location
            located.append(replace(finding, location=where) if changed else finding)
        return located

    def targets(self, finding: Finding) -> list[Hashable]:
        """Where in the document a finding's defect is, for telling two reports of one
        defect (see :func:`aas.defects.merge`): JSON pointers unless the format says better."""
        return pointer_targets(finding)


DocumentT = TypeVar("DocumentT", bound="Document[Any]")


class Codec(ABC, Generic[DocumentT]):
    """A format: two stages of reading, optional checks, and writing."""

    #: Whether ``parse`` takes a read-only ``mmap.mmap`` of a file for ``data`` (see
    #: ``aas.pipeline.read_input``); a format that does not gets the file's bytes.
    reads_mapped: bool = False

    @abstractmethod
    def parse(self, data: bytes, context: ReadContext) -> DocumentT:
        """The document in ``data``; a ReadError only for input that is no document of the
        format at all (not well-formed, hostile). A format may defer parsing to ``build``
        (JSON reads an Environment in pieces, XML streams), which then raises it."""

    @abstractmethod
    def build(self, document: DocumentT, context: ReadContext) -> Model:
        """The model in a parsed document, with what building noticed in ``Model.findings``
        (what parsing noticed stays in ``document.findings``); a ReadError (with its rule)
        when no model can be built from it."""

    def check_schema(self, document: DocumentT, context: ReadContext) -> list[Finding] | None:
        """What the format's schema finds in the document, for the version in ``context``
        (the one the model was read as, else the caller's); ``context.schemas`` are the
        caller's. None when no schema applies (the layer did not run)."""
        return None

    def check_package(self, model: Model) -> list[Finding] | None:
        """What is wrong with the package the model came in; None for a format without
        packages."""
        return None

    @abstractmethod
    def write(self, model: Model, stream: BinaryIO, context: WriteContext) -> None:
        """The model in this format; what the format cannot carry is added to
        ``context.findings``."""


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
    #: Formats that write one submodel (value-only JSON): which one (its id, or its idShort);
    #: None for every submodel.
    submodel: str | None = None
    #: Equal References in the model are one instance (``aas.convert``'s model, read under
    #: ``aas.metamodel.jsonbuild.sharing``): a writer may make the text of each once.
    shared: bool = False


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
            f"{format_name} holds only the model: {counted(len(files), 'package file')} "
            f"{'is' if len(files) == 1 else 'are'} not carried over ({names}{more}); "
            "convert to AASX to keep them",
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
