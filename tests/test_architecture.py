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
