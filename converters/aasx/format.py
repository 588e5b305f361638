"""AASX packages (IDTA-01005, Part 5): an OPC zip holding AAS spec parts and their files.

Reading follows the relationships: the package's ``aasx-origin``, from there one or more
``aas-spec`` parts (XML or JSON), and from each spec part its ``aas-suppl`` files. Both
spellings of the relationship types in circulation (with and without ``www.``) are accepted;
the current one is written. Supplementary files, the thumbnail, the core properties and any
other part are carried byte for byte. The archive is checked before anything is extracted:
member names (no ``..``, no absolute paths, no duplicates), symlinks, encryption, member count
and sizes (see :mod:`aas.limits`).
"""

from __future__ import annotations

import io
import lzma
import posixpath
import stat
import zipfile
import zlib
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import unquote, urlsplit

from lxml import etree

from aas.checks.constraints import instance_findings
from aas.codec import Check, Codec, Document, ReadContext, WriteContext
from aas.defects import pointer_targets
from aas.errors import PackageError, ReadError, WriteError
from aas.findings import Finding, Location, Severity
from aas.formats import by_name
from aas.limits import Limits
from aas.metamodel.classes import IDENTIFIABLE_ARRAYS, identifiables
from aas.metamodel.walk import instances, location
from aas.model import Model, Package, PackagePart, SpecPart
from aas.versions import XML_NAMESPACES, Version, binding
from aas.wording import counted

from .opc_names import (
    fold,
    names_no_part,
    opc_name,
    part_name,
    resolve_reference,
    spelling_problem,
)

_AASX_RELS = "http://admin-shell.io/aasx/relationships/"
_AASX_RELS_OLD = "http://www.admin-shell.io/aasx/relationships/"
REL_ORIGIN = _AASX_RELS + "aasx-origin"
REL_SPEC = _AASX_RELS + "aas-spec"
REL_SUPPL = _AASX_RELS + "aas-suppl"
REL_THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
REL_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_NS_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_NS_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
CONTENT_TYPE_RELS = "application/vnd.openxmlformats-package.relationships+xml"
CONTENT_TYPE_CORE = "application/vnd.openxmlformats-package.core-properties+xml"

ORIGIN_PART = "/aasx/aasx-origin"
DEFAULT_SPEC_PART = "/aasx/data.xml"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip timestamps are fixed so that output is deterministic


def _current(rel_type: str) -> str:
    """The current spelling of an AASX relationship type (``www.`` dropped)."""
    if rel_type.startswith(_AASX_RELS_OLD):
        return _AASX_RELS + rel_type[len(_AASX_RELS_OLD) :]
    return rel_type


#: The relationship types this reader follows; relationships of other types are carried
#: with their parts, never followed.
_FOLLOWED = frozenset({REL_ORIGIN, REL_SPEC, REL_SUPPL, REL_THUMBNAIL, REL_CORE})


@dataclass(frozen=True)
class _Relationship:
    type: str  # in its current spelling
    target: str  # absolute, decoded part name (the archive's own spelling where it holds it)
    spelled_old: bool


# region reading


_DAMAGED_MEMBER = (
    zipfile.BadZipFile,
    EOFError,
    OSError,
    RuntimeError,
    ValueError,
    NotImplementedError,
    zlib.error,
    lzma.LZMAError,
)


