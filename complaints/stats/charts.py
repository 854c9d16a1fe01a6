"""Bar charts drawn on the server as SVG: no chart library, nothing from another host, no
script. Each chart is paired on the page with a data table holding the same numbers, which is
what screen readers use; the SVG itself is one labelled image."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 260
CHART_WIDTH = 720
VALUE_SPACE = 70
# Each at least 3:1 against white (WCAG non-text contrast).
COLOURS = ("#005ea2", "#c05600", "#008817", "#b50909", "#5e519e", "#00687d")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: suppressed small cell
    series: int = 0


def _shorten(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar]) -> Markup:
    """A horizontal bar chart; a suppressed cell has no bar and reads "–" (its table says
    "<N")."""
    top = max((b.value or 0 for b in bars), default=0) or 1
    plot = CHART_WIDTH - LABEL_WIDTH - VALUE_SPACE
    height = max(len(bars), 1) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
    ]
    for index, bar in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = 0 if not bar.value else max(2, round(plot * bar.value / top))
        colour = COLOURS[bar.series % len(COLOURS)]
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT - 6}" text-anchor="end" '
            f'font-size="14" fill="#1b1b1b">{escape(_shorten(bar.label))}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
                     f'fill="{colour}"></rect>')
        shown = "–" if bar.value is None else f"{bar.value:,}"
        parts.append(f'<text x="{LABEL_WIDTH + width + 6}" y="{y + BAR_HEIGHT - 6}" '
                     f'font-size="14" fill="#1b1b1b">{escape(shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every interpolated text is escaped above)
