"""Where a model comes from: a path, bytes or a binary stream, read into bytes with a name for
messages. ``load``, ``validate`` and ``convert`` all start here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from aas.errors import ReadError, UsageError
from aas.findings import Location

Source = str | os.PathLike[str] | bytes | BinaryIO
Target = str | os.PathLike[str] | BinaryIO


@dataclass
class Input:
    """The bytes of a source and how to name it in messages."""

    data: bytes
    name: str | None
    path: Path | None


def read_input(source: Source) -> Input:
    if isinstance(source, bytes | bytearray | memoryview):
        return Input(bytes(source), None, None)
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            return Input(path.read_bytes(), str(source), path)
        except FileNotFoundError:
            raise ReadError("no such file", Location(file=str(source))) from None
        except IsADirectoryError:
            raise ReadError("is a folder, not a file", Location(file=str(source))) from None
        except OSError as error:
            raise ReadError(
                f"cannot read: {error.strerror or error}", Location(file=str(source))
            ) from None
    name = getattr(source, "name", None)
    data = source.read()
    if not isinstance(data, bytes | bytearray):
        raise UsageError("a model is read from a binary stream (open the file with 'rb')")
    return Input(bytes(data), name if isinstance(name, str) else None, None)
