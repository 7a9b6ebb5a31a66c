"""Draw the project's import structure and check it: ``python scripts/import_graph.py``.

Every ``import`` statement of every module (at the top or inside a function) is read from the
source, so an import made only when a function runs counts too. Modules are grouped into layers,
top to bottom::

    thera_app                  the composition root: command line, server, background loops
    dashboards                 Panel and HoloViews apps
    thera_analytics.reports    report functions
    thera_analytics.sample     the sample practice generator
    thera_analytics.service    use cases
    thera_analytics.store      the database
    thera_analytics.domain     pure rules

Inside ``dashboards`` the three apps (the clinician's scheduler, the manager's practice view, the
client's portal) stand side by side: none imports another, and the parts they share
(``dashboards/shared`` and the modules directly in ``dashboards``) import none of them.

It prints the arrows between layers with how many imports each carries, then every arrow that
runs upward, every import between apps (or from a shared part into an app) and every import
cycle between modules; it exits 1 if there is any. ``--dot`` prints
the layer graph in Graphviz's dot language instead.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("thera_app", "dashboards", "thera_analytics")

# Top to bottom; a module may import its own layer and the layers below it.
LAYERS = (
    "thera_app",
    "dashboards",
    "thera_analytics.reports",
    "thera_analytics.sample",
    "thera_analytics.service",
    "thera_analytics.store",
    "thera_analytics.domain",
    "thera_analytics",  # the package's own small top-level modules (clock, practice)
)
# The core's top-level modules that are not rules: ``practice`` is the core's facade over the
# use cases, ``clock`` the injectable time. Their place in the order, by what they import.
PLACED = {"thera_analytics.practice": "thera_analytics.reports",
          "thera_analytics.clock": "thera_analytics.domain"}

# Libraries the core must never load, at import time or when a function runs.
UI_LIBRARIES = ("panel", "holoviews", "bokeh", "nbconvert", "nbclient", "papermill",
                "jupyterlab", "dashboards", "thera_app")


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the project's packages, by dotted name."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path) -> Iterator[str]:
    """The dotted names one module imports, wherever the statement stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from a.b import c`` names a.b.c: a module, or a name defined in a.b.
            yield from (f"{base}.{alias.name}" for alias in node.names)


def layer_of(module: str) -> str | None:
    if module in PLACED:
        return PLACED[module]
    for layer in LAYERS:
        if module == layer or module.startswith(layer + "."):
            return layer
    return None


def edges(root: Path = ROOT) -> dict[tuple[str, str], set[str]]:
    """Module -> imported project module, for every import of a project module."""
    known = modules(root)
    found: dict[tuple[str, str], set[str]] = {}
    for name, path in known.items():
        for target in imports_of(name, path):
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.setdefault((name, target), set())
    return found


def upward(root: Path = ROOT) -> list[tuple[str, str]]:
    """Imports that run from a lower layer to a higher one."""
    order = {layer: i for i, layer in enumerate(LAYERS)}
    bad = []
    for source, target in edges(root):
        a, b = layer_of(source), layer_of(target)
        if a is not None and b is not None and order[b] < order[a]:
            bad.append((source, target))
    return sorted(bad)


def cycles(root: Path = ROOT) -> list[list[str]]:
    """Groups of modules that import each other (strongly connected, more than one)."""
    graph: dict[str, list[str]] = {}
    for source, target in edges(root):
        graph.setdefault(source, []).append(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


# The served apps: each may import the shared parts of ``dashboards``, never another app.
APPS = ("dashboards.scheduler", "dashboards.practice", "dashboards.portal")


def app_of(module: str) -> str | None:
    return next((a for a in APPS if module == a or module.startswith(a + ".")), None)


def across_apps(root: Path = ROOT) -> list[tuple[str, str]]:
    """Imports from one app into another, or from a shared part of ``dashboards`` into an app."""
    bad = []
    for source, target in edges(root):
        if not source.startswith("dashboards"):
            continue
        target_app = app_of(target)
        if target_app is not None and app_of(source) != target_app:
            bad.append((source, target))
    return sorted(bad)


def core_ui_imports(root: Path = ROOT) -> list[tuple[str, str]]:
    """(core module, library) for every import of a UI library by the core package."""
    bad = []
    for name, path in modules(root).items():
        if not name.startswith("thera_analytics"):
            continue
        for target in imports_of(name, path):
            if target.split(".")[0] in UI_LIBRARIES:
                bad.append((name, target))
    return sorted(set(bad))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dot", action="store_true", help="print the layer graph as dot")
    args = parser.parse_args(argv)
    arrows = Counter((layer_of(s), layer_of(t)) for s, t in edges())
    arrows = Counter({k: v for k, v in arrows.items() if k[0] != k[1] and None not in k})
    if args.dot:
        print("digraph layers {\n  rankdir=TB;")
        for (a, b), n in sorted(arrows.items()):
            print(f'  "{a}" -> "{b}" [label={n}];')
        print("}")
        return 0
    print("Arrows between layers (imports carried):")
    for (a, b), n in sorted(arrows.items(), key=lambda kv: (LAYERS.index(kv[0][0]), kv[0][1])):
        print(f"  {a:<26} -> {b:<26} {n:>4}")
    problems = 0
    for source, target in upward():
        print(f"UPWARD: {source} imports {target}")
        problems += 1
    for source, target in across_apps():
        print(f"ACROSS APPS: {source} imports {target}")
        problems += 1
    for group in cycles():
        print("CYCLE: " + " <-> ".join(group))
        problems += 1
    for source, target in core_ui_imports():
        print(f"CORE LOADS UI: {source} imports {target}")
        problems += 1
    print("no upward arrows, no imports across apps, no cycles, no UI in the core"
          if not problems
          else f"{problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
