"""A format of a third party, found through its ``aas.formats`` entry point: "demo", AAS JSON
after a first line ``AAS-DEMO 1``. This module is what the entry point loads, so it imports
nothing but the declaration's type; the reader and writer are in ``aas_demo_format.codec``."""

from __future__ import annotations

from aas.formats import Format

#: The first line of every demo document.
MAGIC = b"AAS-DEMO 1\n"


def _sniff(head: bytes) -> bool:
    return head.startswith(MAGIC)


FORMAT = Format(
    name="demo",
    aliases=("aas-demo",),
    suffixes=(".demo",),
    media_types=("application/x-aas-demo",),
    module="aas_demo_format.codec",
    description="Demo: AAS JSON after a line 'AAS-DEMO 1' (a test plugin)",
    sniff=_sniff,
)
