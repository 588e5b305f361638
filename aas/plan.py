"""Planning a batch before any file is read: the AAS files below a folder, where each file of a
folder conversion is written, and the plans refused (two inputs onto one output).

A refusal is a :class:`~aas.errors.UsageError` (exit 2): it names what the caller asked for,
not a problem of a model, and nothing has been written when it is raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import TypeVar

from aas import places
from aas.batch import ConvertJob, ConvertOptions, ValidateJob, ValidateOptions
from aas.errors import UsageError
from aas.formats import Format, by_name, by_suffix, formats

#: A place: a path, or a URL (a string).
P = TypeVar("P", Path, str)


def aas_files(folder: Path, wanted: Format | None = None, skip: Path | None = None) -> list[Path]:
    """The files below ``folder`` whose suffix names a format (``wanted`` only, if given), in a
    stable order, leaving out any below ``skip`` (a resolved path)."""
    return [
        path
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and (fmt := by_suffix(path)) is not None
        and (wanted is None or fmt == wanted)
        and not (skip is not None and path.resolve().is_relative_to(skip))
    ]


def is_folder(name: str) -> bool:
    """Whether ``name`` (a path, or a URL) names a folder."""
    return places.is_folder(name) if places.is_url(name) else Path(name).is_dir()


def url_files(folder: str, wanted: Format | None = None) -> list[str]:
    """:func:`aas_files` for a folder named by a URL: the URLs below it."""
    return [
        url
        for url in places.files_below(folder)
        if (fmt := by_suffix(url)) is not None and (wanted is None or fmt == wanted)
    ]


def plan_conversion(
    folder: Path | str, target: Path | str, options: ConvertOptions
) -> list[ConvertJob]:
    """One job per AAS file below ``folder`` (of ``options.from_format`` only, if given), each
    written below ``target`` at the same relative place with the suffix of
    ``options.to_format``, in a stable order.

    Raises UsageError when no output format is named, a format is unknown, the folder holds no
    such file, or two inputs would be written to one output (``m.json`` and ``m.xml`` to
    ``m.aasx``): both are named, and none is converted.

    Either folder may be an fsspec URL (a string); the files are then named by URLs.
    """
    if isinstance(folder, str) or isinstance(target, str):
        return _plan_urls(str(folder), str(target), options)
    if options.to_format is None:
        raise UsageError("converting a folder needs --to to name the output format")
    out_format = by_name(options.to_format)
    wanted = by_name(options.from_format) if options.from_format else None
    # When the output folder lies inside the input folder, what is already in it is output
    # of an earlier run, not input.
    out_root = target.resolve()
    skip = out_root if out_root.is_relative_to(folder.resolve()) else None
    inputs = aas_files(folder, wanted, skip)
    if not inputs:
        raise UsageError(f"no {wanted.name if wanted else 'AAS'} files in {str(folder)!r}")
    each = replace(options, to_format=out_format.name)
    planned = [
        (target / path.relative_to(folder).with_suffix(out_format.suffixes[0]), path)
        for path in inputs
    ]
    sources = _one_each(planned)
    return [ConvertJob(source, destination, each) for destination, source in sources.items()]


def _one_each(planned: list[tuple[P, P]]) -> dict[P, P]:
    """Each output with its one input; UsageError naming every output that two inputs of
    one stem (``m.json`` and ``m.xml``) would be written to, and the ``--from`` that picks."""
    sources: dict[P, P] = {}
    clashes: dict[P, list[P]] = {}
    for destination, source in planned:
        if destination in sources:
            clashes.setdefault(destination, [sources[destination]]).append(source)
        else:
            sources[destination] = source
    if clashes:
        said = "; ".join(
            f"{' and '.join(repr(str(source)) for source in both)} -> {str(destination)!r}"
            for destination, both in clashes.items()
        )
        kinds = sorted(
            {fmt.name for both in clashes.values() for s in both if (fmt := by_suffix(str(s)))}
        )
        pick = " or ".join(f"--from {name}" for name in kinds)
        raise UsageError(
            f"inputs of one name in several formats would be written to one output: {said}; "
            f"pick the input format with {pick}, or convert them separately"
        )
    return sources


def _plan_urls(folder: str, target: str, options: ConvertOptions) -> list[ConvertJob]:
    """:func:`plan_conversion` where a folder is a URL (a local one a path): each output at
    the same relative place below ``target``."""
    if options.to_format is None:
        raise UsageError("converting a folder needs --to to name the output format")
    out_format = by_name(options.to_format)
    wanted = by_name(options.from_format) if options.from_format else None
    base = folder.rstrip("/")
    if places.is_url(folder):
        inputs = url_files(folder, wanted)
    else:
        inputs = [str(path) for path in aas_files(Path(folder), wanted)]
        base = str(Path(folder))
    out_base = target.rstrip("/")
    # Outputs already below the input folder are an earlier run's, not input.
    inputs = [name for name in inputs if not name.startswith(out_base + "/")]
    if not inputs:
        raise UsageError(f"no {wanted.name if wanted else 'AAS'} files in {folder!r}")
    each = replace(options, to_format=out_format.name)
    planned = [
        (
            f"{out_base}/{PurePosixPath(name[len(base) :].lstrip('/')).with_suffix('')}"
            f"{out_format.suffixes[0]}",
            name,
        )
        for name in inputs
    ]
    sources = _one_each(planned)
    return [
        ConvertJob(
            source if places.is_url(source) else Path(source),
            destination if places.is_url(destination) else Path(destination),
            each,
        )
        for destination, source in sources.items()
    ]


def plan_validation(paths: Sequence[str], options: ValidateOptions) -> list[ValidateJob]:
    """One job per file named and per AAS file (by a registered format's suffix; of
    ``options.format`` only, if given, named as any option names a format: name, alias, suffix
    or media type) below each folder named, in the order given; ``-`` is standard input.

    Raises UsageError when the format is unknown or nothing is left to check."""
    wanted = by_name(options.format) if options.format is not None else None
    names: list[str] = []
    for name in paths:
        if places.is_url(name) and places.is_folder(name):
            names.extend(url_files(name, wanted))
        elif name != "-" and Path(name).is_dir():
            names.extend(str(found) for found in aas_files(Path(name), wanted))
        else:
            names.append(name)
    if not names:
        # The suffixes looked for are the registry's (a plugin's too), as aas_files picks them.
        kinds = [wanted] if wanted is not None else list(formats())
        suffixes = ", ".join(suffix for fmt in kinds for suffix in fmt.suffixes)
        what = wanted.name if wanted is not None else "AAS"
        raise UsageError(f"no {what} files ({suffixes}) in the given folders")
    return [ValidateJob(name, options) for name in names]
