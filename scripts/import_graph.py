"""Print the app-level import graph of the project and the cycles in it.

Every import counts, at module level or inside a function (a deferred import
hides a dependency, it does not remove it). Tests and migrations are left out,
and so are the project package's urls, wsgi and settings, which wire every app
together by design. Run: `.venv/bin/python scripts/import_graph.py`.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {"tests", "migrations", "tests_browser", "tests_deploy", "node_modules", "scripts"}
SKIPPED_FILES = {"nashir/urls.py", "nashir/wsgi.py", "conftest.py", "manage.py"}


def apps() -> list[str]:
    return sorted(
        path.name
        for path in ROOT.iterdir()
        if path.is_dir() and (path / "__init__.py").exists() and path.name not in SKIPPED_DIRS
    )


def sources(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        relative = path.relative_to(ROOT)
        parts = set(relative.parts[:-1])
        if parts & SKIPPED_DIRS or relative.as_posix() in SKIPPED_FILES:
            continue
        if relative.parts[:2] == ("nashir", "settings") or path.name.startswith("test_"):
            continue
        yield path


def imported_modules(path: Path, app: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    if path.name == "__init__.py":
        package = package.rsplit(".", 1)[0] + ".__init__"
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: -node.level]
                modules.add(".".join(base + ([node.module] if node.module else [])))
            elif node.module:
                modules.add(node.module)
    return modules


def graph() -> dict[str, set[str]]:
    names = apps()
    edges: dict[str, set[str]] = {app: set() for app in names}
    for app in names:
        for path in sources(app):
            for module in imported_modules(path, app):
                target = module.split(".", 1)[0]
                if target in edges and target != app:
                    edges[app].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def main() -> int:
    edges = graph()
    for app in sorted(edges):
        print(f"{app} -> {', '.join(sorted(edges[app])) or '(nothing)'}")
    found = cycles(edges)
    print()
    if not found:
        print("No cycles.")
    for component in found:
        print(f"Cycle through: {', '.join(component)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
