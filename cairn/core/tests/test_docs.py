"""The written documentation keeps up with the code: every setting and every command is in it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "cairn"
# The product, its test suite and the benchmarks: a variable read in any of them is documented.
SOURCES = [PACKAGE, ROOT / "tests", ROOT / "bench"]
CONFIGURATION = ROOT / "docs" / "configuration.md"
VARIABLE = re.compile(r"(CAIRN_[A-Z0-9_]+|DATABASE_URL)")
TABLE_ROW = re.compile(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", re.MULTILINE)
COMMAND_MENTION = re.compile(r"\bcairn ([a-z][a-z0-9_]*)\b")
MARKDOWN_LINK = re.compile(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)")


def _is_test_module(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return "tests" in parts or path.name.startswith("test_") or path.name == "conftest.py"


def _is_environ(node: ast.AST) -> bool:
    """`os.environ` or a bare `environ`."""
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _is_environ_get(call: ast.Call) -> bool:
    """`os.environ.get(…)`."""
    return (
        isinstance(call.func, ast.Attribute)
        and call.func.attr == "get"
        and _is_environ(call.func.value)
    )


def _callee_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _first_string(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def variables_read_by(tree: ast.AST, *, through_helpers: bool) -> set[str]:
    """Names read with the typed `env_*` helpers, `os.environ[…]`, `.get(…)` or `getenv(…)`."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name, first = _callee_name(node), _first_string(node)
            if first is None:
                continue
            if through_helpers and name.startswith("env_") and first.isupper():
                found.add(first)
                if name == "env_secret":
                    found.add(f"{first}_FILE")
            elif (_is_environ_get(node) or name == "getenv") and VARIABLE.fullmatch(first):
                found.add(first)
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and _is_environ(node.value)
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str)
            and VARIABLE.fullmatch(node.slice.value)
        ):
            found.add(node.slice.value)
    return found


def variables_in_code() -> set[str]:
    found: set[str] = set()
    for path in sorted(path for source in SOURCES for path in source.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        # Tests call the helpers with made-up names; only their real environment reads count.
        found |= variables_read_by(tree, through_helpers=not _is_test_module(path))
    return found


def variables_in_docs() -> set[str]:
    return set(TABLE_ROW.findall(CONFIGURATION.read_text(encoding="utf-8")))


def documentation() -> str:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


def commands_in_code() -> set[str]:
    return {
        path.stem
        for path in PACKAGE.glob("*/management/commands/*.py")
        if not path.name.startswith("_")
    }


def test_the_scan_finds_the_variables_settings_reads():
    # Guards the scan itself: if it silently found nothing, the checks below would pass.
    found = variables_in_code()
    assert {"CAIRN_DATA_DIR", "DATABASE_URL", "CAIRN_SECRET_KEY", "CAIRN_SECRET_KEY_FILE"} <= found


def test_the_scan_reads_environ_lookups_but_not_assignments():
    source = (
        'a = os.environ["CAIRN_A"]\n'
        'b = os.environ.get("CAIRN_B")\n'
        'c = os.getenv("DATABASE_URL")\n'
        'os.environ["CAIRN_WRITTEN"] = "x"\n'
        'd = os.environ.get("HOME")\n'
        'e = env_int("CAIRN_E", 1)\n'
    )
    tree = ast.parse(source)
    assert variables_read_by(tree, through_helpers=True) == {
        "CAIRN_A",
        "CAIRN_B",
        "DATABASE_URL",
        "CAIRN_E",
    }
    assert "CAIRN_E" not in variables_read_by(tree, through_helpers=False)


def test_every_variable_the_code_reads_is_documented():
    missing = variables_in_code() - variables_in_docs()
    assert not missing, f"add these to the table in docs/configuration.md: {sorted(missing)}"


def test_every_documented_variable_is_still_read():
    stale = variables_in_docs() - variables_in_code()
    assert not stale, f"docs/configuration.md lists variables nothing reads: {sorted(stale)}"


def test_every_command_is_documented():
    mentioned = set(COMMAND_MENTION.findall(documentation()))
    missing = commands_in_code() - mentioned
    assert not missing, f"describe these as `cairn NAME` in README.md or docs/: {sorted(missing)}"


def test_links_between_pages_resolve():
    broken = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        for target in MARKDOWN_LINK.findall(page.read_text(encoding="utf-8")):
            if "://" not in target and not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} → {target}")
    assert not broken, f"links to missing pages: {broken}"
