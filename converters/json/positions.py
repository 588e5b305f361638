"""Line and column of JSON pointers in a JSON text.

orjson parses fast but keeps no positions, so when findings need lines this module scans the
text once more, only then, and only down the branches that lead to a pointer asked for.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from dataclasses import replace

from aas.findings import Finding, escape_pointer_token

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"[^\s,\]\}]+")
_SPACE = re.compile(r"[\s]*")


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
        if char == "{":
            return self.object(at + 1, pointer, follow)
        if char == "[":
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
            key = _decode_key(match.group())
            at = self.space(match.end()) + 1  # past ':'
            child = f"{pointer}/{escape_pointer_token(key)}" if follow else pointer + "/\x00"
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
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
    positions: dict[str, tuple[int, int]] = {}
    for pointer, offset in scanner.found.items():
        line = bisect.bisect_right(line_starts, offset)
        positions[pointer] = (line, offset - line_starts[line - 1] + 1)
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
