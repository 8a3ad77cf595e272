"""The bankroll-over-time chart: which days to sample, and a server-drawn SVG of the points.

Pure functions, no I/O: app.bankroll.services.walk turns the player's history into one Point per
sample day (each day valued at that day's exchange rates), and render_svg draws them.
The SVG is styled by classes only (CSP style-src 'self', and dark mode follows the CSS variables).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_CEILING, ROUND_FLOOR, Context, Decimal
from math import ceil
from typing import NamedTuple
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton
from markupsafe import Markup

from app import money

RANGES: dict[str, tuple[str, int | None]] = {
    "30d": ("30 d", 30),
    "90d": ("90 d", 90),
    "1y": ("1 y", 365),
    "all": ("All", None),
}
DEFAULT_RANGE = "90d"
SHOWS: dict[str, str] = {"bankroll": "Bankroll", "profit": "Profit"}
MAX_POINTS = 120
ZERO = Decimal(0)
EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)  # sums never round (as in money.add)

# Drawing area in SVG user units; the SVG scales to its container (viewBox + width 100%).
WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = (
    6,
    634,
    34,
    284,
)  # the plot; y labels sit above their gridline, x labels below BOTTOM


@dataclass(frozen=True)
class View:
    """What the chart shows: a range preset and bankroll or profit (the page's GET parameters)."""

    range: str = DEFAULT_RANGE
    show: str = "bankroll"

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> View:
        """Unknown values fall back to the defaults: a hand-edited URL still shows a chart."""
        range_key = params.get("range", DEFAULT_RANGE)
        show = params.get("show", "bankroll")
        return cls(range_key if range_key in RANGES else DEFAULT_RANGE, show if show in SHOWS else "bankroll")

    def query(self, **changes: str) -> str:
        """The query string for this view with some parameters changed, like '?range=1y&show=profit'."""
        values = {"range": self.range, "show": self.show, **changes}
        return "?" + urlencode(values)


class Sample(NamedTuple):
    """A day on the chart and the instant its value is taken at (the end of that day, aware UTC)."""

    day: date
    at: datetime


@dataclass(frozen=True)
class Point:
    day: date
    bankroll: Decimal
    sites: Decimal
    profit: Decimal | None = None  # bankroll − deposits + withdrawals, in profit view only
    poker_profit: Decimal | None = None  # the same with the sites alone


def end_of_day(day: date, tz: ZoneInfo) -> datetime:
    """The last microsecond of `day` in the player's time zone, in UTC (DST days are 23 or 25 hours)."""
    midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return midnight.astimezone(UTC) - timedelta(microseconds=1)


def sample_days(range_key: str, today: date, first_day: date | None) -> list[date]:
    """Days to plot: daily for short ranges, every N days for long ones, at most MAX_POINTS.

    The chart starts at the first recorded balance when that is later than the range's start, and
    always ends today; first and last days are exact, the ones between evenly spaced.
    """
    if first_day is None:
        return []
    length = RANGES.get(range_key, RANGES[DEFAULT_RANGE])[1]
    start = min(first_day, today)
    if length is not None:
        start = max(start, today - timedelta(days=length - 1))
    span = (today - start).days  # days between first and last sample
    step = max(1, ceil(span / (MAX_POINTS - 2))) if span else 1
    days = [start + timedelta(days=k) for k in range(0, span + 1, step)]
    if days[-1] != today:
        days.append(today)
    return days


def sample_instants(range_key: str, today: date, first_day: date | None, tz: ZoneInfo) -> list[Sample]:
    """The sample days with the instant each is measured at (end of the day in the player's zone)."""
    return [Sample(day, end_of_day(day, tz)) for day in sample_days(range_key, today, first_day)]


def nice_ticks(low: Decimal, high: Decimal, target: int = 4) -> list[Decimal]:
    """Round gridline values (1, 2, 2.5 or 5 × 10ⁿ apart) covering low..high, about `target` steps."""
    if high < low:
        low, high = high, low
    if high == low:
        pad = abs(high) / 10 if high else Decimal(1)
        low, high = low - pad, high + pad
    raw = (high - low) / target
    magnitude = Decimal(1).scaleb(raw.adjusted())
    step = next(
        magnitude * m
        for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
        if magnitude * m >= raw
    )
    first = (low / step).to_integral_value(ROUND_FLOOR) * step
    last = (high / step).to_integral_value(ROUND_CEILING) * step
    return [first + step * k for k in range(int((last - first) / step) + 1)]


def _series(points: Sequence[Point], show: str) -> tuple[list[Decimal], list[Decimal]]:
    """The main line and the secondary (sites-only) line for the view."""
    if show == "profit":
        return [p.profit or Decimal(0) for p in points], [p.poker_profit or Decimal(0) for p in points]
    return [p.bankroll for p in points], [p.sites for p in points]


def _date_label(day: date, locale: str, long_range: bool) -> str:
    return format_skeleton("yMMM" if long_range else "MMMd", day, locale=locale)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def summary_text(points: Sequence[Point], show: str, currency: str, locale: str) -> str:
    """Start, end, change, lowest and highest: what a sighted reader takes from the line."""
    if not points:
        return "No balances recorded yet."
    main, _sites = _series(points, show)
    label = SHOWS.get(show, "Bankroll")

    def fmt(value: Decimal, signed: bool = False) -> str:
        return money.format_money(value, currency, locale, signed=signed)

    def day(index: int) -> str:
        return format_date(points[index].day, "medium", locale=locale)

    low = min(range(len(main)), key=main.__getitem__)
    high = max(range(len(main)), key=main.__getitem__)
    change = money.add([main[-1], main[0].copy_negate()])
    return (
        f"{label} on {day(0)}: {fmt(main[0])}; on {day(-1)}: {fmt(main[-1])}; "
        f"change {fmt(change, signed=True)}. "
        f"Lowest {fmt(main[low])} on {day(low)}; highest {fmt(main[high])} on {day(high)}."
    )


def render_svg(
    points: Sequence[Point], *, show: str, currency: str, locale: str, title: str | None = None
) -> Markup:
    """An accessible line chart (role="img", <title>, <desc>, a visually hidden summary) as Markup.

    Every piece of text goes through Markup.format, which escapes it.
    """
    title = title or f"{SHOWS.get(show, 'Bankroll')} over time"
    if not points:
        return Markup('<p class="empty chart-empty">{}</p>').format(
            "Your chart appears after your first balance update."
        )
    main, secondary = _series(points, show)
    ticks = nice_ticks(min(main + secondary), max(main + secondary))
    low, high = float(ticks[0]), float(ticks[-1])
    first_day, last_day = points[0].day, points[-1].day
    days = (last_day - first_day).days

    def x(day: date) -> str:
        if days == 0:
            return _fmt((LEFT + RIGHT) / 2)
        return _fmt(LEFT + (day - first_day).days / days * (RIGHT - LEFT))

    def y(value: Decimal | float, shift: float = 0) -> str:
        return _fmt(BOTTOM - (float(value) - low) / (high - low) * (BOTTOM - TOP) + shift)

    def path(values: Sequence[Decimal]) -> str:
        return " ".join(f"L{x(p.day)},{y(v)}" for p, v in zip(points, values, strict=True))

    draw_secondary = secondary != main  # with no assets the two lines would coincide
    step = (points[1].day - points[0].day).days if len(points) > 2 else 1
    desc = "Line chart, {}, from {} to {}.{}".format(
        "daily values" if step == 1 else f"one value every {step} days",
        format_date(first_day, "medium", locale=locale),
        format_date(last_day, "medium", locale=locale),
        f" A thinner line shows {'the profit of ' if show == 'profit' else ''}the poker sites alone."
        if draw_secondary
        else "",
    )
    parts = [
        Markup(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-title" '
            'aria-describedby="chart-desc" focusable="false">'
            '<title id="chart-title">{}</title><desc id="chart-desc">{}</desc>'
        ).format(WIDTH, HEIGHT, title, desc)
    ]
    labels = []  # drawn last, over the lines
    for tick in ticks:
        parts.append(
            Markup('<line class="grid" x1="{}" x2="{}" y1="{y}" y2="{y}"/>').format(LEFT, RIGHT, y=y(tick))
        )
        labels.append(
            Markup('<text class="y-label" x="{}" y="{}">{}</text>').format(
                LEFT + 2, y(tick, -6), money.format_money(tick, currency, locale)
            )
        )
    if low < 0 < high:
        parts.append(
            Markup('<line class="zero" x1="{}" x2="{}" y1="{y}" y2="{y}"/>').format(LEFT, RIGHT, y=y(0))
        )
    parts.append(
        Markup('<line class="axis" x1="{}" x2="{}" y1="{y}" y2="{y}"/>').format(LEFT, RIGHT, y=BOTTOM)
    )

    long_range = days > 180
    label_indexes = sorted({round(k * (len(points) - 1) / 3) for k in range(4)})
    seen: set[str] = set()
    for position, index in enumerate(label_indexes):
        text = _date_label(points[index].day, locale, long_range)
        if text in seen:
            continue
        seen.add(text)
        anchor = "start" if position == 0 else "end" if position == len(label_indexes) - 1 else "middle"
        lx = x(points[index].day)
        parts.append(
            Markup('<line class="tick" x1="{x}" x2="{x}" y1="{}" y2="{}"/>').format(BOTTOM, BOTTOM + 6, x=lx)
        )
        labels.append(
            Markup('<text class="x-label" x="{}" y="{}" text-anchor="{}">{}</text>').format(
                lx, HEIGHT - 6, "middle" if len(points) == 1 else anchor, text
            )
        )

    main_class = "line-profit" if show == "profit" else "line-total"
    second_class = "line-poker" if show == "profit" else "line-sites"
    if len(points) > 1:
        main_path = path(main)
        if show == "bankroll":
            parts.append(
                Markup('<path class="area" d="M{},{} {} L{},{} Z"/>').format(
                    x(first_day), BOTTOM, main_path, x(last_day), BOTTOM
                )
            )
        if draw_secondary:
            parts.append(Markup('<path class="{}" d="M{}"/>').format(second_class, path(secondary)[1:]))
        parts.append(Markup('<path class="{}" d="M{}"/>').format(main_class, main_path[1:]))
    elif draw_secondary:
        parts.append(
            Markup('<circle class="dot dot-{}" cx="{}" cy="{}" r="4"/>').format(
                second_class[5:], x(first_day), y(secondary[0])
            )
        )
    parts.append(
        Markup('<circle class="dot dot-{}" cx="{}" cy="{}" r="5"/>').format(
            main_class[5:], x(last_day), y(main[-1])
        )
    )
    parts.extend(labels)
    parts.append(Markup("</svg>"))
    parts.append(
        Markup('<p class="visually-hidden" id="chart-summary">{}</p>').format(
            summary_text(points, show, currency, locale)
        )
    )
    return Markup("").join(parts)
