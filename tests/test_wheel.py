"""The wheel works: built from the sources alone, installed (not editable) into a fresh virtual
environment without network, it runs the README's main job and validates every example.

The fresh environment gets the wheel with ``pip install --no-deps --no-index``; its
dependencies come from this environment's site-packages, named by a ``.pth`` file. A ``.pth``
line is put on ``sys.path`` after the site-packages folder that holds it, so the installed
wheel is found before anything of this environment, and a folder named that way has none of
its own ``.pth`` files read, so this checkout's editable install is not seen. The test checks
that ``aas`` is imported from the fresh environment all the same.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
from test_readme_blocks import ALL, commands

import aas
from aas.about import __version__

ROOT = Path(__file__).resolve().parent.parent
#: What the wheel is built from: the packages and what pyproject.toml names.
SOURCES = (
    "aas",
    "converters",
    "schemas",
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "LICENSE",
)
#: The wheel's tags: built for this interpreter and platform, since it holds the compiled
#: Turtle reader (aas._turtle, C).
TAGS = "cp{0}{1}-cp{0}{1}-{2}".format(
    *sys.version_info[:2], sysconfig.get_platform().replace("-", "_").replace(".", "_")
)


def _run(*args: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(arg) for arg in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def _environment(fresh: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_NO_INDEX"] = "1"  # never the network
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    if fresh is not None:
        env["PATH"] = f"{fresh / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["VIRTUAL_ENV"] = str(fresh)
    return env


def _copy_sources(work: Path) -> Path:
    """A copy of what the package is built from, without anything built in place."""
    source = work / "src"
    source.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            ignored = shutil.ignore_patterns("__pycache__", "*.so")
            shutil.copytree(path, source / name, ignore=ignored)
        else:
            shutil.copy2(path, source / name)
    return source


def _build_wheel(source: Path, work: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "-q",
        "-w",
        work / "dist",
        source,
        cwd=work,
        env=env,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the sources (the checkout is left as it is)."""
    work = tmp_path_factory.mktemp("wheel")
    built = _build_wheel(_copy_sources(work), work, _environment())
    assert built.returncode == 0, built.stderr
    (found,) = (work / "dist").glob("aas_toolkit-*.whl")
    return found


