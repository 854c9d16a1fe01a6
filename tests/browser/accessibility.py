"""Accessibility checks shared by the browser tests: axe-core with the WCAG 2.1 A and AA rules,
plus duplicate ids (they break labels and ARIA references)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_21_AA = {"runOnly": {"type": "tag",
                          "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}



DUPLICATE_IDS = """() => {
  const seen = new Map();
  for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
}"""


class AxeChecks:
    def __init__(self) -> None:
        self.axe = Axe()
        self.failures: dict[str, str] = {}
        self.checked: list[str] = []

    def __call__(self, page: Page, name: str) -> None:
        results = self.axe.run(page, options=WCAG_21_AA)
        self.checked.append(name)
        problems = []
        if results.violations_count:
            problems.append(results.generate_report())
        # Duplicate ids break labels and aria references (WCAG 2.1's 4.1.1 Parsing).
        duplicates = page.evaluate(DUPLICATE_IDS)
        if duplicates:
            problems.append(f"duplicate ids: {duplicates}")
        if problems:
            self.failures[f"{name} ({page.url})"] = "\n".join(problems)

    def assert_clean(self) -> None:
        assert not self.failures, "\n".join(f"{k}:\n{v}" for k, v in self.failures.items())
