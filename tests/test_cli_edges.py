"""Loose ends of the command line that integrators meet: folders with gzipped models and
value-only files in them, template checks that check nothing, diff in a chosen version, help
that reads well at 80 columns, --jobs with a Dask cluster."""

from __future__ import annotations

import gzip
import inspect
import itertools
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import orjson
import pytest
import typer
import yaml
from lxml import etree

import aas
from aas import batch
from aas.batch import ConvertOptions, ValidateOptions
from aas.cli.commands import app
from aas.errors import UsageError
from aas.plan import aas_files, plan_conversion, plan_validation

from conftest import EXAMPLES, REPO, assert_clean_failure, run_cli

MOTOR_JSON = EXAMPLES / "motor" / "motor.json"
PUMP_XML = EXAMPLES / "pump" / "pump.xml"


def touch(folder: Path, *names: str) -> Path:
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"")
    return folder


# region gzipped files in folder walks


def test_a_folder_s_gzipped_models_are_walked_and_written_without_gz(tmp_path: Path) -> None:
    folder = touch(tmp_path / "in", "a.json.gz", "sub/b.XML.GZ", "c.gz", "d.txt.gz", "e.json")
    assert [p.name for p in aas_files(folder)] == ["a.json.gz", "e.json", "b.XML.GZ"]
    target = tmp_path / "out"
    jobs = plan_conversion(folder, target, ConvertOptions(to_format="xml"))
    assert [(j.source.name, j.destination.relative_to(target).as_posix()) for j in jobs] == [
        ("a.json.gz", "a.xml"),
        ("e.json", "e.xml"),
        ("b.XML.GZ", "sub/b.xml"),
    ]
    # --from json takes the gzipped JSON too
    picked = plan_validation([str(folder)], ValidateOptions(format="json"))
    assert [Path(job.name).name for job in picked] == ["a.json.gz", "e.json"]


def test_a_model_and_its_gzipped_copy_onto_one_output_are_refused(tmp_path: Path) -> None:
    folder = touch(tmp_path / "in", "m.json", "m.json.gz")
    with pytest.raises(UsageError) as refused:
        plan_conversion(folder, tmp_path / "out", ConvertOptions(to_format="xml"))
    said = str(refused.value)
    assert f"{str(folder / 'm.json')!r} and {str(folder / 'm.json.gz')!r}" in said
    # both are JSON: --from cannot pick one of them, so it is not offered
    assert "--from" not in said and said.endswith("convert them separately")


def test_validate_and_convert_take_a_folder_s_gzipped_models(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "motor.json.gz").write_bytes(gzip.compress(MOTOR_JSON.read_bytes()))
    (folder / "sub" / "pump.xml.gz").write_bytes(gzip.compress(PUMP_XML.read_bytes()))
    checked = run_cli("validate", str(folder), "--output", "json")
    assert checked.returncode == 0, checked.stderr
    reports = orjson.loads(checked.stdout)["reports"]
    assert [(Path(r["source"]).name, r["format"]) for r in reports] == [
        ("motor.json.gz", "json"),
        ("pump.xml.gz", "xml"),
    ]
    out = tmp_path / "out"
    converted = run_cli("convert", str(folder), str(out), "--to", "json")
    assert converted.returncode == 0, converted.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json")) == [
        "motor.json",
        "sub/pump.json",
    ]
    assert "converted 2 of 2 files" in converted.stderr.decode()


def test_a_url_folder_s_gzipped_models_are_walked_too() -> None:
    fsspec = pytest.importorskip("fsspec", reason="the dask extra is not installed")
    fs = fsspec.filesystem("memory")
    for name in ("k5/a.json.gz", "k5/sub/b.xml", "k5/c.valueonly", "k5/d.gz"):
        fs.pipe_file(f"/{name}", b"")
    try:
        left: list[Path | str] = []
        work = plan_conversion(
            "memory://k5", "memory://k5-out", ConvertOptions(to_format="json"), left
        )
        assert [(job.source, job.destination) for job in work] == [
            ("memory://k5/a.json.gz", "memory://k5-out/a.json"),
            ("memory://k5/sub/b.xml", "memory://k5-out/sub/b.json"),
        ]
        assert left == ["memory://k5/c.valueonly"]
    finally:
        fs.rm("/k5", recursive=True)


