"""basyx interop: ``aas.to_basyx`` and ``aas.from_basyx``.

A model handed to basyx-python-sdk and taken back is the model, whenever ``to_basyx`` reports
nothing basyx does not hold; whenever it reports something, the model taken back really
differs there (so its findings are neither missing nor invented). Checked on every
examples-3.1 model (JSON and XML) and on the IDTA's published templates.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

import aas
from aas.findings import Finding, Severity
from aas.version_change import change_version
from aas.versions import Version

from conftest import EXAMPLES, corpus

#: The metamodel's defaults basyx writes out or leaves out (rule basyx:default): a model
#: equal but for them is the same model.
DEFAULTS: dict[tuple[str, str], object] = {
    ("Qualifier", "kind"): "ConceptQualifier",
    ("Submodel", "kind"): "Instance",
    ("SubmodelElementList", "orderRelevant"): True,
}


def without_defaults(node: Any, owner: str | None = None) -> Any:
    """The JSON tree with every property at its metamodel default left out."""
    if isinstance(node, dict):
        here = node.get("modelType", owner)
        return {
            key: without_defaults(value, "Qualifier" if key == "qualifiers" else here)
            for key, value in node.items()
            if DEFAULTS.get((here, key), object()) != value
        }
    if isinstance(node, list):
        return [without_defaults(item, owner) for item in node]
    return node


def json_of(model: aas.Model) -> bytes:
    return aas.dump(model, "json").data


def losses(findings: list[Finding]) -> list[Finding]:
    """What basyx does not hold of the model's content (warnings at a place in it)."""
    return [
        finding
        for finding in findings
        if finding.rule.startswith("basyx:")
        and finding.severity is not Severity.INFO
        and finding.location.pointer is not None
    ]


def round_trip(model: aas.Model) -> tuple[str, list[Finding]]:
    """``exact``, ``defaults`` or ``lost``: how ``from_basyx(to_basyx(model))`` compares with
    the model, checked against what ``to_basyx`` reported."""
    handed = aas.to_basyx(model)
    back = aas.from_basyx(handed.store)
    assert back.version is Version.V3_1
    expected = model if model.version is Version.V3_1 else change_version(model, Version.V3_1)[0]
    before, after = json_of(expected), json_of(back)
    basyx_findings = [f for f in handed.findings if f.rule.startswith("basyx:")]
    lost = losses(handed.findings)
    if lost:
        same = without_defaults(orjson.loads(before)) == without_defaults(orjson.loads(after))
        assert not same, f"reported, but nothing differs: {lost[0]}"
        return "lost", lost
    if not [f for f in basyx_findings if f.rule == "basyx:default"]:
        assert after == before
        return "exact", []
    assert without_defaults(orjson.loads(after)) == without_defaults(orjson.loads(before))
    return "defaults", []


# region the acceptance: every examples-3.1 model basyx can hold comes back equal


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_every_example_basyx_holds_comes_back_equal(fmt: str) -> None:
    files = sorted(corpus("examples-3.1", fmt).rglob(f"*.{fmt}"))
    assert len(files) > 2000
    outcomes: dict[str, int] = {"exact": 0, "defaults": 0, "lost": 0}
    for path in files:
        outcome, _ = round_trip(aas.load(path, verify=False))
        outcomes[outcome] += 1
    # every kind of outcome occurs (so no branch above is vacuous), and a good part come back
    assert all(count > 0 for count in outcomes.values()), outcomes
    assert outcomes["exact"] + outcomes["defaults"] > len(files) // 3, outcomes


def test_the_idta_templates_round_trip_as_reported() -> None:
    root = corpus("idta-templates", "published")
    seen = 0
    # the JSON of each template (its AASX holds the same model; files are tested below)
    for path in sorted(root.rglob("*.json")):
        try:
            model = aas.load(path, verify=False)  # the constraints are not what is checked
        except aas.ReadError:
            continue  # unreadable templates are other tests' business
        round_trip(model)
        seen += 1
    assert seen > 100


# endregion

# region findings: located, explained, once each

