"""Bankroll figures: every conversion to the player's currency happens here, with exact Decimals.

Total bankroll = sum of the latest balance of every site and asset, converted.
Profit = bankroll − deposits + withdrawals. Poker profit uses the sites alone, so a move in an asset
(a Bitcoin wallet, say) is not mistaken for poker results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, localcontext
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from app import money
from app.bankroll import daily, queries
from app.bankroll.queries import FlowRow, HoldingRow
from app.dashboard import chart
from app.dashboard.chart import EXACT, Point, Sample
from app.models import BalanceEntry, User
from app.rates import queries as rate_queries
from app.rates.history import RateHistory

ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass
class HoldingFigures:
    """One list row: the holding's own balance plus its values in the player's currency."""

    row: HoldingRow
    value: Decimal | None = None  # latest balance, converted
    previous_value: Decimal | None = None
    change: Decimal | None = None  # latest − previous
    change_since_first: Decimal | None = None

    @property
    def holding(self):  # type: ignore[no-untyped-def]
        return self.row.holding


@dataclass
class Group:
    """Sites or assets: their rows, total, and what the most recent day of updates changed."""

    items: list[HoldingFigures] = field(default_factory=list)
    total: Decimal = ZERO
    change: Decimal | None = None
    last_update: datetime | None = None


@dataclass
class Summary:
    currency: str
    rates: Mapping[str, Decimal]
    rates_date: str
    sites: Group
    assets: Group
    deposits: Decimal
    withdrawals: Decimal
    bonuses: Decimal = ZERO  # bonuses and rakeback: already in the balances, shown apart from results
    history: RateHistory | None = None  # the rates of every day the figures needed

    @property
    def bankroll(self) -> Decimal:
        return money.add([self.sites.total, self.assets.total])

    @property
    def profit(self) -> Decimal:
        return money.add([self.bankroll, self.deposits.copy_negate(), self.withdrawals])

    @property
    def poker_profit(self) -> Decimal:
        return money.add([self.sites.total, self.deposits.copy_negate(), self.withdrawals])

    @property
    def has_holdings(self) -> bool:
        return bool(self.sites.items or self.assets.items)


def _value(entry: BalanceEntry | None, to: str, rates: Mapping[str, Decimal]) -> Decimal | None:
    return None if entry is None else money.convert(entry.balance, entry.currency, to, rates)


def figures(row: HoldingRow, to: str, rates: Mapping[str, Decimal]) -> HoldingFigures:
    value = _value(row.latest, to, rates)
    previous = _value(row.previous, to, rates)
    first = _value(row.first, to, rates)
    return HoldingFigures(
        row=row,
        value=value,
        previous_value=previous,
        change=None if value is None or previous is None else money.add([value, previous.copy_negate()]),
        change_since_first=None
        if value is None or first is None or row.previous is None
        else money.add([value, first.copy_negate()]),
    )


def group(rows: list[HoldingRow], to: str, rates: Mapping[str, Decimal], tz: ZoneInfo) -> Group:
    """A group's total, and the change its latest day of updates made (the sum of those updates)."""
    result = Group(items=[figures(row, to, rates) for row in rows])
    result.total = money.add(item.value for item in result.items if item.value is not None)
    stamps = [row.latest.recorded_at for row in rows if row.latest is not None]
    if not stamps:
        return result
    result.last_update = max(stamps)
    last_day: date = result.last_update.astimezone(tz).date()
    changes = [
        item.change
        for item in result.items
        if item.change is not None
        and item.row.latest is not None
        and item.row.latest.recorded_at.astimezone(tz).date() == last_day
    ]
    result.change = money.add(changes) if changes else None
    return result


