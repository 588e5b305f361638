"""Nothing lost: a conversion killed or failing mid-write leaves the old output intact (or no
output at all), and the input is never modified.

Writes go to a temporary ``.<name>.<random>.part`` file beside the target, renamed into place
only when complete. A failure the process sees (an exception, Ctrl-C) removes the temporary
file; SIGKILL cannot be seen, so it may leave one behind, and then only that: the target is
never touched. tests/test_api.py covers failures of the rename and fsync, a writer raising,
and refusing to convert a file onto itself.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import aas
from aas import atomic

from conftest import EXAMPLES, large_model, run_cli

OLD_TIME = 1_600_000_000_000_000_000  # ns: an mtime that any rewrite would change


@pytest.fixture(scope="module")
def big_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.json"
    path.write_bytes(large_model(60_000))
    os.utime(path, ns=(OLD_TIME, OLD_TIME))
    return path


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def parts_in(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".part"))


def old_output(folder: Path, name: str) -> Path:
    """An existing output from an earlier run (the pump example), with an old mtime."""
    target = folder / name
    aas.convert(EXAMPLES / "pump" / "pump.json", target)
    os.utime(target, ns=(OLD_TIME, OLD_TIME))
    return target


def start_convert(source: Path, target: Path, *options: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "aas", "convert", str(source), str(target), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=ctrl_c_as_on_a_terminal,
    )


def ctrl_c_as_on_a_terminal() -> None:
    """A command started in the background by a shell inherits SIGINT ignored (and keeps it
    so, as it should); these tests play a terminal, where Ctrl-C reaches the command."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_until_writing(process: subprocess.Popen[bytes], folder: Path, size: int) -> bool:
    """Wait until a temporary file in ``folder`` holds ``size`` bytes; False if the process
    ended first."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        for name in parts_in(folder):
            try:
                if (folder / name).stat().st_size >= size:
                    return True
            except FileNotFoundError:
                pass
        time.sleep(0.002)
    raise AssertionError("the conversion never started writing")


@pytest.mark.parametrize(
    ("sig", "existing"),
    [(signal.SIGKILL, True), (signal.SIGKILL, False), (signal.SIGTERM, True)],
    ids=["sigkill-old-output", "sigkill-no-output", "sigterm-old-output"],
)
def test_a_kill_while_writing_leaves_the_old_output_or_none(
    big_input: Path, tmp_path: Path, sig: signal.Signals, existing: bool
) -> None:
    """SIGKILL ends the process at once; SIGTERM is handled like Ctrl-C (exit 130), so the
    temporary file of the interrupted write is removed."""
    target = old_output(tmp_path, "out.xml") if existing else tmp_path / "out.xml"
    before_target = snapshot(target) if existing else None
    before_input = snapshot(big_input)

    process = start_convert(big_input, target, "--quiet")
    writing = wait_until_writing(process, tmp_path, 2 * 1024 * 1024)
    assert writing, "the conversion ended before it could be killed mid-write"
    process.send_signal(sig)
    process.wait(timeout=60)
    assert process.returncode == (130 if sig == signal.SIGTERM else -sig)

    if existing:
        assert snapshot(target) == before_target  # byte for byte, not even touched
    else:
        assert not target.exists()
    assert snapshot(big_input) == before_input
    # After SIGKILL the temporary file of the interrupted write may stay, named as such, and
    # nothing else is there; after SIGTERM not even that.
    leftovers = parts_in(tmp_path)
    if sig == signal.SIGTERM:
        assert leftovers == []
    assert len(leftovers) <= 1
    assert all(name.startswith(".out.xml.") for name in leftovers)
    expected = {"out.xml"} if existing else set()
    assert set(os.listdir(tmp_path)) - set(leftovers) == expected


def test_sigkill_at_any_moment_leaves_the_old_or_the_complete_new_output(
    big_input: Path, tmp_path: Path
) -> None:
    before_input = snapshot(big_input)
    outcomes = []
    for delay in (0.3, 1.0, 2.0, 4.0):
        folder = tmp_path / f"after-{delay}"
        folder.mkdir()
        target = old_output(folder, "out.json")
        before = snapshot(target)
        process = start_convert(big_input, target, "--quiet")
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        if snapshot(target) == before:
            outcomes.append("old")
        else:  # the rename had happened: the new output is complete (the kill may still have
            # landed before the process exited)
            assert process.returncode in (0, -signal.SIGKILL)
            model = aas.load(target)
            assert len(model.root.submodels[0].submodel_elements) == 60_000
            outcomes.append("new")
        assert set(os.listdir(folder)) - set(parts_in(folder)) == {"out.json"}
    assert snapshot(big_input) == before_input
    assert "old" in outcomes  # at least one kill landed before the rename


def test_ctrl_c_while_writing_removes_the_temporary_file(big_input: Path, tmp_path: Path) -> None:
    target = old_output(tmp_path, "out.xml")
    before = snapshot(target)
    process = start_convert(big_input, target)
    assert wait_until_writing(process, tmp_path, 1024 * 1024)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr.decode()
    assert "Traceback" not in stderr.decode()
    assert snapshot(target) == before
    assert os.listdir(tmp_path) == ["out.xml"]


class _DiskFillsUp:
    """A file object whose disk fills up after ``room`` bytes."""

    def __init__(self, stream: Any, room: int) -> None:
        self._stream = stream
        self._room = room

    def write(self, data: Any) -> int:
        if len(data) > self._room:
            self._stream.write(bytes(data[: self._room]))
            self._stream.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return int(self._stream.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def __enter__(self) -> _DiskFillsUp:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stream.close()


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A model of 3,000 properties to convert (``model.json``), with an old mtime."""
    path = tmp_path / "model.json"
    path.write_bytes(large_model(3000))
    os.utime(path, ns=(OLD_TIME, OLD_TIME))
    return path