class _Archive:
    """A zip archive checked against the limits, with its parts named as OPC names them."""

    def __init__(self, data: bytes, source: str | None, limits: Limits) -> None:
        self.source = source
        declared = _declared_members(data)
        if declared is not None and declared > limits.max_archive_members:
            # Refused before zipfile reads the central directory (an object per member).
            raise self._too_many(declared, limits)
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except _DAMAGED_MEMBER as error:
            raise PackageError(f"not a readable zip archive: {error}", self._where()) from None
        if len(infos) > limits.max_archive_members:
            raise self._too_many(len(infos), limits)
        self.members: dict[str, zipfile.ZipInfo] = {}
        # Part names compare as case-insensitive ASCII (OPC): the name each folds to.
        self._folded: dict[str, str] = {}
        total = 0
        for info in infos:
            part = self._check_member(info, limits)
            if part in self.members:
                raise PackageError(f"the archive holds {info.filename!r} twice", self._where())
            self.members[part] = info
            self._folded.setdefault(fold(part), part)
            total += info.file_size
        if total > limits.max_archive_bytes:
            raise PackageError(
                f"the archive unpacks to {total} bytes, more than the limit of "
                f"{limits.max_archive_bytes} (raise it with AAS_MAX_ARCHIVE_BYTES)",
                self._where(),
            )
        self.limits = limits

    def _too_many(self, count: int, limits: Limits) -> PackageError:
        return PackageError(
            f"the archive has {count} members, more than the limit of "
            f"{limits.max_archive_members} (raise it with AAS_MAX_ARCHIVE_MEMBERS)",
            self._where(),
        )

    def _where(self, part: str | None = None) -> Location:
        return Location(file=self.name(part) if part else self.source)

    def name(self, part: str) -> str:
        """How a part is named in messages: ``package.aasx!/aasx/data.xml``."""
        return f"{self.source}!{part}" if self.source else part

    def _check_member(self, info: zipfile.ZipInfo, limits: Limits) -> str:
        name = info.filename
        if info.flag_bits & 0x1:
            raise PackageError(f"the member {name!r} is encrypted", self._where())
        if stat.S_ISLNK(info.external_attr >> 16):
            raise PackageError(f"the member {name!r} is a symbolic link", self._where())
        # Judge the decoded name: "%2E%2E/x" is "../x" once the part name is decoded.
        normalised = unquote(name.replace("\\", "/")).replace("\\", "/")
        if (
            normalised.startswith("/")
            or (len(normalised) > 1 and normalised[1] == ":")
            or ".." in normalised.split("/")
            or "\x00" in normalised
        ):
            raise PackageError(
                f"the member name {name!r} points outside the package", self._where()
            )
        if (
            info.file_size > limits.ratio_exempt_bytes
            and info.file_size > limits.max_compression_ratio * max(info.compress_size, 1)
        ):
            raise PackageError(
                f"the member {name!r} expands {info.file_size} bytes from "
                f"{info.compress_size} (ratio above {limits.max_compression_ratio}; "
                "raise it with AAS_MAX_COMPRESSION_RATIO)",
                self._where(),
            )
        return "/" + normalised

    def has(self, part: str) -> bool:
        return part in self.members

    def resolve(self, part: str) -> str | None:
        """The member a part name names: itself, or the one equal to it but for ASCII case."""
        if part in self.members:
            return part
        return self._folded.get(fold(part))

    def misspelled(self) -> list[tuple[str, str]]:
        """Member names not spelled as OPC part names, each with what is wrong with it."""
        found: list[tuple[str, str]] = []
        for info in self.members.values():
            if info.is_dir() or info.filename == "[Content_Types].xml":
                continue
            problem = spelling_problem(info.filename)
            if problem is not None:
                found.append((info.filename, problem))
        return found

    def read(self, part: str) -> bytes:
        info = self.members[part]
        try:
            with self.zip.open(info) as stream:
                # Never trust the declared size: read one byte more than it and check.
                data = stream.read(info.file_size + 1)
        except _DAMAGED_MEMBER as error:  # damaged data, an unknown compression method
            raise PackageError(f"cannot read the member: {error}", self._where(part)) from None
        if len(data) != info.file_size:
            raise PackageError("the member is larger than its header says", self._where(part))
        return data

    def is_directory(self, part: str) -> bool:
        return self.members[part].is_dir()


def _declared_members(data: bytes) -> int | None:
    """The member count the archive's end record declares (ZIP64 too), or None if not found."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if end < 0 or len(data) < end + 22:
        return None
    count = int.from_bytes(data[end + 10 : end + 12], "little")
    locator = end - 20
    if count == 0xFFFF and locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        record = int.from_bytes(data[locator + 8 : locator + 16], "little")
        if data[record : record + 4] == b"PK\x06\x06":
            count = int.from_bytes(data[record + 32 : record + 40], "little")
    return count


def _content_types(archive: _Archive, findings: list[Finding]) -> dict[str, str]:
    """Content type per part name (overrides) and per ``.extension`` (defaults)."""
    name = "/[Content_Types].xml"
    if not archive.has(name):
        findings.append(
            Finding(
                Severity.ERROR,
                "aasx:missing-content-types",
                "the package has no [Content_Types].xml; formats are told by file suffixes",
                archive._where(),
            )
        )
        return {}
    root = _parse(archive, name)
    types: dict[str, str] = {}
    misspelled: list[tuple[str, str]] = []
    for element in root:
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        content_type = element.get("ContentType", "")
        if local == "Default" and element.get("Extension"):
            types["." + fold(element.get("Extension", ""))] = content_type
        elif local == "Override" and element.get("PartName"):
            spelling = element.get("PartName", "")
            problem = spelling_problem(spelling)
            if problem is not None:
                misspelled.append((spelling, problem))
            # Keyed by the folded part name: overrides name parts case-insensitively.
            types[fold(part_name(spelling))] = content_type
    _note_misspelled(misspelled, "part names in the content types", archive, findings, name)
    return types


def _content_type_of(part: str, types: dict[str, str]) -> str:
    folded = fold(part)
    if folded in types:
        return types[folded]
    return types.get(posixpath.splitext(folded)[1], "application/octet-stream")


def _note_misspelled(
    misspelled: list[tuple[str, str]],
    what: str,
    archive: _Archive,
    findings: list[Finding],
    part: str | None = None,
) -> None:
    """One warning for the names in one place that are not spelled as OPC part names."""
    if not misspelled:
        return
    shown = ", ".join(f"{spelling!r} ({problem})" for spelling, problem in misspelled[:5])
    more = f" and {len(misspelled) - 5} more" if len(misspelled) > 5 else ""
    findings.append(
        Finding(
            Severity.WARNING,
            "aasx:part-name",
            f"{len(misspelled)} {what} are not spelled as OPC part names (percent-encoded "
            f"URI paths): {shown}{more}; each is read as the part it names, decoded, and "
            "written percent-encoded",
            archive._where(part),
        )
    )


def _parse(archive: _Archive, part: str) -> Any:
    try:
        from aas.xmlsafe import parse_xml

        return parse_xml(archive.read(part), archive.name(part))
    except ReadError as error:
        raise PackageError(error.message, error.location) from None


def _rels_part_of(part: str) -> str:
    """``/aasx/data.xml`` -> ``/aasx/_rels/data.xml.rels``; ``/`` -> ``/_rels/.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _relationship_elements(archive: _Archive, rels_part: str) -> list[Any]:
    root = _parse(archive, rels_part)
    return [
        element
        for element in root
        if isinstance(element.tag, str) and etree.QName(element).localname == "Relationship"
    ]


