"""The floors README's "How it is built" draws: every import, at module level or inside a
function, goes to the same floor or one below it, and no two modules import each other."""
from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "reportgen"

#: top-level package or module of reportgen → its floor, as README's table gives it.
FLOORS = {
    "errors": 0, "cachedir": 0, "textrules": 0, "model": 1, "rounding": 1, "compute": 2, "loading": 2, "docx": 2,
    "formatting": 3, "workbook": 3, "pdf": 3, "outputs": 3, "sentences": 4, "language": 4,
    "context": 5, "checking": 5, "engine": 5, "kinds": 6, "template_check": 7, "schema": 7,
    "api": 8, "__init__": 8, "batch": 9, "workers": 9, "adopt": 9, "cli": 10, "commands": 10,
    "__main__": 10,
}


def _top(module: str) -> str:
    return module.split(".")[1] if module.count(".") else "__init__"


def _imports() -> dict[str, set[str]]:
    """reportgen module → the reportgen modules it imports."""
    found: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        targets = found.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("reportgen"):
                targets.add(node.module)
                targets.update(f"{node.module}.{a.name}" for a in node.names
                               if (SRC / Path(*f"{node.module}.{a.name}".split(".")[1:])).with_suffix(".py").exists()
                               or (SRC / Path(*f"{node.module}.{a.name}".split(".")[1:])).is_dir())
            elif isinstance(node, ast.Import):
                targets.update(a.name for a in node.names if a.name.startswith("reportgen"))
    return found


def test_every_module_has_a_floor():
    assert {_top(m) for m in _imports()} <= set(FLOORS)


def test_no_import_reaches_up_a_floor():
    upward = [(m, t) for m, targets in _imports().items() for t in targets
              if t != "reportgen" and FLOORS[_top(t)] > FLOORS[_top(m)]]
    assert upward == []


def test_no_two_modules_import_each_other():
    imports = _imports()
    def related(a: str, b: str) -> bool:  # a package and its own module ("from . import x")
        return a == b or a.startswith(b + ".") or b.startswith(a + ".")
    pairs = {tuple(sorted((m, t))) for m, targets in imports.items() for t in targets
             if m in imports.get(t, ()) and not related(m, t)}
    assert pairs == set()
