"""Run ``aas.load`` and ``aas.validate`` over every AAS file under a folder (older files first).

    python benchmarks/older_files.py FOLDER [--json]

Written for the files of issue 12 (V1.0, V2.0 and the pre-release V3.0 namespace, gathered from
public repositories and kept outside this repository), it works on any folder of ``.xml``,
``.json`` and ``.aasx`` files. Per file it prints the version its text names (told apart here by
namespace or JSON shape, independently of the toolkit's readers, so that a refused file still
shows what it is), the version the toolkit read it as, whether ``validate`` found it readable,
the exit code ``aas validate`` would give, and the findings per rule id. A summary follows.

The point is a before/after figure: today every V1/V2 file is refused (exit 3); once the V2
readers land, the same run shows what the upgrade does to each file.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zipfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import aas
from aas.errors import AasError

_SUFFIXES = (".xml", ".json", ".aasx")
#: What the text of a document names, most specific first.
_MARKS: tuple[tuple[bytes, str], ...] = (
    (b"https://admin-shell.io/aas/3/1", "3.1"),
    (b"https://admin-shell.io/aas/3/0", "3.0"),
    (b"http://www.admin-shell.io/aas/3/0", "3.0-pre-release"),
    (b"admin-shell.io/aas/2/0", "2.0"),
    (b"admin-shell.io/aas/1/0", "1.0"),
)


@dataclass
class Result:
    path: str
    named: str
    read_as: str | None
    readable: bool
    exit_code: int
    seconds: float
    rules: dict[str, int] = field(default_factory=dict)
    first_error: str | None = None


def named_version(path: Path) -> str:
    """The version the file's text names (namespace, or the JSON shape of V2/V1)."""
    try:
        if path.suffix.lower() == ".aasx":
            with zipfile.ZipFile(path) as archive:
                texts = [
                    archive.read(name)[:4096]
                    for name in archive.namelist()
                    if name.lower().endswith((".xml", ".json")) and "aasx/" in name.lower()
                ]
        else:
            texts = [path.read_bytes()[:65536]]
    except (OSError, zipfile.BadZipFile):
        return "unknown"
    for text in texts:
        for mark, version in _MARKS:
            if mark in text:
                return version
        if text.lstrip()[:1] == b"{":
            if b'"identification"' in text or b'"modelType": {' in text or b'"idType"' in text:
                return "2.0-json"
            return "3.x-json"
    return "unknown"


def run_one(path: Path) -> Result:
    started = time.perf_counter()
    first_error: str | None = None
    try:
        aas.load(str(path))
    except AasError as error:
        first_error = str(error).splitlines()[0][:200]
    report = aas.validate(str(path))
    seconds = time.perf_counter() - started
    # The exit code of `aas validate` (--fail-on error): 3 unreadable, 1 an error, else 0.
    if not report.readable:
        code = 3
    elif report.fails(aas.Severity.ERROR):
        code = 1
    else:
        code = 0
    return Result(
        path=str(path),
        named=named_version(path),
        read_as=report.version,
        readable=report.readable,
        exit_code=code,
        seconds=round(seconds, 3),
        rules=dict(sorted(Counter(f.rule for f in report.findings).items())),
        first_error=first_error,
    )


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in _SUFFIXES)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--json", action="store_true", help="one JSON object per file")
    options = parser.parse_args(argv)
    if not options.folder.is_dir():
        print(f"error: {options.folder} is not a folder", file=sys.stderr)
        return 2
    results = [run_one(path) for path in files_under(options.folder)]
    for result in results:
        if options.json:
            print(json.dumps(asdict(result), ensure_ascii=False))
            continue
        shown = Path(result.path).relative_to(options.folder)
        rules = ", ".join(f"{rule} x{n}" for rule, n in result.rules.items()) or "-"
        print(
            f"{shown}: names {result.named}, read as {result.read_as or '-'}, "
            f"readable {'yes' if result.readable else 'no'}, exit {result.exit_code}, "
            f"{result.seconds:.3f} s; findings: {rules}"
        )
        if result.first_error:
            print(f"    load: {result.first_error}")
    codes = Counter(r.exit_code for r in results)
    by_code = ", ".join(f"exit {code}: {n}" for code, n in sorted(codes.items()))
    print(f"{len(results)} file(s); {by_code or 'none'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
