"""Inputs compressed with gzip (``motor.json.gz``, ``model.xml.gz``, or any input whose bytes
start with gzip's magic 1f 8b), decompressed before a format looks at them.

A gzip stream can expand a thousandfold (a "bomb"), so the output is capped before it is
made: at most ``max_compression_ratio`` times the compressed size (once past
``ratio_exempt_bytes``) and never more than ``max_decompressed_bytes``, the limits an AASX
member is held to (see :mod:`aas.limits`; each can be raised through the environment).
"""

from __future__ import annotations

import mmap
import zlib

from aas.errors import ReadError
from aas.findings import Location
from aas.limits import Limits

MAGIC = b"\x1f\x8b"
#: The suffix that names a gzip file; the name without it tells the format (``m.json.gz``).
SUFFIX = ".gz"


def is_gzip(data: bytes | mmap.mmap) -> bool:
    return data[:2] == MAGIC


def inner_name(name: str | None) -> str | None:
    """The name the content had before it was compressed: ``m.json`` for ``m.json.gz``."""
    if name is not None and name.lower().endswith(SUFFIX):
        return name[: -len(SUFFIX)]
    return name


def gunzip(data: bytes, name: str | None, limits: Limits | None = None) -> bytes:
    """The decompressed content of ``data`` (one or more gzip members, as ``cat a.gz b.gz``
    makes); ReadError (``input:decompressed-size``) when it would pass the limits, ReadError
    (``input:unreadable``) when the stream is damaged or cut short."""
    limits = limits or Limits.from_environment()
    where = Location(file=name)
    cap = min(
        limits.max_decompressed_bytes,
        max(limits.ratio_exempt_bytes, limits.max_compression_ratio * len(data)),
    )
    out = bytearray()
    rest = data
    try:
        while rest:
            stream = zlib.decompressobj(wbits=31)  # 31: a gzip header and trailer
            chunk = rest
            while not stream.eof:
                piece = stream.decompress(chunk, cap + 1 - len(out))
                out += piece
                if len(out) > cap:
                    raise ReadError(
                        _too_big(cap, len(data), limits), where, "input:decompressed-size"
                    )
                chunk = stream.unconsumed_tail
                if not chunk and not piece:
                    raise ReadError("the gzip stream is cut short", where)
            rest = stream.unused_data
            if rest and not is_gzip(rest):
                if rest.strip(b"\0"):  # zeros after the last member are padding (as gzip reads)
                    raise ReadError("bytes that are no gzip member follow the gzip stream", where)
                break
    except zlib.error as error:
        raise ReadError(f"not a readable gzip stream ({error})", where) from None
    return bytes(out)


def _too_big(cap: int, compressed: int, limits: Limits) -> str:
    if cap == limits.max_decompressed_bytes:
        return (
            f"the gzip stream unpacks to more than {cap} bytes, the limit "
            "(AAS_MAX_DECOMPRESSED_BYTES)"
        )
    return (
        f"the gzip stream of {compressed} bytes unpacks to more than {cap} bytes (ratio above "
        f"{limits.max_compression_ratio}; AAS_MAX_COMPRESSION_RATIO)"
    )