def _relationships(
    archive: _Archive, source_part: str, findings: list[Finding]
) -> list[_Relationship]:
    """The relationships from ``source_part`` (``/`` for the package) to parts.

    Relationships marked ``TargetMode="External"`` whose target is a path (producers in
    circulation mark every relationship so, the origin included) are read as the internal
    relationships they are meant to be, with a warning; a target outside the package (a URL)
    is never followed. Targets are found whether written percent-encoded or decoded.
    """
    rels_part = _rels_part_of(source_part)
    if not archive.has(rels_part):
        return []
    base = posixpath.dirname(source_part) if source_part != "/" else "/"
    found: list[_Relationship] = []
    external: list[str] = []
    misspelled: list[tuple[str, str]] = []
    for element in _relationship_elements(archive, rels_part):
        written_type = element.get("Type", "")
        rel_type = _current(written_type)
        target = element.get("Target", "")
        is_external = element.get("TargetMode") == "External"
        if rel_type not in _FOLLOWED:
            if not is_external:  # kept, so that loops into the structure are noticed
                found.append(_Relationship(rel_type, _resolve(archive, base, target), False))
            continue
        if names_no_part(target):
            findings.append(_outside_finding(rel_type, target, archive, rels_part))
            continue
        if is_external:
            external.append(target)
        problem = spelling_problem(urlsplit(target).path)
        if problem is not None:
            misspelled.append((target, problem))
        found.append(
            _Relationship(rel_type, _resolve(archive, base, target), rel_type != written_type)
        )
    if external:
        shown = ", ".join(external[:5]) + (
            f" and {len(external) - 5} more" if len(external) > 5 else ""
        )
        findings.append(
            Finding(
                Severity.WARNING,
                "aasx:external-target-mode",
                f'{counted(len(external), "relationship")} marked TargetMode="External" '
                f"{'names' if len(external) == 1 else 'name'} parts of "
                f"the package ({shown}); read as internal relationships, and written "
                "without the mode",
                archive._where(rels_part),
            )
        )
    _note_misspelled(misspelled, "relationship targets", archive, findings, rels_part)
    return found


def _outside_finding(rel_type: str, target: str, archive: _Archive, rels_part: str) -> Finding:
    role = rel_type.rsplit("/", 1)[-1]
    return Finding(
        Severity.WARNING,
        "aasx:external-target",
        f"the {role} relationship points outside the package ({target}); it is not followed",
        archive._where(rels_part),
    )


def _resolve(archive: _Archive, base: str, target: str) -> str:
    """The part a relationship target names: the archive's member when it holds one (the
    target decoded, then the whole target for names holding a raw '#' or '?', then either
    without regard to ASCII case), else the decoded target."""
    if not target:
        return ""
    path = urlsplit(target).path
    candidates = [resolve_reference(base, path)]
    if path != target:
        candidates.append(resolve_reference(base, target))
    for candidate in candidates:
        member = archive.resolve(candidate)
        if member is not None:
            return member
    return candidates[0]


def _only(rels: list[_Relationship], rel_type: str) -> list[_Relationship]:
    return [rel for rel in rels if rel.type == rel_type]


@dataclass
class _SpecPartDocument:
    """A spec part as parsed by its own format."""

    name: str
    format: str  # "xml" or "json"
    codec: Codec[Any]
    document: Document[Any]
    supplementary: tuple[str, ...]  # the part names related to it as aas-suppl


@dataclass
class PackageStructure:
    """What parsing a package finds: its spec parts (each parsed by its format) and the
    parts it carries byte for byte."""

    spec_parts: list[_SpecPartDocument]
    supplementary: dict[str, PackagePart]
    thumbnail: PackagePart | None
    core_properties: PackagePart | None
    other_parts: dict[str, PackagePart]
    #: The version the package's XML spec parts name (a JSON part names none).
    xml_version: Version | None
    where: Location


