"""AAS JSON (Part 2 serialisation): orjson for the text, aas-core for the model.

:data:`CODEC` is the format (an ``aas.codec.Codec``); it reads and writes with this module's
functions (``parse``, ``build``, ``read_in_parts``, ``write``).

JSON carries no metamodel version, so the caller's choice decides, or else the content: the
version under which the model is valid when that is only one, otherwise V3.1; a note says
which version was chosen and why. Properties the metamodel does not define are reported and
left out (``aas.converters.json.unknown``), and the rest of the model is read.
"""

from __future__ import annotations

import json
import mmap
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate
from typing import TYPE_CHECKING, Any, BinaryIO, TypeAlias, cast

import orjson

from aas.checks.constraints import verify_instance
from aas.checks.schemas import project_json_schema
from aas.codec import (
    Check,
    Codec,
    Document,
    ReadContext,
    WriteContext,
    report_package_not_carried,
)
from aas.errors import AasError, ReadError, WriteError, too_deep, too_deep_to_write
from aas.findings import Finding, Location, Severity, escape_pointer_token, pointer
from aas.limits import Limits
from aas.memory import release_freed_memory
from aas.metamodel.classes import (
    ENVIRONMENT_ARRAYS,
    deserialization_rule,
    detect_json_class,
    json_class_name,
    require_class_name,
)
from aas.metamodel.jsonbuild import Unfit, try_build
from aas.metamodel.jsonbuild import build as build_member
from aas.metamodel.names import serialized_name
from aas.metamodel.paths import PropertyStep, jsonization_steps, jsonization_tokens
from aas.model import Model, Root
from aas.versions import DEFAULT_JSON_VERSION, Binding, Version, binding

from ..v2.detect import HEAD_BYTES, is_v2_json
from . import prerelease as json_prerelease
from . import split as json_split
from . import unknown as jsonstrip
from .positions import locate, with_positions

if TYPE_CHECKING:
    import aas_core3.jsonization as j30
    import aas_core3_1.jsonization as j31

#: aas-core's refusal of a document, and where in it.
_Refusal: TypeAlias = "j30.DeserializationException | j31.DeserializationException"
_Path: TypeAlias = "j30.Path | j31.Path"

_UTF8_BOM = b"\xef\xbb\xbf"


def parse(
    data: bytes, source: str | None, findings: list[Finding], limits: Limits | None = None
) -> object:
    """Parse JSON text, turning every syntax problem into a located ReadError.

    A document nested deeper than the limit is refused; keys that appear twice in one object
    are reported as findings (``json:duplicate-key``), as JSON readers disagree on them.
    """
    limits = limits or Limits.from_environment()
    if data.startswith(_UTF8_BOM):
        # RFC 8259 forbids a BOM in JSON text but lets parsers ignore it: accept, and say so.
        findings.append(_bom_finding(source))
        data = data[len(_UTF8_BOM) :]
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise _syntax_error(data, error, source, limits) from None
    if isinstance(document, dict | list):
        _check_structure(data, document, source, findings, limits)
    return document


def _bom_finding(source: str | None) -> Finding:
    return Finding(
        Severity.WARNING,
        "json:bom",
        "the file starts with a UTF-8 byte order mark, which JSON text must not have",
        Location(file=source, line=1, column=1),
    )


# region hostile and ambiguous text

#: orjson parses up to 1024 levels and writes up to this many.
_ORJSON_WRITE_DEPTH = 254
_ESCAPED_COLON = re.compile(rb"\\u003[aA]")
_NOT_STRUCTURE = bytes(c for c in range(256) if c not in b'"[]{}')
_DEPTH_STEP = [0] * 256
for _byte in b"[{":
    _DEPTH_STEP[_byte] = 1
for _byte in b"]}":
    _DEPTH_STEP[_byte] = -1
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def _check_structure(
    data: bytes, document: object, source: str | None, findings: list[Finding], limits: Limits
) -> None:
    """Refuse nesting beyond the limit; report duplicate keys. Cheap when neither occurs.

    Both are told from the compact form orjson writes of the parsed document (a few per cent
    of the parse time): orjson writes no more than 254 levels, so a document it can write is
    no deeper than that, and an object that held a key twice lost a member (and with it at
    least one ``:``) on the way. Only then is the text scanned closely.
    """
    try:
        compact: bytes | None = orjson.dumps(document)
    except orjson.JSONEncodeError:  # deeper than orjson writes
        compact = None
    limit = limits.max_nesting_depth
    if (compact is None or limit < _ORJSON_WRITE_DEPTH) and _deeper_than(data, limit):
        offset = _offset_beyond(data, limit)
        line, column = _position(data, offset)
        raise ReadError(
            f"the JSON nests deeper than {limit} levels of objects and arrays "
            "(the nesting-depth limit; raise it with AAS_MAX_NESTING_DEPTH)",
            Location(file=source, line=line, column=column),
            rule="json:nesting-depth",
        )
    if compact is not None:
        # Colons in the text: one per member, plus those inside strings (literal or escaped).
        colons = data.count(b":")
        if data.find(b"\\") != -1:  # (a search for one byte is fast; most texts hold none)
            colons += len(_ESCAPED_COLON.findall(data))
        if colons == compact.count(b":"):
            return
    findings.extend(_duplicate_keys(data, source))


