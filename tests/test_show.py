"""``aas show`` and ``aas.show_tree``: a model as a tree.

The tree is checked against what the tests find themselves: the values (and units) of
``aas.values`` on the examples, the element count of aas-core's ``descend()`` on every
published IDTA template, the counts a cut branch says against the whole tree. Colour only on a
terminal (a pseudo-terminal here), never with NO_COLOR; ASCII lines where the output's
encoding has no box-drawing characters.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

import aas
from aas.tree import VALUE_WIDTH
from aas.versions import binding

from conftest import EXAMPLES, assert_clean_failure, corpus, run_cli

EXAMPLE_FILES = sorted(
    [*EXAMPLES.glob("*/*.json"), *EXAMPLES.glob("*/*.xml"), *EXAMPLES.glob("*/*.aasx")]
)
BOX = "\u251c\u2514\u2502\u2500"
BRANCHES = ("\u251c\u2500\u2500 ", "\u2514\u2500\u2500 ")


def shown(*args: str, env: dict[str, str] | None = None) -> str:
    result = run_cli("show", *args) if env is None else _run_with(env, "show", *args)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


def _run_with(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "aas", *args],
        capture_output=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )


def cut(value: str) -> str:
    """A value as the tree shows it: cut at VALUE_WIDTH."""
    if len(value) <= VALUE_WIDTH:
        return value
    return value[: VALUE_WIDTH - 1] + "\u2026"


def level(line: str) -> int:
    """How deep a line of the tree lies (0: the model; 1: shells, submodels, ...)."""
    for branch in (*BRANCHES, "|-- ", "`-- "):
        at = line.find(branch)
        if at >= 0:
            return at // 4 + 1
    return 0


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_the_tree_shows_every_value_with_its_unit(path: Path) -> None:
    text = shown(str(path))
    assert "\x1b" not in text  # not a terminal: no colour
    lines = text.splitlines()
    rows = aas.values(path)
    assert rows
    units = 0
    for row in rows:
        name = row.path.rpartition(".")[2]
        name = name[name.rfind("[") :] if name.endswith("]") else name
        if row.model_type == "Property" and row.value:
            expected = f"{name}  Property  = {cut(row.value)}"
            expected += f"  {row.unit}" if row.unit else ""
        elif row.model_type == "Range" and (row.min or row.max):
            expected = f"{name}  Range  = {row.min or ''}..{row.max or ''}"
            expected += f"  {row.unit}" if row.unit else ""
        elif row.model_type == "MultiLanguageProperty" and row.value:
            expected = f'{row.language} "{cut(row.value)}"'
            mlp = f"{name}  MultiLanguageProperty  "
            assert any(mlp in line and expected in line for line in lines), expected
            continue
        else:
            continue
        units += bool(row.unit)
        assert any(line.endswith(expected) for line in lines), expected
    nameplate = [row for row in rows if row.path == "SerialNumber"]
    assert nameplate and any(f"SerialNumber  Property  = {nameplate[0].value}" in x for x in lines)
    if path.stem in ("motor", "sensor"):
        assert units > 0  # kW, degree Celsius: from the concept descriptions


def test_depth_cuts_the_tree_and_says_how_much_lies_below() -> None:
    path = str(EXAMPLES / "motor" / "motor.json")
    whole = shown(path).splitlines()
    for depth in (0, 1, 2, 3):
        cut = shown(path, "--depth", str(depth)).splitlines()
        assert max(level(line) for line in cut) == depth
        hidden = 0
        for line in cut:
            if line.endswith(" below)"):
                hidden += int(line.rpartition("(")[2].split()[0])
        assert len(cut) + hidden == len(whole)
        # What is shown is the whole tree's lines of those levels, in the same order.
        kept = [line for line in whole if level(line) <= depth]
        assert [line.split("  (")[0] for line in cut] == [line.split("  (")[0] for line in kept]


def test_the_semantic_id_filter_keeps_the_branches_to_the_matches() -> None:
    path = EXAMPLES / "sensor" / "sensor.json"
    rows = aas.values(path)
    serial = next(row for row in rows if row.path == "SerialNumber")
    assert serial.semantic_id is not None
    lines = shown(str(path), "--semantic-id", serial.semantic_id).splitlines()
    assert len(lines) == 3  # the model, the submodel, the element
    assert lines[1].split("  ")[:2] == [f"{BRANCHES[1]}Submodel", "Nameplate"]
    assert lines[2].endswith(f"SerialNumber  Property  = {serial.value}")
    # Repeatable; a collection that matches keeps all it holds.
    model = aas.load(path)
    nested = next(row for row in rows if row.path.count(".") == 2)
    parent = next(e for e in _elements(model) if e.id_short == nested.path.split(".")[1])
    assert parent.semantic_id is not None
    parent_id = parent.semantic_id.keys[0].value
    both = aas.show_tree(model, semantic_ids=[serial.semantic_id, parent_id]).splitlines()
    types = binding(model.version).types
    below_parent = sum(isinstance(node, types.SubmodelElement) for node in parent.descend())
    assert below_parent > 0
    # The model, the submodel, SerialNumber, the collection holding the parent, the parent
    # and every element below it.
    assert len(both) == 5 + below_parent
    assert any(line.endswith(f"SerialNumber  Property  = {serial.value}") for line in both)
    assert any(nested.path.rpartition(".")[2] in line for line in both)
    # An id nothing has: the model alone.
    assert aas.show_tree(model, semantic_ids="urn:nothing").splitlines() == lines[:1]


def _elements(model: aas.Model) -> list[Any]:
    types = binding(model.version).types
    return [
        node
        for node in model.root.descend()  # type: ignore[union-attr]
        if isinstance(node, types.SubmodelElement)
    ]


def test_colour_on_a_terminal_only_and_never_with_no_color() -> None:
    path = str(EXAMPLES / "pump" / "pump.json")
    assert "\x1b[" in shown(path, "--color")
    assert "\x1b[" not in shown(path, "--no-color")
    assert "\x1b[" in _on_terminal(path, {})
    assert "\x1b[" not in _on_terminal(path, {"NO_COLOR": "1"})
    assert "\x1b[" in _on_terminal(path, {"NO_COLOR": ""})  # empty: not set


def _on_terminal(path: str, env: dict[str, str]) -> str:
    leader, follower = pty.openpty()
    environment = {name: value for name, value in os.environ.items() if name != "NO_COLOR"}
    environment.update({"TERM": "xterm", **env})
    process = subprocess.Popen(
        [sys.executable, "-m", "aas", "show", path, "--depth", "1"],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=environment,
    )
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == 0
    return b"".join(chunks).decode()


def test_ascii_lines_where_the_output_cannot_encode_box_drawing() -> None:
    path = str(EXAMPLES / "motor" / "motor.json")
    unicode = shown(path)
    ascii = shown(path, env={"PYTHONIOENCODING": "ascii"})
    assert any(c in unicode for c in BOX) and "\u2192" in unicode
    assert ascii.isascii() and "|-- " in ascii and "`-- " in ascii and "->" in ascii
    assert len(ascii.splitlines()) == len(unicode.splitlines())
    assert "Beispielstra\\xdfe" in ascii  # a value the encoding lacks, escaped


def test_text_from_the_model_stays_on_its_line(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.json"
    element = {
        "modelType": "Property",
        "idShort": "p1",
        "valueType": "xs:string",
        "value": "red\x1b[31m\nsecond line\r\x07" + "x" * 500,
    }
    environment = {
        "submodels": [
            {"modelType": "Submodel", "id": "urn:x\x1b]0;title\x07", "submodelElements": [element]}
        ]
    }
    hostile.write_bytes(orjson.dumps(environment))
    text = shown(str(hostile), "--color")
    lines = text.splitlines()
    assert len(lines) == 3
    assert "\x1b[31m\n" not in text and "\x07" not in text and "\x1b]" not in text
    assert "red [31m second line" in lines[2] and lines[2].count("x") < 100


def test_a_file_of_one_submodel_and_exit_codes(tmp_path: Path) -> None:
    submodel = {
        "modelType": "Submodel",
        "id": "urn:x:sm",
        "idShort": "Only",
        "submodelElements": [
            {"modelType": "Range", "idShort": "r1", "valueType": "xs:int", "min": "1", "max": "5"}
        ],
    }
    single = tmp_path / "submodel.json"
    single.write_bytes(orjson.dumps(submodel))
    lines = shown(str(single), "--aas-version", "3.1").splitlines()
    assert lines[0].split("  ")[1] == "Submodel"
    assert lines[1].split("  ")[:2] == [f"{BRANCHES[1]}Submodel", "Only"]
    assert lines[2].endswith("r1  Range  = 1..5")
    assert_clean_failure(run_cli("show", str(tmp_path / "gone.json")), 3)
    assert_clean_failure(run_cli("show", "-", stdin=b"{"), 3)
    assert_clean_failure(run_cli("show", str(single), "--depth", "-1"), 2)


def test_every_published_template_renders_one_line_per_element() -> None:
    """In one process: each line a shell, its asset and submodel references, a submodel, an
    element (as aas-core's descend() finds them) or a concept description."""
    root = corpus("idta-templates", "published")
    files = sorted(p for p in root.rglob("*") if p.suffix in (".json", ".aasx") and p.is_file())
    rendered = 0
    for path in files:
        try:
            model = aas.load(path, verify=False)
        except aas.ReadError:
            assert "GenericForm" in path.name  # the one file of the set that is no model
            continue
        environment: Any = model.root
        expected = 1 + len(_elements(model)) + len(environment.submodels or ())
        expected += len(environment.concept_descriptions or ())
        for shell in environment.asset_administration_shells or ():
            expected += 2 + len(shell.submodels or ())
        lines = aas.show_tree(model).splitlines()
        assert len(lines) == expected, path
        rendered += 1
    assert rendered == len(files) - 1 > 200
