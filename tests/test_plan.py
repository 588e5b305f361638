"""Planning a batch from Python, before any file is read: which files, where each goes, which
plans are refused; and what the batch tells its ``progress`` callback.

The planner reads names only, so the files here are empty; converting them is not its part."""

from __future__ import annotations

import inspect
import subprocess
import sys
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pytest

import aas
from aas import batch
from aas.batch import ConvertOptions, Done, ValidateJob, ValidateOptions
from aas.errors import UsageError
from aas.plan import aas_files, plan_conversion, plan_validation

from conftest import REPO


def touch(folder: Path, *names: str) -> Path:
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"")
    return folder


def planned(jobs: list[batch.ConvertJob], folder: Path, target: Path) -> list[tuple[str, str]]:
    return [
        (job.source.relative_to(folder).as_posix(), job.destination.relative_to(target).as_posix())
        for job in jobs
    ]


# region convert a folder


def test_each_file_keeps_its_place_and_takes_the_suffix_of_the_target_format(
    tmp_path: Path,
) -> None:
    folder = touch(tmp_path / "in", "b.json", "a/deep/c.xml", "a/d.aasx", "notes.txt", "e.ttl")
    target = tmp_path / "out"
    jobs = plan_conversion(folder, target, ConvertOptions(to_format="XML", strict=True))
    assert planned(jobs, folder, target) == [
        ("a/d.aasx", "a/d.xml"),
        ("a/deep/c.xml", "a/deep/c.xml"),
        ("b.json", "b.xml"),
        ("e.ttl", "e.xml"),
    ]
    # every job converts with the caller's options, the output format by its own name
    assert {job.options for job in jobs} == {ConvertOptions(to_format="xml", strict=True)}
    assert not target.exists()  # planning writes nothing


def test_two_inputs_onto_one_output_are_refused_naming_both(tmp_path: Path) -> None:
    folder = touch(tmp_path / "in", "m.json", "m.xml", "other.json")
    target = tmp_path / "out"
    with pytest.raises(UsageError) as refused:
        plan_conversion(folder, target, ConvertOptions(to_format="aasx"))
    assert str(refused.value) == (
        "inputs of one name in several formats would be written to one output: "
        f"{str(folder / 'm.json')!r} and {str(folder / 'm.xml')!r} -> "
        f"{str(target / 'm.aasx')!r}; pick the input format with --from json or --from xml, "
        "or convert them separately"
    )
    assert refused.value.exit_code == 2
    # --from is the way out it names
    jobs = plan_conversion(folder, target, ConvertOptions(from_format="xml", to_format="aasx"))
    assert planned(jobs, folder, target) == [("m.xml", "m.aasx")]


def test_an_output_folder_inside_the_input_folder_is_not_read_as_input(tmp_path: Path) -> None:
    """What a run before wrote there is output, not input for this run."""
    folder = touch(tmp_path / "in", "model.json", "converted/model.xml", "converted/old.json")
    jobs = plan_conversion(folder, folder / "converted", ConvertOptions(to_format="xml"))
    assert planned(jobs, folder, folder / "converted") == [("model.json", "model.xml")]
    # the same folder as an output elsewhere is input like any other
    elsewhere = plan_conversion(folder, tmp_path / "out", ConvertOptions(to_format="json"))
    assert len(elsewhere) == 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (ConvertOptions(), "converting a folder needs --to to name the output format"),
        (ConvertOptions(to_format="pdf"), "unknown format 'pdf'"),
        (ConvertOptions(to_format="xml", from_format="csv"), "unknown format 'csv'"),
        (ConvertOptions(to_format="xml", from_format="aasx"), "no aasx files in '{folder}'"),
    ],
)
def test_a_plan_that_cannot_be_made_is_a_usage_error(
    tmp_path: Path, options: ConvertOptions, message: str
) -> None:
    folder = touch(tmp_path / "in", "model.json", "readme.md")
    with pytest.raises(UsageError) as refused:
        plan_conversion(folder, tmp_path / "out", options)
    assert str(refused.value).startswith(message.format(folder=folder))


def test_a_folder_without_aas_files_is_refused(tmp_path: Path) -> None:
    folder = touch(tmp_path / "in", "readme.md", "data.csv")
    with pytest.raises(UsageError) as refused:
        plan_conversion(folder, tmp_path / "out", ConvertOptions(to_format="xml"))
    assert str(refused.value) == f"no AAS files in {str(folder)!r}"


