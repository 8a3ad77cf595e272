"""Bankroll figures: every conversion to the player's currency happens here, with exact Decimals.

Total bankroll = sum of the latest balance of every site and asset, converted.
Profit = bankroll − deposits + withdrawals. Poker profit uses the sites alone, so a move in an asset
(a Bitcoin wallet, say) is not mistaken for poker results.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, localcontext
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from app import money
from app.bankroll import daily, marks, queries
from app.bankroll.queries import FlowRow, HoldingRow
from app.cache import Cache
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
    """Everything the lists show, whatever the size of the history: the flows from the marks
    (app.bankroll.marks) and the few after them; without marks, their totals per kind and currency
    (each flow valued one by one only in currencies whose rate moved meanwhile)."""
    rows = await queries.holdings_with_entries(session, user.id, kind)  # type: ignore[arg-type]
    found = await marks.plan(session, user.id, user.display_currency, user.timezone)  # type: ignore[arg-type]
    if found.through is None:
        return await _summary_without_marks(session, user, rows)
    tz = zone(user.timezone)
    after = found.through + timedelta(days=1)
    flows = await queries.flow_rows(session, user.id, since=daily.start_of_day(after, tz))  # type: ignore[arg-type]
    codes = {user.display_currency} | {flow.currency for flow in flows}
    history = await rate_queries.history(session, codes, after)
    marked = (await marks.sums_at(session, user.id, [found.through], found.through))[found.through]  # type: ignore[arg-type]
    sums = flow_sums(flows, user.display_currency, history, tz)
    with localcontext(EXACT):
        sums["deposit"] += marked[0]
        sums["withdrawal"] += marked[1]
        sums["bonus"] += marked[2]
    return history_summary(rows, [], history, user.display_currency, user.timezone, sums)


async def _summary_without_marks(session: AsyncSession, user: User, rows: list[HoldingRow]) -> Summary:
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

    Built by `ledger` from the database, the history up to `through` comes as marks (app.bankroll.marks:
    the walk's running sums, valued once) at the days asked for, and `days`, `flows` and `transfers`
    hold only what came after, with `start`, the snapshot held at the end of `through`. Built by hand
    (tests), `days` holds every snapshot row and the walk goes through all of them.
    """

    days: list[tuple[date, str, str, Decimal]]  # (day, kind, currency, total), oldest first
    flows: list[FlowRow]
    transfers: list[queries.TransferRow]
    history: RateHistory
    currency: str
    tz: ZoneInfo
    snapshots: dict[date, list[tuple[str, str, Decimal]]] = field(default_factory=dict)
    first: date | None = None  # the first and last snapshot days
    last: date | None = None
    through: date | None = None  # the last day the marks cover
    marks: list[tuple[date, marks.Sums]] = field(default_factory=list)  # oldest first, up to `through`
    start: list[tuple[str, str, Decimal]] = field(default_factory=list)  # held at the end of `through`
    stored: bool = False  # new marks were written in the session: the caller may commit them
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


@dataclass(frozen=True)
class _Mark:
    sums: marks.Sums


def _sums(state: _Walk) -> marks.Sums:
    """The running sums a mark keeps (in marks.COLUMNS order)."""
    return (
        state.deposits,
        state.withdrawals,
        state.bonuses,
        state.fees,
        state.moved["site"],
        state.moved["asset"],
        state.changes["site"],
        state.changes["asset"],
    )


def _marked(state: _Walk, mark: _Mark) -> None:
    """Everything up to a mark's day at once: its running sums are the walk's."""
    deposits, withdrawals, bonuses, fees, moved_site, moved_asset, changes_site, changes_asset = mark.sums
    state.deposits, state.withdrawals, state.bonuses, state.fees = deposits, withdrawals, bonuses, fees
    state.moved = {"site": moved_site, "asset": moved_asset}
    state.changes = {"site": changes_site, "asset": changes_asset}


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
        if isinstance(item, _Mark):
            _marked(state, item)
        else:
            _flow(state, day, item, ledger)
    else:
        _transfer(state, day, item, ledger)


def _values(held: Iterable[tuple[str, str, Decimal]], day: date, ledger: Ledger) -> dict[str, Decimal]:
    """The held totals per side, converted at the rates of `day`."""
    values = {"site": ZERO, "asset": ZERO}
    for kind, code, total in held:
        values[kind] += total * ledger.factor(code, day)
    return values


def _held(state: _Walk, day: date, ledger: Ledger) -> list[tuple[str, str, Decimal]]:
    if day in ledger.snapshots:
        return ledger.snapshots[day]
    return [(kind, code, total) for (kind, code), total in state.held.items()]


