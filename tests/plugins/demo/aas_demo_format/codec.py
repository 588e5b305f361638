"""The demo format's reader and writer: the toolkit's AAS JSON, behind a first line."""

from __future__ import annotations

from dataclasses import replace
from typing import BinaryIO

import aas
from aas.codec import ReadContext, WriteContext
from aas.errors import ReadError
from aas.findings import Finding, Location
from aas.model import Model

from . import MAGIC


def read(data: bytes, context: ReadContext) -> Model:
    if not data.startswith(MAGIC):
        raise ReadError(
            f"a demo document starts with the line {MAGIC.decode().strip()!r}",
            Location(file=context.source, line=1),
        )
    # The caller checks the model it gets back: reading the JSON inside checks nothing.
    model = aas.load(
        data[len(MAGIC) :],
        format="json",
        version=context.version,
        model_type=context.model_type,
        verify=False,
    )
    model.source = context.source
    model.findings = [_in_document(finding, context.source) for finding in model.findings]
    return model


def _in_document(finding: Finding, source: str | None) -> Finding:
    """A finding of the JSON inside, located in the demo document (one line further down)."""
    line = finding.location.line
    location = replace(finding.location, file=source, line=None if line is None else line + 1)
    return replace(finding, location=location)


def write(model: Model, stream: BinaryIO, context: WriteContext) -> None:
    stream.write(MAGIC)
    stream.write(aas.dump(model, "json", findings=context.findings))