# endregion
# region value-only files in folder walks


def test_value_only_files_are_passed_over_in_a_walk_unless_asked_for(tmp_path: Path) -> None:
    folder = touch(tmp_path / "in", "m.json", "m.valueonly", "sub/n.valueonly.gz")
    passed: list[str] = []
    jobs = plan_validation([str(folder)], ValidateOptions(), passed)
    assert [Path(job.name).name for job in jobs] == ["m.json"]
    assert [Path(name).name for name in passed] == ["m.valueonly", "n.valueonly.gz"]
    # asked for by --from value: taken (with a template, convert reads them)
    asked = plan_validation([str(folder)], ValidateOptions(format="value"))
    assert [Path(job.name).name for job in asked] == ["m.valueonly", "n.valueonly.gz"]
    left: list[Path | str] = []
    planned = plan_conversion(folder, tmp_path / "out", ConvertOptions(to_format="xml"), left)
    assert [job.source.name for job in planned] == ["m.json"]
    assert [Path(name).name for name in left] == ["m.valueonly", "n.valueonly.gz"]


def test_a_folder_of_value_only_files_alone_says_why_nothing_is_taken(tmp_path: Path) -> None:
    folder = touch(tmp_path / "in", "m.valueonly")
    with pytest.raises(UsageError) as refused:
        plan_validation([str(folder)], ValidateOptions())
    said = str(refused.value)
    assert ".valueonly" not in said.split(")")[0]  # not among the suffixes looked for
    assert "1 file of format value (.valueonly) not taken" in said
    assert "--template" in said