def _events(ledger: Ledger, *, with_marks: bool = True) -> list[tuple[date, int, Any]]:
    """What the walk goes through, in time order: snapshots first on a day, then flows (and marks),
    then transfers."""
    events: list[tuple[date, int, Any]] = []
    by_day: dict[date, list[tuple[str, str, Decimal]]] = {}
    for day, kind, code, total in ledger.days:
        by_day.setdefault(day, []).append((kind, code, total))
    events.extend((day, 0, rows) for day, rows in by_day.items())
    if with_marks:
        events.extend((day, 1, _Mark(sums)) for day, sums in ledger.marks)
    events.extend((flow.occurred_at.astimezone(ledger.tz).date(), 1, flow) for flow in ledger.flows)
    events.extend((t.occurred_at.astimezone(ledger.tz).date(), 2, t) for t in ledger.transfers)
    events.sort(key=lambda event: (event[0], event[1]))
    return events


def walk(ledger: Ledger, samples: Iterable[date] = ()) -> tuple[list[Point], _Walk]:
    """Go through the history day by day: a chart point at the end of each sample day (bankroll at
    that day's rates, profit with the flows valued on their days, the poker result), and the sums."""
    events = _events(ledger)
    state = _Walk()
    points: list[Point] = []
    index = 0
    with localcontext(EXACT):
        state.held = {(kind, code): total for kind, code, total in ledger.start}  # after the marks
        for day in sorted(set(samples)):
            while index < len(events) and events[index][0] <= day:
                _apply(state, events[index], ledger)
                index += 1
            held = _held(state, day, ledger)
            values = _values(held, day, ledger)
            bankroll = values["site"] + values["asset"]
            poker = state.changes["site"] + state.moved["site"]
            points.append(
                Point(day, bankroll, values["site"], bankroll - state.deposits + state.withdrawals, poker)
            )
        while index < len(events):
            _apply(state, events[index], ledger)
            index += 1
        state.history_value = dict(state.changes)
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
    session: AsyncSession, user: User, samples: Callable[[date | None], Sequence[date]] = lambda _first: ()
) -> Ledger:
    """The player's history for the figures and the chart days `samples` picks given the first
    snapshot day: the marks (app.bankroll.marks) at those days and only what happened after the last
    of them, whatever the size of the history — ten small queries.

    What happened after the marks on days whose rates are final gets marks now (written in the
    session, `stored`: the caller commits), so the next view starts from there.
    """
    tz = zone(user.timezone)
    first, last = await queries.snapshot_span(session, user.id)  # type: ignore[arg-type]
    found = await marks.plan(session, user.id, user.display_currency, user.timezone)  # type: ignore[arg-type]
    through = found.through
    after = None if through is None else through + timedelta(days=1)
    after_at = None if after is None else daily.start_of_day(after, tz)
    flows = await queries.flow_rows(session, user.id, since=after_at)  # type: ignore[arg-type]
    transfers = await queries.transfer_rows(session, user.id, since=after_at)  # type: ignore[arg-type]
    days = await queries.day_totals(session, user.id, since=after) if first is not None else []  # type: ignore[arg-type]
    wanted = set(samples(first)) | ({last} if last is not None else set())
    if through is not None and first is not None:
        wanted.add(through)
    snapshots: dict[date, list[tuple[str, str, Decimal]]] = {}
    if wanted and first is not None:
        samples_at = [Sample(day, chart.end_of_day(day, tz)) for day in wanted]
        at_day = {sample.at: sample.day for sample in samples_at}
        snapshots = {day: [] for day in wanted}
        for at, kind, code, total in await daily.totals_at(session, user.id, samples_at):  # type: ignore[arg-type]
            snapshots[at_day[at]].append((kind, code, total))
    codes = found.codes | {user.display_currency} | {code for _day, _kind, code, _total in days}
    codes |= {flow.currency for flow in flows} | {
        code for rows in snapshots.values() for _k, code, _t in rows
    }
    codes |= {t.from_currency for t in transfers} | {t.to_currency for t in transfers}
    since: date | None
    if after is None:
        moments = [item.occurred_at for item in flows[:1]] + [item.occurred_at for item in transfers[:1]]
        starts = [first] if first is not None else []
        since = min([*starts, *(_day_of(moment, tz) for moment in moments)], default=None)
    else:
        since = min([*wanted, after])
    history = await rate_queries.history(session, codes, since)
    book = Ledger(days, flows, transfers, history, user.display_currency, tz, snapshots, first, last, through)
    if through is not None:
        book.marks = sorted((await marks.sums_at(session, user.id, [*wanted, through], through)).items())  # type: ignore[arg-type]
        book.start = snapshots.get(through, [])
    # Marks go no further than the player's today: with euros only, every day's rates are "final"
    # (frontier is date.max), and a mark for date.max would leave no day after it to read.
    today = datetime.now(tz).date()
    end = max(min(marks.frontier(history, codes), today), through or date.min)
    settled = _settle(book, end)
    if settled:
        book.stored = await marks.save(
            session,
            user.id,  # type: ignore[arg-type]
            found,
            settled,
            currency=user.display_currency,
            timezone=user.timezone,
            codes=codes,
            through=end,
        )
    return book


