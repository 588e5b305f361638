"""An Environment's JSON text, cut into its identifiables, so they can be parsed one at a time.

Parsing a whole document holds, at its peak, the input, orjson's own parse tree and the Python
objects together: on a 15 MB model that peak was more than 5x the input, before a model existed.
Parsed one shell, submodel or concept description at a time, each piece's tree is gone before the
next is parsed, and the model grows into memory the pieces freed.

Only the common shape is cut: an object whose members are the Environment's three arrays, each
key once. Anything else (another top-level value, an unknown or repeated key, text that is not
well-formed) raises :class:`NotSplittable`, and the caller reads the whole document the usual way,
which reports every problem exactly as before. The end of each item is found by orjson itself: it
parses a window of the text that starts at the item and reports where content follows it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import orjson

from aas.metamodel.classes import ENVIRONMENT_ARRAYS

ARRAYS = ENVIRONMENT_ARRAYS

_WHITESPACE = re.compile(rb"[ \t\r\n]*")
_KEY = re.compile(rb'"[A-Za-z]+"')  # the only keys cut here are plain ASCII words
_FIRST_WINDOW = 1 << 16
_AFTER_VALUE = "unexpected content after document"
_NOT_CONTINUATION = bytes(byte for byte in range(256) if not 0x80 <= byte <= 0xBF)


class NotSplittable(Exception):
    """The text is not an Environment of the common shape; read it whole."""


#: A submodel whose text is at least this long is cut further, into its elements (when
#: asked for, and its indented text allows): its parsed tree would be several times its text.
LARGE_ITEM = 4 << 20
#: The list a large submodel is cut into: its key in the text, the key's name in JSON.
_CUT_KEY = b'"submodelElements"'
CUT_KEY = "submodelElements"


@dataclass
class Cut:
    """A large submodel, parsed without its elements (``outer``: its object, the elements'
    list left empty, parsed from ``outer_text``), and where each element's text lies: each is
    parsed when the reader comes to it, and its tree goes before the next is parsed."""

    outer: dict[str, object]
    outer_text: bytes
    elements: list[tuple[int, int]]


def items(
    data: bytes, start: int = 0, read_to: list[int] | None = None, cut: bool = False
) -> Iterator[tuple[str, object, memoryview | None]]:
    """``(key, None, None)`` when an array of the Environment begins, then ``(key, value,
    text)`` for each of its items: the parsed value and the text it was parsed from, in
    document order. Raises :class:`NotSplittable` at the first surprise. ``read_to[0]``, when
    given, is kept at the offset past the last item yielded. With ``cut``, the value of a
    large submodel may be a :class:`Cut` instead (its elements not parsed yet)."""
    try:
        yield from _items(data, start, read_to if read_to is not None else [start], cut)
    except IndexError:  # the text ended where more was due
        raise NotSplittable from None


def _skip(data: bytes, at: int) -> int:
    match = _WHITESPACE.match(data, at)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def _expect(data: bytes, at: int, char: bytes) -> int:
    if data[at : at + 1] != char:
        raise NotSplittable
    return _skip(data, at + 1)


def _items(
    data: bytes, start: int, read_to: list[int], cut: bool
) -> Iterator[tuple[str, object, memoryview | None]]:
    view = memoryview(data)
    window = _FIRST_WINDOW
    at = _expect(data, _skip(data, start), b"{")
    seen: set[str] = set()
    if data[at : at + 1] != b"}":
        while True:
            match = _KEY.match(data, at)
            if match is None:
                raise NotSplittable
            key = match.group()[1:-1].decode("ascii")
            if key not in ARRAYS or key in seen:
                raise NotSplittable
            seen.add(key)
            at = _expect(data, _skip(data, match.end()), b":")
            if data[at : at + 1] != b"[":
                raise NotSplittable
            yield key, None, None
            gap = at + 1  # where the whitespace before the next item begins
            at = _skip(data, gap)
            if data[at : at + 1] == b"]":
                at = _skip(data, at + 1)
            else:
                cuttable = cut and key == "submodels"
                while True:
                    value, end = _item(data, view, gap, at, window, cuttable)
                    # items of one model tend to be alike in size: start the next from this one
                    window = _FIRST_WINDOW + (end - at) * 3 // 2
                    read_to[0] = end
                    yield key, value, view[at:end]
                    at = _skip(data, end)
                    if data[at : at + 1] == b"]":
                        at = _skip(data, at + 1)
                        break
                    if data[at : at + 1] != b",":
                        raise NotSplittable
                    gap = at + 1
                    at = _skip(data, gap)
            if data[at : at + 1] != b",":
                break
            at = _skip(data, at + 1)
    at = _expect(data, at, b"}")
    if at != len(data):
        raise NotSplittable


def _item(
    data: bytes, view: memoryview, gap: int, start: int, window: int, cuttable: bool = False
) -> tuple[object, int]:
    """The item at ``start`` (an object or anything else) parsed, and the offset past it
    (a large one, ``cuttable``, possibly as a :class:`Cut`).

    Indented JSON closes an item's object on a line of its own, with the indentation the item
    opened with (which the whitespace before it shows), and nowhere earlier: no string holds a
    raw line break. That guess is tried first, and taken when the text up to it parses (JSON
    values delimit themselves, so a text that parses whole is the item). Otherwise orjson
    finds the end (:func:`value_end`)."""
    if data[start : start + 1] == b"{":
        newline = data.rfind(b"\n", gap, start)
        if newline != -1:
            closing = data[newline:start] + b"}"
            found = _find(closing, data, start, len(data))
            if found != -1:
                end = found + len(closing)
                if cuttable and end - start >= LARGE_ITEM:
                    cut = _cut(data, start, end)
                    if cut is not None:
                        return cut, end
                try:
                    return orjson.loads(view[start:end]), end
                except orjson.JSONDecodeError:
                    pass
    end = value_end(data, view, start, window)
    try:
        return orjson.loads(view[start:end]), end
    except orjson.JSONDecodeError:
        raise NotSplittable from None


@lru_cache(maxsize=64)  # one per indentation seen; few in a document
def _closing_pattern(closing: bytes) -> re.Pattern[bytes]:
    return re.compile(re.escape(closing))


def _find(closing: bytes, data: bytes, start: int, end: int) -> int:
    """``data.find(closing, start, end)``, by a compiled pattern: indented JSON is full of
    near misses of a line break and spaces, over which ``bytes.find`` is four times slower
    (21 ms against 5 ms over the benchmark's 15 MB model)."""
    match = _closing_pattern(closing).search(data, start, end)
    return -1 if match is None else match.start()


def _cut(data: bytes, start: int, end: int) -> Cut | None:
    """The object at ``data[start:end]`` cut around its ``submodelElements`` (see :class:`Cut`),
    or None where the text is not as expected (the item is then parsed whole).

    Indented text is relied on as :func:`_item` relies on it: each element's object closes on
    a line of its own with the indentation it opened with. Whatever is guessed is checked: the
    key stands once in what is left of the object, which parses as an object whose elements'
    list is the empty one put in their place; each element's text is parsed when read (a
    text that does not parse makes the whole document be read the usual way)."""
    found = data.find(_CUT_KEY, start, end)
    if found == -1 or data.find(_CUT_KEY, found + 1, end) != -1:
        return None
    at = _skip(data, found + len(_CUT_KEY))
    if data[at : at + 1] != b":":
        return None
    opened = _skip(data, at + 1)
    if data[opened : opened + 1] != b"[":
        return None
    elements: list[tuple[int, int]] = []
    gap = opened + 1
    at = _skip(data, gap)
    if data[at : at + 1] != b"]":
        while True:
            newline = data.rfind(b"\n", gap, at)
            if data[at : at + 1] != b"{" or newline == -1:
                return None
            closing = data[newline:at] + b"}"
            close = _find(closing, data, at, end)
            if close == -1:
                return None
            elements.append((at, close + len(closing)))
            at = _skip(data, close + len(closing))
            if data[at : at + 1] == b"]":
                break
            if data[at : at + 1] != b",":
                return None
            gap = at + 1
            at = _skip(data, gap)
    outer_text = data[start:opened] + b"[]" + data[at + 1 : end]
    try:
        outer = orjson.loads(outer_text)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(outer, dict) or outer.get(CUT_KEY) != []:
        return None
    return Cut(outer, outer_text, elements)


def value_end(data: bytes, view: memoryview, start: int, window: int = _FIRST_WINDOW) -> int:
    """The offset just past the JSON value at ``start``, which a ``,`` or ``]`` follows.

    orjson parses a window beginning at the value and stops at the content after it; its
    position (in characters) is turned into bytes. Windows double while the value runs past
    their end, so the work stays in proportion to the value (and orjson's working memory,
    about twice its input, stays small)."""
    size = window
    while True:
        end = min(len(data), start + size)
        try:
            orjson.loads(view[start:end])
        except orjson.JSONDecodeError as error:
            if error.msg == _AFTER_VALUE:
                offset = _byte_offset(view[start:end], error.pos)
                if data[start + offset : start + offset + 1] not in (b",", b"]"):
                    raise NotSplittable from None
                return start + offset
            if end == len(data):  # not well-formed: the whole reading says where
                raise NotSplittable from None
            size *= 2
            continue
        raise NotSplittable  # the value runs to the end of the text: no "]" and "}" follow


def _byte_offset(window: memoryview, characters: int) -> int:
    """The byte offset of the ``characters``-th character of UTF-8 text. A character starts at
    each byte that is no continuation byte (``10xxxxxx``): count those until there are enough,
    then step over the continuation bytes of the last character."""
    offset = characters
    size = len(window)
    while True:
        started = offset - len(bytes(window[:offset]).translate(None, _NOT_CONTINUATION))
        if started >= characters or offset >= size:
            break
        offset += characters - started  # each byte starts at most one more character
    while offset < size and 0x80 <= window[offset] <= 0xBF:
        offset += 1
    return offset
