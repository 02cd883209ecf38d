"""Figures of zhibao's import graph: modules, cycles, imports that run against the layer order.

    python tools/import_graph.py            # the figures for src/zhibao as it is now
    python tools/import_graph.py --list     # and every cycle and every upward import

The layer of a module is where it *lives* (its top-level package or module), so the figures
mean the same for any layout: ``zhibao.analyze.commands`` counts as the analyze stage even if
it is a CLI command. Shells are on top, then the runs layer, the stages in pipeline order
(publish highest), config, core. ``check`` sits below ``write`` because writers call the
checker on their own drafts (the llm writer's retry loop) and the checker needs nothing of
theirs. The public face ``zhibao/__init__.py`` stands outside the layers.

The graph is grimp's (the one import-linter reads), so ``TYPE_CHECKING`` and function-level
imports count too.
"""

from __future__ import annotations

import argparse
import sys

import grimp

LAYERS = [
    "shells",
    "runs",
    "publish",
    "render",
    "write",
    "check",
    "analyze",
    "store",
    "extract",
    "crawl",
    "config",
    "core",
]

# Top-level names of the old flat layout, placed by what they are.
LOOSE = {
    "collect": "crawl",  # the crawl stage before it was renamed
    "cli": "shells",
    "web": "shells",
    "doctor": "shells",
    "collect_command": "shells",
    "__main__": "shells",
    "pipeline": "runs",
    "briefing": "runs",
    "demo": "runs",
    "demo_server": "runs",
    "demo_sites": "runs",
    "model": "core",
    "errors": "core",
    "figures": "core",
    "urls": "core",
    "schema": "core",
}


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2:
        return None  # the package itself: the public API, outside the layers
    top = parts[1]
    if top in LAYERS:
        return top
    return LOOSE.get(top)


def top_package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def strongly_connected(graph: grimp.ImportGraph, modules: set[str]) -> list[set[str]]:
    """Tarjan's algorithm, iterative; components of two or more modules are import cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[set[str]] = []
    counter = 0
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root) & modules)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child) & modules)))
                    )
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    out.append(component)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", default="zhibao")
    parser.add_argument("--list", action="store_true", help="print each cycle and upward import")
    args = parser.parse_args(argv)

    graph = grimp.build_graph(args.package, cache_dir=None)
    modules = {m for m in graph.modules if m.startswith(args.package)}
    cycles = strongly_connected(graph, modules)
    across = [c for c in cycles if len({top_package(m) for m in c}) > 1]

    rank = {name: i for i, name in enumerate(LAYERS)}  # smaller rank = higher layer
    upward: list[tuple[str, str]] = []
    edges = 0
    for importer in sorted(modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & modules):
            edges += 1
            a, b = layer_of(importer), layer_of(imported)
            if a is not None and b is not None and rank[b] < rank[a]:
                upward.append((importer, imported))

    print(f"modules: {len(modules)}   imports between them: {edges}")
    print(f"import cycles: {len(cycles)} ({len(cycles) - len(across)} within a package, "
          f"{len(across)} across packages)")
    print(f"imports against the layer order: {len(upward)}")
    if args.list:
        for component in cycles:
            print("  cycle:", " ↔ ".join(sorted(component)))
        for importer, imported in upward:
            print(f"  up: {importer} ({layer_of(importer)}) → {imported} ({layer_of(imported)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
