"""A submodel template made for a benchmark model, as its author would write one.

The benchmark of ``aas template check`` (issue 13) checks the generated model against a
template of its own submodels: each submodel becomes kind Template; a list keeps one item (the
list's template item stands for every item), holding what any item holds; siblings that share a
semanticId are one template element with cardinality ZeroToMany (a repeated element), every
other element One.
Values are left out, as in a published template. So the template is small, as real ones are,
and the model conforms to it: the benchmark times a check that walks the whole model.

Usage: ``python benchmarks/smt_template.py MODEL.json TEMPLATE.json``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import orjson

Json = dict[str, Any]

_CARDINALITY = "SMT/Cardinality"


def _key(element: Json) -> str:
    keys = (element.get("semanticId") or {}).get("keys") or []
    named = "|".join(str(key.get("value")) for key in keys) or f"idShort:{element.get('idShort')}"
    return f"{element.get('modelType')} {named}"


def _qualified(element: Json, cardinality: str) -> Json:
    qualifier = {
        "kind": "TemplateQualifier",
        "type": _CARDINALITY,
        "valueType": "xs:string",
        "value": cardinality,
    }
    kept = [q for q in element.get("qualifiers", []) if q.get("type") != _CARDINALITY]
    return {**element, "qualifiers": [*kept, qualifier]}


def _template_element(element: Json, merged: bool = False) -> Json:
    """The template element for ``element``; ``merged``: it stands for several, so what it
    holds is optional (ZeroToOne) unless repeated (ZeroToMany)."""
    out = {key: value for key, value in element.items() if key not in ("value", "statements")}
    kind = element.get("modelType")
    if kind == "SubmodelElementList":
        items = element.get("value") or []
        if items:
            out["value"] = [_template_element(_merged(items), len(items) > 1)]
    elif kind == "SubmodelElementCollection":
        children = element.get("value") or []
        if children:
            out["value"] = _siblings(children, merged)
    elif kind == "Entity":
        statements = element.get("statements") or []
        if statements:
            out["statements"] = _siblings(statements, merged)
        out.pop("globalAssetId", None)
        out.pop("specificAssetIds", None)
    elif kind in ("Property", "Range", "File", "Blob", "ReferenceElement"):
        out.pop("min", None)
        out.pop("max", None)
        out.pop("valueId", None)
    elif kind == "MultiLanguageProperty":
        out.pop("valueId", None)
    return out


def _merged(items: list[Json]) -> Json:
    """One item standing for all of a list's items: the first, holding what any item holds
    (the items of a generated list differ in what their records measure)."""
    merged = dict(items[0])
    for field in ("value", "statements"):
        held = [
            child for item in items for child in item.get(field) or [] if isinstance(child, dict)
        ]
        if held:
            merged[field] = held
    return merged


def _siblings(children: list[Json], optional: bool = False) -> list[Json]:
    """One template element per semanticId among siblings (holding what any of them holds);
    repeated ones are ZeroToMany."""
    groups: dict[str, list[Json]] = {}
    for child in children:
        groups.setdefault(_key(child), []).append(child)
    return [
        _qualified(
            _template_element(_merged(group), len(group) > 1),
            "ZeroToMany" if len(group) > 1 else "ZeroToOne" if optional else "One",
        )
        for group in groups.values()
    ]


def template_of(model: Json) -> Json:
    """The template environment (submodels only) made for ``model``."""
    submodels = []
    for submodel in model.get("submodels") or []:
        out = {key: value for key, value in submodel.items() if key != "submodelElements"}
        out["kind"] = "Template"
        elements = submodel.get("submodelElements") or []
        if elements:
            out["submodelElements"] = _siblings(elements)
        submodels.append(out)
    return {"submodels": submodels}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write(__doc__ or "")
        return 2
    model = orjson.loads(Path(argv[0]).read_bytes())
    Path(argv[1]).write_bytes(orjson.dumps(template_of(model), option=orjson.OPT_INDENT_2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
