"""``aas.check_template`` and ``aas template check``: instances against submodel templates.

Over the IDTA's published templates (the corpus): every template conforms to itself, and
every mutation of the kinds the issue names (an element of cardinality One or OneToMany taken
out, a Property's valueType changed, an element of cardinality One or ZeroToOne held twice)
gives exactly the one finding that names it. Then a nameplate written for these tests with
known defects gives exactly those, and the command's outputs and exit codes.
"""

from __future__ import annotations

import copy
import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import orjson
import pytest

import aas
from aas.checks.templates import (
    ARBITRARY,
    Place,
    Shape,
    cardinality,
    check_submodel,
    semantic_key,
    shape_of,
)
from aas.findings import Finding, pointer
from aas.metamodel.paths import IndexStep, PropertyStep
from aas.template_check import Template, check_template, load_templates
from aas.versions import binding
from tests.conftest import assert_clean_failure, corpus, resolve_pointer, run_cli

DATA = Path(__file__).parent / "data" / "templates"
TEMPLATE = DATA / "nameplate-template.json"
DEFECTS = DATA / "nameplate-defects.json"

#: The attribute (and its JSON name) that holds the elements inside each class.
HOLDERS = {
    "Submodel": ("submodel_elements", "submodelElements"),
    "SubmodelElementCollection": ("value", "value"),
    "SubmodelElementList": ("value", "value"),
    "Entity": ("statements", "statements"),
    "AnnotatedRelationshipElement": ("annotations", "annotations"),
}


@pytest.fixture(scope="module")
def published() -> list[tuple[Path, aas.Model]]:
    """Every model in the published templates; the one file that is none is a form
    description of the AASX Package Explorer."""
    root = corpus("idta-templates", "published")
    files = [p for p in sorted(root.rglob("*")) if p.is_file() and p.suffix in (".json", ".aasx")]
    models: list[tuple[Path, aas.Model]] = []
    unreadable: list[str] = []
    for path in files:
        try:
            models.append((path, aas.load(path, verify=False)))
        except aas.ReadError:
            unreadable.append(path.name)
    assert len(files) == 210
    assert unreadable == ["IDTA 02005-1-0_GenericForm_ProvisionOfSimulationModels.json"]
    return models


def test_every_published_template_conforms_to_itself(published: list[tuple[Path, Any]]) -> None:
    errors: list[str] = []
    warnings: Counter[str] = Counter()
    checked = templates = 0
    for path, model in published:
        held = [sm for sm in model.root.submodels or [] if sm.kind and sm.kind.value == "Template"]
        if not held:
            continue  # a few files of the folder hold instances only (samples)
        templates += len(held)
        reports = [check_template(model, model)]
        # Each submodel of kind Template meets a template by semanticId (its own, or one
        # alike), or, carrying none, its own when named.
        matched = {m.submodel for m in reports[0].matches if m.template}
        for submodel in held:
            if submodel.id not in matched:
                assert submodel.semantic_id is None
                own = Template(submodel, model.version, str(path))
                reports.append(check_template(model, [own], submodel=submodel.id))
        for report in reports:
            checked += sum(1 for match in report.matches if match.template is not None)
            for finding in report.findings:
                if finding.severity is aas.Severity.ERROR:
                    errors.append(f"{path.name}: {finding}")
                else:
                    warnings[finding.rule] += 1
    print(f"\n{checked} submodels of {len(published)} files checked; warnings: {dict(warnings)}")
    assert checked >= templates > 0
    assert errors == []


def _containers(node: Any, tokens: list[str | int]) -> Iterator[tuple[list[Any], list[str | int]]]:
    """Every list of elements under ``node`` (itself included), with the JSON pointer tokens
    of the element that holds it."""
    holder = HOLDERS.get(type(node).__name__)
    if holder is None:
        return
    items = getattr(node, holder[0]) or []
    yield items, tokens
    for index, item in enumerate(items):
        if not _arbitrary(item):  # the template says nothing of what it holds
            yield from _containers(item, [*tokens, holder[1], index])


