"""What the code generators share (``jsonbuild``, ``xmlwrite``): where a generated module
lives, how its table is loaded, and the command that writes or shows the modules."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aas.versions import Version, parse_version

GENERATED = Path(__file__).parent / "generated"


def module_name(stem: str, version: Version) -> str:
    """``json_build_3_0`` for the stem ``json_build`` and V3.0."""
    return f"{stem}_{version.value.replace('.', '_')}"


def module_path(stem: str, version: Version) -> Path:
    return GENERATED / f"{module_name(stem, version)}.py"


def table(stem: str, version: Version, name: str) -> Any:
    """The table ``name`` of the generated module (imported on first use). Untyped: the
    generated modules are not type-checked, and the caller names the table's type."""
    return getattr(
        importlib.import_module(f"aas.metamodel.generated.{module_name(stem, version)}"), name
    )


def main(argv: list[str], stem: str, source: Callable[[Version], str], command: str) -> int:
    """``--write``: (re)write the modules of every version; ``VERSION``: print one;
    ``VERSION CLASS...``: print the functions generated for those classes."""
    if argv == ["--write"]:
        for version in Version:
            module_path(stem, version).write_text(source(version), encoding="utf-8")
            print(f"wrote {module_path(stem, version)}")
        return 0
    if not argv:
        print(f"usage: python -m {command} --write | VERSION [CLASS...]", file=sys.stderr)
        return 2
    text = source(parse_version(argv[0]))
    if len(argv) == 1:
        print(text, end="")
        return 0
    names = "|".join(re.escape(name) for name in argv[1:])
    for block in text.split("\n\n\n"):
        if re.match(rf"def \w+?_({names})\(", block):
            print(block.strip() + "\n")
    return 0
