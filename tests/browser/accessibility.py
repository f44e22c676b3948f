"""``assert_accessible(page)``: axe-core, through axe-playwright-python, against WCAG 2.2 AA."""

from axe_playwright_python.sync_playwright import Axe

# axe-core's tags for every rule of WCAG 2.0, 2.1 and 2.2 at levels A and AA. ``runOnly`` with
# these tags leaves out axe's "best-practice" rules, which are advice rather than WCAG.
WCAG_22_AA_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
FAILING_IMPACTS = ("serious", "critical")

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": list(WCAG_22_AA_TAGS)},
    # Only the violations come back: passes and "needs review" are large and unused here.
    "resultTypes": ["violations"],
}

_axe = Axe()


def axe_violations(page) -> list[dict]:
    """Every WCAG 2.2 AA violation axe finds on the page as it is now, of any impact."""
    # An options object with no include/exclude keys is read by axe.run as the options, and
    # the context defaults to the whole document.
    return _axe.run(page, options=AXE_OPTIONS).response["violations"]


def _selector(target) -> str:
    # A node's target has one selector per frame; a selector inside shadow DOM is a list.
    return " >>> ".join(part if isinstance(part, str) else " > ".join(part) for part in target)


def describe(violations: list[dict], url: str) -> str:
    lines = [f"{len(violations)} serious or critical accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        lines.extend(f"    at {_selector(node['target'])}" for node in violation["nodes"])
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail, listing each one, if the page has a serious or critical WCAG 2.2 AA violation."""
    __tracebackhide__ = True
    failing = [v for v in axe_violations(page) if v["impact"] in FAILING_IMPACTS]
    if failing:
        raise AssertionError(describe(failing, page.url))
