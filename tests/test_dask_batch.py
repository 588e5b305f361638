"""Batches on any ``concurrent.futures.Executor``, and on a Dask cluster (``--executor dask``).

A local Dask cluster of two worker processes is started here (its workers in the folder the
tests run in, the commands in another, so relative names must still name the same files). On
it, ``convert`` and ``validate`` print and write, byte for byte, what ``--jobs 1`` does; a file
whose workers die, or a cluster without workers, ends as a lost file with a clear message,
never a hang. Nothing here measures time.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
from typer.testing import CliRunner

from aas import batch, cli
from aas.errors import ClusterError

from conftest import assert_clean_failure, corpus, large_model, run_cli

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
dask = pytest.importorskip("dask")

from aas.cluster import dask_executor  # noqa: E402  (after the extra is known to be there)

T = TypeVar("T")

FILES = {
    "v30/submodel.json": "testgen-3.0/Json/ContainedInEnvironment/Expected/Submodel/maximal.json",
    "v30/shell.xml": (
        "testgen-3.0/Xml/ContainedInEnvironment/Expected/assetAdministrationShell/maximal.xml"
    ),
    "v30/invalid-reference.xml": (
        "testgen-3.0/Xml/ContainedInEnvironment/Unexpected/Invalid/ConstraintViolation/"
        "reference/first_key_not_in_globally_identifiables.xml"
    ),
    "v30/no-id.json": (
        "testgen-3.0/Json/ContainedInEnvironment/Unexpected/Unserializable/RequiredViolation/"
        "AssetAdministrationShell/id.json"
    ),
    "v31/submodel.json": "examples-3.1/json/generated/Submodel/maximal.json",
    "v31/property.xml": "examples-3.1/xml/generated/property/maximal.xml",
    "v31/explodes.json": "examples-3.1/json/generated/Property/maximal.json",
}
BROKEN = "broken.json"  # not well-formed


def within(seconds: float, call: Callable[[], T]) -> T:
    """``call()``, failing the test (instead of hanging it) when it takes longer."""
    outcome: list[Any] = []

    def target() -> None:
        try:
            outcome.append(("value", call()))
        except BaseException as error:
            outcome.append(("error", error))

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"still waiting after {seconds} s: a hang"
    kind, value = outcome[0]
    if kind == "error":
        raise value
    result: T = value
    return result


def local_cluster() -> Any:
    """Two worker processes of one thread each. A file is given up once it has killed two
    workers (Dask's default is four), which keeps the test of that short. Each worker is sent
    one file at a time (Dask's default sends two to a one-thread worker): Dask counts a
    worker's death against every file it held, so that a file waiting behind one that kills
    its workers would be given up with it."""
    settings = {
        "distributed.scheduler.allowed-failures": 1,
        "distributed.scheduler.worker-saturation": 1.0,
    }
    with dask.config.set(settings):
        return distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            host="127.0.0.1",
        )


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with local_cluster() as local:
        yield local


@pytest.fixture
def fragile() -> Iterator[Any]:
    """A cluster of its own for a test that kills workers (the nannies start new ones, and
    the next test should not wait for them)."""
    with local_cluster() as local:
        yield local


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dask") / "in"
    for name, source in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus(source), folder / name)
    (folder / BROKEN).write_bytes(corpus(FILES["v31/submodel.json"]).read_bytes()[:300])
    return folder


def files_in(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def same_run(
    result: subprocess.CompletedProcess[bytes], expected: subprocess.CompletedProcess[bytes]
) -> None:
    assert "Traceback" not in result.stderr.decode(), result.stderr.decode()
    assert result.stderr.decode() == expected.stderr.decode()
    assert result.stdout.decode() == expected.stdout.decode()
    assert result.returncode == expected.returncode


# region the same bytes as --jobs 1


def test_a_convert_on_dask_prints_and_writes_what_jobs_1_does(
    cluster: Any, sample: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Relative names, in a folder that is not the workers' own."""
    runs = {}
    for how in ("jobs", "dask"):
        cwd = tmp_path_factory.mktemp(how)
        shutil.copytree(sample, cwd / "in")
        options = ["-j", "1"] if how == "jobs" else ["--executor", "dask"]
        if how == "dask":
            options += ["--scheduler", cluster.scheduler_address]
        result = run_cli("convert", "in", "out", "--to", "xml", *options, cwd=cwd)
        runs[how] = (result, files_in(cwd / "out"))
    (expected, expected_files), (result, written) = runs["jobs"], runs["dask"]
    same_run(result, expected)
    assert expected.returncode == 3, expected.stderr.decode()  # the broken file decides
    assert f"converted {len(FILES) - 1} of {len(FILES) + 1} files into out" in (
        result.stderr.decode()
    )
    assert written == expected_files
    assert len(written) == len(FILES) - 1


@pytest.mark.parametrize("output", ["text", "json"])
def test_a_validate_on_dask_reports_what_jobs_1_does(
    cluster: Any, sample: Path, output: str
) -> None:
    """Standard input too: read by the command, sent with the file's job."""
    stdin = (sample / "v30" / "invalid-reference.xml").read_bytes()
    runs = [
        run_cli("validate", "in", "-", "--output", output, *how, stdin=stdin, cwd=sample.parent)
        for how in (["-j", "1"], ["--executor", "dask", "--scheduler", cluster.scheduler_address])
    ]
    same_run(runs[1], runs[0])
    assert runs[0].returncode == 3
    assert "in/v30/no-id.json" in runs[0].stdout.decode()


def test_file_urls_on_dask_give_what_jobs_1_gives(
    cluster: Any, sample: Path, tmp_path: Path
) -> None:
    """Each worker reads and writes the URLs itself (a filesystem the workers share)."""
    runs = {}
    for how in ("jobs", "dask"):
        out = (tmp_path / "out").as_uri()
        options = ["-j", "1"] if how == "jobs" else ["--executor", "dask"]
        if how == "dask":
            options += ["--scheduler", cluster.scheduler_address]
        shutil.rmtree(tmp_path / "out", ignore_errors=True)
        result = run_cli("convert", sample.as_uri(), out, "--to", "json", *options)
        runs[how] = (result, files_in(tmp_path / "out"))
    (expected, expected_files), (result, written) = runs["jobs"], runs["dask"]
    same_run(result, expected)
    assert written == expected_files
    assert len(written) == len(FILES) - 1
    assert f"aas: error: {sample.as_uri()}/{BROKEN}:" in result.stderr.decode()


def _square(number: int) -> int:
    return number * number


def test_any_executor_runs_a_batch_in_input_order(cluster: Any) -> None:
    numbers = list(range(12))
    expected = [n * n for n in numbers]
    with ThreadPoolExecutor(3) as threads:
        assert [done.value for done in batch.run(_square, numbers, executor=threads)] == expected
    with dask_executor(cluster.scheduler_address) as on_dask:
        assert [done.value for done in batch.run(_square, numbers, executor=on_dask)] == expected


def test_equal_jobs_are_each_worked_on(cluster: Any, tmp_path: Path) -> None:
    """Dask runs equal calls once unless told they are not pure: two equal jobs are two
    files (a file converted twice, to two places, the second after the first changed)."""
    counts = tmp_path / "counts"
    counts.mkdir()
    with dask_executor(cluster.scheduler_address) as on_dask:
        outcomes = list(batch.run(_count, [str(counts)] * 3, executor=on_dask))
    assert [done.value for done in outcomes] == [None] * 3
    assert len(list(counts.iterdir())) == 3


def _count(folder: str) -> None:
    (Path(folder) / f"{os.getpid()}-{time.monotonic_ns()}").touch()


# endregion
# region workers lost, clusters unreachable: an error, never a hang


def _kill_the_worker_at_two(number: int) -> int:
    if number == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return number


def test_a_file_that_kills_its_workers_is_lost_and_the_others_are_done(fragile: Any) -> None:
    def go() -> list[batch.Done]:
        with dask_executor(fragile.scheduler_address) as on_dask:
            return list(batch.run(_kill_the_worker_at_two, list(range(6)), executor=on_dask))

    outcomes = within(240, go)
    assert [done.value for done in outcomes] == [0, 1, None, 3, 4, 5]
    assert outcomes[2].lost
    assert outcomes[2].why_lost.startswith("every Dask worker that ran it died")


def test_a_lost_call_of_several_files_loses_only_the_file_that_kills_its_workers(
    fragile: Any,
) -> None:
    """Three files a call: the call with the file is lost, its files are sent again one by
    one, and only that file is lost."""

    def go() -> list[batch.Done]:
        with dask_executor(fragile.scheduler_address) as on_dask:
            numbers = list(range(7))
            return list(batch.run(_kill_the_worker_at_two, numbers, executor=on_dask, per_task=3))

    outcomes = within(240, go)
    assert [done.value for done in outcomes] == [0, 1, None, 3, 4, 5, 6]
    assert [done.lost for done in outcomes] == [False, False, True, False, False, False, False]


def test_files_per_call() -> None:
    assert batch.files_per_task(1000, 2) == 16  # at most 16
    assert batch.files_per_task(40, 2) == 5  # four calls or more a worker thread
    assert batch.files_per_task(3, 8) == 1


def _slow(number: int) -> int:
    time.sleep(0.2)
    return number


def test_a_worker_killed_during_a_batch_has_its_files_done_by_the_others(fragile: Any) -> None:
    """Dask runs the files of a lost worker again elsewhere: the batch is whole."""
    with dask_executor(fragile.scheduler_address) as on_dask:
        client = on_dask._client  # type: ignore[attr-defined]
        pids = client.run(os.getpid)

        def go() -> list[batch.Done]:
            outcomes = batch.run(_slow, list(range(12)), executor=on_dask)
            first = next(outcomes)
            os.kill(sorted(pids.values())[0], signal.SIGKILL)
            return [first, *outcomes]

        outcomes = within(240, go)
    assert [done.value for done in outcomes] == list(range(12))


def test_a_cluster_without_workers_ends_the_batch_after_the_timeout() -> None:
    with distributed.LocalCluster(
        n_workers=0, processes=True, dashboard_address=":0", host="127.0.0.1"
    ) as empty:

        def go() -> list[batch.Done]:
            with dask_executor(empty.scheduler_address, no_worker_timeout=2) as on_dask:
                return list(batch.run(_square, [1, 2, 3], executor=on_dask))

        outcomes = within(120, go)
    assert all(done.lost for done in outcomes)
    assert outcomes[0].why_lost == (
        "the Dask cluster had no worker for 2 s, which stopped the batch"
    )


def test_an_address_without_a_scheduler_is_a_cluster_error() -> None:
    expected = "cannot reach the Dask scheduler at 'tcp://127.0.0.1:9'"
    with (
        pytest.raises(ClusterError, match=re.escape(expected)),
        dask_executor("tcp://127.0.0.1:9", connect_timeout=1),
    ):
        pass
    assert ClusterError("x").exit_code == 5


def test_a_worker_without_the_toolkit_is_refused_before_any_file(
    cluster: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aas import cluster as module

    monkeypatch.setattr(module, "DISTRIBUTION", "aas-toolkit-that-is-not-there")
    with (
        pytest.raises(ClusterError, match=r"the Dask worker tcp://\S+ has no aas-toolkit-that"),
        dask_executor(cluster.scheduler_address),
    ):
        pass


_CONVERT_FILE = batch.convert_file


def _kill_the_worker_on_explodes(job: batch.ConvertJob) -> object:
    """Stands in for ``batch.convert_file`` on the workers, which import this module."""
    if job.source.name == "explodes.json":
        os.kill(os.getpid(), signal.SIGKILL)
    return _CONVERT_FILE(job)


def test_convert_on_dask_reports_a_lost_file_and_converts_the_others(
    fragile: Any, sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "convert_file", _kill_the_worker_on_explodes)
    monkeypatch.chdir(sample.parent)
    out = tmp_path / "out"
    command = ["convert", "in", str(out), "--to", "xml"]
    command += ["--executor", "dask", "--scheduler", fragile.scheduler_address]
    result = within(240, lambda: CliRunner().invoke(cli.app, command))
    assert result.exit_code == 5, result.stderr
    lost = [line for line in result.stderr.splitlines() if "not converted" in line]
    assert lost == [
        "aas: error: in/v31/explodes.json: not converted: every Dask worker that ran it died "
        "(killed, or out of memory?), and the cluster gave it up"
    ]
    assert f"converted {len(FILES) - 2} of {len(FILES) + 1} files" in result.stderr
    assert not (out / "v31" / "explodes.xml").exists()
    assert (out / "v31" / "property.xml").exists()


_VALIDATE_FILE = batch.validate_file


def _kill_the_worker_on_explodes_in_validate(job: batch.ValidateJob) -> object:
    if job.name.endswith("explodes.json"):
        os.kill(os.getpid(), signal.SIGKILL)
    return _VALIDATE_FILE(job)


def test_validate_on_dask_reports_a_lost_file_as_not_checked(
    fragile: Any, sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files are checked on the workers (one of them dies there)."""
    monkeypatch.setattr(batch, "validate_file", _kill_the_worker_on_explodes_in_validate)
    monkeypatch.chdir(sample.parent)
    command = ["validate", "in", "--executor", "dask", "--scheduler", fragile.scheduler_address]
    result = within(240, lambda: CliRunner().invoke(cli.app, command))
    assert result.exit_code == 5, result.output
    assert (
        "in/v31/explodes.json: error: [aas:worker-died] not checked: every Dask worker that "
        "ran it died" in result.stdout
    )
    assert result.stdout.count("aas:worker-died") == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--executor", "dask"], "--executor dask needs --scheduler ADDRESS"),
        (["--scheduler", "tcp://127.0.0.1:9"], "--scheduler names a Dask scheduler"),
    ],
)
def test_executor_options_that_do_not_fit_are_usage_errors(
    sample: Path, tmp_path: Path, options: list[str], message: str
) -> None:
    for command in (
        ["convert", str(sample), str(tmp_path / "out"), "--to", "xml"],
        ["validate", str(sample)],
    ):
        stderr = assert_clean_failure(run_cli(*command, *options), 2)
        assert message in stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("address", "code", "message"),
    [
        ("not an address", 2, "'not an address' is no Dask scheduler address (missing port"),
        ("tcp://somewhere", 2, "'tcp://somewhere' is no Dask scheduler address (missing port"),
        ("tcp://127.0.0.1:9", 5, "cannot reach the Dask scheduler at 'tcp://127.0.0.1:9': "),
    ],
)
def test_a_scheduler_not_there_fails_the_command_before_any_file(
    tmp_path: Path, address: str, code: int, message: str
) -> None:
    """Exit 2 for what is no address; 5 when none answers (after Dask's connect timeout)."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "m.json").write_bytes(large_model(2))
    result = run_cli(
        "convert", str(folder), str(tmp_path / "out"), "--to", "xml",
        "--executor", "dask", "--scheduler", address,
    )  # fmt: skip
    stderr = assert_clean_failure(result, code)
    assert stderr.splitlines() == [f"aas: error: {stderr.splitlines()[0][12:]}"]
    assert message in stderr
    assert not (tmp_path / "out").exists()


# endregion
