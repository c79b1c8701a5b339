"""Imports run one way: model/errors/codec <- text <- readers, cluster, report <- briefing <- store, spark <- web <- cli.

Every import in the package (top of module or inside a function) is read with ``ast``;
a module may import its own layer or a lower one, never a peer or a higher one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "storybrief"

#: Layer of each top-level name under ``storybrief`` and its rank; peers share a rank but not a layer.
RANKS = {
    "model": 0,
    "errors": 0,
    "codec": 0,
    "text": 1,
    "readers": 2,
    "cluster": 2,
    "report": 2,
    "briefing": 3,
    "evaluation": 3,
    "store": 4,
    "spark": 4,
    "web": 5,
    "cli": 6,
    "__init__": 6,  # the public API names what the layers offer
}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module_of(path: Path, root: Path = PACKAGE) -> str:
    rel = path.relative_to(root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path, root: Path = PACKAGE) -> list[tuple[int, str]]:
    """(line, absolute module) of every storybrief import in one file."""
    module = _module_of(path, root)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "storybrief"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "storybrief":
                continue
            if target == "storybrief" or not node.module:
                # "from . import resources", "from storybrief import x": the names are modules or API names
                found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, target))
    return found


def violations(root: Path = PACKAGE) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")):
        here = _layer(_module_of(path, root))
        for line, target in imports_of(path, root):
            there = _layer(target)
            if there not in RANKS:
                there = "__init__"  # a top-level API name ("from storybrief import __version__")
            if there == here:
                continue
            if RANKS[there] >= RANKS[here]:
                out.append(f"{path.relative_to(root.parent)}:{line}: layer {here} imports {target} ({there})")
    return out


def test_every_module_has_a_layer() -> None:
    for path in PACKAGE.rglob("*.py"):
        assert _layer(_module_of(path)) in RANKS, path


def test_imports_run_one_way() -> None:
    assert violations() == []


def test_the_check_catches_an_upward_import(tmp_path: Path) -> None:
    root = tmp_path / "storybrief"
    (root / "text").mkdir(parents=True)
    (root / "briefing").mkdir()
    for folder in (root, root / "text", root / "briefing"):
        (folder / "__init__.py").write_text("")
    (root / "briefing" / "facts.py").write_text("from ..text.clean import clean_text\n")
    (root / "text" / "figures.py").write_text("from ..briefing.facts import reconcile\n")
    (root / "text" / "clean.py").write_text("def f():\n    from storybrief.cluster import cluster\n")
    found = violations(root)
    assert len(found) == 2
    assert any("figures.py:1" in v and "briefing" in v for v in found)
    assert any("clean.py:2" in v and "cluster" in v for v in found)


@pytest.mark.parametrize("layer", ["readers", "cluster", "report"])
def test_peers_do_not_import_each_other(layer: str) -> None:
    assert not [v for v in violations() if f"layer {layer} " in v]


def test_benchmark_imports_resolve() -> None:
    """Benchmarks stay out of the test run, but every storybrief name they import must exist."""
    import importlib

    bench = PACKAGE.parent.parent / "bench"
    missing = []
    for path in sorted(bench.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "storybrief":
                module = importlib.import_module(str(node.module))
                missing += [f"{path.name}: {node.module}.{a.name}" for a in node.names if not hasattr(module, a.name)]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner, name = node.func.value, node.func.attr
                api = importlib.import_module("storybrief")
                if isinstance(owner, ast.Name) and owner.id == "storybrief" and not callable(getattr(api, name, None)):
                    missing.append(f"{path.name}: storybrief.{name}() is not a function")
    assert missing == []
