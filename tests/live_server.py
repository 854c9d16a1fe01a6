"""The app on a real socket, in a thread: for browser tests and schema-driven HTTP tests.

werkzeug's development server skips closing a response when the client hangs up while the
server drains the socket (Chromium navigating away while a font is still being sent). The
open file is then left to the garbage collector, whose ResourceWarning fails the test that
happens to be running. The handler here closes the response itself when the connection drops.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server

RESPONSE_KEY = "tests.live_server.response"


class ClosingRequestHandler(WSGIRequestHandler):
    """Closes the response of a request whose client went away before it was sent."""

    def connection_dropped(self, error: BaseException,
                           environ: dict[str, Any] | None = None) -> None:
        response = (environ or {}).pop(RESPONSE_KEY, None)
        close = getattr(response, "close", None)
        if close is not None:
            close()


def remembering_responses(app: Any) -> Any:
    """Wrap `app` so the handler can find each request's response to close it."""

    def wsgi(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        response = app(environ, start_response)
        environ[RESPONSE_KEY] = response
        return response

    return wsgi


class LiveServer:
    """`app` served on 127.0.0.1 at a free port until the `with` block ends."""

    def __init__(self, app: Any) -> None:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.app = app
        self.server = make_server("127.0.0.1", 0, remembering_responses(app), threaded=True,
                                  request_handler=ClosingRequestHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)
