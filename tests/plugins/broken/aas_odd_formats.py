"""Entry points that load, but name no usable format (or one whose reader is missing)."""

from __future__ import annotations

from aas.formats import Format

NOT_A_FORMAT = {"name": "dict"}

#: Its entry point is called "misnamed".
OTHER_NAME = Format(
    name="other",
    suffixes=(".other",),
    module="aas_odd_formats",
    description="declared under another name",
)

#: Declared well; its reader and writer are in a module that is not installed.
NO_CODEC = Format(
    name="nocodec",
    suffixes=(".nocodec",),
    module="aas_no_such_codec",
    description="a reader and writer that are missing",
)


def _failing_sniff(head: bytes) -> bool:
    raise ValueError("this sniff has a bug")


#: Declared well, but looking at content fails.
BAD_SNIFF = Format(
    name="badsniff",
    suffixes=(".badsniff",),
    module="aas_odd_formats",
    description="a sniff that raises",
    sniff=_failing_sniff,
)
