"""The floors of app/: imports run downward only, and no modules import each other in a circle.

Each package of app/ stands on one floor (LAYERS, bottom first). A module may import from its
own floor and the floors below; an import from a higher floor, or a circle of imports, fails
here, naming the modules. Imports inside functions and under TYPE_CHECKING count too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"

# Bottom first. A module belongs to the floor of the longest prefix naming it.
LAYERS: list[tuple[str, list[str]]] = [
    ("toolkit", ["app", "app.core"]),
    ("models", ["app.models"]),
    ("http", ["app.http", "app.auth", "app.idempotency"]),
    (
        "shared",
        ["app.changes", "app.evidence", "app.writes", "app.jsonld", "app.bundles", "app.spec"],
    ),
    (
        "domains",
        [
            "app.articles",
            "app.participants",
            "app.events",
            "app.issues",
            "app.quotations",
            "app.extraction",
            "app.health",
            "app.imports",
            "app.exports",
            "app.pages",
            "app.synth",
        ],
    ),
    ("app", ["app.kinds", "app.openapi", "app.openapi_examples", "app.main"]),
    ("entry points", ["app.cli", "app.build", "app.__main__"]),
]


def module_name(path: Path, root: Path) -> str:
    """The dotted module name of a file under root's parent."""
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, name: str, is_package: bool) -> Iterator[str]:
    """Every app module a file imports (relative imports resolved), anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            # `from app import jsonld` imports the module app.jsonld
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the modules of the tree it imports."""
    files = {module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        found = {
            target
            for target in imports_of(path, name, path.name == "__init__.py")
            if target in files and target != name
        }
        graph[name] = found
    return graph


def floor_of(module: str, layers: list[tuple[str, list[str]]]) -> int:
    """The index of the floor a module stands on; KeyError for a module on no floor."""
    best: tuple[int, int] | None = None
    for index, (_, prefixes) in enumerate(layers):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (
                best is None or len(prefix) > best[1]
            ):
                best = (index, len(prefix))
    if best is None:
        raise KeyError(module)
    return best[0]


def upward_imports(graph: Mapping[str, set[str]], layers: list[tuple[str, list[str]]]) -> list[str]:
    """Each import from a lower floor up to a higher one, described."""
    found = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            low, high = floor_of(module, layers), floor_of(target, layers)
            if high > low:
                found.append(f"{module} ({layers[low][0]}) imports {target} ({layers[high][0]})")
    return found


def circles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def package_graph(graph: Mapping[str, set[str]]) -> dict[str, set[str]]:
    """The import graph between app's packages (app.events, app.core, ...)."""

    def package(module: str) -> str:
        return ".".join(module.split(".")[:2])

    packages: dict[str, set[str]] = {}
    for module, targets in graph.items():
        here = package(module)
        packages.setdefault(here, set()).update(
            package(target) for target in targets if package(target) != here
        )
    return packages


def test_every_module_stands_on_a_floor() -> None:
    unplaced = []
    for module in import_graph(APP):
        try:
            floor_of(module, LAYERS)
        except KeyError:
            unplaced.append(module)
    assert unplaced == [], "add these modules' packages to a floor in LAYERS"


def test_imports_run_downward_only() -> None:
    assert upward_imports(import_graph(APP), LAYERS) == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    assert circles(import_graph(APP)) == []


def test_no_packages_import_each_other_in_a_circle() -> None:
    """A kind's package may use another's (events name quotations), never both ways round."""
    assert circles(package_graph(import_graph(APP))) == []


def _plant(root: Path, files: Mapping[str, str]) -> Path:
    for relative, text in files.items():
        path = root / "app" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "app"


def test_a_planted_circle_of_packages_is_found(tmp_path: Path) -> None:
    app = _plant(
        tmp_path,
        {
            "__init__.py": "",
            "events/__init__.py": "",
            "events/schemas.py": "from app.quotations.schemas import QuotationRead\n",
            "quotations/__init__.py": "",
            "quotations/schemas.py": "QuotationRead = object\n",
            "quotations/service.py": "from app.events import schemas\n",
        },
    )
    assert circles(import_graph(app)) == []
    assert circles(package_graph(import_graph(app))) == [["app.events", "app.quotations"]]


@pytest.mark.parametrize(
    "statement",
    [
        "from app.main import create_app",
        "import app.main",
        "from app import main",
        "from .. import main",
    ],
)
def test_a_planted_upward_import_is_found(tmp_path: Path, statement: str) -> None:
    app = _plant(
        tmp_path,
        {
            "__init__.py": "",
            "main.py": "from app.core import db\n",
            "core/__init__.py": "",
            "core/db.py": f"def engine() -> None:\n    {statement}\n",
        },
    )
    found = upward_imports(import_graph(app), LAYERS)
    assert found == ["app.core.db (toolkit) imports app.main (app)"]


def test_a_planted_circle_is_found(tmp_path: Path) -> None:
    app = _plant(
        tmp_path,
        {
            "__init__.py": "",
            "core/__init__.py": "",
            "core/a.py": "from app.core import b\n",
            "core/b.py": "from app.core.c import x\n",
            "core/c.py": "import app.core.a\nx = 1\n",
        },
    )
    assert circles(import_graph(app)) == [["app.core.a", "app.core.b", "app.core.c"]]
    assert circles(package_graph(import_graph(app))) == []
    assert upward_imports(import_graph(app), LAYERS) == []