# endregion
# region validate files and folders


def test_validate_checks_files_as_named_and_folders_by_suffix_in_order(tmp_path: Path) -> None:
    folder = touch(tmp_path / "in", "z.json", "a/b.xml", "c.aasx", "notes.txt")
    named = str(touch(tmp_path, "named.txt") / "named.txt")
    options = ValidateOptions(model_type="Submodel", schemas=("my.json",))
    jobs = plan_validation([named, str(folder), "-"], options)
    assert jobs == [
        ValidateJob(named, options),  # a file named is checked whatever its suffix
        ValidateJob(str(folder / "a" / "b.xml"), options),
        ValidateJob(str(folder / "c.aasx"), options),
        ValidateJob(str(folder / "z.json"), options),
        ValidateJob("-", options),
    ]


@pytest.mark.parametrize("given", ["xml", "XML", ".xml"])
def test_validate_picks_a_folder_s_files_by_the_format_as_any_option_names_it(
    tmp_path: Path, given: str
) -> None:
    folder = touch(tmp_path / "in", "a.json", "b.xml")
    jobs = plan_validation([str(folder)], ValidateOptions(format=given))
    assert [job.name for job in jobs] == [str(folder / "b.xml")]


def test_validate_refuses_an_unknown_format_and_an_empty_plan(tmp_path: Path) -> None:
    folder = touch(tmp_path / "in", "a.json")
    with pytest.raises(UsageError) as unknown:
        plan_validation([str(folder)], ValidateOptions(format="yaml"))
    assert str(unknown.value).startswith("unknown format 'yaml' (known: json, xml, aasx")
    with pytest.raises(UsageError) as empty:
        plan_validation([str(folder)], ValidateOptions(format="aasx"))
    assert str(empty.value) == "no aasx files (.aasx) in the given folders"


def test_the_files_of_a_folder_by_format(tmp_path: Path) -> None:
    folder = touch(tmp_path / "in", "b.json", "a.XML", "c.nt", "d.zip")
    assert [path.name for path in aas_files(folder)] == ["a.XML", "b.json", "c.nt"]


# endregion
# region what the batch hands back and tells


def test_a_file_the_toolkit_could_not_check_has_a_report_saying_so() -> None:
    options = ValidateOptions()
    crashed = batch.report_of(ValidateJob("-", options), Done(internal="KeyError: 'x'"))
    assert crashed.source == "<stdin>"
    assert not crashed.readable
    assert [(f.rule, f.severity.value, f.location.file) for f in crashed.findings] == [
        ("aas:internal-error", "error", "<stdin>")
    ]
    assert crashed.findings[0].text == f"internal error: KeyError: 'x' {batch.BUG}"
    lost = batch.report_of(ValidateJob("in/a.json", options), Done(lost=True))
    assert (lost.source, lost.readable, lost.findings[0].rule) == (
        "in/a.json",
        False,
        "aas:worker-died",
    )


def _double(number: int) -> int:
    return 2 * number


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_is_told_before_the_first_file_and_as_each_finishes(workers: int) -> None:
    told: list[tuple[int, int]] = []
    outcomes = list(batch.run(_double, [1, 2, 3, 4], workers, lambda *seen: told.append(seen)))
    assert [done.value for done in outcomes] == [2, 4, 6, 8]
    assert told[0] == (0, 4)
    assert told[-1] == (4, 4)
    assert all(total == 4 for _, total in told)
    done_counts = [done for done, _ in told]
    assert done_counts == sorted(done_counts)
    if workers == 1:
        assert done_counts == [0, 1, 2, 3, 4]


def test_the_library_runs_batches_without_the_command_line_s_packages() -> None:
    """aas.batch and aas.plan draw no progress bar themselves: typer is the CLI's."""
    code = "import sys, aas.batch, aas.plan; print(sorted({'typer', 'click'} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("options", "call"), [(ConvertOptions, aas.convert), (ValidateOptions, aas.validate)]
)
def test_the_options_are_the_keywords_of_the_call_they_are_passed_to(
    options: type, call: Callable[..., object]
) -> None:
    keywords = inspect.signature(call).parameters
    for option in fields(options):
        assert keywords[option.name].kind is inspect.Parameter.KEYWORD_ONLY


# endregion
