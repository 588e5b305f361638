"""Formats plug in through the ``aas.formats`` entry point group, the toolkit's own too.

The third-party formats are distributions written by hand under tests/plugins/ (a package
and its ``*.dist-info`` with ``entry_points.txt``), put on ``sys.path`` by a test or on
PYTHONPATH for the command line: nothing is installed, nothing is fetched.

- demo/: the format "demo", the toolkit's AAS JSON after a first line ``AAS-DEMO 1``
- clash/: formats that claim the name "json" and the suffix ".xml"
- broken/: entry points that do not import, name no format, name it wrongly, name a
  reader that is missing, or whose sniff raises
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import aas
import aas.formats
from aas.batch import ValidateOptions
from aas.formats import GROUP, by_media_type, by_name, by_suffix, formats, names, sniff
from aas.plan import plan_validation

from conftest import EXAMPLES

PLUGINS = Path(__file__).resolve().parent / "plugins"
DEMO, CLASH, BROKEN = PLUGINS / "demo", PLUGINS / "clash", PLUGINS / "broken"
MOTOR = EXAMPLES / "motor" / "motor.json"
MAGIC = b"AAS-DEMO 1\n"
BUILT_IN = ["json", "xml", "aasx", "turtle", "ntriples", "jsonld", "rdfxml", "value"]


@pytest.fixture
def plugins(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Put plugin folders on sys.path and have the registry read the entry points again;
    after the test, the next call reads them without the folders."""

    def use(*folders: Path) -> None:
        for folder in folders:
            monkeypatch.syspath_prepend(str(folder))
        aas.formats.reload()

    yield use
    aas.formats.reload()


