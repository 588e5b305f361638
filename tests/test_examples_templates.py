"""The examples follow the IDTA's published submodel templates.

Each example product has a Nameplate written to the structure of the Digital Nameplate V3.0
(IDTA 02006-3-0) and a TechnicalData after Technical Data V2.0 (IDTA 02003). The Digital
Nameplate is not in the conformance corpus, so its required elements are written here as
facts (idShort, model type, valueType, semanticId of every element whose cardinality is One
or OneToMany) and checked with aas-core directly. Technical Data is in the corpus: the
examples are checked against the published file with ``aas.check_template``. And the three
nameplates give one table of manufacturer names and serial numbers through ``aas.values``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

import aas

from conftest import EXAMPLES, corpus

PRODUCTS = ("motor", "pump", "sensor")
JSON_FILES = [EXAMPLES / name / f"{name}.json" for name in PRODUCTS]
ALL_FILES = [
    *JSON_FILES,
    EXAMPLES / "motor" / "motor.xml",
    EXAMPLES / "pump" / "pump.xml",
    EXAMPLES / "sensor" / "sensor.aasx",
]

NAMEPLATE = "https://admin-shell.io/idta/nameplate/3/0/Nameplate"
TECHNICAL_DATA = "0173-1#01-AHX837#002"
MANUFACTURER_NAME = "0112/2///61987#ABA565#009"
SERIAL_NUMBER = "0112/2///61987#ABA951#009"
#: ECLASS value id of the CE marking (the coded value a MarkingName holds)
CE = "0173-1#07-DAA603#004"


class Required(NamedTuple):
    """An element the template requires (cardinality One, or OneToMany for list items)."""

    model_type: str
    semantic_id: str
    value_type: str | None = None  # for a Property


# Facts of the Digital Nameplate V3.0 template (IDTA 02006-3-0, its JSON of metamodel V3.0):
# the elements with SMT/Cardinality One at the top of the submodel.
NAMEPLATE_REQUIRED = {
    "URIOfTheProduct": Required("Property", "0112/2///61987#ABN590#002", "xs:anyURI"),
    "ManufacturerName": Required("MultiLanguageProperty", MANUFACTURER_NAME),
    "ManufacturerProductDesignation": Required(
        "MultiLanguageProperty", "0112/2///61987#ABA567#009"
    ),
    "AddressInformation": Required(
        "SubmodelElementCollection",
        "https://admin-shell.io/zvei/nameplate/1/0/ContactInformations/AddressInformation",
    ),
    "OrderCodeOfManufacturer": Required("Property", "0112/2///61987#ABA950#008", "xs:string"),
}
# AddressInformation is empty in the template: it is the SMT drop-in "Address Information",
# whose One elements (as IDTA 02002 Contact Information gives them) are these.
ADDRESS_REQUIRED = {
    "Street": Required("MultiLanguageProperty", "0173-1#02-AAO128#002"),
    "Zipcode": Required("MultiLanguageProperty", "0173-1#02-AAO129#002"),
    "CityTown": Required("MultiLanguageProperty", "0173-1#02-AAO132#002"),
    "NationalCode": Required("MultiLanguageProperty", "0173-1#02-AAO134#002"),
}
# Markings (ZeroToOne) is a SubmodelElementList of Marking collections (OneToMany), each with
# these One elements.
MARKINGS = Required("SubmodelElementList", "0112/2///61360_7#AAS006#001")
MARKING = Required("SubmodelElementCollection", "0112/2///61360_7#AAS009#001")
MARKING_REQUIRED = {
    "MarkingName": Required("Property", "0112/2///61987#ABA231#009", "xs:string"),
    "MarkingFile": Required("File", "0112/2///61987#ABO100#002"),
}
# AssetSpecificProperties (ZeroToOne) / GuidelineSpecificProperties (ZeroToOne) is a list of
# collections (OneToMany), each naming its guideline.
ASSET_SPECIFIC = Required("SubmodelElementCollection", "0173-1#02-ABI218#003/0173-1#01-AGZ672#004")
GUIDELINES = Required("SubmodelElementList", "0173-1#02-ABI219#003/0173-1#01-AHD205#004")
GUIDELINE = Required("SubmodelElementCollection", "0173-1#01-AHD205#004")
GUIDELINE_REQUIRED = {
    "GuidelineForConformityDeclaration": Required("Property", "0173-1#02-AAO856#002", "xs:string"),
}

TECHNICAL_DATA_TEMPLATES = [
    ("Technical_Data", "2", "0", "IDTA 02003_Template_TechnicalData.json"),
    ("Technical_Data", "2", "0", "1", "IDTA 02003_2-0-1_Template_TechnicalData.json"),
    (
        "Technical_Data",
        "2",
        "0",
        "1",
        "IDTA 02003_2-0-1_Template_TechnicalData_forAASMetamodelV3.1.json",
    ),
]


# region helpers: the model through aas-core


def first_key(reference: Any) -> str | None:
    if reference is None or not reference.keys:
        return None
    return str(reference.keys[0].value)


def submodel_of(model: aas.Model, semantic_id: str) -> Any:
    matching = [
        submodel
        for submodel in model.root.submodels or ()
        if first_key(submodel.semantic_id) == semantic_id
    ]
    assert len(matching) == 1, f"{model.source}: {len(matching)} submodel(s) of {semantic_id}"
    return matching[0]


def children(element: Any) -> list[Any]:
    """The direct children of a submodel, collection or list (aas-core's own attributes)."""
    if type(element).__name__ == "Submodel":
        return list(element.submodel_elements or ())
    return list(element.value or ())


def shape_problems(element: Any, expected: Required, where: str) -> list[str]:
    problems = []
    if type(element).__name__ != expected.model_type:
        problems.append(f"{where}: a {type(element).__name__}, not a {expected.model_type}")
    if first_key(element.semantic_id) != expected.semantic_id:
        problems.append(f"{where}: semanticId {first_key(element.semantic_id)!r}")
    if expected.value_type is not None:
        value_type = getattr(element, "value_type", None)
        written = None if value_type is None else value_type.value
        if written != expected.value_type:
            problems.append(f"{where}: valueType {written}")
    return problems


def check_required(parent: Any, required: dict[str, Required], where: str) -> list[str]:
    """What is missing, doubled or of the wrong shape among ``parent``'s required children."""
    problems = []
    by_id_short: dict[str, list[Any]] = {}
    for child in children(parent):
        by_id_short.setdefault(child.id_short, []).append(child)
    for id_short, expected in required.items():
        found = by_id_short.get(id_short, [])
        if len(found) != 1:
            problems.append(f"{where}.{id_short}: {len(found)} present, the template wants one")
            continue
        problems += shape_problems(found[0], expected, f"{where}.{id_short}")
    return problems


def optional_child(parent: Any, id_short: str) -> Any | None:
    return next((c for c in children(parent) if c.id_short == id_short), None)


def nameplate_problems(nameplate: Any) -> list[str]:
    """Every way ``nameplate`` departs from the required structure of the template."""
    problems = []
    if nameplate.kind is None or nameplate.kind.value != "Instance":
        problems.append(f"Nameplate: kind {nameplate.kind}")
    problems += check_required(nameplate, NAMEPLATE_REQUIRED, "Nameplate")
    address = optional_child(nameplate, "AddressInformation")
    if address is not None:
        problems += check_required(address, ADDRESS_REQUIRED, "Nameplate.AddressInformation")
    for list_id, list_shape, item_shape, required, parent_path, parent in (
        ("Markings", MARKINGS, MARKING, MARKING_REQUIRED, "Nameplate", nameplate),
        *guideline_lists(nameplate),
    ):
        listed = optional_child(parent, list_id)
        if listed is None:
            continue
        where = f"{parent_path}.{list_id}"
        problems += shape_problems(listed, list_shape, where)
        items = children(listed)
        if not items:
            problems.append(f"{where}: no item, the template wants one or more")
        for index, item in enumerate(items):
            problems += shape_problems(item, item_shape, f"{where}[{index}]")
            problems += check_required(item, required, f"{where}[{index}]")
    return problems


def guideline_lists(nameplate: Any) -> list[tuple[str, Required, Required, Any, str, Any]]:
    specific = optional_child(nameplate, "AssetSpecificProperties")
    if specific is None:
        return []
    assert not shape_problems(specific, ASSET_SPECIFIC, "AssetSpecificProperties")
    path = "Nameplate.AssetSpecificProperties"
    return [
        ("GuidelineSpecificProperties", GUIDELINES, GUIDELINE, GUIDELINE_REQUIRED, path, specific)
    ]


def walk_json(elements: list[Any]) -> Iterator[dict[str, Any]]:
    """Every submodel element of a JSON document, depth first (the test's own walk)."""
    for element in elements:
        yield element
        nested = (
            element.get("value")
            if element["modelType"] in ("SubmodelElementCollection", "SubmodelElementList")
            else None
        )
        yield from walk_json(nested or [])
        yield from walk_json(element.get("statements") or [])


def json_semantic_id(element: dict[str, Any]) -> str | None:
    keys = (element.get("semanticId") or {}).get("keys") or []
    return keys[0]["value"] if keys else None


# endregion

# region the Digital Nameplate: required structure, checked with aas-core


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_every_example_nameplate_has_what_the_template_requires(path: Path) -> None:
    nameplate = submodel_of(aas.load(path), NAMEPLATE)
    assert nameplate_problems(nameplate) == []


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda p: p.name)
def test_every_example_nameplate_bears_the_ce_marking_with_its_image(path: Path) -> None:
    nameplate = submodel_of(aas.load(path), NAMEPLATE)
    markings = optional_child(nameplate, "Markings")
    assert markings is not None
    ce = [m for m in children(markings) if optional_child(m, "MarkingName").value == CE]
    assert len(ce) == 1
    image = optional_child(ce[0], "MarkingFile")
    assert image.content_type == "image/png"
    if image.value.startswith("/aasx/files/"):
        # A package path: the file lies beside the model, where the AASX writer takes it from.
        local = path.parent / "files" / image.value.removeprefix("/aasx/files/")
        assert local.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    else:
        assert image.value.startswith("https://")


