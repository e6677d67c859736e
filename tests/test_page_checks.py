"""Outside checkers over every page, in both languages, in a real Chromium: axe-core finds no
critical, serious or moderate accessibility problem, and html-validate no HTML error (issue 19).

The pages are those of the layout check (tests/test_layout_widths.PAGES, which a test keeps equal
to the portal's URLs), on the demo data. The checkers come from the project's package-lock.json
(`make install` puts them in node_modules/); a missing one fails the test with how to install it.
"""

import json
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.support.browser import browser_page  # noqa: F401 (fixture)
from tests.test_layout_widths import PAGES, QUERIES, demo, open_partner_link, sign_in  # noqa: F401 (fixture)

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
HTML_VALIDATE = NODE_MODULES / ".bin" / "html-validate"
BLOCKING = ("critical", "serious", "moderate")


def _needed(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make install` (npm ci installs the page checkers)")
    return path


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_page_passes_axe_and_html_validate(browser_page, demo, language, tmp_path):  # noqa: F811
    axe = _needed(AXE).read_text()
    _needed(HTML_VALIDATE)
    # axe is injected as a script: this context lets it past the portal's strict CSP.
    context = browser_page.context.browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.base_url = browser_page.base_url
    page.goto(f"{page.base_url}{reverse('login')}")
    (tmp_path / "login.html").write_text(page.content())
    sign_in(page, language)
    open_partner_link(page, demo)
    findings = {}
    for name, args in PAGES.items():
        response = page.goto(f"{page.base_url}{reverse(name, args=args(demo))}{QUERIES.get(name, '')}")
        assert response.status == 200, name
        (tmp_path / f"{name.replace(':', '-')}.html").write_text(response.text())
        page.add_script_tag(content=axe)
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, where: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))"
        )
        if blocking := [v for v in violations if v["impact"] in BLOCKING]:
            findings[name] = blocking
    context.close()

    report = tmp_path / "html-validate.json"  # a file: node may cut a long piped output short
    checked = subprocess.run(
        [
            str(HTML_VALIDATE),
            "--config",
            ".htmlvalidate.json",
            "--formatter",
            f"json={report}",
            *sorted(map(str, tmp_path.glob("*.html"))),
        ],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )
    html_errors = [
        f"{Path(result['filePath']).name}:{message['line']} {message['ruleId']}: {message['message']}"
        for result in json.loads(report.read_text() if report.exists() else "[]")
        for message in result["messages"]
    ]

    assert findings == {}
    assert html_errors == [], checked.stderr
    assert checked.returncode == 0, checked.stderr