def run_aas(
    *args: str, path: tuple[Path, ...], cwd: Path, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """``aas`` in a new process with the plugin folders ``path`` on PYTHONPATH."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(str(folder) for folder in path))
    return subprocess.run(
        [sys.executable, "-m", "aas", *args],
        input=stdin,
        env=env,
        cwd=cwd,
        capture_output=True,
        timeout=120,
        check=False,
    )


def warnings_of(result: subprocess.CompletedProcess[bytes]) -> list[str]:
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr, stderr
    return [line for line in stderr.splitlines() if line.startswith("aas: warning:")]


# --- the registry -------------------------------------------------------------------------


def test_the_builtin_formats_are_the_toolkits_entry_points() -> None:
    installed = {
        entry.name: entry.value
        for entry in importlib.metadata.entry_points(group=GROUP)
        if entry.dist is not None and entry.dist.name == "aas-toolkit"
    }
    assert [fmt.name for fmt in formats()] == BUILT_IN
    assert sorted(installed) == sorted(BUILT_IN)
    for fmt in formats():
        # the declaration lives beside its format, apart from the reader and writer
        declaring_module = installed[fmt.name].partition(":")[0]
        assert declaring_module.startswith("aas.converters.")
        assert fmt.module.partition(":")[0] == declaring_module + ".format"


def test_the_registry_finds_the_entry_points_importlib_metadata_finds(
    plugins: Callable[..., None],
) -> None:
    plugins(DEMO, CLASH, BROKEN)
    ours = {(entry.name, entry.value) for entry in aas.formats._entry_points(GROUP)}
    theirs = {(entry.name, entry.value) for entry in importlib.metadata.entry_points(group=GROUP)}
    assert ours == theirs
    assert ("demo", "aas_demo_format:FORMAT") in ours


def test_finding_formats_imports_no_reader_or_writer(tmp_path: Path) -> None:
    script = (
        "import sys, aas.formats as f\n"
        "names = f.names(); f.by_suffix('m.demo'); f.sniff(b'AAS-DEMO 1\\n{}')\n"
        "print(' '.join(names))\n"
        "print(' '.join(sorted(sys.modules)))\n"
        "f.by_name('demo').codec\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(DEMO))
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=tmp_path, capture_output=True, check=True
    )
    listed, before, after = (line.split() for line in result.stdout.decode().splitlines())
    assert listed == [*BUILT_IN, "demo"]
    loaded = set(before)
    assert {"aas.converters.json", "aas.converters.rdf", "aas_demo_format"} <= loaded
    heavy = {"aas_demo_format.codec", "lxml", "pyoxigraph", "rdflib", "importlib.metadata"}
    assert not heavy & loaded
    assert not [name for name in loaded if name.endswith(".format")]
    assert "aas_demo_format.codec" in after


def test_builtin_sniffs_each_claim_their_own_content() -> None:
    # Built-in formats are asked in their listing order, so no two may claim one document.
    heads = {
        b"PK\x03\x04rest-of-a-zip": "aasx",
        b'\xef\xbb\xbf {"submodels": []}': "json",
        b'{"@context": {}, "@graph": []}': "jsonld",
        b'[{"@id": "x"}]': "jsonld",
        b"@prefix aas: <https://admin-shell.io/aas/3/1/> .": "turtle",
        b"<urn:x:a> <urn:x:b> <urn:x:c> .\n": "turtle",
        b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x">': "rdfxml",
        b'<?xml version="1.0"?>\n<environment xmlns="x"/>': "xml",
    }
    for head, expected in heads.items():
        claimed = [fmt.name for fmt in formats() if fmt.sniff is not None and fmt.sniff(head)]
        assert claimed == [expected], head
    assert sniff(b"hello, world") is None


def test_media_types_and_aliases_name_formats(plugins: Callable[..., None]) -> None:
    plugins(DEMO)
    assert by_media_type("application/x-aas-demo; charset=utf-8") is by_name("demo")
    assert by_name("aas-demo") is by_name("DEMO")
    assert by_name("Text/Turtle").name == "turtle"
    assert by_media_type("text/xml") is by_name("xml")
    assert by_media_type("application/yaml") is None


# --- the demo format, from Python ---------------------------------------------------------


def test_the_python_api_reads_and_writes_a_plugin_format(
    plugins: Callable[..., None], tmp_path: Path
) -> None:
    plugins(DEMO)
    model = aas.load(MOTOR)
    target = tmp_path / "motor.demo"
    assert aas.save(model, target).findings == []
    assert target.read_bytes().startswith(MAGIC)

    again = aas.load(target)
    assert again.format == "demo"
    assert aas.dump(again, "json").data == aas.dump(model, "json").data
    assert aas.load(target.read_bytes()).format == "demo"  # told by content

    aas.formats.reload()  # what the demo distribution's folder leaves is no format anymore
    sys.path.remove(str(DEMO))
    with pytest.raises(aas.FormatDetectionError, match=r"'\.demo' names no known format"):
        aas.load(target)


def test_what_a_plugin_reader_finds_points_into_its_document(
    plugins: Callable[..., None], tmp_path: Path
) -> None:
    plugins(DEMO)
    bad = tmp_path / "bad.json"
    bad.write_bytes(
        MOTOR.read_bytes().replace(
            b'"idShort": "MotorM1000"', b'"idShort": "M", "idShort": "MotorM1000", "colour": "red"'
        )
    )
    demo = tmp_path / "bad.demo"
    demo.write_bytes(MAGIC + bad.read_bytes())
    read = ("json:duplicate-key", "model:unexpected-property")  # what the JSON reader finds
    from_json = [f for f in aas.load(bad).findings if f.rule in read]
    from_demo = [f for f in aas.load(demo).findings if f.rule in read]
    assert [f.rule for f in from_json] == list(read)
    assert [(f.rule, f.location.pointer, f.location.column) for f in from_demo] == [
        (f.rule, f.location.pointer, f.location.column) for f in from_json
    ]
    assert [f.location.line for f in from_demo] == [
        f.location.line + 1 for f in from_json if f.location.line is not None
    ]
    assert {f.location.file for f in from_demo} == {str(demo)}


def test_validate_checks_a_plugin_format(plugins: Callable[..., None], tmp_path: Path) -> None:
    plugins(DEMO)
    target = tmp_path / "motor.demo"
    aas.save(aas.load(MOTOR), target)
    report = aas.validate(target)
    assert report.format == "demo"
    assert not report.fails(aas.Severity.ERROR)


def test_validate_picks_a_folder_s_plugin_files_by_the_registry(
    plugins: Callable[..., None], tmp_path: Path
) -> None:
    plugins(DEMO)
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.demo", "b.json", "notes.txt"):
        (folder / name).write_bytes(b"")
    every = plan_validation([str(folder)], ValidateOptions())
    assert [job.name for job in every] == [str(folder / "a.demo"), str(folder / "b.json")]
    # --from names the format as any option does: its name, an alias, a suffix, a media type
    for given in ("demo", "AAS-Demo", ".demo", "application/x-aas-demo"):
        picked = plan_validation([str(folder)], ValidateOptions(format=given))
        assert [job.name for job in picked] == [str(folder / "a.demo")], given
    # a folder without any says which suffixes were looked for, the plugin's too
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_bytes(b"")
    with pytest.raises(aas.UsageError) as nothing:
        plan_validation([str(empty)], ValidateOptions())
    assert str(nothing.value).startswith("no AAS files (.json, .xml, .aasx, ")
    assert str(nothing.value).endswith(", .demo) in the given folders")
    with pytest.raises(aas.UsageError) as no_demo:
        plan_validation([str(empty)], ValidateOptions(format="aas-demo"))
    assert str(no_demo.value) == "no demo files (.demo) in the given folders"


# --- the demo format, on the command line -------------------------------------------------


def test_aas_formats_lists_a_plugin_after_the_builtin_ones(tmp_path: Path) -> None:
    without = run_aas("formats", path=(), cwd=tmp_path)
    result = run_aas("formats", path=(DEMO,), cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr == b""
    lines = result.stdout.decode().splitlines()
    assert [line.split()[0] for line in lines] == [*BUILT_IN, "demo"]
    assert lines[-1].split()[:2] == ["demo", ".demo"]
    assert lines[-1].endswith("(application/x-aas-demo)")
    # the built-in lines say what they said; the columns widen to the plugin's description,
    # so that the media types still start at one place in every line
    assert [line.split() for line in lines[:-1]] == [
        line.split() for line in without.stdout.decode().splitlines()
    ]
    assert len({line.index("(application/") for line in lines if "(application/" in line}) == 1


def test_convert_to_a_plugin_format_and_back(tmp_path: Path) -> None:
    out = run_aas("convert", str(MOTOR), "motor.demo", "--to", "demo", path=(DEMO,), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    written = (tmp_path / "motor.demo").read_bytes()
    assert written.startswith(MAGIC)

    back = run_aas("convert", "motor.demo", "back.json", path=(DEMO,), cwd=tmp_path)
    assert back.returncode == 0, back.stderr
    assert "(demo, V3.1) -> back.json (json, V3.1)" in back.stderr.decode()
    assert (tmp_path / "back.json").read_bytes() == aas.dump(aas.load(MOTOR), "json").data

    # told by content (standard input, a suffix no format has) and named by media type
    piped = run_aas("convert", "-", "piped.xml", path=(DEMO,), cwd=tmp_path, stdin=written)
    assert piped.returncode == 0, piped.stderr
    (tmp_path / "motor.data").write_bytes(written)
    by_type = run_aas(
        "convert", "motor.data", "typed.json", "--from", "application/x-aas-demo",
        path=(DEMO,), cwd=tmp_path,
    )  # fmt: skip
    assert by_type.returncode == 0, by_type.stderr
    assert (tmp_path / "typed.json").read_bytes() == (tmp_path / "back.json").read_bytes()


def test_aas_validate_checks_a_plugin_format(tmp_path: Path) -> None:
    (tmp_path / "motor.demo").write_bytes(MAGIC + aas.dump(aas.load(MOTOR), "json").data)
    result = run_aas("validate", "motor.demo", path=(DEMO,), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "motor.demo: ok" in result.stdout.decode()


def test_aas_validate_checks_a_folder_s_plugin_files_picked_by_an_alias(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "motor.demo").write_bytes(MAGIC + aas.dump(aas.load(MOTOR), "json").data)
    (folder / "motor.json").write_bytes(MOTOR.read_bytes())
    result = run_aas("validate", "in", "--from", "aas-demo", path=(DEMO,), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    reported = [line for line in result.stdout.decode().splitlines() if not line[:1].isspace()]
    assert [line.partition(": ")[::2] for line in reported] == [
        ("in/motor.demo", "ok (1 info; demo V3.1)")
    ]
    both = run_aas("validate", "in", path=(DEMO,), cwd=tmp_path)
    assert both.returncode == 0, both.stderr
    assert "2 files, 0 with errors or unreadable" in both.stdout.decode()


# --- what the registry refuses ------------------------------------------------------------


def test_a_format_that_claims_a_builtin_name_or_suffix_is_refused(
    plugins: Callable[..., None], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="aas.formats")
    plugins(CLASH)
    assert names() == BUILT_IN
    assert by_name("json").module == "aas.converters.json.format"
    found = by_suffix("model.xml")
    assert found is not None and found.name == "xml"
    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        "aas: warning: the format 'json' of aas-clash-format 0.2 is refused: its name 'json' "
        "is taken by the format 'json' of aas-toolkit 0.1.0",
        "aas: warning: the format 'myxml' of aas-clash-format 0.2 is refused: its suffix "
        "'.xml' is taken by the format 'xml' of aas-toolkit 0.1.0",
    ]


def test_aas_formats_says_a_clash_and_goes_on(tmp_path: Path) -> None:
    result = run_aas("formats", path=(CLASH,), cwd=tmp_path)
    assert result.returncode == 0
    assert [line.split()[0] for line in result.stdout.decode().splitlines()] == BUILT_IN
    said = warnings_of(result)
    assert len(said) == 2
    assert all("aas-clash-format 0.2" in line and "aas-toolkit 0.1.0" in line for line in said)


def test_a_batch_says_a_clash_once_not_once_per_worker(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    for name in ("a.json", "b.json", "c.json"):
        (tmp_path / "in" / name).write_bytes(MOTOR.read_bytes())
    result = run_aas(
        "convert", "in", "out", "--to", "xml", "--jobs", "2", path=(CLASH,), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "out").glob("*.xml"))) == 3
    assert len(warnings_of(result)) == 2


def test_broken_entry_points_are_warnings_and_the_other_formats_work(tmp_path: Path) -> None:
    listed = run_aas("formats", path=(BROKEN, DEMO), cwd=tmp_path)
    assert listed.returncode == 0
    shown = [line.split()[0] for line in listed.stdout.decode().splitlines()]
    assert shown == [*BUILT_IN, "badsniff", "nocodec", "demo"]
    said = warnings_of(listed)
    assert said == [
        "aas: warning: the format entry point 'broken = aas_broken_format:FORMAT' of "
        "aas-broken-formats 0.3 cannot be loaded and is left out (ModuleNotFoundError: No "
        "module named 'aas_no_such_dependency')",
        "aas: warning: the format entry point 'dictionary = aas_odd_formats:NOT_A_FORMAT' of "
        "aas-broken-formats 0.3 is left out: it names a dict, not an aas.formats.Format",
        "aas: warning: the format entry point 'misnamed = aas_odd_formats:OTHER_NAME' of "
        "aas-broken-formats 0.3 is left out: it declares the format 'other'; the entry point "
        "must have its name",
    ]

    converted = run_aas("convert", str(MOTOR), "m.demo", path=(BROKEN, DEMO), cwd=tmp_path)
    assert converted.returncode == 0, converted.stderr
    assert warnings_of(converted) == said
    assert (tmp_path / "m.demo").read_bytes().startswith(MAGIC)

    # a declaration whose reader and writer are missing fails when used, in one line
    missing = run_aas("convert", str(MOTOR), "m.nocodec", path=(BROKEN,), cwd=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr.decode().splitlines()[-1] == (
        "aas: error: the format 'nocodec' (of aas-broken-formats 0.3) cannot be used: its "
        "reader and writer 'aas_no_such_codec' do not load (ModuleNotFoundError: No module "
        "named 'aas_no_such_codec')"
    )
    assert not (tmp_path / "m.nocodec").exists()


def test_a_sniff_that_raises_is_said_once_and_not_asked_again(
    plugins: Callable[..., None], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="aas.formats")
    plugins(BROKEN)
    assert "badsniff" in names()
    caplog.clear()  # what loading the broken distribution said
    assert sniff(b"hello, world") is None
    assert sniff(b"hello again") is None
    assert [record.getMessage() for record in caplog.records] == [
        "aas: warning: the format 'badsniff' (of aas-broken-formats 0.3) failed to look at "
        "content and is not asked again (ValueError: this sniff has a bug)"
    ]
    assert sniff(b'{"submodels": []}') is by_name("json")  # the built-ins are asked first


def test_without_the_toolkits_entry_points_no_format_is_usable(
    plugins: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    # An installation from before the entry points: only the demo distribution is found.
    monkeypatch.setattr(sys, "path", [str(DEMO)])
    plugins()
    with pytest.raises(aas.AasError, match=r"no formats are registered.*pip install -e \."):
        by_name("json")
    assert names() == []  # the help texts that list them still show