class AasxDocument(Document[PackageStructure]):
    """A package, its structure followed and each spec part parsed by its format. A finding
    in a spec part (``package.aasx!/aasx/data.xml``) is located and told apart by that
    part's document; findings about the whole model point as its first spec part does."""

    def __init__(self, text: bytes, source: str | None, structure: PackageStructure) -> None:
        super().__init__(text, source)
        self._structure = structure
        self._parts = {part.document.source: part.document for part in structure.spec_parts}
        self.style = structure.spec_parts[0].document.style

    @property
    def tree(self) -> PackageStructure:
        return self._structure

    def locate(self, location: Location) -> Location:
        part = self._parts.get(location.file)
        return part.locate(location) if part is not None else location

    def prepare(self, findings: Sequence[Finding]) -> None:
        for file, part in self._parts.items():
            part.prepare([finding for finding in findings if finding.location.file == file])

    def locate_all(self, findings: Sequence[Finding]) -> list[Finding]:
        # Per part, so that a part that finds positions by scanning its text scans it once.
        located = list(findings)
        for file, part in self._parts.items():
            indexes = [i for i, finding in enumerate(findings) if finding.location.file == file]
            if indexes:
                for index, finding in zip(
                    indexes, part.locate_all([findings[i] for i in indexes]), strict=True
                ):
                    located[index] = finding
        return located

    def targets(self, finding: Finding) -> list[Hashable]:
        part = self._parts.get(finding.location.file)
        return part.targets(finding) if part is not None else pointer_targets(finding)


class AasxCodec(Codec[AasxDocument]):
    """AASX: the package's structure, then each spec part through its own format."""

    def parse(self, data: bytes, context: ReadContext) -> AasxDocument:
        """Follow the package's structure and parse each spec part by its format; a package
        whose structure is broken or hostile raises :class:`PackageError`."""
        findings: list[Finding] = []
        structure = _structure(data, context, findings)
        document = AasxDocument(data, context.source, structure)
        document.findings.extend(findings)
        return document

    def build(self, document: AasxDocument, context: ReadContext) -> Model:
        """Each spec part built by its format (all of them, so that every part's problems
        are found), merged into one model. When the reading checks constraints, each part is
        checked as it is built, located in it."""
        structure = document.tree
        # A JSON spec part names no version: it takes the version of the package's XML parts.
        version = context.version or structure.xml_version
        findings: list[Finding] = []
        checked: list[Finding] = []
        failed: list[ReadError] = []
        roots: list[tuple[Any, Version]] = []
        spec_parts: list[SpecPart] = []
        for part in structure.spec_parts:
            part_context = _part_context(part, context, version)
            try:
                part_model = part.codec.build(part.document, part_context)
            except ReadError as error:
                failed.append(error)
                findings.extend(part.document.findings)
                findings.append(Finding(Severity.ERROR, error.rule, error.message, error.location))
                continue
            findings.extend(part.document.findings)
            findings.extend(part_model.findings)
            if Check.CONSTRAINTS in context.checks:
                checked.extend(instance_findings(part_model, part.document.style))
            roots.append((part_model.root, part_model.version))
            # A package without XML parts: its first JSON part's version (told by content)
            # is the package's, so the parts of one package never split between versions.
            version = version or part_model.version
            spec_parts.append(
                SpecPart(
                    name=part.name,
                    format=part.format,
                    identifiables=_identifiable_ids(part_model.root),
                    supplementary=part.supplementary,
                )
            )
        if failed:
            document.findings.extend(findings)  # what the other parts found stays reported
            raise failed[0]
        root, version = _merge(roots, structure.where)
        package = Package(
            spec_parts=spec_parts,
            supplementary=dict(structure.supplementary),
            thumbnail=structure.thumbnail,
            core_properties=structure.core_properties,
            other_parts=dict(structure.other_parts),
        )
        model = Model(
            root=root, version=version, source=context.source, findings=findings, package=package
        )
        if Check.CONSTRAINTS in context.checks:
            model.checked[document.style] = checked
        return model

    def check_schema(self, document: AasxDocument, context: ReadContext) -> list[Finding] | None:
        """Each spec part by its format's schema; None when none applied."""
        structure = document.tree
        version = context.version or structure.xml_version
        found: list[Finding] | None = None
        for part in structure.spec_parts:
            try:
                part_found = part.codec.check_schema(
                    part.document, _part_context(part, context, version)
                )
            except ReadError:
                continue  # building the part reported why it cannot be read
            if part_found is not None:
                found = [*(found or []), *part_found]
        return found

    def check_package(self, model: Model) -> list[Finding] | None:
        return check_package(model)

    def write(self, model: Model, stream: BinaryIO, context: WriteContext) -> None:
        write(model, stream, context)


def _part_context(
    part: _SpecPartDocument, context: ReadContext, version: Version | None
) -> ReadContext:
    return ReadContext(
        source=part.document.source,
        version=version,
        model_type="Environment",
        checks=context.checks,
        schemas=context.schemas,
    )


