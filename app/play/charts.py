"""Server-drawn bar charts of session results (SVG styled by classes, like app.charts.bars).

Signed horizontal bars, one per group: profit by game, stakes or site, and $/h by session length. Each
chart has a text summary (its <title>, and the tables beside it carry every figure).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from markupsafe import Markup

from app import money
from app.charts.bars import LEFT
from app.charts.bars import _fmt as fmt
from app.play.stats import Group

# Narrower than app.charts.bars (640): a phone shows it near its own size, so the labels stay readable.
WIDTH, ROW = 420, 28
BAR_LEFT, BAR_RIGHT = 140, 320  # labels left of the bars, amounts right of them


def bars_svg(
    chart_id: str,
    title: str,
    groups: Sequence[Group],
    value: Callable[[Group], Decimal | None],
    currency: str,
    locale: str,
) -> Markup | None:
    """Horizontal bars, gains right of the zero line and losses left of it; None when nothing to draw."""
    rows = [(g, v) for g in groups if (v := value(g)) is not None][:12]
    if not rows:
        return None

    def label(amount: Decimal) -> str:
        return money.format_money(amount, currency, locale, signed=True)

    high = max(max(float(v) for _g, v in rows), 0.0)
    low = min(min(float(v) for _g, v in rows), 0.0)
    span = (high - low) or 1.0
    zero = BAR_LEFT + (-low / span) * (BAR_RIGHT - BAR_LEFT)
    height = ROW * len(rows) + 8
    described = describe(title, rows, label)
    parts = [
        Markup(
            '<svg class="chart play-bars" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title" '
            'focusable="false"><title id="{id}-title">{title}</title>'
            '<line class="zero" x1="{z}" x2="{z}" y1="0" y2="{h}"/>'
        ).format(w=WIDTH, h=height, id=chart_id, title=described, z=fmt(zero))
    ]
    for index, (group, amount) in enumerate(rows):
        y = 4 + index * ROW
        end = BAR_LEFT + ((float(amount) - low) / span) * (BAR_RIGHT - BAR_LEFT)
        x, width = (zero, end - zero) if amount >= 0 else (end, zero - end)
        parts.append(
            Markup('<text class="x-label" x="{}" y="{}">{}</text>').format(
                LEFT, fmt(y + 18), group.label[:20]
            )
        )
        parts.append(
            Markup('<rect class="{}" x="{}" y="{}" width="{}" height="20"/>').format(
                "bar-gain" if amount >= 0 else "bar-loss", fmt(x), fmt(y + 2), fmt(max(width, 1))
            )
        )
        parts.append(
            Markup('<text class="x-label" x="{}" y="{}">{}</text>').format(
                fmt(max(end, zero) + 6), fmt(y + 18), label(amount)
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def describe(title: str, rows: Sequence[tuple[Group, Decimal]], label: Callable[[Decimal], str]) -> str:
    """The chart in words: "Profit by game, 2 groups: best NLH (+$150.00), worst PLO (-$80.00)."."""
    best = max(rows, key=lambda pair: pair[1])
    worst = min(rows, key=lambda pair: pair[1])
    count = len(rows)
    text = f"{title}, {count} group{'s' if count != 1 else ''}: best {best[0].label} ({label(best[1])})"
    if worst[0] is not best[0]:
        text += f", worst {worst[0].label} ({label(worst[1])})"
    return text + "."
