"""The pytest plugin (entry point group ``pytest11``, name ``aas``): model files as test items,
and a fixture that validates what a project's own tests produce.

``pytest --aas PATH...`` collects every AAS file below each path (the files ``aas validate``
picks in a folder: :func:`aas.plan.aas_files`) as one item, ``FILE::validate``, which fails
with the report ``aas validate`` prints when the file is unreadable or holds a finding at or
above ``--aas-fail-on``. ``--aas-template`` adds the template check (``aas template check``)
to every item.

pytest loads this module in every run where the toolkit is installed, the project's own
suite included: at load time it imports nothing of the toolkit's beyond the ``aas`` facade
(which a package's module brings), and it registers its collection hooks only when ``--aas``
is given, so a run without it collects and runs as if the plugin were absent.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from _pytest._code.code import ReprFileLocation, TerminalRepr
from _pytest._io import TerminalWriter

if TYPE_CHECKING:
    from aas.report import Report
    from aas.template_check import Template

#: The values of ``--aas-fail-on``, as ``aas validate --fail-on`` takes them.
FAIL_ON = ("error", "warning", "info")

#: The name of the one item of a model file: ``models/motor.json::validate``.
ITEM_NAME = "validate"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("aas", "Asset Administration Shell models (aas-toolkit)")
    group.addoption(
        "--aas",
        action="extend",
        nargs="+",
        default=[],
        metavar="PATH",
        dest="aas_paths",
        help="Validate every AAS file below these files or folders (as 'aas validate' picks "
        "them), one test item each.",
    )
    group.addoption(
        "--aas-fail-on",
        choices=FAIL_ON,
        default=None,
        dest="aas_fail_on",
        help="Fail an item on a finding at or above this severity (default: error); also "
        "the aas_validate fixture's default.",
    )
    group.addoption(
        "--aas-version",
        default=None,
        dest="aas_version",
        help="Read the models as this metamodel version (3.0, 3.1) where the file does not say.",
    )
    group.addoption(
        "--aas-checks",
        default=None,
        dest="aas_checks",
        help="Comma-separated layers to run: schema, constraints, references, package "
        "(default: all).",
    )
    group.addoption(
        "--aas-template",
        action="append",
        default=[],
        metavar="PATH",
        dest="aas_templates",
        help="Also check each model against these submodel templates (files or folders; "
        "repeatable), as 'aas template check' does.",
    )


@dataclass(frozen=True)
class Settings:
    """The options every item and the fixture read by, checked once before collection."""

    fail_on: str
    version: str | None
    checks: tuple[str, ...] | None
    template_paths: tuple[str, ...]


_SETTINGS = pytest.StashKey[Settings]()
_TEMPLATES = pytest.StashKey["list[Template]"]()


def pytest_configure(config: pytest.Config) -> None:
    option = config.option
    try:
        settings = _settings(
            getattr(option, "aas_fail_on", None),
            getattr(option, "aas_version", None),
            getattr(option, "aas_checks", None),
            getattr(option, "aas_templates", None) or [],
        )
    except ValueError as error:
        raise pytest.UsageError(f"aas: {error}") from None
    config.stash[_SETTINGS] = settings
    if settings.template_paths:
        # Read once for the run, before anything is collected: a template that cannot be
        # read stops the run as a wrong option does, instead of failing every item.
        from aas.errors import AasError
        from aas.template_check import load_templates

        try:
            config.stash[_TEMPLATES] = load_templates(list(settings.template_paths))
        except AasError as error:
            raise pytest.UsageError(f"aas: --aas-template: {error}") from None
    paths: list[str] = getattr(option, "aas_paths", None) or []
    if not paths:
        return  # no model items: the run is the project's own, untouched
    # The paths are collected as if given on the command line; without positional arguments
    # pytest would also collect its testpaths (or the current folder): only the models then.
    if config.args_source is pytest.Config.ArgsSource.ARGS:
        config.args.extend(path for path in paths if path not in config.args)
    else:
        config.args[:] = paths
    invocation = config.invocation_params.dir
    roots = frozenset((invocation / path).resolve() for path in paths)
    config.pluginmanager.register(_Collection(roots), "aas-collection")


def _settings(
    fail_on: str | None, version: str | None, checks: str | None, templates: Sequence[str]
) -> Settings:
    """The options checked as ``aas validate`` checks its own; ValueError names a wrong one."""
    if version is not None:
        from aas.errors import AasError
        from aas.versions import as_read_version

        try:
            as_read_version(version)
        except AasError as error:
            raise ValueError(f"--aas-version: {error}") from None
    chosen: tuple[str, ...] | None = None
    if checks is not None:
        from aas.codec import Check

        try:
            chosen = tuple(Check(part.strip()).value for part in checks.split(",") if part.strip())
        except ValueError:
            known = ", ".join(check.value for check in Check)
            raise ValueError(
                f"--aas-checks: unknown check in {checks!r} (choose from {known})"
            ) from None
    return Settings(fail_on or "error", version, chosen, tuple(templates))


class _Collection:
    """The hooks that turn the ``--aas`` paths into items; registered only with ``--aas``."""

    def __init__(self, roots: frozenset[Path]) -> None:
        self.roots = roots

    @pytest.hookimpl(tryfirst=True)
    def pytest_collect_directory(self, path: Path, parent: pytest.Collector) -> Any:
        if path.resolve() in self.roots:
            return ModelFolder.from_parent(parent, path=path, nodeid=_node_id(parent, path))
        return None

    @pytest.hookimpl(tryfirst=True)
    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector) -> Any:
        # A model file named itself: validated whatever its suffix, as `aas validate` does.
        if file_path.resolve() in self.roots:
            return ModelFile.from_parent(parent, path=file_path, nodeid=_node_id(parent, file_path))
        return None


def _node_id(parent: pytest.Collector, path: Path) -> str:
    """A model file's (or folder's) node id: its path below the rootdir, as pytest names test
    files, else its absolute path (which pytest shows relative to the working folder); not
    relative to the ``--aas`` path, as two paths may each hold a file of the same name."""
    try:
        return path.relative_to(parent.config.rootpath).as_posix()
    except ValueError:
        return path.as_posix()


class ModelFolder(pytest.Directory):
    """A folder given to ``--aas``: its AAS files, found as ``aas validate FOLDER`` finds them
    (every sub-folder, a file by its suffix as the format registry knows it)."""

    def collect(self) -> Iterator[pytest.Item | pytest.Collector]:
        from aas.plan import aas_files

        for path in aas_files(self.path):
            yield ModelFile.from_parent(self, path=path, nodeid=_node_id(self, path))


class ModelFile(pytest.File):
    """One model file: one item."""

    def collect(self) -> Iterator[pytest.Item]:
        yield ModelItem.from_parent(self, name=ITEM_NAME)


class AasFailure(Exception):
    """An item's failure: the text says everything (the report, or why the file could not be
    checked), and no traceback is shown with it; ``headline`` is what the short summary
    shows after the item's name."""

    def __init__(self, text: str, headline: str) -> None:
        super().__init__(text)
        self.text = text
        self.headline = headline


