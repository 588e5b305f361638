"""Where the project's schemas are and what they are called (``schemagen`` writes them)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from aas.versions import Version


def schema_folder() -> Path:
    """Where the schemas live: the repository's schemas/ folder, installed as aas.schemas."""
    return Path(str(resources.files("aas.schemas")))


def schema_names(version: Version) -> tuple[str, str]:
    """The JSON Schema's and the XSD's file names."""
    return f"aas-{version}.schema.json", f"aas-{version}.xsd"


def shapes_name(version: Version) -> str:
    """The SHACL shapes' file name."""
    return f"aas-{version}.shacl.ttl"
