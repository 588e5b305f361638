"""``aas values`` and ``aas.values``: one row per value, checked against walks of the tests' own.

On every published IDTA template the rows are compared with what aas-core's ``descend()``
finds (not the module's walk): the same elements in the same order, each row's idShort path
leading (by a resolver written here) to that very element, and, for the JSON templates, the
values equal to the strings of the raw JSON (the lexical form kept). Small models of the
tests' own cover the unit and preferred-name lookup in both metamodel versions, the
semantic-id filter, every kind of row and the three outputs of the command.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

import aas
from aas.value_rows import COLUMNS, render_table

from conftest import assert_clean_failure, corpus, run_cli

#: The one file of the set that is no AAS model (see test_real_files.py).
NOT_A_MODEL = "IDTA 02005-1-0_GenericForm_ProvisionOfSimulationModels.json"
VALUE_KINDS = ("Property", "Range", "MultiLanguageProperty", "File", "Blob", "ReferenceElement")


def templates() -> list[Path]:
    root = corpus("idta-templates", "published")
    return sorted(p for p in root.rglob("*") if p.suffix in (".json", ".aasx") and p.is_file())


# The independent walk: aas-core's descend() and attributes read here.


def _first(reference: Any) -> str | None:
    return reference.keys[0].value if reference is not None and reference.keys else None


def _reference(reference: Any) -> str | None:
    if reference is None:
        return None
    model = reference.type.name == "MODEL_REFERENCE"  # either version's enumeration
    keys = ",".join(f"({key.type.value}){key.value}" for key in reference.keys)
    return f"[{'ModelRef' if model else 'ExternalRef'}]{keys}"


def expected_rows(model: aas.Model) -> list[tuple[Any, tuple[Any, ...]]]:
    """(element, cells) for each value descend() finds, the cells those every row projects."""
    root: Any = model.root
    submodels = list(root.submodels or ()) if hasattr(root, "submodels") else [root]
    found: list[tuple[Any, tuple[Any, ...]]] = []
    for submodel in submodels:
        for node in submodel.descend():
            kind = type(node).__name__
            if kind not in VALUE_KINDS:
                continue
            cells: list[tuple[Any, ...]]
            if kind == "Property":
                cells = [(node.value_type.value, node.value, None, None, None, None)]
            elif kind == "Range":
                cells = [(node.value_type.value, None, None, node.min, node.max, None)]
            elif kind == "MultiLanguageProperty":
                texts = node.value or []
                cells = [(None, t.text, t.language, None, None, None) for t in texts]
                cells = cells or [(None, None, None, None, None, None)]
            elif kind == "File":
                cells = [(None, node.value, None, None, None, node.content_type)]
            elif kind == "Blob":
                size = None if node.value is None else str(len(node.value))
                cells = [(None, size, None, None, None, node.content_type)]
            else:
                cells = [(None, _reference(node.value), None, None, None, None)]
            for cell in cells:
                head = (submodel.id, _first(submodel.semantic_id), kind, _first(node.semantic_id))
                found.append((node, head + cell))
    return found


def project(row: aas.ValueRow) -> tuple[Any, ...]:
    return (
        row.submodel_id,
        row.submodel_semantic_id,
        row.model_type,
        row.semantic_id,
        row.value_type,
        row.value,
        row.language,
        row.min,
        row.max,
        row.content_type,
    )


_STEP = re.compile(r"\[(\d+)\]|\.?([^.\[]*)")


def resolve(submodel: Any, path: str) -> list[Any]:
    """The elements ``path`` (``a.b[2].c``) may name below ``submodel`` (several when a broken
    file repeats an idShort)."""
    current = [submodel]
    position = 0
    while position < len(path):
        match = _STEP.match(path, position)
        assert match is not None and match.end() > position, (path, position)
        position = match.end()
        following: list[Any] = []
        for node in current:
            if match.group(1) is not None:
                items = node.value or []
                index = int(match.group(1))
                following.extend(items[index : index + 1])
            else:
                following.extend(c for c in _named_children(node) if c.id_short == match.group(2))
        current = following
    return current


def _named_children(node: Any) -> Iterator[Any]:
    kind = type(node).__name__
    if kind == "Submodel":
        yield from node.submodel_elements or ()
    elif kind == "SubmodelElementCollection":
        yield from node.value or ()
    elif kind == "Entity":
        yield from node.statements or ()
    elif kind == "AnnotatedRelationshipElement":
        yield from node.annotations or ()
    elif kind == "Operation":
        for variables in (node.input_variables, node.output_variables, node.inoutput_variables):
            yield from (variable.value for variable in variables or ())


def _submodel_of(model: aas.Model, submodel_id: str) -> Any:
    root: Any = model.root
    if type(root).__name__ == "Submodel":
        return root
    return next(s for s in root.submodels if s.id == submodel_id)


def test_every_template_gives_one_row_per_value_of_an_independent_walk() -> None:
    paths = templates()
    assert len(paths) == 210
    counts: Counter[str] = Counter()
    for path in paths:
        if path.name == NOT_A_MODEL:
            with pytest.raises(aas.ReadError):
                aas.values(path)
            continue
        model = aas.load(path, verify=False)
        root: Any = model.root
        rows = aas.values(model)
        expected = expected_rows(model)
        assert [project(row) for row in rows] == [cells for _, cells in expected], path.name
        shells = {
            sm.id: tuple(
                shell.id
                for shell in root.asset_administration_shells or ()
                if any(ref.keys[0].value == sm.id for ref in shell.submodels or ())
            )
            for sm in root.submodels or ()
        }
        for row, (node, _) in zip(rows, expected, strict=True):
            assert row.file == str(path)
            assert row.shells == shells[row.submodel_id]
            named = resolve(_submodel_of(model, row.submodel_id), row.path)
            assert any(candidate is node for candidate in named), (path.name, row.path)
            counts[row.model_type] += 1
        # Reading the path again gives the same rows: the order is the model's, not chance.
        assert aas.values(path) == rows
    print(f"rows over {len(paths) - 1} templates: {dict(counts)}")
    assert set(counts) == set(VALUE_KINDS)  # the set holds every kind of value


def _raw_values(document: Any) -> Counter[tuple[str, str | None]]:
    """(modelType, value text) of every value element of a JSON document, read as plain JSON."""
    found: Counter[tuple[str, str | None]] = Counter()
    stack = [submodel for submodel in document.get("submodels") or []]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        kind = node.get("modelType")
        if kind == "Property" or kind == "File":
            found[(kind, node.get("value"))] += 1
        elif kind == "Range":
            found[("Range.min", node.get("min"))] += 1
            found[("Range.max", node.get("max"))] += 1
        elif kind == "MultiLanguageProperty":
            for text in node.get("value") or [{"text": None}]:
                found[(kind, text.get("text"))] += 1
        for key in ("submodelElements", "value", "statements", "annotations"):
            if kind in ("SubmodelElementList", "SubmodelElementCollection") or key != "value":
                stack.append(node.get(key))
        for key in ("inputVariables", "outputVariables", "inoutputVariables"):
            stack.extend(variable.get("value") for variable in node.get(key) or [])
    return found


def test_values_of_the_json_templates_are_the_strings_the_json_holds() -> None:
    checked = 0
    for path in templates():
        if path.suffix != ".json" or path.name == NOT_A_MODEL:
            continue
        rows = aas.values(path)
        shown: Counter[tuple[str, str | None]] = Counter()
        for row in rows:
            if row.model_type == "Range":
                shown[("Range.min", row.min)] += 1
                shown[("Range.max", row.max)] += 1
            elif row.model_type in ("Property", "File", "MultiLanguageProperty"):
                shown[(row.model_type, row.value)] += 1
        assert shown == _raw_values(orjson.loads(path.read_bytes())), path.name
        checked += 1
    assert checked == 104


# A model of the tests' own: every kind of row, the lookup of units and preferred names.


def _key(value: str, kind: str = "GlobalReference") -> dict[str, Any]:
    return {"type": "ExternalReference", "keys": [{"type": kind, "value": value}]}


def _iec(names: list[tuple[str, str]], unit: str | None) -> dict[str, Any]:
    content: dict[str, Any] = {
        "modelType": "DataSpecificationIec61360",
        "preferredName": [{"language": lang, "text": text} for lang, text in names],
    }
    if unit is not None:
        content["unit"] = unit
    return {
        "dataSpecification": _key(
            "https://admin-shell.io/DataSpecificationTemplates/DataSpecificationIec61360/3"
        ),
        "dataSpecificationContent": content,
    }


def _concept(cid: str, names: list[tuple[str, str]], unit: str | None = None) -> dict[str, Any]:
    return {
        "modelType": "ConceptDescription",
        "id": cid,
        "embeddedDataSpecifications": [_iec(names, unit)],
    }


LENGTH = "0173-1#02-AAO677#002"
LENGTH_NEXT = "0173-1#02-AAO677#003"


def own_model() -> dict[str, Any]:
    def prop(id_short: str | None, semantic: str | None, value: str | None) -> dict[str, Any]:
        element: dict[str, Any] = {"modelType": "Property", "valueType": "xs:double"}
        if id_short is not None:
            element["idShort"] = id_short
        if semantic is not None:
            element["semanticId"] = _key(semantic)
        if value is not None:
            element["value"] = value
        return element

    reference = {
        "type": "ModelReference",
        "keys": [{"type": "Submodel", "value": "urn:sm:a"}, {"type": "Property", "value": "L"}],
    }
    elements = [
        prop("L", LENGTH, "1.50"),  # the lexical form, not 1.5
        prop("L2", LENGTH_NEXT, "+007"),
        prop("Empty", "urn:concept:english-region", None),
        {
            "modelType": "SubmodelElementCollection",
            "idShort": "Nested",
            "value": [
                {
                    "modelType": "MultiLanguageProperty",
                    "idShort": "Name",
                    "semanticId": _key("urn:concept:german-first"),
                    "value": [
                        {"language": "de-CH", "text": "Motor\nzwei"},
                        {"language": "en", "text": "Motor"},
                    ],
                },
                {"modelType": "MultiLanguageProperty", "idShort": "NoText"},
                {
                    "modelType": "SubmodelElementList",
                    "idShort": "Ranges",
                    "typeValueListElement": "Range",
                    "valueTypeListElement": "xs:int",
                    "value": [
                        {"modelType": "Range", "valueType": "xs:int", "min": "01", "max": "9"},
                        {"modelType": "Range", "valueType": "xs:int", "max": "12"},
                    ],
                },
            ],
        },
        {
            "modelType": "Entity",
            "idShort": "Part",
            "entityType": "CoManagedEntity",
            "statements": [
                {
                    "modelType": "File",
                    "idShort": "Manual",
                    "contentType": "application/pdf",
                    "value": "/aasx/files/manual.pdf",
                },
                {
                    "modelType": "Blob",
                    "idShort": "Data",
                    "contentType": "application/octet-stream",
                    "value": "AAECAw==",
                },
                {"modelType": "Blob", "idShort": "NoData", "contentType": "text/plain"},
            ],
        },
        {
            "modelType": "Operation",
            "idShort": "Run",
            "inputVariables": [{"value": prop("Speed", None, "3")}],
            "outputVariables": [
                {"value": {"modelType": "ReferenceElement", "idShort": "Ref", "value": reference}}
            ],
        },
        {
            "modelType": "ReferenceElement",
            "idShort": "External",
            "value": _key("https://example.com/a,b"),
        },
    ]
    return {
        "assetAdministrationShells": [
            {
                "modelType": "AssetAdministrationShell",
                "id": "urn:aas:one",
                "assetInformation": {"assetKind": "Instance", "globalAssetId": "urn:asset"},
                "submodels": [
                    {"type": "ModelReference", "keys": [{"type": "Submodel", "value": "urn:sm:a"}]}
                ],
            },
            {
                "modelType": "AssetAdministrationShell",
                "id": "urn:aas:two",
                "assetInformation": {"assetKind": "Instance", "globalAssetId": "urn:asset"},
                "submodels": [
                    {"type": "ModelReference", "keys": [{"type": "Submodel", "value": "urn:sm:a"}]}
                ],
            },
        ],
        "submodels": [
            {
                "modelType": "Submodel",
                "id": "urn:sm:a",
                "semanticId": _key("urn:template:a", "Submodel"),
                "submodelElements": elements,
            },
            {
                "modelType": "Submodel",
                "id": "urn:sm:alone",
                "submodelElements": [prop("Lonely", LENGTH, "2")],
            },
        ],
        "conceptDescriptions": [
            _concept(LENGTH, [("de", "Länge"), ("EN", "Length")], "mm"),
            _concept(LENGTH_NEXT, [("fr", "Longueur")], "m"),
            _concept("urn:concept:english-region", [("de", "Leer"), ("en-GB", "Empty")]),
            _concept("urn:concept:german-first", [("de", "Name"), ("fr", "Nom")]),
        ],
    }


def own_bytes() -> bytes:
    return orjson.dumps(own_model())


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_every_kind_of_row_of_a_model_of_the_tests_own(version: str) -> None:
    rows = aas.values(own_bytes(), format="json", version=version)
    table = [
        (r.path, r.model_type, r.value_type, r.value, r.language, r.min, r.max, r.content_type)
        for r in rows
    ]
    reference = "[ModelRef](Submodel)urn:sm:a,(Property)L"
    assert table == [
        ("L", "Property", "xs:double", "1.50", None, None, None, None),
        ("L2", "Property", "xs:double", "+007", None, None, None, None),
        ("Empty", "Property", "xs:double", None, None, None, None, None),  # a row all the same
        # the language tag as written
        ("Nested.Name", "MultiLanguageProperty", None, "Motor\nzwei", "de-CH", None, None, None),
        ("Nested.Name", "MultiLanguageProperty", None, "Motor", "en", None, None, None),
        ("Nested.NoText", "MultiLanguageProperty", None, None, None, None, None, None),
        ("Nested.Ranges[0]", "Range", "xs:int", None, None, "01", "9", None),
        ("Nested.Ranges[1]", "Range", "xs:int", None, None, None, "12", None),
        (
            "Part.Manual",
            "File",
            None,
            "/aasx/files/manual.pdf",
            None,
            None,
            None,
            "application/pdf",
        ),
        ("Part.Data", "Blob", None, "4", None, None, None, "application/octet-stream"),
        ("Part.NoData", "Blob", None, None, None, None, None, "text/plain"),
        ("Run.Speed", "Property", "xs:double", "3", None, None, None, None),
        ("Run.Ref", "ReferenceElement", None, reference, None, None, None, None),
        (
            "External",
            "ReferenceElement",
            None,
            "[ExternalRef](GlobalReference)https://example.com/a,b",
            None,
            None,
            None,
            None,
        ),
        ("Lonely", "Property", "xs:double", "2", None, None, None, None),
    ]
    first, lonely = rows[0], rows[-1]
    assert first.shells == ("urn:aas:one", "urn:aas:two")
    assert (first.submodel_id, first.submodel_semantic_id) == ("urn:sm:a", "urn:template:a")
    assert lonely.shells == () and lonely.submodel_semantic_id is None
    assert {row.file for row in rows} == {None}  # bytes have no name


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_unit_and_preferred_name_come_from_the_concept_description(version: str) -> None:
    rows = {
        (r.path, r.language): r for r in aas.values(own_bytes(), format="json", version=version)
    }
    named = {key: (row.unit, row.preferred_name) for key, row in rows.items()}
    assert named[("L", None)] == ("mm", "Length")  # en (any case) before the first listed
    assert named[("L2", None)] == ("m", "Longueur")  # no English: the first
    assert named[("Empty", None)] == (None, "Empty")  # a regional English, no unit
    assert named[("Nested.Name", "de-CH")] == (None, "Name")
    assert named[("Run.Speed", None)] == (None, None)  # no semanticId
    assert named[("Nested.Ranges[0]", None)] == (None, None)  # no concept description
    assert named[("Lonely", None)] == ("mm", "Length")  # a submodel no shell lists


def test_a_concept_description_the_model_lacks_gives_no_unit() -> None:
    document = own_model()
    document["conceptDescriptions"] = document["conceptDescriptions"][1:]
    rows = aas.values(orjson.dumps(document), format="json")
    assert (rows[0].semantic_id, rows[0].unit, rows[0].preferred_name) == (LENGTH, None, None)


def test_the_semantic_id_filter_matches_the_first_key_exactly_as_written() -> None:
    model = aas.load(own_bytes(), format="json")
    assert [r.path for r in aas.values(model, semantic_ids=[LENGTH])] == ["L", "Lonely"]
    assert [r.path for r in aas.values(model, semantic_ids=[LENGTH_NEXT])] == ["L2"]
    assert [r.path for r in aas.values(model, semantic_ids=LENGTH_NEXT)] == ["L2"]  # one id
    both = aas.values(model, semantic_ids=[LENGTH_NEXT, LENGTH])
    assert [r.path for r in both] == ["L", "L2", "Lonely"]  # model order, not the filter's
    # No normalisation: another IRDI version, spaces, case and a prefix find nothing.
    for near in ("0173-1#02-AAO677", f" {LENGTH}", LENGTH.lower(), "0173-1#02-AAO677#00"):
        assert aas.values(model, semantic_ids=[near]) == []
    # Only the first key counts: the second key of a semanticId is no match.
    document = own_model()
    document["submodels"][1]["submodelElements"][0]["semanticId"]["keys"].append(
        {"type": "FragmentReference", "value": "urn:fragment"}
    )
    lonely = aas.values(orjson.dumps(document), format="json", semantic_ids=["urn:fragment"])
    assert lonely == []


def test_the_filter_on_a_real_template_keeps_exactly_the_rows_of_that_id() -> None:
    path = next(p for p in templates() if "TechnicalData" in p.name and p.suffix == ".json")
    rows = aas.values(path)
    ids = Counter(row.semantic_id for row in rows if row.semantic_id)
    wanted = [semantic_id for semantic_id, _ in ids.most_common(2)]
    kept = aas.values(path, semantic_ids=wanted)
    assert kept == [row for row in rows if row.semantic_id in wanted]
    assert 0 < len(kept) < len(rows)


def test_a_file_of_one_submodel_gives_its_rows_and_other_roots_none() -> None:
    submodel = own_model()["submodels"][1]
    (row,) = aas.values(orjson.dumps(submodel), format="json")
    assert (row.shells, row.submodel_id, row.path, row.value) == ((), "urn:sm:alone", "Lonely", "2")
    assert row.unit is None  # no environment: no concept descriptions to look in
    concept = own_model()["conceptDescriptions"][0]
    assert aas.values(orjson.dumps(concept), format="json") == []


def test_value_rows_are_frozen_and_the_names_are_public() -> None:
    row = aas.values(own_bytes(), format="json")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.value = "2"  # type: ignore[misc]
    assert isinstance(row, aas.ValueRow) and "values" in aas.__all__
    assert tuple(row.to_dict()) == COLUMNS


# The command.


def write_own(folder: Path, name: str, change: dict[str, str] | None = None) -> Path:
    document = copy.deepcopy(own_model())
    for element in document["submodels"][0]["submodelElements"]:
        if change and element.get("idShort") in change:
            element["value"] = change[element["idShort"]]
    path = folder / name
    path.write_bytes(orjson.dumps(document))
    return path


def test_csv_output_is_rfc_4180_and_holds_every_row(tmp_path: Path) -> None:
    path = write_own(tmp_path, "m.json")
    result = run_cli("values", str(path), "--output", "csv")
    assert result.returncode == 0, result.stderr.decode()
    text = result.stdout.decode()
    assert text.startswith(",".join(COLUMNS) + "\r\n")
    records = list(csv.DictReader(io.StringIO(text, newline="")))
    rows = aas.values(path)
    assert len(records) == len(rows) == 15
    for record, row in zip(records, rows, strict=True):
        expected = {k: "" if v is None else v for k, v in row.to_dict().items()}
        expected["shells"] = " | ".join(row.shells)
        assert record == expected
    assert records[3]["value"] == "Motor\nzwei"  # a line break inside a quoted field


def test_jsonl_output_is_one_object_per_row(tmp_path: Path) -> None:
    path = write_own(tmp_path, "m.json")
    result = run_cli("values", str(path), "--output", "jsonl", "--semantic-id", LENGTH)
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    assert [orjson.loads(line) for line in lines] == [
        r.to_dict() for r in aas.values(path) if r.semantic_id == LENGTH
    ]
    assert orjson.loads(lines[0])["shells"] == ["urn:aas:one", "urn:aas:two"]
    assert orjson.loads(lines[1])["shells"] == []


def cells(line: str, rule: str) -> list[str]:
    """The cells of a table line, cut where the dashes under the header say."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]
    return [line[a:b].strip() for a, b in spans]


