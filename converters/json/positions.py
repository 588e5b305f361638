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
from operator import itemgetter

from aas.findings import Finding, escape_pointer_token, placed

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(rb"[^\s,\]\}]+")
_SPACE = re.compile(rb"[\s]*")
_BOM = "\ufeff".encode()
#: What ``\s`` matches in a pattern of bytes, one byte each.
_SPACES = frozenset(bytes([byte]) for byte in b" \t\n\r\f\v")


def _balanced(depth: int, quoted: str) -> str:
    """An object or array nested at most ``depth`` levels below its own, brackets inside
    strings ignored. Possessive throughout: the text is well-formed JSON (it was parsed), so
    nothing needs giving back, and a value nested deeper fails at once instead of
    backtracking (it is then walked a level at a time). Written as "unrolled loops" (a run
    of plain bytes, then any number of a string or container each followed by such a run),
    which the engine takes a quarter faster than an alternation repeated once per token."""
    inner = rf"{_PLAIN}(?:{quoted}{_PLAIN})*+"
    for _ in range(depth):
        inner = rf"{_PLAIN}(?:(?:{quoted}|[\[{{]{inner}[\]}}]){_PLAIN})*+"
    return rf"[\[{{]{inner}[\]}}]"


# A string. Most hold no backslash before their closing quote: for them, everything up to
# the first quote (a run of one excluded byte, which the engine passes over many times
# faster than a run outside a set of several); the others, plain characters then any number
# of an escape followed by plain characters. The same match either way.
_QUOTED = r'"(?:[^"]*+(?<!\\)"|[^"\\]*+(?:\\.[^"\\]*+)*+")'
# A string in a text without a backslash (most texts): nothing escaped, so up to the next
# quote (a tenth less to do for the engine over a whole text than the pattern above).
_UNESCAPED = r'"[^"]*+"'


def _quoted(escapes: bool) -> str:
    return _QUOTED if escapes else _UNESCAPED


# A run of bytes outside strings and brackets (spaces, colons, commas, numbers, literals),
# most of it line breaks and indentation: each line break with the spaces after it taken as
# a run of one byte (the fast way, as above). The same match as ``[^"\[\]{}]*+``.
_PLAIN = r'[^"\[\]{}\n]*+(?:\n *+[^"\[\]{}\n]*+)*+'


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

#: How deep a member's value is passed over by the patterns that pass over an object's
#: members not asked for (compiled once per set of keys asked for, so kept smaller): the
#: members before and after one asked for are mostly shallow (an idShort, a semanticId, a
#: description); a deeper one is passed over on its own, to ``_DEPTH``.
_MEMBER_DEPTH = 8

#: How many patterns that pass over an object's members not asked for (one per set of keys
#: asked for, about 1 ms each to compile) one scan compiles at most; objects with other sets
#: of keys are then walked a member at a time.
_MOST_SKIPPERS = 32


@lru_cache(maxsize=_MOST_SKIPPERS)
def _skipper(keys: frozenset[bytes], escapes: bool) -> re.Pattern[bytes]:
    """The members of an object up to the first one whose key is one of ``keys`` (as the
    text writes them, quotes included), each with the comma after it, in one match: every
    member before one asked for, passed over without a step in Python. It stops early (and
    the member is looked at on its own) at a key written with escapes and at a value nested
    too deep. After the last member it stops at the ``}``. The key of the member it stopped
    at, if any, is taken in the same match (group 1), up to its value."""
    wanted = b"|".join(re.escape(key) for key in sorted(keys))
    plain_key = rb'"[^"\\]*+"'
    return re.compile(
        rb"(?:\s*+(?!(?:"
        + wanted
        + rb")\s*+:)"
        + plain_key
        + rb"\s*+:\s*+"
        + _value(_MEMBER_DEPTH, escapes).encode()
        + rb"\s*+(?:,|(?=\})))*+\s*+(?:("
        + _quoted(escapes).encode()
        + rb")\s*+:\s*+)?",
        re.DOTALL,
    )


@cache
def _value(depth: int, escapes: bool) -> str:
    """A JSON value: an object or array nested at most ``depth`` levels, a string or a
    scalar (in a text with backslashes, or without: see ``_UNESCAPED``)."""
    quoted = _quoted(escapes)
    return rf'(?:{_balanced(depth, quoted)}|{quoted}|[^\s,\]}}\[{{"][^\s,\]}}]*+)'