class _Shown(TerminalRepr):
    """A failure as its text, with the headline pytest's short summary (``-ra``) shows."""

    def __init__(self, path: Path, failure: AasFailure) -> None:
        self.text = failure.text.rstrip("\n")
        self.reprcrash = ReprFileLocation(str(path), 0, failure.headline)

    def __str__(self) -> str:
        return self.text

    def toterminal(self, tw: TerminalWriter) -> None:
        for line in self.text.splitlines():
            tw.line(line)


class ModelItem(pytest.Item):
    """Validate the file (and check it against the templates given); fail with the report."""

    def runtest(self) -> None:
        settings = self.config.stash[_SETTINGS]
        templates = _templates(self.config)
        try:
            reports = _reports(_shown(self.path), settings, templates)
        except Exception as error:
            why = _why(error)
            raise AasFailure(why, why) from None
        failure = _failure(reports, settings.fail_on)
        if failure is not None:
            raise failure

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | TerminalRepr:
        if isinstance(excinfo.value, AasFailure):
            return _Shown(self.path, excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{_shown(self.path)} (aas validate)"


def _templates(config: pytest.Config) -> list[Template]:
    """The templates of ``--aas-template`` (read when the run was configured)."""
    return config.stash.get(_TEMPLATES, [])


def _shown(path: Path) -> str:
    """The path as findings name it: relative to the working folder when below it (as
    ``aas validate FOLDER`` names the files it finds), else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _why(error: Exception) -> str:
    """What to say of an exception raised while checking: an AasError (a template that
    cannot be read, a wrong option) in its own words; anything else is a bug, said in one
    line as the command line says it."""
    from aas.batch import BUG
    from aas.errors import AasError

    if isinstance(error, AasError):
        return f"aas: error: {error}"
    return f"aas: internal error: {type(error).__name__}: {error} {BUG}"


def _failure(reports: Sequence[Report], fail_on: str) -> AasFailure | None:
    """The failure when a report fails at ``fail_on`` (unreadable, or a finding at or above
    it; notes about the reading never count), else None: its text is what ``aas validate``
    (and ``aas template check``) print, its headline the first finding that fails."""
    from aas.findings import Severity
    from aas.report import failing

    threshold = Severity(fail_on)
    if not any(report.fails(threshold) for report in reports):
        return None
    first = next(
        (
            finding
            for report in reports
            for finding in (failing(report.findings, threshold) or report.findings)
        ),
        None,
    )
    count = sum(len(failing(report.findings, threshold)) for report in reports)
    if first is None:
        headline = "unreadable"
    else:
        headline = f"{first.severity.value}: [{first.rule}] {first.message}"
        if count > 1:
            headline += f" (and {count - 1} more)"
    return AasFailure(_text(reports), headline)


def _reports(
    source: str | bytes | os.PathLike[str],
    settings: Settings,
    templates: Sequence[Template],
    *,
    version: str | None = None,
    format: str | None = None,
    model_type: str | None = None,
) -> list[Report]:
    """The validation report of ``source``, and its template report when templates are
    given and the model could be read."""
    from aas.validation import validate

    version = version or settings.version
    reports = [
        validate(
            source, format=format, version=version, model_type=model_type, checks=settings.checks
        )
    ]
    if templates and reports[0].readable:
        from aas.template_check import check_template

        reports.append(check_template(source, templates, version=version, format=format))
    return reports


def _text(reports: Sequence[Report]) -> str:
    from aas.report import render_text

    parts = [render_text([reports[0]])]
    if len(reports) > 1:
        parts.append("template check:\n" + render_text([reports[1]]))
    return "".join(parts)


#: The signature of the ``aas_validate`` fixture's function.
Validator = Callable[..., "Report"]


@pytest.fixture
def aas_validate(request: pytest.FixtureRequest) -> Validator:
    """A function that validates a model a test produced (a path, or the bytes of one) and
    fails the test with ``aas validate``'s report when it is unreadable or holds a finding at
    or above ``fail_on`` (default: ``--aas-fail-on``, else error); it returns the report.

    Keywords: ``fail_on``, ``version``, ``format`` (needed for bytes whose content does not
    tell), ``model_type``, and ``template`` (template files or folders to check against).
    """
    config = request.config
    settings = config.stash[_SETTINGS]

    def check(
        source: str | bytes | os.PathLike[str],
        *,
        fail_on: str | None = None,
        version: str | None = None,
        format: str | None = None,
        model_type: str | None = None,
        template: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
    ) -> Report:
        from aas.template_check import load_templates

        threshold = fail_on or settings.fail_on
        if threshold not in FAIL_ON:
            raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON)}, not {threshold!r}")
        templates = _templates(config)
        if template is not None:
            templates = load_templates(template)
        reports = _reports(
            source,
            settings,
            templates,
            version=version,
            format=format,
            model_type=model_type,
        )
        failure = _failure(reports, threshold)
        if failure is not None:
            pytest.fail(failure.text, pytrace=False)
        return reports[0]

    return check
