"""Realistic large AAS models for the benchmark, the same bytes for the same seed, size and shape.

A model is an Environment with one shell, several submodels and concept descriptions, in the
shapes real packages have: technical data (groups of Property of several value types with
semanticIds and qualifiers, MultiLanguageProperty, Range, nested collections), time series
(SubmodelElementList of records and of samples), documentation (File, ReferenceElement) and a
bill of material (nested Entity). ReferenceElements are ModelReferences that resolve within the
model, and the JSON is valid for V3.0 and V3.1 alike (JSON carries no version).

That is the ``default`` shape. The others (``SHAPES``) are what real models also look like and
what made the project slow in issue 14: ``deep`` (collections 8 levels down), ``references``
(many ReferenceElements, semanticIds as model references, every 4th model reference naming
nothing: about 5,000 findings at 15 MB) with ``references-ok`` (the same with every reference
resolving), ``mlp`` (many MultiLanguageProperties), ``huge-submodel`` (one submodel, about
100,000 elements at 15 MB), ``compact`` and ``one-space`` (the default model laid out without
whitespace or with one space a level) and ``irdi`` (IRDIs for ids and semanticIds).

Written into a folder, a model is::

    model.json           the model (JSON, about the size asked for)
    aasx/files/...       the files its File elements and thumbnail name
    model-3.0.xml, ...   its XML, AASX and Turtle twins, written by ``aas.save`` on demand
    meta.json            size, element count, seed, shape, model references, generator version

Usage: ``python benchmarks/generate.py --sizes 1,15,100 [--shape default,deep,...|all]
[--data-dir benchmarks/data] [--seed N] [--twins 3.0,3.1] [--turtle 3.0] [--check]``; the
folders are reused when present.
"""

from __future__ import annotations

import argparse
import random
import struct
import sys
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

#: Bumped whenever the generated content changes, so stale folders are made anew.
GENERATOR_VERSION = 1
DEFAULT_SEED = 20240501
DATA_DIR = Path(__file__).resolve().parent / "data"
MB = 1_000_000

Json = dict[str, Any]
Keys = list[dict[str, str]]

# name, value type, unit (None: no unit)
_CONCEPTS: tuple[tuple[str, str, str | None], ...] = (
    ("Temperature", "xs:double", "degC"),
    ("Pressure", "xs:double", "bar"),
    ("RotationalSpeed", "xs:double", "1/min"),
    ("Voltage", "xs:double", "V"),
    ("Current", "xs:double", "A"),
    ("Power", "xs:double", "kW"),
    ("Torque", "xs:double", "N.m"),
    ("Mass", "xs:double", "kg"),
    ("Length", "xs:double", "mm"),
    ("Efficiency", "xs:double", None),
    ("OperatingHours", "xs:int", "h"),
    ("SwitchingCycles", "xs:int", None),
    ("ErrorCode", "xs:int", None),
    ("NumberOfPoles", "xs:int", None),
    ("Enabled", "xs:boolean", None),
    ("AlarmActive", "xs:boolean", None),
    ("MaintenanceDue", "xs:boolean", None),
    ("SerialNumber", "xs:string", None),
    ("ManufacturerName", "xs:string", None),
    ("Location", "xs:string", None),
    ("FirmwareVersion", "xs:string", None),
    ("LastService", "xs:dateTime", None),
    ("CommissioningDate", "xs:dateTime", None),
    ("MeasuredAt", "xs:dateTime", None),
)
_WORDS = [
    "motor",
    "pump",
    "valve",
    "sensor",
    "drive",
    "gear",
    "shaft",
    "bearing",
    "housing",
    "cable",
    "flange",
    "seal",
    "rotor",
    "stator",
    "encoder",
    "brake",
    "fan",
    "coupling",
    "terminal",
    "filter",
    "nozzle",
    "spindle",
    "clamp",
    "bracket",
]
_GERMAN = [
    "Motor",
    "Pumpe",
    "Ventil",
    "Sensor",
    "Antrieb",
    "Getriebe",
    "Welle",
    "Lager",
    "Gehäuse",
    "Kabel",
    "Flansch",
    "Dichtung",
    "Läufer",
    "Ständer",
    "Geber",
    "Bremse",
    "Lüfter",
    "Kupplung",
    "Klemme",
    "Filter",
    "Düse",
]
_DOCUMENTS = 6  # distinct files the documentation submodels name
#: The semantic id of a node of the bill of material (an Entity below the entry node).
_NODE = "https://admin-shell.io/idta/HierarchicalStructures/Node/1/0"
THUMBNAIL = "/aasx/files/thumbnail.png"
_SUBMODEL_KINDS = ("TechnicalData", "TimeSeries", "Documentation", "BillOfMaterial")


