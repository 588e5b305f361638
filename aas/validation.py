"""``validate``: every problem in an input, from all layers, in one report.

The layers, all reported together: well-formedness (JSON or XML syntax, hostile content),
schema (a JSON Schema or XSD), the model itself (what aas-core cannot build from the
document), metamodel constraints (every AASd/AASc rule aas-core checks), model references
that must resolve, and for AASX the packaging. A model that breaks rules is still read as far
as it can be, so one run finds everything.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from aas.checks.constraints import (
    findings_file,
    instance_findings,
    location_style,
    unique_ids,
)
from aas.checks.references import check_references
from aas.checks.schemas import (
    JsonSchema,
    XmlSchema,
    load_json_schema,
    load_xml_schema,
    project_json_schema,
    project_xml_schema,
)
from aas.codec import ReadContext
from aas.defects import merge, pointer_targets
from aas.errors import AasError, ReadError, too_deep
from aas.findings import Finding, Severity
from aas.formats import by_name, detect_input
from aas.gcpause import collector_paused
from aas.metamodel.classes import ENVIRONMENT_ARRAYS, detect_json_class, require_class_name
from aas.metamodel.names import serialized_name
from aas.model import Model
from aas.pipeline import Input, Source, read_input
from aas.report import Report
from aas.versions import (
    DEFAULT_JSON_VERSION,
    Version,
    as_version,
    binding,
    version_of_xml_namespace,
)


class Check(StrEnum):
    SCHEMA = "schema"
    CONSTRAINTS = "constraints"
    REFERENCES = "references"
    PACKAGE = "package"


ALL_CHECKS: frozenset[Check] = frozenset(Check)


@dataclass
class _Settings:
    checks: frozenset[Check]
    json_schema: JsonSchema | None = None
    xml_schema: XmlSchema | None = None
    ran: set[str] = field(default_factory=set)
    #: The bytes and (for XML) the parsed tree of a standalone input, so that findings made
    #: after reading (references) get their lines too.
    document: tuple[bytes, Any] | None = None


@collector_paused
def validate(
    source: Source,
    *,
    format: str | None = None,
    version: str | Version | None = None,
    model_type: str | None = None,
    checks: Iterable[Check | str] | None = None,
    schemas: Sequence[str | os.PathLike[str]] = (),
) -> Report:
    """Check ``source`` (a path, bytes or binary stream) and return its report.

    ``checks`` picks layers (default: all); ``schemas`` are JSON Schema (``.json``) and XSD
    (``.xsd``) files to validate with. An input from which no model can be built (missing,
    not well-formed, hostile, or a document aas-core cannot build a model from) gives a report
    with ``readable=False`` that still lists every problem found; a wrong call (unknown
    format, version or model type) raises UsageError.
    """
    settings = _settings(checks, schemas)
    wanted = as_version(version)
    name = str(source) if isinstance(source, str | os.PathLike) else getattr(source, "name", None)
    try:
        given = read_input(source)
    except ReadError as error:
        return Report(name, [_finding(error)], readable=False)
    return judge_input(given, format, wanted, model_type, settings)[0]


def judge_input(
    given: Input,
    format: str | None,
    wanted: Version | None,
    model_type: str | None,
    settings: _Settings | None = None,
) -> tuple[Report, Model | None]:
    """``validate`` of an input already read (every layer unless ``settings`` say otherwise),
    and the model it read (None when the input is unreadable): ``convert --strict`` judges an
    input by this report and converts this model, so that it refuses exactly what
    ``validate`` fails."""
    settings = settings or _settings(None, ())
    fmt = detect_input(format, given.name, given.data[:4096])
    report = Report(given.name, format=fmt.name, model_type=model_type)
    context = ReadContext(source=given.name, version=wanted, model_type=model_type)
    try:
        if fmt.name == "aasx":
            model = _validate_package(given.data, context, settings, report.findings)
        elif fmt.is_rdf:
            model = _validate_rdf(given.data, fmt, context, settings, report.findings)
        else:
            model = _validate_document(
                given.data, fmt.name, context, settings, report.findings, standalone=True
            )
    except ReadError as error:
        report.findings.append(_finding(error))
        model = None
    except RecursionError:  # only when AAS_MAX_NESTING_DEPTH was raised beyond what Python follows
        report.findings.append(_finding(_too_deep(given.name)))
        model = None
    if model is None:
        # What no model can be built from, convert cannot convert: unreadable (exit 3), with
        # every problem the layers found.
        report.readable = False
    else:
        model.format = fmt.name
        report.version = str(model.version)
        report.model_type = model.class_name
        model_findings: list[Finding] = []
        if Check.CONSTRAINTS in settings.checks:
            # Over the whole model (every spec part of a package): ids are global.
            model_findings.extend(
                unique_ids(model, location_style(fmt.name, model.package), findings_file(model))
            )
        if Check.REFERENCES in settings.checks:
            settings.ran.add(Check.REFERENCES)
            try:
                model_findings.extend(
                    check_references(model, location_style(fmt.name, model.package))
                )
            except RecursionError:
                model_findings.append(_finding(_too_deep(given.name)))
        if settings.document is not None:
            model_findings = _positioned(model_findings, *settings.document)
        report.findings.extend(model_findings)
    report.checks = tuple(sorted(settings.ran))
    return report, model


def _too_deep(name: str | None) -> ReadError:
    return too_deep("the model", "checked", name)


def _settings(
    checks: Iterable[Check | str] | None, schemas: Sequence[str | os.PathLike[str]]
) -> _Settings:
    chosen = ALL_CHECKS if checks is None else frozenset(Check(str(c)) for c in checks)
    settings = _Settings(chosen)
    for schema in schemas:
        path = str(schema)
        if path.lower().endswith(".xsd"):
            settings.xml_schema = load_xml_schema(path)
        else:
            settings.json_schema = load_json_schema(path)
    return settings


def _finding(error: AasError) -> Finding:
    return Finding(Severity.ERROR, error.rule, error.message, error.location)


def _validate_document(
    data: bytes,
    format_name: str,
    context: ReadContext,
    settings: _Settings,
    findings: list[Finding],
    standalone: bool,
) -> Model | None:
    """Syntax, schema, model and constraints of one JSON or XML document.

    Unreadable syntax raises ReadError for a standalone file (the whole input is unreadable)
    and is a finding for a part of a package. Every finding gets its line (and for JSON its
    column) in this document.
    """
    codec: Any = by_name(format_name).codec
    if format_name == "json" and standalone:
        parts = _validate_json_in_parts(data, codec, context, settings, findings)
        if parts is not _NOT_IN_PARTS:
            return parts  # type: ignore[return-value]
    tree: Any = None
    try:
        if format_name == "json":
            parsed = codec.parse(data, context.source, findings)
        else:
            tree = codec.parse_tree(data, context.source)
            parsed = tree
    except ReadError as error:
        if standalone:
            raise
        findings.append(_finding(error))
        return None

    found: list[Finding] = []
    if standalone:
        settings.document = (data, tree)
    if Check.SCHEMA in settings.checks and format_name != "json":
        found.extend(_schema_findings(format_name, parsed, context, settings))
    model = None
    try:
        if format_name == "json":
            model = codec.build(parsed, context, found)
        else:
            model = codec.build_from_tree(tree, context, found)
    except ReadError as error:
        found.append(_finding(error))
    if Check.SCHEMA in settings.checks and format_name == "json":
        # JSON names no version: the schema is that of the version its reader chose
        if context.version is None and model is not None:
            context = replace(context, version=model.version)
        found[:0] = _schema_findings(format_name, parsed, context, settings)
    if model is not None and Check.CONSTRAINTS in settings.checks:
        settings.ran.add(Check.CONSTRAINTS)
        found.extend(instance_findings(model, location_style(format_name)))
    findings.extend(_positioned(found, data, tree))
    if model is not None:
        model.findings = []  # what reading noticed is already in ``findings``
    return model


_NOT_IN_PARTS = object()


def _validate_json_in_parts(
    data: bytes, codec: Any, context: ReadContext, settings: _Settings, findings: list[Finding]
) -> Model | object:
    """A JSON Environment validated one identifiable at a time, as it is read (see
    ``json_split``): each item by the project's schema as the only item of its array, its
    pointers then moved to its index, and dropped; the empty arrays on a skeleton of them.
    The findings are those of validating the whole document.

    ``_NOT_IN_PARTS`` when the text is not of that shape, or a schema of the caller's is
    used: the whole document is then validated at once."""
    if context.model_type is not None or settings.json_schema is not None:
        return _NOT_IN_PARTS
    schemas = Check.SCHEMA in settings.checks
    # Per version: a JSON reader that tells the version by content may read the text twice.
    checked: dict[Version, list[Finding]] = {}

    def inspect(key: str, index: int, item: Any, version: Version) -> None:
        if not schemas:
            return
        # The item alone in its array, checked by the Environment's own schema: the same
        # rules apply as in the whole document, and only the index in the pointer differs.
        first, actual = f"/{key}/0", f"/{key}/{index}"
        for finding in project_json_schema(version).check({key: [item]}, context.source):
            at = finding.location.pointer or ""
            if at == first or at.startswith(first + "/"):
                at = actual + at[len(first) :]
            located = replace(finding, location=replace(finding.location, pointer=at))
            checked.setdefault(version, []).append(located)

    model: Model | None = codec.read_in_parts(data, context, inspect)
    if model is None:
        return _NOT_IN_PARTS
    found = list(model.findings)
    model.findings = []  # what reading noticed goes into the report once, here
    if schemas:
        schema = project_json_schema(model.version)
        settings.ran.add(Check.SCHEMA)
        found.extend(checked.get(model.version, []))
        skeleton: dict[str, list[Any]] = {
            key: []
            for key, (attribute, _) in ENVIRONMENT_ARRAYS.items()
            if getattr(model.root, attribute) == []
        }
        found.extend(schema.check(skeleton, context.source))
    if Check.CONSTRAINTS in settings.checks:
        settings.ran.add(Check.CONSTRAINTS)
        found.extend(instance_findings(model, "json"))
    settings.document = (data, None)
    findings.extend(_positioned(found, data, None))
    return model


def _positioned(findings: list[Finding], data: bytes, tree: Any) -> list[Finding]:
    """The findings, each defect once (see ``aas.defects``), with the line (and column) of
    what they point at, where known."""
    if tree is not None:
        return _xml_positioned(findings, tree)
    positions = importlib.import_module("aas.converters.json.positions")
    return positions.with_positions(merge(findings, pointer_targets), data)


def _schema_findings(
    format_name: str, parsed: Any, context: ReadContext, settings: _Settings
) -> list[Finding]:
    """Schema findings, with the caller's schema or else the project's own for the version.

    A lone instance is checked against its class's definition; a schema that has none for
    it is not applied (and not listed as a layer that ran)."""
    if format_name == "json":
        version = context.version or DEFAULT_JSON_VERSION
        json_schema = settings.json_schema or project_json_schema(version)
        class_name = _json_class_name(parsed, context, version)
        if class_name is None or not isinstance(parsed, dict):
            return []
        validator = json_schema.for_class(serialized_name(class_name))
        if validator is None:
            return []
        settings.ran.add(Check.SCHEMA)
        return list(json_schema.check(parsed, context.source, validator))
    from lxml import etree  # XML only: validating JSON never loads lxml

    root = parsed
    xml_version = version_of_xml_namespace(etree.QName(root).namespace or "")
    if xml_version is None:
        return []  # reading the model reports the unknown namespace
    # The project's XSD declares every class, so a root it does not know is an error; a
    # schema the caller brings may simply not cover lone instances, and is then not applied.
    xml_schema = settings.xml_schema or project_xml_schema(xml_version)
    if settings.xml_schema is not None and not xml_schema.declares(etree.QName(root).localname):
        return []
    settings.ran.add(Check.SCHEMA)
    return list(xml_schema.check(root.getroottree(), context.source))


def _json_class_name(document: Any, context: ReadContext, version: Version) -> str | None:
    if not isinstance(document, dict):
        return None
    bound = binding(version)
    try:
        if context.model_type is not None:
            return require_class_name(bound, context.model_type)
        return detect_json_class(bound, document)
    except AasError:
        return None  # building the model reports why the class cannot be told


def _xml_positioned(findings: list[Finding], tree: Any) -> list[Finding]:
    """Each defect once, and the source line of the element each XPath points at. The
    schema, the model and the constraints spell XPaths differently (``aas:submodel``,
    ``*[1]``, ``aas:submodel[1]``), so findings are compared by the element they select."""
    from lxml import etree

    document = tree.getroottree() if hasattr(tree, "getroottree") else tree
    namespaces = {"aas": etree.QName(document.getroot()).namespace or ""}
    located: list[Finding] = []
    elements: dict[int, str] = {}
    for finding in findings:
        node = None
        if finding.location.xpath:
            try:
                nodes = document.xpath(finding.location.xpath, namespaces=namespaces)
            except etree.XPathError:  # an XPath lxml refuses: keep the finding as it is
                nodes = []
            if nodes and hasattr(nodes[0], "sourceline"):
                node = nodes[0]
        if node is not None and finding.location.line is None and node.sourceline:
            finding = replace(finding, location=replace(finding.location, line=node.sourceline))
        if node is not None:
            elements[id(finding)] = document.getpath(node)
        located.append(finding)

    def targets(finding: Finding) -> list[Hashable]:
        element = elements.get(id(finding))
        if element is not None:
            return [element]
        return [finding.location.xpath] if finding.location.xpath else []

    return merge(located, targets)


def _validate_rdf(
    data: bytes, fmt: Any, context: ReadContext, settings: _Settings, findings: list[Finding]
) -> Model | None:
    """RDF: syntax, SHACL with the project's shapes, the model, its constraints."""
    version_of_graph = importlib.import_module("aas.converters.rdf.mapping").version_of_graph
    shacl_check = importlib.import_module("aas.converters.rdf.shacl").check

    codec = fmt.codec
    graph = codec.parse(data, context.source)  # unreadable syntax raises ReadError
    version = context.version or version_of_graph(graph)
    if Check.SCHEMA in settings.checks and version is not None:
        settings.ran.add(Check.SCHEMA)
        findings.extend(shacl_check(graph, version, context.source))
    try:
        model = codec.build(graph, context, findings)
    except ReadError as error:
        findings.append(_finding(error))
        return None
    if Check.CONSTRAINTS in settings.checks:
        settings.ran.add(Check.CONSTRAINTS)
        findings.extend(merge(instance_findings(model, "json")))
    return model


def _validate_package(
    data: bytes, context: ReadContext, settings: _Settings, findings: list[Finding]
) -> Model | None:
    aasx_format: Any = by_name("aasx").codec

    def read_part(part: bytes, format_name: str, part_context: ReadContext) -> Model | None:
        return _validate_document(
            part, format_name, part_context, settings, findings, standalone=False
        )

    model, package_findings = aasx_format.read_with(data, context, read_part)
    findings.extend(package_findings)
    if model is not None and Check.PACKAGE in settings.checks:
        settings.ran.add(Check.PACKAGE)
        findings.extend(aasx_format.check_package(model))
    return model
