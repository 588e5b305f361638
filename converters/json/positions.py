"""Line and column of JSON pointers in a JSON text.

orjson parses fast but keeps no positions, so when findings need lines this module scans the
text once more, only then. Only the branches that lead to a pointer asked for are walked
token by token, in Python; every other value is passed over by one regular expression (the
C engine, no Python per token), so placing thousands of findings costs one quick pass over
the text and a walk down the branches they are on.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import replace

from aas.findings import Finding, escape_pointer_token

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"[^\s,\]\}]+")
_SPACE = re.compile(r"[\s]*")


def _balanced(depth: int) -> re.Pattern[str]:
    """An object or array nested at most ``depth`` levels below its own, brackets inside
    strings ignored. Possessive throughout: the text is well-formed JSON (it was parsed), so
    nothing needs giving back, and a value nested deeper fails at once instead of
    backtracking (it is then walked a level at a time)."""
    string = r'"(?:[^"\\]++|\\.)*+"'
    inner = rf'(?:[^"\[\]{{}}]++|{string})*+'
    for _ in range(depth):
        inner = rf'(?:[^"\[\]{{}}]++|{string}|[\[{{]{inner}[\]}}])*+'
    return re.compile(rf"[\[{{]{inner}[\]}}]", re.DOTALL)


#: Deep enough for any real model in one match (an Environment's property of a collection
#: eight levels down is about 20 brackets deep); deeper values are walked into.
_CONTAINER = _balanced(32)


class _Scanner:
    def __init__(self, text: str, wanted: set[str]) -> None:
        self.text = text
        self.wanted = wanted
        # Pointers along the way to a wanted one: only those branches are named while scanning.
        self.prefixes = {
            "/".join(pointer.split("/")[:count])
            for pointer in wanted
            for count in range(1, pointer.count("/") + 2)
        }
        self.found: dict[str, int] = {}

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
        if char == "{" or char == "[":
            if not follow:
                passed = _CONTAINER.match(self.text, at)
                if passed is not None:
                    return passed.end()
            if char == "{":
                return self.object(at + 1, pointer, follow)
            return self.array(at + 1, pointer, follow)
        if char == '"':
            match = _STRING.match(self.text, at)
            return match.end() if match else len(self.text)
        match = _SCALAR.match(self.text, at)
        return match.end() if match else at + 1

    def object(self, at: int, pointer: str, follow: bool) -> int:
        at = self.space(at)
        if self.text[at : at + 1] == "}":
            return at + 1
        while at < len(self.text):
            match = _STRING.match(self.text, self.space(at))
            if match is None:
                return len(self.text)
            if follow:
                child = f"{pointer}/{escape_pointer_token(_decode_key(match.group()))}"
            else:
                child = pointer + "/\x00"
            at = self.space(match.end()) + 1  # past ':'
            at = self.space(self.value(at, child))
            if self.text[at : at + 1] == ",":
                at += 1
                continue
            return at + 1
        return at

    def array(self, at: int, pointer: str, follow: bool) -> int:
        at = self.space(at)
        if self.text[at : at + 1] == "]":
            return at + 1
        index = 0
        while at < len(self.text):
            child = f"{pointer}/{index}" if follow else pointer + "/\x00"
            at = self.space(self.value(at, child))
            index += 1
            if self.text[at : at + 1] == ",":
                at += 1
                continue
            return at + 1
        return at


def _decode_key(literal: str) -> str:
    if "\\" not in literal:
        return literal[1:-1]  # nothing escaped: the common case, without a JSON parser
    import json

    try:
        return str(json.loads(literal))
    except ValueError:
        return literal[1:-1]


def locate(data: bytes, pointers: set[str]) -> dict[str, tuple[int, int]]:
    """(line, column), both 1-based, of each of ``pointers`` that the text holds."""
    if not pointers:
        return {}
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    scanner = _Scanner(text, pointers)
    with contextlib.suppress(RecursionError):  # absurdly deep text: give what was found
        scanner.value(0, "")
    # Lines counted between one offset and the next, in order: no table of every line start.
    positions: dict[str, tuple[int, int]] = {}
    # Each stretch of text is looked at once, so a model on one line (compact JSON) costs no
    # more than an indented one.
    line, start, counted = 1, 0, 0
    for offset, pointer in sorted((offset, pointer) for pointer, offset in scanner.found.items()):
        newlines = text.count("\n", counted, offset)
        if newlines:
            line += newlines
            start = text.rfind("\n", counted, offset) + 1
        counted = offset
        positions[pointer] = (line, offset - start + 1)
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
