"""AAS JSON (Part 2 serialisation): orjson for the text, aas-core for the model.

JSON carries no metamodel version, so the caller's choice (or the documented default)
decides, and a note says which version was assumed.
"""

from __future__ import annotations

from typing import Any, BinaryIO

import orjson

from aas.codec import ReadContext, WriteContext, report_package_not_carried
from aas.errors import ReadError
from aas.findings import Finding, Location, Severity
from aas.instances import deserialization_rule, from_jsonable
from aas.model import Model
from aas.paths import jsonization_tokens, pointer
from aas.versions import DEFAULT_JSON_VERSION, binding

_UTF8_BOM = b"\xef\xbb\xbf"


def parse(data: bytes, source: str | None, findings: list[Finding]) -> Any:
    """Parse JSON text, turning every syntax problem into a located ReadError."""
    if data.startswith(_UTF8_BOM):
        # RFC 8259 forbids a BOM in JSON text but lets parsers ignore it: accept, and say so.
        findings.append(
            Finding(
                Severity.WARNING,
                "json:bom",
                "the file starts with a UTF-8 byte order mark, which JSON text must not have",
                Location(file=source, line=1, column=1),
            )
        )
        data = data[len(_UTF8_BOM) :]
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise ReadError(
            f"not well-formed JSON: {error.msg}",
            Location(file=source, line=error.lineno, column=error.colno),
            rule="json:syntax",
        ) from None


def read(data: bytes, context: ReadContext) -> Model:
    findings: list[Finding] = []
    document = parse(data, context.source, findings)
    return build(document, context, findings)


def build(document: Any, context: ReadContext, findings: list[Finding]) -> Model:
    """The model in a parsed JSON document; a ReadError (with its rule) when there is none."""
    if not isinstance(document, dict):
        raise ReadError(
            f"the top-level JSON value is {_json_kind(document)}; an AAS model is a JSON object",
            Location(file=context.source, pointer=""),
            rule="model:type",
        )

    version = context.version
    if version is None:
        version = DEFAULT_JSON_VERSION
        findings.append(
            Finding(
                Severity.INFO,
                "aas:version-assumed",
                f"JSON carries no metamodel version; read as V{version} "
                "(choose another with --aas-version)",
                Location(file=context.source),
            )
        )
    bound = binding(version)
    try:
        root = from_jsonable(bound, document, context.model_type)
    except ReadError as error:  # the class could not be told: say where
        raise ReadError(
            error.message, Location(file=context.source, pointer=""), rule=error.rule
        ) from None
    except bound.jsonization.DeserializationException as error:
        tokens = jsonization_tokens(error.path)
        raise ReadError(
            f"cannot read as an AAS V{version} model: {error.cause}",
            Location(file=context.source, pointer=pointer(tokens)),
            rule=deserialization_rule(error.cause),
        ) from None
    return Model(root=root, version=version, source=context.source, findings=findings)


def write(model: Model, stream: BinaryIO, context: WriteContext) -> None:
    report_package_not_carried(model, context, "JSON")
    jsonable = binding(model.version).jsonization.to_jsonable(model.root)
    stream.write(orjson.dumps(jsonable, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"
