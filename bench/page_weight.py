"""Page weight on a slow phone: bytes, requests and load time of the public pages in Chromium.

A first visit starts from an empty cache; a repeat visit is the next page in the same browser;
"next" presses Continue on the form. All on Chromium's "Slow 3G" profile (400 kbit/s, 400 ms
round trip), printed beside the budget: 200 KB and 15 requests a page (450 KB for Chinese and
Korean), the first form page usable in 5 s (8 s in Chinese), every later page in 1 s. Usable
means styled and interactive (DOMContentLoaded: the stylesheet is in and the script has run);
fonts swap in when they arrive, and the time until they all have is shown beside it.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from complaints.tools.screenshots import CHROMIUM_ARGS, serve

SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400 * 1024 / 8,
           "uploadThroughput": 400 * 1024 / 8}
CJK = frozenset({"zh-hans", "zh-hant", "ko"})
PAGES = ("", "file", "status", "privacy", "accessibility")


def byte_budget(url_locale: str) -> int:
    return (450 if url_locale in CJK else 200) * 1024


REQUEST_BUDGET = 15


def first_load_budget(url_locale: str) -> float:
    return 8.0 if url_locale in CJK else 5.0


REPEAT_LOAD_BUDGET = 1.0


@dataclass
class Visit:
    url: str
    bytes: int
    requests: int
    seconds: float  # until usable: styled and its script run (DOMContentLoaded)
    complete: float = 0.0  # until everything, fonts included, has arrived (load)
    fetched: tuple[str, ...] = ()  # every address fetched over the network


class NetworkLog:
    """Counts what a page fetches over the network (compressed bytes, headers included);
    what the browser serves from its own cache is not counted."""

    def __init__(self, page: Any, throttle: bool) -> None:
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        if throttle:
            self.cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        self.sizes: dict[str, float] = {}
        self.urls: dict[str, str] = {}
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.requestServedFromCache", self._cached)

    def _sent(self, event: dict[str, Any]) -> None:
        if not event["request"]["url"].startswith("data:"):
            self.sizes.setdefault(event["requestId"], 0)
            self.urls[event["requestId"]] = event["request"]["url"]

    def _cached(self, event: dict[str, Any]) -> None:
        self.sizes.pop(event["requestId"], None)  # kept by the browser: no network at all

    def _finished(self, event: dict[str, Any]) -> None:
        if event["requestId"] in self.sizes:
            self.sizes[event["requestId"]] = event["encodedDataLength"]

    def visit(self, url: str, action: Any = None) -> Visit:
        self.sizes.clear()
        start = time.perf_counter()
        if action is None:
            self.page.goto(url, wait_until="domcontentloaded")
        else:
            with self.page.expect_navigation(wait_until="domcontentloaded"):
                action()
        seconds = time.perf_counter() - start
        self.page.wait_for_load_state("load")
        complete = time.perf_counter() - start
        self.page.wait_for_load_state("networkidle")
        fetched = {rid: size for rid, size in self.sizes.items() if size > 0}  # 0: cached
        return Visit(url, int(sum(fetched.values())), len(fetched), seconds, complete,
                     tuple(self.urls[rid] for rid in fetched))


def measure(browser: Any, base: str, url_locale: str, path: str,
            throttle: bool = False, repeat: bool = True) -> tuple[Visit, Visit | None]:
    """(first visit to the page, repeat visit: the status page opened from it, if asked)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_navigation_timeout(120_000)
        log = NetworkLog(page, throttle)
        first = log.visit(f"{base}/{url_locale}/{path}")
        if not repeat:
            return first, None
        target = "privacy" if path == "status" else "status"
        return first, log.visit(f"{base}/{url_locale}/{target}")
    finally:
        context.close()


def next_step_seconds(browser: Any, base: str, url_locale: str) -> float:
    """On Slow 3G, from pressing Continue on a filled first step to the second step shown."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(120_000)
        page.goto(f"{base}/{url_locale}/file", wait_until="load")
        NetworkLog(page, throttle=True)
        page.locator("label[for='primary_category-retaliation']").click()
        page.locator("#narrative").fill("I was moved to another unit after I complained.")
        page.locator("#incident_month_m").select_option("03")
        page.locator("#incident_year").fill("2026")
        start = time.perf_counter()
        page.locator("#complaint-form button[name=action][value=next]").click()
        page.locator(".usa-step-indicator__current-step", has_text="2").wait_for()
        return time.perf_counter() - start
    finally:
        context.close()


def _row(visit: Visit, url_locale: str, first: bool) -> str:
    budget = byte_budget(url_locale) if first else None
    load = first_load_budget(url_locale) if first else REPEAT_LOAD_BUDGET
    kb = f"{visit.bytes / 1024:7.1f} KB" + (f" / {budget / 1024:.0f}" if budget else "")
    return (f"  {'first ' if first else 'repeat'} {visit.url.split('/', 3)[3]:<22} {kb:<16} "
            f"{visit.requests:3d} req / {REQUEST_BUDGET}   "
            f"usable {visit.seconds:5.2f} s / {load:.0f}   all fonts {visit.complete:5.2f} s")


def run() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, serve(Path(tmp)) as base, \
            sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        print("Slow 3G (400 kbit/s, 400 ms RTT), empty cache, then the next page:")
        for url_locale in ("en", "ar", "ko", "zh-hant"):
            for path in ("", "file"):
                first, repeat = measure(browser, base, url_locale, path, throttle=True)
                print(_row(first, url_locale, True))
                if repeat is not None:
                    print(_row(repeat, url_locale, False))
            seconds = next_step_seconds(browser, base, url_locale)
            print(f"  next   {url_locale + '/file step 2':<22} {'':<16} {'':>14}   "
                  f"usable {seconds:5.2f} s / {REPEAT_LOAD_BUDGET:.0f}")
        browser.close()


if __name__ == "__main__":
    run()
