"""The one place where a format plugs in, and how the format of an input or output is decided.

Formats come from the ``aas.formats`` entry points of the installed distributions: each entry
point names a :class:`Format`, the declaration of one format (its name and aliases, suffixes,
media types, an optional look at the content, and the module that reads and writes it). The
toolkit's own formats register there too (pyproject.toml), in modules that import no reader
or writer. The entry points are read on the first call that needs the list, and a format's
reader and writer are imported only when the format is used.

A format that names what another one already has (a name, alias, suffix or media type) is
refused, and a declaration that cannot be loaded is left out; both are said as a warning
(``logging``, logger ``aas.formats``) naming the entry point and its distribution, and the
other formats keep working. The toolkit's own formats are registered first, so a third-party
format can never take their names, suffixes or content over.

The format of an input is taken from an explicit choice, then the file suffix, then the
content; when none of them decides, the caller gets an error saying why, never a guess.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, cast

from aas.codec import Codec
from aas.errors import AasError, FormatDetectionError, UsageError

#: The entry point group formats register in.
GROUP = "aas.formats"

#: The distribution whose formats are the built-in ones (its name as wheels normalise it).
_OWN_DISTRIBUTION = "aas_toolkit"


@dataclass(frozen=True, kw_only=True)
class Format:
    """The declaration of one format, what an ``aas.formats`` entry point names.

    It is loaded to list and detect formats, so the module that holds it should import
    little; the reader and writer stay in ``module`` until the format is used.
    """

    #: What ``--from``/``--to`` take; lower case, the entry point's name too.
    name: str
    #: File suffixes, each one dot and lower case (".json"); the first names written files.
    suffixes: tuple[str, ...]
    #: Where the reader and writer (an :class:`aas.codec.Codec`) are: ``module:attribute``,
    #: or a module whose ``CODEC`` it is.
    module: str
    #: One line for ``aas formats``.
    description: str
    #: Other names users type for the format ("ttl" for "turtle").
    aliases: tuple[str, ...] = ()
    #: Media types ("text/turtle"), lower case; ``by_name`` and ``--from``/``--to`` take them.
    #: A format need not have one.
    media_types: tuple[str, ...] = ()
    #: Whether the first bytes of a document (up to 4 KiB, as read) are this format's; for a
    #: document whose suffix names no format. Built-in formats are asked first.
    sniff: Callable[[bytes], bool] | None = None
    #: Where the format stands in listings (and sniffing) among those of its kind: the
    #: built-in ones first, then the others, each by rank, then distribution and name.
    rank: int = 0
    #: What a document of the format is read with besides itself, said after "each is read
    #: only with" (value-only JSON: its submodel template); None when it is read alone. A
    #: folder walk passes such files over (and says so), unless the format is asked for.
    reads_with: str | None = None

    @property
    def codec(self) -> Codec[Any]:
        """The reader and writer (``module:attribute``, or a module's ``CODEC``); an AasError
        naming the format when they cannot be loaded."""
        module_name, _, attribute = self.module.partition(":")
        try:
            module = importlib.import_module(module_name)
            codec = getattr(module, attribute or "CODEC")
        except Exception as error:  # whatever a format's module raises on import
            raise AasError(
                f"the format {self.name!r}{_from(self)} cannot be used: its reader and writer "
                f"{self.module!r} do not load ({type(error).__name__}: {error})"
            ) from None
        if not isinstance(codec, Codec):
            raise AasError(
                f"the format {self.name!r}{_from(self)} cannot be used: {self.module!r} is a "
                f"{type(codec).__name__}, not an aas.codec.Codec"
            )
        return codec


def text_start(head: bytes) -> bytes:
    """The first bytes of a text document without byte order mark and leading white space:
    what a sniff looks at."""
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()


# --- the registry -----------------------------------------------------------------------


@dataclass(frozen=True)
class _EntryPoint:
    name: str
    value: str
    #: The metadata folder of the distribution that declares it.
    folder: str
    builtin: bool

    @property
    def distribution(self) -> str:
        return _described(self.folder)

    def __str__(self) -> str:
        return f"'{self.name} = {self.value}' of {self.distribution}"


@dataclass
class _Registry:
    formats: list[Format] = field(default_factory=list)
    #: By name and by alias; by suffix; by media type.
    names: dict[str, Format] = field(default_factory=dict)
    suffixes: dict[str, Format] = field(default_factory=dict)
    media_types: dict[str, Format] = field(default_factory=dict)
    #: The entry point of each format, by format name.
    origins: dict[str, _EntryPoint] = field(default_factory=dict)
    #: Formats whose sniff raised: said once, then not asked again.
    failed_sniffs: set[str] = field(default_factory=set)
    #: Why no format can be used, when the toolkit's own entry points were not found.
    broken: str | None = None

    def taken(self, fmt: Format) -> str | None:
        """What of ``fmt`` another format already has, said for a message; None if nothing."""
        claims = (
            [("name", name, self.names) for name in (fmt.name, *fmt.aliases)]
            + [("suffix", suffix, self.suffixes) for suffix in fmt.suffixes]
            + [("media type", media, self.media_types) for media in fmt.media_types]
        )
        for what, value, owners in claims:
            owner = owners.get(value)
            if owner is not None:
                return (
                    f"its {what} {value!r} is taken by the format {owner.name!r} "
                    f"of {self.origins[owner.name].distribution}"
                )
        return None

    def add(self, fmt: Format, entry: _EntryPoint) -> None:
        self.formats.append(fmt)
        self.names.update(dict.fromkeys((fmt.name, *fmt.aliases), fmt))
        self.suffixes.update(dict.fromkeys(fmt.suffixes, fmt))
        self.media_types.update(dict.fromkeys(fmt.media_types, fmt))
        self.origins[fmt.name] = entry


_loaded: _Registry | None = None


def _registry(usable: bool = True) -> _Registry:
    """The formats found; an AasError when none can be used, unless ``usable`` is false
    (for the CLI's help texts, which list the names and must show even then)."""
    global _loaded
    if _loaded is None:
        _loaded = _load()
    if usable and _loaded.broken is not None:
        raise AasError(_loaded.broken)
    return _loaded


def reload() -> None:
    """Forget the formats found; the next call reads the entry points again (after a
    distribution was installed, or ``sys.path`` changed)."""
    global _loaded
    _loaded = None


def _load() -> _Registry:
    declared: list[tuple[Format, _EntryPoint]] = []
    for entry in _entry_points(GROUP):
        fmt = _declaration(entry)
        if fmt is not None:
            declared.append((fmt, entry))
    registry = _Registry()
    if not any(entry.builtin for _, entry in declared):
        registry.broken = (
            "no formats are registered: the installed aas-toolkit has no "
            f"{GROUP!r} entry points (installed from an older checkout?); "
            "install it again (pip install -e .)"
        )
        return registry
    declared.sort(
        key=lambda pair: (not pair[1].builtin, pair[0].rank, pair[1].distribution, pair[0].name)
    )
    for fmt, entry in declared:
        taken = registry.taken(fmt)
        if taken is not None:
            _warn(f"the format {fmt.name!r} of {entry.distribution} is refused: {taken}")
            continue
        registry.add(fmt, entry)
    return registry


def _declaration(entry: _EntryPoint) -> Format | None:
    """The format an entry point names; None, after a warning, when it names none."""
    reference = _REFERENCE.fullmatch(entry.value)
    try:
        if reference is None:
            raise ValueError("it is no 'module:attribute' reference")
        found: object = importlib.import_module(reference["module"])
        for attribute in filter(None, (reference["attribute"] or "").split(".")):
            found = getattr(found, attribute)
    except Exception as error:  # whatever a third-party module raises on import
        _warn(
            f"the format entry point {entry} cannot be loaded and is left out "
            f"({type(error).__name__}: {error})"
        )
        return None
    problem = _malformed(found, entry.name)
    if problem is not None:
        _warn(f"the format entry point {entry} is left out: {problem}")
        return None
    return cast(Format, found)


def _malformed(found: object, entry_name: str) -> str | None:
    """Why an object is no usable declaration; None when it is one."""
    if not isinstance(found, Format):
        return f"it names a {type(found).__name__}, not an aas.formats.Format"
    if not _NAME.fullmatch(found.name):
        return f"its name {found.name!r} is not in lower case letters, digits and '+._-'"
    if found.name != entry_name:
        return f"it declares the format {found.name!r}; the entry point must have its name"
    bad_alias = next((alias for alias in found.aliases if not _NAME.fullmatch(alias)), None)
    if bad_alias is not None:
        return f"its alias {bad_alias!r} is not a lower-case name"
    bad_suffix = next((suffix for suffix in found.suffixes if not _SUFFIX.fullmatch(suffix)), None)
    if bad_suffix is not None:
        return f"{bad_suffix!r} is no suffix of one dot in lower case (as '.json')"
    if not found.suffixes:
        return "it names no suffix (the first one names the files it writes)"
    bad_media = next((media for media in found.media_types if not _MEDIA.fullmatch(media)), None)
    if bad_media is not None:
        return f"{bad_media!r} is no media type in lower case (as 'application/json')"
    if found.sniff is not None and not callable(found.sniff):
        return "its sniff is not callable"
    return None


_REFERENCE = re.compile(r"(?P<module>[\w.]+)\s*(?::\s*(?P<attribute>[\w.]+))?\s*(?:\[.*\])?")
_NAME = re.compile(r"[a-z0-9][a-z0-9+._-]*")  # not "/": by_name takes media types too
_SUFFIX = re.compile(r"\.[a-z0-9_+-]+")
_MEDIA = re.compile(r"[a-z0-9.+_-]+/[a-z0-9.+_-]+")


def _warn(message: str, in_workers: bool = False) -> None:
    """Say what is wrong with an installed format. ``in_workers`` false: not in a worker
    process of a batch, whose parent reads the same entry points and has said it."""
    multiprocessing = sys.modules.get("multiprocessing")
    if not in_workers and multiprocessing and multiprocessing.parent_process() is not None:
        return
    # logging, not warnings: nothing in the caller's code causes or fixes an installed
    # distribution's broken entry point. Without logging set up, Python prints the message
    # alone on standard error. Imported here: a clean start does not need it.
    import logging

    logging.getLogger(__name__).warning("aas: warning: %s", message)


def _from(fmt: Format) -> str:
    """The distribution of a third-party format, said for messages; nothing for a built-in."""
    entry = _loaded.origins.get(fmt.name) if _loaded is not None else None
    return "" if entry is None or entry.builtin else f" (of {entry.distribution})"


# --- reading entry points ---------------------------------------------------------------
# importlib.metadata would do this, but importing it costs about 14 ms (email, zipfile,
# csv), a fifth of the toolkit's start before it reads anything. Entry points are a plain
# file in each distribution's metadata folder, found as importlib.metadata finds them: on
# sys.path in order, the first distribution of a name only. Distributions inside zip
# archives on sys.path are not searched. tests/test_format_plugins.py checks that both
# find the same entry points.


def _entry_points(group: str) -> Iterator[_EntryPoint]:
    for key, folder in _distributions():
        try:
            with open(os.path.join(folder, "entry_points.txt"), encoding="utf-8") as file:
                text = file.read()
        except OSError:
            continue  # a distribution without entry points
        for name, value in _section(text, group):
            yield _EntryPoint(name, value, folder, key == _OWN_DISTRIBUTION)


def _distributions() -> Iterator[tuple[str, str]]:
    """(normalised name, metadata folder) of each distribution on sys.path."""
    seen: set[str] = set()
    for entry in sys.path:
        directory = entry or "."
        try:
            children = sorted(os.listdir(directory))
        except OSError:
            continue  # a zip archive, or a folder that is gone
        for child in children:
            stem, _, kind = child.rpartition(".")
            if kind.lower() not in ("dist-info", "egg-info"):
                continue
            key = re.sub(r"[-_.]+", "_", stem.partition("-")[0]).lower()
            if key in seen:
                continue
            seen.add(key)
            yield key, os.path.join(directory, child)


@functools.cache
def _described(folder: str) -> str:
    """A distribution's name and version from its metadata, for messages."""
    headers: dict[str, str] = {}
    for file_name in ("METADATA", "PKG-INFO"):  # a wheel's, an egg's
        try:
            with open(os.path.join(folder, file_name), encoding="utf-8") as file:
                for line in file:
                    if not line.strip():
                        break  # the headers end at the first empty line
                    key, _, value = line.partition(":")
                    headers.setdefault(key, value.strip())
            break
        except OSError:
            continue
    stem = os.path.basename(folder).rpartition(".")[0]
    name = headers.get("Name") or stem.partition("-")[0]
    return f"{name} {headers.get('Version', '')}".strip()


def _section(text: str, group: str) -> Iterator[tuple[str, str]]:
    """The ``name = value`` lines of one ``[group]`` of an entry_points.txt."""
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
        elif current == group:
            name, equals, value = line.partition("=")
            if equals:
                yield name.strip(), value.strip()


# --- finding a format -------------------------------------------------------------------


def formats() -> tuple[Format, ...]:
    """Every registered format, the built-in ones first."""
    return tuple(_registry().formats)


def names() -> list[str]:
    return [fmt.name for fmt in _registry(usable=False).formats]


def by_name(name: str) -> Format:
    """The format of a name, an alias, a suffix (".ttl") or a media type ("text/turtle")."""
    registry = _registry()
    key = name.strip().lower()
    if "/" in key:
        fmt = registry.media_types.get(key.partition(";")[0].strip())
    else:
        fmt = registry.names.get(key.lstrip(".")) or registry.suffixes.get(key)
    if fmt is None:
        raise UsageError(f"unknown format {name!r} (known: {', '.join(names())})")
    return fmt


def by_suffix(path: str | PurePath) -> Format | None:
    return _registry().suffixes.get(PurePath(path).suffix.lower())


def by_media_type(media_type: str) -> Format | None:
    """The format of a media type; parameters (``; charset=utf-8``) are ignored."""
    return _registry().media_types.get(media_type.partition(";")[0].strip().lower())


def sniff(head: bytes) -> Format | None:
    """Tell a format from the first bytes of the content, where they decide it."""
    registry = _registry()
    for fmt in registry.formats:
        if fmt.sniff is None or fmt.name in registry.failed_sniffs:
            continue
        try:
            if fmt.sniff(head):
                return fmt
        except Exception as error:  # a third-party sniff's bug must not stop detection
            registry.failed_sniffs.add(fmt.name)
            _warn(
                f"the format {fmt.name!r}{_from(fmt)} failed to look at content and is not "
                f"asked again ({type(error).__name__}: {error})",
                in_workers=True,  # the worker that sniffs may be the only one
            )
    return None


def detect_input(explicit: str | None, path: str | None, head: bytes) -> Format:
    """Explicit choice, then suffix, then content."""
    found = _chosen(explicit, path) or sniff(head)
    if found is not None:
        return found
    named = bool(path) and path != "-" and not str(path).startswith("<")
    if named:
        raise FormatDetectionError(
            f"cannot tell the format of {path!r}: {_unknown_suffix(str(path))}, and its content "
            f"starts like none of {', '.join(names())}; name it with --from"
        )
    raise FormatDetectionError(
        f"cannot tell the format of {path or 'the input'}: its content starts like none of "
        f"{', '.join(names())}; name it with --from"
    )


def detect_output(explicit: str | None, path: str | None) -> Format:
    """Explicit choice, then suffix; an output has no content to look at yet."""
    found = _chosen(explicit, path)
    if found is not None:
        return found
    if path and path != "-":
        raise FormatDetectionError(
            f"cannot tell the output format of {path!r}: {_unknown_suffix(path)}; name it with --to"
        )
    raise FormatDetectionError(
        "cannot tell the output format of standard output; name it with --to"
    )


def _chosen(explicit: str | None, path: str | None) -> Format | None:
    """The format an explicit choice names, else the one of the file's suffix; None when
    neither decides (``-`` is standard input or output)."""
    if explicit:
        return by_name(explicit)
    if path and path != "-":
        return by_suffix(path)
    return None


def _unknown_suffix(path: str) -> str:
    """Why a file's suffix did not tell its format, said for a message."""
    suffix = PurePath(path).suffix
    return f"its suffix {suffix!r} names no known format" if suffix else "it has no suffix"
