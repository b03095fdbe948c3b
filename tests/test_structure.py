"""The code keeps its shape as it grows: the apps depend one way, nothing imports a module that
imports it back, what the apps use of the project package imports no app, and no module grows
past what one job needs. Read from the source (imports anywhere in a module, functions too)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("soletherapy", "conditions", "bookings")
# What the apps import from the project package: these must import no app.
APP_FACING = (
    "soletherapy.page_cache",
    "soletherapy.generations",
    "soletherapy.write_turn",
    "soletherapy.compressed_pages",
    "soletherapy.worker_pages",
    "soletherapy.structured_data",
    "soletherapy.log_filters",
    "soletherapy.templatetags.site_tags",
    "soletherapy.limits",
)
LONGEST = 300


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources(*roots) -> dict[str, Path]:
    found = {}
    for root in roots:
        for path in (ROOT / root).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


MODULES = _sources(*PACKAGES)


def _imports(path: Path) -> set[str]:
    """The project modules this file imports (`from a import b` names module a.b when it is one)."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                imported.add(submodule if submodule in MODULES else node.module)
    return {name for name in imported if name.split(".")[0] in PACKAGES}


GRAPH = {name: _imports(path) for name, path in MODULES.items()}


def _app(module: str) -> str:
    return module.split(".")[0]


def test_bookings_may_use_conditions_but_conditions_never_uses_bookings():
    between_apps = {
        (module, imported)
        for module, imports in GRAPH.items()
        for imported in imports
        if _app(module) in ("bookings", "conditions") and _app(imported) in ("bookings", "conditions")
        if _app(module) != _app(imported)
    }

    assert {(_app(a), _app(b)) for a, b in between_apps} == {("bookings", "conditions")}


@pytest.mark.parametrize("module", APP_FACING)
def test_what_the_apps_use_of_the_project_package_imports_no_app(module):
    assert {imported for imported in GRAPH[module] if _app(imported) != "soletherapy"} == set()
    assert all(imported in APP_FACING for imported in GRAPH[module])


def test_the_apps_use_only_the_app_facing_part_of_the_project_package():
    used = {
        imported
        for module, imports in GRAPH.items()
        if _app(module) != "soletherapy"
        for imported in imports
        if _app(imported) == "soletherapy"
    }

    assert used <= set(APP_FACING), used - set(APP_FACING)


def test_no_module_imports_a_module_that_imports_it_back():
    cycles = []

    def visit(module, path):
        for imported in GRAPH.get(module, ()):
            if imported in path:
                cycles.append([*path[path.index(imported) :], imported])
            elif imported not in done:
                visit(imported, [*path, imported])
        done.add(module)

    done = set()
    for module in GRAPH:
        if module not in done:
            visit(module, [module])

    assert cycles == []


def test_no_module_is_longer_than_one_job_needs():
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in [*MODULES.values(), *_sources("tests", "bench").values()]
        if (lines := len(path.read_text("utf-8").splitlines())) > LONGEST
    }

    assert too_long == {}
