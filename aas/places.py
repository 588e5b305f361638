"""Inputs and outputs named by fsspec URLs (``s3://bucket/in.json``, ``file:///data/out.xml``,
``memory://...``) besides local paths, when the ``dask`` extra (which brings fsspec) is installed;
a filesystem of its own package (s3fs for ``s3://``) is installed as fsspec says.

A name is a URL when it starts with a scheme of two letters or more and ``://`` (``C:\\`` stays
a path). ``file://`` URLs are local paths and are written as every local path is (a temporary
file beside the target, renamed into place). Any other URL's output is made whole in memory and
then written in one put (``pipe_file``): on an object store (``s3://``, ``gs://``) an object
appears whole or not at all, and nothing is written when the conversion fails; on other
filesystems the output is as atomic as their one write is.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from aas.errors import ReadError, UsageError, WriteError
from aas.findings import Location

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")
#: Schemes of the web. The toolkit reads nothing over the network (no remote JSON-LD
#: context, no DTD, no schema location), so it does not fetch its inputs either.
_WEB = ("http", "https")


def is_url(name: object) -> bool:
    """Whether ``name`` is a URL (a string, not a path object, that starts with a scheme)."""
    return isinstance(name, str) and _URL.match(name) is not None


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec filesystem of ``url`` and the path in it; UsageError when fsspec (or the
    filesystem's package) is not installed, the scheme names no filesystem or is the web's."""
    scheme = url.partition("://")[0].lower()
    if scheme in _WEB:
        raise UsageError(
            f"{url!r}: URLs on the web are not read or written (the toolkit uses no network): "
            "download the file first (curl -LO URL) and give its local path"
        )
    try:
        import fsspec
    except ImportError:
        raise UsageError(
            f"{url!r}: URLs as inputs and outputs need fsspec: pip install 'aas-toolkit[dask]'"
        ) from None
    try:
        fs, path = fsspec.core.url_to_fs(url)
    except ImportError as error:  # "Install s3fs to access S3"
        raise UsageError(f"{url!r}: {error}") from None
    except ValueError as error:  # "Protocol not known: nope"
        raise UsageError(f"{url!r}: no filesystem for this URL ({error})") from None
    return fs, str(path)


def local_path(url: str) -> str | None:
    """The local path a ``file://`` URL names; None for any other URL."""
    fs, path = filesystem(url)
    from fsspec.implementations.local import LocalFileSystem

    return path if isinstance(fs, LocalFileSystem) else None


def read_bytes(url: str) -> bytes:
    fs, path = filesystem(url)
    try:
        if fs.isdir(path):
            raise ReadError("is a folder, not a file", Location(file=url))
        data = fs.cat_file(path)
    except FileNotFoundError:
        raise ReadError("no such file", Location(file=url)) from None
    except OSError as error:
        raise ReadError(f"cannot read: {error.strerror or error}", Location(file=url)) from None
    return bytes(data)


def is_folder(url: str) -> bool:
    fs, path = filesystem(url)
    try:
        return bool(fs.isdir(path))
    except OSError:
        return False


def files_below(url: str) -> list[str]:
    """The URLs of the files below the folder ``url``, each as ``url`` plus its relative path
    (so that the names keep the form the user gave), in a stable order."""
    fs, root = filesystem(url)
    root = root.rstrip("/")
    base = url.rstrip("/")
    found = []
    for path in sorted(fs.find(root)):
        relative = str(path)[len(root) :].lstrip("/")
        if relative:
            found.append(f"{base}/{relative}")
    return found


def make_folder(url: str) -> None:
    """Make the folder ``url`` (a no-op on object stores, which have none)."""
    fs, path = filesystem(url)
    try:
        fs.makedirs(path, exist_ok=True)
    except OSError as error:
        raise WriteError(
            f"cannot create the folder: {error.strerror or error}", Location(file=url)
        ) from None


@contextlib.contextmanager
def url_output(url: str) -> Iterator[BinaryIO]:
    """A stream whose content is written to ``url`` in one put when the block ends without an
    exception; nothing is written otherwise (see the module's text)."""
    fs, path = filesystem(url)
    buffer = io.BytesIO()
    yield buffer
    try:
        fs.pipe_file(path, buffer.getvalue())
    except OSError as error:
        raise WriteError(f"cannot write: {error.strerror or error}", Location(file=url)) from None


def parent(url: str) -> str:
    return url.rstrip("/").rpartition("/")[0]