def build_summary(
    rows: list[HoldingRow],
    flows: Mapping[str, list[tuple[Decimal, str]]],
    rates: Mapping[str, Decimal],
    rates_date: str,
    currency: str,
    timezone: str = "UTC",
) -> Summary:
    """A summary with every flow converted at `rates` (see `summary` for the history-aware one)."""
    tz = ZoneInfo(timezone)
    return Summary(
        currency=currency,
        rates=rates,
        rates_date=rates_date,
        sites=group([r for r in rows if r.holding.kind == "site"], currency, rates, tz),
        assets=group([r for r in rows if r.holding.kind == "asset"], currency, rates, tz),
        deposits=money.total(flows.get("deposit", []), currency, rates),
        withdrawals=money.total(flows.get("withdrawal", []), currency, rates),
    )


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def flow_sums(
    flows: Iterable[FlowRow], currency: str, history: RateHistory, tz: ZoneInfo
) -> dict[str, Decimal]:
    """Per kind, the flows converted each at the rate of its own day (the player's day), exactly."""
    sums = {"deposit": ZERO, "withdrawal": ZERO, "bonus": ZERO}
    with localcontext(EXACT):
        for flow in flows:
            day = flow.occurred_at.astimezone(tz).date()
            factor = ONE if flow.currency == currency else history.factor(flow.currency, currency, day)
            sums[flow.kind] = sums.get(flow.kind, ZERO) + flow.amount * factor
    return sums


def history_summary(
    rows: list[HoldingRow],
    flows: list[FlowRow],
    history: RateHistory,
    currency: str,
    timezone: str = "UTC",
    sums: Mapping[str, Decimal] | None = None,
) -> Summary:
    """Current balances at the latest rates; deposits, withdrawals and bonuses each at its own day's
    (`sums` when they were added up already, by `walk`)."""
    tz = zone(timezone)
    rates = history.latest()
    sums = sums if sums is not None else flow_sums(flows, currency, history, tz)
    return Summary(
        currency=currency,
        rates=rates,
        rates_date=history.latest_day().isoformat(),
        sites=group([r for r in rows if r.holding.kind == "site"], currency, rates, tz),
        assets=group([r for r in rows if r.holding.kind == "asset"], currency, rates, tz),
        deposits=sums["deposit"],
        withdrawals=sums["withdrawal"],
        bonuses=sums["bonus"],
        history=history,
    )


async def summary(session: AsyncSession, user: User, kind: str | None = None) -> Summary:
    """Everything the lists show: four queries, whatever the size of the history (a fifth one when an
    exchange rate moved while the player had flows in that currency: those are valued one by one)."""
    rows = await queries.holdings_with_entries(session, user.id, kind)  # type: ignore[arg-type]
    groups = await queries.flow_groups(session, user.id)  # type: ignore[arg-type]
    tz = zone(user.timezone)
    codes = {code for _kind, code, *_rest in groups} | {user.display_currency}
    first = min((_day_of(first, tz) for _kind, _code, first, _last, _total in groups), default=None)
    history = await rate_queries.history(session, codes, first)
    to = user.display_currency
    sums = {"deposit": ZERO, "withdrawal": ZERO, "bonus": ZERO}
    moving = set()
    with localcontext(EXACT):
        for flow_kind, code, first_at, last_at, total in groups:
            start, end = _day_of(first_at, tz), _day_of(last_at, tz)
            if code != to and history.first_move(code, to, start, end) is not None:
                moving.add(code)  # the rate moved meanwhile: each flow at its own day's rate
                continue
            factor = ONE if code == to else history.factor(code, to, start)
            sums[flow_kind] = sums.get(flow_kind, ZERO) + total * factor
    if moving:
        flows = await queries.flow_rows(session, user.id, moving)  # type: ignore[arg-type]
        for flow_kind, value in flow_sums(flows, to, history, tz).items():
            sums[flow_kind] = money.add([sums.get(flow_kind, ZERO), value])
    return history_summary(rows, [], history, to, user.timezone, sums)


# ---- where the profit came from, and its history (the dashboard and its chart) -------------------


@dataclass
class Breakdown:
    """Profit, split: poker result + assets + exchange rates + bonuses − transfer fees (exactly).

    - poker: what the poker sites' balances did beyond the money moved in and out of them (deposits,
      withdrawals and transfers, each valued on its day) and beyond bonuses;
    - assets: the same for the other holdings (interest, a wallet's own moves);
    - exchange: what moving exchange rates (crypto prices included) did to every balance held;
    - bonuses: bonuses and rakeback, each valued on its day;
    - fees: what transfers lost on the way (a fee, an exchange spread).
    Deposits, withdrawals and bonuses without a holding count on the poker sites' side.
    """

    poker: Decimal = ZERO
    assets: Decimal = ZERO
    exchange: Decimal = ZERO
    bonuses: Decimal = ZERO
    fees: Decimal = ZERO

    @property
    def revaluation(self) -> Decimal:
        """Assets and exchange rates together: everything that is not poker, bonuses or fees."""
        return money.add([self.assets, self.exchange])

    @property
    def total(self) -> Decimal:
        return money.add([self.poker, self.assets, self.exchange, self.bonuses, self.fees.copy_negate()])


