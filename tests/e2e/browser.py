"""What the browser journeys share: the two screen sizes, screenshots and the accessibility check.

axe-core is vendored under ``tests/e2e/vendor/`` (pinned in ``AXE_VERSION``, its licence beside
it) and put into the page by the test through the browser's debugging protocol: the site never
serves it, and the Content-Security-Policy stays as strict as in production.
"""

from pathlib import Path

HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE / "screenshots"  # git-ignored
AXE_VERSION = "4.10.2"
AXE_SOURCE = HERE / "vendor" / "axe.min.js"

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
# Impacts that fail a page; "minor" and "moderate" findings are reported by axe but not here.
BLOCKING_IMPACTS = ("serious", "critical")

_axe_source: str | None = None


def size_name(page) -> str:
    """ "phone" or "desktop", from the page's viewport."""
    width = (page.viewport_size or DESKTOP)["width"]
    return "phone" if width < 768 else "desktop"


def shot(page, name: str) -> Path:
    """Save a full-page screenshot as ``screenshots/<name>-<size>.png`` and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{size_name(page)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _axe_inject(page) -> None:
    global _axe_source
    if page.evaluate("typeof window.axe === 'object'"):
        return
    if _axe_source is None:
        _axe_source = AXE_SOURCE.read_text(encoding="utf-8")
        assert f"axe v{AXE_VERSION}" in _axe_source[:200], "vendored axe-core is not the pinned one"
    # Evaluated as a script by the debugging protocol, which the page's CSP does not govern.
    page.evaluate(_axe_source + "\n;void 0")


def accessibility_violations(page, *, impacts=BLOCKING_IMPACTS) -> list[dict]:
    """axe-core's violations on the page as it is now, limited to ``impacts``."""
    _axe_inject(page)
    result = page.evaluate(
        """async () => {
            // No preload: axe would fetch @import-ed style sheets (the admin's forms.css)
            // and add them as <style> elements, which the page's CSP rightly refuses.
            const r = await axe.run(document, {resultTypes: ['violations'], preload: false});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))
            }));
        }"""
    )
    return [v for v in result if v["impact"] in impacts]


def assert_accessible(page) -> None:
    """Fail on any serious or critical axe-core violation, naming the rule and the elements."""
    violations = accessibility_violations(page)
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
        for v in violations:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']}")
            for node in v["nodes"][:5]:
                lines.append(f"    {node['target']}: {node['summary']}".replace("\n", " "))
        raise AssertionError("\n".join(lines))
