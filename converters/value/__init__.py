"""Value-only JSON: the values of submodels without their metadata (IDTA-01001 V3.1, format
"Value"), written from any model and read back with the submodel template that gives the rest.

Declared as every format is; the reader and writer are in ``.format``. Nothing here looks at
content: value-only JSON starts like AAS JSON, so it is only read when named (``--from value``).
"""

from __future__ import annotations

from aas.formats import Format

FORMAT = Format(
    name="value",
    aliases=("value-only", "valueonly"),
    # The definition names no suffix and ".json" is AAS JSON's; this one names written files
    # when no --to is given, and lets `aas formats` list the format like the others.
    suffixes=(".valueonly",),
    module="aas.converters.value.format",
    description="value-only JSON of submodels (reading needs --template)",
    rank=9,
    # Without its template a file is unreadable: `aas validate FOLDER` and `aas convert
    # FOLDER` would fail every one of them, so folder walks leave them out.
    reads_with="its submodel template (aas convert FILE OUT --from value --template T)",
)
