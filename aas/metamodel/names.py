"""The names the serialisations give the metamodel's classes and properties, from aas-core's:
``semantic_id`` -> ``semanticId``, ``DataSpecificationIEC61360`` -> ``DataSpecificationIec61360``
(one table of the acronyms aas-core spells in capitals), and back."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD_BOUNDARY = re.compile(
    r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])"
)

_SNAKE = re.compile(r"_([a-z0-9])")


@lru_cache(maxsize=1024)  # the metamodel's few hundred names, asked for once per finding
def camel(snake: str) -> str:
    """``semantic_id`` -> ``semanticId``: the JSON and XML names of the metamodel's properties."""
    return _SNAKE.sub(lambda match: match.group(1).upper(), snake)


def lower_first(name: str) -> str:
    """``LangStringTextType`` -> ``langStringTextType``."""
    return name[:1].lower() + name[1:]


#: The acronyms aas-core spells in capitals where the metamodel does not, in class and
#: enumeration names alike; the one table for modelType, XML, the schemas and RDF.
_ACRONYMS = (
    ("IEC61360", "Iec61360"),
    ("SpecificAssetID", "SpecificAssetId"),
    ("XSD", "Xsd"),
    ("AAS", "Aas"),
)


def serialized_name(name: str) -> str:
    """The metamodel's name of an aas-core class or enumeration, as modelType, XML, the schemas
    and RDF carry it: ``DataSpecificationIEC61360`` -> ``DataSpecificationIec61360``,
    ``DataTypeDefXSD`` -> ``DataTypeDefXsd``."""
    for written, serialized in _ACRONYMS:
        name = name.replace(written, serialized)
    return name


def xml_element(class_name: str) -> str:
    """The XML element of an instance of an aas-core class: ``specificAssetId``."""
    return lower_first(serialized_name(class_name))


def snake(class_name: str) -> str:
    """``DataSpecificationIEC61360`` -> ``data_specification_iec_61360`` (aas-core's names)."""
    return _WORD_BOUNDARY.sub("_", class_name).lower()
