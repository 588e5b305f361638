"""The names the official AAS RDF mapping gives the metamodel: namespaces, datatypes,
enumeration literals, and the project's own annotations (order, empty lists). The mapping
itself (``aas.converters.rdf.mapping``) and the SHACL generator share them."""

from __future__ import annotations

import enum
from functools import cache

from aas.metamodel.names import serialized_name
from aas.versions import Version, binding

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XS = "http://www.w3.org/2001/XMLSchema#"
XS_STRING = XS + "string"
XS_BOOLEAN = XS + "boolean"
XS_BASE64 = XS + "base64Binary"
XS_INTEGER = XS + "integer"
#: The project's order annotation (see the module's docstring).
INDEX = "urn:aas-toolkit:rdf:index"
#: The project's annotation of an empty list: ``<node> <urn:aas-toolkit:rdf:empty> <predicate>``
#: says the node's list under that predicate is there and empty. The mapping has no place for
#: an empty list (it states one triple per item), so without it ``[]`` and "absent" are one.
EMPTY = "urn:aas-toolkit:rdf:empty"
#: The subject of ``EMPTY`` for an Environment's own empty lists (the mapping gives an
#: Environment no node).
ENVIRONMENT = "urn:aas-toolkit:rdf:environment"

NAMESPACES = {
    Version.V3_0: "https://admin-shell.io/aas/3/0/",
    Version.V3_1: "https://admin-shell.io/aas/3/1/",
}


def version_of_namespace(iri: str) -> Version | None:
    for version, namespace in NAMESPACES.items():
        if iri.startswith(namespace):
            return version
    return None


@cache
def enum_iris(version: Version) -> dict[tuple[str, str], str]:
    """(enumeration, literal value) -> the literal's IRI: ``.../DataTypeDefXsd/AnyUri``."""
    types = binding(version).types
    namespace = NAMESPACES[version]
    iris: dict[tuple[str, str], str] = {}
    for name, value in vars(types).items():
        if isinstance(value, type) and issubclass(value, enum.Enum) and value is not enum.Enum:
            enum_name = serialized_name(name)
            for member in value:
                local = "".join(part.capitalize() for part in member.name.split("_"))
                iris[(name, member.value)] = f"{namespace}{enum_name}/{local}"
    return iris
