"""The exchange rates page: the rates the figures use today, their dates, and one currency's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app import htmx, money
from app.rates import queries
from app.templating import render
from app.web import current_user, db


@dataclass
class Line:
    code: str
    name: str
    per_eur: Decimal
    one_unit: Decimal  # one unit of the currency in the viewer's currency
    day: date
    source: str


SOURCES = {"ecb": "ECB reference rate", "coingecko": "CoinGecko", "snapshot": "Bundled snapshot"}


async def show_rates(request: Request) -> Response:
    code = str(request.query_params.get("currency", "")).upper()
    async with db(request) as session:
        user = await current_user(request, session)
        history = await queries.history(session)
        newest = await queries.newest_days(session)
        past = await queries.stored_days(session, code) if money.is_currency(code) else []
    target = user.display_currency if user is not None else "EUR"
    rates = history.latest()
    lines = []
    for currency, info in money.CURRENCIES.items():
        day, source = newest.get(currency, (money.SNAPSHOT_DATE, "snapshot"))
        if day < money.SNAPSHOT_DATE:
            day, source = money.SNAPSHOT_DATE, "snapshot"
        one = money.convert(Decimal(1), currency, target, rates)
        lines.append(Line(currency, info.name, rates[currency], one, day, source))
    context = {
        "lines": lines,
        "target": target,
        "rates_date": history.latest_day().isoformat(),
        "snapshot_date": money.SNAPSHOT_DATE.isoformat(),
        "sources": SOURCES,
        "chosen": code if money.is_currency(code) else "",
        "past": past,
    }
    return render(request, "rates/show.html", context, block=htmx.block_for(request, "rate_history"))


routes = [Route("/rates", show_rates, methods=["GET"])]
