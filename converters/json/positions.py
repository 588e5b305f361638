"""Line and column of JSON pointers in a JSON text.

orjson parses fast but keeps no positions, so when findings need lines this module scans the
text once more, only then. Only the branches that lead to a pointer asked for are walked
token by token, in Python; every other value is passed over by one regular expression (the
C engine, no Python per token), so placing thousands of findings costs one quick pass over
the text and a walk down the branches they are on. The bytes are scanned as they are (no
decoded copy of the text); only the stretches before the positions found are decoded, to
count columns in characters.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from aas.findings import Finding, Location, escape_pointer_token

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(rb"[^\s,\]\}]+")
_SPACE = re.compile(rb"[\s]*")
_BOM = "\ufeff".encode()
#: What ``\s`` matches in a pattern of bytes, one byte each.
_SPACES = frozenset(bytes([byte]) for byte in b" \t\n\r\f\v")


def _balanced(depth: int) -> str:
    """An object or array nested at most ``depth`` levels below its own, brackets inside
    strings ignored. Possessive throughout: the text is well-formed JSON (it was parsed), so
    nothing needs giving back, and a value nested deeper fails at once instead of
    backtracking (it is then walked a level at a time). Written as "unrolled loops" (a run
    of plain bytes, then any number of a string or container each followed by such a run),
    which the engine takes a quarter faster than an alternation repeated once per token."""
    plain = r'[^"\[\]{}]*+'
    inner = rf"{plain}(?:{_QUOTED}{plain})*+"
    for _ in range(depth):
        inner = rf"{plain}(?:(?:{_QUOTED}|[\[{{]{inner}[\]}}]){plain})*+"
    return rf"[\[{{]{inner}[\]}}]"


# A string: plain characters, then any number of an escape followed by plain characters.
_QUOTED = r'"[^"\\]*+(?:\\.[^"\\]*+)*+"'


@dataclass(frozen=True)
class _Patterns:
    #: A value off the branches asked for (group 1), the space after it and the comma after
    #: that, if any (group 2): one match per item passed over, or per object or array not
    #: followed. A container nested deeper than ``_DEPTH`` matches nothing here (a scalar
    #: starts with none of ``{["``) and is walked into.
    passed: re.Pattern[bytes]
    #: A member's key (group 1) up to its value.
    member: re.Pattern[bytes]
    #: The items of an array after the last one asked for, up to its ``]`` (included): the
    #: rest of an array passed over in one match.
    rest: re.Pattern[bytes]


#: How deep a container is passed over in one match: an Environment's property of a
#: collection eight levels down is about 20 brackets deep. Compiling costs in proportion
#: (about 0.1 ms a level and pattern, paid once per process when a finding is first placed).
_DEPTH = 20

#: How many patterns that pass over an object's members not asked for (one per set of keys
#: asked for, about 2 ms each to compile) one scan compiles at most; objects with other sets
#: of keys are then walked a member at a time.
_MOST_SKIPPERS = 32


@lru_cache(maxsize=_MOST_SKIPPERS)
def _skipper(keys: frozenset[bytes]) -> re.Pattern[bytes]:
    """The members of an object up to the first one whose key is one of ``keys`` (as the
    text writes them, quotes included), each with the comma after it, in one match: every
    member before one asked for, passed over without a step in Python. It stops early (and
    the member is looked at on its own) at a key written with escapes and at a value nested
    too deep. After the last member it stops at the ``}``."""
    wanted = b"|".join(re.escape(key) for key in sorted(keys))
    plain_key = rb'"[^"\\]*+"'
    return re.compile(
        rb"(?:\s*+(?!(?:"
        + wanted
        + rb")\s*+:)"
        + plain_key
        + rb"\s*+:\s*+"
        + _value().encode()
        + rb"\s*+(?:,|(?=\})))*+",
        re.DOTALL,
    )


@cache
def _value() -> str:
    """A JSON value: an object or array nested at most ``_DEPTH`` levels, a string or a
    scalar."""
    return rf'(?:{_balanced(_DEPTH)}|{_QUOTED}|[^\s,\]}}\[{{"][^\s,\]}}]*+)'


@cache
def _patterns() -> _Patterns:
    """Compiled when a finding is first placed (patterns a conversion without findings never
    needs)."""
    value = _value()
    return _Patterns(
        passed=re.compile(rf"\s*+({value})\s*+(,?)".encode(), re.DOTALL),
        member=re.compile(rf"\s*+({_QUOTED})\s*+:\s*+".encode(), re.DOTALL),
        # each item scanned once (a repetition that failed at the last item, which no comma
        # follows, would have scanned it for nothing), and one copy of the value's pattern
        rest=re.compile(rf"(?:\s*+{value}\s*+(?:,|(?=\])))*+\s*+\]".encode(), re.DOTALL),
    )


class _Scanner:
    def __init__(self, text: bytes, wanted: set[str]) -> None:
        self.text = text
        self.wanted = wanted
        # Per branch (a pointer with a wanted one below it), its members to follow by the
        # key as the text writes it (quotes included) and its items to follow by index: an
        # object's members are told apart by comparing bytes, without decoding a key that is
        # not asked for. Pointers that share a branch share the way up to it.
        self.keys: dict[str, dict[bytes, str]] = {}
        self.indexes: dict[str, set[int]] = {}
        self.prefixes: set[str] = set()
        for pointer in wanted:
            if pointer and not pointer.startswith("/"):
                continue  # no way leads there from the root
            child = pointer
            while child and child not in self.prefixes:
                self.prefixes.add(child)
                parent, _, token = child.rpartition("/")
                key = token.replace("~1", "/").replace("~0", "~")
                if escape_pointer_token(key) == token:
                    literal = b'"' + key.encode("utf-8", errors="surrogatepass") + b'"'
                    self.keys.setdefault(parent, {})[literal] = child
                if token.isdecimal() and str(int(token)) == token:
                    self.indexes.setdefault(parent, set()).add(int(token))
                child = parent
            self.prefixes.add("")
        # Only the branches with something asked for below them are walked into; a value
        # asked for with nothing asked for inside is passed over in one match.
        self.branches = set(self.keys) | set(self.indexes)
        # A wanted key with a replaced character may stand for bytes that are no UTF-8
        # in the text: only a decoded key tells, so every key of a branch is decoded then.
        self.lossy = any("\ufffd" in pointer for pointer in wanted)
        self.found: dict[str, int] = {}
        self.patterns = _patterns()
        self.skippers: dict[frozenset[bytes], re.Pattern[bytes]] = {}

    def _skipper(self, pointer: str) -> re.Pattern[bytes] | None:
        """The pattern that passes over the members of the object at ``pointer`` not asked
        for, while no more than a few sets of keys have been asked for in this scan."""
        keys = self.keys.get(pointer)
        if not keys or self.lossy:
            return None  # nothing to stop at, or every key has to be decoded
        wanted = frozenset(keys)
        if wanted not in self.skippers:
            if len(self.skippers) >= _MOST_SKIPPERS:
                return None
            self.skippers[wanted] = _skipper(wanted)
        return self.skippers[wanted]

    def space(self, at: int) -> int:
        # most values start, and most commas follow, with no space between: one look, no
        # pattern
        if self.text[at : at + 1] not in _SPACES:
            return at
        match = _SPACE.match(self.text, at)
        return match.end() if match else at

    def value(self, at: int, pointer: str) -> int:
        """Scan the value at ``at`` (after whitespace); return the index after it."""
        at = self.space(at)
        if pointer in self.wanted:
            self.found[pointer] = at
        follow = pointer in self.branches
        char = self.text[at : at + 1]
        if char == b"{" or char == b"[":
            if not follow:
                passed = self.patterns.passed.match(self.text, at)
                if passed is not None:
                    return passed.end(1)
            if char == b"{":
                return self.object(at + 1, pointer, follow)
            return self.array(at + 1, pointer, follow)
        if char == b'"':
            match = _STRING.match(self.text, at)
            return match.end() if match else len(self.text)
        match = _SCALAR.match(self.text, at)
        return match.end() if match else at + 1

    def object(self, at: int, pointer: str, follow: bool) -> int:
        text, prefixes, patterns = self.text, self.prefixes, self.patterns
        at = self.space(at)
        if text[at : at + 1] == b"}":
            return at + 1
        keys = self.keys.get(pointer, {}) if follow else {}
        # Keys written with escapes (or, for a lossy pointer, every key) are decoded to be
        # compared; the rest are compared as bytes.
        decode = follow and (self.lossy or pointer in self.keys)
        skipper = self._skipper(pointer) if follow else None
        while at < len(text):
            if skipper is not None:
                skipped = skipper.match(text, at)
                if skipped is not None:
                    at = skipped.end()
                    if text[at : at + 1] == b"}":
                        return at + 1
            member = patterns.member.match(text, at)
            if member is None:
                return len(text)
            literal = member.group(1)
            child = keys.get(literal)
            if child is None and decode and (self.lossy or b"\\" in literal):
                named = f"{pointer}/{escape_pointer_token(_decode_key(literal))}"
                child = named if named in prefixes else None
            if child is None:
                passed = patterns.passed.match(text, member.end())
                if passed is not None:
                    at = passed.end()
                    if passed.group(2):
                        continue
                    return at + 1
                # A value nested too deep to pass over in one match: walked into, named as
                # a branch not asked for.
                if follow:
                    child = f"{pointer}/{escape_pointer_token(_decode_key(literal))}"
                else:
                    child = pointer + "/\x00"
            at = self.space(self.value(member.end(), child))
            if text[at : at + 1] == b",":
                at += 1
                continue
            return at + 1
        return at

    def array(self, at: int, pointer: str, follow: bool) -> int:
        text, patterns = self.text, self.patterns
        at = self.space(at)
        if text[at : at + 1] == b"]":
            return at + 1
        indexes = self.indexes.get(pointer, ()) if follow else ()
        last = max(indexes, default=-1)
        index = 0
        while at < len(text):
            if index == last + 1:
                # Past the last item asked for: the rest in one match, if it can be (tried
                # once: an item nested too deep is then walked into as before).
                rest = patterns.rest.match(text, at)
                if rest is not None:
                    return rest.end()
            if index in indexes:
                child = f"{pointer}/{index}"
            else:
                child = pointer + "/\x00"
                passed = patterns.passed.match(text, at)
                if passed is not None:
                    index += 1
                    at = passed.end()
                    if passed.group(2):
                        continue
                    return at + 1
            index += 1
            at = self.space(self.value(at, child))
            if text[at : at + 1] == b",":
                at += 1
                continue
            return at + 1
        return at


def _decode_key(literal: bytes) -> str:
    if b"\\" not in literal:
        # nothing escaped: the common case, without a JSON parser
        return literal[1:-1].decode("utf-8", errors="replace")
    import json

    try:
        return str(json.loads(literal.decode("utf-8", errors="replace")))
    except ValueError:
        return literal[1:-1].decode("utf-8", errors="replace")


def locate(data: bytes, pointers: set[str]) -> dict[str, tuple[int, int]]:
    """(line, column), both 1-based, of each of ``pointers`` that the text holds; the column
    counts characters (a byte order mark is not one)."""
    if not pointers:
        return {}
    begin = len(_BOM) if data.startswith(_BOM) else 0
    scanner = _Scanner(data, pointers)
    with contextlib.suppress(RecursionError):  # absurdly deep text: give what was found
        scanner.value(begin, "")
    # Lines counted between one offset and the next, in order, and the characters of a line
    # up to each: every stretch of text is looked at once, so a model on one line (compact
    # JSON) costs no more than an indented one.
    positions: dict[str, tuple[int, int]] = {}
    line, start, counted, column = 1, begin, begin, 1
    for offset, pointer in sorted((offset, pointer) for pointer, offset in scanner.found.items()):
        newlines = data.count(b"\n", counted, offset)
        if newlines:
            line += newlines
            start = data.rfind(b"\n", counted, offset) + 1
            counted, column = start, 1
        # Offsets are where a value starts (an ASCII character), never inside a character.
        column += len(data[counted:offset].decode("utf-8", errors="replace"))
        counted = offset
        positions[pointer] = (line, column)
    return positions


def with_positions(findings: list[Finding], data: bytes) -> list[Finding]:
    """The findings, each pointer into ``data`` given its line and column where it has none:
    the text is scanned only when a finding needs it, and only down the branches asked for."""
    wanted = {
        f.location.pointer
        for f in findings
        if f.location.pointer is not None and f.location.line is None
    }
    if not wanted:
        return findings
    positions = locate(data, wanted)
    located: list[Finding] = []
    for finding in findings:
        where = finding.location
        position = positions.get(where.pointer or "\x00")
        if position is not None and where.line is None:
            # made directly (``dataclasses.replace`` costs more than the rest of placing a
            # finding); every field of both is passed on
            line, column = position
            where = Location(
                where.file, where.pointer, where.xpath, line, column, where.focus, where.path
            )
            finding = Finding(finding.severity, finding.rule, finding.message, where, finding.also)
        located.append(finding)
    return located
