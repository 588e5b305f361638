"""Write a file completely or not at all: a temporary file beside the target, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from aas.errors import WriteError
from aas.findings import Location
from aas.places import is_url, local_path, url_output


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(target: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A stream whose content replaces ``target`` when the block ends without an exception.

    The content goes to a temporary file beside the target, which is renamed into place only
    when complete; on any failure the old ``target`` (or its absence) stays. A URL other than
    ``file://`` is written in one put when complete (see :mod:`aas.places`).
    """
    if is_url(target):
        local = local_path(str(target))
        if local is None:
            with url_output(str(target)) as remote:
                yield remote
            return
        target = local
    path = Path(target)
    if path.is_symlink():
        path = path.resolve()  # replace the file the link points to, and keep the link
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise WriteError(f"the folder {str(folder)!r} does not exist", Location(file=str(path)))
    try:
        mode = path.stat().st_mode & 0o7777  # an existing file keeps its permissions
    except OSError:
        mode = 0o666 & ~_umask()
    handle, temporary = _temporary_in(folder, path.name)
    try:
        with os.fdopen(handle, "wb", buffering=1024 * 1024) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file 0600; give it the permissions a plain open() would.
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            message = f"cannot write: {error.strerror or error}"
            raise WriteError(message, Location(file=str(path))) from None
        raise


def _temporary_in(folder: Path, name: str) -> tuple[int, str]:
    try:
        return tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
    except OSError as error:
        raise WriteError(
            f"cannot create a temporary file in {str(folder)!r}: {error.strerror or error}",
            Location(file=str(folder / name)),
        ) from None
