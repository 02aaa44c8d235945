"""Real headless Chromium (Debian's, driven by Playwright with ``executable_path``: never a downloaded build) on a
phone: the browser tests' fixtures, and what they check on every page (console errors, serious accessibility
violations by axe-core)."""

from pathlib import Path

import pytest
from stack_harness import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium`")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A fresh phone-sized page that records every console error and uncaught exception."""
    context = browser.new_context(locale="pt-BR", **PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    # What a page shows after a request (a sign-in hashes a password: ~0.4 s, seconds on a loaded machine).
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.problems = problems
    yield page
    context.close()


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical violations of the page as it stands (rule, and the first element's path)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['nodes'][0]['target'] if violation['nodes'] else ''}"
        for violation in results.response["violations"]
        if violation.get("impact") in ("serious", "critical")
    ]
