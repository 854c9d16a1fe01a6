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


def _bar(bar: Bar, y: float, height: int, scale: float, font: int) -> list[str]:
    """One bar from the label column and its value after it ("–" when suppressed)."""
    width = 0 if not bar.value else max(2, round(scale * bar.value))
    shown = "–" if bar.value is None else f"{bar.value:,}"
    baseline = y + height - (6 if height > 12 else 1)
    return [f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{height}" '
            f'fill="{COLOURS[bar.series % len(COLOURS)]}"></rect>',
            f'<text x="{LABEL_WIDTH + width + 4}" y="{baseline}" font-size="{font}" '
            f'fill="#1b1b1b">{escape(shown)}</text>']


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
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT - 6}" text-anchor="end" '
            f'font-size="14" fill="#1b1b1b">{escape(_shorten(bar.label))}</text>')
        parts += _bar(bar, y, BAR_HEIGHT, plot / top, 14)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every interpolated text is escaped above)


@dataclass(frozen=True)
class Segment:
    label: str
    value: int


@dataclass(frozen=True)
class Stack:
    label: str
    segments: tuple[Segment, ...]
    hidden: int = 0  # the part of a published total held by suppressed cells
    total: int | None = None  # the row's total as published (None: suppressed)


# Distinct hues, each at least 3:1 against white and told apart by the legend's order too.
SEGMENT_COLOURS = ("#005ea2", "#c05600", "#008817", "#5e519e", "#b50909", "#00687d",
                   "#936f38", "#1b1b1b")
HIDDEN_FILL = "url(#stack-hidden)"
MAX_SEGMENTS = len(SEGMENT_COLOURS)


def stacked_chart(chart_id: str, title: str, stacks: Sequence[Stack],
                  series: Sequence[str]) -> Markup:
    """Horizontal stacked bars (one per row of a crossed table, a segment per column value,
    in the order of `series`), a legend on top, and a hatched segment for the part of a row's
    total that suppressed cells hold. The figure's table carries the numbers."""
    legend_rows = (len(series) + 2) // 3 + 1
    top_space = legend_rows * 22 + 8
    top = max((sum(s.value for s in st.segments) + st.hidden for st in stacks), default=0) or 1
    plot = CHART_WIDTH - LABEL_WIDTH - VALUE_SPACE
    height = top_space + max(len(stacks), 1) * (BAR_HEIGHT + GAP) + GAP
    cid = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart stacked-chart" id="{cid}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{cid}-title">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        '<defs><pattern id="stack-hidden" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#dfe1e2"></rect>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#71767a" stroke-width="2"></line>'
        '</pattern></defs>',
    ]
    entries = [*((name, SEGMENT_COLOURS[i % MAX_SEGMENTS]) for i, name in enumerate(series)),
               ("Suppressed", HIDDEN_FILL)]
    for index, (name, colour) in enumerate(entries):
        lx = 8 + (index % 3) * 236
        ly = 8 + (index // 3) * 22
        parts.append(f'<rect x="{lx}" y="{ly}" width="14" height="14" fill="{colour}" '
                     'stroke="#1b1b1b" stroke-width="0.5"></rect>')
        parts.append(f'<text x="{lx + 20}" y="{ly + 12}" font-size="13" fill="#1b1b1b">'
                     f'{escape(_shorten(name, 32))}</text>')
    for index, stack in enumerate(stacks):
        y = top_space + GAP + index * (BAR_HEIGHT + GAP)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT - 6}" text-anchor="end" '
            f'font-size="14" fill="#1b1b1b">{escape(_shorten(stack.label))}</text>')
        x = float(LABEL_WIDTH)
        by_name = {s.label: s for s in stack.segments}
        for position, name in enumerate(series):
            segment = by_name.get(name)
            if segment is None or segment.value <= 0:
                continue
            width = plot * segment.value / top
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                         f'fill="{SEGMENT_COLOURS[position % MAX_SEGMENTS]}" stroke="#fff" '
                         'stroke-width="1"></rect>')
            x += width
        if stack.hidden > 0:
            width = plot * stack.hidden / top
            parts.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                         f'fill="{HIDDEN_FILL}"></rect>')
            x += width
        shown = "–" if stack.total is None else f"{stack.total:,}"
        parts.append(f'<text x="{x + 6:.1f}" y="{y + BAR_HEIGHT - 6}" font-size="14" '
                     f'fill="#1b1b1b">{shown}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every interpolated text is escaped above)


def grouped_chart(chart_id: str, title: str, groups: Sequence[tuple[str, Sequence[Bar]]],
                  series: Sequence[str]) -> Markup:
    """Horizontal bars in groups (one group per row, a thin bar per measure), with a legend:
    a month's received, opened and closed side by side in a third of the height."""
    thin, gap = 9, 2
    legend = 30
    top = max((b.value or 0 for _, bars in groups for b in bars), default=0) or 1
    plot = CHART_WIDTH - LABEL_WIDTH - VALUE_SPACE
    per_group = max((len(bars) for _, bars in groups), default=1) * (thin + gap) + GAP
    height = legend + max(len(groups), 1) * per_group + GAP
    cid = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart grouped-chart" id="{cid}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{cid}-title">',
        f'<title id="{cid}-title">{escape(title)}</title>',
    ]
    for index, name in enumerate(series):
        lx = LABEL_WIDTH + index * 150
        parts.append(f'<rect x="{lx}" y="8" width="14" height="14" '
                     f'fill="{COLOURS[index % len(COLOURS)]}"></rect>')
        parts.append(f'<text x="{lx + 20}" y="20" font-size="13" fill="#1b1b1b">'
                     f'{escape(name)}</text>')
    for index, (label, bars) in enumerate(groups):
        y0 = legend + GAP + index * per_group
        middle = y0 + (len(bars) * (thin + gap)) / 2 + 4
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{middle:.1f}" text-anchor="end" '
                     f'font-size="13" fill="#1b1b1b">{escape(_shorten(label))}</text>')
        for position, bar in enumerate(bars):
            parts += _bar(bar, y0 + position * (thin + gap), thin, plot / top, 10)
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every interpolated text is escaped above)
