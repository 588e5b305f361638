"""Schema validation: JSON Schema for JSON, XSD for XML, every violation a finding.

JSON Schemas run on jsonschema-rs (compiled, fast enough for models of tens of megabytes);
a schema it cannot compile (the official V3.x schemas, whose patterns are written as UTF-16
surrogate ranges, are such schemas) runs on python-jsonschema instead. XSDs run on lxml.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from lxml import etree

from aas.errors import ReadError, UsageError
from aas.findings import Finding, Location, Severity
from aas.paths import pointer
from aas.xmlsafe import parse_xml


@dataclass(frozen=True)
class JsonSchema:
    path: str
    document: Any
    validator: Any
    engine: str  # "jsonschema-rs" or "python-jsonschema"

    def check(self, instance: Any, source: str | None) -> Iterator[Finding]:
        if self.engine == "jsonschema-rs":
            for error in self.validator.iter_errors(instance):
                keyword = str(list(error.schema_path)[-1]) if list(error.schema_path) else "schema"
                yield Finding(
                    Severity.ERROR,
                    f"schema:{keyword}",
                    error.message,
                    Location(file=source, pointer=pointer(list(error.instance_path))),
                )
        else:
            for error in self.validator.iter_errors(instance):
                yield Finding(
                    Severity.ERROR,
                    f"schema:{error.validator}",
                    error.message,
                    Location(file=source, pointer=pointer(list(error.absolute_path))),
                )


@dataclass(frozen=True)
class XmlSchema:
    path: str
    schema: Any

    def check(self, tree: Any, source: str | None) -> Iterator[Finding]:
        if self.schema.validate(tree):
            return
        for entry in self.schema.error_log:
            code = entry.type_name.lower().removeprefix("schemav_").replace("_", "-")
            yield Finding(
                Severity.ERROR,
                f"xsd:{code}",
                entry.message,
                Location(file=source, xpath=entry.path or None, line=entry.line or None),
            )


@cache
def load_json_schema(path: str) -> JsonSchema:
    try:
        document = orjson.loads(Path(path).read_bytes())
    except (OSError, orjson.JSONDecodeError) as error:
        raise UsageError(f"cannot read the JSON Schema {path!r}: {error}") from None
    try:
        import jsonschema_rs

        validator = jsonschema_rs.validator_for(document)
        return JsonSchema(path, document, validator, "jsonschema-rs")
    except (ImportError, ValueError):
        pass  # not compilable there: fall back to the pure-Python engine
    import jsonschema

    try:
        cls = jsonschema.validators.validator_for(document)
        cls.check_schema(document)
    except jsonschema.SchemaError as error:
        raise UsageError(f"{path!r} is no valid JSON Schema: {error.message}") from None
    return JsonSchema(path, document, cls(document), "python-jsonschema")


@cache
def load_xml_schema(path: str) -> XmlSchema:
    try:
        tree = parse_xml(Path(path).read_bytes(), path)
        return XmlSchema(path, etree.XMLSchema(tree))
    except (OSError, ReadError, etree.XMLSchemaParseError) as error:
        raise UsageError(f"cannot use the XML Schema {path!r}: {error}") from None
