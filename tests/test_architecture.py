"""The import graph keeps the design the README draws: no circle, and no import that runs back up.

Every ``import`` in the hand-written code is read with ``ast`` (those inside functions and under
``TYPE_CHECKING`` too, since an import moved into a function to dodge a circle is still one), and
each module is given the floor of the package it belongs to. A module may import its own floor
or a lower one; the modules of one floor import each other without a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Floors from the bottom up; a module is on the floor of the longest prefix that names it.
FLOORS: tuple[tuple[str, ...], ...] = (
    # the core: what every other part speaks in
    (
        "aas._turtle",  # issue 14: the compiled Turtle reader (C, aas/_native/; imports nothing)
        "aas.about",
        "aas.gzipped",  # issue 15: gzip inputs, decompressed with a cap
        "aas.wording",  # issue 15: counts said right ("1 error", "2 errors")
        "aas.errors",
        "aas.severity",
        "aas.findings",
        "aas.rules",
        "aas.versions",
        "aas.limits",
        "aas.xmlsafe",
        "aas.places",  # issue 14: fsspec URLs as inputs and outputs (the dask extra)
        "aas.atomic",
        "aas.gcpause",
        "aas.memory",
        "aas.model",
        "aas.defects",
        "aas.report",
        "aas.report_html",  # issue 15: the HTML page of validation reports
        "aas.rdfids",
        "aas.schemas",
    ),
    ("aas.metamodel",),  # the metamodel description, its names, generators and generated code
    ("aas.checks",),  # checks of a model in any format
    ("aas.codec", "aas.formats"),  # the format interface and the registry
    ("aas.converters", "aas.converters.value"),  # the formats (value-only JSON among them)
    # the library's calls
    (
        "aas.pipeline",
        "aas.api",
        "aas.validation",
        "aas.version_change",
        "aas.batch",
        "aas.plan",
        "aas.value_rows",  # issue 13: the values of a model as rows (aas values)
        "aas.template_check",  # models against submodel templates (issue 13)
        "aas.tree",  # issue 15: a model as a tree (aas show)
        "aas.cluster",  # issue 14: batches on a Dask cluster (the dask extra)
        "aas.semantic_diff",  # issue 15: aas diff (a module aas.diff would hide the function)
        "aas.basyx_interop",  # issue 15: models to and from basyx-python-sdk (the basyx extra)
    ),
    # the command line; the pytest plugin (issue 15) beside it
    ("aas.cli", "aas.__main__", "aas.pytest_plugin"),
)


def _module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[0] == "converters" or parts[0] == "schemas":
        parts = ["aas", *parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in ("aas", "converters", "schemas"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "generated" in path.parts:
                continue  # generated code imports only its generator's runtime helpers
            found[_module_name(path)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The project's modules ``name`` imports (a package's name where a module is not one)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            candidates = [f"{module}.{alias.name}" for alias in node.names] + [module]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != "aas" and candidate != name:
                targets.add(candidate)
                break
    return targets


def _floor(module: str) -> int:
    best, floor = -1, -1
    for number, prefixes in enumerate(FLOORS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, floor = len(prefix), number
    return floor


GRAPH = {name: _imports(name, path, set(_sources())) for name, path in _sources().items()}


def test_every_module_has_a_floor() -> None:
    unplaced = sorted(name for name in GRAPH if name != "aas" and _floor(name) < 0)
    assert unplaced == [], "give these modules a floor in FLOORS (and the README's picture)"


def test_no_import_runs_back_up() -> None:
    upward = sorted(
        f"{name} (floor {_floor(name)}) imports {target} (floor {_floor(target)})"
        for name, targets in GRAPH.items()
        if name != "aas"
        for target in targets
        if _floor(target) > _floor(name)
    )
    assert upward == []


def test_no_import_circle() -> None:
    circles = _strongly_connected(GRAPH)
    assert [sorted(circle) for circle in circles if len(circle) > 1] == []


#: Where a module is imported by a name built at run time: the registry imports each format's
#: codec where it is declared, codegen the generated modules.
DYNAMIC_IMPORTERS = frozenset({"aas.formats", "aas.metamodel.codegen"})


def _literal_dynamic_imports(path: Path) -> list[str]:
    """The ``importlib.import_module("aas....")`` calls with a literal name in a module: an
    import the graph above cannot see."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        first = node.args[0]
        if name == "import_module" and isinstance(first, ast.Constant | ast.JoinedStr):
            text = first.value if isinstance(first, ast.Constant) else ast.unparse(first)
            if isinstance(text, str) and text.lstrip("f'\"").startswith("aas"):
                found.append(f"line {node.lineno}: {text}")
    return found


def test_no_module_hides_an_import_behind_importlib() -> None:
    hidden = {
        name: calls
        for name, path in _sources().items()
        if name not in DYNAMIC_IMPORTERS and (calls := _literal_dynamic_imports(path))
    }
    assert hidden == {}


def test_the_library_reaches_formats_only_through_the_registry() -> None:
    """Code under ``aas/`` (the API, validation, the checks, the command line) never imports a
    format's module: it asks ``aas.formats`` for the format's codec."""
    reaching = sorted(
        f"{name} imports {target}"
        for name, targets in GRAPH.items()
        if not name.startswith("aas.converters")
        for target in targets
        if target.startswith("aas.converters")
    )
    assert reaching == []


def _strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    found.append(component)
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


@pytest.mark.parametrize(
    ("graph", "circle"),
    [({"a": {"b"}, "b": {"c"}, "c": {"a"}}, {"a", "b", "c"}), ({"a": {"b"}, "b": set()}, None)],
)
def test_the_circle_finder_finds_circles(graph: dict[str, set[str]], circle: set[str]) -> None:
    circles = [found for found in _strongly_connected(graph) if len(found) > 1]
    assert circles == ([circle] if circle else [])