HANDED = {
    "submodels": [
        {
            "modelType": "Submodel",
            "id": "urn:example:sm:held",
            "submodelElements": [
                {
                    "modelType": "Property",
                    "idShort": "Count",
                    "valueType": "xs:int",
                    "value": "+004",
                },
                {
                    "modelType": "Property",
                    "idShort": "Refused",
                    "valueType": "xs:string",
                    # basyx wants an ExternalReference here; the metamodel allows either
                    "embeddedDataSpecifications": [
                        {
                            "dataSpecification": {
                                "type": "ModelReference",
                                "keys": [{"type": "Submodel", "value": "urn:example:ds"}],
                            },
                            "dataSpecificationContent": {
                                "modelType": "DataSpecificationIec61360",
                                "preferredName": [{"language": "en", "text": "refused"}],
                            },
                        }
                    ],
                },
                {
                    "modelType": "Property",
                    "idShort": "Kept",
                    "valueType": "xs:string",
                    "value": "v",
                },
            ],
        },
        {
            "modelType": "Submodel",
            "id": "urn:example:sm:unwritable",
            # basyx holds a negative year but its serialiser fails on it
            "submodelElements": [
                {
                    "modelType": "Property",
                    "idShort": "Y",
                    "valueType": "xs:gYear",
                    "value": "-0111+14:00",
                }
            ],
        },
    ]
}


def test_each_loss_is_one_finding_at_its_place() -> None:
    handed = aas.to_basyx(aas.load(orjson.dumps(HANDED), format="json", version="3.1"))
    found = sorted((f.rule, f.location.pointer, f.severity) for f in handed.findings)
    assert found == [
        ("basyx:changed", "/submodels/0/submodelElements/0/value", Severity.WARNING),
        ("basyx:not-held", "/submodels/0/submodelElements/1", Severity.WARNING),
        ("basyx:not-written", "/submodels/1", Severity.WARNING),
    ]
    messages = {f.rule: f.message for f in handed.findings}
    assert '"+004" as "4"' in messages["basyx:changed"]
    assert "ExternalReference" in messages["basyx:not-held"]  # basyx's reason, without its paths
    assert "Negative years" in messages["basyx:not-written"]
    # the store holds both submodels; the refused element only is missing
    assert {str(identifiable.id) for identifiable in handed.store} == {
        "urn:example:sm:held",
        "urn:example:sm:unwritable",
    }

    back = aas.from_basyx(handed.store)
    assert [f.rule for f in back.findings] == ["basyx:not-written"]
    assert "the Submodel 'urn:example:sm:unwritable'" in back.findings[0].message
    (submodel,) = back.root.submodels
    assert [element.id_short for element in submodel.submodel_elements] == ["Count", "Kept"]
    assert submodel.submodel_elements[0].value == "4"


def test_a_basyx_user_s_own_store_comes_across() -> None:
    from basyx.aas import model

    store: model.DictIdentifiableStore[model.Identifiable] = model.DictIdentifiableStore()
    store.add(
        model.Submodel(
            "urn:example:sm:own",
            submodel_element=[model.Property("Speed", model.datatypes.Double, 1.5)],
        )
    )
    back = aas.from_basyx(store)
    assert back.findings == []
    (submodel,) = back.root.submodels
    assert submodel.id == "urn:example:sm:own"
    assert (submodel.submodel_elements[0].id_short, submodel.submodel_elements[0].value) == (
        "Speed",
        "1.5",
    )


def test_a_v30_model_is_upgraded_and_that_is_said() -> None:
    source = b'{"submodels": [{"modelType": "Submodel", "id": "urn:example:sm:30"}]}'
    model = aas.load(source, format="json", version="3.0")
    handed = aas.to_basyx(model)
    assert [f.rule for f in handed.findings] == ["basyx:upgraded"]
    assert handed.findings[0].severity is Severity.INFO
    assert [str(s.id) for s in handed.store] == ["urn:example:sm:30"]


