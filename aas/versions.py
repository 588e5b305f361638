"""Metamodel versions and the aas-core package that implements each.

aas-core3.0 and aas-core3.1 give a typed model in which every value keeps its lexical
string and every class and constraint of the metamodel is present; both are imported
lazily so that a run touching one version never pays for the other.
"""

from __future__ import annotations

import importlib
from enum import StrEnum
from functools import cache, cached_property
from types import ModuleType


class Version(StrEnum):
    V3_0 = "3.0"
    V3_1 = "3.1"

    def __str__(self) -> str:
        return self.value


#: The version a JSON input is read as when neither the caller nor its content decides
#: (``aas.converters.json.format`` tries it first, and keeps it unless the model is valid
#: under the other version only): JSON carries no version marker, and V3.1 is the current
#: release of the metamodel.
DEFAULT_JSON_VERSION = Version.V3_1

_PACKAGES = {Version.V3_0: "aas_core3", Version.V3_1: "aas_core3_1"}

XML_NAMESPACES = {
    Version.V3_0: "https://admin-shell.io/aas/3/0",
    Version.V3_1: "https://admin-shell.io/aas/3/1",
}


class Binding:
    """The aas-core modules of one metamodel version, each imported when first used (a JSON
    to XML conversion, which writes XML with the project's own writer, never loads aas-core's
    XML module, and a run that only reads never loads its serializers' dependencies)."""

    def __init__(self, version: Version) -> None:
        self.version = version
        self._package = _PACKAGES[version]

    def _module(self, name: str) -> ModuleType:
        return importlib.import_module(f"{self._package}.{name}")

    @cached_property
    def types(self) -> ModuleType:
        return self._module("types")

    @cached_property
    def jsonization(self) -> ModuleType:
        return self._module("jsonization")

    @cached_property
    def xmlization(self) -> ModuleType:
        return self._module("xmlization")

    @cached_property
    def verification(self) -> ModuleType:
        return self._module("verification")


@cache
def binding(version: Version) -> Binding:
    return Binding(version)


def parse_version(text: str) -> Version:
    """Accept ``3.0``, ``3.1``, ``V3.1`` and ``v3.0``."""
    cleaned = text.strip().lower().removeprefix("v")
    for version in Version:
        if cleaned == version.value:
            return version
    choices = ", ".join(v.value for v in Version)
    raise ValueError(f"unknown metamodel version {text!r} (choose one of {choices})")


def as_version(value: str | Version | None) -> Version | None:
    """A version the caller gave (``"3.1"``, ``Version.V3_1`` or None); an unknown one is a
    UsageError, as every wrong call is."""
    if value is None or isinstance(value, Version):
        return value
    from aas.errors import UsageError

    try:
        return parse_version(value)
    except ValueError as error:
        raise UsageError(str(error)) from None


def version_of_xml_namespace(namespace: str) -> Version | None:
    for version, known in XML_NAMESPACES.items():
        if namespace == known:
            return version
    return None


def version_of_instance(instance: object) -> Version:
    """Which version's aas-core types ``instance`` belongs to."""
    module = type(instance).__module__.split(".")[0]
    for version, package in _PACKAGES.items():
        if module == package:
            return version
    raise TypeError(f"{type(instance).__qualname__} is not an aas-core model instance")