def _arbitrary(element: Any) -> bool:
    return any(value == ARBITRARY for _, value in semantic_key(element) or ())


def _distinct_templates(
    published: list[tuple[Path, Any]],
) -> Iterator[tuple[Path, Any, int, Any]]:
    """Each submodel of the published files once: the JSON and AASX of one release hold the
    same submodel, and a mutation of one gives what it gives in the other."""
    seen: set[tuple[str, str]] = set()
    for path, model in published:
        jsonization = binding(model.version).jsonization
        for index, submodel in enumerate(model.root.submodels or []):
            text = orjson.dumps(jsonization.to_jsonable(submodel))
            key = (str(model.version), hashlib.sha256(text).hexdigest())
            if key not in seen:
                seen.add(key)
                yield path, model, index, submodel


def test_mutations_of_every_template_give_exactly_their_finding(
    published: list[tuple[Path, Any]],
) -> None:
    """Each element of cardinality One or OneToMany taken out: one template:missing at its
    parent. Each Property's valueType changed: one template:value-type at it. Each element
    of cardinality One or ZeroToOne held twice: one template:cardinality. The model is
    copied once per template and each mutation undone after its check."""
    counts: Counter[str] = Counter()
    wrong: list[str] = []
    templates = 0

    def expect(found: list[Finding], rule: str, at: Callable[[str], bool], what: str) -> None:
        if len(found) == 1 and found[0].rule == rule and at(found[0].location.pointer or ""):
            counts[rule] += 1
        else:
            wrong.append(f"{what}: {[str(f) for f in found][:3]}")

    for path, model, index, template in _distinct_templates(published):
        templates += 1
        types = binding(model.version).types
        instance = copy.deepcopy(template)
        held = list(model.root.submodels)
        held[index] = instance
        root = types.Environment(submodels=held)
        place = Place(root, str(path), "json")
        steps = [PropertyStep(root, "submodels"), IndexStep(held, index)]
        shape: Shape = shape_of(template)

        check = partial(check_submodel, instance, shape, place, steps)

        for items, tokens in list(_containers(instance, ["submodels", index])):
            name = HOLDERS[type(_resolve(root, tokens)).__name__][1]
            for position in range(len(items)):
                element = items[position]
                where = f"{path.name} {pointer([*tokens, name, position])}"
                limits = cardinality(element)  # the copy carries the template's qualifiers
                if limits.least >= 1:
                    del items[position]
                    parent = pointer(tokens)
                    expect(check(), "template:missing", parent.__eq__, f"{where} taken out")
                    items.insert(position, element)
                if limits.most == 1:
                    items.insert(position + 1, copy.copy(element))
                    # At the copy, or (in a template holding two alike) at the other one.
                    inside = pointer([*tokens, name]) + "/"
                    expect(
                        check(),
                        "template:cardinality",
                        lambda at, inside=inside: at.startswith(inside),
                        f"{where} held twice",
                    )
                    del items[position + 1]
                if type(element).__name__ == "Property" and not _arbitrary(element):
                    old = element.value_type
                    xsd = types.DataTypeDefXSD
                    element.value_type = xsd.INT if old is not xsd.INT else xsd.STRING
                    at = pointer([*tokens, name, position, "valueType"])
                    expect(check(), "template:value-type", at.__eq__, f"{where} valueType")
                    element.value_type = old
    print(f"\n{templates} distinct templates, findings as expected: {dict(counts)}")
    assert wrong == []
    assert counts["template:missing"] and counts["template:cardinality"]
    assert counts["template:value-type"]


def _resolve(root: Any, tokens: list[str | int]) -> Any:
    """The instance the JSON pointer tokens lead to from ``root`` (an Environment)."""
    node = root
    names = {json: attribute for attribute, json in HOLDERS.values()} | {"submodels": "submodels"}
    for token in tokens:
        node = node[token] if isinstance(token, int) else getattr(node, names[token])
    return node


