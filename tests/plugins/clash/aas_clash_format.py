"""Formats of a third party that claim what built-in formats have: each is refused."""

from __future__ import annotations

from aas.formats import Format

#: Takes the name of the built-in JSON format.
JSON = Format(
    name="json",
    suffixes=(".cjson",),
    module="aas_clash_format",
    description="claims the name json",
)
#: Takes the suffix of the built-in XML format.
MYXML = Format(
    name="myxml",
    suffixes=(".xml",),
    module="aas_clash_format",
    description="claims the suffix .xml",
)
