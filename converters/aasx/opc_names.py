"""Part names of OPC packages (ECMA-376-2, "Part Names"): how they are spelled and decoded.

A part name is a URI path: every segment holds only ``pchar`` characters (RFC 3986), so a
space or a non-ASCII character is percent-encoded (``/aasx/files/My%20File.pdf``), an
escape never stands for an unreserved character or a slash, and names are compared as
case-insensitive ASCII. Producers in circulation also write the decoded form (``My
File.pdf``) in zip member names, relationship targets and content types; both spellings
name the same part here. The toolkit always writes the encoded form.
"""

from __future__ import annotations

import posixpath
import string
from urllib.parse import quote, unquote, urlsplit

_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_SUB_DELIMS = frozenset("!$&'()*+,;=")
#: What a path may hold unescaped: RFC 3986 ``pchar`` (less "%") and the segment separator.
_PATH_CHARACTERS = _UNRESERVED | _SUB_DELIMS | frozenset(":@/")
_HEX = frozenset(string.hexdigits)
_SAFE = "".join(sorted(_PATH_CHARACTERS - _UNRESERVED))


def names_no_part(reference: str) -> bool:
    """Whether a relationship target or a File value names something outside the package: a
    URL (``https://...``, ``file:...``), a network path (``//host/...``), or a text that is
    no URI reference at all (``http://[x``, which ``urlsplit`` refuses)."""
    try:
        return bool(urlsplit(reference).scheme) or reference.startswith("//")
    except ValueError:
        return True


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def fold(part: str) -> str:
    """The form two equivalent part names share: OPC compares them as case-insensitive ASCII."""
    return part.translate(_ASCII_LOWER)


def part_name(spelling: str) -> str:
    """The decoded, absolute part name a spelling (zip member name, ``/``-rooted or not)
    stands for: ``aasx/files/My%20File.pdf`` and ``aasx/files/My File.pdf`` both give
    ``/aasx/files/My File.pdf``. Backslashes, which some archivers write, become slashes."""
    decoded = unquote(spelling.replace("\\", "/")).replace("\\", "/")
    return decoded if decoded.startswith("/") else "/" + decoded


def resolve_reference(base: str, reference: str) -> str:
    """The part name a relative reference (a relationship target, decoded or not) names,
    resolved against the folder ``base``; it never leaves the package's root."""
    decoded = unquote(reference.replace("\\", "/")).replace("\\", "/")
    return posixpath.normpath(posixpath.join(base, decoded))


def opc_name(part: str) -> str:
    """The percent-encoded spelling of a decoded part name, as it is written everywhere:
    in zip member names (without the leading slash), relationship targets and content types."""
    return quote(part, safe=_SAFE)


def spelling_problem(spelling: str) -> str | None:
    """Why ``spelling`` (a part name or the path of a relative reference) is not spelled as
    OPC requires, or None when it is."""
    index = 0
    length = len(spelling)
    while index < length:
        character = spelling[index]
        if character == "%":
            escape = spelling[index + 1 : index + 3]
            if len(escape) < 2 or not set(escape) <= _HEX:
                return "a '%' that starts no escape"
            decoded = chr(int(escape, 16))
            if decoded in "/\\":
                return f"an escaped slash (%{escape})"
            if decoded in _UNRESERVED:
                return f"an escaped unreserved character (%{escape} for {decoded!r})"
            index += 3
            continue
        if character not in _PATH_CHARACTERS:
            if character == " ":
                return "an unescaped space"
            if ord(character) > 0x7F:
                return f"an unescaped non-ASCII character ({character!r})"
            return f"the unescaped character {character!r}"
        index += 1
    return None