@pytest.fixture(scope="module")
def fresh(wheel: Path) -> Path:
    """A fresh virtual environment with the wheel installed, not editable."""
    venv = wheel.parent.parent / "fresh"
    made = _run(sys.executable, "-m", "venv", venv, cwd=wheel.parent, env=_environment())
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    installed = _run(
        python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel,
        cwd=wheel.parent, env=_environment(),
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    purelib = _run(
        python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
        cwd=wheel.parent, env=_environment(),
    )  # fmt: skip
    # The dependencies: this environment's site-packages, after the fresh one's own.
    ours = sysconfig.get_path("purelib")
    (Path(purelib.stdout.strip()) / "zz_dependencies.pth").write_text(ours + "\n")
    return venv


def test_the_wheel_holds_the_formats_the_schemas_and_the_metadata(wheel: Path) -> None:
    assert wheel.name == f"aas_toolkit-{__version__}-{TAGS}.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    # the compiled Turtle reader, built for this interpreter
    assert sorted(name for name in names if name.startswith("aas/_turtle")) == [
        f"aas/_turtle{sysconfig.get_config_var('EXT_SUFFIX')}",
        "aas/_turtle.pyi",
    ]
    with zipfile.ZipFile(wheel) as archive:
        info = f"aas_toolkit-{__version__}.dist-info"
        metadata = archive.read(f"{info}/METADATA").decode()
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    # every format package and schema file the checkout has
    for folder, package in (("converters", "aas/converters"), ("schemas", "aas/schemas")):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                assert f"{package}/{path.relative_to(ROOT / folder).as_posix()}" in names
    for path in (ROOT / "aas").rglob("*.py"):
        assert path.relative_to(ROOT).as_posix() in names
    assert "aas/py.typed" in names
    assert f"{info}/licenses/LICENSE" in names
    assert not any(name.startswith(("tests/", "benchmarks/", "examples/")) for name in names)
    # the metadata a package index shows
    assert f"Version: {__version__}" in metadata
    assert "License-Expression: MIT" in metadata
    assert "License-File: LICENSE" in metadata
    for classifier in (
        "Programming Language :: Python :: 3.11",
        "Operating System :: OS Independent",
        "Intended Audience :: Developers",
        "Topic :: Scientific/Engineering",
        "Topic :: Software Development :: Libraries",
        "Typing :: Typed",
    ):
        assert f"Classifier: {classifier}" in metadata
    # the command and every built-in format's entry point
    assert "aas = aas.cli:main" in entry_points
    for name in ("json", "xml", "aasx", "turtle", "ntriples", "jsonld", "rdfxml", "value"):
        assert f"\n{name} = aas.converters." in entry_points


def test_the_installed_wheel_runs_the_readme_main_job_and_validates_every_example(
    fresh: Path, tmp_path: Path
) -> None:
    env = _environment(fresh)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    # aas comes from the fresh environment's site-packages, not from this checkout
    where = _run(
        fresh / "bin" / "python",
        "-c",
        "import importlib.metadata as m, aas, aas.converters.json as j, aas.schemas as s; "
        "print(aas.__file__); print(j.__file__); print(s.__file__); "
        "print(m.distribution('aas-toolkit').locate_file(''))",
        cwd=tmp_path,
        env=env,
    )
    assert where.returncode == 0, where.stderr
    for line in where.stdout.splitlines():
        assert Path(line).resolve().is_relative_to(fresh.resolve()), line
        assert not Path(line).resolve().is_relative_to(ROOT), line
    version = _run(fresh / "bin" / "aas", "--version", cwd=tmp_path, env=env)
    assert version.stdout.strip() == f"aas {__version__}"

    # The README's main job, as written there; `aas` is the fresh environment's.
    main_job = next(block for block in ALL if block.lang == "sh")
    steps = commands(main_job)
    assert any(step.startswith("aas convert") for step in steps), steps
    script = "\n".join(
        f"{fresh / 'bin'}/{step}" if step.startswith("aas ") else step for step in steps
    )
    job = _run("bash", "-e", "-c", script, cwd=tmp_path, env=env)
    assert job.returncode == 0, job.stderr
    assert "format:               aasx" in job.stdout
    # the files the model names went into the package
    assert "/aasx/files/sensor-manual.pdf" in job.stdout
    assert "/aasx/files/sensor-thumbnail.png" in job.stdout
    assert (tmp_path / "out" / "sensor.aasx").is_file()

    # Every example validates (warnings only), read through the installed format plugins.
    examples = sorted(
        str(path.relative_to(tmp_path))
        for path in (tmp_path / "examples").rglob("*")
        if path.suffix in (".json", ".xml", ".aasx")
    )
    assert len(examples) >= 6
    checked = _run(fresh / "bin" / "aas", "validate", *examples, cwd=tmp_path, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    reported = [line.split(":")[0] for line in checked.stdout.splitlines() if ": ok (" in line]
    assert reported == examples
    assert f"{len(examples)} files, 0 with errors or unreadable" in checked.stdout
    formats = _run(fresh / "bin" / "aas", "formats", cwd=tmp_path, env=env)
    assert [line.split()[0] for line in formats.stdout.splitlines()] == [
        fmt.name for fmt in aas.formats.formats()
    ]


def test_the_installed_wheel_reads_turtle_with_the_compiled_reader(fresh: Path) -> None:
    script = (
        "import aas, aas._turtle as t; from aas.converters.rdf import native\n"
        "print(t.__file__)\n"
        "aas.load(b'<urn:x> a <https://admin-shell.io/aas/3/0/Environment> .', format='turtle')\n"
        "print(native.parse(b'<http://s> <http://p> (1 \"a\") .') is not None)\n"
    )
    env = _environment(fresh)
    ran = _run(fresh / "bin" / "python", "-c", script, cwd=fresh, env=env)
    assert ran.returncode == 0, ran.stderr
    where, taken = ran.stdout.splitlines()
    assert Path(where).resolve().is_relative_to(fresh.resolve())
    assert taken == "True"


def test_the_sdist_holds_the_c_sources_and_a_failed_compile_only_warns(tmp_path: Path) -> None:
    source = _copy_sources(tmp_path)
    sdist = _run(
        sys.executable,
        "setup.py",
        "-q",
        "sdist",
        "-d",
        tmp_path / "sdist",
        cwd=source,
        env=_environment(),
    )
    assert sdist.returncode == 0, sdist.stderr
    (archive,) = (tmp_path / "sdist").glob("aas_toolkit-*.tar.gz")
    with tarfile.open(archive) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    assert "setup.py" in names
    for path in (ROOT / "aas" / "_native").iterdir():
        if path.suffix in (".c", ".h"):
            assert f"aas/_native/{path.name}" in names
    # No C compiler: the wheel is built all the same, without the compiled reader.
    env = {**_environment(), "CC": "false", "LDSHARED": "false"}
    built = _build_wheel(source, tmp_path, env)
    assert built.returncode == 0, built.stderr
    (found,) = (tmp_path / "dist").glob("aas_toolkit-*.whl")
    with zipfile.ZipFile(found) as wheel_file:
        assert not any(name.endswith(".so") for name in wheel_file.namelist())
        assert "aas/converters/rdf/native.py" in wheel_file.namelist()