def _settle(book: Ledger, end: date) -> list[tuple[date, marks.Sums]]:
    """Marks for the days after the book's marks, up to `end`, that had anything in them."""
    events = [event for event in _events(book, with_marks=False) if event[0] <= end]
    if not events:
        return []
    state = _Walk()
    state.held = {(kind, code): total for kind, code, total in book.start}
    if book.marks:
        _marked(state, _Mark(book.marks[-1][1]))  # the mark of `through`
    out: list[tuple[date, marks.Sums]] = []
    with localcontext(EXACT):
        for index, event in enumerate(events):
            _apply(state, event, book)
            if index + 1 == len(events) or events[index + 1][0] != event[0]:
                out.append((event[0], _sums(state)))
    return out


@dataclass
class Walked:
    """A walk's results, what the pages need of them: chart points, the running sums, and the
    player's first snapshot day."""

    points: list[Point]
    state: _Walk
    first: date | None
    stored: bool = False  # new marks were written in the session: the caller may commit them
    history: RateHistory | None = None  # the walk's rates (the newest when cached; never cached)


def _dumps(walked: Walked) -> bytes:
    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return json.dumps(
        {
            "first": walked.first.isoformat() if walked.first else None,
            "points": [
                [p.day.isoformat(), str(p.bankroll), str(p.sites), text(p.profit), text(p.poker_profit)]
                for p in walked.points
            ],
            "sums": [str(value) for value in _sums(walked.state)],
        }
    ).encode()


def _loads(raw: bytes) -> Walked:
    data = json.loads(raw)

    def number(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    points = [
        Point(date.fromisoformat(day), Decimal(bankroll), Decimal(sites), number(profit), number(poker))
        for day, bankroll, sites, profit, poker in data["points"]
    ]
    state = _Walk()
    _marked(state, _Mark(tuple(Decimal(value) for value in data["sums"])))
    state.history_value = dict(state.changes)
    return Walked(points, state, date.fromisoformat(data["first"]) if data["first"] else None)


async def walked(
    session: AsyncSession,
    user: User,
    samples: Callable[[date | None], Sequence[date]] = lambda _first: (),
    *,
    cache: Cache | None = None,
    view: str = "",
) -> Walked:
    """`walk` over `ledger`, through `cache` when given: the key holds the player's data version and
    the rates revision (read first: a value is never older than its key), the currency, time zone,
    today and `view` (which must name what `samples` picks)."""
    key = None
    if cache is not None:
        version, rates, epoch = await marks.versions(session, user.id)  # type: ignore[arg-type]
        today = datetime.now(zone(user.timezone)).date()
        key = (
            f"walk:{epoch}:{user.id}:{version}:{rates}:{user.display_currency}:{user.timezone}:{today}:{view}"
        )
        found = await cache.get(key)
        if found is not None:
            return _loads(found)
    book = await ledger(session, user, samples)
    points, state = walk(book, samples(book.first_day()))
    result = Walked(points, state, book.first_day(), book.stored, book.history)
    if cache is not None and key is not None:
        await cache.set(key, _dumps(result))
    return result


async def overview(
    session: AsyncSession,
    user: User,
    samples: Callable[[date | None], Sequence[date]] = lambda _first: (),
    *,
    cache: Cache | None = None,
    view: str = "",
) -> tuple[Summary, Breakdown, Walked, list[Point]]:
    """The dashboard's figures: the summary, where the profit came from, the walk, and chart points
    for the days `samples` picks given the first day (the walk through `cache` when given)."""
    rows = await queries.holdings_with_entries(session, user.id)  # type: ignore[arg-type]
    found = await walked(session, user, samples, cache=cache, view=view)
    state = found.state
    sums = {"deposit": state.deposits, "withdrawal": state.withdrawals, "bonus": state.bonuses}
    if found.history is None:  # a walk from the cache: the newest rates, for today's balances
        found.history = await rate_queries.history(session)
    history = found.history
    summary = history_summary(rows, [], history, user.display_currency, user.timezone, sums)
    return summary, breakdown(summary, state), found, found.points
