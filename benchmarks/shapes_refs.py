"""A model shaped to stress reference resolution and finding placement, and its twin.

Issue 14 measured ``aas validate`` at 8x its ``--checks schema,constraints`` time on a model with
thousands of model references that do not resolve: resolving walked children linearly per key,
and placing each finding rescanned the text. This script writes that shape, kept apart from
``generate.py`` (whose shapes are the benchmark suite's):

- ``submodels`` submodels of ``elements`` submodel elements each: a wide top level (flat
  properties and multi-language properties) beside groups of nested collections three deep;
- every element's semanticId a ModelReference to a ConceptDescription, several
  ReferenceElements per group walking into other submodels' nested elements;
- one-space indentation.

Two files are written, alike in shape and size to the byte: ``refs-broken.json``, where about
one model reference in five does not resolve (a ConceptDescription the file does not hold, or
a last key naming an element that is not there), and ``refs-resolved.json``, where all do.

Usage: ``python benchmarks/shapes_refs.py [--submodels 20] [--elements 1000]
[--data-dir benchmarks/data/refs] [--measure N] [--python PATH]``. With ``--measure``, each of
``json.load``, ``aas.validate`` (all checks, and schema and constraints only) and JSON -> XML
runs N times on both files, each run in a fresh process (``--python``: another checkout's
interpreter, to compare before and after), and the medians and ratios are printed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson

Json = dict[str, Any]
Keys = list[dict[str, str]]

DATA_DIR = Path(__file__).resolve().parent / "data" / "refs"
_BASE = "https://example.com/ids/refs"
_CONCEPTS = 40  # concept descriptions the file holds
_GROUP_SIZE = 20  # elements in one group, the group itself included
_WORDS = ("pump", "valve", "motor", "gear", "sensor", "drive", "shaft", "seal", "fan", "coil")


class _Shape:
    def __init__(self, seed: int, broken: bool) -> None:
        self.rng = random.Random(seed)
        self.broken = broken
        self.references = 0
        self.unresolved = 0

    def concept(self) -> Json:
        """A semanticId naming a concept description: one in five is not held when broken."""
        number = self.rng.randrange(_CONCEPTS)
        missing = self.rng.random() < 1 / 5
        self.references += 1
        if missing and self.broken:
            self.unresolved += 1
            number += 1000  # same length of id, never held
        else:
            number += 2000
        return _model_reference([("ConceptDescription", f"{_BASE}/cd/{number}")])

    def words(self, count: int) -> str:
        return " ".join(self.rng.choice(_WORDS) for _ in range(count))

    def description(self) -> list[Json]:
        return [
            {"language": "en", "text": f"The {self.words(4)} of this part"},
            {"language": "de", "text": f"Das {self.words(3)} dieses Teils"},
        ]

    def property(self, id_short: str) -> Json:
        return {
            "idShort": id_short,
            "description": self.description(),
            "semanticId": self.concept(),
            "qualifiers": [
                {"type": "Multiplicity", "valueType": "xs:string", "value": "One"},
                {"type": "UpperLimit", "valueType": "xs:double", "value": "1.0E3"},
            ],
            "modelType": "Property",
            "valueType": "xs:double",
            "value": f"{self.rng.uniform(-100, 1000):.3f}",
        }

    def multi_language(self, id_short: str) -> Json:
        return {
            "idShort": id_short,
            "semanticId": self.concept(),
            "modelType": "MultiLanguageProperty",
            "value": [
                {"language": "en", "text": f"{self.words(2)} assembly"},
                {"language": "de", "text": f"{self.words(2)} Baugruppe"},
                {"language": "fr", "text": f"{self.words(2)} ensemble"},
            ],
        }

    def reference(self, id_short: str, target: list[tuple[str, str]]) -> Json:
        """A ReferenceElement to ``target``; when broken, one in two names a last element that
        is not there (same length: the idShort with its first letter changed)."""
        self.references += 1
        keys = list(target)
        if self.broken and self.rng.random() < 0.5:
            self.unresolved += 1
            kind, value = keys[-1]
            keys[-1] = (kind, "X" + value[1:])
        return {
            "idShort": id_short,
            "semanticId": self.concept(),
            "modelType": "ReferenceElement",
            "value": _model_reference(keys),
        }

    def collection(self, id_short: str, value: list[Json]) -> Json:
        return {
            "idShort": id_short,
            "semanticId": self.concept(),
            "modelType": "SubmodelElementCollection",
            "value": value,
        }


def _model_reference(keys: list[tuple[str, str]]) -> Json:
    return {
        "type": "ModelReference",
        "keys": [{"type": kind, "value": value} for kind, value in keys],
    }


def _submodel_id(number: int) -> str:
    return f"{_BASE}/sm/{number:03d}"


def _target(rng: random.Random, submodels: int, groups: int) -> list[tuple[str, str]]:
    """Keys of a property three levels down in some submodel's group (it exists)."""
    group = rng.randrange(groups)
    return [
        ("Submodel", _submodel_id(rng.randrange(submodels))),
        ("SubmodelElementCollection", f"Group{group:03d}"),
        ("SubmodelElementCollection", "Detail"),
        ("SubmodelElementCollection", "Deep"),
        ("Property", f"Deep{rng.randrange(2)}"),
    ]


def _group(shape: _Shape, number: int, submodels: int, groups: int) -> Json:
    rng = shape.rng
    deep = shape.collection("Deep", [shape.property(f"Deep{i}") for i in range(2)])
    detail = shape.collection(
        "Detail",
        [shape.property(f"Detail{i}") for i in range(3)]
        + [shape.reference("DetailLink", _target(rng, submodels, groups)), deep],
    )
    value = (
        [shape.property(f"Value{i}") for i in range(6)]
        + [shape.multi_language(f"Name{i}") for i in range(2)]
        + [shape.reference(f"Link{i}", _target(rng, submodels, groups)) for i in range(3)]
        + [detail]
    )
    return shape.collection(f"Group{number:03d}", value)