def removals() -> Iterator[tuple[str, str]]:
    """(path of a required element in the motor's nameplate, what the check must say)."""
    for id_short in NAMEPLATE_REQUIRED:
        yield id_short, f"Nameplate.{id_short}: 0 present"
    for id_short in ADDRESS_REQUIRED:
        yield f"AddressInformation.{id_short}", f"Nameplate.AddressInformation.{id_short}: 0"
    for id_short in MARKING_REQUIRED:
        yield f"Markings[0].{id_short}", f"Nameplate.Markings[0].{id_short}: 0 present"
    yield "Markings[0]", "Nameplate.Markings: no item"
    yield (
        "AssetSpecificProperties.GuidelineSpecificProperties[0].GuidelineForConformityDeclaration",
        "GuidelineSpecificProperties[0].GuidelineForConformityDeclaration: 0 present",
    )


@pytest.mark.parametrize(("removed", "said"), list(removals()), ids=lambda v: str(v)[:60])
def test_the_nameplate_check_notices_each_required_element_removed(removed: str, said: str) -> None:
    nameplate = copy.deepcopy(submodel_of(aas.load(JSON_FILES[0]), NAMEPLATE))
    *steps, last = removed.split(".")
    parent = nameplate
    for step in steps:
        name, _, index = step.partition("[")
        parent = optional_child(parent, name)
        if index:
            parent = children(parent)[int(index.rstrip("]"))]
    name, _, index = last.partition("[")
    if index:
        del optional_child(parent, name).value[int(index.rstrip("]"))]
    else:
        kept = [c for c in children(parent) if c.id_short != name]
        assert len(kept) == len(children(parent)) - 1
        if type(parent).__name__ == "Submodel":
            parent.submodel_elements = kept
        else:
            parent.value = kept
    problems = nameplate_problems(nameplate)
    assert len(problems) == 1, problems
    assert said in problems[0]


