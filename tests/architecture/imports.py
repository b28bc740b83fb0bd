"""The import graph of bot/'s packages, read from the source (ast), for the architecture tests.

A package is a first-level folder of bot/ (bot/sms, bot/desk, ...); a top-level module
(bot/settings.py, bot/schema.py, ...) is a package of its own. Every import counts, at the top of
a module or inside a function: `import bot.x.y`, `from bot.x.y import z`, `from bot import x` and
relative imports all give the edge importer -> x.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Edge:
    source: str  # the importing package
    target: str  # the imported package
    where: str  # "bot/sms/status.py:47"


def module_name(path: Path, root: Path) -> tuple[str, ...]:
    parts = path.relative_to(root).with_suffix("").parts
    return parts[:-1] if parts[-1] == "__init__" else parts


def package_of(module: str) -> str | None:
    """`bot.sms.status` -> `sms`; None for what is not inside bot (or is bot itself)."""
    parts = module.split(".")
    if parts[0] != "bot" or len(parts) < 2:
        return None
    return parts[1]


def imported_modules(node: ast.AST, module: tuple[str, ...], is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        base = list(module if is_package else module[:-1])
        base = base[: len(base) - (node.level - 1)]
        name = ".".join(base + ([node.module] if node.module else []))
    else:
        name = node.module or ""
    if name == "bot":  # `from bot import handoff`: each name is a package or a top-level module
        return [f"bot.{alias.name}" for alias in node.names]
    return [name]


def import_edges(root: Path, top: str = "bot") -> list[Edge]:
    """Every import between two different packages of `root/top`."""
    edges = []
    for path in sorted((root / top).rglob("*.py")):
        module = module_name(path, root)
        source = package_of(".".join(module))
        if source is None:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            for name in imported_modules(node, module, path.name == "__init__.py"):
                target = package_of(name)
                if target is not None and target != source:
                    edges.append(Edge(source, target, f"{path.relative_to(root).as_posix()}:{node.lineno}"))
    return edges


def cycles(edges: list[Edge]) -> list[list[Edge]]:
    """One cycle (as its edges, in order) for each group of packages that import one another."""
    graph: dict[str, dict[str, Edge]] = {}
    for edge in edges:
        graph.setdefault(edge.source, {}).setdefault(edge.target, edge)
    found = []
    for group in strongly_connected(graph):
        if len(group) > 1:
            found.append(cycle_through(graph, group))
    return found


def strongly_connected(graph: dict[str, dict[str, Edge]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, {}))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, {})))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                groups.append(group)
    return groups


def cycle_through(graph: dict[str, dict[str, Edge]], group: set[str]) -> list[Edge]:
    """The shortest cycle from the group's first package back to it, inside the group."""
    start = min(group)
    paths = {start: []}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target, edge in sorted(graph.get(node, {}).items()):
            if target not in group:
                continue
            if target == start:
                return paths[node] + [edge]
            if target not in paths:
                paths[target] = paths[node] + [edge]
                queue.append(target)
    raise AssertionError(f"no cycle through {start} in {sorted(group)}")


def describe(cycle: list[Edge]) -> str:
    """ "sms -> handoff (bot/sms/status.py:47) -> sms (bot/handoff/service.py:210)"."""
    return cycle[0].source + "".join(f" -> {edge.target} ({edge.where})" for edge in cycle)
