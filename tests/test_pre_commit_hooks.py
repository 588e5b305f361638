"""The pre-commit hooks (``.pre-commit-hooks.yaml``), run as pre-commit runs them, without
pre-commit (which needs the network to build a hook's environment): the hook's ``files`` and
``exclude`` patterns pick the files, and the command line is the hook's entry, then its args,
then the file names, run in the repository with the environment's scripts first on PATH.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from aas.formats import formats
from aas.plan import aas_files

from conftest import EXAMPLES, REPO

HOOKS_FILE = REPO / ".pre-commit-hooks.yaml"
TEMPLATES = Path(__file__).parent / "data" / "templates"
#: pre-commit's defaults for what a hook does not say
DEFAULTS: dict[str, Any] = {"args": [], "exclude": "^$", "types": ["file"], "pass_filenames": True}


def _hooks() -> dict[str, dict[str, Any]]:
    declared = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    return {hook["id"]: {**DEFAULTS, **hook} for hook in declared}


def _picked(hook: dict[str, Any], names: Sequence[str]) -> list[str]:
    """The files pre-commit hands the hook: ``files`` searched, ``exclude`` not (``types``
    is ``[file]``: every regular file)."""
    assert hook["types"] == ["file"]
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])
    return [name for name in names if files.search(name) and not exclude.search(name)]


def _run_hook(
    hook: dict[str, Any], names: Sequence[str], cwd: Path, args: Sequence[str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The hook run on ``names`` as pre-commit runs it: entry, args, the files picked."""
    assert hook["language"] == "python" and hook["pass_filenames"] is True
    scripts = str(Path(sys.executable).parent)  # the environment's scripts come first
    path = scripts + os.pathsep + os.environ.get("PATH", "")
    command = [*shlex.split(hook["entry"]), *(hook["args"] if args is None else args)]
    found = shutil.which(command[0], path=path)
    assert found is not None, f"{command[0]!r} is not installed beside {sys.executable}"
    return subprocess.run(
        [found, *command[1:], *_picked(hook, names)],
        cwd=cwd,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _tracked(folder: Path, below: Path) -> list[str]:
    """Every file below ``folder``, named from ``below`` as git names staged files."""
    return sorted(
        path.relative_to(below).as_posix() for path in folder.rglob("*") if path.is_file()
    )


def test_the_hooks_are_declared() -> None:
    hooks = _hooks()
    assert set(hooks) == {"aas-validate", "aas-template-check"}
    assert hooks["aas-validate"]["entry"] == "aas validate"
    assert hooks["aas-template-check"]["entry"] == "aas template check"


@pytest.mark.parametrize("hook_id", ["aas-validate", "aas-template-check"])
def test_files_pattern_is_the_formats_suffixes(hook_id: str) -> None:
    """The pattern takes every suffix `aas formats` lists but value-only JSON's (nothing can
    be read from it without its template), in any case, and nothing else."""
    pattern = re.compile(_hooks()[hook_id]["files"])
    for fmt in formats():
        for suffix in fmt.suffixes:
            for name in (f"m{suffix}", f"sub/dir/M{suffix.upper()}"):
                assert bool(pattern.search(name)) is (fmt.name != "value"), (fmt.name, name)
    for other in ("make_files.py", "README.md", "files/manual.pdf", "m.json.bak", "json"):
        assert not pattern.search(other)


def test_validate_hook_picks_what_validate_picks_in_a_folder() -> None:
    picked = _picked(_hooks()["aas-validate"], _tracked(EXAMPLES, REPO))
    assert picked == [path.relative_to(REPO).as_posix() for path in aas_files(EXAMPLES)]


def test_validate_hook_passes_on_the_examples() -> None:
    result = _run_hook(_hooks()["aas-validate"], _tracked(EXAMPLES, REPO), REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "6 files, 0 with errors or unreadable" in result.stdout


def _broken_motor(folder: Path) -> Path:
    document = json.loads((EXAMPLES / "motor" / "motor.json").read_text(encoding="utf-8"))
    document["submodels"][0]["idShort"] = "1bad"
    path = folder / "models" / "motor.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def test_validate_hook_fails_on_a_broken_model(tmp_path: Path) -> None:
    _broken_motor(tmp_path)
    shutil.copy(EXAMPLES / "pump" / "pump.xml", tmp_path / "models" / "pump.xml")
    result = _run_hook(_hooks()["aas-validate"], _tracked(tmp_path, tmp_path), tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "models/motor.json: INVALID" in result.stdout
    assert "/submodels/0/idShort: error: [metamodel:pattern]" in result.stdout
    assert "models/pump.xml: ok" in result.stdout
    assert "Traceback" not in result.stderr


def test_validate_hook_on_json_that_is_no_model(tmp_path: Path) -> None:
    """A JSON or XML file that is no AAS model fails as unreadable (exit 3) and says why;
    narrowing the hook's files in the user's configuration leaves it out."""
    shutil.copy(EXAMPLES / "motor" / "motor.json", tmp_path / "motor.json")
    (tmp_path / "package.json").write_text('{"name": "web", "version": "1.0.0"}\n')
    (tmp_path / "pom.xml").write_text("<project><modelVersion>4.0.0</modelVersion></project>\n")
    hook = _hooks()["aas-validate"]
    names = _tracked(tmp_path, tmp_path)
    result = _run_hook(hook, names, tmp_path)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "package.json: UNREADABLE" in result.stdout
    assert "no modelType" in result.stdout
    assert "pom.xml: UNREADABLE" in result.stdout
    assert "[xml:namespace]" in result.stdout
    # the user's configuration: `exclude: ^(package\.json|pom\.xml)$`
    narrowed = {**hook, "exclude": r"^(package\.json|pom\.xml)$"}
    assert _run_hook(narrowed, names, tmp_path).returncode == 0


def test_template_hook(tmp_path: Path) -> None:
    hook = _hooks()["aas-template-check"]
    names = [f"tests/data/templates/{name}" for name in ("nameplate-defects.json",)]
    template = ["--template", "tests/data/templates/nameplate-template.json"]
    failed = _run_hook(hook, names, REPO, args=template)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "error: [template:missing]" in failed.stdout
    # the template conforms to itself
    passed = _run_hook(hook, ["tests/data/templates/nameplate-template.json"], REPO, args=template)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    # without the args that name the templates: a usage error in one line
    bare = _run_hook(hook, names, REPO)
    assert bare.returncode == 2
    assert "--template" in bare.stderr and "Traceback" not in bare.stderr