#: What the nameplate with known defects breaks, and where (JSON pointers).
EXPECTED = {
    ("template:required-lang", "/submodels/0/submodelElements/0/value"),
    ("template:missing", "/submodels/0"),  # ManufacturerProductDesignation
    ("template:either-or", "/submodels/0/submodelElements/2"),
    ("template:value-type", "/submodels/0/submodelElements/3/valueType"),
    ("template:cardinality", "/submodels/0/submodelElements/4"),  # a second SerialNumber
    ("template:allowed-value", "/submodels/0/submodelElements/5/value"),  # SMT/AllowedValue
    ("template:allowed-value", "/submodels/0/submodelElements/6/value"),  # SMT/AllowedRange
    ("template:missing", "/submodels/0/submodelElements/7"),  # CityTown
    ("template:kind", "/submodels/0/submodelElements/7/value/0"),  # Street, not an MLP
    # the item's id as a model reference to a ConceptDescription: the same id, another form
    ("template:semantic-id-form", "/submodels/0/submodelElements/8/value/0/semanticId"),
    ("template:missing", "/submodels/0/submodelElements/8/value/1"),  # MarkingName
    ("template:semantic-id", "/submodels/0/submodelElements/10"),  # Document02, matched by name
    ("template:unexpected", "/submodels/0/submodelElements/11"),
}


def test_a_nameplate_with_known_defects_gives_exactly_them() -> None:
    report = check_template(DEFECTS, TEMPLATE)
    found = [(f.rule, f.location.pointer) for f in report.findings]
    assert sorted(found) == sorted(EXPECTED)
    assert all(f.location.line is not None for f in report.findings)  # located in the text
    document = orjson.loads(DEFECTS.read_bytes())
    for _, at in EXPECTED:
        resolve_pointer(document, at or "")
    severities = {f.rule: f.severity for f in report.findings}
    assert severities["template:unexpected"] is aas.Severity.WARNING
    assert severities["template:missing"] is aas.Severity.ERROR
    assert not report.ok
    [match] = report.matches
    assert match.template == "https://example.com/ids/smt/nameplate-for-tests"
    assert match.template_source == str(TEMPLATE)


def test_the_template_itself_and_either_or_in_a_template() -> None:
    assert check_template(TEMPLATE, TEMPLATE).findings == []
    # A submodel of kind Template lists every alternative of an SMT/EitherOr group.
    model = aas.load(DEFECTS, verify=False)
    model.root.submodels[0].kind = binding(model.version).types.ModellingKind.TEMPLATE
    rules = {f.rule for f in check_template(model, TEMPLATE).findings}
    assert "template:either-or" not in rules and "template:missing" in rules


def test_a_named_submodel_meets_the_one_template_whatever_its_semantic_id() -> None:
    model = aas.load(DEFECTS, verify=False)
    submodel = model.root.submodels[0]
    submodel.semantic_id.keys[0].value = "https://example.com/ids/other-nameplate"
    unnamed = check_template(model, TEMPLATE)
    # nothing was checked: said by a warning, not by an empty list (which reads as conforming)
    assert [f.rule for f in unnamed.findings] == ["template:no-match"]
    assert unnamed.matches[0].template is None
    named = check_template(model, TEMPLATE, submodel=submodel.id)
    assert ("template:semantic-id", "/submodels/0/semanticId") in {
        (f.rule, f.location.pointer) for f in named.findings
    }
    with pytest.raises(aas.UsageError, match="no submodel"):
        check_template(model, TEMPLATE, submodel="urn:nothing")


def test_xml_findings_point_by_xpath_with_lines(tmp_path: Path) -> None:
    target = tmp_path / "nameplate.xml"
    aas.convert(DEFECTS, target)
    report = check_template(target, TEMPLATE)
    assert sorted(f.rule for f in report.findings) == sorted(rule for rule, _ in EXPECTED)
    assert all(f.location.xpath and f.location.line for f in report.findings)


