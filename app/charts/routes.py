"""The charts page: one URL, a chooser (?chart=bankroll|profit|sites|assets|flows|split) and a range
(?range=30d|90d|1y|all). htmx region of charts/show.html: #chart-panel."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app import htmx, web
from app.bankroll import queries as bankroll_queries
from app.bankroll import services
from app.charts import bars, queries, stacked
from app.dashboard import chart
from app.models import User
from app.rates import queries as rate_queries
from app.templating import render
from app.web import db, require_user

STACKS = {"sites": "site", "assets": "asset"}  # stacked charts: the holding kind each one shows
ONE = Decimal(1)
CHARTS = {
    "bankroll": "Bankroll over time",
    "profit": "Profit over time",
    "sites": "Sites over time",
    "assets": "Assets over time",
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
        if kind in STACKS:
            drawn = await _stacked(session, user, kind, range_key, today)
            drawn.update(kind=kind, range=range_key, charts=CHARTS, ranges=chart.RANGES)
            return render(request, "charts/show.html", drawn, block=htmx.block_for(request, "chart_panel"))

        def pick(first: date | None) -> list[date]:
            return chart.sample_days(range_key, today, first)

        walked = flows = history = None
        if kind in ("bankroll", "profit"):
            walked = await services.walked(
                session, user, pick, cache=web.cache(request), view=f"range:{range_key}"
            )
            if walked.stored:
                await session.commit()  # history valued for the first time: kept for the next view
        elif kind == "flows":
            flows = await bankroll_queries.flow_rows(session, user.id)  # type: ignore[arg-type]
            codes = {flow.currency for flow in flows} | {user.display_currency}
            first_day = flows[0].occurred_at.astimezone(tz).date() if flows else None
            history = await rate_queries.history(session, codes, first_day)
        figures = await services.summary(session, user) if kind == "split" else None
    context: dict[str, Any] = {"kind": kind, "range": range_key, "charts": CHARTS, "ranges": chart.RANGES}
    currency, locale = user.display_currency, user.locale
    if walked is not None:
        points = walked.points
        context["svg"] = chart.render_svg(points, show=kind, currency=currency, locale=locale)
        context["text"] = chart.summary_text(points, kind, currency, locale)
        context["rows"] = []
    elif kind == "flows":
        length = chart.RANGES[range_key][1]
        since = today - timedelta(days=length - 1) if length else None
        rows = bars.months(flows or [], currency, history, tz, since)  # type: ignore[arg-type]
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


async def _stacked(
    session: AsyncSession, user: User, kind: str, range_key: str, today: date
) -> dict[str, Any]:
    """Each site's (asset's) value over time, stacked: three queries, whatever the history's length."""
    tz = services.zone(user.timezone)
    lines = await queries.lines(session, user.id, STACKS[kind])  # type: ignore[arg-type]
    started = [line.first_at for line in lines if line.first_at is not None]
    first = min(started).astimezone(tz).date() if started else None
    days, step = stacked.sample_days(range_key, today, first)
    ids = [line.id for line in lines if line.first_at is not None]
    rows = await queries.balances_at(session, ids, [chart.end_of_day(day, tz) for day in days])
    to = user.display_currency
    codes = {code for *_rest, code in rows} | {to}
    history = await rate_queries.history(session, codes, days[0]) if codes != {to} else None
    factors: dict[tuple[str, date], Decimal] = {}

    def factor(code: str, day: date) -> Decimal:
        """The player's currency per unit of `code` on `day` (a few hundred distinct pairs at most)."""
        if code == to or history is None:
            return ONE
        found = factors.get((code, day))
        if found is None:
            found = factors[(code, day)] = history.factor(code, to, day)
        return found

    stack = stacked.build(days, step, {line.id: line.name for line in lines}, rows, factor)
    what = "sites" if kind == "sites" else "assets"
    return {
        "svg": stacked.render_svg(stack, title=CHARTS[kind], currency=to, locale=user.locale),
        "text": stacked.summary_text(stack, what, to, user.locale),
        "rows": [],
        "stack": stack,
    }


routes = [Route("/charts", show_charts, methods=["GET"])]
