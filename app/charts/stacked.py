"""Per-site and per-asset values over time, as a stacked area chart. Pure functions, no I/O.

The server sends only what is drawn: a point a day for up to three months, a week for up to two
years, a month beyond; the largest holdings (at the last point) each get their own band and the rest
are summed into "Other". Each point is the holdings' latest balances at the end of that day (the
player's), each converted at the rates of that day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext

from babel.dates import format_date, format_skeleton
from markupsafe import Markup

from app import money
from app.dashboard.chart import EXACT, RANGES, nice_ticks

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 6, 634, 34, 284
ZERO = Decimal(0)
TOP_N = 6  # bands of their own; the rest is "Other" (7 bands at most: readable, and a small SVG)
DAILY_UP_TO = 92  # days
WEEKLY_UP_TO = 731


def sample_days(range_key: str, today: date, first_day: date | None) -> tuple[list[date], str]:
    """The days to draw and their step ("day", "week" or "month"): from the range's start (or the first
    balance, when later) to today, today always last."""
    if first_day is None:
        return [], "day"
    length = RANGES.get(range_key, RANGES["90d"])[1]
    start = min(first_day, today)
    if length is not None:
        start = max(start, today - timedelta(days=length - 1))
    span = (today - start).days
    if span <= DAILY_UP_TO:
        return [start + timedelta(days=k) for k in range(span + 1)], "day"
    if span <= WEEKLY_UP_TO:
        days = [today - timedelta(days=7 * k) for k in range(span // 7 + 1)]
        days.reverse()
        return ([start] if days[0] != start else []) + days, "week"
    ends = []  # the last day of each month, then today
    month = date(start.year, start.month, 1)
    while True:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        end = following - timedelta(days=1)
        if end >= today:
            break
        ends.append(end)
        month = following
    if not ends or ends[0] != start:
        ends.insert(0, start)
    return [*ends, today], "month"


@dataclass(frozen=True)
class Series:
    name: str
    values: list[Decimal]  # one per sample day, in the player's currency
    members: int = 1  # holdings summed into it ("Other")

    @property
    def last(self) -> Decimal:
        return self.values[-1] if self.values else ZERO


@dataclass(frozen=True)
class Stack:
    days: list[date]
    step: str
    series: list[Series]  # largest first, "Other" last

    @property
    def totals(self) -> list[Decimal]:
        return [money.add(s.values[i] for s in self.series) for i in range(len(self.days))]


def build(
    days: Sequence[date],
    step: str,
    names: Mapping[int, str],
    rows: Iterable[tuple[int, int, Decimal, str]],
    factor: Callable[[str, date], Decimal],
    top: int = TOP_N,
) -> Stack:
    """The stack from balances_at's rows (sample index, holding, balance, currency); `factor(code, day)`
    gives the player's currency per unit of `code` on `day`."""
    values: dict[int, list[Decimal]] = {hid: [ZERO] * len(days) for hid in names}
    with localcontext(EXACT):
        for index, hid, balance, code in rows:
            if hid in values and 0 <= index < len(days):
                values[hid][index] = balance * factor(code, days[index])
    ranked = sorted(names, key=lambda hid: (-values[hid][-1] if days else ZERO, names[hid].casefold()))
    ranked = [hid for hid in ranked if any(values[hid])]  # never held anything in the range: left out
    keep = ranked if len(ranked) <= top + 1 else ranked[:top]
    series = [Series(names[hid], values[hid]) for hid in keep]
    rest = [hid for hid in ranked if hid not in keep]
    if rest:
        with localcontext(EXACT):
            summed = [sum((values[hid][i] for hid in rest), ZERO) for i in range(len(days))]
        series.append(Series("Other", summed, members=len(rest)))
    return Stack(list(days), step, series)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def summary_text(stack: Stack, what: str, currency: str, locale: str) -> str:
    """The last point's split, and the total then and at the start: what a sighted reader takes in."""
    if not stack.series:
        return f"No {what} with a balance in this period."

    def fmt(value: Decimal) -> str:
        return money.format_money(value, currency, locale)

    totals = stack.totals
    last = format_date(stack.days[-1], "medium", locale=locale)
    first = format_date(stack.days[0], "medium", locale=locale)
    parts = []
    for s in stack.series:
        name = f"{s.members} others" if s.members > 1 else s.name
        parts.append(f"{name} {fmt(s.last)}")
    return f"On {last}: {', '.join(parts)}; total {fmt(totals[-1])}. On {first}: total {fmt(totals[0])}."


