"""The version of the toolkit itself (``aas.versions`` is about metamodel versions)."""

__version__ = "0.1.0"
