"""Text bound for a spreadsheet (CSV or Excel): neutralised so it is never run as a formula
(DESIGN.md: exports neutralise spreadsheet formulas in text cells). The reports' workbooks
keep their own copy of this rule in ``reports/render_xlsx.py`` for now; lower layers use this
one."""

# What a spreadsheet may read as the start of a formula (OWASP's list, with tab and return).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text a spreadsheet shows as written: a leading apostrophe before a formula start."""
    return f"'{value}" if value.startswith(FORMULA_START) else value
