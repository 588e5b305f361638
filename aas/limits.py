"""Limits that keep a hostile input from exhausting the machine; each can be raised.

Set them through the environment (``AAS_MAX_ARCHIVE_BYTES=4000000000 aas convert ...``) or
pass a :class:`Limits` to the readers that take one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from aas.errors import UsageError

#: libxml2's limits when its "huge" mode is off.
LIBXML2_MAX_DEPTH = 256
LIBXML2_MAX_TEXT_BYTES = 10_000_000


@dataclass(frozen=True)
class Limits:
    #: Sum of the uncompressed sizes of all members of an AASX archive.
    max_archive_bytes: int = 2 * 1024**3
    #: Number of members in an AASX archive.
    max_archive_members: int = 10_000
    #: Uncompressed/compressed size of one member (zip bombs compress at ratios of 1000s).
    max_compression_ratio: int = 200
    #: A member this small is never judged by its ratio (a tiny file of zeros is no bomb).
    ratio_exempt_bytes: int = 1024**2
    #: Levels of nesting in a JSON or XML document (JSON objects and arrays, XML elements).
    #: Deeper documents are refused before a model is built, so the readers, checks and writers
    #: (which recurse) never run out of stack. 256 is also libxml2's default limit.
    max_nesting_depth: int = 256
    #: Size of a gzip input once decompressed (``m.json.gz``); the ratio above holds too.
    max_decompressed_bytes: int = 2 * 1024**3
    #: Length of one XML text node or attribute value, in bytes. Above libxml2's default of
    #: 10,000,000 the parser's "huge" mode (up to 1 GB) is switched on.
    max_xml_text_bytes: int = 10_000_000

    @property
    def xml_huge_tree(self) -> bool:
        """Whether libxml2's own limits (depth 256, text 10 MB) must be lifted."""
        return (
            self.max_nesting_depth > LIBXML2_MAX_DEPTH
            or self.max_xml_text_bytes > LIBXML2_MAX_TEXT_BYTES
        )

    @classmethod
    def from_environment(cls) -> Limits:
        values: dict[str, int] = {}
        for field in fields(cls):
            raw = os.environ.get(f"AAS_{field.name.upper()}")
            if raw is not None:
                try:
                    values[field.name] = int(raw)
                except ValueError:
                    raise UsageError(
                        f"AAS_{field.name.upper()}={raw!r} is not a whole number"
                    ) from None
                if values[field.name] < 0:
                    raise UsageError(f"AAS_{field.name.upper()}={raw!r} is negative")
        return cls(**values)