@cache
def _patterns(escapes: bool) -> _Patterns:
    """Compiled when a finding is first placed (patterns a conversion without findings never
    needs)."""
    value = _value(_DEPTH, escapes)
    return _Patterns(
        passed=re.compile(rf"\s*+({value})\s*+(,?)".encode(), re.DOTALL),
        member=re.compile(rf"\s*+({_quoted(escapes)})\s*+:\s*+".encode(), re.DOTALL),
        # each item scanned once (a repetition that failed at the last item, which no comma
        # follows, would have scanned it for nothing), and one copy of the value's pattern
        rest=re.compile(rf"(?:\s*+{value}\s*+(?:,|(?=\])))*+\s*+\]".encode(), re.DOTALL),
    )


class _Branch:
    """A pointer on the way to one asked for (or asked for itself), with the branches below it
    by reference token. Pointers that share a branch share the way up to it, and the walk
    hands the branch down instead of building each pointer's text."""

    __slots__ = ("children", "pointer")

    def __init__(self) -> None:
        #: The pointer, where it was asked for.
        self.pointer: str | None = None
        self.children: dict[str, _Branch] | None = None


@lru_cache(maxsize=4096)
def _token_literal(token: str) -> bytes | None:
    """The key a reference token names as the text writes it when it needs no escape
    (quotes included), or None for a token that is no key's escape: an object's members are
    told apart by comparing bytes, without decoding a key that is not asked for."""
    key = token
    if "~" in token:
        key = token.replace("~1", "/").replace("~0", "~")
        if escape_pointer_token(key) != token:
            return None
    return _literal(key)


@lru_cache(maxsize=4096)
def _token_index(token: str) -> int | None:
    """The index a reference token names, or None (a leading zero names none)."""
    return int(token) if token.isdecimal() and str(int(token)) == token else None


def _literal(key: str) -> bytes:
    """A key as the text writes it when it needs no escape."""
    return ('"' + key + '"').encode("utf-8", errors="surrogatepass")