def test_the_nameplate_check_notices_a_wrong_value_type_and_a_doubled_element() -> None:
    nameplate = copy.deepcopy(submodel_of(aas.load(JSON_FILES[0]), NAMEPLATE))
    uri = optional_child(nameplate, "URIOfTheProduct")
    uri.value_type = type(uri.value_type)("xs:string")
    assert nameplate_problems(nameplate) == ["Nameplate.URIOfTheProduct: valueType xs:string"]
    nameplate.submodel_elements.append(
        copy.deepcopy(optional_child(nameplate, "OrderCodeOfManufacturer"))
    )
    assert (
        "Nameplate.OrderCodeOfManufacturer: 2 present, the template wants one"
        in nameplate_problems(nameplate)
    )


# endregion

# region Technical Data: checked against the published template in the corpus


def technical_data_of(document: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The index and the JSON of the example's TechnicalData submodel."""
    found = [
        (index, submodel)
        for index, submodel in enumerate(document["submodels"])
        if json_semantic_id(submodel) == TECHNICAL_DATA
    ]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("template", TECHNICAL_DATA_TEMPLATES, ids=lambda t: t[-1])
@pytest.mark.parametrize("path", JSON_FILES, ids=lambda p: p.name)
def test_every_example_technical_data_conforms_to_the_published_template(
    path: Path, template: tuple[str, ...]
) -> None:
    index, technical = technical_data_of(json.loads(path.read_text(encoding="utf-8")))
    template_path = corpus("idta-templates", "published", *template)
    # The published template writes its own semanticId as a model reference with a Submodel
    # key (the IDTA's sample instance copies it), while the examples write the IRDI as an
    # external reference with a GlobalReference key, as a semanticId that names an outside
    # concept is written (a model reference to a Submodel that is not there would be a
    # reference:unresolved warning in every example). The template is still found by its ids,
    # and the difference of form is a warning in that one place; everything else conforms.
    report = aas.check_template(path, [template_path])
    (match,) = [m for m in report.matches if m.submodel == technical["id"]]
    assert match.template is not None
    assert [f for f in report.findings if f.severity >= aas.Severity.ERROR] == []
    form = [f.location.pointer for f in report.findings if f.rule == "template:semantic-id-form"]
    assert form == [f"/submodels/{index}/semanticId"]


@pytest.mark.parametrize(
    ("mutate", "rule"),
    [
        ("drop GeneralInformation", "template:missing"),
        ("ValidDate as xs:string", "template:value-type"),
        ("GeneralInformation twice", "template:cardinality"),
    ],
)
def test_a_broken_example_technical_data_is_found_against_the_template(
    mutate: str, rule: str, tmp_path: Path
) -> None:
    # The same check finds a defect planted in the motor, so the clean result above means
    # the template was applied, not skipped.
    document = json.loads(JSON_FILES[0].read_text(encoding="utf-8"))
    _, technical = technical_data_of(document)
    elements = technical["submodelElements"]
    general = next(e for e in elements if e["idShort"] == "GeneralInformation")
    if mutate == "drop GeneralInformation":
        elements.remove(general)
    elif mutate == "ValidDate as xs:string":
        further = next(e for e in elements if e["idShort"] == "FurtherInformation")
        valid_date = next(e for e in further["value"] if e["idShort"] == "ValidDate")
        valid_date["valueType"] = "xs:string"  # the template has xs:date
    else:
        # idShorts are unique in a submodel: the second one differs only in its idShort.
        elements.append({**copy.deepcopy(general), "idShort": "GeneralInformation2"})
    source = tmp_path / "motor.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    assert aas.validate(source).ok
    template_path = corpus("idta-templates", "published", *TECHNICAL_DATA_TEMPLATES[0])
    report = aas.check_template(source, [template_path], submodel=technical["id"])
    rules = [f.rule for f in report.findings]
    assert rule in rules


# endregion

# region one table of every vendor's manufacturer name and serial number


def test_the_three_nameplates_give_one_table_of_manufacturers_and_serial_numbers() -> None:
    wanted = {MANUFACTURER_NAME, SERIAL_NUMBER}
    rows = [
        (path.name, row.semantic_id, row.path, row.language, row.value)
        for path in JSON_FILES
        for row in aas.values(path)
        if row.semantic_id in wanted
    ]
    # The same table from the JSON text, walked here: one row per Property, one per language
    # of a MultiLanguageProperty.
    expected = []
    for path in JSON_FILES:
        document = json.loads(path.read_text(encoding="utf-8"))
        for submodel in document["submodels"]:
            for element in walk_json(submodel.get("submodelElements") or []):
                if json_semantic_id(element) not in wanted:
                    continue
                if element["modelType"] == "MultiLanguageProperty":
                    for text in element["value"]:
                        expected.append(
                            (path.name, element["idShort"], text["language"], text["text"])
                        )
                else:
                    expected.append((path.name, element["idShort"], None, element["value"]))
    got = [
        (name, path.rsplit(".", 1)[-1], language or None, value)
        for name, _, path, language, value in rows
    ]
    assert sorted(got, key=repr) == sorted(expected, key=repr)
    # One manufacturer (in English and German) and one serial number per product.
    assert len(expected) == 3 * 3
    serials = {value for _, id_short, _, value in expected if id_short == "SerialNumber"}
    assert serials == {"SN-4711-0815", "CP50-0042", "7731"}


def test_the_sensor_package_gives_the_same_rows_as_its_json() -> None:
    def table(source: Path) -> list[tuple[Any, ...]]:
        return [
            (row.semantic_id, row.path, row.language, row.value)
            for row in aas.values(source)
            if row.semantic_id in (MANUFACTURER_NAME, SERIAL_NUMBER)
        ]

    from_json = table(EXAMPLES / "sensor" / "sensor.json")
    assert from_json == table(EXAMPLES / "sensor" / "sensor.aasx")
    assert len(from_json) == 3


# endregion
