"""Inputs and outputs named by fsspec URLs (the ``dask`` extra): ``memory://`` (fsspec's
in-memory filesystem) stands in for an object store such as ``s3://``, and ``file://`` for a
shared filesystem. A URL reads and writes the same bytes as the local path, in the library, in
a batch on any executor and on the command line; an output that fails leaves nothing behind.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from typer.testing import CliRunner

import aas
from aas import batch, cli
from aas.atomic import atomic_output
from aas.batch import ConvertOptions
from aas.plan import plan_conversion
from aas.validation import validate

from conftest import assert_clean_failure, corpus, run_cli

fsspec = pytest.importorskip("fsspec", reason="the dask extra is not installed")

FILES = {
    "v30/submodel.json": "testgen-3.0/Json/ContainedInEnvironment/Expected/Submodel/maximal.json",
    "v30/invalid-reference.xml": (
        "testgen-3.0/Xml/ContainedInEnvironment/Unexpected/Invalid/ConstraintViolation/"
        "reference/first_key_not_in_globally_identifiables.xml"
    ),
    "v31/property.xml": "examples-3.1/xml/generated/property/maximal.xml",
    "v31/submodel.json": "examples-3.1/json/generated/Submodel/maximal.json",
}


@pytest.fixture
def memory() -> Iterator[object]:
    """fsspec's in-memory filesystem, holding the sample below ``memory://in``."""
    fs = fsspec.filesystem("memory")
    for name, source in FILES.items():
        fs.pipe_file(f"/in/{name}", corpus(source).read_bytes())
    yield fs
    fs.rm("/", recursive=True)


@pytest.fixture
def local(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    for name, source in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus(source), folder / name)
    return folder


def test_a_url_converts_to_the_bytes_a_path_does(memory: object, local: Path) -> None:
    fs = fsspec.filesystem("memory")
    result = aas.convert("memory://in/v30/submodel.json", "memory://out/submodel.xml")
    expected = aas.convert(local / "v30" / "submodel.json", local.parent / "submodel.xml")
    assert fs.cat_file("/out/submodel.xml") == (local.parent / "submodel.xml").read_bytes()
    assert (result.source_format, result.target_version) == ("json", expected.target_version)
    assert [(f.rule, f.message) for f in result.findings] == [
        (f.rule, f.message) for f in expected.findings
    ]
    assert {f.location.file for f in result.findings} == {"memory://in/v30/submodel.json"}
    model = aas.load("memory://out/submodel.xml")
    assert model.source == "memory://out/submodel.xml"


def test_a_url_is_validated_as_a_path_is_with_its_own_name(memory: object, local: Path) -> None:
    url = "memory://in/v30/invalid-reference.xml"
    report = validate(url)
    expected = validate(str(local / "v30" / "invalid-reference.xml"))
    assert report.findings
    assert [(f.rule, f.severity, f.location.line) for f in report.findings] == [
        (f.rule, f.severity, f.location.line) for f in expected.findings
    ]
    assert {f.location.file for f in report.findings} == {url}


def test_a_url_folder_on_any_executor_writes_what_a_local_batch_does(
    memory: object, local: Path
) -> None:
    fs = fsspec.filesystem("memory")
    options = ConvertOptions(to_format="xml")
    work = plan_conversion("memory://in", "memory://out", options)
    assert [job.source for job in work] == sorted(f"memory://in/{name}" for name in FILES)
    with ThreadPoolExecutor(2) as threads:
        outcomes = list(batch.convert_files(work, progress=None, executor=threads))
    assert [done.error for done in outcomes] == [None] * len(FILES)
    local_work = plan_conversion(local, local.parent / "out", options)
    assert all(done.error is None for done in batch.convert_files(local_work, 1))
    for name in FILES:
        written = str(Path(name).with_suffix(".xml"))
        assert fs.cat_file(f"/out/{written}") == (local.parent / "out" / written).read_bytes()


def test_an_output_that_fails_leaves_nothing_at_its_url(memory: object) -> None:
    fs = fsspec.filesystem("memory")
    with pytest.raises(RuntimeError), atomic_output("memory://out/half.xml") as stream:
        stream.write(b"<environment>")
        raise RuntimeError("the writer failed half way")
    assert not fs.exists("/out/half.xml")
    with pytest.raises(aas.FindingsError):
        aas.convert(
            "memory://in/v30/invalid-reference.xml", "memory://out/refused.json", strict=True
        )
    assert not fs.exists("/out/refused.json")


def test_the_command_line_takes_url_folders(
    memory: object, local: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In this process, where the in-memory filesystem is."""
    fs = fsspec.filesystem("memory")
    result = CliRunner().invoke(cli.app, ["convert", "memory://in", "memory://out", "--to", "xml"])
    assert result.exit_code == 0, result.stderr
    assert f"converted {len(FILES)} of {len(FILES)} files into memory://out" in result.stderr
    assert sorted(fs.find("/out")) == sorted(
        f"/out/{Path(name).with_suffix('.xml')}" for name in FILES
    )
    monkeypatch.chdir(local.parent)
    on_urls = CliRunner().invoke(cli.app, ["validate", "memory://in", "--output", "json"])
    on_paths = CliRunner().invoke(cli.app, ["validate", "in", "--output", "json"])
    assert on_urls.exit_code == on_paths.exit_code == 1
    assert on_urls.stdout.replace("memory://in/", "in/") == on_paths.stdout


def test_file_urls_are_local_paths(local: Path, tmp_path: Path) -> None:
    """Written as every local path is, through a temporary file renamed into place."""
    url = (tmp_path / "out").as_uri()
    result = run_cli("convert", local.as_uri(), url, "--to", "xml")
    assert result.returncode == 0, result.stderr.decode()
    expected = run_cli("convert", str(local), str(tmp_path / "paths"), "--to", "xml")
    assert expected.returncode == 0
    written = sorted(path.relative_to(tmp_path / "out") for path in (tmp_path / "out").rglob("*"))
    assert written == sorted(
        path.relative_to(tmp_path / "paths") for path in (tmp_path / "paths").rglob("*")
    )
    for name in written:
        if (tmp_path / "out" / name).is_file():
            assert (tmp_path / "out" / name).read_bytes() == (
                tmp_path / "paths" / name
            ).read_bytes()


@pytest.mark.parametrize(
    ("url", "code", "message"),
    [
        ("nope://in.json", 2, "'nope://in.json': no filesystem for this URL"),
        ("memory://nothing.json", 3, "aas: error: memory://nothing.json: no such file"),
    ],
)
def test_a_url_that_cannot_be_read_is_a_clear_error(
    tmp_path: Path, url: str, code: int, message: str
) -> None:
    stderr = assert_clean_failure(run_cli("convert", url, str(tmp_path / "out.xml")), code)
    assert message in stderr
    assert not (tmp_path / "out.xml").exists()
