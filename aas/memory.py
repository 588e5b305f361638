"""Giving freed memory back to the operating system while a large model is read.

Reading an Environment piece by piece (``aas.converters.json.split``) frees each piece's
parse buffers before the next; glibc keeps such freed blocks in its heap, where they count as
resident memory until the process ends (measured: 82 MB peak instead of 67 MB on a 15 MB
model). ``malloc_trim`` hands them back. Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        # The process's own symbols: the C library is loaded already, and looking it up by
        # name (ctypes.util.find_library) would run programs and open files to find it.
        libc = ctypes.CDLL(None)
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError):  # musl and others have no malloc_trim
        return None
    return trim


def release_freed_memory() -> None:
    """Return the C heap's free pages to the system (glibc); a no-op where that is unknown."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
