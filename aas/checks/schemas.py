"""Schema validation: JSON Schema for JSON, XSD for XML, every violation a finding.

JSON Schemas run on jsonschema-rs (compiled, fast enough for models of tens of megabytes);
a schema it cannot compile (the official V3.x schemas, whose patterns are written as UTF-16
surrogate ranges, are such schemas) runs on python-jsonschema instead. XSDs run on lxml.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import orjson

from aas.errors import ReadError, UsageError
from aas.findings import Finding, Location, Severity, pointer
from aas.metamodel.paths import XPATH_PREFIX
from aas.model import Json
from aas.versions import Version

if TYPE_CHECKING:
    import jsonschema.protocols
    import jsonschema_rs
    from lxml import etree


class Validator(Protocol):
    """A compiled JSON Schema (or one of its definitions) of either engine."""

    def findings(self, instance: Json, source: str | None) -> Iterator[Finding]:
        """Every violation in ``instance`` (a document as orjson read it)."""
        ...


@dataclass(frozen=True)
class _RsValidator:
    validator: jsonschema_rs.Validator

    def findings(self, instance: Json, source: str | None) -> Iterator[Finding]:
        # A valid instance (the common case) is told a fifth faster by is_valid, which
        # stops collecting nothing; an invalid one is then walked again for its errors.
        if self.validator.is_valid(instance):
            return
        for error in self.validator.iter_errors(instance):
            keyword = str(list(error.schema_path)[-1]) if list(error.schema_path) else "schema"
            yield Finding(
                Severity.ERROR,
                f"schema:{keyword}",
                error.message,
                Location(file=source, pointer=pointer(list(error.instance_path))),
            )


@dataclass(frozen=True)
class _PythonValidator:
    validator: jsonschema.protocols.Validator

    def findings(self, instance: Json, source: str | None) -> Iterator[Finding]:
        # A valid instance (the common case) is told a fifth faster by is_valid, which
        # stops collecting nothing; an invalid one is then walked again for its errors.
        if self.validator.is_valid(instance):
            return
        for error in self.validator.iter_errors(instance):
            yield Finding(
                Severity.ERROR,
                f"schema:{error.validator}",
                error.message,
                Location(file=source, pointer=pointer(list(error.absolute_path))),
            )


@dataclass(frozen=True, eq=False)
class JsonSchema:
    path: str
    document: dict[str, Json]  # the schema as orjson read it
    validator: Validator
    engine: str  # "jsonschema-rs" or "python-jsonschema"

    def for_class(self, name: str) -> Validator | None:
        """A validator for a lone instance of class ``name`` (its definition in the schema),
        the whole schema for an Environment, or None when the schema defines no such class."""
        if name == "Environment":
            return self.validator
        return _class_validator(self, name)

    def check(
        self, instance: Json, source: str | None, validator: Validator | None = None
    ) -> Iterator[Finding]:
        return (validator or self.validator).findings(instance, source)


@dataclass(frozen=True, eq=False)
class XmlSchema:
    path: str
    schema: etree.XMLSchema
    #: local names of the schema's global elements (the roots it can validate)
    roots: frozenset[str]

    def declares(self, local_name: str) -> bool:
        return local_name in self.roots

    def check(self, tree: etree._ElementTree, source: str | None) -> Iterator[Finding]:
        if self.schema.validate(tree):
            return
        for entry in self.schema.error_log:
            yield Finding(
                Severity.ERROR,
                xsd_rule(entry),
                entry.message,
                Location(file=source, xpath=named_xpath(tree, entry.path), line=entry.line or None),
            )


def xsd_rule(entry: etree._LogEntry) -> str:
    """The rule id of an XSD error libxml2 reported (``xsd:cvc-pattern-valid``)."""
    return "xsd:" + entry.type_name.lower().removeprefix("schemav_").replace("_", "-")


def named_xpath(tree: etree._ElementTree, path: str | None) -> str | None:
    """libxml2 names elements ``/*/*[2]``; give the XPath with names (prefix ``aas``)."""
    from lxml import etree

    if not path:
        return None
    try:
        nodes = tree.xpath(path)
    except etree.XPathError:
        return path
    if not nodes or not isinstance(getattr(nodes[0], "tag", None), str):
        return path
    steps: list[str] = []
    node = nodes[0]
    while node is not None:
        name = etree.QName(node).localname
        parent = node.getparent()
        if parent is None:
            steps.append(f"{XPATH_PREFIX}:{name}")
        else:
            same = [sibling for sibling in parent if sibling.tag == node.tag]
            position = f"[{same.index(node) + 1}]" if len(same) > 1 else ""
            steps.append(f"{XPATH_PREFIX}:{name}{position}")
        node = parent
    return "/" + "/".join(reversed(steps))


@dataclass(frozen=True, eq=False)
class ShaclShapes:
    """SHACL shapes a caller brought, in Turtle: RDF input is checked with them by pySHACL
    (the project's own shapes are checked natively)."""

    path: str
    graph: Any  # an rdflib.Graph


@dataclass(frozen=True)
class Schemas:
    """The schemas a caller brought (``aas validate --schema``), one per kind at most: each
    format checks with the one of its kind, else with the project's own."""

    json: JsonSchema | None = None
    xml: XmlSchema | None = None
    shacl: ShaclShapes | None = None


def load_schemas(paths: Sequence[str | os.PathLike[str]]) -> Schemas | None:
    """The schemas in ``paths`` (``.xsd`` an XML Schema, ``.ttl`` SHACL shapes, anything else
    a JSON Schema; of one kind the last counts); a UsageError for one that cannot be used.
    None for no paths."""
    json_schema: JsonSchema | None = None
    xml_schema: XmlSchema | None = None
    shapes: ShaclShapes | None = None
    for schema in paths:
        path = str(schema)
        if path.lower().endswith(".xsd"):
            xml_schema = load_xml_schema(path)
        elif path.lower().endswith(".ttl"):
            shapes = load_shacl_shapes(path)
        else:
            json_schema = load_json_schema(path)
    if json_schema is None and xml_schema is None and shapes is None:
        return None
    return Schemas(json_schema, xml_schema, shapes)


@cache
def _class_validator(schema: JsonSchema, name: str) -> Validator | None:
    for key in ("$defs", "definitions"):
        definitions = schema.document.get(key)
        if isinstance(definitions, dict) and name in definitions:
            wrapper = {**schema.document, "$ref": f"#/{key}/{name}"}
            wrapper.pop("allOf", None)  # the official schemas apply Environment through allOf
            return _compile(wrapper, schema.engine)
    return None


def _compile(document: dict[str, Json], engine: str) -> Validator:
    if engine == "jsonschema-rs":
        import jsonschema_rs

        return _RsValidator(jsonschema_rs.validator_for(document))
    import jsonschema

    return _PythonValidator(jsonschema.validators.validator_for(document)(document))


@cache
def project_json_schema(version: Version) -> JsonSchema:
    from aas.metamodel.schemafiles import schema_folder, schema_names

    return load_json_schema(str(schema_folder() / schema_names(version)[0]))


@cache
def project_xml_schema(version: Version) -> XmlSchema:
    from aas.metamodel.schemafiles import schema_folder, schema_names

    return load_xml_schema(str(schema_folder() / schema_names(version)[1]))


@cache
def load_json_schema(path: str) -> JsonSchema:
    try:
        document = orjson.loads(Path(path).read_bytes())
    except (OSError, orjson.JSONDecodeError) as error:
        raise UsageError(f"cannot read the JSON Schema {path!r}: {error}") from None
    try:
        import jsonschema_rs

        validator = jsonschema_rs.validator_for(document)
        return JsonSchema(path, document, _RsValidator(validator), "jsonschema-rs")
    except (ImportError, ValueError):
        pass  # not compilable there: fall back to the pure-Python engine
    import jsonschema

    try:
        cls = jsonschema.validators.validator_for(document)
        cls.check_schema(document)
    except jsonschema.SchemaError as error:
        raise UsageError(f"{path!r} is no valid JSON Schema: {error.message}") from None
    return JsonSchema(path, document, _PythonValidator(cls(document)), "python-jsonschema")


@cache
@cache
def load_shacl_shapes(path: str) -> ShaclShapes:
    import rdflib

    graph = rdflib.Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as error:  # rdflib raises what its parser meets
        raise UsageError(f"cannot use the SHACL shapes {path!r}: {error}") from None
    return ShaclShapes(path, graph)


def load_xml_schema(path: str) -> XmlSchema:
    from lxml import etree

    from aas.xmlsafe import parse_xml

    try:
        tree = parse_xml(Path(path).read_bytes(), path)
        roots = frozenset(
            element.get("name", "")
            for element in tree
            if isinstance(element.tag, str) and etree.QName(element).localname == "element"
        )
        return XmlSchema(path, etree.XMLSchema(tree), roots)
    except (OSError, ReadError, etree.XMLSchemaParseError) as error:
        raise UsageError(f"cannot use the XML Schema {path!r}: {error}") from None
