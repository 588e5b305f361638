"""``--jobs N``: batches of ``aas convert`` and ``aas validate`` in worker processes.

Whatever the number of workers, a batch prints the same bytes (messages per file and reports
in input order), exits with the same code and writes the same files as ``--jobs 1``. A file
that fails is reported and the others go on; a worker that dies stops the batch with an error
instead of a hang; Ctrl-C and SIGTERM stop the workers and leave no temporary file.

The batch is a dozen corpus files (JSON and XML, V3.0 and V3.1, valid, invalid, one that no
model can be built from, one that is not well-formed) and a package, copied into a temporary
folder. Nothing here measures time.
"""

from __future__ import annotations

import os
import pickle
import pty
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import aas
from aas import batch, cli
from aas.errors import AasError, FindingsError, ReadError, UsageError, WriteError
from aas.findings import Location
from aas.validation import validate

from conftest import EXAMPLES, assert_clean_failure, corpus, large_model, run_cli

SAMPLE = {
    "v30/submodel-maximal.json": (
        "testgen-3.0/Json/ContainedInEnvironment/Expected/Submodel/maximal.json"
    ),
    "v30/submodel-minimal.json": (
        "testgen-3.0/Json/ContainedInEnvironment/Expected/Submodel/minimal.json"
    ),
    "v30/shell-maximal.xml": (
        "testgen-3.0/Xml/ContainedInEnvironment/Expected/assetAdministrationShell/maximal.xml"
    ),
    "v30/submodel-maximal-xml.xml": (
        "testgen-3.0/Xml/ContainedInEnvironment/Expected/submodel/maximal.xml"
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
    "v31/submodel-xml.xml": "examples-3.1/xml/generated/submodel/maximal.xml",
    "v31/property.json": "examples-3.1/json/generated/Property/maximal.json",
    "v31/property-xml.xml": "examples-3.1/xml/generated/property/maximal.xml",
}
BROKEN = "broken.json"  # not well-formed: no model at all
PACKAGE = "sensor.aasx"
FILES = len(SAMPLE) + 2
GOOD = len(SAMPLE) + 2 - 2  # all but the broken file and the one without an id


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sample") / "in"
    for name, source in SAMPLE.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus(source), folder / name)
    (folder / BROKEN).write_bytes(corpus(SAMPLE["v31/submodel.json"]).read_bytes()[:200])
    shutil.copyfile(EXAMPLES / "sensor" / "sensor.aasx", folder / PACKAGE)
    return folder


