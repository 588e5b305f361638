"""Properties the metamodel does not define, taken out of parsed JSON so the rest can be read.

Real files carry properties that earlier drafts of the metamodel or other tools wrote, such as
``valueId`` in ``DataSpecificationIec61360`` (IEC 61360 content as BaSyx wrote it before V3.0).
aas-core refuses the whole document for the first one it meets. The serialisation defines no
such property (and the conformance corpus classes such files as unserializable), so each one
stays an error; but the model around it can still be read.

Only what is certainly an unknown *property of a known object* is taken out: the class of each
object is known from where it stands (and ``modelType`` where a class has subclasses). An object
whose class cannot be told (an unknown or missing ``modelType``), a value of a wrong type, a
missing required property: all are left as they are, for aas-core to refuse as before.

This runs only after building failed with aas-core's "Unexpected property" error, so documents
without unknown properties never pay for it. The parsed document is not changed: objects that
lose a property (and the arrays and objects above them) are copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from aas.findings import Finding, Location, Severity, escape_pointer_token
from aas.metamodel.description import MetaClass, Property, describe
from aas.versions import Version

RULE = "model:unexpected-property"

#: Properties that earlier versions or drafts of the metamodel defined, by the class that held
#: them (its aas-core name; its subclasses too) and their JSON name.
OLD_SPELLINGS: frozenset[tuple[str, str]] = frozenset(
    {
        # IEC 61360 content had a valueId before V3.0 (V3.0 keeps only valueList); BaSyx's
        # writers still emitted it for a while.
        ("DataSpecificationIEC61360", "valueId"),
        # V2.0 made every submodel element HasKind; since V3.0 only Submodel has a kind.
        ("SubmodelElement", "kind"),
    }
)


@dataclass(frozen=True)
class Unknown:
    """A property a class does not define: where it was, on what class, and its name."""

    pointer: str
    class_name: str  # as modelType names it: "DataSpecificationIec61360"
    name: str
    old_spelling: bool = False

    def finding(self, source: str | None) -> Finding:
        what = "an old spelling" if self.old_spelling else "an unknown property"
        return Finding(
            Severity.ERROR,
            RULE,
            f"{self.class_name} has no property {self.name!r} ({what}; not carried over)",
            Location(file=source, pointer=self.pointer),
        )


def strip_unknown(
    version: Version, class_name: str, document: object, at: str = ""
) -> tuple[object, list[Unknown]]:
    """``document`` (an instance of ``class_name``, at the pointer ``at``) without the
    properties its classes do not define, and each property taken out, in document order."""
    stripper = _Stripper(version)
    result = stripper.instance(class_name, document, at)
    return result, stripper.found


@cache
def _properties(version: Version, class_name: str) -> dict[str, Property]:
    return {prop.json_name: prop for prop in describe(version).classes[class_name].properties}


@cache
def _old_spellings(version: Version, class_name: str) -> frozenset[str]:
    """The JSON names of ``class_name``'s old spellings (its own and its ancestors')."""
    model = describe(version)
    owners = model.ancestors(model.classes[class_name]) | {class_name}
    return frozenset(name for owner, name in OLD_SPELLINGS if owner in owners)


@cache
def _dispatch(version: Version, class_name: str) -> dict[str, MetaClass] | None:
    """The classes a JSON object standing for ``class_name`` may be, by modelType; None when
    it can only be the class itself (a concrete class without subclasses)."""
    model = describe(version)
    cls = model.classes[class_name]
    candidates = model.descendants(class_name)
    if not cls.abstract and candidates == [cls]:
        return None
    return {candidate.serialized_name: candidate for candidate in candidates}


class _Stripper:
    def __init__(self, version: Version) -> None:
        self.version = version
        self.found: list[Unknown] = []

    def instance(self, class_name: str, value: object, at: str) -> object:
        if not isinstance(value, dict):
            return value  # a wrong type: aas-core says so
        choices = _dispatch(self.version, class_name)
        if choices is None:
            cls = describe(self.version).classes[class_name]
        else:
            told = value.get("modelType")
            chosen = choices.get(told) if isinstance(told, str) else None
            if chosen is None:
                return value  # the class cannot be told: aas-core says why
            cls = chosen
        return self.json_object(cls, value, at)

    def json_object(self, cls: MetaClass, value: dict[str, object], at: str) -> dict[str, object]:
        properties = _properties(self.version, cls.name)
        copy: dict[str, object] | None = None
        for key, item in value.items():
            prop = properties.get(key)
            where = f"{at}/{escape_pointer_token(key)}"
            if prop is None:
                if key == "modelType":  # every class may carry it (aas-core checks its value)
                    continue
                old = key in _old_spellings(self.version, cls.name)
                self.found.append(Unknown(where, cls.serialized_name, key, old))
                if copy is None:
                    copy = dict(value)
                del copy[key]
                continue
            if prop.kind != "class" or prop.type_name is None:
                continue
            new = self.property(prop, prop.type_name, item, where)
            if new is not item:
                if copy is None:
                    copy = dict(value)
                copy[key] = new
        return value if copy is None else copy

    def property(self, prop: Property, type_name: str, value: object, at: str) -> object:
        if not prop.many:
            return self.instance(type_name, value, at)
        if not isinstance(value, list):
            return value
        copy: list[object] | None = None
        for index, item in enumerate(value):
            new = self.instance(type_name, item, f"{at}/{index}")
            if new is not item:
                if copy is None:
                    copy = list(value)
                copy[index] = new
        return value if copy is None else copy