def _structure(data: bytes, context: ReadContext, findings: list[Finding]) -> PackageStructure:
    """Follow the package's relationships: the origin, its spec parts (each parsed by its
    format), their supplementary files, the thumbnail and core properties."""
    archive = _Archive(data, context.source, Limits.from_environment())
    types = _content_types(archive, findings)
    _note_misspelled(archive.misspelled(), "zip member names", archive, findings)
    package_rels = _relationships(archive, "/", findings)
    origins = _only(package_rels, REL_ORIGIN)
    if not origins:
        raise PackageError(
            "not an AASX package: no aasx-origin relationship in /_rels/.rels; "
            + _holdings(archive, "/"),
            archive._where(),
        )
    _note_old_spelling(origins, archive, findings, "/_rels/.rels")
    origin = origins[0].target
    spec_rels = _only(_relationships(archive, origin, findings), REL_SPEC)
    if not spec_rels:
        raise PackageError(
            f"the package names no AAS spec part (no aas-spec relationship from {origin}); "
            + _holdings(archive, origin),
            archive._where(),
        )
    _note_old_spelling(spec_rels, archive, findings, _rels_part_of(origin))
    spec_rels = _distinct_spec_parts(spec_rels, origin, archive, findings)
    # Parts that hold the package's structure: no relationship may make them a file as well.
    structural = {"/[Content_Types].xml", origin} | {rel.target for rel in spec_rels}
    for rel in spec_rels:
        if not archive.has(rel.target):
            raise PackageError(
                f"the spec part {rel.target} is missing; " + _holdings(archive, origin),
                archive._where(),
            )

    consumed = {"/[Content_Types].xml", origin}
    spec_parts: list[_SpecPartDocument] = []
    supplementary: dict[str, PackagePart] = {}
    for rel in spec_rels:
        part_format = _spec_format(archive, rel.target, types)
        codec = by_name(part_format).codec
        name = archive.name(rel.target)
        document = codec.parse(archive.read(rel.target), ReadContext(source=name))
        consumed.add(rel.target)
        suppl = _only(_relationships(archive, rel.target, findings), REL_SUPPL)
        _note_old_spelling(suppl, archive, findings, _rels_part_of(rel.target))
        suppl = _outside(suppl, structural, archive, findings, _rels_part_of(rel.target))
        for suppl_rel in suppl:
            part = _carry(archive, suppl_rel.target, types, findings, "supplementary file")
            if part is not None:
                supplementary[part.name] = part
                consumed.add(part.name)
        spec_parts.append(
            _SpecPartDocument(
                rel.target, part_format, codec, document, tuple(r.target for r in suppl)
            )
        )
    package_rels = _outside(package_rels, structural, archive, findings, "/_rels/.rels")
    thumbnail = core_properties = None
    for rel in _only(package_rels, REL_THUMBNAIL)[:1]:
        thumbnail = _carry(archive, rel.target, types, findings, "thumbnail")
        consumed.add(rel.target)
    for rel in _only(package_rels, REL_CORE)[:1]:
        core_properties = _carry(archive, rel.target, types, findings, "core properties")
        consumed.add(rel.target)
    other_parts: dict[str, PackagePart] = {}
    for name in archive.members:
        if name in consumed or name.endswith(".rels") or archive.is_directory(name):
            continue
        other_parts[name] = PackagePart(name, _content_type_of(name, types), archive.read(name))
    return PackageStructure(
        spec_parts,
        supplementary,
        thumbnail,
        core_properties,
        other_parts,
        _version_of_xml_parts(spec_parts),
        archive._where(),
    )


def _holdings(archive: _Archive, source_part: str) -> str:
    """What a refused package holds, said briefly: the relationships from ``source_part``
    (the package or its origin) and the names of its parts (at most ten)."""
    rels_part = _rels_part_of(source_part)
    if archive.has(rels_part):
        try:
            elements = _relationship_elements(archive, rels_part)
        except PackageError:
            elements = []
        listed = [
            f"{element.get('Type', '?')} -> {element.get('Target', '?')}"
            + (" (External)" if element.get("TargetMode") == "External" else "")
            for element in elements
        ]
        more = f", and {len(listed) - 5} more" if len(listed) > 5 else ""
        relationships = f"{rels_part} has {counted(len(listed), 'relationship')}" + (
            f": {', '.join(listed[:5])}{more}" if listed else ""
        )
    else:
        relationships = f"there is no {rels_part}"
    parts = [name for name in archive.members if not archive.is_directory(name)]
    shown = ", ".join(parts[:10]) + (", ..." if len(parts) > 10 else "")
    return f"{relationships}; the package holds {counted(len(parts), 'part')}: {shown}"


def _distinct_spec_parts(
    rels: list[_Relationship], origin: str, archive: _Archive, findings: list[Finding]
) -> list[_Relationship]:
    """The spec parts, each once; a spec part that is part of the structure is refused."""
    distinct: dict[str, _Relationship] = {}
    for rel in rels:
        what = _structural_role(rel.target, origin)
        if what is not None:
            raise PackageError(
                f"the aas-spec relationship from {origin} points at {rel.target}, {what}: "
                "a relationship loop, not a model",
                archive._where(_rels_part_of(origin)),
            )
        if rel.target in distinct:
            findings.append(
                Finding(
                    Severity.WARNING,
                    "aasx:duplicate-relationship",
                    f"the spec part {rel.target} is named more than once; it is read once",
                    archive._where(_rels_part_of(origin)),
                )
            )
            continue
        distinct[rel.target] = rel
    return list(distinct.values())


