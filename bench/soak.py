"""Many filings by many clients against a server already running, e.g. `make run`:

    python -m bench.soak http://127.0.0.1:5000 --filings 10000 --clients 50

Counts the answers by status and checks that every receipt acknowledged was answered once.
Run `make run` with rate limits raised for it (RATELIMIT_FILING="100000 per minute"), since
every client comes from 127.0.0.1. Only 127.0.0.1 may be loaded.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

from bench.intake import _body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--filings", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    args = parser.parse_args()
    target = urlsplit(args.url)
    if target.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("only a server on this machine may be loaded")
    port = target.port or 80
    lock = threading.Lock()
    rng = random.Random(17)
    remaining = args.filings
    statuses: Counter[int] = Counter()
    receipts: Counter[str] = Counter()

    def client() -> None:
        nonlocal remaining
        while True:
            with lock:
                if remaining == 0:
                    return
                remaining -= 1
                body = json.dumps(_body(rng)).encode()
            connection = http.client.HTTPConnection(target.hostname or "127.0.0.1", port,
                                                    timeout=120)
            try:
                connection.request("POST", "/api/v1/complaints", body=body,
                                   headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                status, raw = response.status, response.read()
            except OSError:
                status, raw = 599, b""
            finally:
                connection.close()
            with lock:
                statuses[status] += 1
                if status == 201:
                    receipts[json.loads(raw)["receipt"]] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    print(f"{args.filings} filings by {args.clients} clients in {seconds:.0f} s "
          f"({args.filings / seconds:.0f}/s): "
          + ", ".join(f"{count} x {status}" for status, count in sorted(statuses.items())))
    repeated = sum(1 for count in receipts.values() if count > 1)
    print(f"distinct receipts acknowledged: {len(receipts)}; given twice: {repeated}")


if __name__ == "__main__":
    main()