#: How an item of an Environment's array begins when orjson wrote the Environment indented by
#: two spaces (as this toolkit writes JSON), and when it wrote it compact.
_INDENTED_ITEM = b'{\n      "'
_COMPACT_ITEM = b'{"'
#: What orjson writes, indented, around the one item of ``{key: [item]}`` (the key aside).
_INDENTED_AROUND = b'{\n  "": [\n    '
_INDENTED_AFTER = b"\n  ]\n}"


def _as_orjson_writes(text: bytes, document: object, key: str, limits: Limits) -> bool:
    """Whether ``text``, an item of the Environment's array ``key``, is byte for byte what
    orjson writes of its parsed ``document`` (indented by two spaces at the item's place, or
    compact). Then no object in it holds a key twice (written from dicts, no object written
    holds a key twice), and it nests no deeper than orjson writes. A cheaper proof than
    :func:`_check_structure`'s on such text: one comparison instead of counting the colons
    of the text and of a second form of it (measured with callgrind on the benchmark's 15 MB
    mlp and deep models: 4 % and 5 % of a JSON->XML conversion's instructions less). False
    whenever the text differs in any byte (another writer's spacing, escapes, numbers): that
    check then decides, as before."""
    if limits.max_nesting_depth < _ORJSON_WRITE_DEPTH:
        return False
    # Writers that escape every non-ASCII character (an a-umlaut as \u00e4; a third of the
    # IDTA templates' items) are common, and orjson writes such escapes for control characters
    # only: their text is not tried (a backslash is looked for first, which is fast).
    if text.find(b"\\") != -1 and text.find(b"\\u") != -1:
        return False
    try:
        if text.startswith(_INDENTED_ITEM):
            written = orjson.dumps({key: [document]}, option=orjson.OPT_INDENT_2)
            # the item stands between '{\n  "key": [\n    ' and '\n  ]\n}'
            start = len(key) + len(_INDENTED_AROUND)
            return (
                len(written) == start + len(text) + len(_INDENTED_AFTER)
                and written.startswith(text, start)
                and written.endswith(_INDENTED_AFTER)
            )
        if text.startswith(_COMPACT_ITEM):
            colon = text.find(b'":')
            if text[colon + 2 : colon + 3] == b" ":  # Python's json.dumps: ": " and ", "
                return False
            return orjson.dumps(document) == text
    except orjson.JSONEncodeError:  # deeper than orjson writes
        pass
    return False


def _deeper_than(data: bytes, limit: int) -> bool:
    """Whether objects and arrays in (well-formed) JSON text nest deeper than ``limit``."""
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    # Escapes go first (in well-formed JSON a backslash only starts one), then every byte
    # but quotes and brackets; what lies between the remaining quote pairs is string content.
    structure = data.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_STRUCTURE)
    outside = b"".join(structure.split(b'"')[::2])
    return max(accumulate(map(_DEPTH_STEP.__getitem__, outside)), default=0) > limit


