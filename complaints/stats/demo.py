"""Demo data moved to `complaints.demo`; this name stays an alias of it for code written before
the move."""

import sys

from complaints import demo

sys.modules[__name__] = demo