#: How deep the collections of the deep shape nest (the submodel's own elements are level 1).
_DEPTH = 8
_LANGUAGES = ("en", "de", "fr", "es", "zh", "ja", "pt-BR")
_TRANSLATIONS = {
    "en": ("Motor", "Pump", "Valve", "Sensor", "Drive", "Gear"),
    "de": ("Motor", "Pumpe", "Ventil", "Sensor", "Antrieb", "Getriebe"),
    "fr": ("Moteur", "Pompe", "Vanne", "Capteur", "Entraînement", "Engrenage"),
    "es": ("Motor", "Bomba", "Válvula", "Sensor", "Accionamiento", "Engranaje"),
    "zh": ("电机", "泵", "阀门", "传感器", "驱动器", "齿轮"),
    "ja": ("モーター", "ポンプ", "バルブ", "センサー", "ドライブ", "ギア"),
    "pt-BR": ("Motor", "Bomba", "Válvula", "Sensor", "Acionamento", "Engrenagem"),
}
#: Key types whose value is an id (mapped to an IRDI in the irdi shape); the data
#: specification's template reference keeps its IRI, as every real model has it.
_IDENTIFIABLE_KEYS = (
    "GlobalReference",
    "Submodel",
    "ConceptDescription",
    "AssetAdministrationShell",
)
_TEMPLATES = "https://admin-shell.io/DataSpecificationTemplates/"


@dataclass(frozen=True)
class Shape:
    """What a model looks like beyond its size: its submodels, references, ids and layout."""

    name: str
    summary: str
    #: the kinds of submodel, in turn (see ``_Generator.submodel``)
    kinds: tuple[str, ...] = _SUBMODEL_KINDS
    #: JSON indentation: 2 spaces, 1 space or none at all (0: compact, no whitespace)
    indent: int = 2
    #: semanticIds that name a concept description of the model are model references to it
    model_semantic_ids: bool = False
    #: every n-th model reference in the submodels names nothing (0: all resolve)
    unresolved_every: int = 0
    #: ids and semanticIds are IRDIs (0173-1#02-BAB123#001), as ECLASS-based models have
    irdi: bool = False
    #: the whole model in one submodel, however big
    one_submodel: bool = False


_REFERENCE_KINDS = ("TechnicalData", "Links", "Links", "Documentation", "Links", "Links")
SHAPES: dict[str, Shape] = {
    shape.name: shape
    for shape in (
        Shape(
            "default",
            "technical data, time series, documentation, bill of material; 2-space indentation",
        ),
        Shape(
            "deep",
            f"collections nested {_DEPTH} levels down, references to deep elements",
            kinds=("Assembly", "Documentation"),
        ),
        Shape(
            "references",
            "many ReferenceElements, semanticIds as model references to concept descriptions; "
            "every 4th model reference does not resolve (about 5,000 at 15 MB)",
            kinds=_REFERENCE_KINDS,
            model_semantic_ids=True,
            unresolved_every=4,
        ),
        Shape(
            "references-ok",
            "the references shape with every model reference resolving (its no-findings twin)",
            kinds=_REFERENCE_KINDS,
            model_semantic_ids=True,
        ),
        Shape(
            "mlp",
            "many MultiLanguageProperties in 2 to 7 languages and several scripts",
            kinds=("Marking", "TechnicalData", "Marking"),
        ),
        Shape(
            "huge-submodel",
            "one submodel of many small elements (channels with lists of samples)",
            kinds=("Measurements",),
            one_submodel=True,
        ),
        Shape("compact", "the default model as compact JSON (no whitespace)", indent=0),
        Shape("one-space", "the default model indented by one space", indent=1),
        Shape("irdi", "the default model with IRDIs for ids and semanticIds", irdi=True),
    )
}


def _model_semantic_ids(node: Any, concepts: set[str]) -> None:
    """Turn every semanticId (and semanticIdListElement, which must equal its items') that
    names one of ``concepts`` into a model reference to that concept description."""
    if isinstance(node, dict):
        for name in ("semanticId", "semanticIdListElement"):
            reference = node.get(name)
            if reference is not None and reference["type"] == "ExternalReference":
                value = reference["keys"][0]["value"]
                if value in concepts:
                    node[name] = model_reference([{"type": "ConceptDescription", "value": value}])
        for value in node.values():
            _model_semantic_ids(value, concepts)
    elif isinstance(node, list):
        for value in node:
            _model_semantic_ids(value, concepts)


def global_reference(value: str) -> Json:
    return {"type": "ExternalReference", "keys": [{"type": "GlobalReference", "value": value}]}


def model_reference(keys: Keys) -> Json:
    return {"type": "ModelReference", "keys": [dict(key) for key in keys]}


def concept_id(index: int) -> str:
    name = _CONCEPTS[index][0]
    if index % 2:
        return f"0173-1#02-BAA{100 + index:03d}#00{1 + index % 3}"  # an IRDI, as ECLASS has
    return f"https://admin-shell.io/bench/cd/{name}/1/0"


