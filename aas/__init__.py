"""Read, validate and convert Asset Administration Shell models.

>>> import aas
>>> model = aas.load("examples/motor/motor.json")         # doctest: +SKIP
>>> aas.save(model, "motor.xml")                           # doctest: +SKIP
>>> aas.convert("examples/motor/motor.json", "motor.aasx")  # doctest: +SKIP
"""

__version__ = "0.1.0"

from aas.api import ConversionResult, convert, dump, load, save
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
from aas.report import Report
from aas.validation import Check, validate
from aas.versions import Version

__all__ = [
    "AasError",
    "Check",
    "ConversionResult",
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
    "Version",
    "VersionChangeError",
    "WriteError",
    "convert",
    "dump",
    "load",
    "save",
    "validate",
]