def _structural_role(part: str, origin: str) -> str | None:
    if part == origin:
        return "the origin part itself"
    if part == "/[Content_Types].xml":
        return "the package's content types"
    if part.endswith(".rels"):
        return "a relationships part"
    return None


def _outside(
    rels: list[_Relationship],
    structural: set[str],
    archive: _Archive,
    findings: list[Finding],
    rels_part: str,
) -> list[_Relationship]:
    """The relationships to files; one that makes a structural part a file too is a loop,
    reported and left out (the part keeps its place in the structure)."""
    kept: list[_Relationship] = []
    for rel in rels:
        if rel.type in (REL_ORIGIN, REL_SPEC) or (
            rel.target not in structural and not rel.target.endswith(".rels")
        ):
            kept.append(rel)
            continue
        role = rel.type.rsplit("/", 1)[-1]
        findings.append(
            Finding(
                Severity.WARNING,
                "aasx:relationship-loop",
                f"a {role} relationship points at {rel.target}, which is part of the package's "
                "structure (the origin, a spec part, the content types or relationships); "
                "it is ignored",
                archive._where(rels_part),
            )
        )
    return kept


def _spec_format(archive: _Archive, part: str, types: dict[str, str]) -> str:
    """JSON or XML, by content type or suffix, else by the first character of the part."""
    if _is_json(part, types):
        return "json"
    content_type = _content_type_of(part, types)
    if "xml" in content_type or part.lower().endswith(".xml"):
        return "xml"
    head = archive.read(part)[:1024].removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<"):
        return "xml"
    if head.startswith(b"{"):
        return "json"
    raise PackageError(
        f"the spec part {part} is neither XML nor JSON (content type {content_type!r}, "
        "and its content starts like neither)",
        archive._where(part),
    )


def _note_old_spelling(
    rels: list[_Relationship], archive: _Archive, findings: list[Finding], rels_part: str
) -> None:
    if any(rel.spelled_old for rel in rels):
        findings.append(
            Finding(
                Severity.INFO,
                "aasx:old-relationship-type",
                "relationship types spelled with 'www.admin-shell.io' (an older spelling) "
                "were read; the current spelling is written",
                archive._where(rels_part),
            )
        )


def _carry(
    archive: _Archive, part: str, types: dict[str, str], findings: list[Finding], what: str
) -> PackagePart | None:
    if not archive.has(part):
        findings.append(
            Finding(
                Severity.WARNING,
                "aasx:missing-part",
                f"the {what} {part} is named by a relationship but missing from the package",
                archive._where(part),
            )
        )
        return None
    return PackagePart(part, _content_type_of(part, types), archive.read(part))


def _is_json(part: str, types: dict[str, str]) -> bool:
    return "json" in _content_type_of(part, types) or part.lower().endswith(".json")


def _version_of_xml_parts(spec_parts: list[_SpecPartDocument]) -> Version | None:
    for part in spec_parts:
        if part.format != "json":
            head = part.document.text[:4096]
            for version, namespace in XML_NAMESPACES.items():
                if namespace.encode() in head:
                    return version
    return None


def _identifiable_ids(environment: Any) -> tuple[str, ...]:
    return tuple(item.id for item in identifiables(environment))


def _merge(roots: list[tuple[Any, Version]], where: Location) -> tuple[Any, Version]:
    if len(roots) == 1:
        return roots[0]
    versions = {version for _, version in roots}
    if len(versions) > 1:
        raise PackageError(
            "the spec parts are of different metamodel versions "
            f"({', '.join(sorted(str(v) for v in versions))})",
            where,
        )
    version = versions.pop()
    merged = binding(version).types.Environment()
    for name in IDENTIFIABLE_ARRAYS:
        items = [item for root, _ in roots for item in (getattr(root, name) or ())]
        setattr(merged, name, items or None)
    return merged, version


_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM")


def _looks_like_image(data: bytes) -> bool:
    if data.startswith(_IMAGE_MAGIC):
        return True
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return True
    head = data[:1024].lstrip().lower()
    return head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head)