def test_templates_are_found_in_a_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.json").write_text('{"not": "a model"}')  # passed over in a folder
    (tmp_path / "nameplate.json").write_bytes(TEMPLATE.read_bytes())
    [template] = load_templates(tmp_path)
    assert template.submodel.id == "https://example.com/ids/smt/nameplate-for-tests"
    with pytest.raises(aas.UsageError, match="no submodel of kind Template"):
        load_templates(DEFECTS)


def test_the_command_reports_as_validate(tmp_path: Path) -> None:
    args = ("template", "check", str(DEFECTS), "--template", str(TEMPLATE))
    text = run_cli(*args)
    assert text.returncode == 1, text.stderr
    assert "[template:either-or]" in text.stdout.decode()
    # which template each submodel met is said with -v only (the JSON report holds it)
    assert "checked against template" not in text.stderr.decode()
    said = run_cli(*args, "-v").stderr.decode()
    assert "checked against template" in said
    result = run_cli(*args, "--output", "json")
    assert result.returncode == 1
    document = orjson.loads(result.stdout)
    [report] = document["reports"]
    assert {(f["rule"], f["location"]["pointer"]) for f in report["findings"]} == EXPECTED
    assert report["templates"][0]["template"] == "https://example.com/ids/smt/nameplate-for-tests"
    sarif = orjson.loads(run_cli(*args, "--output", "sarif").stdout)
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {rule for rule, _ in EXPECTED}
    assert run_cli("template", "check", str(TEMPLATE), "-t", str(TEMPLATE)).returncode == 0
    # Only a warning: exit 0, unless --fail-on warning.
    lenient = tmp_path / "colour.json"
    model = orjson.loads(TEMPLATE.read_bytes())
    model["submodels"][0]["submodelElements"].append(
        {"modelType": "Property", "idShort": "Colour", "valueType": "xs:string"}
    )
    lenient.write_bytes(orjson.dumps(model))
    assert run_cli("template", "check", str(lenient), "-t", str(TEMPLATE)).returncode == 0
    strict = run_cli("template", "check", str(lenient), "-t", str(TEMPLATE), "--fail-on", "warning")
    assert strict.returncode == 1


def test_the_command_fails_cleanly(tmp_path: Path) -> None:
    assert_clean_failure(run_cli("template", "check", str(DEFECTS)), 2)  # no --template
    named = run_cli("template", "check", str(DEFECTS), "-t", str(TEMPLATE), "--submodel", "urn:x")
    assert_clean_failure(named, 2)
    assert_clean_failure(run_cli("template", "check", str(DEFECTS), "-t", str(DEFECTS)), 2)
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    unreadable = run_cli("template", "check", str(broken), "-t", str(TEMPLATE))
    assert unreadable.returncode == 3 and b"Traceback" not in unreadable.stderr
    missing = run_cli("template", "check", str(DEFECTS), "-t", str(tmp_path / "none.json"))
    assert_clean_failure(missing, 3)


def _submodel(kind: str, elements: list[dict[str, Any]]) -> bytes:
    return orjson.dumps(
        {
            "submodels": [
                {
                    "modelType": "Submodel",
                    "id": f"urn:example:{kind}",
                    "kind": kind,
                    "semanticId": _ref("urn:example:smt"),
                    "submodelElements": elements,
                }
            ]
        }
    )


def _ref(value: str) -> dict[str, Any]:
    return {"type": "ExternalReference", "keys": [{"type": "GlobalReference", "value": value}]}


def _property(id_short: str, value: str | None, *qualifiers: tuple[str, str]) -> dict[str, Any]:
    element: dict[str, Any] = {
        "modelType": "Property",
        "idShort": id_short,
        "semanticId": _ref(f"urn:example:{id_short}"),
        "valueType": "xs:string",
        "qualifiers": [
            {"kind": "TemplateQualifier", "type": kind, "valueType": "xs:string", "value": value}
            for kind, value in qualifiers
        ]
        or None,
    }
    if value is not None:
        element["value"] = value
    return {key: item for key, item in element.items() if item is not None}


