"""Server-drawn SVG charts of the calculators: the variance fan chart and the goal projection.

Pure functions returning Markup. Styled by classes only (CSP style-src 'self'; dark mode follows the
CSS variables); every text goes through Markup.format, which escapes it. Each chart is an image with
a <title> and a <desc>; the pages add a data table or a text summary beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from markupsafe import Markup

from app.dashboard.chart import nice_ticks

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 6, 634, 24, 284


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class _Frame:
    """Maps data to SVG units: x from 0 to `x_max`, y over the gridline range covering the values."""

    def __init__(self, x_max: float, values: Sequence[Decimal]) -> None:
        self.ticks = nice_ticks(min(values), max(values))
        self.low, self.high = float(self.ticks[0]), float(self.ticks[-1])
        self.x_max = x_max or 1.0

    def x(self, value: float) -> str:
        return _fmt(LEFT + value / self.x_max * (RIGHT - LEFT))

    def y(self, value: Decimal | float, shift: float = 0) -> str:
        span = (self.high - self.low) or 1.0
        return _fmt(BOTTOM - (float(value) - self.low) / span * (BOTTOM - TOP) + shift)

    def path(self, xs: Sequence[float], ys: Sequence[Decimal]) -> str:
        return " ".join(f"{self.x(a)},{self.y(b)}" for a, b in zip(xs, ys, strict=True))


def _open(key: str, title: str, desc: str) -> Markup:
    return Markup(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{k}-title" '
        'aria-describedby="{k}-desc" focusable="false"><title id="{k}-title">{t}</title>'
        '<desc id="{k}-desc">{d}</desc>'
    ).format(w=WIDTH, h=HEIGHT, k=key, t=title, d=desc)


def _grid(frame: _Frame, label: Callable[[Decimal], str]) -> tuple[list[Markup], list[Markup]]:
    """Gridlines (drawn first) and their labels (drawn last, over the data)."""
    lines, labels = [], []
    for tick in frame.ticks:
        lines.append(
            Markup('<line class="grid" x1="{}" x2="{}" y1="{y}" y2="{y}"/>').format(
                LEFT, RIGHT, y=frame.y(tick)
            )
        )
        labels.append(
            Markup('<text class="y-label" x="{}" y="{}">{}</text>').format(
                LEFT + 2, frame.y(tick, -5), label(tick)
            )
        )
    if frame.low < 0 < frame.high:
        lines.append(
            Markup('<line class="zero" x1="{}" x2="{}" y1="{y}" y2="{y}"/>').format(LEFT, RIGHT, y=frame.y(0))
        )
    lines.append(
        Markup('<line class="axis" x1="{}" x2="{}" y1="{y}" y2="{y}"/>').format(LEFT, RIGHT, y=BOTTOM)
    )
    return lines, labels


def _x_labels(frame: _Frame, marks: Sequence[tuple[float, str]]) -> list[Markup]:
    parts = []
    for position, (value, text) in enumerate(marks):
        anchor = "start" if position == 0 else "end" if position == len(marks) - 1 else "middle"
        parts.append(
            Markup('<text class="x-label" x="{}" y="{}" text-anchor="{}">{}</text>').format(
                frame.x(value), HEIGHT - 6, anchor, text
            )
        )
    return parts


def fan_chart(
    hands: Sequence[int],
    percentiles: Mapping[int, Sequence[Decimal]],
    start: Decimal,
    *,
    amount: Callable[[Decimal], str],
    count: Callable[[int], str],
) -> Markup:
    """Bands from the 5th to 95th and 25th to 75th percentile, the median line and the starting bankroll."""
    p5, p25, p50, p75, p95 = (percentiles[p] for p in (5, 25, 50, 75, 95))
    frame = _Frame(float(hands[-1]), [*p5, *p95, start])
    xs = [float(h) for h in hands]
    back = list(reversed(xs))
    desc = (
        f"Fan chart of simulated bankrolls from 0 to {count(hands[-1])} hands. "
        "The wide band holds the middle 90 % of paths, the narrow band the middle 50 %, the line the median. "
        "After the last hand: "
        f"5th percentile {amount(p5[-1])}, median {amount(p50[-1])}, 95th percentile {amount(p95[-1])}."
    )
    parts = [_open("fan", "Simulated bankroll paths", desc)]
    lines, labels = _grid(frame, amount)
    parts.extend(lines)
    parts.append(
        Markup('<path class="fan-outer" d="M{} L{} Z"/>').format(
            frame.path(xs, p95), frame.path(back, list(reversed(p5)))
        )
    )
    parts.append(
        Markup('<path class="fan-inner" d="M{} L{} Z"/>').format(
            frame.path(xs, p75), frame.path(back, list(reversed(p25)))
        )
    )
    parts.append(
        Markup('<line class="start-line" x1="{}" x2="{}" y1="{y}" y2="{y}"/>').format(
            LEFT, RIGHT, y=frame.y(start)
        )
    )
    parts.append(Markup('<path class="fan-median" d="M{}"/>').format(frame.path(xs, p50)))
    parts.extend(labels)
    middle = hands[-1] // 2
    parts.extend(_x_labels(frame, [(0, "0"), (float(middle), count(middle)), (xs[-1], count(hands[-1]))]))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def goal_chart(
    points: Sequence[tuple[int, Decimal]],
    target: Decimal,
    *,
    amount: Callable[[Decimal], str],
) -> Markup:
    """The projected bankroll month by month, with the target as a dashed line."""
    months = [float(m) for m, _ in points]
    values = [v for _, v in points]
    frame = _Frame(months[-1], [*values, target, Decimal(0)])
    desc = (
        f"Line chart of the projected bankroll over {points[-1][0]} months, from {amount(values[0])} "
        f"to {amount(values[-1])}; the dashed line is the goal of {amount(target)}."
    )
    parts = [_open("goal", "Projected bankroll", desc)]
    lines, labels = _grid(frame, amount)
    parts.extend(lines)
    parts.append(
        Markup('<line class="goal-line" x1="{}" x2="{}" y1="{y}" y2="{y}"/>').format(
            LEFT, RIGHT, y=frame.y(target)
        )
    )
    if len(points) > 1:
        parts.append(Markup('<path class="goal-path" d="M{}"/>').format(frame.path(months, values)))
    parts.extend(labels)
    last = points[-1][0]
    marks = [(0.0, "now")]
    if last > 1:
        marks.append((float(last // 2), f"month {last // 2}"))
    marks.append((float(last), f"month {last}"))
    parts.extend(_x_labels(frame, marks))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
