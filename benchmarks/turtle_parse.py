"""How fast Turtle is parsed: the compiled parser (aas._turtle) against pyoxigraph.

Usage::

    python benchmarks/turtle_parse.py [--data-dir benchmarks/data] [--runs 3] [FILE.ttl ...]

For each Turtle file (by default every ``model-3.0.ttl`` of the generated models of 15 MB,
made by ``benchmarks/run.py``), in fresh processes, the median of ``--runs`` runs of:

- ``compiled``: ``aas._turtle.parse`` to a store (every term once, the triples in order);
- ``pyoxigraph``: ``pyoxigraph.parse`` iterated from Python, what the Python reader starts with;
- ``python reader``: the same and the Python reader's loop that files each triple
  (``_Terms.fill``), which the compiled parser and its mapping (map.c) replace.

Imports happen before the clock starts: the figures are the parsing alone.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

_ONE_RUN = """
import sys, time
import pyoxigraph
from aas import _turtle
from aas.converters.rdf.format import _Terms
from aas.converters.rdf.mapping import Graph
from aas.rdfids import DEFAULT_BASE

data = open(sys.argv[1], "rb").read()
turtle = pyoxigraph.RdfFormat.TURTLE
start = time.perf_counter()
if sys.argv[2] == "compiled":
    store = _turtle.parse(data, DEFAULT_BASE)
    assert not isinstance(store, str), store
elif sys.argv[2] == "pyoxigraph":
    for _ in pyoxigraph.parse(data, format=turtle, base_iri=DEFAULT_BASE):
        pass
else:
    _Terms(pyoxigraph).fill(Graph(), pyoxigraph.parse(data, format=turtle, base_iri=DEFAULT_BASE))
print(time.perf_counter() - start)
"""

KINDS = ("compiled", "pyoxigraph", "python reader")


def _seconds(path: Path, kind: str) -> float:
    ran = subprocess.run(
        [sys.executable, "-c", _ONE_RUN, str(path), kind],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(ran.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).parent / "data")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    files = args.files or sorted(args.data_dir.glob("model-*15mb-*/model-3.0.ttl"))
    if not files:
        sys.exit(f"no Turtle files in {args.data_dir}: run benchmarks/run.py first")
    print("| model | MB | " + " | ".join(KINDS) + " | compiled MB/s |")
    print("|---|---:|" + "---:|" * (len(KINDS) + 1))
    for path in files:
        size = path.stat().st_size / 1e6
        medians = [
            statistics.median(_seconds(path, kind) for _ in range(args.runs)) for kind in KINDS
        ]
        cells = " | ".join(f"{seconds:.3f} s" for seconds in medians)
        print(f"| {path.parent.name} | {size:.1f} | {cells} | {size / medians[0]:.0f} |")


if __name__ == "__main__":
    main()
