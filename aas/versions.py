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
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import aas_core3.types as v30
    import aas_core3_1.types as v31


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


class Types(Protocol):
    """What the code reads from either version's ``types`` module, typed: a class named here is
    the union of the two versions' classes, so ``isinstance(node, types.Environment)`` narrows
    ``node`` to either version's Environment (a module object is checked against this protocol,
    so both aas-core modules are seen to fit). Add a class here when the code first needs it.
    """

    @property
    def __name__(self) -> str: ...

    @property
    def AssetAdministrationShell(
        self,
    ) -> type[v30.AssetAdministrationShell] | type[v31.AssetAdministrationShell]: ...

    @property
    def Class(self) -> type[v30.Class] | type[v31.Class]: ...

    @property
    def ConceptDescription(self) -> type[v30.ConceptDescription] | type[v31.ConceptDescription]: ...

    @property
    def DataSpecificationContent(
        self,
    ) -> type[v30.DataSpecificationContent] | type[v31.DataSpecificationContent]: ...

    @property
    def Environment(self) -> type[v30.Environment] | type[v31.Environment]: ...

    @property
    def File(self) -> type[v30.File] | type[v31.File]: ...

    @property
    def Identifiable(self) -> type[v30.Identifiable] | type[v31.Identifiable]: ...

    @property
    def OperationVariable(self) -> type[v30.OperationVariable] | type[v31.OperationVariable]: ...

    @property
    def Referable(self) -> type[v30.Referable] | type[v31.Referable]: ...

    @property
    def Reference(self) -> type[v30.Reference] | type[v31.Reference]: ...

    @property
    def ReferenceTypes(self) -> type[v30.ReferenceTypes] | type[v31.ReferenceTypes]: ...

    @property
    def Resource(self) -> type[v30.Resource] | type[v31.Resource]: ...

    @property
    def Submodel(self) -> type[v30.Submodel] | type[v31.Submodel]: ...

    @property
    def SubmodelElement(self) -> type[v30.SubmodelElement] | type[v31.SubmodelElement]: ...

    @property
    def SubmodelElementList(
        self,
    ) -> type[v30.SubmodelElementList] | type[v31.SubmodelElementList]: ...


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
    def types(self) -> Types:
        # Imported by name (not through _module) so that mypy checks each module against Types.
        if self.version is Version.V3_0:
            import aas_core3.types

            return aas_core3.types
        import aas_core3_1.types

        return aas_core3_1.types

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


#: The V2 release read (and upgraded to V3 on reading), never written.
V2_VERSION = "2.0.1"


def is_v2(text: str) -> bool:
    """Whether ``text`` names V2 (``2.0``, ``2.0.1``, ``V2.0``): a version read, never written."""
    return text.strip().lower().removeprefix("v") in ("2", "2.0", "2.0.1")


def parse_version(text: str) -> Version:
    """Accept ``3.0``, ``3.1``, ``V3.1`` and ``v3.0``."""
    if is_v2(text):
        raise ValueError(
            f"V{V2_VERSION} models are read (and upgraded to V3) but never written: "
            "choose 3.0 or 3.1"
        )
    cleaned = text.strip().lower().removeprefix("v")
    for version in Version:
        if cleaned == version.value:
            return version
    choices = ", ".join(v.value for v in Version)
    raise ValueError(f"unknown metamodel version {text!r} (choose one of {choices})")


#: What a caller may name a version with: ``"3.1"``, ``3.1`` (a float), ``Version.V3_1``.
VersionLike = str | float | Version | None


def _as_text(value: VersionLike) -> str | Version | None:
    """A float (``3.1``) as the text it is written as; any other type is a UsageError (a
    wrong call), since ``3`` or ``True`` name no version."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        return repr(value)  # 3.1 -> "3.1", 3.0 -> "3.0"
    from aas.errors import UsageError

    raise UsageError(
        f"a metamodel version is '3.0' or '3.1' (a string, a float or aas.Version), not {value!r}"
    )


def as_version(value: VersionLike) -> Version | None:
    """A version the caller gave (``"3.1"``, ``3.1``, ``Version.V3_1`` or None); an unknown
    one is a UsageError, as every wrong call is."""
    value = _as_text(value)
    if value is None or isinstance(value, Version):
        return value
    from aas.errors import UsageError

    try:
        return parse_version(value)
    except ValueError as error:
        raise UsageError(str(error)) from None


def as_read_version(value: VersionLike) -> tuple[Version | None, bool]:
    """The version a caller gave for reading, and whether it was V2 (read and upgraded; then
    the version is None): ``"2.0"`` is a version to read, never one to write."""
    value = _as_text(value)
    if isinstance(value, str) and not isinstance(value, Version) and is_v2(value):
        return None, True
    return as_version(value), False


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
