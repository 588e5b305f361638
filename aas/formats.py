"""The one place where a format plugs in, and how the format of an input or output is decided.

Each format is declared once: its name, file suffixes, media types and where under
``aas.converters`` its codec (an :class:`aas.codec.Codec`) is, imported only when used. The
format of an input is taken from an explicit choice, then the file suffix, then the content;
when none of them decides, the caller gets an error saying why, never a guess.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, cast

from aas.codec import Codec
from aas.errors import FormatDetectionError, UsageError


@dataclass(frozen=True)
class Format:
    name: str
    suffixes: tuple[str, ...]
    media_types: tuple[str, ...]
    module: str
    description: str

    @property
    def codec(self) -> Codec[Any]:
        """The format's reader and writer: ``module:attribute``, or a module's ``CODEC``."""
        module_name, _, attribute = self.module.partition(":")
        module = importlib.import_module(module_name)
        return cast(Codec[Any], getattr(module, attribute or "CODEC"))


FORMATS: tuple[Format, ...] = (
    Format("json", (".json",), ("application/json",), "aas.converters.json.format", "AAS JSON"),
    Format(
        "xml",
        (".xml",),
        ("application/xml", "text/xml"),
        "aas.converters.xml.format",
        "AAS XML",
    ),
    Format(
        "aasx",
        (".aasx",),
        ("application/asset-administration-shell-package",),
        "aas.converters.aasx.format",
        "AASX package (IDTA-01005)",
    ),
    Format(
        "turtle",
        (".ttl",),
        ("text/turtle",),
        "aas.converters.rdf.format:TURTLE",
        "RDF Turtle, official AAS RDF mapping",
    ),
    Format(
        "ntriples",
        (".nt",),
        ("application/n-triples",),
        "aas.converters.rdf.format:NTRIPLES",
        "RDF N-Triples, official AAS RDF mapping",
    ),
    Format(
        "jsonld",
        (".jsonld",),
        ("application/ld+json",),
        "aas.converters.rdf.format:JSONLD",
        "RDF JSON-LD (context inline), official AAS RDF mapping",
    ),
    Format(
        "rdfxml",
        (".rdf", ".owl"),
        ("application/rdf+xml",),
        "aas.converters.rdf.format:RDFXML",
        "RDF/XML, official AAS RDF mapping",
    ),
)

#: Other names users type for the formats
_ALIASES = {"ttl": "turtle", "nt": "ntriples", "json-ld": "jsonld", "rdf": "rdfxml"}

_BY_NAME = {fmt.name: fmt for fmt in FORMATS}
_BY_SUFFIX = {suffix: fmt for fmt in FORMATS for suffix in fmt.suffixes}


def names() -> list[str]:
    return [fmt.name for fmt in FORMATS]


def by_name(name: str) -> Format:
    key = name.lower().lstrip(".")
    fmt = _BY_NAME.get(_ALIASES.get(key, key))
    if fmt is None:
        raise UsageError(f"unknown format {name!r} (known: {', '.join(names())})")
    return fmt


def by_suffix(path: str | PurePath) -> Format | None:
    return _BY_SUFFIX.get(PurePath(path).suffix.lower())


def sniff(head: bytes) -> Format | None:
    """Tell a format from the first bytes of the content, where they decide it."""
    if head.startswith(b"PK\x03\x04"):
        return _BY_NAME["aasx"]
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith((b"{", b"[")):
        if b'"@context"' in text or b'"@graph"' in text or text.startswith(b"["):
            return _BY_NAME["jsonld"]
        return _BY_NAME["json"]
    if text.startswith((b"@prefix", b"@base", b"PREFIX", b"BASE", b"_:")):
        return _BY_NAME["turtle"]
    if _IRI_START.match(text):
        return _BY_NAME["turtle"]  # N-Triples is Turtle too
    if text.startswith(b"<"):
        if b"<rdf:RDF" in text or b"22-rdf-syntax-ns#" in text[:2048]:
            return _BY_NAME["rdfxml"]
        return _BY_NAME["xml"]
    return None


_IRI_START = re.compile(rb"<[a-zA-Z][a-zA-Z0-9+.\-]*:[^\s>]*>\s")


def detect_input(explicit: str | None, path: str | None, head: bytes) -> Format:
    """Explicit choice, then suffix, then content."""
    if explicit:
        return by_name(explicit)
    if path and path != "-":
        by_file_suffix = by_suffix(path)
        if by_file_suffix is not None:
            return by_file_suffix
    found = sniff(head)
    if found is not None:
        return found
    named = bool(path) and path != "-" and not str(path).startswith("<")
    if named:
        suffix = PurePath(str(path)).suffix
        reason = f"its suffix {suffix!r} names no known format" if suffix else "it has no suffix"
        raise FormatDetectionError(
            f"cannot tell the format of {path!r}: {reason}, and its content starts like none "
            f"of {', '.join(names())}; name it with --from"
        )
    raise FormatDetectionError(
        f"cannot tell the format of {path or 'the input'}: its content starts like none of "
        f"{', '.join(names())}; name it with --from"
    )


def detect_output(explicit: str | None, path: str | None) -> Format:
    """Explicit choice, then suffix; an output has no content to look at yet."""
    if explicit:
        return by_name(explicit)
    if path and path != "-":
        found = by_suffix(path)
        if found is not None:
            return found
        suffix = PurePath(path).suffix
        reason = f"its suffix {suffix!r} names no known format" if suffix else "it has no suffix"
        raise FormatDetectionError(
            f"cannot tell the output format of {path!r}: {reason}; name it with --to"
        )
    raise FormatDetectionError(
        "cannot tell the output format of standard output; name it with --to"
    )