@dataclass
class Ledger:
    """Everything history-aware figures need: daily snapshots, flows, transfers and the rates.

    Built by `ledger` from the database, it holds only what the walk can't do without: the snapshot
    rows of the currencies whose value moved with the rates (`varying`), from the first day a rate
    moved (`since`, with `start`, the snapshot held the day before), and the snapshots of the days
    asked for (`snapshots`). Built by hand (tests), `days` holds every snapshot row and the walk
    goes through all of them.
    """

    days: list[tuple[date, str, str, Decimal]]  # (day, kind, currency, total), oldest first
    flows: list[FlowRow]
    transfers: list[queries.TransferRow]
    history: RateHistory
    currency: str
    tz: ZoneInfo
    snapshots: dict[date, list[tuple[str, str, Decimal]]] = field(default_factory=dict)
    varying: set[str] | None = None  # None: every currency is walked through `days`
    since: date | None = None
    start: list[tuple[str, str, Decimal]] = field(default_factory=list)
    first: date | None = None  # the first and last snapshot days
    last: date | None = None
    _factors: dict[tuple[str, date], Decimal] = field(default_factory=dict, repr=False)

    def first_day(self) -> date | None:
        return self.first if self.first is not None else (self.days[0][0] if self.days else None)

    def factor(self, code: str, day: date) -> Decimal:
        """The player's currency per unit of `code` on `day` (history.convert is amount × this)."""
        if code == self.currency:
            return ONE
        found = self._factors.get((code, day))
        if found is None:
            found = self._factors[(code, day)] = self.history.factor(code, self.currency, day)
        return found

    def walked(self, code: str) -> bool:
        return self.varying is None or code in self.varying


@dataclass
class _Walk:
    """The running sums of `walk`, in the player's currency, each item valued on its own day."""

    held: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # the walked streams, native
    changes: dict[str, Decimal] = field(default_factory=lambda: {"site": ZERO, "asset": ZERO})
    moved: dict[str, Decimal] = field(default_factory=lambda: {"site": ZERO, "asset": ZERO})
    deposits: Decimal = ZERO
    withdrawals: Decimal = ZERO
    bonuses: Decimal = ZERO
    fees: Decimal = ZERO
    # At the end: what every balance change was worth on its day, per side (see Breakdown).
    history_value: dict[str, Decimal] = field(default_factory=lambda: {"site": ZERO, "asset": ZERO})


def _bucket(kind: str | None) -> str:
    return "asset" if kind == "asset" else "site"


def _snapshot(state: _Walk, day: date, rows: list[tuple[str, str, Decimal]], ledger: Ledger) -> None:
    """A day's full snapshot: each (kind, currency) total's change, valued at that day's rates.

    The hot loop of a long history (a row per stream and day): one multiplication per changed total.
    """
    held, new, changes = state.held, {}, state.changes
    for kind, code, total in rows:
        key = (kind, code)
        new[key] = total
        before = held.pop(key, ZERO)
        if total != before:
            changes[kind] += (total - before) * ledger.factor(code, day)
    for (kind, code), before in held.items():  # a stream no longer held: all of it left
        if before:
            changes[kind] -= before * ledger.factor(code, day)
    state.held = new


def _flow(state: _Walk, day: date, flow: FlowRow, ledger: Ledger) -> None:
    value = flow.amount * ledger.factor(flow.currency, day)
    bucket = _bucket(flow.holding_kind)
    if flow.kind == "withdrawal":
        state.withdrawals += value
        state.moved[bucket] += value
    else:  # deposits and bonuses both arrive from outside; bonuses are profit, but not game results
        state.moved[bucket] -= value
        if flow.kind == "bonus":
            state.bonuses += value
        else:
            state.deposits += value