def test_table_output_is_aligned_and_cuts_long_cells(tmp_path: Path) -> None:
    long_value = "x" * 30 + "-end-of-a-long-value"
    path = write_own(tmp_path, "m.json")
    document = orjson.loads(path.read_bytes())
    document["submodels"][0]["submodelElements"][0]["value"] = long_value
    path.write_bytes(orjson.dumps(document))
    result = run_cli("values", str(path))
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    # The file is the same in every row: said once above; so is no other column here.
    assert lines[0] == f"file: {path}"
    header, rule, body = lines[1], lines[2], lines[3:]
    # The columns of COLUMNS that differ between rows, in that order; unit and names too.
    assert cells(header, rule) == [name for name in COLUMNS if name != "file"]
    assert len(body) == 15
    widths = [len(dashes) for dashes in rule.split("  ")]
    assert max(widths) == 40  # the cell width, reached by the long value
    for line in body:  # every cell starts in its column: two spaces before it
        for match in list(re.finditer(r"-+", rule))[1:]:
            assert len(line) <= match.start() or line[match.start() - 2 : match.start()] == "  "
    first = dict(zip(cells(header, rule), cells(body[0], rule), strict=True))
    assert first["value"] == long_value[:37] + "..."  # a value keeps its start
    assert first["shells"] == "urn:aas:one | urn:aas:two"
    named = dict(zip(cells(header, rule), cells(body[3], rule), strict=True))
    assert named["value"] == "Motor zwei"  # the line break shown as a space
    assert cells(body[-1], rule)[0] == ""  # no shell lists the last submodel


