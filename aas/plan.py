"""Planning a batch before any file is read: the AAS files below a folder, where each file of a
folder conversion is written, and the plans refused (two inputs onto one output).

A refusal is a :class:`~aas.errors.UsageError` (exit 2): it names what the caller asked for,
not a problem of a model, and nothing has been written when it is raised.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path, PurePath, PurePosixPath
from typing import TypeVar

from aas import places
from aas.batch import ConvertJob, ConvertOptions, ValidateJob, ValidateOptions
from aas.errors import UsageError
from aas.formats import Format, by_name, by_suffix, formats
from aas.gzipped import inner_name
from aas.wording import counted

#: A place: a path, or a URL (a string).
P = TypeVar("P", Path, str)


def walked_format(name: str | PurePath) -> Format | None:
    """The format a folder walk takes a file for: its suffix's, and for a gzip file the one
    of its name without ``.gz`` (``m.json.gz`` is JSON; ``m.gz`` is no AAS file)."""
    return by_suffix(inner_name(str(name)) or "")


def _taken(fmt: Format | None, wanted: Format | None) -> bool | None:
    """Whether a walk takes a file of ``fmt``: True, False, or None when it passes the file
    over and says so (a format read only with something else, not asked for)."""
    if fmt is None or (wanted is not None and fmt != wanted):
        return False
    if wanted is None and fmt.reads_with is not None:
        return None
    return True


def _walked(names: Iterable[P], wanted: Format | None, passed_over: list[P] | None) -> list[P]:
    """The names a walk takes, in their order; those it passes over go to ``passed_over``."""
    found: list[P] = []
    for name in names:
        taken = _taken(walked_format(name), wanted)
        if taken:
            found.append(name)
        elif taken is None and passed_over is not None:
            passed_over.append(name)
    return found


def aas_files(
    folder: Path,
    wanted: Format | None = None,
    skip: Path | None = None,
    passed_over: list[Path] | None = None,
) -> list[Path]:
    """The files below ``folder`` whose suffix names a format, gzipped ones too (``m.json.gz``;
    ``wanted`` only, if given), in a stable order, leaving out any below ``skip`` (a resolved
    path). Files of a format read only with something else (value-only JSON, see
    :attr:`Format.reads_with`) are left out unless ``wanted`` is theirs, and added to
    ``passed_over`` when it is given."""
    candidates = (
        path
        for path in sorted(folder.rglob("*"))
        if path.is_file() and (skip is None or not path.resolve().is_relative_to(skip))
    )
    return _walked(candidates, wanted, passed_over)


def output_name(name: str, suffix: str) -> str:
    """The name a converted file is written under: ``m.xml`` for ``m.json`` and for the gzipped
    ``m.json.gz`` (outputs are never compressed)."""
    inner = PurePosixPath(inner_name(name) or name)
    return str(inner.with_suffix(suffix)) if inner.suffix else f"{inner}{suffix}"


def is_folder(name: str) -> bool:
    """Whether ``name`` (a path, or a URL) names a folder."""
    return places.is_folder(name) if places.is_url(name) else Path(name).is_dir()


def url_files(
    folder: str, wanted: Format | None = None, passed_over: list[str] | None = None
) -> list[str]:
    """:func:`aas_files` for a folder named by a URL: the URLs below it."""
    return _walked(places.files_below(folder), wanted, passed_over)


def plan_conversion(
    folder: Path | str,
    target: Path | str,
    options: ConvertOptions,
    passed_over: list[Path | str] | None = None,
) -> list[ConvertJob]:
    """One job per AAS file below ``folder`` (of ``options.from_format`` only, if given; see
    :func:`aas_files`, which also says what goes to ``passed_over``), each written below
    ``target`` at the same relative place with the suffix of ``options.to_format`` (``m.json``
    and ``m.json.gz`` as ``m.xml``), in a stable order.

    Raises UsageError when no output format is named, a format is unknown, the folder holds no
    such file, or two inputs would be written to one output (``m.json`` and ``m.xml`` to
    ``m.aasx``): both are named, and none is converted.

    Either folder may be an fsspec URL (a string); the files are then named by URLs.
    """
    if isinstance(folder, str) or isinstance(target, str):
        return _plan_urls(str(folder), str(target), options, passed_over)
    if options.to_format is None:
        raise UsageError("converting a folder needs --to to name the output format")
    out_format = by_name(options.to_format)
    wanted = by_name(options.from_format) if options.from_format else None
    # When the output folder lies inside the input folder, what is already in it is output
    # of an earlier run, not input.
    out_root = target.resolve()
    skip = out_root if out_root.is_relative_to(folder.resolve()) else None
    left: list[Path] = []
    inputs = aas_files(folder, wanted, skip, left)
    if passed_over is not None:
        passed_over.extend(left)
    if not inputs:
        raise UsageError(
            f"no {wanted.name if wanted else 'AAS'} files in {str(folder)!r}{_left_out(left)}"
        )
    each = replace(options, to_format=out_format.name)
    planned = [
        (
            target
            / path.relative_to(folder).parent
            / output_name(path.name, out_format.suffixes[0]),
            path,
        )
        for path in inputs
    ]
    sources = _one_each(planned)
    return [ConvertJob(source, destination, each) for destination, source in sources.items()]


#: The clashes a refusal names (the others are counted).
_CLASHES_NAMED = 5


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
        named = list(clashes.items())[:_CLASHES_NAMED]
        said = "; ".join(
            f"{' and '.join(repr(str(source)) for source in both)} -> {str(destination)!r}"
            for destination, both in named
        )
        if len(clashes) > len(named):  # a whole tree of JSON beside AASX: no wall of names
            said += f"; and {counted(len(clashes) - len(named), 'more output')} like these"
        kinds = sorted(
            {fmt.name for both in clashes.values() for s in both if (fmt := walked_format(s))}
        )
        # m.json and m.json.gz are of one format: --from picks both of them.
        pick = " or ".join(f"--from {name}" for name in kinds)
        way_out = f"pick the input format with {pick}, or " if len(kinds) > 1 else ""
        raise UsageError(
            f"inputs of one name in several formats would be written to one output: {said}; "
            f"{way_out}convert them separately"
        )
    return sources


def _plan_urls(
    folder: str,
    target: str,
    options: ConvertOptions,
    passed_over: list[Path | str] | None,
) -> list[ConvertJob]:
    """:func:`plan_conversion` where a folder is a URL (a local one a path): each output at
    the same relative place below ``target``."""
    if options.to_format is None:
        raise UsageError("converting a folder needs --to to name the output format")
    out_format = by_name(options.to_format)
    wanted = by_name(options.from_format) if options.from_format else None
    base = folder.rstrip("/")
    left: list[str] = []
    if places.is_url(folder):
        inputs = url_files(folder, wanted, left)
    else:
        found: list[Path] = []
        inputs = [str(path) for path in aas_files(Path(folder), wanted, passed_over=found)]
        left = [str(path) for path in found]
        base = str(Path(folder))
    out_base = target.rstrip("/")
    # Outputs already below the input folder are an earlier run's, not input.
    inputs = [name for name in inputs if not name.startswith(out_base + "/")]
    left = [name for name in left if not name.startswith(out_base + "/")]
    if passed_over is not None:
        passed_over.extend(left)
    if not inputs:
        raise UsageError(
            f"no {wanted.name if wanted else 'AAS'} files in {folder!r}{_left_out(left)}"
        )
    each = replace(options, to_format=out_format.name)
    planned = [
        (
            f"{out_base}/{output_name(name[len(base) :].lstrip('/'), out_format.suffixes[0])}",
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


def plan_validation(
    paths: Sequence[str], options: ValidateOptions, passed_over: list[str] | None = None
) -> list[ValidateJob]:
    """One job per file named and per AAS file (by a registered format's suffix, gzipped ones
    too; of ``options.format`` only, if given, named as any option names a format: name, alias,
    suffix or media type) below each folder named, in the order given; ``-`` is standard input.
    A folder's files of a format read only with something else (value-only JSON) are left out
    unless that format is asked for, and added to ``passed_over`` when it is given; a file
    named is checked whatever it is.

    Raises UsageError when the format is unknown or nothing is left to check."""
    wanted = by_name(options.format) if options.format is not None else None
    names: list[str] = []
    left: list[str] = []
    for name in paths:
        if places.is_url(name) and places.is_folder(name):
            names.extend(url_files(name, wanted, left))
        elif name != "-" and Path(name).is_dir():
            found: list[Path] = []
            names.extend(str(path) for path in aas_files(Path(name), wanted, passed_over=found))
            left.extend(str(path) for path in found)
        else:
            names.append(name)
    if passed_over is not None:
        passed_over.extend(left)
    if not names:
        # The suffixes looked for are the registry's (a plugin's too), as aas_files picks them.
        kinds = [wanted] if wanted is not None else [f for f in formats() if f.reads_with is None]
        suffixes = ", ".join(suffix for fmt in kinds for suffix in fmt.suffixes)
        what = wanted.name if wanted is not None else "AAS"
        raise UsageError(f"no {what} files ({suffixes}) in the given folders{_left_out(left)}")
    return [ValidateJob(name, options) for name in names]


def passed_over_note(files: Sequence[Path | str], verb: str) -> str | None:
    """One line on the files a walk passed over, grouped by format (``verb``: what was not
    done to them, "checked"); None when there are none."""
    if not files:
        return None
    by_format: dict[Format, int] = {}
    for name in files:
        fmt = walked_format(name)
        if fmt is not None:
            by_format[fmt] = by_format.get(fmt, 0) + 1
    parts = [
        f"{counted(count, 'file')} of format {fmt.name} ({', '.join(fmt.suffixes)}) not {verb}: "
        f"each is read only with {fmt.reads_with}"
        for fmt, count in by_format.items()
    ]
    return "; ".join(parts)


def _left_out(left: Sequence[Path | str]) -> str:
    """What a refusal for want of files adds about the files passed over."""
    note = passed_over_note(left, "taken")
    return f" ({note})" if note else ""