def _offset_beyond(data: bytes, limit: int) -> int:
    """The offset of the bracket that opens level ``limit + 1``."""
    depth = 0
    for match in _TOKEN.finditer(data):
        step = _DEPTH_STEP[data[match.start()]]
        depth += step
        if depth > limit:
            return match.start()
    return 0


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """(line, column), 1-based, of a byte offset; the column counts characters."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


class _Object(dict[str, object]):
    """A JSON object that remembers the keys it held more than once."""

    repeated: dict[str, int] | None = None


def _object(pairs: list[tuple[str, object]]) -> _Object:
    result = _Object(pairs)
    if len(result) != len(pairs):
        counts = Counter(key for key, _ in pairs)
        result.repeated = {key: count for key, count in counts.items() if count > 1}
    return result


def _duplicate_keys(data: bytes, source: str | None) -> list[Finding]:
    """A finding for every key that appears more than once in one object, with its pointer."""
    try:
        document = json.loads(data.decode("utf-8"), object_pairs_hook=_object)
    except RecursionError:
        raise too_deep("the JSON", "checked", source, "json:nesting-depth") from None
    found: list[tuple[str, str, int]] = []
    stack: list[tuple[object, str]] = [(document, "")]
    while stack:
        node, at = stack.pop()
        if isinstance(node, dict):
            for key, count in (getattr(node, "repeated", None) or {}).items():
                found.append((f"{at}/{escape_pointer_token(key)}", key, count))
            stack.extend(
                (value, f"{at}/{escape_pointer_token(key)}") for key, value in node.items()
            )
        elif isinstance(node, list):
            stack.extend((value, f"{at}/{index}") for index, value in enumerate(node))
    found.sort()
    positions = locate(data, {at for at, _, _ in found})
    findings: list[Finding] = []
    for at, key, count in found:
        line, column = positions.get(at, (None, None))
        findings.append(
            Finding(
                Severity.WARNING,
                "json:duplicate-key",
                f"the key {key!r} appears {count} times in one object; JSON readers disagree "
                "on which value counts (the last one is read here)",
                Location(file=source, pointer=at, line=line, column=column),
            )
        )
    return findings


def _syntax_error(
    data: bytes, error: orjson.JSONDecodeError, source: str | None, limits: Limits
) -> ReadError:
    """A ReadError for text orjson refused, saying plainly what is wrong and where."""
    message = f"not well-formed JSON: {error.msg}"
    line, column = error.lineno, error.colno
    rule = "json:syntax"
    if "UTF-8" in error.msg:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            line, column = _position(data, bad.start)
            message = (
                f"not UTF-8: the byte 0x{data[bad.start]:02x} at offset {bad.start} is no valid "
                "UTF-8 (JSON text must be UTF-8)"
            )
    elif error.msg == "depth limit exceeded":
        rule = "json:nesting-depth"
        message = (
            "the JSON nests deeper than 1024 levels of objects and arrays, which no reader here "
            f"follows (the nesting-depth limit is {limits.max_nesting_depth})"
        )
    elif error.msg == "failed to allocate memory":
        # orjson says so for some truncated documents too: ask the standard parser what it is.
        try:
            json.loads(data.decode("utf-8"))
        except json.JSONDecodeError as other:
            message, line, column = f"not well-formed JSON: {other.msg}", other.lineno, other.colno
        except RecursionError:
            rule = "json:nesting-depth"
            message = "the JSON nests too deeply to be read (beyond Python's recursion limit)"
        else:
            message = "the JSON is too large to be parsed in the memory available"
    else:
        rest = data.decode("utf-8", errors="replace").splitlines()[line - 1 : line]
        word = rest[0][column - 1 : column + 8] if rest else ""
        if word.startswith(("NaN", "Infinity", "-Infinity")):
            message += " (NaN and Infinity are not JSON numbers)"
        elif "infinity" in error.msg:
            message += " (a number beyond the range of a double-precision float)"
    return ReadError(message, Location(file=source, line=line, column=column), rule=rule)


# endregion


def read(data: bytes, context: ReadContext) -> Model:
    if context.model_type is None:
        model = read_in_parts(data, context)
        if model is not None:
            return model
    findings: list[Finding] = []
    document = parse(data, context.source, findings)
    return build(document, context, findings)


# region the version, by content


@dataclass
class _Attempt:
    """Reading the JSON as one version: the model, or why there is none."""

    version: Version
    findings: list[Finding]
    model: Model | None = None
    error: ReadError | None = None  # no model, and no ReadError: read the whole document

    def errors(self) -> Iterator[Finding]:
        """What makes the model invalid under this version: properties the version does not
        define, then every metamodel constraint it breaks (lazily, in aas-core's order)."""
        assert self.model is not None
        yield from (f for f in self.findings if f.rule == jsonstrip.RULE)
        yield from verify_instance(self.model.root, self.version, self.model.source, "json")


#: The items (``key``, parsed JSON) of an Environment at the given (key, index) places.
Pieces = Callable[[set[tuple[str, int]]], Iterator[tuple[str, object]]]


def _by_content(
    attempt: Callable[[Version], _Attempt], source: str | None, pieces: Pieces | None = None
) -> _Attempt:
    """The attempt whose version the content tells; its findings start with a note saying
    which version was chosen and why.

    JSON names no version. V3.1 (the current one) is tried first, and kept when the model is
    valid under it (builds, and breaks no metamodel constraint), so a clean file is read and
    checked once, and its check is kept for the caller (``Model.checked``). Only a model that
    is invalid as V3.1 (or cannot be built as V3.1) is read as V3.0 as well, and V3.0 chosen
    when the model is valid as V3.0 only (or can be built as V3.0 only). Otherwise V3.1.

    ``pieces`` gives the identifiables of an Environment again: the ones V3.1 finds fault
    with are tried as V3.0 first, and a fault there (the usual case: most rules are the same
    in both versions) spares reading the whole model as V3.0."""
    current = attempt(DEFAULT_JSON_VERSION)
    if current.model is None and current.error is None:
        return current  # not to be read in parts: the whole reading decides
    broken: list[Finding] = []
    if current.model is not None:
        checked = list(current.errors())
        current.model.checked["json"] = [f for f in checked if f.rule != jsonstrip.RULE]
        broken = [f for f in checked if f.severity >= Severity.ERROR]
        if not broken:
            return _noted(
                current,
                "aas:version-assumed",
                "read as V3.1, under which the model is valid",
                source,
            )
    if current.model is not None and pieces is not None and _faulty(broken, pieces, source):
        return _noted(current, "aas:version-assumed", _NEITHER, source)
    older = attempt(Version.V3_0)
    if older.model is not None:
        if current.model is None:
            assert current.error is not None
            return _noted(
                older,
                "aas:version-detected",
                "read as V3.0, the only version it can be read as "
                f"(as V3.1: {current.error.message})",
                source,
            )
        if next(older.errors(), None) is None:  # the whole check ran, and found nothing
            older.model.checked["json"] = []
            return _noted(
                older,
                "aas:version-detected",
                f"read as V3.0, the only version the model is valid under: {_why_not(broken)}",
                source,
            )
    if current.model is None:
        return current
    return _noted(current, "aas:version-assumed", _NEITHER, source)


_NEITHER = "read as V3.1, as the model is valid under neither V3.0 nor V3.1"
_ITEM = re.compile(r"/([A-Za-z]+)/(0|[1-9][0-9]*)(?:/|$)")


def _faulty(broken: list[Finding], pieces: Pieces, source: str | None) -> bool:
    """Whether an identifiable that breaks a rule as V3.1 is invalid as V3.0 too (then so is
    the model). Rules are checked per instance, so an identifiable alone breaks what it
    breaks in its Environment. False when a fault lies outside the identifiables."""
    places: set[tuple[str, int]] = set()
    for finding in broken:
        match = _ITEM.match(finding.location.pointer or "")
        if match is None or match.group(1) not in json_split.ARRAYS:
            return False
        places.add((match.group(1), int(match.group(2))))
    for key, item in pieces(places):
        noticed: list[Finding] = []
        try:
            instance = _build_tolerant(
                Version.V3_0, json_split.ARRAYS[key][1], item, "", source, noticed
            )
        except (RecursionError, binding(Version.V3_0).jsonization.DeserializationException):
            return True
        if noticed or next(verify_instance(instance, Version.V3_0, source), None) is not None:
            return True
    return False


def _why_not(broken: list[Finding]) -> str:
    """What keeps a model that is valid V3.0 from being valid V3.1, in a few words."""
    where = [f.location.pointer or "/" for f in broken]
    if all(f.rule == "metamodel:pattern" and f.location.pointer for f in broken) and all(
        at.endswith("/idShort") for at in where
    ):
        # A V3.0 idShort ([a-zA-Z][a-zA-Z0-9_]*) that V3.1's pattern refuses has one letter.
        count = f"{len(where)} here, the first" if len(where) > 1 else "one here"
        return f"V3.1 allows no idShort of one letter ({count} at {where[0]})"
    more = f", and {len(broken) - 1} more" if len(broken) > 1 else ""
    return f"as V3.1 it breaks {broken[0].rule} (at {where[0]}{more})"


def _noted(chosen: _Attempt, rule: str, what: str, source: str | None) -> _Attempt:
    note = Finding(
        Severity.INFO,
        rule,
        f"JSON carries no metamodel version; {what} (choose another with --aas-version)",
        Location(file=source),
    )
    chosen.findings.insert(0, note)
    return chosen


# endregion


def build(document: object, context: ReadContext, findings: list[Finding]) -> Model:
    """The model in a parsed JSON document; a ReadError (with its rule) when there is none.

    Without a version in ``context`` the content tells it (see :func:`_by_content`).
    ``findings`` (what parsing noticed) gets what building notices; it becomes the model's."""
    if not isinstance(document, dict):
        raise ReadError(
            f"the top-level JSON value is {_json_kind(document)}; an AAS model is a JSON object",
            Location(file=context.source, pointer=""),
            rule="model:type",
        )
    json_object: dict[str, object] = document  # named, for the functions below to see its type
    if context.version is not None:
        return _build_as(json_object, context, context.version, findings)

    def attempt(version: Version) -> _Attempt:
        tried = _Attempt(version, list(findings))
        try:
            tried.model = _build_as(json_object, context, version, tried.findings)
        except ReadError as error:
            tried.error = error
        return tried

    def pieces(places: set[tuple[str, int]]) -> Iterator[tuple[str, object]]:
        for key, index in sorted(places):
            items = json_object.get(key)
            if isinstance(items, list) and index < len(items):
                yield key, items[index]

    whole = context.model_type is None and all(key in json_split.ARRAYS for key in json_object)
    chosen = _by_content(attempt, context.source, pieces if whole else None)
    findings[:] = chosen.findings
    if chosen.model is None:
        assert chosen.error is not None
        raise chosen.error
    chosen.model.findings = findings
    return chosen.model


def _build_as(
    document: dict[str, object], context: ReadContext, version: Version, findings: list[Finding]
) -> Model:
    bound = binding(version)
    try:
        name = json_class_name(bound, document, context.model_type)
        root = _build_tolerant(version, name, document, "", context.source, findings)
    except ReadError as error:  # the class could not be told: say where
        raise ReadError(
            error.message, Location(file=context.source, pointer=""), rule=error.rule
        ) from None
    except (RecursionError, bound.jsonization.DeserializationException) as error:
        raise _not_a_model(bound, error, context) from None
    return Model(root=root, version=version, source=context.source, findings=findings)


def _build_tolerant(
    version: Version,
    class_name: str,
    document: object,
    at: str,
    source: str | None,
    findings: list[Finding],
) -> Root:
    """An instance built from ``document`` (at the pointer ``at``). Properties the metamodel
    does not define are taken out, each reported, and the rest built; everything else that
    keeps aas-core from building it is raised as aas-core raises it."""
    try:
        return build_member(version, class_name, document)
    except binding(version).jsonization.DeserializationException as error:
        if deserialization_rule(error.cause) != jsonstrip.RULE:
            raise
        stripped, unknown = jsonstrip.strip_unknown(version, class_name, document, at)
        if not unknown:  # where the class of the object is not known: as it was
            raise
    findings.extend(item.finding(source) for item in unknown)
    return build_member(version, class_name, stripped)


def _not_a_model(
    bound: Binding, error: RecursionError | _Refusal, context: ReadContext
) -> ReadError:
    """The ReadError for what aas-core could not build."""
    if isinstance(error, RecursionError):
        return too_deep("the model", "read", context.source, "json:nesting-depth")
    cause = _with_type(error.cause, error.path)
    tokens = jsonization_tokens(error.path)
    return ReadError(
        f"cannot read as an AAS V{bound.version} model: {cause}",
        Location(file=context.source, pointer=pointer(tokens)),
        rule=deserialization_rule(cause),
    )


_UNFILLED_TYPE = "{type(jsonable)}"


def _with_type(cause: str, path: _Path) -> str:
    """aas-core (1.1.4, 1.0.0) says "Expected a str, but got: {type(jsonable)}" for an
    enumeration's value of a wrong type (its message lacks the f-string prefix): name the type
    of the value the path ends at instead."""
    if _UNFILLED_TYPE not in cause or not path.segments:
        return cause
    last = jsonization_steps(path)[-1]
    try:
        # aas-core puts the property's value (not the object holding it) in its segment
        value = last.instance if isinstance(last, PropertyStep) else last.sequence[last.index]
    except (IndexError, TypeError):
        return cause
    return cause.replace(_UNFILLED_TYPE, repr(type(value)))


#: Bytes of JSON text read in parts after which freed parse buffers go back to the system
#: (each return costs about a millisecond; on the 15 MB benchmark model, validating peaked at
#: 5.01x the input with every 4 MB, 4.98x with 2 MB, 4.93x with 1 MB, in one session).
_RELEASE_EVERY = 1 << 20
#: The same where nothing inspects the items (converting, loading): peak memory has room there
#: (converting the 15 MB mlp model peaked at 41 MiB with every 1 MB, 44 MiB with 4 MB, against
#: a goal of 4x the input), and each return costs more than its call: the pages given back are
#: faulted in again by the next pieces (median CPU time of that conversion 0.205 s against
#: 0.197 s, 6 fresh processes each, in one session).
_RELEASE_EVERY_UNINSPECTED = 4 << 20


#: ``inspect(key, index, item, version)``: sees each item of an Environment read in parts.
Inspect = Callable[[str, int, object, Version], None]


def read_in_parts(
    data: bytes, context: ReadContext, inspect: Inspect | None = None
) -> Model | None:
    """An Environment read one identifiable at a time (see ``json_split``); None when the text
    is not of that common shape, or a piece needs the whole document's closer look (nesting
    near the limit, a repeated key, a syntax error, no model): the whole reading then says it
    exactly as it always did. Without a version in ``context`` the content tells it (see
    :func:`_by_content`); the text is then read a second time only when the model is not
    valid as V3.1.

    ``inspect(key, index, item, version)`` sees each item's parsed JSON before it is built as
    ``version`` and dropped (validation checks it by the schema there)."""
    if context.version is not None:
        return _read_in_parts_as(data, context, context.version, inspect).model

    def attempt(version: Version) -> _Attempt:
        return _read_in_parts_as(data, context, version, inspect)

    def pieces(places: set[tuple[str, int]]) -> Iterator[tuple[str, object]]:
        counts: dict[str, int] = {}
        start = len(_UTF8_BOM) if data[: len(_UTF8_BOM)] == _UTF8_BOM else 0
        for key, item, text in json_split.items(data, start):
            if text is not None:
                index = counts[key] = counts.get(key, -1) + 1
                if (key, index) in places:
                    yield key, item

    return _by_content(attempt, context.source, pieces).model


def _read_in_parts_as(
    data: bytes, context: ReadContext, version: Version, inspect: Inspect | None
) -> _Attempt:
    """Reading in parts as ``version``: an attempt with a model, or with neither a model nor
    an error (the whole reading decides)."""
    findings: list[Finding] = []
    whole = _Attempt(version, findings)
    start = 0
    if data[: len(_UTF8_BOM)] == _UTF8_BOM:  # (a mapped file has no startswith)
        findings.append(_bom_finding(context.source))
        start = len(_UTF8_BOM)
    limits = Limits.from_environment()
    # Each piece sits two levels deep: in the Environment's object and in one of its arrays.
    inner = replace(limits, max_nesting_depth=max(limits.max_nesting_depth - 2, 0))
    bound = binding(version)
    # Either version's identifiables, which the version's Environment is built from; mypy
    # cannot see that both are of one version, so the items are taken untyped here.
    lists: dict[str, list[Any]] = {}
    unreleased = 0
    read_to = [start]  # the offset past the last item read
    release_every = _RELEASE_EVERY if inspect is not None else _RELEASE_EVERY_UNINSPECTED
    try:
        # A large submodel is cut into its elements only where nothing inspects whole items.
        for key, document, text in json_split.items(data, start, read_to, inspect is None):
            if text is None:
                lists[key] = []
                continue
            if isinstance(document, json_split.Cut):
                built = _build_cut(document, data, version, inner, context.source)
                if built is not None:
                    lists[key].append(built)
                    del document, built
                    release_freed_memory()
                    continue
                document = orjson.loads(text)  # read as any other item
            if isinstance(document, dict | list):
                noticed: list[Finding] = []
                piece = bytes(text)
                try:
                    if not _as_orjson_writes(piece, document, key, inner):
                        _check_structure(piece, document, context.source, noticed, inner)
                except ReadError:
                    return whole
                if noticed:
                    return whole
            index = len(lists[key])
            if inspect is not None:
                inspect(key, index, document, version)
            try:
                lists[key].append(
                    _build_tolerant(
                        version,
                        json_split.ARRAYS[key][1],
                        document,
                        f"/{key}/{index}",
                        context.source,
                        findings,
                    )
                )
            except (RecursionError, bound.jsonization.DeserializationException):
                # Not a model. Which problem is reported first (a syntax error further on, or
                # this) is the whole reading's to say.
                return whole
            del document  # the piece's tree goes before the next piece is parsed
            unreleased += len(text)
            if unreleased >= release_every:
                release_freed_memory()
                _release_read(data, read_to[0])
                unreleased = 0
    except (json_split.NotSplittable, orjson.JSONDecodeError):
        return whole
    if unreleased:
        release_freed_memory()  # the last pieces' buffers too, before the model is checked
    _release_read(data, len(data))
    root = bound.types.Environment(
        **{attribute: lists.get(key) for key, (attribute, _) in json_split.ARRAYS.items()}
    )
    whole.model = Model(root=root, version=version, source=context.source, findings=findings)
    return whole


def _build_cut(
    cut: json_split.Cut, data: bytes, version: Version, limits: Limits, source: str | None
) -> Root | None:
    """A large submodel built one element at a time (see ``json_split.Cut``): the same
    instance as building its whole parsed object gives. None wherever that would not be plain
    (a key held twice, nesting near the limit, anything the fast builders do not take, such as
    a property the metamodel does not define): the item is then read as any other."""
    noticed: list[Finding] = []
    # Elements sit two levels below the submodel: in its object and in its list.
    deeper = replace(limits, max_nesting_depth=max(limits.max_nesting_depth - 2, 0))
    view = memoryview(data)
    unreleased = 0
    try:
        _check_structure(cut.outer_text, cut.outer, source, noticed, limits)
        submodel: Any = try_build(version, "Submodel", cut.outer)
        elements = submodel.submodel_elements
        if noticed or not isinstance(elements, list):
            return None
        for start, end in cut.elements:
            text = view[start:end]
            element = orjson.loads(text)
            _check_structure(bytes(text), element, source, noticed, deeper)
            if noticed:
                return None
            elements.append(try_build(version, "SubmodelElement", element))
            del element, text
            unreleased += end - start
            if unreleased >= _RELEASE_EVERY:
                release_freed_memory()
                _release_read(data, end)
                unreleased = 0
    except (ReadError, Unfit, RecursionError, orjson.JSONDecodeError):
        return None
    built: Root = submodel
    return built


def _release_read(data: bytes, end: int) -> None:
    """Let the pages of a mapped file up to ``end`` go from memory: they were read, and the
    model built from them. They are read from the file again if asked for (placing a finding,
    reading the model a second time as another version). Bytes in memory stay as they are."""
    if isinstance(data, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
        length = end - end % mmap.PAGESIZE
        if length > 0:
            data.madvise(mmap.MADV_DONTNEED, 0, length)


def write(model: Model, stream: BinaryIO, context: WriteContext) -> None:
    """Indented JSON (two spaces), as orjson writes aas-core's jsonable. An Environment is
    written one identifiable at a time, each from a jsonable made for it alone, so the model
    never stands in memory twice; the bytes are those of writing the whole at once."""
    report_package_not_carried(model, context, "JSON")
    to_jsonable = binding(model.version).jsonization.to_jsonable
    try:
        if model.class_name != "Environment":
            stream.write(_dumps(to_jsonable(model.root), "", context) + b"\n")
            return
        arrays = [
            (key, items)
            for key, (attribute, _) in json_split.ARRAYS.items()
            if (items := getattr(model.root, attribute)) is not None
        ]
        if not arrays:
            stream.write(b"{}\n")
            return
        stream.write(b"{\n")
        for number, (key, items) in enumerate(arrays):
            stream.write(b'  "' + key.encode() + b'": ')
            if not items:
                stream.write(b"[]")
            else:
                stream.write(b"[\n")
                last = len(items) - 1
                for index, item in enumerate(items):
                    stream.write(b"    " + _dumps(to_jsonable(item), "    ", context))
                    stream.write(b",\n" if index < last else b"\n")
                stream.write(b"  ]")
            stream.write(b",\n" if number < len(arrays) - 1 else b"\n")
        stream.write(b"}\n")
    except RecursionError:
        raise too_deep_to_write(context.target) from None


def _dumps(value: object, indent: str, context: WriteContext) -> bytes:
    """``value`` as JSON indented by two spaces per level, each line after the first starting
    with ``indent`` (JSON strings hold no raw line break, so every line break is indentation)."""
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except orjson.JSONEncodeError as error:
        if "Recursion" not in str(error):
            raise WriteError(
                f"the model cannot be written as JSON: {error}", Location(file=context.target)
            ) from None
        # Deeper than orjson writes (254 levels): the standard writer gives the same bytes.
        text = json.dumps(value, indent=2, ensure_ascii=False).encode()
    return text.replace(b"\n", b"\n" + indent.encode()) if indent else text


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"


# region the format


class JsonDocument(Document[Any]):
    """JSON text and, once asked for, its parsed value.

    An Environment of the common shape is read in pieces (:func:`read_in_parts`) and never
    parsed whole; the schema findings of its pieces are kept here, made while each piece was
    at hand. Findings point into it by JSON pointers, located by scanning the text once."""

    style = "json"

    def __init__(self, text: bytes, source: str | None) -> None:
        #: The file mapped into memory, when the caller mapped it (see ``reads_mapped``):
        #: read in pieces from there, and copied into ``text`` only when something needs the
        #: whole text (a whole reading, locating findings).
        self.mapped: mmap.mmap | None = text if isinstance(text, mmap.mmap) else None
        self._text: bytes | None = None
        super().__init__(text, source)
        self._value: Any = None
        self._parsed = False
        self._noticed = False
        self._error: ReadError | None = None
        #: Read in pieces and schema-checked as read: each piece's findings, by the version
        #: it was read as (one reading may try both), and the arrays that were empty.
        self.piece_findings: dict[Version, list[Finding]] | None = None
        self.empty_arrays: tuple[str, ...] = ()
        #: The document is V2.0.1 JSON, read and upgraded (no V3 schema applies to it).
        self.v2 = False
        #: The document is a draft of V3.0, rewritten into V3.0 (the tree is the rewritten
        #: one, kept: parsed again, it would be the draft's); where each renamed property was.
        self.pre_release: json_prerelease.Upgraded | None = None

    @property
    def text(self) -> bytes:
        if self._text is None:
            assert self.mapped is not None
            self._text = self.mapped[:]
        return self._text

    @text.setter
    def text(self, value: bytes) -> None:
        self._text = None if isinstance(value, mmap.mmap) else value

    @property
    def contents(self) -> bytes:
        """The text for reading in pieces: the mapping where there is one (typed as the bytes
        it stands for; the splitter only slices and searches it), else the text."""
        return cast(bytes, self.mapped) if self.mapped is not None else self.text

    @property
    def tree(self) -> Any:
        """The whole JSON value, parsed on first use; what parsing notices goes to
        ``findings`` (once, even if the value is parsed again)."""
        if self._error is not None:
            raise self._error
        if not self._parsed:
            noticed: list[Finding] = []
            try:
                self._value = parse(self.text, self.source, noticed)
            except ReadError as error:
                self._error = error
                raise
            finally:
                if not self._noticed:
                    self.findings.extend(noticed)
                    self._noticed = True
            self._parsed = True
        return self._value

    def forget_tree(self) -> None:
        """Let the parsed value go (it is parsed again if asked for): while the model is
        checked, memory is better spent on it."""
        self._value = None
        self._parsed = False

    def locate(self, location: Location) -> Location:
        if location.pointer is None or location.line is not None:
            return location
        location = self._original(location)
        assert location.pointer is not None
        position = locate(self.text, {location.pointer}).get(location.pointer)
        if position is None:
            return location
        return replace(location, line=position[0], column=position[1])

    def locate_all(self, findings: Sequence[Finding]) -> list[Finding]:
        if self._text is None and not any(
            f.location.pointer is not None and f.location.line is None for f in findings
        ):
            return list(findings)  # nothing to place: a mapped text stays unread
        if self.pre_release is not None:
            findings = [
                f
                if f.rule in json_prerelease.RULES
                else replace(f, location=self._original(f.location))
                for f in findings
            ]
        return with_positions(list(findings), self.text)

    def _original(self, location: Location) -> Location:
        """A pointer into a draft rewritten into V3.0, turned into one into the text."""
        if self.pre_release is None or location.pointer is None:
            return location
        return replace(location, pointer=self.pre_release.original(location.pointer))


class JsonCodec(Codec[JsonDocument]):
    """AAS JSON: an Environment in pieces where the text allows, else the whole document."""

    reads_mapped = True

    def parse(self, data: bytes, context: ReadContext) -> JsonDocument:
        """Nothing is parsed yet: whether the text is read in pieces or whole is decided when
        the model is built."""
        return JsonDocument(data, context.source)

    def build(self, document: JsonDocument, context: ReadContext) -> Model:
        # V2.0.1 by the caller's word or by shape, or a draft of V3.0 by shape: a look at the
        # start of the text, no more.
        head = document.contents[:HEAD_BYTES]
        v2_shape = is_v2_json(head)
        if not context.v2 and json_prerelease.is_pre_release(head, v2_shape):
            return _build_pre_release(document, context)
        if context.v2 or v2_shape:
            return _build_v2(document, context)
        schema = Check.SCHEMA in context.checks
        theirs = context.schemas is not None and context.schemas.json is not None
        # A schema the caller brings is applied to the whole document (it may not hold the
        # Environment's definitions one piece at a time).
        if context.model_type is None and not (schema and theirs):
            found: dict[Version, list[Finding]] = {}
            inspect = _piece_checker(context.source, found) if schema else None
            model = read_in_parts(document.contents, context, inspect)
            if model is not None:
                document.piece_findings = found
                document.empty_arrays = tuple(
                    key
                    for key, (attribute, _) in ENVIRONMENT_ARRAYS.items()
                    if getattr(model.root, attribute) == []
                )
                return model
        noticed: list[Finding] = []
        try:
            model = build(document.tree, context, noticed)
        except ReadError:
            document.findings.extend(noticed)  # what was noticed before no model could be
            raise
        if not schema:
            document.forget_tree()
        return model

    def check_schema(self, document: JsonDocument, context: ReadContext) -> list[Finding] | None:
        """The JSON Schema of the version (the project's, or the caller's): an Environment
        read in pieces by what was found in each piece as it was read, and the empty arrays
        on a skeleton of them; anything else as a whole, a lone instance by its class's
        definition (not applied where the schema has none)."""
        version = context.version or DEFAULT_JSON_VERSION
        if document.v2:
            # V2's own schema, the rules the project states of it (the V3 schema is not for it)
            from ..v2.schema import check_v2_schema

            tree = document.tree
            # forced on a document not of V2's shape: reading it said so, no V2 rule applies
            return check_v2_schema(tree, context.source) if is_v2_json(tree) else None
        if document.piece_findings is not None:
            schema = project_json_schema(version)
            found = list(document.piece_findings.get(version, []))
            skeleton: dict[str, list[Any]] = {key: [] for key in document.empty_arrays}
            found.extend(schema.check(skeleton, context.source))
            return found
        theirs = context.schemas.json if context.schemas is not None else None
        json_schema = theirs or project_json_schema(version)
        value = document.tree
        if not isinstance(value, dict):
            return None
        class_name = _class_name(value, context.model_type, version)
        if class_name is None:
            return None
        validator = json_schema.for_class(serialized_name(class_name))
        if validator is None:
            return None
        return list(json_schema.check(value, context.source, validator))

    def write(self, model: Model, stream: BinaryIO, context: WriteContext) -> None:
        write(model, stream, context)


def _build_v2(document: JsonDocument, context: ReadContext) -> Model:
    """The V3 model of a V2.0.1 JSON document, upgraded (see ``aas.converters.v2``)."""
    from ..v2.build import V2_VERSION, build_model

    tree = document.tree
    if not isinstance(tree, dict):
        raise ReadError(
            f"the top-level JSON value is {_json_kind(tree)}; an AAS model is a JSON object",
            Location(file=context.source, pointer=""),
            rule="model:type",
        )
    document.v2 = True  # whatever follows, V3's schema is not for this document
    if not is_v2_json(tree):
        raise ReadError(
            f"--aas-version says V{V2_VERSION}, but the document is not of V2's shape (no "
            "identification, no modelType object): leave --aas-version out to read it as V3",
            Location(file=context.source),
            rule="aas:version-mismatch",
        )
    if context.version is not None:
        raise ReadError(
            f"the document is AAS V{V2_VERSION} JSON (by its shape), not V{context.version}: "
            "leave --aas-version out (or give 2.0) to read it and upgrade it to V3",
            Location(file=context.source),
            rule="aas:version-mismatch",
        )
    return build_model(tree, context, document.locate, context.upgrade_to or DEFAULT_JSON_VERSION)


def _build_pre_release(document: JsonDocument, context: ReadContext) -> Model:
    """The V3.0 model of a document in the JSON of a draft of V3.0 (V3.0RC01/RC02), rewritten
    into V3.0 first (see :mod:`.prerelease`)."""
    if context.version is not None and context.version is not Version.V3_0:
        raise ReadError(
            "the document is of the JSON shape of a draft of V3.0 (V3.0RC01/RC02), which is "
            f"read as V3.0, not V{context.version}: leave --aas-version out (or give 3.0), "
            "and convert it with --to-version",
            Location(file=context.source),
            rule="aas:version-mismatch",
        )
    tree = document.tree
    if not isinstance(tree, dict):
        raise ReadError(
            f"the top-level JSON value is {_json_kind(tree)}; an AAS model is a JSON object",
            Location(file=context.source, pointer=""),
            rule="model:type",
        )
    upgraded = json_prerelease.upgrade(tree, context.source)
    document.pre_release = upgraded
    noticed = list(upgraded.findings)
    try:
        return build(tree, replace(context, version=Version.V3_0), noticed)
    except ReadError as error:
        document.findings.extend(noticed)  # what differed, before no model could be built
        raise ReadError(
            error.message, document._original(error.location), rule=error.rule
        ) from None


def _piece_checker(source: str | None, found: dict[Version, list[Finding]]) -> Inspect:
    """What checks each identifiable of an Environment read in pieces: the item alone in its
    array, by the Environment's own schema (the same rules apply as in the whole document,
    and only the index in the pointer differs), its findings moved to its index."""

    def inspect(key: str, index: int, item: Any, version: Version) -> None:
        first, actual = f"/{key}/0", f"/{key}/{index}"
        for finding in project_json_schema(version).check({key: [item]}, source):
            at = finding.location.pointer or ""
            if at == first or at.startswith(first + "/"):
                at = actual + at[len(first) :]
            located = replace(finding, location=replace(finding.location, pointer=at))
            found.setdefault(version, []).append(located)

    return inspect


def _class_name(document: dict[str, Any], model_type: str | None, version: Version) -> str | None:
    bound = binding(version)
    try:
        if model_type is not None:
            return require_class_name(bound, model_type)
        return detect_json_class(bound, document)
    except AasError:
        return None  # building the model reports why the class cannot be told


CODEC = JsonCodec()

# endregion