def test_identifiers_are_cut_in_the_middle(tmp_path: Path) -> None:
    document = own_model()
    long_id = "https://example.com/ids/" + "x" * 40 + "/version/3"
    document["submodels"][1]["submodelElements"][0]["semanticId"]["keys"][0]["value"] = long_id
    rows = aas.values(orjson.dumps(document), format="json")
    lines = render_table(rows).splitlines()
    rule = lines[1]
    column = cells(lines[0], rule).index("semanticId")
    cut = cells(lines[-1], rule)[column]
    assert cut == long_id[:18] + "..." + long_id[-19:]  # 40 characters, the end kept


def test_a_folder_of_several_files_gives_one_table(tmp_path: Path) -> None:
    folder = tmp_path / "nameplates"
    (folder / "b").mkdir(parents=True)
    write_own(folder, "a.json", {"L": "1"})
    write_own(folder / "b", "c.json", {"L": "3"})
    write_own(folder, "b.json", {"L": "2"})
    (folder / "notes.txt").write_text("not a model")
    result = run_cli("values", "nameplates", "--semantic-id", LENGTH, cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode().splitlines()
    assert sum(1 for line in lines if "idShortPath" in line) == 1  # one header: one table
    at = next(i for i, line in enumerate(lines) if line.startswith("file "))
    # What every row shares is said once above the table.
    shared = ["semanticId: " + LENGTH, "modelType: Property", "valueType: xs:double", "unit: mm"]
    assert lines[:at] == [*shared, "preferredName: Length"]
    header, rule, body = lines[at], lines[at + 1], lines[at + 2 :]
    assert len(body) == 6  # two rows (L and Lonely) of each of three files
    table = [dict(zip(cells(header, rule), cells(line, rule), strict=True)) for line in body]
    # The order validate walks a folder in (by path parts: the folder b before b.json).
    expected = ["nameplates/a.json"] * 2 + ["nameplates/b/c.json"] * 2
    expected += ["nameplates/b.json"] * 2
    assert [row["file"] for row in table] == [str(Path(name)) for name in expected]
    assert [row["idShortPath"] for row in table] == ["L", "Lonely"] * 3
    assert [row["value"] for row in table] == ["1", "2", "3", "2", "2", "2"]
    jsonl = run_cli("values", str(folder), "--semantic-id", LENGTH, "--output", "jsonl")
    assert jsonl.returncode == 0, jsonl.stderr.decode()
    found = [orjson.loads(line)["value"] for line in jsonl.stdout.decode().splitlines()]
    assert found == ["1", "2", "3", "2", "2", "2"]


def test_an_unreadable_file_is_named_and_the_others_still_listed(tmp_path: Path) -> None:
    write_own(tmp_path, "a.json")
    (tmp_path / "broken.json").write_text('{"submodels": [')
    write_own(tmp_path, "c.json")
    result = run_cli("values", str(tmp_path), "--output", "csv")
    stderr = assert_clean_failure(result, 3)
    assert "broken.json" in stderr and "a.json" not in stderr
    records = list(csv.DictReader(io.StringIO(result.stdout.decode(), newline="")))
    assert Counter(Path(r["file"]).name for r in records) == {"a.json": 15, "c.json": 15}


def test_standard_input_and_usage_errors(tmp_path: Path) -> None:
    result = run_cli("values", "-", "--output", "jsonl", stdin=own_bytes())
    assert result.returncode == 0, result.stderr.decode()
    assert len(result.stdout.decode().splitlines()) == 15
    assert_clean_failure(run_cli("values", str(tmp_path)), 2)  # a folder without models
    assert_clean_failure(run_cli("values", "-", "--output", "xml", stdin=own_bytes()), 2)
    assert_clean_failure(run_cli("values", str(tmp_path / "missing.json")), 3)
    nothing = run_cli("values", "-", "--semantic-id", "urn:none", stdin=own_bytes())
    assert (nothing.returncode, nothing.stdout) == (0, b"")
    assert "no values in 1 file for --semantic-id" in nothing.stderr.decode()


def test_render_table_fits_a_terminal_width() -> None:
    rows = aas.values(own_bytes(), format="json")
    wide = render_table(rows).splitlines()
    narrow = render_table(rows, width=100).splitlines()
    assert max(len(line) for line in narrow) < max(len(line) for line in wide)
    assert len(narrow) == len(wide)
    assert render_table([]) == ""
