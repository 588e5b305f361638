"""The in-memory model: one wrapper for both metamodel versions.

``Model.root`` is an aas-core instance (usually an ``Environment``) of the version in
``Model.version`` (typed ``Root``: either version's ``Class``); values in it are the lexical
strings of the input. An AASX package adds what the model itself cannot hold (supplementary
files, thumbnail, core properties), kept byte for byte in ``Model.package``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

from aas.findings import Finding, Location
from aas.versions import Version, binding

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    import aas_core3.types
    import aas_core3_1.types

#: An aas-core instance of either metamodel version; which one is told by the model's
#: ``version`` (narrow it with ``isinstance(node, binding(version).types.X)``, which gives
#: either version's ``X``). A string, so that neither aas-core package is imported for it.
Root: TypeAlias = "aas_core3.types.Class | aas_core3_1.types.Class"

#: A JSON value as orjson reads and writes it. Read-only views (``Sequence``, ``Mapping``), so
#: that a ``list[str]`` or a ``dict[str, int]`` is one too.
Json: TypeAlias = "str | int | float | bool | Sequence[Json] | Mapping[str, Json] | None"


@dataclass
class PackagePart:
    """One part of an OPC package, carried byte for byte."""

    name: str  # absolute part name, such as "/aasx/files/manual.pdf"
    content_type: str
    data: bytes


@dataclass
class SpecPart:
    """An AASX spec part: its name, format and what it held, so a rewrite keeps the split."""

    name: str
    format: str  # "xml" or "json"
    identifiables: tuple[str, ...] = ()
    supplementary: tuple[str, ...] = ()  # part names related to this spec part as aas-suppl


@dataclass
class Package:
    """What an AASX package holds besides the model."""

    spec_parts: list[SpecPart] = field(default_factory=list)
    supplementary: dict[str, PackagePart] = field(default_factory=dict)
    thumbnail: PackagePart | None = None
    core_properties: PackagePart | None = None
    # Parts the package held outside the AASX structure; carried as they are.
    other_parts: dict[str, PackagePart] = field(default_factory=dict)

    def all_files(self) -> list[PackagePart]:
        parts = list(self.supplementary.values())
        if self.thumbnail is not None:
            parts.append(self.thumbnail)
        parts.extend(self.other_parts.values())
        return parts


@dataclass
class Model:
    """A model read from one source, the findings made while reading it, and its package."""

    root: Root
    version: Version
    source: str | None = None
    findings: list[Finding] = field(default_factory=list)
    package: Package | None = None
    #: The name of the format the model was read from ("json", "xml", "aasx").
    format: str | None = None
    #: The metamodel version the input was written in when the model was upgraded from it
    #: on reading ("2.0.1"); None when the input was of ``version`` itself.
    upgraded_from: str | None = None
    #: Metamodel findings the reader already made, by location style ("json"): a JSON reader
    #: that tells the version by content checks the model, and it is not checked twice.
    #: Taken (and emptied) by the first check after reading.
    checked: dict[str, list[Finding]] = field(default_factory=dict, repr=False, compare=False)
    #: For a model upgraded on reading: where a location on the model as it is (a JSON
    #: pointer or an XPath of the check's style) lies in the input. The read pipeline uses it
    #: for the checks' findings, then lets it go.
    relocate: Callable[[Location], Location] | None = field(default=None, repr=False, compare=False)
    #: For a model upgraded on reading: a check's finding (at its place in the model, before
    #: ``relocate``) as it reads for the older version, whose rules were not all V3's. The read
    #: pipeline applies it to the checks' findings, then lets it go.
    judge: Callable[[Finding], Finding] | None = field(default=None, repr=False, compare=False)

    @property
    def class_name(self) -> str:
        return type(self.root).__name__

    @property
    def is_environment(self) -> bool:
        return isinstance(self.root, binding(self.version).types.Environment)