def files_in(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def convert_batch(
    sample: Path, cwd: Path, jobs: str
) -> tuple[subprocess.CompletedProcess[bytes], dict[str, bytes]]:
    """Convert the sample into ``cwd/out`` (named the same in every run, as messages name it)."""
    result = run_cli("convert", str(sample), "out", "--to", "xml", "--jobs", jobs, cwd=cwd)
    return result, files_in(cwd / "out")


@pytest.fixture(scope="module")
def sequential_convert(
    sample: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[subprocess.CompletedProcess[bytes], dict[str, bytes]]:
    return convert_batch(sample, tmp_path_factory.mktemp("sequential"), "1")


def same_run(
    result: subprocess.CompletedProcess[bytes], expected: subprocess.CompletedProcess[bytes]
) -> None:
    assert "Traceback" not in result.stderr.decode(), result.stderr.decode()
    assert result.stderr.decode() == expected.stderr.decode()
    assert result.stdout.decode() == expected.stdout.decode()
    assert result.returncode == expected.returncode


# region convert and validate give the same bytes for every --jobs


@pytest.mark.parametrize("jobs", ["2", "0"])
def test_a_parallel_convert_prints_and_writes_what_a_sequential_one_does(
    sample: Path,
    sequential_convert: tuple[subprocess.CompletedProcess[bytes], dict[str, bytes]],
    tmp_path: Path,
    jobs: str,
) -> None:
    """``--jobs 0`` is one worker per CPU (two or more, or one on a one-CPU machine)."""
    expected, expected_files = sequential_convert
    result, written = convert_batch(sample, tmp_path, jobs)
    same_run(result, expected)
    assert written == expected_files
    assert not [name for name in written if name.endswith(".part")]


def test_a_broken_file_among_good_ones_is_reported_and_the_others_converted(
    sample: Path, tmp_path: Path
) -> None:
    result, written = convert_batch(sample, tmp_path, "2")
    stderr = result.stderr.decode()
    assert result.returncode == 3, stderr  # the worst over the files: unreadable input
    errors = [line for line in stderr.splitlines() if line.startswith("aas: error:")]
    assert len(errors) == 2, stderr
    assert errors[0].startswith(f"aas: error: {sample / BROKEN}:")
    assert "not well-formed JSON" in errors[0]
    # located as validate locates it: line and column of the shell that lacks its id
    assert errors[1].startswith(
        f"aas: error: {sample / 'v30' / 'no-id.json'}:3:5 /assetAdministrationShells/0: "
    )
    assert f"converted {GOOD} of {FILES} files into out" in stderr
    # each good file's message and output, in input order
    assert stderr.index(str(sample / "v30" / "invalid-reference.xml")) < stderr.index(
        str(sample / "v31" / "property.json")
    )
    assert sorted(written) == sorted(
        str(Path(name).with_suffix(".xml"))
        for name in [*SAMPLE, PACKAGE]
        if name != "v30/no-id.json"
    )
    for data in written.values():
        assert data.startswith(b"<?xml") or data.startswith(b"<environment")
        assert data.rstrip().endswith(b"</environment>")


@pytest.mark.parametrize("output", ["text", "json", "junit", "sarif"])
def test_a_parallel_validate_reports_what_a_sequential_one_does(sample: Path, output: str) -> None:
    """Standard input too (read in the main process, as a worker has none)."""
    stdin = (sample / "v30" / "invalid-reference.xml").read_bytes()
    runs = {
        jobs: run_cli(
            "validate",
            "in",
            "-",
            f"in/{BROKEN}",
            "--output",
            output,
            "-j",
            jobs,
            stdin=stdin,
            cwd=sample.parent,
        )
        for jobs in ("1", "2")
    }
    same_run(runs["2"], runs["1"])
    assert runs["1"].returncode == 3  # the unreadable file decides, as it always did
    report = runs["1"].stdout.decode()
    assert "stdin" in report
    for name in SAMPLE:
        assert f"in/{name}" in report


def test_validate_with_jobs_zero_on_a_folder(sample: Path) -> None:
    sequential = run_cli("validate", "in/v31", "-j", "1", cwd=sample.parent)
    parallel = run_cli("validate", "in/v31", "-j", "0", cwd=sample.parent)
    same_run(parallel, sequential)
    assert parallel.returncode == 0
    assert parallel.stdout.decode().endswith("4 files, 0 with errors or unreadable\n")


@pytest.mark.parametrize("command", ["convert", "validate"])
def test_negative_jobs_is_a_usage_error(sample: Path, tmp_path: Path, command: str) -> None:
    args = ["convert", str(sample), str(tmp_path / "out"), "--to", "xml"]
    if command == "validate":
        args = ["validate", str(sample)]
    stderr = assert_clean_failure(run_cli(*args, "--jobs", "-1"), 2)
    assert stderr.strip().splitlines() == [
        "aas: error: --jobs takes 0 (one per CPU) or a positive number, not -1"
    ]
    assert not (tmp_path / "out").exists()


def test_what_a_worker_sends_back_pickles(sample: Path, tmp_path: Path) -> None:
    """Reports, results and every error, with their findings and locations."""
    report = validate(sample / "v30" / "invalid-reference.xml")
    assert report.findings
    result = aas.convert(sample / "v30" / "invalid-reference.xml", tmp_path / "out.json")
    finding = report.findings[-1]
    errors = [
        FindingsError("2 errors in the input; nothing written (--strict)", [finding]),
        ReadError("not well-formed", Location(file="x.json", line=1, column=2)),
        WriteError("cannot write", Location(file="out.xml")),
        UsageError("unknown format"),
    ]
    for value in (report, result, batch.Done(value=report), *errors):
        copy = pickle.loads(pickle.dumps(value))
        assert type(copy) is type(value)
        if isinstance(value, AasError):
            assert (str(copy), copy.rule, copy.location, copy.exit_code) == (
                str(value),
                value.rule,
                value.location,
                value.exit_code,
            )
            assert getattr(copy, "findings", None) == getattr(value, "findings", None)
        else:
            assert copy == value


# endregion
# region failures inside a worker


def _square_unless_three(number: int) -> int:
    if number == 0:
        time.sleep(0.3)  # so that later files are likely to finish first (nothing is timed)
    if number == 3:
        raise RuntimeError("three is not welcome")
    return number * number


def _die_at_two(number: int) -> int:
    if number == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return number


def test_outcomes_come_in_input_order_and_a_bug_stays_with_its_file() -> None:
    numbers = list(range(9))
    parallel = list(batch.run(_square_unless_three, numbers, 3))
    assert parallel == list(batch.run(_square_unless_three, numbers, 1))
    assert [done.value for done in parallel] == [n * n if n != 3 else None for n in numbers]
    assert parallel[3].internal == "RuntimeError: three is not welcome"


def test_a_worker_that_dies_ends_the_batch_with_its_files_marked_lost() -> None:
    outcomes = list(batch.run(_die_at_two, list(range(8)), 2))
    assert len(outcomes) == 8
    assert outcomes[2].lost
    assert all(done.lost or done.value == n for n, done in enumerate(outcomes))


_CONVERT_FILE = batch.convert_file


def _convert_unless_it_explodes(job: batch.ConvertJob) -> object:
    """Stands in for ``batch.convert_file`` (in a worker too, which imports this module)."""
    if job.source.name == "explodes.json":
        raise KeyError("a bug")
    return _CONVERT_FILE(job)


def test_an_unexpected_exception_is_an_internal_error_for_its_file_only(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("v30/submodel-maximal-xml.xml", "v31/property-xml.xml", "v31/submodel.json"):
        shutil.copyfile(sample / name, folder / Path(name).name)
    shutil.copyfile(sample / "v31" / "property.json", folder / "explodes.json")
    monkeypatch.setattr(batch, "convert_file", _convert_unless_it_explodes)
    monkeypatch.chdir(tmp_path)
    runs = []
    for jobs in ("1", "2"):
        shutil.rmtree(tmp_path / "out", ignore_errors=True)
        runs.append(
            CliRunner().invoke(cli.app, ["convert", "in", "out", "--to", "xml", "-j", jobs])
        )
    assert [run.exit_code for run in runs] == [5, 5]
    assert runs[0].stderr == runs[1].stderr
    assert (
        "aas: internal error: in/explodes.json: KeyError: 'a bug' (a bug in this toolkit"
        in runs[1].stderr
    )
    assert "converted 3 of 4 files into out" in runs[1].stderr
    assert sorted(os.listdir(tmp_path / "out")) == [
        "property-xml.xml",
        "submodel-maximal-xml.xml",
        "submodel.xml",
    ]


_VALIDATE_FILE = batch.validate_file


def _validate_unless_it_explodes(job: batch.ValidateJob) -> object:
    if job.name.endswith("explodes.json"):
        raise KeyError("a bug")
    return _VALIDATE_FILE(job)


@pytest.mark.parametrize("output", ["text", "junit"])
def test_an_unexpected_exception_in_validate_is_reported_for_its_file(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str
) -> None:
    """It is an unreadable file in every report format, and the run exits 5."""
    for name in ("v31/property.json", "v31/submodel-xml.xml"):
        shutil.copyfile(sample / name, tmp_path / Path(name).name)
    shutil.copyfile(sample / "v31" / "property.json", tmp_path / "explodes.json")
    monkeypatch.setattr(batch, "validate_file", _validate_unless_it_explodes)
    monkeypatch.chdir(tmp_path)
    runs = [
        CliRunner().invoke(cli.app, ["validate", ".", "--output", output, "-j", jobs])
        for jobs in ("1", "2")
    ]
    assert [run.exit_code for run in runs] == [5, 5]
    assert runs[0].stdout == runs[1].stdout
    assert "aas:internal-error" in runs[1].stdout
    assert "KeyError: 'a bug'" in runs[1].stdout
    if output == "text":
        assert runs[1].stdout.splitlines()[0] == "explodes.json: UNREADABLE (1 error)"
        assert runs[1].stdout.endswith("3 files, 1 with errors or unreadable\n")


# endregion
# region a larger batch: interrupted, a worker killed, the progress bar


@pytest.fixture(scope="module")
def big_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six models of about 8 MB: each takes a worker a while to convert."""
    folder = tmp_path_factory.mktemp("big") / "in"
    folder.mkdir()
    data = large_model(20_000)
    for number in range(6):
        (folder / f"model-{number}.json").write_bytes(data)
    return folder


def start(source: Path, target: Path, *options: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "aas", "convert", str(source), str(target), "--to", "xml", *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a process group of its own, as a terminal gives a command
        preexec_fn=ctrl_c_as_on_a_terminal,
    )


def ctrl_c_as_on_a_terminal() -> None:
    """A command started in the background by a shell inherits SIGINT ignored (and keeps it
    so, as it should); these tests play a terminal, where Ctrl-C reaches the command."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_until_writing(process: subprocess.Popen[bytes], folder: Path) -> None:
    """Until a worker has written a megabyte of some output."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "the batch ended before it could be interrupted"
        for part in folder.glob(".*.part"):
            try:
                if part.stat().st_size > 1024 * 1024:
                    return
            except FileNotFoundError:
                pass
        time.sleep(0.002)
    raise AssertionError("the batch never started writing")


def processes_in_group(group: int) -> list[str]:
    """The command lines of the processes still in a process group (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == group:
            found.append(command)
    return found


def workers_of(pid: int) -> list[int]:
    return [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit()
        and _parent_of(entry) == pid
        and b"spawn_main" in _read(entry / "cmdline")
    ]


def _parent_of(entry: Path) -> int | None:
    stat = _read(entry / "stat").decode()
    return int(stat[stat.rindex(")") + 2 :].split()[1]) if stat else None


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


@needs_proc
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_an_interrupted_parallel_batch_stops_its_workers_and_leaves_no_part_file(
    big_batch: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    """SIGTERM reaches the main process only; Ctrl-C on a terminal the whole process group."""
    target = tmp_path / "out"
    process = start(big_batch, target, "--jobs", "2")
    try:
        wait_until_writing(process, target)
        if sig == signal.SIGINT:
            os.killpg(process.pid, sig)
        else:
            process.send_signal(sig)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, stderr.decode()
    assert stderr.decode().splitlines()[-1] == "aas: interrupted"
    assert "Traceback" not in stderr.decode()
    assert list(target.glob(".*.part")) == []
    assert len(list(target.iterdir())) < 6  # the batch was stopped
    for output in target.iterdir():  # what was finished before the interrupt is complete
        assert output.read_bytes().rstrip().endswith(b"</environment>")
    assert not [command for command in processes_in_group(process.pid) if "spawn_main" in command]


@needs_proc
def test_a_killed_worker_ends_the_batch_with_an_error_not_a_hang(
    big_batch: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out"
    process = start(big_batch, target, "--jobs", "2")
    try:
        wait_until_writing(process, target)  # four files are still waiting for a worker
        workers = workers_of(process.pid)
        assert workers
        os.kill(workers[0], signal.SIGKILL)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    text = stderr.decode()
    assert process.returncode == 5, text
    assert "Traceback" not in text
    lost = [line for line in text.splitlines() if "a worker process died" in line]
    assert len(lost) >= 4
    assert all(line.startswith(f"aas: error: {big_batch}") for line in lost)


def test_the_progress_bar_on_a_terminal_follows_a_parallel_batch(
    sample: Path, tmp_path: Path
) -> None:
    main, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "aas", "convert", str(sample), "out", "--to", "xml", "-j", "2"],
        stdout=subprocess.DEVNULL,
        stderr=terminal,
        cwd=tmp_path,
    )
    os.close(terminal)
    shown = b""
    try:
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the terminal closed: the command has ended
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(main)
        process.wait(timeout=60)
    text = shown.decode()
    assert process.returncode == 3, text
    assert "converting" in text
    assert "100%" in text
    assert f"converted {GOOD} of {FILES} files into out" in text


# endregion