@pytest.mark.parametrize(
    ("qualifier", "value", "allowed"),
    [
        # Most published SMT/AllowedValue values are lists, not expressions.
        (("SMT/AllowedValue", "True;False"), "True", True),
        (("SMT/AllowedValue", "True;False"), "Yes", False),
        (("SMT/AllowedValue", "good | bad | uncertain | others"), "bad", True),
        (("SMT/AllowedValue", "[A-Z]{2}-[0-9]+"), "DE-12", True),
        (("SMT/AllowedValue", "[A-Z]{2}-[0-9]+"), "DE-12x", False),
        (("SMT/AllowedRange", "[0,100]"), "100", True),
        (("SMT/AllowedRange", "[0,100)"), "100", False),
        (("SMT/AllowedRange", "[0,100]"), "-0.5", False),
        (("SMT/AllowedRange", "[0,100]"), "not a number", True),  # the valueType's business
    ],
)
def test_allowed_values_and_ranges(qualifier: tuple[str, str], value: str, allowed: bool) -> None:
    template = aas.load(_submodel("Template", [_property("Level", None, qualifier)]))
    instance = aas.load(_submodel("Instance", [_property("Level", value)]), verify=False)
    rules = [f.rule for f in check_template(instance, template).findings]
    assert rules == ([] if allowed else ["template:allowed-value"])


@pytest.mark.parametrize(
    ("spelling", "value", "missing"),
    [
        ("SMT/Cardinality", "One", True),
        ("Cardinality", "OneToMany", True),
        ("Multiplicity", " one ", True),  # read without regard to case or blanks
        ("SMT/SMT/Cardinality", "One", True),  # a spelling the published templates have
        ("SMT/Cardinality", "ZeroToOne", False),
        ("SMT/Cardinality", "Three", False),  # unknown: constrains nothing
    ],
)
def test_cardinality_spellings(spelling: str, value: str, missing: bool) -> None:
    template = aas.load(_submodel("Template", [_property("Level", None, (spelling, value))]))
    instance = aas.load(_submodel("Instance", []), verify=False)
    rules = [f.rule for f in check_template(instance, template).findings]
    assert rules == (["template:missing"] if missing else [])


def test_list_items_meet_the_templates_items_in_order() -> None:
    def item(child: str) -> dict[str, Any]:
        return {
            "modelType": "SubmodelElementCollection",
            "semanticId": _ref("urn:example:item"),
            "value": [_property(child, None, ("SMT/Cardinality", "One"))],
        }

    listed = {
        "modelType": "SubmodelElementList",
        "idShort": "Items",
        "typeValueListElement": "SubmodelElementCollection",
        "value": [item("First"), item("Second")],
    }
    template = aas.load(_submodel("Template", [listed]))
    instance = aas.load(_submodel("Instance", [listed]), verify=False)
    assert check_template(instance, template).findings == []
    swapped = aas.load(
        _submodel("Instance", [{**listed, "value": [item("Second"), item("First")]}]),
        verify=False,
    )
    assert {f.rule for f in check_template(swapped, template).findings} == {
        "template:missing",
        "template:unexpected",
    }


