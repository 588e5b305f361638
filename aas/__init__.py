"""Read, validate and convert Asset Administration Shell models.

>>> import aas
>>> model = aas.load("examples/motor/motor.json")         # doctest: +SKIP
>>> aas.save(model, "motor.xml")                           # doctest: +SKIP
>>> aas.convert("examples/motor/motor.json", "motor.aasx")  # doctest: +SKIP
"""

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
from aas.versions import Version

__version__ = "0.1.0"

__all__ = [
    "AasError",
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
]
