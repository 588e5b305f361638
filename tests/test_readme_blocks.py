"""The README's code blocks run as written.

Every ```python block is run as a script, and every `aas ...` command of a ```sh or
```console block is run by bash, each in a fresh folder holding a copy of `examples/` (what
the blocks name), so a block that works only in the author's checkout fails here. In a shell
block the steps joined by `&&` that set up the project (`python3 -m venv`, `pip install`) are
the reader's, done once; the test runs the others (`mkdir`, `aas`, `.venv/bin/aas`) with this
environment's `aas`. A block that cannot run offline or quickly carries an HTML comment
`<!-- not run: why -->` on the line above it and is skipped: exactly those, and every other
block must give the test something to run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BIN = Path(sys.executable).parent

_FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w-]*)\s*$")
_NOT_RUN = re.compile(r"^\s*<!-- not run: (?P<why>.+?) -->\s*$")
#: The steps of a shell block the reader does once to set up the project.
_SETUP = re.compile(r"^(python3? -m venv |\S*pip install )")
_RUN = re.compile(r"^(aas |\.venv/bin/aas |mkdir )")


@dataclass(frozen=True)
class Block:
    line: int  # of the opening fence, 1-based
    lang: str
    text: str
    not_run: str | None  # why, when the README says it is not run

    @property
    def id(self) -> str:
        return f"README.md:{self.line}:{self.lang}"


def blocks(text: str) -> list[Block]:
    """The fenced code blocks of ``text``, with the ``not run`` comment above each, if any."""
    found: list[Block] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None or not opening["lang"]:
            if opening is not None:  # a plain fence (a drawing): skip to its end
                index += 1
                while index < len(lines) and not _FENCE.match(lines[index]):
                    index += 1
            index += 1
            continue
        indent = len(opening["indent"])
        body: list[str] = []
        start = index
        index += 1
        while index < len(lines) and lines[index].strip() != "```":
            body.append(lines[index][indent:])
            index += 1
        above = _NOT_RUN.match(lines[start - 1]) if start else None
        found.append(
            Block(start + 1, opening["lang"], "\n".join(body) + "\n", above and above["why"])
        )
        index += 1
    return found


def commands(block: Block) -> list[str]:
    """The commands of a shell block this test runs (see the module's text)."""
    found = []
    for raw in block.text.splitlines():
        line = raw.strip()
        if block.lang == "console":
            if not line.startswith("$ "):
                continue  # output shown in the block
            line = line[2:]
        if not line or line.startswith("#"):
            continue
        for step in (part.strip() for part in line.split("&&")):
            if _SETUP.match(step):
                continue
            if not _RUN.match(step):
                raise AssertionError(f"{block.id}: a step this test cannot run: {step!r}")
            found.append(step.removeprefix(".venv/bin/"))
    return found


ALL = blocks(README.read_text(encoding="utf-8"))
RUN = [
    block for block in ALL if block.not_run is None and block.lang in ("python", "sh", "console")
]


def test_the_readme_has_blocks_that_run_and_blocks_marked_not_run() -> None:
    # The extraction itself: a change of the README's layout must not make every block vanish.
    assert len([b for b in RUN if b.lang == "python"]) >= 2
    assert len([b for b in RUN if b.lang != "python"]) >= 2
    assert any(b.not_run for b in ALL)
    # every block is python, a shell block, a configuration (toml, yaml) or marked not run
    assert {b.lang for b in ALL} <= {"python", "sh", "console", "toml", "yaml"}


def test_the_readme_pre_commit_config_names_the_hooks_the_repository_has() -> None:
    import yaml

    hooks = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    configs = [yaml.safe_load(b.text) for b in ALL if b.lang == "yaml"]
    assert configs, "the README shows a .pre-commit-config.yaml"
    named = {hook["id"] for config in configs for repo in config["repos"] for hook in repo["hooks"]}
    assert named and named <= hooks


def _workspace(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    return tmp_path


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONPATH", None)
    return env


@pytest.mark.parametrize("block", RUN, ids=[block.id for block in RUN])
def test_a_readme_block_runs_as_written(block: Block, tmp_path: Path) -> None:
    folder = _workspace(tmp_path)
    if block.lang == "python":
        script = folder / "block.py"
        script.write_text(block.text, encoding="utf-8")
        ran = subprocess.run(
            [sys.executable, str(script)],
            cwd=folder,
            capture_output=True,
            env=_environment(),
            timeout=120,
        )
    else:
        steps = commands(block)
        assert steps, f"{block.id} runs nothing: mark it <!-- not run: why --> or give a command"
        ran = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", "\n".join(steps)],
            cwd=folder,
            capture_output=True,
            env=_environment(),
            timeout=120,
        )
    assert ran.returncode == 0, (
        f"{block.id} failed ({ran.returncode}):\n{block.text}\n"
        f"stdout:\n{ran.stdout.decode()}\nstderr:\n{ran.stderr.decode()}"
    )
    assert b"Traceback" not in ran.stderr


def test_the_main_job_leaves_the_repository_clean(tmp_path: Path) -> None:
    """The README's first command writes under out/, which .gitignore names (a fresh clone's
    `git status` stays clean after it)."""
    main_job = next(block for block in ALL if block.lang == "sh")
    steps = commands(main_job)
    written = [word for step in steps for word in step.split() if word.endswith(".aasx")]
    assert written and all(word.startswith("out/") for word in written), steps
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/out/" in ignored
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return
    checked = subprocess.run(
        ["git", "check-ignore", "-q", "out/sensor.aasx"], cwd=ROOT, capture_output=True
    )
    assert checked.returncode == 0, "out/sensor.aasx would show in git status"