class _Scanner:
    def __init__(self, text: bytes, wanted: set[str]) -> None:
        self.text = text
        self.root = _Branch()
        for pointer in wanted:
            if not pointer:
                self.root.pointer = pointer
                continue
            if pointer[0] != "/":
                continue  # no way leads there from the root
            # Pointers that share a way share its branches.
            branch = self.root
            for token in pointer[1:].split("/"):
                children = branch.children
                if children is None:
                    children = branch.children = {}
                below = children.get(token)
                if below is None:
                    below = children[token] = _Branch()
                branch = below
            branch.pointer = pointer
        # A wanted key with a replaced character may stand for bytes that are no UTF-8
        # in the text: only a decoded key tells, so every key of a branch is decoded then.
        self.lossy = any("\ufffd" in pointer for pointer in wanted)
        self.found: dict[str, int] = {}
        # (one look for a backslash: bytes.find runs at memory speed)
        self.escapes = b"\\" in text
        self.patterns = _patterns(self.escapes)
        self.skippers: dict[bytes | frozenset[bytes], re.Pattern[bytes]] = {}

    def _members(self, branch: _Branch) -> tuple[dict[bytes, _Branch], re.Pattern[bytes] | None]:
        """The branches below ``branch`` by key as the text writes it, and the pattern that
        passes over the members not asked for (while no more than a few sets of keys have
        been asked for in this scan; none where every key has to be decoded)."""
        literals: dict[bytes, _Branch] = {}
        for token, below in (branch.children or {}).items():
            literal = _token_literal(token)
            if literal is not None:
                literals[literal] = below
        if self.lossy or not literals:
            return literals, None
        # one key (most branches): the key itself names the set
        wanted: bytes | frozenset[bytes] = (
            next(iter(literals)) if len(literals) == 1 else frozenset(literals)
        )
        skipper = self.skippers.get(wanted)
        if skipper is None:
            if len(self.skippers) >= _MOST_SKIPPERS:
                return literals, None
            keys = wanted if isinstance(wanted, frozenset) else frozenset((wanted,))
            skipper = self.skippers[wanted] = _skipper(keys, self.escapes)
        return literals, skipper

    def space(self, at: int) -> int:
        # most values start, and most commas follow, with no space between: one look, no
        # pattern
        if self.text[at : at + 1] not in _SPACES:
            return at
        match = _SPACE.match(self.text, at)
        return match.end() if match else at

    def value(self, at: int, branch: _Branch | None) -> int:
        """Scan the value at ``at`` (after whitespace); return the index after it."""
        text = self.text
        if text[at : at + 1] in _SPACES:
            at = self.space(at)
        follow = False
        if branch is not None:
            if branch.pointer is not None:
                self.found[branch.pointer] = at
            # Only the branches with something asked for below them are walked into; a
            # value asked for with nothing asked for inside is passed over in one match.
            follow = branch.children is not None
        char = text[at : at + 1]
        if char == b"{" or char == b"[":
            if not follow:
                passed = self.patterns.passed.match(text, at)
                if passed is not None:
                    return passed.end(1)
                branch = None
            if char == b"{":
                return self.object(at + 1, branch)
            return self.array(at + 1, branch)
        if char == b'"':
            match = _STRING.match(text, at)
            return match.end() if match else len(text)
        match = _SCALAR.match(text, at)
        return match.end() if match else at + 1

    def object(self, at: int, branch: _Branch | None) -> int:
        """The members of an object from ``at``; ``branch`` None where nothing in it is
        asked for."""
        text, patterns = self.text, self.patterns
        passed_pattern, member_pattern = patterns.passed, patterns.member
        keys, skipper = self._members(branch) if branch is not None else ({}, None)
        # Keys written with escapes (or, for a lossy pointer, every key) are decoded to be
        # compared; the rest are compared as bytes.
        decode = bool(keys) or (self.lossy and branch is not None)
        end = len(text)
        if skipper is None:
            at = self.space(at)
            if text[at : at + 1] == b"}":
                return at + 1
        while at < end:
            if skipper is not None:
                # the members not asked for, and the key of the next member, if any
                skipped = skipper.match(text, at)
                if skipped is None:
                    return end
                literal, start = skipped.group(1), skipped.end()
                if literal is None:
                    return start + 1 if text[start : start + 1] == b"}" else end
            else:
                member = member_pattern.match(text, at)
                if member is None:
                    return end
                literal, start = member.group(1), member.end()
            child = keys.get(literal)
            if child is None and decode and (self.lossy or b"\\" in literal):
                child = keys.get(_literal(_decode_key(literal)))
            if child is not None and child.children is None:
                # a value asked for with nothing asked for inside: placed, then passed over
                passed = passed_pattern.match(text, start)
                if passed is not None:
                    if child.pointer is not None:
                        self.found[child.pointer] = passed.start(1)
                    at = passed.end()
                    if passed.group(2):
                        continue
                    return at + 1
            elif child is None:
                passed = passed_pattern.match(text, start)
                if passed is not None:
                    at = passed.end()
                    if passed.group(2):
                        continue
                    return at + 1
                # A value nested too deep to pass over in one match: walked into, as a
                # branch with nothing asked for in it.
            at = self.value(start, child)
            if text[at : at + 1] in _SPACES:
                at = self.space(at)
            if text[at : at + 1] == b",":
                at += 1
                continue
            return at + 1
        return at

    def array(self, at: int, branch: _Branch | None) -> int:
        """The items of an array from ``at``; ``branch`` None where nothing in it is asked
        for."""
        text, patterns = self.text, self.patterns
        passed_pattern = patterns.passed
        at = self.space(at)
        if text[at : at + 1] == b"]":
            return at + 1
        indexes: dict[int, _Branch] = {}
        if branch is not None:
            for token, below in (branch.children or {}).items():
                number = _token_index(token)
                if number is not None:
                    indexes[number] = below
        last = max(indexes, default=-1)
        index = 0
        end = len(text)
        while at < end:
            if index == last + 1:
                # Past the last item asked for: the rest in one match, if it can be (tried
                # once: an item nested too deep is then walked into as before).
                rest = patterns.rest.match(text, at)
                if rest is not None:
                    return rest.end()
            child = indexes.get(index)
            if child is None or child.children is None:
                passed = passed_pattern.match(text, at)
                if passed is not None:
                    if child is not None and child.pointer is not None:
                        self.found[child.pointer] = passed.start(1)
                    index += 1
                    at = passed.end()
                    if passed.group(2):
                        continue
                    return at + 1
                # An item nested too deep to pass over in one match: walked into.
            index += 1
            at = self.value(at, child)
            if text[at : at + 1] in _SPACES:
                at = self.space(at)
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
        scanner.value(begin, scanner.root)
    # Lines counted between one offset and the next, in order, and the characters of a line
    # up to each: every stretch of text is looked at once, so a model on one line (compact
    # JSON) costs no more than an indented one.
    positions: dict[str, tuple[int, int]] = {}
    line, start, counted, column = 1, begin, begin, 1
    # (no two pointers found start at one offset: sorted by offset alone)
    for pointer, offset in sorted(scanner.found.items(), key=itemgetter(1)):
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
            finding = placed(finding, *position)
        located.append(finding)
    return located
