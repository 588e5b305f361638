"""Read, validate and convert Asset Administration Shell models.

>>> import aas
>>> model = aas.load("examples/motor/motor.json")         # doctest: +SKIP
>>> aas.save(model, "motor.xml")                           # doctest: +SKIP
>>> aas.convert("examples/motor/motor.json", "motor.aasx")  # doctest: +SKIP
"""

import importlib
from typing import TYPE_CHECKING, Any

from aas.about import __version__ as __version__
from aas.api import ConversionResult, Dumped, Written, convert, dump, load, save
from aas.errors import (
    AasError,
    FindingsError,
    FormatDetectionError,
    PackageError,
    ReadError,
    UsageError,
    VersionChangeError,
    WriteError,
)
from aas.findings import Finding, Location, Severity
from aas.model import Model, Package, PackagePart, SpecPart
from aas.versions import Version

if TYPE_CHECKING:
    from aas.basyx_interop import BasyxStore, from_basyx, to_basyx
    from aas.codec import Check
    from aas.report import Report
    from aas.semantic_diff import Change, diff
    from aas.template_check import check_template
    from aas.tree import show_tree
    from aas.validation import validate
    from aas.value_rows import ValueRow, values

#: Names whose modules (and with them lxml, jsonschema-rs, the schemas) load on first use:
#: converting or loading JSON needs none of them.
_LAZY = {
    "Report": "aas.report",
    "Check": "aas.codec",
    "validate": "aas.validation",
    "check_template": "aas.template_check",
    "values": "aas.value_rows",
    "ValueRow": "aas.value_rows",
    "show_tree": "aas.tree",
    "diff": "aas.semantic_diff",
    "Change": "aas.semantic_diff",
    # issue 15: basyx interop (basyx-python-sdk is imported only when they are called)
    "to_basyx": "aas.basyx_interop",
    "from_basyx": "aas.basyx_interop",
    "BasyxStore": "aas.basyx_interop",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'aas' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "AasError",
    "BasyxStore",
    "Change",
    "Check",
    "ConversionResult",
    "Dumped",
    "Finding",
    "FindingsError",
    "FormatDetectionError",
    "Location",
    "Model",
    "Package",
    "PackageError",
    "PackagePart",
    "ReadError",
    "Report",
    "Severity",
    "SpecPart",
    "UsageError",
    "ValueRow",
    "Version",
    "VersionChangeError",
    "WriteError",
    "Written",
    "check_template",
    "convert",
    "diff",
    "dump",
    "from_basyx",
    "load",
    "save",
    "show_tree",
    "to_basyx",
    "validate",
    "values",
]
