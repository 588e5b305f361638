"""Paths into a model (aas/metamodel/paths.py, walk.py): aas-core's verification and
jsonization paths of both versions become the project's own steps, and from them JSON
pointers and XPaths; nothing that only looks like an aas-core path is taken."""

from __future__ import annotations

from typing import Any

import pytest

from aas.findings import pointer
from aas.metamodel.paths import (
    IndexStep,
    PropertyStep,
    jsonization_steps,
    jsonization_tokens,
    verification_steps,
    verification_tokens,
    verification_xpath,
)
from aas.metamodel.walk import instances, location
from aas.versions import Version, binding

VERSIONS = [Version.V3_0, Version.V3_1]


def environment(version: Version) -> Any:
    """A Submodel with a bad idShort, and a Property (after a Range and another Property)
    whose value is no xs:int."""
    types = binding(version).types
    return types.Environment(
        submodels=[
            types.Submodel(
                id="urn:sm",
                id_short="bad id",
                submodel_elements=[
                    types.Range(value_type=types.DataTypeDefXSD.INT, id_short="range1"),
                    types.Property(value_type=types.DataTypeDefXSD.INT, id_short="p1", value="1"),
                    types.Property(value_type=types.DataTypeDefXSD.INT, id_short="p2", value="x"),
                ],
            )
        ]
    )


def error_paths(version: Version, root: Any) -> dict[str, Any]:
    """The verification path of each error aas-core finds in ``root``, by its text."""
    return {str(error.path): error.path for error in binding(version).verification.verify(root)}


@pytest.mark.parametrize("version", VERSIONS, ids=str)
def test_a_property_path_from_verification_is_a_pointer_and_an_xpath(version: Version) -> None:
    root = environment(version)
    path = error_paths(version, root)[".submodels[0].id_short"]
    steps = verification_steps(path)
    assert [type(step) for step in steps] == [PropertyStep, IndexStep, PropertyStep]
    assert steps[0].instance is root and steps[2] == PropertyStep(root.submodels[0], "id_short")
    assert pointer(verification_tokens(path)) == "/submodels/0/idShort"
    assert verification_xpath(path, root) == (
        "/aas:environment/aas:submodels/aas:submodel[1]/aas:idShort"
    )


@pytest.mark.parametrize("version", VERSIONS, ids=str)
def test_an_index_path_from_verification_counts_xml_positions_by_class(version: Version) -> None:
    root = environment(version)
    path = error_paths(version, root)[".submodels[0].submodel_elements[2]"]
    last = verification_steps(path)[-1]
    assert isinstance(last, IndexStep) and last.index == 2
    assert last.sequence is root.submodels[0].submodel_elements
    assert pointer(verification_tokens(path)) == "/submodels/0/submodelElements/2"
    # The third element is the second Property: the Range before it is not counted.
    assert verification_xpath(path, root) == (
        "/aas:environment/aas:submodels/aas:submodel[1]/aas:submodelElements/aas:property[2]"
    )


def deserialization_path(version: Version, jsonable: dict[str, Any]) -> Any:
    jsonization = binding(version).jsonization
    with pytest.raises(jsonization.DeserializationException) as raised:
        jsonization.environment_from_jsonable(jsonable)
    return raised.value.path


@pytest.mark.parametrize("version", VERSIONS, ids=str)
def test_property_and_index_paths_from_jsonization_are_pointers(version: Version) -> None:
    wrong_id = {"submodels": [{"modelType": "Submodel", "id": 5}]}
    path = deserialization_path(version, wrong_id)
    assert pointer(jsonization_tokens(path)) == "/submodels/0/id"
    last = jsonization_steps(path)[-1]
    assert isinstance(last, PropertyStep) and last.name == "id"

    element = {"modelType": "Property", "valueType": "xs:int", "idShort": "p1"}
    no_object = {
        "submodels": [{"modelType": "Submodel", "id": "urn:sm", "submodelElements": [element, 5]}]
    }
    path = deserialization_path(version, no_object)
    assert pointer(jsonization_tokens(path)) == "/submodels/0/submodelElements/1"
    last = jsonization_steps(path)[-1]
    assert isinstance(last, IndexStep) and last.index == 1 and last.sequence[1] == 5


class _LooksLikeASegment:
    def __init__(self) -> None:
        self.instance = object()
        self.name = "id_short"


class _LooksLikeAPath:
    segments = (_LooksLikeASegment(),)


def test_only_aas_core_paths_become_steps() -> None:
    with pytest.raises(TypeError):
        verification_steps(_LooksLikeAPath())
    # A jsonization path is no verification path, and the other way round.
    path = deserialization_path(Version.V3_1, {"submodels": [{"modelType": "Submodel", "id": 5}]})
    with pytest.raises(TypeError):
        verification_steps(path)
    verified = error_paths(Version.V3_0, environment(Version.V3_0))[".submodels[0].id_short"]
    with pytest.raises(TypeError):
        jsonization_steps(verified)


@pytest.mark.parametrize("version", VERSIONS, ids=str)
def test_a_walk_gives_steps_that_locate_the_instance(version: Version) -> None:
    root = environment(version)
    types = binding(version).types
    found = list(instances(root, types, lambda node: isinstance(node, types.Property)))
    assert [node.id_short for _, node in found] == ["p1", "p2"]
    steps, _ = found[1]
    assert steps[-1] == IndexStep(root.submodels[0].submodel_elements, 2)
    where = location(root, steps, "model.json", "json")
    assert where.pointer == "/submodels/0/submodelElements/2" and where.file == "model.json"
    assert location(root, steps, None, "xml").xpath == (
        "/aas:environment/aas:submodels/aas:submodel[1]/aas:submodelElements/aas:property[2]"
    )
