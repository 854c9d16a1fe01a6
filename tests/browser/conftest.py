"""Browser tests: the real app served on 127.0.0.1, driven through Debian's Chromium.

Chromium comes from Debian (`make test` installs it when running as root); Playwright never
downloads a browser. Without Chromium the tests skip, except under CI, where they must run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BACKENDS, build_app, close_app, empty_all_tables, temporary_database
from tests.live_server import LiveServer

CHROMIUM = Path("/usr/bin/chromium")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                if os.environ.get("CI") == "true":
                    raise pytest.UsageError("CI=true but /usr/bin/chromium is missing: run "
                                            "`make chromium` (as root) first")
                item.add_marker(pytest.mark.skip(reason="Debian's chromium is not installed "
                                                        "(apt-get install chromium)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"],
    }


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One app for the browser tests, on PostgreSQL when available (the production database)."""
    kind = BACKENDS[-1]
    with temporary_database(kind, tmp_path_factory.mktemp("browser")) as url:
        app = build_app(url, WTF_CSRF_ENABLED=True, PUBLIC_BASE_URL="")
        yield app
        close_app(app)


@pytest.fixture(scope="session")
def live_server(live_app: Any) -> Iterator[LiveServer]:
    with LiveServer(live_app) as server:
        yield server


@pytest.fixture
def server(live_server: LiveServer) -> Iterator[LiveServer]:
    yield live_server
    empty_all_tables(live_server.app)
