"""Batches on a Dask cluster against ``--jobs 1`` (issue 14): a folder of corpus files
converted (JSON -> XML) and validated by ``aas`` itself, each run a fresh command, on

- ``--jobs 1`` (in the command's own process), ``--jobs 2`` (two worker processes), and
- ``--executor dask`` on a local cluster of 2 worker processes of one thread each (started
  once, before the runs, as a cluster is there before a user's command; its start is not
  timed), and of 1 worker, where the work is that of ``--jobs 1`` and what is left over is
  Dask's cost per file.

The runs of one repetition are interleaved, so drift on the machine spreads over every way
alike; the median of the repetitions is shown. Every run's standard output, standard error and
written files must be those of ``--jobs 1``, byte for byte (the output folder's name aside,
which each run's messages carry): the script stops when one differs.

Overhead per file: (time on Dask - time of --jobs 1) / files, for 1 worker; for 2 workers the
same on worker time, (2 x time on Dask - time of --jobs 1) / files.

Usage::

    python benchmarks/dask_batch.py [--files 1000] [--repeat 3]
        [--corpus ../shared/corpus/examples-3.1/json]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "examples-3.1" / "json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    corpus = os.environ.get("AAS_CORPUS")
    default = Path(corpus) / "examples-3.1" / "json" if corpus else DEFAULT_CORPUS
    parser.add_argument("--corpus", type=Path, default=default)
    args = parser.parse_args()

    from distributed import LocalCluster

    sources = sorted(path for path in args.corpus.rglob("*.json") if path.is_file())
    sources = sources[: args.files]
    if len(sources) < args.files:
        sys.exit(f"only {len(sources)} JSON files below {args.corpus}")
    with tempfile.TemporaryDirectory(prefix="aas-dask-") as temporary:
        work = Path(temporary)
        for source in sources:
            target = work / "in" / source.relative_to(args.corpus)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        print(f"{len(sources)} files ({_size(work / 'in')}) from {args.corpus}")
        print(f"machine: {os.cpu_count()} CPUs, load {_load()}")
        with (
            LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as two,
            LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=":0") as one,
        ):
            ways = {
                "--jobs 1": ["-j", "1"],
                "--jobs 2": ["-j", "2"],
                "dask, 2 workers": ["--executor", "dask", "--scheduler", two.scheduler_address],
                "dask, 1 worker": ["--executor", "dask", "--scheduler", one.scheduler_address],
            }
            times = _measure(work, ways, args.repeat)
        print(f"load after: {_load()}")
    _print(times, len(sources))


def _measure(work: Path, ways: dict[str, list[str]], repeat: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {f"{job} {way}": [] for job in ("convert", "validate")
                                     for way in ways}  # fmt: skip
    expected: dict[str, tuple[bytes, bytes, int, dict[str, bytes]]] = {}
    for _ in range(repeat):
        for job in ("convert", "validate"):
            for way, options in ways.items():
                out = work / "out"
                shutil.rmtree(out, ignore_errors=True)
                if job == "convert":
                    command = ["convert", "in", "out", "--to", "xml", *options]
                else:
                    command = ["validate", "in", "--output", "json", *options]
                started = time.perf_counter()
                run = subprocess.run(
                    [sys.executable, "-m", "aas", *command], cwd=work, capture_output=True
                )
                times[f"{job} {way}"].append(time.perf_counter() - started)
                outcome = (run.stdout, run.stderr, run.returncode, _files(out))
                if job not in expected:
                    expected[job] = outcome
                elif outcome != expected[job]:
                    sys.exit(f"{job} {way} differs from {job} --jobs 1:\n{run.stderr[-2000:]!r}")
    return times


def _print(times: dict[str, list[float]], files: int) -> None:
    print(f"\n| run | median s (of {len(next(iter(times.values())))}) | ms per file |")
    print("|---|---|---|")
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        print(f"| {name} | {value:.2f} | {1000 * value / files:.2f} |")
    print()
    for job in ("convert", "validate"):
        base = medians[f"{job} --jobs 1"]
        one = (medians[f"{job} dask, 1 worker"] - base) / files
        two = (2 * medians[f"{job} dask, 2 workers"] - base) / files
        print(
            f"{job}: Dask overhead per file {1000 * one:.2f} ms (1 worker), "
            f"{1000 * two:.2f} ms of worker time (2 workers); same bytes as --jobs 1"
        )


def _files(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _size(folder: Path) -> str:
    total = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
    return f"{total / 1024**2:.1f} MiB"


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