@dataclass
class _Generator:
    rng: random.Random
    base: str = "https://example.com/ids/bench"
    elements: int = 0
    #: keys of elements a ReferenceElement may point at (they resolve within the model)
    targets: list[Keys] = field(default_factory=list)
    #: keys of Entity elements (for "same as" links in the bill of material)
    entities: list[Keys] = field(default_factory=list)
    shape: Shape = field(default_factory=lambda: SHAPES["default"])
    #: model references inside the submodels, and how many of them were made not to resolve
    model_references: int = 0
    unresolved: int = 0
    irdis: dict[str, str] = field(default_factory=dict)
    #: keys of a property at the deepest level of the deep shape's last module
    deepest: Keys | None = None

    # -- values

    def double(self) -> str:
        r = self.rng.random()
        if r < 0.25:
            return f"{self.rng.randint(1, 99) / 10:.1f}E{self.rng.randint(-3, 4)}"
        if r < 0.3:
            return f"{self.rng.randint(1, 9)}.0e+{self.rng.randint(1, 3)}"
        return f"{self.rng.uniform(-500, 5000):.{self.rng.randint(1, 4)}f}"

    def integer(self) -> str:
        r = self.rng.random()
        if r < 0.1:
            return f"+{self.rng.randint(0, 999):03d}"
        return str(self.rng.randint(-1000, 2_000_000))

    def boolean(self) -> str:
        return self.rng.choice(("true", "false", "true", "false", "1", "0"))

    def string(self) -> str:
        words = self.rng.choices(_WORDS, k=self.rng.randint(1, 4))
        return " ".join(words).capitalize() + f" {self.rng.randint(1, 9999):04d}"

    def date_time(self) -> str:
        year, month, day = (
            self.rng.randint(2015, 2025),
            self.rng.randint(1, 12),
            1 + self.rng.randint(0, 27),
        )
        hour, minute, second = (
            self.rng.randint(0, 23),
            self.rng.randint(0, 59),
            self.rng.randint(0, 59),
        )
        stamp = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
        r = self.rng.random()
        if r < 0.5:
            return stamp + "Z"
        if r < 0.8:
            return stamp + f".{self.rng.randint(0, 999):03d}+01:00"
        return stamp + "-05:00"

    def value(self, value_type: str) -> str:
        return {
            "xs:double": self.double,
            "xs:int": self.integer,
            "xs:boolean": self.boolean,
            "xs:string": self.string,
            "xs:dateTime": self.date_time,
        }[value_type]()

    def lang_strings(self, english: str, german: str | None = None) -> list[Json]:
        strings = [{"language": "en", "text": english}]
        if german is not None:
            strings.append({"language": "de", "text": german})
        return strings

    # -- submodel elements

    def element(
        self, model_type: str, id_short: str | None, semantic: str | None, **members: Any
    ) -> Json:
        """A submodel element, counted: its class, idShort and semanticId (a global
        reference) first, then ``members`` (JSON names) in their order."""
        self.elements += 1
        element: Json = {"modelType": model_type}
        if id_short is not None:
            element["idShort"] = id_short
        if semantic is not None:
            element["semanticId"] = global_reference(semantic)
        return element | members

    def property(self, id_short: str | None, concept: int, with_qualifiers: bool) -> Json:
        self.elements += 1
        name, value_type, unit = _CONCEPTS[concept]
        element: Json = {"modelType": "Property"}
        if id_short is not None:
            element["idShort"] = id_short
            if self.rng.random() < 0.3:
                element["category"] = self.rng.choice(("PARAMETER", "VARIABLE", "CONSTANT"))
            if self.rng.random() < 0.35:
                unit_text = f", in {unit}" if unit else ""
                element["description"] = self.lang_strings(
                    f"{name} of the {self.rng.choice(_WORDS)}{unit_text}",
                    f"{name} ({self.rng.choice(_GERMAN)})",
                )
        element["semanticId"] = global_reference(concept_id(concept))
        if with_qualifiers:
            qualifiers = [
                {
                    "kind": "ConceptQualifier",
                    "type": "Multiplicity",
                    "valueType": "xs:string",
                    "value": self.rng.choice(("One", "ZeroToOne", "OneToMany")),
                }
            ]
            if value_type == "xs:double":
                qualifiers.append(
                    {
                        "kind": "ValueQualifier",
                        "semanticId": global_reference(
                            "https://admin-shell.io/bench/qualifier/UpperLimit"
                        ),
                        "type": "UpperLimit",
                        "valueType": "xs:double",
                        "value": self.double(),
                    }
                )
            element["qualifiers"] = qualifiers
        element["valueType"] = value_type
        element["value"] = self.value(value_type)
        return element

    def multi_language(self, id_short: str) -> Json:
        word = self.rng.choice(range(len(_WORDS)))
        return self.element(
            "MultiLanguageProperty",
            id_short,
            "0173-1#02-AAW338#001",
            value=self.lang_strings(
                f"{_WORDS[word].capitalize()} assembly, type {self.rng.randint(100, 999)}",
                f"{_GERMAN[word % len(_GERMAN)]}baugruppe, Typ {self.rng.randint(100, 999)}",
            ),
        )

    def range(self, id_short: str) -> Json:
        low = self.rng.randint(-40, 20)
        high = self.rng.randint(4, 15)
        return self.element(
            "Range",
            id_short,
            concept_id(0),
            valueType="xs:double",
            min=f"{low}.0",
            max=f"{high}.0E1",
        )

    def file(self, id_short: str, document: int) -> Json:
        return self.element(
            "File",
            id_short,
            "0173-1#02-ABI504#001/0173-1#01-AHF583#001",
            contentType="application/pdf",
            value=f"/aasx/files/document-{document}.pdf",
        )

    def reference_element(self, id_short: str, keys: Keys) -> Json:
        return self.element("ReferenceElement", id_short, None, value=model_reference(keys))

    def collection(self, id_short: str | None, semantic: str, value: list[Json]) -> Json:
        return self.element("SubmodelElementCollection", id_short, semantic, value=value)

    # -- submodels

    def submodel(self, kind: str, number: int, groups: int) -> Json:
        submodel_id = f"{self.base}/sm/{kind.lower()}/{number}"
        keys: Keys = [{"type": "Submodel", "value": submodel_id}]
        make = {
            "TechnicalData": self.technical_data,
            "TimeSeries": self.time_series,
            "Documentation": self.documentation,
            "BillOfMaterial": self.bill_of_material,
            "Assembly": self.assembly,
            "Links": self.links,
            "Marking": self.marking,
            "Measurements": self.measurements,
        }[kind]
        return {
            "modelType": "Submodel",
            "id": submodel_id,
            "idShort": f"{kind}{number:04d}",
            "description": self.lang_strings(f"{kind} of the machine, part {number}"),
            "administration": {"version": "1", "revision": str(number % 10)},
            "kind": "Instance",
            "semanticId": global_reference(f"https://admin-shell.io/bench/{kind}/Submodel/1/0"),
            "submodelElements": make(keys, groups),
        }

    def technical_data(self, keys: Keys, groups: int) -> list[Json]:
        result = []
        for group in range(groups):
            group_id = f"Group{group:03d}"
            group_keys = [*keys, {"type": "SubmodelElementCollection", "value": group_id}]
            members: list[Json] = []
            for position in range(self.rng.randint(6, 10)):
                concept = self.rng.randrange(len(_CONCEPTS))
                id_short = f"{_CONCEPTS[concept][0]}_{position:02d}"
                members.append(self.property(id_short, concept, self.rng.random() < 0.4))
                if self.rng.random() < 0.3:
                    self.targets.append([*group_keys, {"type": "Property", "value": id_short}])
            members.append(self.multi_language("Designation"))
            members.append(self.range("OperatingRange"))
            limits = [
                self.property("LowerLimit", 0, False),
                self.property("UpperLimit", 0, True),
            ]
            members.append(
                self.collection("Limits", "https://admin-shell.io/bench/Limits/1/0", limits)
            )
            self.targets.append(
                [*group_keys, {"type": "MultiLanguageProperty", "value": "Designation"}]
            )
            result.append(
                self.collection(group_id, "https://admin-shell.io/bench/Group/1/0", members)
            )
        return result

    def time_series(self, keys: Keys, groups: int) -> list[Json]:
        result = []
        record_semantic = "https://admin-shell.io/idta/TimeSeries/Record/1/1"
        for group in range(groups):
            segment_id = f"Segment{group:03d}"
            segment_keys = [*keys, {"type": "SubmodelElementCollection", "value": segment_id}]
            records = []
            for _ in range(self.rng.randint(3, 6)):
                fields = [
                    self.property("Time", 23, False),
                    self.property("Value", self.rng.choice((0, 1, 3, 4, 5)), False),
                    self.property("Quality", 12, False),
                ]
                records.append(self.collection(None, record_semantic, fields))
            record_list = self.element(
                "SubmodelElementList",
                "Records",
                "https://admin-shell.io/idta/TimeSeries/Records/1/1",
                orderRelevant=True,
                semanticIdListElement=global_reference(record_semantic),
                typeValueListElement="SubmodelElementCollection",
                value=records,
            )
            samples = [self.property(None, 0, False) for _ in range(self.rng.randint(6, 16))]
            sample_list = self.element(
                "SubmodelElementList",
                "Samples",
                "https://admin-shell.io/bench/Samples/1/0",
                orderRelevant=True,
                semanticIdListElement=global_reference(concept_id(0)),
                typeValueListElement="Property",
                valueTypeListElement="xs:double",
                value=samples,
            )
            index = str(self.rng.randrange(len(samples)))
            self.targets.append(
                [
                    *segment_keys,
                    {"type": "SubmodelElementList", "value": "Samples"},
                    {"type": "Property", "value": index},
                ]
            )
            members = [
                self.property("StartTime", 21, False),
                self.property("SampleCount", 10, False),
                record_list,
                sample_list,
            ]
            result.append(
                self.collection(
                    segment_id, "https://admin-shell.io/idta/TimeSeries/Segment/1/1", members
                )
            )
        return result

    def documentation(self, keys: Keys, groups: int) -> list[Json]:
        result = []
        for group in range(groups):
            document_id = f"Document{group:03d}"
            document_keys = [*keys, {"type": "SubmodelElementCollection", "value": document_id}]
            title_word = self.rng.choice(_WORDS)
            members = [
                self.property("DocumentIdentifier", 17, False),
                self.element(
                    "MultiLanguageProperty",
                    "Title",
                    "0173-1#02-ABG940#001",
                    value=self.lang_strings(
                        f"Operating manual of the {title_word}", f"Betriebsanleitung {title_word}"
                    ),
                ),
                self.property("Version", 20, False),
                self.property("IssueDate", 22, False),
                self.file("DigitalFile", group % _DOCUMENTS),
            ]
            if self.targets:
                target = self.targets[self.rng.randrange(len(self.targets))]
                members.append(self.reference_element("DescribedElement", target))
            self.targets.append([*document_keys, {"type": "File", "value": "DigitalFile"}])
            result.append(
                self.collection(document_id, "0173-1#02-ABI500#001/0173-1#01-AHF579#001", members)
            )
        return result

    def bill_of_material(self, keys: Keys, groups: int) -> list[Json]:
        parts = []
        entry_keys = [*keys, {"type": "Entity", "value": "EntryNode"}]
        for group in range(groups):
            part_id = f"Part{group:03d}"
            part_keys = [*entry_keys, {"type": "Entity", "value": part_id}]
            statements: list[Json] = [
                self.property("PartNumber", 17, False),
                self.property("Quantity", 11, False),
                self.property("Mass", 7, True),
            ]
            for sub in range(self.rng.randint(1, 3)):
                statements.append(
                    self.element(
                        "Entity",
                        f"SubPart{sub}",
                        _NODE,
                        statements=[self.property("PartNumber", 17, False)],
                        entityType="CoManagedEntity",
                    )
                )
            if self.entities:
                target = self.entities[self.rng.randrange(len(self.entities))]
                statements.append(self.reference_element("SameAs", target))
            elif self.targets:
                statements.append(self.reference_element("SameAs", self.targets[0]))
            self.entities.append(part_keys)
            parts.append(
                self.element(
                    "Entity",
                    part_id,
                    _NODE,
                    statements=statements,
                    entityType="SelfManagedEntity",
                    globalAssetId=f"{self.base}/asset/part/{group}-{self.rng.randrange(9999)}",
                )
            )
        entry_node = self.element(
            "Entity",
            "EntryNode",
            "https://admin-shell.io/idta/HierarchicalStructures/EntryNode/1/0",
            statements=parts,
            entityType="SelfManagedEntity",
            globalAssetId=f"{self.base}/asset/machine-1",
        )
        return [entry_node]

    # -- the submodels of the other shapes

    def assembly(self, keys: Keys, groups: int) -> list[Json]:
        """Modules whose collections nest ``_DEPTH`` levels down, each level with properties,
        some with a detail collection beside the next level, the deepest with a reference."""
        return [self.level(keys, f"Module{group:03d}", 1) for group in range(groups)]

    def level(self, keys: Keys, id_short: str, depth: int) -> Json:
        here = [*keys, {"type": "SubmodelElementCollection", "value": id_short}]
        members: list[Json] = []
        for position in range(self.rng.randint(2, 4)):
            concept = self.rng.randrange(len(_CONCEPTS))
            name = f"{_CONCEPTS[concept][0]}_{position:02d}"
            members.append(self.property(name, concept, self.rng.random() < 0.2))
            if self.rng.random() < 0.2:
                self.targets.append([*here, {"type": "Property", "value": name}])
        if depth < _DEPTH:
            members.append(self.level(here, f"Level{depth + 1}", depth + 1))
            if self.rng.random() < 0.3:
                detail = [self.property(f"Value_{n:02d}", 0, False) for n in range(2)]
                members.append(
                    self.collection("Detail", "https://admin-shell.io/bench/Detail/1/0", detail)
                )
        else:
            # The deepest level names the deepest property of the module before it (keys as
            # long as the nesting), or for the first module an element made before.
            target = self.deepest or (
                self.targets[self.rng.randrange(len(self.targets))] if self.targets else None
            )
            if target is not None:
                members.append(self.reference_element("Related", target))
            self.deepest = [*here, {"type": "Property", "value": members[0]["idShort"]}]
        return self.collection(id_short, f"https://admin-shell.io/bench/Level/{depth}/0", members)

    def links(self, keys: Keys, groups: int) -> list[Json]:
        """Collections of ReferenceElements, each naming an element made before."""
        result = []
        for group in range(groups):
            members = []
            for position in range(self.rng.randint(8, 14)):
                target = (
                    self.targets[self.rng.randrange(len(self.targets))] if self.targets else keys
                )
                members.append(self.reference_element(f"Link{position:02d}", target))
            result.append(
                self.collection(
                    f"Links{group:03d}", "https://admin-shell.io/bench/Links/1/0", members
                )
            )
        return result

    def translations(self, word: int, count: int, suffix: str) -> list[Json]:
        languages = _LANGUAGES[:count]
        return [
            {"language": language, "text": f"{_TRANSLATIONS[language][word]} {suffix}"}
            for language in languages
        ]

    def marking(self, keys: Keys, groups: int) -> list[Json]:
        """Collections of MultiLanguageProperties in two to seven languages, with texts in
        several scripts, some with multi-language descriptions."""
        result = []
        for group in range(groups):
            members = []
            for position in range(self.rng.randint(6, 12)):
                word = self.rng.randrange(len(_TRANSLATIONS["en"]))
                suffix = f"{self.rng.randint(100, 999)}-{self.rng.choice(_WORDS)}"
                element = self.element(
                    "MultiLanguageProperty",
                    f"Marking_{position:02d}",
                    "0173-1#02-AAW338#001",
                    value=self.translations(word, self.rng.randint(2, len(_LANGUAGES)), suffix),
                )
                if self.rng.random() < 0.4:
                    description = self.translations(word, self.rng.randint(2, 3), "(marking)")
                    element = {"description": description} | element
                members.append(element)
            members.append(self.property("SerialNumber", 17, False))
            result.append(
                self.collection(
                    f"Marking{group:03d}", "https://admin-shell.io/bench/Marking/1/0", members
                )
            )
        return result

    def channel(self, number: int) -> list[Json]:
        """A measuring channel: a list of samples without idShort (the smallest elements real
        models hold, so that one submodel holds very many), every 20th with a collection of
        its settings before it."""
        made = []
        if number % 20 == 0:
            settings = [
                self.property("Name", 18, False),
                self.property("Location", 19, False),
                self.property("CalibratedAt", 23, False),
            ]
            made.append(
                self.collection(
                    f"Settings{number:05d}", "https://admin-shell.io/bench/Settings/1/0", settings
                )
            )
        samples = []
        for _ in range(self.rng.randint(40, 80)):
            self.elements += 1
            samples.append(
                {"modelType": "Property", "valueType": "xs:double", "value": self.double()}
            )
        made.append(
            self.element(
                "SubmodelElementList",
                f"Channel{number:05d}",
                "https://admin-shell.io/bench/Channel/1/0",
                orderRelevant=True,
                typeValueListElement="Property",
                valueTypeListElement="xs:double",
                value=samples,
            )
        )
        return made

    def measurements(self, keys: Keys, groups: int) -> list[Json]:
        return [item for number in range(groups) for item in self.channel(number)]

    # -- what a shape changes in a submodel once it is made

    def finish(self, item: Json) -> Json:
        """``item`` (a submodel, the shell or a concept description) as the shape has it:
        semanticIds as model references, every n-th model reference broken, IRDIs for ids."""
        if self.shape.model_semantic_ids:
            _model_semantic_ids(item, {concept_id(n) for n in range(len(_CONCEPTS))})
        if item.get("modelType") == "Submodel":
            self.count_references(item)
        if self.shape.irdi:
            self.to_irdis(item)
        return item

    def count_references(self, node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "ModelReference":
                self.model_references += 1
                every = self.shape.unresolved_every
                if every and self.model_references % every == 0:
                    # The last key names nothing: an idShort or an id no element has.
                    node["keys"][-1]["value"] += "-gone"
                    self.unresolved += 1
                return
            for value in node.values():
                self.count_references(value)
        elif isinstance(node, list):
            for value in node:
                self.count_references(value)

    def irdi(self, value: str, space: str) -> str:
        if value.startswith("0173-1#") or value.startswith(_TEMPLATES):
            return value
        found = self.irdis.get(value)
        if found is None:
            number = len(self.irdis)
            high = number // 1000 + 26 * 26 + 1  # BAB on: BAA is the concepts' (concept_id)
            letters = "".join(chr(ord("A") + high // 26**place % 26) for place in (2, 1, 0))
            found = f"0173-1#{space}-{letters}{number % 1000:03d}#{1 + number % 3:03d}"
            self.irdis[value] = found
        return found

    def to_irdis(self, node: Any) -> None:
        if isinstance(node, dict):
            for name in ("id", "globalAssetId"):
                if isinstance(node.get(name), str):
                    node[name] = self.irdi(node[name], "01")
            for key in node.get("keys", ()) if isinstance(node.get("keys"), list) else ():
                if key.get("type") in _IDENTIFIABLE_KEYS:
                    space = (
                        "02" if key["type"] in ("GlobalReference", "ConceptDescription") else "01"
                    )
                    key["value"] = self.irdi(key["value"], space)
            for value in node.values():
                self.to_irdis(value)
        elif isinstance(node, list):
            for value in node:
                self.to_irdis(value)

    def concept_descriptions(self) -> list[Json]:
        result = []
        for index, (name, value_type, unit) in enumerate(_CONCEPTS):
            description: Json = {
                "modelType": "ConceptDescription",
                "id": concept_id(index),
                "idShort": name,
                "category": "PROPERTY",
            }
            if index % 3 == 0:
                description["description"] = self.lang_strings(f"The {name.lower()} of an asset")
            else:
                content: Json = {
                    "modelType": "DataSpecificationIec61360",
                    "preferredName": self.lang_strings(name.lower(), name),
                    "shortName": self.lang_strings(name[:3]),
                    "dataType": _IEC_TYPES[value_type],
                    "definition": self.lang_strings(f"The {name.lower()} of an asset, as measured"),
                }
                if unit is not None:
                    content["unit"] = unit
                description["embeddedDataSpecifications"] = [
                    {
                        "dataSpecification": global_reference(
                            "https://admin-shell.io/DataSpecificationTemplates/DataSpecificationIec61360/3"
                        ),
                        "dataSpecificationContent": content,
                    }
                ]
            result.append(description)
        return result


_IEC_TYPES = {
    "xs:double": "REAL_MEASURE",
    "xs:int": "INTEGER_COUNT",
    "xs:boolean": "BOOLEAN",
    "xs:string": "STRING",
    "xs:dateTime": "TIMESTAMP",
}


def one_space(data: bytes) -> bytes:
    """Indented JSON (two spaces a level, as orjson writes it) with one space a level: a line
    starts with its indentation, and JSON strings hold no raw line breaks."""
    return b"\n".join(
        line[(len(line) - len(line.lstrip(b" "))) // 2 :] for line in data.split(b"\n")
    )


def serialize(environment: Json, indent: int) -> bytes:
    """The model's JSON text: indented by ``indent`` spaces a level, or compact (0)."""
    if indent == 0:
        return orjson.dumps(environment)
    data = orjson.dumps(environment, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    return one_space(data) if indent == 1 else data


def _size(item: Json, indent: int, depth: int) -> int:
    """The bytes ``item`` takes in the model's JSON, written ``depth`` levels down."""
    if indent == 0:
        return len(orjson.dumps(item)) + 1  # and its comma
    text = orjson.dumps(item, option=orjson.OPT_INDENT_2)
    if indent == 1:
        text = one_space(text)
    return len(text) + indent * depth * text.count(b"\n")


def build(target_bytes: int, seed: int = DEFAULT_SEED, shape: str = "default") -> tuple[Json, int]:
    """An Environment of about ``target_bytes`` of JSON in ``shape``, and its number of
    submodel elements."""
    environment, generator = _build(target_bytes, seed, SHAPES[shape])
    return environment, generator.elements


def _build(target_bytes: int, seed: int, shape: Shape) -> tuple[Json, _Generator]:
    generator = _Generator(random.Random(seed), shape=shape)
    # Submodels grow with the model (a real 100 MB package has bigger submodels, not only
    # more), from one group each for a tiny model to 60 groups (about 0.5 MB) each.
    groups = max(1, min(60, round(target_bytes / 16 / 8_500)))
    submodels: list[Json] = []
    size = 2_000  # the shell, the concept descriptions and the brackets, roughly
    number = last = 0
    if shape.one_submodel:
        # One submodel, grown a group at a time until the model has its size.
        submodel = generator.submodel(shape.kinds[0], 0, 0)
        size += _size(submodel, shape.indent, 2)
        elements = submodel["submodelElements"]
        channels = 0
        while size < target_bytes or not elements:
            for item in generator.channel(channels):
                elements.append(item)
                size += _size(item, shape.indent, 4)
            channels += 1
        submodels.append(generator.finish(submodel))
    # Stop where the next submodel would overshoot by more than it would fall short.
    while not shape.one_submodel and (size + last // 2 < target_bytes or number < len(shape.kinds)):
        kind = shape.kinds[number % len(shape.kinds)]
        submodel = generator.finish(generator.submodel(kind, number, groups))
        submodels.append(submodel)
        # Inside the environment each line is indented by two levels more.
        last = _size(submodel, shape.indent, 2)
        size += last
        number += 1
    shell = {
        "modelType": "AssetAdministrationShell",
        "id": f"{generator.base}/aas/machine-1",
        "idShort": "BenchmarkMachine",
        "description": generator.lang_strings(
            "A machine with a large model, for benchmarks", "Eine Maschine mit großem Modell"
        ),
        "administration": {"version": "1", "revision": "0"},
        "assetInformation": {
            "assetKind": "Instance",
            "globalAssetId": f"{generator.base}/asset/machine-1",
            "specificAssetIds": [{"name": "SerialNumber", "value": f"SN-{seed}"}],
            "defaultThumbnail": {"path": THUMBNAIL, "contentType": "image/png"},
        },
        "submodels": [
            model_reference([{"type": "Submodel", "value": submodel["id"]}])
            for submodel in submodels
        ],
    }
    environment = {
        "assetAdministrationShells": [generator.finish(shell)],
        "submodels": submodels,
        "conceptDescriptions": [generator.finish(cd) for cd in generator.concept_descriptions()],
    }
    return environment, generator


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 16 % 256, y * 16 % 256, 160)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _pdf(rng: random.Random, number: int) -> bytes:
    """A small stand-in for a manual: a PDF header and some incompressible content."""
    body = bytes(rng.getrandbits(8) for _ in range(16_384))
    return b"%PDF-1.4\n% benchmark document " + str(number).encode() + b"\n" + body + b"\n%%EOF\n"


@dataclass(frozen=True)
class Generated:
    """A model written into a folder."""

    folder: Path
    size_mb: float
    json_bytes: int
    elements: int
    seed: int
    shape: str = "default"
    #: model references in the submodels, and how many of them name nothing on purpose
    model_references: int = 0
    unresolved: int = 0

    @property
    def json(self) -> Path:
        return self.folder / "model.json"

    def xml(self, version: str) -> Path:
        return ensure_twin(self, version, "xml")

    def aasx(self, version: str) -> Path:
        return ensure_twin(self, version, "aasx")

    def turtle(self, version: str) -> Path:
        return ensure_twin(self, version, "ttl")


def folder_for(size_mb: float, seed: int, data_dir: Path, shape: str = "default") -> Path:
    # The default shape keeps the folder it had before there were shapes.
    named = "" if shape == "default" else f"{shape}-"
    return data_dir / f"model-{named}{size_mb:g}mb-seed{seed}"


def ensure_model(
    size_mb: float, seed: int = DEFAULT_SEED, data_dir: Path = DATA_DIR, shape: str = "default"
) -> Generated:
    """The model of ``size_mb`` MB in ``shape``, written into ``data_dir`` unless it is
    already there."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; the shapes are {', '.join(SHAPES)}")
    folder = folder_for(size_mb, seed, data_dir, shape)
    meta_path = folder / "meta.json"
    if meta_path.is_file():
        meta = orjson.loads(meta_path.read_bytes())
        if meta.get("generator") == GENERATOR_VERSION and (folder / "model.json").is_file():
            return _generated(folder, meta)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("model*"):
        stale.unlink()
    environment, generator = _build(int(size_mb * MB), seed, SHAPES[shape])
    data = serialize(environment, SHAPES[shape].indent)
    del environment
    files = folder / "aasx" / "files"
    files.mkdir(parents=True, exist_ok=True)
    (files / "thumbnail.png").write_bytes(_png(32, 32))
    rng = random.Random(seed)
    for number in range(_DOCUMENTS):
        (files / f"document-{number}.pdf").write_bytes(_pdf(rng, number))
    (folder / "model.json").write_bytes(data)
    meta = {
        "generator": GENERATOR_VERSION,
        "seed": seed,
        "size_mb": size_mb,
        "json_bytes": len(data),
        "elements": generator.elements,
        "shape": shape,
        "model_references": generator.model_references,
        "unresolved": generator.unresolved,
    }
    meta_path.write_bytes(orjson.dumps(meta, option=orjson.OPT_INDENT_2))
    return _generated(folder, meta)


def _generated(folder: Path, meta: Json) -> Generated:
    return Generated(
        folder,
        meta["size_mb"],
        meta["json_bytes"],
        meta["elements"],
        meta["seed"],
        meta.get("shape", "default"),
        meta.get("model_references", 0),
        meta.get("unresolved", 0),
    )


def ensure_twin(model: Generated, version: str, fmt: str) -> Path:
    """The model's XML, AASX or Turtle twin for ``version``, written by the library when
    missing."""
    import aas

    path = model.folder / f"model-{version}.{fmt}"
    if not path.is_file():
        loaded = aas.load(model.json, version=version, verify=False)
        aas.save(loaded, path)
    return path


#: The rule of the findings the shapes with unresolved references hold on purpose.
UNRESOLVED = "reference:unresolved"


def check(model: Generated, versions: Iterable[str] = ("3.0", "3.1")) -> list[str]:
    """Every warning or error ``aas.validate`` finds in the JSON, for each version (expected:
    none but the unresolved references the shape made on purpose, as many as it made)."""
    import aas

    problems = []
    for version in versions:
        report = aas.validate(model.json, version=version)
        unresolved = 0
        for finding in report.findings:
            if finding.rule == UNRESOLVED and model.unresolved:
                unresolved += 1
            elif finding.severity >= aas.Severity.WARNING:
                what = f"{finding.severity.name} {finding.rule} {finding.location}"
                problems.append(f"V{version}: {what} {finding.message}")
        if unresolved != model.unresolved:
            problems.append(
                f"V{version}: {unresolved} unresolved references, {model.unresolved} made"
            )
    return problems


def parse_sizes(text: str) -> list[float]:
    return [float(part) for part in text.split(",") if part.strip()]


def parse_shapes(text: str) -> list[str] | None:
    """The shapes named in ``text`` (comma-separated; "all": every shape), or None when one
    of them is unknown."""
    if text.strip() == "all":
        return list(SHAPES)
    names = [part.strip() for part in text.split(",") if part.strip()]
    return names if names and all(name in SHAPES for name in names) else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,15,100", help="sizes in MB of JSON, comma-separated")
    parser.add_argument(
        "--shape",
        default="default",
        help="comma-separated shapes: "
        + "; ".join(f"{s.name}: {s.summary}" for s in SHAPES.values()),
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument(
        "--twins", default="3.0,3.1", help="versions to write XML and AASX twins for"
    )
    parser.add_argument(
        "--turtle", default="", help="versions to write a Turtle twin for (none by default)"
    )
    parser.add_argument(
        "--check", action="store_true", help="validate each JSON under V3.0 and V3.1"
    )
    args = parser.parse_args(argv)
    shapes = parse_shapes(args.shape)
    if shapes is None:
        parser.error(f"--shape takes names of {', '.join(SHAPES)}, comma-separated")
    failed = False
    sizes = parse_sizes(args.sizes)
    for shape, size in [(shape, size) for shape in shapes for size in sizes]:
        started = time.perf_counter()
        model = ensure_model(size, args.seed, args.data_dir, shape)
        for version in filter(None, args.twins.split(",")):
            model.xml(version)
            model.aasx(version)
        for version in filter(None, args.turtle.split(",")):
            model.turtle(version)
        references = (
            f", {model.model_references:,} model references ({model.unresolved:,} unresolved)"
            if model.model_references
            else ""
        )
        print(
            f"{model.folder}: {shape}, {model.json_bytes / MB:.1f} MB JSON, {model.elements:,} "
            f"submodel elements{references} ({time.perf_counter() - started:.1f} s)"
        )
        if args.check:
            problems = check(model)
            for problem in problems:
                print("  " + problem)
            print(f"  validation: {len(problems)} problem(s)")
            failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