def test_a_single_submodel_is_handed_over_and_a_lone_property_refused() -> None:
    submodel = HANDED["submodels"][1]
    model = aas.load(orjson.dumps(submodel), format="json", version="3.1", model_type="Submodel")
    handed = aas.to_basyx(model)
    assert [(f.rule, f.location.pointer) for f in handed.findings] == [
        ("basyx:not-written", "/submodels/0")
    ]
    element = orjson.dumps(HANDED["submodels"][0]["submodelElements"][0])
    with pytest.raises(aas.UsageError, match="holds identifiables; the model is a Property"):
        aas.to_basyx(aas.load(element, format="json", version="3.1", model_type="Property"))


# endregion

# region files


def test_a_package_s_files_go_to_basyx_s_container_and_come_back() -> None:
    model = aas.load(EXAMPLES / "sensor" / "sensor.aasx")
    assert model.package is not None and model.package.thumbnail is not None
    handed = aas.to_basyx(model)
    expected = {part.name: part.data for part in model.package.supplementary.values()} | {
        model.package.thumbnail.name: model.package.thumbnail.data
    }
    assert set(handed.files) == set(expected)

    back = aas.from_basyx(handed.store, files=handed.files)
    assert back.package is not None and back.package.thumbnail is not None
    assert back.package.thumbnail.data == model.package.thumbnail.data
    assert {n: p.data for n, p in back.package.supplementary.items()} == {
        n: p.data for n, p in model.package.supplementary.items()
    }
    # and what comes back is an AASX the toolkit writes and reads, files included
    again = aas.load(aas.dump(back, "aasx").data, format="aasx")
    assert again.package is not None
    assert set(again.package.supplementary) == set(model.package.supplementary)
    assert aas.from_basyx(handed.store).package is None  # no container given: no package


# endregion

# region basyx stays optional


def test_importing_aas_does_not_import_basyx() -> None:
    code = (
        "import sys, aas, aas.basyx_interop; aas.BasyxStore; "
        "print(any(m == 'basyx' or m.startswith('basyx.') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    assert result.stdout.strip() == b"False"


def test_without_basyx_the_error_names_the_extra() -> None:
    # sys.modules[name] = None makes ``import name`` fail as when it is not installed
    code = (
        "import sys; sys.modules['basyx'] = None\n"
        "import aas\n"
        "try:\n"
        "    aas.to_basyx(aas.load('examples/motor/motor.json'))\n"
        "except aas.UsageError as error:\n"
        "    print(error.exit_code, error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, check=True, cwd=EXAMPLES.parent
    )
    assert result.stdout.decode().strip() == (
        "2 basyx interop needs basyx-python-sdk: pip install 'aas-toolkit[basyx]'"
    )


def test_the_package_declares_the_extra() -> None:
    import tomllib

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    extras = project["project"]["optional-dependencies"]
    assert any(req.startswith("basyx-python-sdk") for req in extras["basyx"])


# endregion


def test_what_basyx_holds_once_is_said_so() -> None:
    """basyx holds one identifiable per id and one text per language (as the metamodel's
    invariants want, which some IDTA templates break): what it leaves out is said, and why."""
    twice = {
        "submodels": [
            {
                "modelType": "Submodel",
                "id": "urn:example:twice",
                "description": [
                    {"language": "en", "text": "first"},
                    {"language": "de", "text": "erste"},
                    {"language": "en", "text": "second"},
                ],
            }
        ],
        "conceptDescriptions": [{"modelType": "ConceptDescription", "id": "urn:example:twice"}],
    }
    model = aas.load(orjson.dumps(twice), format="json", version="3.1", verify=False)
    findings = aas.to_basyx(model).findings
    assert [(f.rule, f.location.pointer) for f in findings] == [
        ("basyx:not-held", "/conceptDescriptions/0"),
        # basyx keeps the last text of a language, at the place of the first
        ("basyx:changed", "/submodels/0/description/0/text"),
        ("basyx:not-held", "/submodels/0/description/2"),
    ]
    assert "one identifiable per id" in findings[0].message
    assert "/submodels/0, which basyx keeps" in findings[0].message
    assert '"first" as "second"' in findings[1].message
    assert "one text per language, and 'en' comes twice" in findings[2].message
