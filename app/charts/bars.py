"""Server-drawn bar charts (SVG, styled by classes so they follow the theme; no inline styles).

Pure functions: monthly deposits/withdrawals from the ledger's flows, and the current split of the
bankroll by site and asset.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date
from markupsafe import Markup

from app import money
from app.bankroll.queries import FlowRow
from app.rates.history import RateHistory

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 6, 634, 20, 284
ZERO = Decimal(0)


@dataclass(frozen=True)
class Month:
    start: date
    deposits: Decimal
    withdrawals: Decimal


@dataclass(frozen=True)
class Share:
    name: str
    kind: str
    value: Decimal
    percent: Decimal


def months(
    flows: Iterable[FlowRow], currency: str, history: RateHistory, tz: ZoneInfo, since: date | None
) -> list[Month]:
    """Deposits and withdrawals per calendar month (the player's), each flow at its own day's rate."""
    sums: dict[date, dict[str, list[Decimal]]] = {}
    for flow in flows:
        if flow.kind not in ("deposit", "withdrawal"):
            continue
        day = flow.occurred_at.astimezone(tz).date()
        if since is not None and day < since:
            continue
        bucket = sums.setdefault(day.replace(day=1), {"deposit": [], "withdrawal": []})
        bucket[flow.kind].append(history.convert(flow.amount, flow.currency, currency, day))
    return [
        Month(start, money.add(kinds["deposit"]), money.add(kinds["withdrawal"]))
        for start, kinds in sorted(sums.items())
    ]


def split(items: Iterable[tuple[str, str, Decimal | None]]) -> list[Share]:
    """Each holding's share of the bankroll (positive values only), largest first."""
    values = [(name, kind, value) for name, kind, value in items if value is not None and value > 0]
    total = money.add(v for _n, _k, v in values)
    if total <= 0:
        return []
    shares = [Share(name, kind, value, value * 100 / total) for name, kind, value in values]
    return sorted(shares, key=lambda s: s.value, reverse=True)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def months_svg(rows: Sequence[Month], currency: str, locale: str) -> Markup:
    if not rows:
        return Markup('<p class="empty chart-empty">No deposits or withdrawals in this period.</p>')
    high = float(max(max(m.deposits, m.withdrawals) for m in rows)) or 1.0
    slot = (RIGHT - LEFT) / len(rows)
    bar = max(1.0, slot * 0.38)
    parts = [
        Markup(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="bars-title" '
            'focusable="false">'
            '<title id="bars-title">Deposits and withdrawals per month</title>'
        ).format(WIDTH, HEIGHT),
        Markup('<line class="axis" x1="{}" x2="{}" y1="{y}" y2="{y}"/>').format(LEFT, RIGHT, y=BOTTOM),
        Markup('<text class="y-label" x="{}" y="{}">{}</text>').format(
            LEFT + 2, TOP - 4, money.format_money(Decimal(str(high)), currency, locale)
        ),
    ]
    for index, month in enumerate(rows):
        x0 = LEFT + index * slot + slot * 0.1
        for offset, value, css in (
            (0.0, month.deposits, "bar-deposit"),
            (bar, month.withdrawals, "bar-withdrawal"),
        ):
            height = float(value) / high * (BOTTOM - TOP)
            parts.append(
                Markup('<rect class="{}" x="{}" y="{}" width="{}" height="{}"/>').format(
                    css, _fmt(x0 + offset), _fmt(BOTTOM - height), _fmt(bar), _fmt(height)
                )
            )
        if len(rows) <= 12 or index % max(1, len(rows) // 6) == 0:
            parts.append(
                Markup('<text class="x-label" x="{}" y="{}" text-anchor="middle">{}</text>').format(
                    _fmt(x0 + bar), HEIGHT - 6, format_date(month.start, "MMM yy", locale=locale)
                )
            )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def split_svg(shares: Sequence[Share]) -> Markup:
    if not shares:
        return Markup(
            '<p class="empty chart-empty">Add a site or an asset with a balance to see the split.</p>'
        )
    row = 28
    height = row * len(shares) + 8
    parts = [
        Markup(
            '<svg class="chart split-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="split-title" '
            'focusable="false"><title id="split-title">Bankroll by site and asset</title>'
        ).format(WIDTH, height)
    ]
    top = float(shares[0].percent) or 1.0
    for index, share in enumerate(shares):
        y = 4 + index * row
        width = float(share.percent) / top * 380
        parts.append(
            Markup('<text class="x-label" x="{}" y="{}">{}</text>').format(
                LEFT, _fmt(y + 18), share.name[:24]
            )
        )
        parts.append(
            Markup('<rect class="{}" x="200" y="{}" width="{}" height="20"/>').format(
                "bar-site" if share.kind == "site" else "bar-asset", _fmt(y + 2), _fmt(max(width, 1))
            )
        )
        parts.append(
            Markup('<text class="x-label" x="{}" y="{}">{} %</text>').format(
                _fmt(206 + width), _fmt(y + 18), f"{share.percent:.1f}"
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
