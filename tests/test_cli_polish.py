"""The command line a person expects (issue 15): --version, -h, help without type
placeholders, shell completion, counts in the right number, aligned columns, URLs and gzip
inputs, same-stem inputs of a folder, the generators' -h, SARIF URIs, versions as floats."""

from __future__ import annotations

import ast
import gzip
import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote

import pytest
import typer
from typer.testing import CliRunner

import aas
from aas.about import __version__
from aas.cli.commands import app
from aas.errors import ReadError, UsageError
from aas.findings import Finding, Location, Severity
from aas.report import Report, render_sarif
from aas.wording import counted, plural

from conftest import EXAMPLES, REPO, assert_clean_failure, run_cli

AAS = Path(sys.executable).parent / "aas"
MOTOR = EXAMPLES / "motor" / "motor.json"
MOTOR_XML = EXAMPLES / "motor" / "motor.xml"


def _aas(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    ran = subprocess.run(
        [str(AAS), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )
    assert ran.returncode == 0, ran.stderr
    assert "Traceback" not in ran.stderr
    return ran.stdout


def _command_paths() -> list[tuple[str, ...]]:
    """Every command and group of ``aas``, the top included: ("convert",), ("template",
    "check"), ..."""
    found: list[tuple[str, ...]] = [()]

    def walk(command: object, path: tuple[str, ...]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            found.append((*path, name))
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


COMMANDS = _command_paths()


# -- --version, -h, help text


@pytest.mark.parametrize("option", ["--version", "-V"])
def test_version_is_the_installed_distribution_s(option: str) -> None:
    shown = _aas(option).strip()
    assert shown == f"aas {metadata.version('aas-toolkit')}"
    assert shown == f"aas {__version__}"  # one source: pyproject reads aas/about.py


def test_every_command_is_walked() -> None:
    names = {" ".join(path) for path in COMMANDS}
    assert {"", "convert", "validate", "info", "formats", "template", "template check"} <= names


def _help(*args: str) -> str:
    """The help of a command, asked in this process (a run of ``aas`` each is slow)."""
    result = CliRunner().invoke(app, list(args), prog_name="aas", terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) or "aas" for p in COMMANDS])
def test_h_is_help_on_every_command_and_help_has_no_type_placeholders(
    path: tuple[str, ...],
) -> None:
    short = _help(*path, "-h")
    assert short == _help(*path, "--help")
    assert "Usage: aas" in short
    placeholders = re.findall(r"<(?:str|bool|int|float|list\[[^\]]*\]|path|[a-z_|]+)>", short)
    assert placeholders == [], placeholders
    usage = next(line for line in short.splitlines() if "Usage:" in line)
    assert "{" not in usage and "}" not in usage, usage  # typer's {IN} for a required argument


def test_h_is_help_for_a_user_too() -> None:
    assert "Usage: aas convert [OPTIONS] IN OUT" in _aas("convert", "-h")


def test_help_names_what_an_option_takes() -> None:
    text = " ".join(_help("convert", "-h").split())
    # metavars where an option takes a value, choices spelled out, nothing after a flag
    assert re.search(r"--from\s+FORMAT", text)
    assert re.search(r"--aas-version\s+VERSION", text)
    assert "local|dask" in text
    assert re.search(r"--strict\s+Judge", text)
    validate = " ".join(_help("validate", "-h").split())
    assert "text|json|junit|sarif" in validate and "error|warning|info" in validate
    assert "Usage: aas validate [OPTIONS] PATH..." in validate


# -- shell completion


def test_show_completion_prints_a_bash_script() -> None:
    script = _aas("--show-completion", "bash")
    assert "_AAS_COMPLETE=complete_bash" in script
    assert "complete -o default -F _aas_completion aas" in script


def test_completion_completes_commands_and_choices() -> None:
    env = {**os.environ, "_AAS_COMPLETE": "complete_bash"}
    commands = _aas(env={**env, "COMP_WORDS": "aas con", "COMP_CWORD": "1"})
    assert commands.split() == ["convert"]
    choices = _aas(env={**env, "COMP_WORDS": "aas validate --output ", "COMP_CWORD": "3"})
    assert choices.split() == ["text", "json", "junit", "sarif", "html"]


def test_install_completion_writes_into_the_user_s_home(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    said = _aas("--install-completion", "bash", env=env)
    assert "bash completion installed" in said
    script = tmp_path / ".bash_completions" / "aas.sh"
    assert "_aas_completion" in script.read_text()
    assert str(script) in (tmp_path / ".bashrc").read_text()


# -- counts


def test_counts_are_said_in_the_right_number() -> None:
    assert [counted(n, "error") for n in (0, 1, 2)] == ["0 errors", "1 error", "2 errors"]
    assert counted(1, "warning") == "1 warning" and counted(5, "warning") == "5 warnings"
    assert counted(2, "info") == "2 info"
    assert counted(3, "concept description") == "3 concept descriptions"
    assert counted(2, "relationship") == "2 relationships"
    assert plural("is", 2) == "are" and plural("is", 1) == "is"


def test_no_message_counts_with_a_plural_in_brackets() -> None:
    """No text in the code says "file(s)": each count goes through aas.wording."""
    found = []
    for folder in ("aas", "converters"):
        for path in (REPO / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and re.search(r"[a-z]\(s\)", node.value)
                ):
                    found.append(f"{path.relative_to(REPO)}:{node.lineno}: {node.value!r}")
    assert found == []


def test_the_cli_says_one_error_and_one_file(tmp_path: Path) -> None:
    model = json.loads(MOTOR.read_text())
    model["submodels"][0]["idShort"] = "1bad"  # AASd-002: one error
    (tmp_path / "one.json").write_text(json.dumps(model))
    result = run_cli("convert", "one.json", "one.xml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    last = result.stderr.decode().splitlines()[-1]
    assert last.endswith("carried over as they are: 1 error; --strict refuses such a model")
    checked = run_cli("validate", "--output", "text", "one.json", cwd=tmp_path)
    assert checked.stdout.decode().startswith("one.json: INVALID (1 error")


# -- aas formats


def test_formats_columns_line_up() -> None:
    lines = _aas("formats").splitlines()
    assert len(lines) >= 8
    # each column starts where a run of two spaces ends; every line has its columns at the
    # same places (a line without media types has one column less)
    starts = [[m.end() for m in re.finditer(r" {2,}", line)] for line in lines]
    widest = max(starts, key=len)
    assert len(widest) == 3
    for line, found in zip(lines, starts, strict=True):
        assert found == widest[: len(found)], line
    media = [line[widest[2] :] for line in lines if len(line) > widest[2]]
    assert all(cell.startswith("(") and cell.endswith(")") for cell in media)


# -- URLs


@pytest.mark.parametrize(
    "args",
    [
        ("info", "https://example.com/motor.json"),
        ("validate", "http://example.com/motor.json"),
        ("convert", "HTTPS://example.com/motor.json", "motor.xml"),
        ("convert", str(MOTOR), "https://example.com/motor.xml"),
    ],
)
def test_a_web_url_is_refused_as_such(args: tuple[str, ...], tmp_path: Path) -> None:
    result = run_cli(*args, cwd=tmp_path)
    message = assert_clean_failure(result, 2)
    assert "URLs on the web are not read or written" in message
    assert "download the file first" in message
    assert list(tmp_path.iterdir()) == []


def test_a_web_url_is_a_usage_error_in_the_library() -> None:
    with pytest.raises(UsageError, match="download the file first"):
        aas.load("https://example.com/motor.json")


def test_file_urls_still_work(tmp_path: Path) -> None:
    pytest.importorskip("fsspec")
    shown = _aas("info", MOTOR.as_uri())
    assert "format:               json" in shown


# -- gzip


def _gz(path: Path, data: bytes) -> Path:
    path.write_bytes(gzip.compress(data, mtime=0))
    return path


@pytest.mark.parametrize("name", ["motor.json.gz", "motor.xml.gz", "motor-packed"])
def test_gzip_inputs_are_read_as_their_content(name: str, tmp_path: Path) -> None:
    plain = MOTOR_XML if ".xml" in name else MOTOR
    packed = _gz(tmp_path / name, plain.read_bytes())
    model = aas.load(packed)
    assert model.format == ("xml" if ".xml" in name else "json")
    assert aas.dump(model, "json").data == aas.dump(aas.load(plain), "json").data
    report = aas.validate(packed)
    assert report.ok and report.source == str(packed)


def test_gzip_inputs_on_the_command_line(tmp_path: Path) -> None:
    _gz(tmp_path / "motor.xml.gz", MOTOR_XML.read_bytes())
    result = run_cli("validate", "motor.xml.gz", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.decode().startswith("motor.xml.gz: ok")
    converted = run_cli("convert", "motor.xml.gz", "out.json", cwd=tmp_path)
    assert converted.returncode == 0, converted.stderr
    assert (tmp_path / "out.json").read_bytes() == aas.dump(aas.load(MOTOR_XML), "json").data


def test_a_gzip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    _gz(tmp_path / "bomb.json.gz", b" " * 3_000_000)  # 3 MB of blanks in about 3 kB
    result = run_cli("validate", "bomb.json.gz", cwd=tmp_path)
    assert result.returncode == 3
    assert "[input:decompressed-size]" in result.stdout.decode()
    assert "ratio above 200" in result.stdout.decode()
    with pytest.raises(ReadError) as refused:
        aas.load(tmp_path / "bomb.json.gz")
    assert refused.value.rule == "input:decompressed-size"
    # the limit is raised through the environment, as every limit is
    raised = subprocess.run(
        [sys.executable, "-m", "aas", "info", "bomb.json.gz"],
        capture_output=True,
        cwd=tmp_path,
        env={**os.environ, "AAS_MAX_COMPRESSION_RATIO": "5000"},
        timeout=60,
    )
    message = assert_clean_failure(raised, 3)
    assert "decompressed-size" not in message and "gzip" not in message


def test_a_gzip_file_cut_short_is_unreadable_and_no_format_is_suggested(tmp_path: Path) -> None:
    whole = gzip.compress(MOTOR.read_bytes(), mtime=0)
    (tmp_path / "cut.json.gz").write_bytes(whole[: len(whole) // 2])
    message = assert_clean_failure(run_cli("info", "cut.json.gz", cwd=tmp_path), 3)
    assert "the gzip stream is cut short" in message
    assert "--from" not in message


def test_several_gzip_members_are_read_as_one_stream(tmp_path: Path) -> None:
    data = MOTOR.read_bytes()
    half = len(data) // 2
    packed = gzip.compress(data[:half], mtime=0) + gzip.compress(data[half:], mtime=0)
    (tmp_path / "two.json.gz").write_bytes(packed)
    assert (
        aas.dump(aas.load(tmp_path / "two.json.gz"), "json").data
        == aas.dump(aas.load(MOTOR), "json").data
    )


# -- folders with inputs of one stem


def test_a_folder_with_same_stem_inputs_is_refused_naming_them(tmp_path: Path) -> None:
    message = assert_clean_failure(
        run_cli("convert", str(EXAMPLES), "out", "--to", "xml", cwd=tmp_path), 2
    )
    assert f"{str(EXAMPLES / 'motor' / 'motor.json')!r} and " in message
    assert f"{str(EXAMPLES / 'motor' / 'motor.xml')!r}" in message
    assert "--from json or --from xml" in message
    assert not (tmp_path / "out").exists()


def test_from_picks_the_inputs_of_a_folder(tmp_path: Path) -> None:
    result = run_cli("convert", str(EXAMPLES), "out", "--to", "xml", "--from", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = sorted(
        p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.*")
    )
    json_inputs = sorted(p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*.json"))
    assert written == [name.removesuffix(".json") + ".xml" for name in json_inputs]
    assert f"converted {len(json_inputs)} of {len(json_inputs)} files into out" in (
        result.stderr.decode()
    )


# -- the generators


@pytest.mark.parametrize(
    "module",
    [
        "aas.metamodel.schemagen",
        "aas.metamodel.jsonbuild",
        "aas.metamodel.xmlwrite",
        "aas.metamodel.verifyok",
    ],
)
def test_a_generator_answers_h_and_writes_nothing(module: str, tmp_path: Path) -> None:
    ran = subprocess.run(
        [sys.executable, "-m", module, "--help"], capture_output=True, cwd=tmp_path, timeout=120
    )
    assert ran.returncode == 0, ran.stderr
    assert b"usage: python -m " + module.encode() in ran.stdout
    assert b"Traceback" not in ran.stderr
    assert list(tmp_path.iterdir()) == []


def test_schemagen_refuses_an_unknown_option_and_writes_nothing(tmp_path: Path) -> None:
    ran = subprocess.run(
        [sys.executable, "-m", "aas.metamodel.schemagen", "--nope"],
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert ran.returncode == 2
    assert list(tmp_path.iterdir()) == []


# -- SARIF


@pytest.mark.parametrize(
    ("file", "uri"),
    [
        ("examples/motor/motor.json", "examples/motor/motor.json"),
        (
            "idta/IDTA 02006-3-0_Template_Digital Nameplate.json",
            "idta/IDTA%2002006-3-0_Template_Digital%20Nameplate.json",
        ),
        (
            "/data/größe #1.aasx!/aasx/files/a b.pdf",
            "/data/gr%C3%B6%C3%9Fe%20%231.aasx!/aasx/files/a%20b.pdf",
        ),
        ("50%.json", "50%25.json"),
        ("a:b.json", "./a:b.json"),
        ("C:\\models\\m.json", "C:/models/m.json"),
    ],
)
def test_sarif_uris_are_percent_encoded_and_keep_their_kind(file: str, uri: str) -> None:
    finding = Finding(Severity.ERROR, "AASd-002", "bad", Location(file=file, line=3))
    sarif = json.loads(render_sarif([Report(file, [finding])]))
    (result,) = sarif["runs"][0]["results"]
    given = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert given == uri
    assert unquote(given).removeprefix("./") == file.replace("\\", "/")
    assert all(ord(c) < 128 and c not in ' #"<>' for c in given)


def test_sarif_of_a_file_with_a_space_from_the_cli(tmp_path: Path) -> None:
    model = json.loads(MOTOR.read_text())
    model["submodels"][0]["idShort"] = "1bad"
    (tmp_path / "my model #2.json").write_text(json.dumps(model))
    result = run_cli("validate", "--output", "sarif", "my model #2.json", cwd=tmp_path)
    assert result.returncode == 1
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for run in json.loads(result.stdout)["runs"]
        for found in run["results"]
        for location in found["locations"]
    }
    assert uris == {"my%20model%20%232.json"}


# -- versions


@pytest.mark.parametrize(
    ("given", "version"),
    [(3.1, "3.1"), (3.0, "3.0"), ("3.1", "3.1"), ("V3.0", "3.0"), (aas.Version.V3_1, "3.1")],
)
def test_a_version_as_float_string_or_enum(given: object, version: str) -> None:
    model = aas.load(MOTOR, version=given)  # type: ignore[arg-type]
    assert str(model.version) == version
    assert aas.validate(MOTOR, version=given).ok  # type: ignore[arg-type]


@pytest.mark.parametrize("given", [3, True, 3.2, [3.1]])
def test_another_version_is_a_usage_error(given: object) -> None:
    with pytest.raises(UsageError, match="version"):
        aas.load(MOTOR, version=given)  # type: ignore[arg-type]
