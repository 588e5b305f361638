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
from dataclasses import dataclass, replace
from functools import cache

from aas.findings import Finding, escape_pointer_token

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(rb"[^\s,\]\}]+")
_SPACE = re.compile(rb"[\s]*")
_BOM = "\ufeff".encode()


def _balanced(depth: int) -> str:
    """An object or array nested at most ``depth`` levels below its own, brackets inside
    strings ignored. Possessive throughout: the text is well-formed JSON (it was parsed), so
    nothing needs giving back, and a value nested deeper fails at once instead of
    backtracking (it is then walked a level at a time)."""
    inner = rf'(?:[^"\[\]{{}}]++|{_QUOTED})*+'
    for _ in range(depth):
        inner = rf'(?:[^"\[\]{{}}]++|{_QUOTED}|[\[{{]{inner}[\]}}])*+'
    return rf"[\[{{]{inner}[\]}}]"


_QUOTED = r'"(?:[^"\\]++|\\.)*+"'


@dataclass(frozen=True)
class _Patterns:
    #: An object or array, deep enough for any real model in one match (an Environment's
    #: property of a collection eight levels down is about 20 brackets deep); deeper values
    #: are walked into.
    container: re.Pattern[bytes]
    #: A value off the branches asked for, the space after it and the comma after that, if
    #: any (group 1): one match per member or item passed over. A container nested too deep
    #: matches nothing here (a scalar starts with none of ``{["``).
    passed: re.Pattern[bytes]
    #: A member's key (group 1) up to its value.
    member: re.Pattern[bytes]


@cache
def _patterns() -> _Patterns:
    """Compiled when a finding is first placed (about 130 kB of compiled patterns that a
    conversion without findings never needs)."""
    nested = _balanced(32)
    return _Patterns(
        container=re.compile(nested.encode(), re.DOTALL),
        passed=re.compile(
            rf'\s*+(?:{nested}|{_QUOTED}|[^\s,\]}}\[{{"][^\s,\]}}]*+)\s*+(,?)'.encode(),
            re.DOTALL,
        ),
        member=re.compile(rf"\s*+({_QUOTED})\s*+:\s*+".encode(), re.DOTALL),
    )


class _Scanner:
    def __init__(self, text: bytes, wanted: set[str]) -> None:
        self.text = text
        self.wanted = wanted
        # Pointers along the way to a wanted one: only those branches are named while scanning.
        self.prefixes = {
            "/".join(pointer.split("/")[:count])
            for pointer in wanted
            for count in range(1, pointer.count("/") + 2)
        }
        self.found: dict[str, int] = {}
        self.patterns = _patterns()

    def space(self, at: int) -> int:
        match = _SPACE.match(self.text, at)
        return match.end() if match else at

    def value(self, at: int, pointer: str) -> int:
        """Scan the value at ``at`` (after whitespace); return the index after it."""
        at = self.space(at)
        if pointer in self.wanted:
            self.found[pointer] = at
        follow = pointer in self.prefixes
        char = self.text[at : at + 1]
        if char == b"{" or char == b"[":
            if not follow:
                passed = self.patterns.container.match(self.text, at)
                if passed is not None:
                    return passed.end()
            if char == b"{":
                return self.object(at + 1, pointer, follow)
            return self.array(at + 1, pointer, follow)
        if char == b'"':
            match = _STRING.match(self.text, at)
            return match.end() if match else len(self.text)
        match = _SCALAR.match(self.text, at)
        return match.end() if match else at + 1

    def object(self, at: int, pointer: str, follow: bool) -> int:
        text, prefixes = self.text, self.prefixes
        at = self.space(at)
        if text[at : at + 1] == b"}":
            return at + 1
        while at < len(text):
            member = self.patterns.member.match(text, at)
            if member is None:
                return len(text)
            if follow:
                child = f"{pointer}/{escape_pointer_token(_decode_key(member.group(1)))}"
            else:
                child = pointer + "/\x00"
            if child not in prefixes:
                passed = self.patterns.passed.match(text, member.end())
                if passed is not None:
                    at = passed.end()
                    if passed.group(1):
                        continue
                    return at + 1
            at = self.space(self.value(member.end(), child))
            if text[at : at + 1] == b",":
                at += 1
                continue
            return at + 1
        return at

    def array(self, at: int, pointer: str, follow: bool) -> int:
        text, prefixes = self.text, self.prefixes
        at = self.space(at)
        if text[at : at + 1] == b"]":
            return at + 1
        index = 0
        while at < len(text):
            child = f"{pointer}/{index}" if follow else pointer + "/\x00"
            index += 1
            if child not in prefixes:
                passed = self.patterns.passed.match(text, at)
                if passed is not None:
                    at = passed.end()
                    if passed.group(1):
                        continue
                    return at + 1
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
        position = positions.get(finding.location.pointer or "\x00")
        if position is not None and finding.location.line is None:
            location = replace(finding.location, line=position[0], column=position[1])
            finding = replace(finding, location=location)
        located.append(finding)
    return located