def test_validate_of_a_folder_passes_value_only_files_over_with_one_note(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(MOTOR_JSON, folder / "motor.json")
    values = run_cli("convert", str(MOTOR_JSON), str(folder / "motor.valueonly"), "--to", "value")
    assert values.returncode == 0, values.stderr
    (folder / "pump.valueonly").write_bytes((folder / "motor.valueonly").read_bytes())
    checked = run_cli("validate", str(folder))
    stderr = checked.stderr.decode()
    assert checked.returncode == 0, stderr
    assert "valueonly" not in checked.stdout.decode()
    assert stderr.splitlines() == [
        "aas: note: 2 files of format value (.valueonly) not checked: each is read only with its "
        "submodel template (aas convert FILE OUT --from value --template T)"
    ]
    # a value-only file named is checked as named (and is unreadable without its template)
    named = run_cli("validate", str(folder / "pump.valueonly"))
    assert named.returncode == 3
    out = tmp_path / "out"
    converted = run_cli("convert", str(folder), str(out), "--to", "xml")
    assert converted.returncode == 0, converted.stderr
    assert [p.name for p in out.iterdir()] == ["motor.xml"]
    assert "2 files of format value (.valueonly) not converted" in converted.stderr.decode()
    quiet = run_cli("convert", str(folder), str(tmp_path / "quiet"), "--to", "xml", "-q")
    assert quiet.returncode == 0 and quiet.stderr == b""
    template = run_cli("template", "check", str(folder), "-t", str(NAMEPLATE_TEMPLATE))
    assert template.returncode != 3, template.stderr  # no unreadable value-only file
    assert template.stdout.decode().startswith(f"{folder / 'motor.json'}: ")
    assert template.stderr.decode().startswith("aas: note: 2 files of format value (.valueonly)")
    assert "valueonly" not in template.stdout.decode()


# endregion


def test_the_pre_commit_hooks_take_what_a_folder_walk_takes(tmp_path: Path) -> None:
    names = ["a.json", "b.JSON.GZ", "c.xml.gz", "d.valueonly", "e.gz", "f.txt.gz", "g.json.bak"]
    folder = touch(tmp_path / "in", *names)
    walked = sorted(path.name for path in aas_files(folder))
    for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")):
        pattern = re.compile(hook["files"])
        assert sorted(name for name in names if pattern.search(name)) == walked, hook["id"]


# endregion
# region template check that checks nothing

TEMPLATES = REPO / "tests" / "data" / "templates"
NAMEPLATE_TEMPLATE = TEMPLATES / "nameplate-template.json"


def _unrelated(folder: Path) -> Path:
    """A model of two submodels whose semanticIds no template carries."""
    submodels = [
        {
            "modelType": "Submodel",
            "id": f"urn:example:sm:{number}",
            "semanticId": {
                "type": "ExternalReference",
                "keys": [{"type": "GlobalReference", "value": f"urn:example:kind:{number}"}],
            },
        }
        for number in (1, 2)
    ]
    path = folder / "unrelated.json"
    path.write_bytes(orjson.dumps({"submodels": submodels}))
    return path


def test_a_template_check_that_matched_nothing_is_no_ok(tmp_path: Path) -> None:
    model = _unrelated(tmp_path)
    args = ("template", "check", str(model), "--template", str(NAMEPLATE_TEMPLATE))
    text = run_cli(*args)
    assert text.returncode == 0, text.stderr
    stdout = text.stdout.decode()
    assert stdout.startswith(f"{model}: nothing checked (1 warning; json V3.1)\n"), stdout
    assert (
        "warning: [template:no-match] the template given carries the semanticId of a submodel "
        "here, so nothing was checked (the submodels' semanticIds: urn:example:kind:1, "
        "urn:example:kind:2)"
    ) in stdout
    assert text.stderr == b""  # quiet by default: no line per submodel
    assert run_cli(*args, "--fail-on", "warning").returncode == 1
    report = orjson.loads(run_cli(*args, "--output", "json").stdout)["reports"][0]
    assert [f["rule"] for f in report["findings"]] == ["template:no-match"]
    assert [m["template"] for m in report["templates"]] == [None, None]
    assert (report["ok"], report["verdict"]) == (True, "nothing checked")
    page = run_cli(*args, "--output", "html").stdout.decode()
    assert "1 file, 0 invalid, 0 unreadable, 1 with nothing checked, 1 finding</p>" in page
    verbose = run_cli(*args, "-v").stderr.decode().splitlines()
    assert len(verbose) == 2 and all(": no template (semanticId urn:" in line for line in verbose)
    # a model that met its template is ok, and several files say how many checked nothing
    both = run_cli(*args, str(NAMEPLATE_TEMPLATE))
    assert both.stdout.decode().splitlines()[-1] == (
        "2 files, 0 with errors or unreadable, 1 with nothing checked"
    )
    assert f"{NAMEPLATE_TEMPLATE}: ok (no findings" in both.stdout.decode()


def test_a_template_check_s_junit_suite_is_named_after_it() -> None:
    junit = run_cli(
        "template", "check", str(MOTOR_JSON), "-t", str(NAMEPLATE_TEMPLATE), "--output", "junit"
    )
    root = etree.fromstring(junit.stdout)
    assert root.get("name") == "aas template check"
    assert root.find("testsuite").get("name") == "aas template check"
    assert root.find("testsuite/testcase").get("classname") == "aas.template.check"
    validated = etree.fromstring(run_cli("validate", str(MOTOR_JSON), "--output", "junit").stdout)
    assert validated.get("name") == "aas validate"
    assert validated.find("testsuite/testcase").get("classname") == "aas.validate"


# endregion
# region diff in a chosen version

MOTOR_XML = EXAMPLES / "motor" / "motor.xml"


def test_diff_compares_both_models_in_the_version_asked_for(tmp_path: Path) -> None:
    older = tmp_path / "motor-30.xml"
    assert aas.convert(MOTOR_XML, older, to_version="3.0").target_version == "3.0"
    # by default the newer version: the V3.0 model is carried to V3.1
    default = run_cli("diff", str(MOTOR_JSON), str(older), "--output", "json")
    assert default.returncode == 0, default.stderr
    assert orjson.loads(default.stdout)["version"] == "3.1"
    assert f"aas: note: {older} is V3.0: compared in V3.1" in default.stderr.decode()
    # --aas-version 3.0: the JSON read in V3.0, the V3.0 XML as it is; nothing carried
    in_30 = run_cli("diff", str(MOTOR_JSON), str(older), "--aas-version", "3.0", "--output", "json")
    assert in_30.returncode == 0, in_30.stderr
    assert orjson.loads(in_30.stdout)["version"] == "3.0"
    assert in_30.stderr == b""
    # a V3.1 XML is carried down, and said so
    down = run_cli("diff", str(MOTOR_XML), str(older), "--aas-version", "3.0")
    assert down.returncode == 0, down.stderr
    assert down.stderr.decode().splitlines() == [
        f"aas: note: {MOTOR_XML} is V3.1: compared in V3.0, carried there as "
        "'aas convert --to-version 3.0' carries it",
        f"aas: {MOTOR_XML} and {older} are equal",
    ]
    assert aas.diff(MOTOR_XML, older, version="3.0") == []
    assert_clean_failure(run_cli("diff", str(MOTOR_XML), str(older), "--aas-version", "4.0"), 2)


def test_diff_refuses_a_model_the_version_asked_for_cannot_hold(tmp_path: Path) -> None:
    role = {
        "assetAdministrationShells": [
            {
                "modelType": "AssetAdministrationShell",
                "id": "urn:example:aas:role",
                # AssetKind "Role" is new in V3.1.
                "assetInformation": {"assetKind": "Role", "globalAssetId": "urn:g"},
            }
        ]
    }
    source = tmp_path / "role.json"
    source.write_bytes(orjson.dumps(role))
    first, second = tmp_path / "a.xml", tmp_path / "b.xml"
    aas.convert(source, first)
    aas.convert(source, second)
    assert run_cli("diff", str(first), str(second)).returncode == 0
    refused = run_cli("diff", str(first), str(second), "--aas-version", "3.0")
    stderr = assert_clean_failure(refused, 1)
    assert "cannot carry the model from V3.1 to V3.0" in stderr and "Role" in stderr
    assert refused.stdout == b""  # nothing compared


# endregion
# region help at 80 columns


def _help(*command: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "aas", *command, "--help"],
        capture_output=True,
        env={**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"},
        timeout=120,
        check=True,
    )
    return result.stdout.decode()


def _commands() -> list[tuple[tuple[str, ...], Any]]:
    """Every command of ``aas`` (sub-groups' too), by its words (typer's click commands)."""
    root = typer.main.get_command(app)
    found: list[tuple[tuple[str, ...], Any]] = [((), root)]
    for words, command in found:
        if _is_group(command):
            context = command.context_class(command)
            for name in command.list_commands(context):
                found.append(((*words, name), command.get_command(context, name)))
    return found


def _is_group(command: Any) -> bool:
    return hasattr(command, "list_commands")


def _choices(command: Any) -> set[str]:
    """Each option's choices as a list of them is shown (``text|json``)."""
    found = set()
    for param in command.params:
        descriptor = getattr(param, "type_descriptor", None)  # typer 0.20 and later
        choices = getattr(descriptor, "choices", None) or getattr(
            getattr(param, "type", None), "choices", None
        )
        if choices:
            found.add("|".join(str(getattr(choice, "value", choice)) for choice in choices))
    return found


def _named(words: tuple[str, ...]) -> str:
    return " ".join(("aas", *words))


@pytest.mark.parametrize("words", [words for words, _ in _commands()], ids=_named)
def test_help_reads_well_in_80_columns(words: tuple[str, ...]) -> None:
    command = dict(_commands())[words]
    text = _help(*words)
    # no click range after a metavar (--depth N [x>=0])
    assert not re.search(r"\[x[<>]=?", text), text
    # a list of choices is shown whole or not at all, never cut in two (text|...|htm l)
    for shown in re.findall(r"[a-z][\w-]*(?:\|[\w-]+)+", text):
        assert shown in _choices(command), (shown, text)
    # each command's line in a group's list is its first paragraph, wrapped only where the
    # column is full (not at the line breaks of the source)
    if _is_group(command):
        context = command.context_class(command)
        rows = _listed(text)
        assert set(rows) == set(command.list_commands(context))
        for name, (lines, width) in rows.items():
            sub = command.get_command(context, name)
            first = " ".join(inspect.cleandoc(sub.help or "").split("\n\n")[0].split())
            assert " ".join(lines) == first
            for line, after in itertools.pairwise(lines):
                assert len(line) + 1 + len(after.split()[0]) > width, (name, lines)


def _listed(text: str) -> dict[str, tuple[list[str], int]]:
    """The Commands panel: each command's description lines, and the description's width."""
    panel = text.split("─ Commands ")[1].split("╰")[0].splitlines()[1:]
    rows: dict[str, tuple[list[str], int]] = {}
    current = ""
    for row in panel:
        inner = row[2:-1]  # "│ " ... "│"
        name, _, rest = inner.partition(" ")
        if name:
            current = name
            start = 2 + len(name) + len(rest) - len(rest.lstrip())
            rows[current] = ([], len(row) - 2 - start)
        rows[current][0].append(inner.strip() if not name else rest.strip())
    return rows


# endregion
# region --jobs on an executor: how many calls at once

_busy_lock = threading.Lock()
_busy: list[int] = [0, 0]  # now, most


def _busy_for_a_while(number: int) -> int:
    with _busy_lock:
        _busy[0] += 1
        _busy[1] = max(_busy[1], _busy[0])
    time.sleep(0.02)
    with _busy_lock:
        _busy[0] -= 1
    return number * number


@pytest.mark.parametrize(("in_flight", "per_task"), [(2, 1), (2, 3), (1, 2), (None, 1)])
def test_an_executor_works_on_at_most_in_flight_calls_at_once(
    in_flight: int | None, per_task: int
) -> None:
    _busy[:] = [0, 0]
    told: list[tuple[int, int]] = []
    numbers = list(range(12))
    with ThreadPoolExecutor(6) as threads:
        outcomes = list(
            batch.run(
                _busy_for_a_while,
                numbers,
                progress=lambda *seen: told.append(seen),
                executor=threads,
                per_task=per_task,
                in_flight=in_flight,
            )
        )
    assert [done.value for done in outcomes] == [n * n for n in numbers]  # in input order
    assert told[0] == (0, 12) and told[-1] == (12, 12)
    if in_flight is None:
        assert _busy[1] > 2  # every call given at once: the pool's six threads take them
    else:
        assert _busy[1] == in_flight


def test_jobs_with_a_dask_cluster_gives_what_jobs_1_gives(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b", "c"):
        shutil.copy(MOTOR_JSON, folder / f"{name}.json")
    (folder / "d.json").write_text("{")
    local = run_cli("validate", str(folder), "--output", "json")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", host="127.0.0.1"
    ) as cluster:
        address = cluster.scheduler_address
        for jobs in ("1", "2", "0"):
            on_dask = run_cli(
                "validate", str(folder), "--output", "json",
                "--executor", "dask", "--scheduler", address, "--jobs", jobs,
            )  # fmt: skip
            assert (on_dask.returncode, on_dask.stdout) == (local.returncode, local.stdout), jobs
    assert local.returncode == 3


# endregion
# region small rough edges


def test_a_refusal_of_many_clashes_names_five_and_counts_the_others(tmp_path: Path) -> None:
    """The IDTA templates' folder holds a JSON beside each AASX: 100 clashes in one line of
    names would hide the way out at its end."""
    folder = touch(
        tmp_path / "in", *(f"m{n}.{suffix}" for n in range(8) for suffix in ("json", "aasx"))
    )
    with pytest.raises(UsageError) as refused:
        plan_conversion(folder, tmp_path / "out", ConvertOptions(to_format="xml"))
    said = str(refused.value)
    assert said.count(" -> ") == 5
    assert said.endswith(
        "; and 3 more outputs like these; pick the input format with --from aasx or --from "
        "json, or convert them separately"
    )
