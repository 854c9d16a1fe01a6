"""Page weight on a slow phone: bytes, requests and load time of the public pages in Chromium.

A first visit starts from an empty cache; a repeat visit is the next page in the same browser.
Both are measured on Chromium's "Slow 3G" profile (400 kbit/s, 400 ms round trip) and printed
beside the budget: 200 KB and 15 requests a page (450 KB for Chinese and Korean), the first
form page usable in 5 s (8 s in Chinese), every later page in 1 s.
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
    seconds: float
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
            self.page.goto(url, wait_until="load")
        else:
            with self.page.expect_navigation(wait_until="load"):
                action()
        seconds = time.perf_counter() - start
        self.page.wait_for_load_state("networkidle")
        fetched = {rid: size for rid, size in self.sizes.items() if size > 0}  # 0: cached
        return Visit(url, int(sum(fetched.values())), len(fetched), seconds,
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


def _row(visit: Visit, url_locale: str, first: bool) -> str:
    budget = byte_budget(url_locale) if first else None
    load = first_load_budget(url_locale) if first else REPEAT_LOAD_BUDGET
    kb = f"{visit.bytes / 1024:7.1f} KB" + (f" / {budget / 1024:.0f}" if budget else "")
    return (f"  {'first ' if first else 'repeat'} {visit.url.split('/', 3)[3]:<22} {kb:<16} "
            f"{visit.requests:3d} req / {REQUEST_BUDGET}   {visit.seconds:5.2f} s / {load:.0f}")


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
        browser.close()


if __name__ == "__main__":
    run()
