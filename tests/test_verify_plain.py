"""The verification's shortcut for plain Properties and lists of them (``aas.checks.memoverify``,
``_Plain``) reports exactly what aas-core reports: compared here on Properties and lists made
to take every branch (each check clean and broken, each attribute the shortcut does not read
set), in both versions, and on the invalid files of both corpora."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

import aas
from aas.checks import memoverify
from aas.metamodel.paths import verification_tokens
from aas.versions import Version, binding

from conftest import INVALID_30_JSON, corpus

#: What the shortcut reads of a Property and of a SubmodelElementList: any other attribute
#: aas-core gave them would have to be weighed before the shortcut could stand.
PROPERTY_READS = {
    "extensions",
    "category",
    "id_short",
    "display_name",
    "description",
    "semantic_id",
    "supplemental_semantic_ids",
    "qualifiers",
    "embedded_data_specifications",
    "value_type",
    "value",
    "value_id",
}
LIST_READS = (PROPERTY_READS - {"value_id", "value_type"}) | {
    "order_relevant",  # a boolean, of which no invariant speaks
    "semantic_id_list_element",
    "type_value_list_element",
    "value_type_list_element",
}

VERSIONS = [Version.V3_0, Version.V3_1]

_VALUES = {
    "xs:double": ["1.5E0", "-2.5e-3", ".5", "1e400", "INF", "-INF", "NaN", "nan", "1,5", "", " 1"],
    "xs:string": ["a", "", "Größe", "a\tb", "x\x00y", "\ud800", "\ufffe", "\U0001f600"],
    "xs:int": ["1", "-7", "99999999999", "1.0"],
    "xs:boolean": ["true", "0", "yes"],
    "xs:dateTime": ["2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "now"],
    "xs:anyURI": ["urn:x", "/path/ô", "a b"],
}
_ID_SHORTS = [None, "ok", "Name", "", "1bad", "a" * 129, "a-", "x\x00"]


def _compare(root: Any, version: Version) -> int:
    """Assert both verifications agree on ``root``; the number of errors."""
    plain = [
        (e.cause, verification_tokens(e.path)) for e in binding(version).verification.verify(root)
    ]
    found = [(e.cause, verification_tokens(e.path)) for e in memoverify.verify(root, version)]
    assert found == plain
    return len(plain)


def _reference(types: Any, good: bool) -> Any:
    if good:
        key = types.Key(types.KeyTypes.GLOBAL_REFERENCE, "urn:example:concept")
        return types.Reference(types.ReferenceTypes.EXTERNAL_REFERENCE, [key])
    # AASd-121: a model reference starts with an identifiable
    key = types.Key(types.KeyTypes.PROPERTY, "x")
    return types.Reference(types.ReferenceTypes.MODEL_REFERENCE, [key])


def _extras(types: Any) -> list[dict[str, Any]]:
    """Attributes the shortcut leaves to aas-core, each clean and broken."""
    text = types.LangStringTextType
    return [
        {},
        {"category": "PARAMETER"},
        {"category": "NOPE"},
        {"description": [text("en", "a"), text("en", "b")]},
        {"description": []},
        {"supplemental_semantic_ids": [_reference(types, True)]},
        {"qualifiers": [types.Qualifier("q", types.DataTypeDefXSD.INT, value="x")]},
        {"extensions": [types.Extension("e"), types.Extension("e")]},
        {"value_id": _reference(types, False)},
        {"display_name": [types.LangStringNameType("en", "n")]},
    ]


def _properties(types: Any) -> list[Any]:
    made = []
    for (name, values), id_short, semantic in itertools.product(
        _VALUES.items(), _ID_SHORTS, [None, True, False]
    ):
        value_type = types.DataTypeDefXSD(name)
        for value in [None, *values]:
            reference = None if semantic is None else _reference(types, semantic)
            made.append(
                types.Property(value_type, id_short=id_short, semantic_id=reference, value=value)
            )
    double = types.DataTypeDefXSD.DOUBLE
    for extra in _extras(types):
        made.append(types.Property(double, id_short="p", value="1.0E0", **extra))
    return made


def _lists(types: Any) -> list[Any]:
    """Lists of Properties (and not quite), each breaking at most one thing."""
    double, integer = types.DataTypeDefXSD.DOUBLE, types.DataTypeDefXSD.INT
    kinds = types.AASSubmodelElements

    def samples(*values: str | None, value_type: Any = double, **more: Any) -> list[Any]:
        return [types.Property(value_type, value=value, **more) for value in values]

    def listed(elements: list[Any] | None, **more: Any) -> Any:
        options: dict[str, Any] = {"value_type_list_element": double, **more}
        kind = options.pop("kind", kinds.PROPERTY)
        return types.SubmodelElementList(kind, value=elements, **options)

    class Subclassed(types.Property):  # type: ignore[misc]
        pass

    made = [
        listed(samples("1.0E0", "2.5E3", None)),
        listed(samples("1.0E0", "oops", "1e400")),
        listed(samples("1.0E0", "x\x00y", value_type=types.DataTypeDefXSD.STRING)),
        listed(samples("1.0E0") + samples("1", value_type=integer)),  # AASd-109
        listed(samples("1.0E0"), value_type_list_element=None),
        listed(samples("1.0E0"), kind=kinds.RANGE),  # AASd-108
        listed(samples("1", value_type=integer), value_type_list_element=integer),
        listed([types.Range(double, min="1.0E0")], kind=kinds.RANGE),
        listed([types.Blob(content_type="text/plain")], kind=kinds.BLOB),
        listed(samples("1.0E0", id_short="named")),  # AASd-120 (V3.0)
        listed(samples("1.0E0", semantic_id=_reference(types, True))),
        listed(
            samples("1.0E0", semantic_id=_reference(types, True)),
            semantic_id_list_element=_reference(types, True),
        ),
        listed(samples("1.0E0", description=[types.LangStringTextType("en", "d")])),
        listed([Subclassed(double, value="1.0E0")]),
        listed([]),
        listed(None),
        listed(samples("1.0E0"), id_short="Channel"),
        listed(samples("1.0E0"), id_short="1bad"),
        listed(samples("1.0E0"), semantic_id=_reference(types, True)),
        listed(samples("1.0E0"), semantic_id=_reference(types, False)),
        listed(samples("1.0E0"), order_relevant=False),
    ]
    for extra in _extras(types):
        if "value_id" not in extra:
            made.append(listed(samples("1.0E0", "2.0E0"), id_short="L", **extra))
    return made


@pytest.mark.parametrize("version", VERSIONS)
def test_the_shortcut_reads_every_attribute_of_its_classes(version: Version) -> None:
    types: Any = binding(version).types
    made = types.Property(types.DataTypeDefXSD.STRING)
    assert set(vars(made)) == PROPERTY_READS
    listed = types.SubmodelElementList(types.AASSubmodelElements.PROPERTY)
    assert set(vars(listed)) == LIST_READS


@pytest.mark.parametrize("version", VERSIONS)
def test_plain_properties_and_lists_are_verified_as_aas_core_verifies_them(
    version: Version, monkeypatch: pytest.MonkeyPatch
) -> None:
    types: Any = binding(version).types
    properties, lists = _properties(types), _lists(types)
    # Which Properties and lists aas-core's own transform is asked about.
    base = binding(version).verification._Transformer
    asked: list[Any] = []
    for name in ("transform_property", "transform_submodel_element_list"):
        original = getattr(base, name)

        def counting(self: Any, that: Any, original: Any = original) -> Any:
            asked.append(that)
            return original(self, that)

        monkeypatch.setattr(base, name, counting)
    # one model, so that what is remembered (idShorts, References) carries from one to the next
    root = types.Submodel("urn:example:sm", submodel_elements=[*properties, *lists])
    assert _compare(root, version) > 100
    # each on its own too: nothing remembered
    assert sum(_compare(element, version) for element in [*properties, *lists]) > 100
    # the shortcut was taken: of the clean ones, only those with more set than it reads
    # (a description, a category, ...) reach aas-core's own transform
    clean = [e for e in [*properties, *lists] if not list(memoverify.verify(e, version))]
    asked.clear()
    for element in clean:
        list(memoverify.verify(element, version))
    assert len(clean) > 100
    assert len(asked) < 20, asked


@pytest.mark.parametrize(
    ("version", "parts"),
    [
        (Version.V3_0, INVALID_30_JSON),
        (Version.V3_1, ("testdatagen-3.1", "Json", "Unexpected", "Invalid")),
    ],
)
def test_invalid_files_are_verified_as_aas_core_verifies_them(
    version: Version, parts: tuple[str, ...]
) -> None:
    base = corpus(*parts)
    files = sorted(base.rglob("*.json"))
    assert len(files) > 1000
    errors = 0
    for path in files:
        # testdatagen-3.1 files are lone instances, filed by class: Invalid/<Cause>/<Class>
        lone = path.relative_to(base).parts[1] if version is Version.V3_1 else None
        model = aas.load(path, version=str(version), model_type=lone, verify=False)
        errors += _compare(model.root, version)
    assert errors > 1000