def render_svg(stack: Stack, *, title: str, currency: str, locale: str) -> Markup:
    """Stacked areas, one class per band (series-0 … series-6, themed in CSS), with a legend."""
    if not stack.series or not stack.days:
        return Markup('<p class="empty chart-empty">{}</p>').format("Record a balance to see this chart.")
    count = len(stack.days)
    tops: list[list[float]] = []
    running = [0.0] * count
    for s in stack.series:  # negative balances add nothing to the stack
        running = [r + max(float(v), 0.0) for r, v in zip(running, s.values, strict=True)]
        tops.append(running)
    ticks = nice_ticks(ZERO, Decimal(str(max(running) or 1)))
    high = float(ticks[-1]) or 1.0
    span = (stack.days[-1] - stack.days[0]).days

    def x(index: int) -> str:
        if span == 0:
            return (
                _fmt((LEFT + RIGHT) / 2) if count == 1 else _fmt(LEFT + index * (RIGHT - LEFT) / (count - 1))
            )
        return _fmt(LEFT + (stack.days[index] - stack.days[0]).days / span * (RIGHT - LEFT))

    def y(value: float) -> str:
        return _fmt(BOTTOM - value / high * (BOTTOM - TOP))

    desc = "Stacked areas, one value a {}, from {} to {}.".format(
        stack.step,
        format_date(stack.days[0], "medium", locale=locale),
        format_date(stack.days[-1], "medium", locale=locale),
    )
    parts = [
        Markup(
            '<svg class="chart stacked-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="stack-title" '
            'aria-describedby="stack-desc" focusable="false">'
            '<title id="stack-title">{}</title><desc id="stack-desc">{}</desc>'
        ).format(WIDTH, HEIGHT, title, desc)
    ]
    labels = []
    for tick in ticks:
        parts.append(
            Markup('<line class="grid" x1="{}" x2="{}" y1="{y}" y2="{y}"/>').format(
                LEFT, RIGHT, y=y(float(tick))
            )
        )
        labels.append(
            Markup('<text class="y-label" x="{}" y="{}">{}</text>').format(
                LEFT + 2, _fmt(float(y(float(tick))) - 6), money.format_money(tick, currency, locale)
            )
        )
    xs = [x(i) for i in range(count)]
    edges = [[y(0.0)] * count] + [[y(value) for value in upper] for upper in tops]  # each band's top
    for band in range(len(tops)):
        upper, lower = edges[band + 1], edges[band]
        if count == 1:
            d = f"M{xs[0]},{upper[0]} h8 V{lower[0]} h-16 V{upper[0]} Z"
        else:
            forward = " L".join(f"{xs[i]},{upper[i]}" for i in range(count))
            back = " L".join(f"{xs[i]},{lower[i]}" for i in reversed(range(count)))
            d = f"M{forward} L{back} Z"
        parts.append(Markup('<path class="stack series-{}" d="{}"/>').format(band, d))
    parts.append(
        Markup('<line class="axis" x1="{}" x2="{}" y1="{y}" y2="{y}"/>').format(LEFT, RIGHT, y=BOTTOM)
    )
    long_range = span > 180
    marks = sorted({round(k * (count - 1) / 3) for k in range(4)})
    seen: set[str] = set()
    for position, index in enumerate(marks):
        text = format_skeleton("yMMM" if long_range else "MMMd", stack.days[index], locale=locale)
        if text in seen:
            continue
        seen.add(text)
        anchor = "start" if position == 0 else "end" if position == len(marks) - 1 else "middle"
        labels.append(
            Markup('<text class="x-label" x="{}" y="{}" text-anchor="{}">{}</text>').format(
                x(index), HEIGHT - 6, "middle" if count == 1 else anchor, text
            )
        )
    parts.extend(labels)
    parts.append(Markup("</svg>"))
    legend = [Markup('<ul class="chart-legend stack-legend">')]
    for band, s in enumerate(stack.series):
        name = f"Other ({s.members})" if s.members > 1 else s.name
        legend.append(
            Markup('<li><span class="swatch series-swatch-{}" aria-hidden="true"></span>{}</li>').format(
                band, name
            )
        )
    legend.append(Markup("</ul>"))
    return Markup("").join(parts + legend)
