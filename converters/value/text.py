"""JSON text for value-only JSON, with numbers kept as written.

Value-only JSON writes an ``xs:int`` or ``xs:double`` value as a JSON number, and the toolkit
keeps every value's lexical form (``1.0E2`` stays ``1.0E2``). JSON's number grammar holds
many lexical forms of XML Schema exactly, so a :class:`Number` is the text of a number,
written and read as that text: no float ever stands between the two.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

import orjson

from aas.errors import ReadError, too_deep
from aas.findings import Finding, Location

from ..json.format import parse as parse_json


class Number(str):
    """A JSON number, as the text it was written as (``1.0E2``, ``-0``, ``007`` never)."""

    __slots__ = ()


#: RFC 8259 §6: the grammar of a JSON number.
JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def loads(data: bytes, source: str | None, findings: list[Finding]) -> object:
    """Parse JSON text: syntax, depth, a byte order mark and keys held twice are told as
    AAS JSON tells them (the same rules, at the same places); numbers come back as
    :class:`Number`, strings as ``str``."""
    parse_json(data, source, findings)  # refuses what is no JSON, with line and column
    text = data.decode("utf-8").removeprefix("\ufeff")
    try:
        return json.loads(text, parse_int=Number, parse_float=Number)
    except RecursionError:
        raise too_deep("the JSON", "read", source, "json:nesting-depth") from None
    except ValueError as error:  # orjson accepted what the standard parser does not
        raise ReadError(f"not well-formed JSON: {error}", Location(file=source)) from None


Value = str | bool | Number | Sequence["Value"] | Mapping[str, "Value"] | None


def dumps(value: Value) -> bytes:
    """``value`` as JSON indented by two spaces (as the AAS JSON writer indents), numbers
    as their text."""
    parts: list[str] = []
    _write(value, "", parts)
    parts.append("\n")
    return "".join(parts).encode()


def _write(value: Value, indent: str, parts: list[str]) -> None:
    if isinstance(value, Number):
        parts.append(str(value))
    elif isinstance(value, str):
        parts.append(orjson.dumps(value).decode())
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif value is None:
        parts.append("null")
    elif isinstance(value, Mapping):
        if not value:
            parts.append("{}")
            return
        inner = indent + "  "
        parts.append("{")
        for index, (key, item) in enumerate(value.items()):
            parts.append(("," if index else "") + "\n" + inner)
            parts.append(orjson.dumps(key).decode() + ": ")
            _write(item, inner, parts)
        parts.append("\n" + indent + "}")
    else:
        if not value:
            parts.append("[]")
            return
        inner = indent + "  "
        parts.append("[")
        for index, item in enumerate(value):
            parts.append(("," if index else "") + "\n" + inner)
            _write(item, inner, parts)
        parts.append("\n" + indent + "]")
