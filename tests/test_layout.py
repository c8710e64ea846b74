"""The package layout is the pipeline: each stage's subpackage imports only the stages its
``__init__`` docstring allows ("May import: ..."), so imports run one way and never in a cycle.

The import graph is read from the source (every import, at module level or inside a function),
not from what happens to be imported at run time.
"""

from __future__ import annotations

import ast
import re
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

from paths import ROOT

PACKAGE = ROOT / "src" / "natowatch"
# The commands on top of the pipeline: they may import every stage, no stage imports them.
TOP_MODULES = {
    "__init__",
    "__main__",
    "build",
    "kept",  # what a build session keeps, of every stage
    "cli",
    "serve",
    "preview",
    "uptodate",
    "scaffold",
    "progress",
}
ALLOWED_LINE = re.compile(r"^May import: (.+?)\.?$", re.MULTILINE)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The natowatch modules ``path`` imports, ``from natowatch.x import y`` counted as x.y when
    y is a module."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            found.add(source)
            found.update(f"{source}.{alias.name}" for alias in node.names)
    return {module for module in found if module in known and module != name}


def import_graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(path, set(found)) for name, path in found.items()}


def stage_of(module: str) -> str | None:
    """The subpackage a module belongs to; None for natowatch itself and the top modules."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] not in TOP_MODULES) else None


def allowed_stages() -> dict[str, set[str]]:
    """Stage -> the stages its ``__init__`` docstring says it may import."""
    rules: dict[str, set[str]] = {}
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        match = ALLOWED_LINE.search(docstring)
        assert match, f"{init.relative_to(ROOT)}: the docstring needs a 'May import: ...' line"
        named = re.sub(r"\([^)]*\)", "", match.group(1))
        stages = {word.strip() for word in named.split(",")}
        rules[init.parent.name] = set() if stages == {"nothing else of natowatch"} else stages
    return rules


def violations(graph: dict[str, set[str]], rules: dict[str, set[str]]) -> list[str]:
    """Every import a stage's rule forbids, and every import of a top module from a stage."""
    problems = []
    for module, targets in sorted(graph.items()):
        stage = stage_of(module)
        if stage is None:
            continue
        for target in sorted(targets):
            other = stage_of(target)
            if other is None and target != "natowatch":
                problems.append(f"{module} imports the top module {target}")
            elif other not in (None, stage) and other not in rules.get(stage, set()):
                problems.append(f"{module} imports {target}: {stage} may not import {other}")
    return problems


def test_every_module_is_in_a_stage_or_on_top() -> None:
    loose = sorted(
        name
        for name, path in modules().items()
        if path.parent == PACKAGE and path.stem not in TOP_MODULES
    )
    assert loose == [], "put new modules in the subpackage of the stage they belong to"


def test_every_stage_states_what_it_may_import_and_only_real_stages() -> None:
    rules = allowed_stages()
    assert set(rules) == {
        "core",
        "language",
        "extract",
        "understand",
        "archive",
        "corpus",
        "publish",
    }
    for stage, allowed in rules.items():
        assert allowed <= set(rules), f"{stage} names unknown stages: {allowed - set(rules)}"


def test_stages_import_only_what_their_docstring_allows() -> None:
    assert violations(import_graph(), allowed_stages()) == []


def test_the_stage_rules_run_one_way() -> None:
    try:
        order = list(TopologicalSorter(allowed_stages()).static_order())
    except CycleError as error:
        pytest.fail(f"the stages' 'May import' rules form a cycle: {error.args[1]}")
    assert order[0] == "core" and order[-1] == "publish"


def test_no_module_import_cycles() -> None:
    try:
        TopologicalSorter(import_graph()).prepare()
    except CycleError as error:
        pytest.fail(f"modules import each other in a cycle: {error.args[1]}")


def test_the_checker_catches_a_backward_import_and_an_import_of_a_command() -> None:
    rules = {"core": set(), "archive": {"core"}, "publish": {"core", "archive"}}
    graph = {
        "natowatch.core.model": {"natowatch.publish.urls"},
        "natowatch.archive.loader": {"natowatch.core.model", "natowatch.build"},
        "natowatch.publish.render": {"natowatch.archive.config", "natowatch"},
        "natowatch.build": {"natowatch.publish.render"},
    }
    assert violations(graph, rules) == [
        "natowatch.archive.loader imports the top module natowatch.build",
        "natowatch.core.model imports natowatch.publish.urls: core may not import publish",
    ]
