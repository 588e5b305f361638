"""Where the project's time goes: cProfile of its JSON -> XML conversion and JSON validation.

Usage::

    python benchmarks/profile_run.py [--size 15] [--jobs convert,validate] [--top 15]
                                     [--aas-version 3.0] [--data-dir benchmarks/data]

Prints, per job, the wall time without and with the profiler, then the top entries by
cumulative and by own time (cProfile's overhead inflates small, often-called functions, so
read the own-time list for where the work is and the cumulative list for which stage).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import generate

_PREFIXES = ("site-packages/", "/work/", "lib/python3")


def _short(path: str) -> str:
    for prefix in _PREFIXES:
        if prefix in path:
            return path.split(prefix, 1)[1]
    return path


def _table(stats: pstats.Stats, key: str, top: int) -> str:
    entries: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    index = {"cumulative": 3, "tottime": 2}[key]
    ordered = sorted(entries.items(), key=lambda item: item[1][index], reverse=True)[:top]
    lines = [
        "| calls | own s | cumulative s | function |",
        "|---:|---:|---:|---|",
    ]
    for (file, line, name), (_, calls, own, cumulative, _) in ordered:
        where = name if file == "~" else f"{_short(file)}:{line} {name}"
        lines.append(f"| {calls:,} | {own:.3f} | {cumulative:.3f} | `{where}` |")
    return "\n".join(lines)


def profile(name: str, job: Callable[[], Any], top: int) -> str:
    started = time.perf_counter()
    job()
    plain = time.perf_counter() - started
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(job)
    profiled = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    return "\n".join(
        [
            f"### {name}: {plain:.2f} s ({profiled:.2f} s under cProfile)",
            "",
            f"Top {top} by cumulative time:",
            "",
            _table(stats, "cumulative", top),
            "",
            f"Top {top} by own time:",
            "",
            _table(stats, "tottime", top),
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=float, default=15.0)
    parser.add_argument("--jobs", default="convert,validate")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--aas-version", default="3.0", choices=("3.0", "3.1"))
    parser.add_argument("--data-dir", type=Path, default=generate.DATA_DIR)
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    args = parser.parse_args(argv)

    import aas
    from aas.formats import by_name
    from aas.versions import binding, parse_version

    version = args.aas_version
    binding(parse_version(version))
    for fmt in ("json", "xml"):
        by_name(fmt).codec  # noqa: B018 (imports before the timing, as run.py does)
    model = generate.ensure_model(args.size, args.seed, args.data_dir)
    print(f"Model: {model.json_bytes / 1e6:.1f} MB JSON, {model.elements:,} submodel elements\n")
    with tempfile.TemporaryDirectory(prefix="aas-profile-") as out:
        target = Path(out) / "out.xml"
        jobs: dict[str, Callable[[], Any]] = {
            "convert": lambda: aas.convert(model.json, target, version=version),
            "validate": lambda: aas.validate(model.json, version=version),
        }
        names = {"convert": "aas.convert JSON -> XML", "validate": "aas.validate JSON"}
        for job in args.jobs.split(","):
            print(profile(names[job], jobs[job], args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