def check_package(model: Model) -> list[Finding]:
    """What is wrong with a package beyond its structure: files the model names but the
    package lacks, content types that disagree, a thumbnail that is no image."""
    findings: list[Finding] = []
    package = model.package
    if package is None:
        return findings
    parts: dict[str, PackagePart] = {
        part.name: part for part in package.all_files() if part is not None
    }
    # A model names a file as a URI (``My%20File.pdf``) or as its decoded name (``My
    # File.pdf``), in any ASCII case: OPC part names compare case-insensitively.
    folded = {fold(name): part for name, part in parts.items()}
    spec_part = package.spec_parts[0] if package.spec_parts else SpecPart("/", "xml")
    spec = spec_part.name
    file = f"{model.source}!{spec}" if model.source else spec
    types = binding(model.version).types

    def names_a_file(node: Any) -> bool:
        return isinstance(node, types.File | types.Resource)

    for path, node in instances(model.root, types, names_a_file):
        value = node.value if isinstance(node, types.File) else node.path
        content_type = node.content_type
        if not value or names_no_part(value):
            continue  # a URL names something outside the package
        candidates = [posixpath.normpath("/" + unquote(value).lstrip("/"))]
        if not value.startswith("/"):
            candidates.append(resolve_reference(posixpath.dirname(spec), value))
        # A name that holds a literal '%' (the package holds "/a%20b.pdf", encoded "a%2520b").
        candidates.append(posixpath.normpath("/" + value.lstrip("/")))
        part = next((parts[name] for name in candidates if name in parts), None)
        if part is None:
            part = next((folded[fold(n)] for n in candidates if fold(n) in folded), None)
        where = location(model.root, path, file, spec_part.format)
        if part is None:
            findings.append(
                Finding(
                    Severity.WARNING,
                    "aasx:missing-file",
                    f"the model names the file {value!r}, which the package does not hold",
                    where,
                )
            )
        elif content_type and part.content_type.split(";")[0] != content_type.split(";")[0]:
            findings.append(
                Finding(
                    Severity.WARNING,
                    "aasx:content-type-mismatch",
                    f"the model says {value!r} is {content_type!r}, the package says "
                    f"{part.content_type!r}",
                    where,
                )
            )
    thumbnail = package.thumbnail
    if thumbnail is not None and not _looks_like_image(thumbnail.data):
        findings.append(
            Finding(
                Severity.WARNING,
                "aasx:thumbnail-not-image",
                f"the thumbnail {thumbnail.name} is not a PNG, JPEG, GIF, BMP, WebP or SVG image",
                Location(file=f"{model.source}!{thumbnail.name}"),
            )
        )
    return findings


# endregion

# region writing


def write(model: Model, stream: BinaryIO, context: WriteContext) -> None:
    environment = _as_environment(model, context)
    package = model.package or _package_from_files(model, environment, context)
    spec_parts = package.spec_parts or [SpecPart(DEFAULT_SPEC_PART, "xml")]
    groups = _split(environment, spec_parts, model.version)

    writer = _ZipWriter()
    package_rels = [(REL_ORIGIN, ORIGIN_PART)]
    if package.thumbnail is not None:
        package_rels.append((REL_THUMBNAIL, package.thumbnail.name))
    if package.core_properties is not None:
        package_rels.append((REL_CORE, package.core_properties.name))
    writer.add("/_rels/.rels", _relationships_xml(package_rels))
    writer.add(ORIGIN_PART, b"Intended to be empty.", "text/plain")
    writer.add(
        _rels_part_of(ORIGIN_PART),
        _relationships_xml([(REL_SPEC, spec.name) for spec in spec_parts]),
    )

    claimed = {name for spec in spec_parts for name in spec.supplementary}
    assigned: set[str] = set()
    for spec, group in zip(spec_parts, groups, strict=True):
        codec = by_name(spec.format).codec
        part_model = Model(root=group, version=model.version)
        content_type = "application/json" if spec.format == "json" else "text/xml"
        spec_bytes = io.BytesIO()
        codec.write(part_model, spec_bytes, context)
        writer.add(spec.name, spec_bytes.getvalue(), content_type)
        suppl = [name for name in spec.supplementary if name in package.supplementary]
        if spec is spec_parts[0]:
            # Files no spec part claimed (a model from JSON or XML) belong to the first.
            suppl += [name for name in package.supplementary if name not in claimed]
        suppl = [name for name in suppl if name not in assigned]
        assigned.update(suppl)
        if suppl:
            writer.add(
                _rels_part_of(spec.name),
                _relationships_xml([(REL_SUPPL, name) for name in suppl]),
            )

    for part in package.all_files():
        writer.add(part.name, part.data, part.content_type)
    if package.core_properties is not None:
        core = package.core_properties
        writer.add(core.name, core.data, core.content_type)
    writer.finish(stream)


def _as_environment(model: Model, context: WriteContext) -> Any:
    types = binding(model.version).types
    root = model.root
    if isinstance(root, types.Environment):
        return root
    slots = {
        types.AssetAdministrationShell: "asset_administration_shells",
        types.Submodel: "submodels",
        types.ConceptDescription: "concept_descriptions",
    }
    for cls, slot in slots.items():
        if isinstance(root, cls):
            context.findings.append(
                Finding(
                    Severity.INFO,
                    "aasx:wrapped-in-environment",
                    f"the lone {type(root).__name__} is packaged inside an Environment",
                    Location(file=context.target),
                )
            )
            # ``root`` is of the version of ``types``, which mypy cannot see across the union
            items: list[Any] = [root]
            return types.Environment(**{slot: items})
    raise WriteError(
        f"an AASX package holds an Environment; a lone {type(root).__name__} cannot be packaged",
        Location(file=context.target),
    )