def _transfer(state: _Walk, day: date, transfer: queries.TransferRow, ledger: Ledger) -> None:
    sent = transfer.amount * ledger.factor(transfer.from_currency, day)
    received = transfer.received * ledger.factor(transfer.to_currency, day)
    state.moved[_bucket(transfer.from_kind)] += sent  # left that side: not a loss there
    state.moved[_bucket(transfer.to_kind)] -= received  # arrived on this side: not a gain here
    state.fees += sent - received


def _apply(state: _Walk, event: tuple[date, int, Any], ledger: Ledger) -> None:
    day, order, item = event
    if order == 0:
        _snapshot(state, day, item, ledger)
    elif order == 1:
        _flow(state, day, item, ledger)
    else:
        _transfer(state, day, item, ledger)


def _values(held: Iterable[tuple[str, str, Decimal]], day: date, ledger: Ledger) -> dict[str, Decimal]:
    """The held totals per side, converted at the rates of `day`."""
    values = {"site": ZERO, "asset": ZERO}
    for kind, code, total in held:
        values[kind] += total * ledger.factor(code, day)
    return values


def _history_value(
    state: _Walk, held: list[tuple[str, str, Decimal]], day: date, ledger: Ledger
) -> dict[str, Decimal]:
    """What every balance change up to `day` was worth on its own day, per side.

    A currency whose rate did not move over the history (every one, before `since`) is simply its
    total at that day's (unchanging) rate: summed changes at one rate are the total at that rate.
    """
    if ledger.varying is None:
        return dict(state.changes)
    if ledger.since is None or day < ledger.since:
        return _values(held, day, ledger)
    fixed = _values([row for row in held if not ledger.walked(row[1])], day, ledger)
    return {side: state.changes[side] + fixed[side] for side in fixed}


def _held(state: _Walk, day: date, ledger: Ledger) -> list[tuple[str, str, Decimal]]:
    if day in ledger.snapshots:
        return ledger.snapshots[day]
    return [(kind, code, total) for (kind, code), total in state.held.items()]


def walk(ledger: Ledger, samples: Iterable[date] = ()) -> tuple[list[Point], _Walk]:
    """Go through the history day by day: a chart point at the end of each sample day (bankroll at
    that day's rates, profit with the flows valued on their days, the poker result), and the sums."""
    events: list[tuple[date, int, Any]] = []
    by_day: dict[date, list[tuple[str, str, Decimal]]] = {}
    for day, kind, code, total in ledger.days:
        by_day.setdefault(day, []).append((kind, code, total))
    events.extend((day, 0, rows) for day, rows in by_day.items())
    events.extend((flow.occurred_at.astimezone(ledger.tz).date(), 1, flow) for flow in ledger.flows)
    events.extend((t.occurred_at.astimezone(ledger.tz).date(), 2, t) for t in ledger.transfers)
    events.sort(key=lambda event: (event[0], event[1]))
    state = _Walk()
    points: list[Point] = []
    index = 0
    with localcontext(EXACT):
        if ledger.since is not None:  # the walk starts where rates began to move
            before = ledger.since - timedelta(days=1)
            state.held = {(k, c): t for k, c, t in ledger.start if ledger.walked(c)}
            state.changes = (
                _values(ledger.start, before, ledger)
                if ledger.varying is None
                else _values([(k, c, t) for k, c, t in ledger.start if ledger.walked(c)], before, ledger)
            )
        for day in sorted(set(samples)):
            while index < len(events) and events[index][0] <= day:
                _apply(state, events[index], ledger)
                index += 1
            held = _held(state, day, ledger)
            values = _values(held, day, ledger)
            bankroll = values["site"] + values["asset"]
            worth = _history_value(state, held, day, ledger)
            poker = worth["site"] + state.moved["site"]
            points.append(
                Point(day, bankroll, values["site"], bankroll - state.deposits + state.withdrawals, poker)
            )
        while index < len(events):
            _apply(state, events[index], ledger)
            index += 1
        end = ledger.last or (ledger.days[-1][0] if ledger.days else date.min)
        state.history_value = _history_value(state, _held(state, end, ledger), end, ledger)
    return points, state


