"""Limits that keep a hostile input from exhausting the machine; each can be raised.

Set them through the environment (``AAS_MAX_ARCHIVE_BYTES=4000000000 aas convert ...``) or
pass a :class:`Limits` to the readers that take one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from aas.errors import UsageError


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
        return cls(**values)