def test_a_list_holds_what_the_template_lists() -> None:
    listed: dict[str, Any] = {
        "modelType": "SubmodelElementList",
        "idShort": "Levels",
        "typeValueListElement": "Property",
        "valueTypeListElement": "xs:int",
        "semanticIdListElement": _ref("urn:example:level"),
        "value": [{"modelType": "Property", "valueType": "xs:int"}],
    }
    template = aas.load(_submodel("Template", [listed]))

    def findings(**changed: Any) -> set[tuple[str, str | None]]:
        instance = aas.load(_submodel("Instance", [{**listed, **changed}]), verify=False)
        return {(f.rule, f.location.pointer) for f in check_template(instance, template).findings}

    at = "/submodels/0/submodelElements/0"
    assert findings() == set()
    many = [{"modelType": "Property", "valueType": "xs:int", "value": str(n)} for n in range(3)]
    assert findings(value=many) == set()  # the one template item stands for every item
    assert findings(typeValueListElement="Range") == {
        ("template:kind", f"{at}/typeValueListElement")
    }
    assert findings(valueTypeListElement="xs:string") == {
        ("template:value-type", f"{at}/valueTypeListElement")
    }
    assert findings(semanticIdListElement=_ref("urn:example:other")) == {
        ("template:semantic-id", f"{at}/semanticIdListElement")
    }


def test_an_arbitrary_element_stands_for_any_of_its_class() -> None:
    arbitrary = {
        "modelType": "Property",
        "idShort": "ArbitraryProperty",
        "semanticId": _ref("https://admin-shell.io/SMT/General/Arbitrary"),
        "valueType": "xs:string",
    }
    template = aas.load(_submodel("Template", [arbitrary]))
    vendor = {**_property("Diameter", "12"), "valueType": "xs:double"}
    instance = aas.load(_submodel("Instance", [vendor]), verify=False)
    assert check_template(instance, template).findings == []
    other = {"modelType": "MultiLanguageProperty", "idShort": "Housing"}
    instance = aas.load(_submodel("Instance", [other]), verify=False)
    assert [f.rule for f in check_template(instance, template).findings] == ["template:unexpected"]


def test_the_same_ids_in_another_form_find_the_template_and_are_a_warning() -> None:
    # Published templates write some of their semanticIds as a model reference to a Submodel;
    # an instance writing the same id as a global reference meets that template, and the
    # difference of form is a warning where it is; another id is an error.
    template_json = orjson.loads(_submodel("Template", [_property("Level", None)]))
    template_json["submodels"][0]["semanticId"] = {
        "type": "ModelReference",
        "keys": [{"type": "Submodel", "value": "urn:example:smt"}],
    }
    template = aas.load(orjson.dumps(template_json), verify=False)
    instance = aas.load(_submodel("Instance", [_property("Level", "3")]), verify=False)
    report = check_template(instance, template)
    assert [(f.rule, f.severity, f.location.pointer) for f in report.findings] == [
        ("template:semantic-id-form", aas.Severity.WARNING, "/submodels/0/semanticId")
    ]
    other = orjson.loads(_submodel("Instance", [_property("Level", "3")]))
    other["submodels"][0]["submodelElements"][0]["semanticId"] = {
        "type": "ExternalReference",
        "keys": [{"type": "GlobalReference", "value": "urn:example:other"}],
    }
    template_json["submodels"][0]["semanticId"] = _ref("urn:example:smt")
    report = check_template(
        aas.load(orjson.dumps(other), verify=False), aas.load(orjson.dumps(template_json))
    )
    assert [f.rule for f in report.findings] == ["template:semantic-id"]


def test_siblings_of_one_concept_meet_the_template_element_of_their_class() -> None:
    # A template may hold a Property and a Range of one concept side by side: each instance
    # element meets the one of its own class, whatever their order.
    measured = {**_property("Temperature", None), "semanticId": _ref("urn:example:temperature")}
    ranged = {
        "modelType": "Range",
        "idShort": "TemperatureRange",
        "semanticId": _ref("urn:example:temperature"),
        "valueType": "xs:double",
    }
    template = aas.load(_submodel("Template", [ranged, measured]))
    instance = aas.load(
        _submodel(
            "Instance",
            [
                {**measured, "idShort": "Temperature_07", "value": "21.5"},
                {**ranged, "idShort": "Range_01", "min": "0", "max": "1E2"},
            ],
        ),
        verify=False,
    )
    assert check_template(instance, template).findings == []
