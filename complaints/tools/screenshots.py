"""Full-page screenshots of the public pages, to look at before a change lands.

`make screenshots` (or `python -m complaints.tools.screenshots --locales en,ar --widths 390,1280`)
serves the app on a throw-away SQLite database, walks a complaint from the landing page to the
status answer in Debian's Chromium, and writes one PNG per page, locale and width to screenshots/.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """The app on a fresh SQLite database, on a free port, for as long as the block runs."""
    import logging

    import flask_migrate
    from werkzeug.serving import make_server

    from complaints import create_app

    app = create_app({"ENV": "testing", "DATABASE_URL": f"sqlite:///{directory / 'shots.db'}",
                      "RATELIMIT_ENABLED": False, "MAIL_SERVER": "", "PUBLIC_BASE_URL": ""})
    with app.app_context():
        flask_migrate.upgrade()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


class Shooter:
    def __init__(self, page: Any, out: Path, locale: str, width: int) -> None:
        self.page, self.out, self.locale, self.width = page, out, locale, width

    def __call__(self, name: str) -> None:
        path = self.out / f"{name}-{self.locale}-{self.width}.png"
        self.page.screenshot(path=str(path), full_page=True)
        print(path)


def walk(page: Any, base: str, locale: str, shot: Shooter) -> None:
    """Landing, each step (with errors), review with errors, confirmation, status."""

    def press(value: str) -> None:
        page.locator(f"#complaint-form button[name=action][value='{value}']").click()

    def tick(input_id: str) -> None:
        page.locator(f"label[for='{input_id}']").click()

    for name in ("privacy", "accessibility"):
        page.goto(f"{base}/{locale}/{name}")
        shot(name)
    page.goto(f"{base}/{locale}/")
    shot("landing")
    page.locator(".language-picker summary").click()
    shot("picker")
    page.goto(f"{base}/{locale}/file")
    press("next")
    shot("step1-errors")
    tick("primary_category-detention_conditions")
    tick("categories-medical_care")
    page.locator("#narrative").fill("There has been no clean drinking water in unit B for "
                                    "five days. ناقص المياه. 五天没有干净的饮用水。")
    page.locator("#incident_month_m").select_option("02")
    page.locator("#incident_year").fill("2026")
    press("next")
    shot("step2")
    tick("components-ICE")
    page.locator("#city").fill("El Paso")
    press("next")
    shot("step3")
    tick("currently_detained-yes")
    tick("at_risk_now-no")
    press("next")
    shot("step4")
    page.locator("#email").fill("filer@example.org")
    press("next")
    shot("step5-files")
    press("next")
    shot("review")
    press("submit")
    shot("review-errors")
    tick("privacy_acknowledged")
    press("submit")
    shot("confirmation")
    receipt = page.get_by_test_id("receipt").inner_text().strip()
    code = page.get_by_test_id("access-code").inner_text().strip()
    page.goto(f"{base}/{locale}/status")
    shot("status")
    page.locator("#receipt").fill(receipt)
    page.locator("#access_code").fill(code)
    page.locator("#status-form button[type=submit]").click()
    shot("status-result")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--locales", default="en,ar,so,zh-hant")
    parser.add_argument("--widths", default="390,1280")
    parser.add_argument("--out", default="screenshots")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp)) as base, \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for locale in args.locales.split(","):
            for width in (int(w) for w in args.widths.split(",")):
                context = browser.new_context(viewport={"width": width, "height": 800})
                page = context.new_page()
                walk(page, base, locale, Shooter(page, out, locale, width))
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
