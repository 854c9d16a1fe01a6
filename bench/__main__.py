"""Run every benchmark in bench/ and print its figures."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ("bench.intake", "bench.throughput", "bench.search", "bench.queue",
              "bench.demo_data", "bench.stats", "bench.workspace", "bench.case_export",
              "bench.page_weight")


def main() -> int:
    for name in BENCHMARKS:
        print(f"== {name}")
        importlib.import_module(name).run()
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