def _result(state: _Walk, side: str) -> Decimal:
    """A side's result: its balance changes beyond the money moved in or out (bonuses included)."""
    return state.history_value[side] + state.moved[side]


def breakdown(summary: Summary, state: _Walk) -> Breakdown:
    """The profit's parts: `state` from walking the whole history, `summary` for today's bankroll.

    Exchange rates take what today's bankroll is worth beyond its balance changes valued on their
    days, so the parts add up to summary.profit exactly (with the flows valued as in the summary).
    """
    with localcontext(EXACT):
        worth = state.history_value["site"] + state.history_value["asset"]
        return Breakdown(
            poker=_result(state, "site"),
            assets=_result(state, "asset"),
            exchange=summary.bankroll - worth,
            bonuses=state.bonuses,
            fees=state.fees,
        )


def _day_of(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


async def ledger(
    session: AsyncSession,
    user: User,
    samples: Callable[[date | None], Sequence[date]] = lambda _first: (),
    *,
    moves: bool = True,
) -> Ledger:
    """The player's history for the figures and the chart days `samples` picks given the first day:
    five or six small queries, and rows only where exchange rates moved. Without `moves` (a chart
    of balances alone) the flows and transfers are left out.

    A currency whose rate never moved over the player's history needs no rows at all (its changes at
    one rate add up to its total); one whose rate moved needs the snapshots from that first move on.
    """
    tz = zone(user.timezone)
    spans = await queries.currency_spans(session, user.id)  # type: ignore[arg-type]
    flows = await queries.flow_rows(session, user.id) if moves else []  # type: ignore[arg-type]
    transfers = await queries.transfer_rows(session, user.id) if moves else []  # type: ignore[arg-type]
    codes = set(spans) | {f.currency for f in flows} | {user.display_currency}
    codes |= {t.from_currency for t in transfers} | {t.to_currency for t in transfers}
    first = min((span[0] for span in spans.values()), default=None)
    last = max((span[1] for span in spans.values()), default=None)
    starts = [first] if first is not None else []
    starts += [_day_of(item.occurred_at, tz) for item in (flows[:1] + transfers[:1])]  # type: ignore[operator]
    history = await rate_queries.history(session, codes, min(starts, default=None))
    book = Ledger([], flows, transfers, history, user.display_currency, tz, first=first, last=last)
    if first is None or last is None:
        return book
    first_moves = {
        code: history.first_move(code, user.display_currency, first, last)
        for code in spans
        if code != user.display_currency
    }
    book.varying = {code for code, day in first_moves.items() if day is not None}
    if book.varying:
        book.since = min(day for day in first_moves.values() if day is not None)
    wanted = {*samples(first), last}
    if book.since is not None:
        wanted.add(book.since - timedelta(days=1))
    held = await daily.totals_at(session, user.id, [Sample(day, chart.end_of_day(day, tz)) for day in wanted])  # type: ignore[arg-type]
    at_day = {chart.end_of_day(day, tz): day for day in wanted}
    book.snapshots = {day: [] for day in wanted}
    for at, kind, code, total in held:
        book.snapshots[at_day[at]].append((kind, code, total))
    if book.since is not None:
        book.start = book.snapshots[book.since - timedelta(days=1)]
        book.days = await queries.day_totals(session, user.id, since=book.since, currencies=book.varying)  # type: ignore[arg-type]
    return book


async def overview(
    session: AsyncSession, user: User, samples: Callable[[date | None], Sequence[date]] = lambda _first: ()
) -> tuple[Summary, Breakdown, Ledger, list[Point]]:
    """The dashboard's figures: the summary, where the profit came from, the history, and chart points
    for the days `samples` picks given the first day (eight or nine queries, whatever the history)."""
    rows = await queries.holdings_with_entries(session, user.id)  # type: ignore[arg-type]
    book = await ledger(session, user, samples)
    points, state = walk(book, samples(book.first_day()))
    sums = {"deposit": state.deposits, "withdrawal": state.withdrawals, "bonus": state.bonuses}
    summary = history_summary(rows, book.flows, book.history, user.display_currency, user.timezone, sums)
    return summary, breakdown(summary, state), book, points
