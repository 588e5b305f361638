"""The demo format's reader and writer: the toolkit's AAS JSON, behind a first line.

Every stage is the JSON format's (asked from the registry), on the text after that line;
what it finds is moved one line down, into the demo document."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import replace
from typing import Any, BinaryIO

from aas.codec import Codec, Document, ReadContext, WriteContext
from aas.errors import ReadError
from aas.findings import Finding, Location
from aas.formats import by_name
from aas.model import Model

from . import MAGIC


def _below(location: Location) -> Location:
    """A location in the JSON text, in the demo document (one line further down)."""
    return location if location.line is None else replace(location, line=location.line + 1)


class DemoDocument(Document[Any]):
    """The JSON document after the first line."""

    style = "json"

    def __init__(self, text: bytes, source: str | None, inner: Document[Any]) -> None:
        super().__init__(text, source)
        self.inner = inner
        self.findings = inner.findings  # the JSON reader adds to them as it parses

    @property
    def tree(self) -> Any:
        return self.inner.tree

    def locate(self, location: Location) -> Location:
        return _below(self.inner.locate(location))

    def locate_all(self, findings: Sequence[Finding]) -> list[Finding]:
        return [
            replace(finding, location=_below(finding.location))
            for finding in self.inner.locate_all(findings)
        ]

    def targets(self, finding: Finding) -> list[Hashable]:
        return self.inner.targets(finding)


class DemoCodec(Codec[DemoDocument]):
    def parse(self, data: bytes, context: ReadContext) -> DemoDocument:
        if not data.startswith(MAGIC):
            raise ReadError(
                f"a demo document starts with the line {MAGIC.decode().strip()!r}",
                Location(file=context.source, line=1),
            )
        try:
            inner = _json().parse(data[len(MAGIC) :], context)
        except ReadError as error:
            raise ReadError(error.message, _below(error.location), rule=error.rule) from None
        return DemoDocument(data, context.source, inner)

    def build(self, document: DemoDocument, context: ReadContext) -> Model:
        try:
            return _json().build(document.inner, context)
        except ReadError as error:
            raise ReadError(error.message, _below(error.location), rule=error.rule) from None

    def check_schema(self, document: DemoDocument, context: ReadContext) -> list[Finding] | None:
        return _json().check_schema(document.inner, context)

    def write(self, model: Model, stream: BinaryIO, context: WriteContext) -> None:
        stream.write(MAGIC)
        _json().write(model, stream, context)


def _json() -> Codec[Any]:
    return by_name("json").codec


CODEC = DemoCodec()