@pytest.mark.parametrize("suffix", ["json", "xml", "aasx"])
def test_a_disk_filling_up_mid_write_leaves_the_old_output(
    suffix: str, source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before_input = snapshot(source)
    target = old_output(tmp_path, f"out.{suffix}")
    before = snapshot(target)

    real_fdopen = os.fdopen
    written: list[int] = []

    def filling_fdopen(fd: int, *args: Any, **kwargs: Any) -> _DiskFillsUp:
        stream = real_fdopen(fd, *args, **kwargs)
        written.append(fd)
        return _DiskFillsUp(stream, 20_000)  # less than any of the outputs

    monkeypatch.setattr(atomic.os, "fdopen", filling_fdopen)
    with pytest.raises(aas.WriteError) as caught:
        aas.convert(source, target)
    monkeypatch.undo()
    assert written  # the writer did start, and wrote into the temporary file
    assert "No space left on device" in caught.value.message
    assert caught.value.location.file == str(target)
    assert caught.value.exit_code == 4
    assert snapshot(target) == before
    assert snapshot(source) == before_input
    assert sorted(os.listdir(tmp_path)) == sorted(["model.json", f"out.{suffix}"])


@pytest.mark.parametrize("suffix", ["json", "xml", "aasx"])
def test_a_writer_that_breaks_mid_write_leaves_the_old_output(
    suffix: str, source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in a writer (an exception of no kind the toolkit knows) half-way through."""
    import aas.converters.json.format as json_format
    from aas.metamodel.generated import xml_write_3_1

    target = old_output(tmp_path, f"out.{suffix}")
    before = snapshot(target)

    calls = 0
    real_reference = xml_write_3_1.s_Reference

    def breaking_reference(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1_500:  # of about 3,000 references
            raise RuntimeError("writer broke half-way")
        return real_reference(*args)

    real_dumps = json_format.orjson.dumps

    def breaking_dumps(value: Any, option: int | None = None) -> bytes:
        if option is not None and option & json_format.orjson.OPT_INDENT_2:
            raise RuntimeError("writer broke half-way")
        return real_dumps(value) if option is None else real_dumps(value, option=option)

    # JSON breaks in orjson, XML (and the XML spec part of an AASX) while writing a reference.
    monkeypatch.setattr(xml_write_3_1, "s_Reference", breaking_reference)
    monkeypatch.setattr(json_format.orjson, "dumps", breaking_dumps)
    with pytest.raises(RuntimeError, match="half-way"):
        aas.convert(source, target)
    monkeypatch.undo()
    assert snapshot(target) == before
    assert parts_in(tmp_path) == []


def test_cli_reports_a_failed_write_in_one_line_and_keeps_the_old_output(tmp_path: Path) -> None:
    """The same failure seen from the command line: exit 4, no traceback, nothing lost."""
    source = tmp_path / "model.json"
    source.write_bytes(large_model(2000))
    target = old_output(tmp_path, "out.xml")
    before = snapshot(target)
    driver = (
        "import errno, os, sys\n"
        "import aas.atomic\n"
        "real = os.fdopen\n"
        "class Full:\n"
        "    def __init__(self, s): self.s = s; self.room = 50_000\n"
        "    def write(self, d):\n"
        "        if len(d) > self.room: raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
        "        self.room -= len(d); return self.s.write(d)\n"
        "    def __getattr__(self, n): return getattr(self.s, n)\n"
        "    def __enter__(self): return self\n"
        "    def __exit__(self, *a): self.s.close()\n"
        "aas.atomic.os.fdopen = lambda fd, *a, **k: Full(real(fd, *a, **k))\n"
        "from aas.cli import main\n"
        "sys.argv = ['aas', 'convert', sys.argv[1], sys.argv[2]]\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", driver, str(source), str(target)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    stderr = result.stderr.decode()
    assert result.returncode == 4, stderr
    assert "Traceback" not in stderr
    assert f"aas: error: {target}: cannot write: No space left on device" in stderr
    assert snapshot(target) == before
    assert sorted(os.listdir(tmp_path)) == ["model.json", "out.xml"]


def test_reading_commands_never_touch_their_input(tmp_path: Path) -> None:
    source = tmp_path / "pump.aasx"
    aas.convert(EXAMPLES / "pump" / "pump.json", source)
    os.utime(source, ns=(OLD_TIME, OLD_TIME))
    before = snapshot(source)
    for args in (
        ("validate", str(source)),
        ("info", str(source)),
        ("convert", str(source), str(tmp_path / "pump.xml")),
        ("convert", str(source), str(source)),  # refused: the input is never the output
    ):
        result = run_cli(*args)
        assert result.returncode in (0, 2), result.stderr.decode()
        assert snapshot(source) == before
    assert sorted(os.listdir(tmp_path)) == ["pump.aasx", "pump.xml"]
