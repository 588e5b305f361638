"""Turn aas-core's paths into locations a person can act on: JSON pointers and XPaths."""

from __future__ import annotations

from typing import Any

from aas.metamodel.names import camel, xml_element

#: Prefix used for the AAS namespace in the XPaths this toolkit prints.
XPATH_PREFIX = "aas"


def verification_tokens(path: Any) -> list[str | int]:
    """JSON pointer tokens for an ``aas_core3*.verification.Path``."""
    tokens: list[str | int] = []
    for segment in path.segments:
        if hasattr(segment, "name"):
            tokens.append(camel(segment.name))
        else:
            tokens.append(segment.index)
    return tokens


def verification_xpath(path: Any, root: Any) -> str:
    """An XPath (prefix ``aas``) to the element an ``aas_core3*.verification.Path`` points at."""
    steps = [xml_element(type(root).__name__)]
    for segment in path.segments:
        if hasattr(segment, "name"):
            steps.append(camel(segment.name))
            # A property whose type is abstract holds its value inside an element named by
            # the value's class: <dataSpecificationContent><dataSpecificationIec61360>.
            value = getattr(segment.instance, segment.name, None)
            if (
                value is not None
                and not isinstance(value, list | str | bytes | bool | int)
                and _declared_abstract(segment.instance, segment.name)
            ):
                steps.append(xml_element(type(value).__name__))
        else:
            item = segment.sequence[segment.index]
            steps.append(_item_step(segment.sequence, segment.index, item))
    return "".join(f"/{XPATH_PREFIX}:{step}" for step in steps)


def _declared_abstract(instance: Any, attribute: str) -> bool:
    from aas.metamodel.description import describe
    from aas.versions import version_of_instance

    model = describe(version_of_instance(instance))
    cls = model.classes.get(type(instance).__name__)
    if cls is None:
        return False
    for prop in cls.properties:
        if prop.name == attribute and prop.kind == "class" and prop.type_name and not prop.many:
            return model.classes[prop.type_name].abstract
    return False


def _item_step(sequence: Any, index: int, item: Any) -> str:
    # XPath positions count siblings of the same name, so a list of mixed elements
    # (submodelElements) needs the position among items of the item's own class.
    item_class = type(item)
    position = 1 + sum(1 for other in list(sequence)[:index] if type(other) is item_class)
    return f"{xml_element(item_class.__name__)}[{position}]"


def jsonization_tokens(path: Any) -> list[str | int]:
    """JSON pointer tokens for an ``aas_core3*.jsonization.Path`` (names are already JSON names)."""
    tokens: list[str | int] = []
    for segment in path.segments:
        if hasattr(segment, "name"):
            tokens.append(segment.name)
        else:
            tokens.append(segment.index)
    return tokens
