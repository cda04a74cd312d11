"""The package's boundaries: checks are independent units that import only the check framework
(``mtlint.checks.base``), the shared language resources (``mtlint.resources``) and the coded
errors; nothing else in mtlint reaches into a check module's internals."""
import ast
from pathlib import Path

import mtlint

PACKAGE = Path(mtlint.__file__).resolve().parent
ALLOWED_FOR_CHECKS = ("mtlint.checks.base", "mtlint.resources", "mtlint.errors")


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, absolute module, imported names) for every import in the file, at any depth."""
    module = ".".join(("mtlint",) + path.relative_to(PACKAGE).with_suffix("").parts)
    package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module.removesuffix(".__init__")
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.append((node.lineno, target, [alias.name for alias in node.names]))
    return found


def _check_modules():
    return sorted(p for p in (PACKAGE / "checks").rglob("*.py") if p.name not in ("base.py", "__init__.py"))


def test_there_are_check_modules_to_judge():
    assert len(_check_modules()) >= 10


def test_checks_import_only_the_framework_and_resources():
    offences = []
    for path in _check_modules():
        for line, target, names in _imports(path):
            if not target.startswith("mtlint"):
                continue  # the standard library and third-party packages
            if target == "mtlint":  # "from .. import x": judge each submodule named
                targets = [f"mtlint.{name}" for name in names]
            else:
                targets = [target]
            for t in targets:
                if not any(t == allowed or t.startswith(allowed + ".") for allowed in ALLOWED_FOR_CHECKS):
                    offences.append(f"{path.relative_to(PACKAGE)}:{line} imports {t}")
    assert offences == []


def test_no_module_outside_the_checks_imports_a_check_module():
    """The pipeline, renderers and resources know checks only through the registry."""
    offences = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.is_relative_to(PACKAGE / "checks"):
            continue
        for line, target, names in _imports(path):
            # "from .checks import all_checks" reads the registry; "from .checks import grammar" a check module.
            targets = ([f"{target}.{n}" for n in names if (PACKAGE / "checks" / f"{n}.py").exists()]
                       if target == "mtlint.checks" else [target])
            for t in targets:
                if t.startswith("mtlint.checks.") and t != "mtlint.checks.base" and not t.startswith("mtlint.checks.base."):
                    offences.append(f"{path.relative_to(PACKAGE)}:{line} imports {t}")
    assert offences == []


def test_the_rule_catches_a_private_import(tmp_path):
    """The scan itself: a sibling import is found (so the tests above can fail)."""
    module = PACKAGE / "checks" / "fluency.py"
    found = [t for _, t, _ in _imports(module)]
    assert "mtlint.checks.base" in found
    fake = tmp_path / "x.py"
    fake.write_text("from .meaning import _stem\n")
    relative = [(node.level, node.module) for node in ast.walk(ast.parse(fake.read_text()))
                if isinstance(node, ast.ImportFrom)]
    assert relative == [(1, "meaning")]


def _import_graph() -> dict[str, set[str]]:
    """Module -> the mtlint modules it imports, at any depth (function-level imports too)."""
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ("mtlint",) + path.relative_to(PACKAGE).with_suffix("").parts
        modules[".".join(parts[:-1]) if parts[-1] == "__init__" else ".".join(parts)] = path
    graph = {}
    for module, path in modules.items():
        targets = set()
        for _, target, names in _imports(path):
            targets |= {t for t in [target, *(f"{target}.{n}" for n in names)] if t in modules and t != module}
        graph[module] = targets
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_even_through_function_level_imports():
    """A function-level import is for laziness (a heavy library, a rarely used reader), never to
    hide a cycle: with every import counted, the modules form no cycle."""
    assert _cycles(_import_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
