"""The version of the toolkit itself (``aas.versions`` is about metamodel versions)."""

from __future__ import annotations

#: The one place the version is written: pyproject.toml reads it from here.
__version__ = "0.1.0"

DISTRIBUTION = "aas-toolkit"


def installed_version() -> str:
    """The version of the installed distribution (its metadata, as pip sees it), else this
    module's (a checkout run without being installed)."""
    # Imported here: importlib.metadata is slow to import, and `import aas` does without it.
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return __version__
