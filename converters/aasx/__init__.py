"""AASX: the package format (IDTA-01005), an OPC archive of JSON or XML parts."""

from __future__ import annotations

from aas.formats import Format


def _sniff(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")  # a zip archive's first local file header


FORMAT = Format(
    name="aasx",
    suffixes=(".aasx",),
    media_types=("application/asset-administration-shell-package",),
    module="aas.converters.aasx.format",
    description="AASX package (IDTA-01005)",
    sniff=_sniff,
    rank=3,
)
