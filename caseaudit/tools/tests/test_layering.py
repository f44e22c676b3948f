"""``audits`` builds on ``tools``, never the reverse: thematic audits are to use a tool like any
other, so nothing in tools may depend on the monthly programme."""

import ast
from pathlib import Path

import caseaudit.tools

TOOLS = Path(caseaudit.tools.__file__).parent


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_tools_never_imports_audits():
    offenders = {
        str(path.relative_to(TOOLS)): sorted(
            n for n in _imports(path) if n.startswith("caseaudit.audits")
        )
        for path in TOOLS.rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_tool_templates_never_use_audits_pages():
    for path in (TOOLS / "templates").rglob("*.html"):
        text = path.read_text()
        assert "audits:" not in text and '"audits/' not in text, path