def _split(environment: Any, spec_parts: list[SpecPart], version: Version) -> list[Any]:
    """One Environment per spec part, each holding the identifiables it held when read."""
    if len(spec_parts) == 1:
        return [environment]
    owner = {
        identifier: index
        for index, spec in enumerate(spec_parts)
        for identifier in spec.identifiables
    }
    types = binding(version).types
    groups = [types.Environment() for _ in spec_parts]
    for name in IDENTIFIABLE_ARRAYS:
        for item in getattr(environment, name) or ():
            group = groups[owner.get(item.id, 0)]
            if getattr(group, name) is None:
                setattr(group, name, [])
            getattr(group, name).append(item)
    return groups


def _package_from_files(model: Model, environment: Any, context: WriteContext) -> Package:
    """A new package, taking the local files the model's File and Resource elements name."""
    package = Package()
    thumbnail_path = None
    for shell in environment.asset_administration_shells or ():
        thumbnail = shell.asset_information.default_thumbnail
        if thumbnail is not None and thumbnail_path is None:
            thumbnail_path = thumbnail.path
    for value, content_type in _file_references(environment, binding(model.version).types):
        if not value or names_no_part(value):
            continue  # a URL names something outside the package
        # The value is a URI reference: "My%20File.pdf" names the part "My File.pdf".
        name = posixpath.normpath("/" + unquote(value).lstrip("/"))
        local = _local_file(_source_dir(model), value)
        if local is None:
            context.findings.append(
                Finding(
                    Severity.WARNING,
                    "aasx:file-not-found",
                    f"the model names the file {value!r}, which was not found beside the input;"
                    " the package will lack it",
                    Location(file=context.target),
                )
            )
            continue
        part = PackagePart(name, content_type or "application/octet-stream", local.read_bytes())
        if value == thumbnail_path and package.thumbnail is None:
            package.thumbnail = part
        elif name not in package.supplementary:
            package.supplementary[name] = part
    return package


def _file_references(environment: Any, types: Any) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    for shell in environment.asset_administration_shells or ():
        thumbnail = shell.asset_information.default_thumbnail
        if thumbnail is not None:
            found.append((thumbnail.path, thumbnail.content_type))
    for node in environment.descend():
        if isinstance(node, types.File) and node.value:
            found.append((node.value, node.content_type))
    return found


def _source_dir(model: Model) -> Path | None:
    """The folder files named by the model are looked up in: the input's folder."""
    if model.source and model.format != "aasx":
        source = Path(model.source)
        if source.is_file():
            return source.parent
    return None


def _local_file(source_dir: Path | None, value: str) -> Path | None:
    """Where a package path such as ``/aasx/files/manual.pdf`` lies beside the input, if it does."""
    if source_dir is None:
        return None
    candidates: list[str] = []
    # As written, then decoded: the value is a URI reference ("My%20File.pdf"), the file on
    # disk usually has the decoded name ("My File.pdf").
    for relative in dict.fromkeys((value.lstrip("/"), unquote(value).lstrip("/"))):
        candidates.append(relative)
        if relative.startswith("aasx/"):
            candidates.append(relative[len("aasx/") :])
    base = source_dir.resolve()
    for candidate in candidates:
        path = (base / candidate).resolve()
        # Only files inside the input's folder are taken: a model must not pull in /etc/passwd.
        if path.is_relative_to(base) and path.is_file():
            return path
    return None


def _relationships_xml(rels: list[tuple[str, str]]) -> bytes:
    root = etree.Element(f"{{{_NS_RELS}}}Relationships", nsmap={None: _NS_RELS})
    for index, (rel_type, target) in enumerate(rels, start=1):
        etree.SubElement(
            root,
            f"{{{_NS_RELS}}}Relationship",
            Type=rel_type,
            Target=opc_name(target),
            Id=f"rId{index}",
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class _ZipWriter:
    """Collects parts, then writes [Content_Types].xml first and every part after it."""

    def __init__(self) -> None:
        self.parts: dict[str, bytes] = {}
        self.content_types: dict[str, str] = {}

    def add(self, part: str, data: bytes, content_type: str | None = None) -> None:
        if part in self.parts:
            if self.parts[part] == data:
                return  # one part in two roles (a thumbnail that is a supplementary file too)
            raise WriteError(f"the package would hold the part {part} twice")
        self.parts[part] = data
        if content_type is not None:
            self.content_types[part] = content_type

    def finish(self, stream: BinaryIO) -> None:
        root = etree.Element(f"{{{_NS_TYPES}}}Types", nsmap={None: _NS_TYPES})
        etree.SubElement(
            root, f"{{{_NS_TYPES}}}Default", Extension="rels", ContentType=CONTENT_TYPE_RELS
        )
        for part, content_type in self.content_types.items():
            etree.SubElement(
                root, f"{{{_NS_TYPES}}}Override", PartName=opc_name(part), ContentType=content_type
            )
        types_xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
            # [Content_Types].xml is no part, so its name is never percent-encoded.
            members = [("[Content_Types].xml", types_xml)]
            members += [(opc_name(name).lstrip("/"), data) for name, data in self.parts.items()]
            for member, data in members:
                info = zipfile.ZipInfo(member, date_time=_FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)


# endregion

CODEC = AasxCodec()
