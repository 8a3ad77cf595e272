"""The charts page: one URL, a chooser (?chart=bankroll|profit|flows|split) and a range
(?range=30d|90d|1y|all). htmx region of charts/show.html: #chart-panel."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app import htmx
from app.bankroll import services
from app.charts import bars
from app.dashboard import chart
from app.templating import render
from app.web import db, require_user

CHARTS = {
    "bankroll": "Bankroll over time",
    "profit": "Profit over time",
    "flows": "Deposits and withdrawals per month",
    "split": "Split by site and asset",
}


async def show_charts(request: Request) -> Response:
    kind = request.query_params.get("chart", "bankroll")
    kind = kind if kind in CHARTS else "bankroll"
    range_key = request.query_params.get("range", chart.DEFAULT_RANGE)
    range_key = range_key if range_key in chart.RANGES else chart.DEFAULT_RANGE
    async with db(request) as session:
        user = await require_user(request, session)
        tz = services.zone(user.timezone)
        today = datetime.now(tz).date()

        def pick(first: date | None) -> list[date]:
            return chart.sample_days(range_key, today, first) if kind in ("bankroll", "profit") else []

        book = await services.ledger(session, user, pick, moves=kind != "bankroll")
        figures = await services.summary(session, user) if kind == "split" else None
    context: dict[str, Any] = {"kind": kind, "range": range_key, "charts": CHARTS, "ranges": chart.RANGES}
    currency, locale = user.display_currency, user.locale
    if kind in ("bankroll", "profit"):
        points, _state = services.walk(book, pick(book.first_day()))
        context["svg"] = chart.render_svg(points, show=kind, currency=currency, locale=locale)
        context["text"] = chart.summary_text(points, kind, currency, locale)
        context["rows"] = []
    elif kind == "flows":
        length = chart.RANGES[range_key][1]
        since = today - timedelta(days=length - 1) if length else None
        rows = bars.months(book.flows, currency, book.history, book.tz, since)
        context["svg"] = bars.months_svg(rows, currency, locale)
        context["text"] = f"{len(rows)} month{'s' if len(rows) != 1 else ''} with deposits or withdrawals."
        context["rows"] = rows
    else:
        assert figures is not None
        items = figures.sites.items + figures.assets.items
        shares = bars.split((i.holding.name, i.holding.kind, i.value) for i in items)
        context["svg"] = bars.split_svg(shares)
        context["text"] = "; ".join(f"{s.name}: {s.percent:.1f} %" for s in shares) or "No balances yet."
        context["rows"] = shares
    return render(request, "charts/show.html", context, block=htmx.block_for(request, "chart_panel"))


routes = [Route("/charts", show_charts, methods=["GET"])]