def build(submodels: int, elements: int, broken: bool, seed: int = 14) -> tuple[Json, _Shape]:
    """The environment, and the shape's counts of references and unresolved ones."""
    shape = _Shape(seed, broken)
    # Nearly half the elements in groups, the rest on the (wide) top level.
    groups = max(1, elements // 2 // _GROUP_SIZE)
    flat = max(0, elements - groups * _GROUP_SIZE)
    items: list[Json] = []
    for number in range(submodels):
        top: list[Json] = [_group(shape, g, submodels, groups) for g in range(groups)]
        for index in range(flat):
            make = shape.multi_language if index % 4 == 3 else shape.property
            top.append(make(f"Top{index:04d}"))
        items.append(
            {
                "id": _submodel_id(number),
                "idShort": f"Part{number:03d}",
                "semanticId": shape.concept(),
                "modelType": "Submodel",
                "submodelElements": top,
            }
        )
    shell = {
        "id": f"{_BASE}/aas/1",
        "idShort": "Machine",
        "assetInformation": {"assetKind": "Instance", "globalAssetId": f"{_BASE}/asset/1"},
        "submodels": [_model_reference([("Submodel", item["id"])]) for item in items],
        "modelType": "AssetAdministrationShell",
    }
    concepts = [
        {
            "id": f"{_BASE}/cd/{2000 + number}",
            "idShort": f"Concept{number:03d}",
            "modelType": "ConceptDescription",
        }
        for number in range(_CONCEPTS)
    ]
    environment = {
        "assetAdministrationShells": [shell],
        "submodels": items,
        "conceptDescriptions": concepts,
    }
    return environment, shape


_INDENT = re.compile(rb"\n( +)")


def one_space(data: bytes) -> bytes:
    """orjson's two-space indentation turned into one space per level."""
    return _INDENT.sub(lambda match: b"\n" + b" " * (len(match.group(1)) // 2), data)


def write(folder: Path, submodels: int, elements: int) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, broken in (("broken", True), ("resolved", False)):
        environment, shape = build(submodels, elements, broken)
        data = one_space(orjson.dumps(environment, option=orjson.OPT_INDENT_2))
        path = folder / f"refs-{name}.json"
        path.write_bytes(data + b"\n")
        paths[name] = path
        print(
            f"{path}: {len(data) / 1e6:.1f} MB, {shape.references:,} model references, "
            f"{shape.unresolved:,} unresolved"
        )
    return paths


#: One measurement in a fresh process: everything imported and warmed up before the timing.
_JOB = """
import json, sys, time
job, path, out = sys.argv[1:4]
def peak():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
if job != "json.load":
    import aas
    tiny = b'{"submodels": [{"modelType": "Submodel", "id": "urn:x:warm-up"}]}'
    aas.validate(tiny, format="json")
    aas.convert(tiny, out, from_format="json", to_format="xml")
started, cpu = time.perf_counter(), time.process_time()
if job == "json.load":
    with open(path, encoding="utf-8") as stream:
        json.load(stream)
elif job == "validate":
    findings = len(aas.validate(path).findings)
elif job == "validate schema,constraints":
    findings = len(aas.validate(path, checks=["schema", "constraints"]).findings)
else:
    aas.convert(path, out, to_format="xml")
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak": peak()}))
"""

JOBS = ("json.load", "validate", "validate schema,constraints", "json->xml")


def measure(paths: dict[str, Path], repeat: int, python: str) -> None:
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    out = str(next(iter(paths.values())).parent / "out.xml")
    for _ in range(repeat):
        for name, path in paths.items():
            for job in JOBS:
                ran = subprocess.run(
                    [python, "-c", _JOB, job, str(path), out],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                results.setdefault((name, job), []).append(json.loads(ran.stdout))
    print(f"python: {python}; medians of {repeat} fresh process(es)")
    seconds = {key: statistics.median(r["seconds"] for r in runs) for key, runs in results.items()}
    cpu = {key: statistics.median(r["cpu"] for r in runs) for key, runs in results.items()}
    peaks = {key: max(r["peak"] for r in runs) for key, runs in results.items()}
    for (name, job), value in seconds.items():
        size = paths[name].stat().st_size
        print(
            f"  {name:9} {job:28} {value:7.3f} s (CPU {cpu[name, job]:.3f} s)  peak "
            f"{peaks[name, job] / 2**20:6.1f} MiB ({peaks[name, job] / size:.2f}x the input)"
        )
    for figures, what in ((seconds, "time"), (cpu, "CPU time")):
        for name in paths:
            ratio = figures[name, "validate"] / figures[name, "json.load"]
            print(f"  {name}: validate / json.load, {what} = {ratio:.2f}x (target <= 4x)")
        if "broken" in paths and "resolved" in paths:
            ratio = figures["broken", "validate"] / figures["resolved", "validate"]
            print(f"  validate with ~5,000 findings / without, {what} = {ratio:.2f}x (<= 1.5x)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--submodels", type=int, default=20)
    parser.add_argument("--elements", type=int, default=1000, help="per submodel")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--measure", type=int, default=0, help="runs of each job (0: none)")
    parser.add_argument("--python", default=sys.executable, help="the interpreter measured")
    args = parser.parse_args(argv)
    paths = write(args.data_dir, args.submodels, args.elements)
    if args.measure:
        measure(paths, args.measure, args.python)
    return 0


if __name__ == "__main__":
    sys.exit(main())
