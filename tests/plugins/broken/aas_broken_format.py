"""A format module that cannot be imported: it needs what is not installed."""

from __future__ import annotations

import aas_no_such_dependency  # noqa: F401

from aas.formats import Format

FORMAT = Format(
    name="broken",
    suffixes=(".broken",),
    module="aas_broken_format",
    description="never loaded",
)
