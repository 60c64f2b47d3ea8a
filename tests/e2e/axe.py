"""Accessibility check with axe-core (the copy shipped by axe-playwright-python), WCAG 2.1 A and AA.

The script is added with ``add_script_tag(path=…)``, which Playwright turns into an inline ``<script>``:
the portal's CSP (``script-src 'self'``) blocks it. Instead of turning the CSP off for the whole
context (``bypass_csp=True``, which would also hide our own CSP mistakes from the ``page`` fixture),
the same file is evaluated through the DevTools protocol, which the page's CSP does not govern.
"""

from importlib import resources

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_source() -> str:
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    results = page.evaluate(
        "async (tags) => await window.axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return results["violations"]


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']} — {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(
                f"    {', '.join(map(str, node['target']))}: {node.get('failureSummary', '').strip()}"
            )
    return "\n".join(lines)


def assert_no_axe_violations(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core, {page.url}:\n{format_violations(violations)}"
