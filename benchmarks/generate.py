"""Realistic large AAS models for the benchmark, the same for the same seed and size.

A model is an Environment with one shell, several submodels and concept descriptions, in the
shapes real packages have: technical data (groups of Property of several value types with
semanticIds and qualifiers, MultiLanguageProperty, Range, nested collections), time series
(SubmodelElementList of records and of samples), documentation (File, ReferenceElement) and a
bill of material (nested Entity). ReferenceElements are ModelReferences that resolve within the
model, and the JSON is valid for V3.0 and V3.1 alike (JSON carries no version).

Written into a folder, a model is::

    model.json           the model (indented JSON, about the size asked for)
    aasx/files/...       the files its File elements and thumbnail name
    model-3.0.xml, ...   its XML and AASX twins, written by ``aas.save`` on demand
    meta.json            size, element count, seed, generator version

Usage: ``python benchmarks/generate.py --sizes 1,15,100 [--data-dir benchmarks/data]
[--seed N] [--check]``; the folders are reused when present.
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


def build(target_bytes: int, seed: int = DEFAULT_SEED) -> tuple[Json, int]:
    """An Environment of about ``target_bytes`` of indented JSON, and its number of submodel
    elements."""
    generator = _Generator(random.Random(seed))
    # Submodels grow with the model (a real 100 MB package has bigger submodels, not only
    # more), from one group each for a tiny model to 60 groups (about 0.5 MB) each.
    groups = max(1, min(60, round(target_bytes / 16 / 8_500)))
    submodels: list[Json] = []
    size = 2_000  # the shell, the concept descriptions and the brackets, roughly
    number = last = 0
    # Stop where the next submodel would overshoot by more than it would fall short.
    while size + last // 2 < target_bytes or number < len(_SUBMODEL_KINDS):
        kind = _SUBMODEL_KINDS[number % len(_SUBMODEL_KINDS)]
        submodel = generator.submodel(kind, number, groups)
        submodels.append(submodel)
        # Inside the environment each line is indented by four more spaces.
        text = orjson.dumps(submodel, option=orjson.OPT_INDENT_2)
        last = len(text) + 4 * text.count(b"\n")
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
        "assetAdministrationShells": [shell],
        "submodels": submodels,
        "conceptDescriptions": generator.concept_descriptions(),
    }
    return environment, generator.elements


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

    @property
    def json(self) -> Path:
        return self.folder / "model.json"

    def xml(self, version: str) -> Path:
        return ensure_twin(self, version, "xml")

    def aasx(self, version: str) -> Path:
        return ensure_twin(self, version, "aasx")


def folder_for(size_mb: float, seed: int, data_dir: Path) -> Path:
    return data_dir / f"model-{size_mb:g}mb-seed{seed}"


def ensure_model(size_mb: float, seed: int = DEFAULT_SEED, data_dir: Path = DATA_DIR) -> Generated:
    """The model of ``size_mb`` MB, written into ``data_dir`` unless it is already there."""
    folder = folder_for(size_mb, seed, data_dir)
    meta_path = folder / "meta.json"
    if meta_path.is_file():
        meta = orjson.loads(meta_path.read_bytes())
        if meta.get("generator") == GENERATOR_VERSION and (folder / "model.json").is_file():
            return Generated(folder, size_mb, meta["json_bytes"], meta["elements"], seed)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("model*"):
        stale.unlink()
    environment, elements = build(int(size_mb * MB), seed)
    data = orjson.dumps(environment, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
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
        "elements": elements,
    }
    meta_path.write_bytes(orjson.dumps(meta, option=orjson.OPT_INDENT_2))
    return Generated(folder, size_mb, len(data), elements, seed)


def ensure_twin(model: Generated, version: str, fmt: str) -> Path:
    """The model's XML or AASX twin for ``version``, written by the library when missing."""
    import aas

    path = model.folder / f"model-{version}.{fmt}"
    if not path.is_file():
        loaded = aas.load(model.json, version=version, verify=False)
        aas.save(loaded, path)
    return path


def check(model: Generated, versions: Iterable[str] = ("3.0", "3.1")) -> list[str]:
    """Every error ``aas.validate`` finds in the JSON, for each version (expected: none)."""
    import aas

    problems = []
    for version in versions:
        report = aas.validate(model.json, version=version)
        for finding in report.findings:
            if finding.severity >= aas.Severity.WARNING:
                what = f"{finding.severity.name} {finding.rule} {finding.location}"
                problems.append(f"V{version}: {what} {finding.message}")
    return problems


def parse_sizes(text: str) -> list[float]:
    return [float(part) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,15,100", help="sizes in MB of JSON, comma-separated")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument(
        "--twins", default="3.0,3.1", help="versions to write XML and AASX twins for"
    )
    parser.add_argument(
        "--check", action="store_true", help="validate each JSON under V3.0 and V3.1"
    )
    args = parser.parse_args(argv)
    failed = False
    for size in parse_sizes(args.sizes):
        started = time.perf_counter()
        model = ensure_model(size, args.seed, args.data_dir)
        for version in filter(None, args.twins.split(",")):
            model.xml(version)
            model.aasx(version)
        print(
            f"{model.folder}: {model.json_bytes / MB:.1f} MB JSON, {model.elements:,} submodel "
            f"elements ({time.perf_counter() - started:.1f} s)"
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
