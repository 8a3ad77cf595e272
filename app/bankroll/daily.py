"""Daily bankroll snapshots (the bankroll_days table): the chart's pre-aggregated data.

The chart needs, for up to 120 days, every live holding's latest balance at the end of the day,
summed per kind and currency. Computing that from the raw history probes the index once per holding
and day (3,600 probes for a heavy player's 120-point chart); reading it from here is two small index
range scans. `refresh` rebuilds the snapshots from a given day on after any change, reading only the
entries from that day on (a balance update today rewrites today's few rows).
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal, localcontext
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from app.bankroll import marks
from app.dashboard.chart import EXACT, Sample
from app.models import BalanceEntry, BankrollDay, Holding, User

E = BalanceEntry.__table__.c  # type: ignore[attr-defined]
H = Holding.__table__.c  # type: ignore[attr-defined]
D = BankrollDay.__table__.c  # type: ignore[attr-defined]
ZERO = Decimal(0)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_day(at: datetime, tz: ZoneInfo) -> date:
    return at.astimezone(tz).date()


def start_of_day(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


async def refresh(session: AsyncSession, user: User, since: date | None = None) -> None:
    """Rebuild the player's snapshots for `since` and every later day (all of them when None).

    Call it after flushing any change to balance entries, to which holdings are live, or to the
    player's time zone, with the earliest day the change touches. The caller commits.
    """
    await session.flush()
    tz = zone(user.timezone)
    kinds: dict[int, str] = dict(
        (
            await session.execute(sa.select(H.id, H.kind).where(H.user_id == user.id, H.deleted_at.is_(None)))
        ).all()
    )
    state: dict[int, tuple[str, Decimal]] = {}  # holding id -> (currency, balance) of its latest entry
    rows = sa.select(E.holding_id, E.recorded_at, E.balance, E.currency, E.id).where(E.holding_id.in_(kinds))
    delete = sa.delete(BankrollDay).where(D.user_id == user.id)
    if since is not None and kinds:
        start = start_of_day(since, tz)
        latest_before = (
            sa.select(E.id)
            .where(E.holding_id == H.id, E.recorded_at < start)
            .order_by(E.recorded_at.desc(), E.id.desc())
            .limit(1)
            .scalar_subquery()
        )
        carried = sa.select(E.holding_id, E.currency, E.balance).where(
            E.id.in_(sa.select(latest_before).where(H.id.in_(kinds)))
        )
        state = {hid: (code, amount) for hid, code, amount in (await session.execute(carried)).all()}
        rows = rows.where(E.recorded_at >= start)
        delete = delete.where(D.day >= since)
    await session.execute(delete)
    entries = (await session.execute(rows.order_by(E.recorded_at, E.id))).all() if kinds else []
    snapshots = _snapshots(entries, state, kinds, tz)
    if snapshots:
        await session.execute(sa.insert(BankrollDay), [{"user_id": user.id, **row} for row in snapshots])
    await marks.changed_from(session, user.id, since)  # type: ignore[arg-type]


async def after_entries(session: AsyncSession, user: User, *instants: datetime) -> None:
    """Refresh after balance entries recorded (or moved from/to) these instants changed."""
    tz = zone(user.timezone)
    await refresh(session, user, min(local_day(at, tz) for at in instants))


async def after_holding(session: AsyncSession, user: User, holding: Holding) -> None:
    """Refresh after a holding was deleted or restored: every day since its first entry."""
    query = sa.select(sa.func.min(E.recorded_at)).where(E.holding_id == holding.id)
    first = (await session.execute(query)).scalar_one_or_none()
    if first is not None:
        await refresh(session, user, local_day(first, zone(user.timezone)))


def _snapshots(
    entries: Sequence[tuple[int, datetime, Decimal, str, int]],
    state: dict[int, tuple[str, Decimal]],
    kinds: dict[int, str],
    tz: ZoneInfo,
) -> list[dict[str, object]]:
    """Walk the entries in time order; after each day that had any, write every stream's total."""
    out: list[dict[str, object]] = []
    with localcontext(EXACT):
        totals: dict[tuple[str, str], Decimal] = {}
        counts: dict[tuple[str, str], int] = {}

        def put(hid: int, code: str, amount: Decimal, sign: int) -> None:
            key = (kinds[hid], code)
            totals[key] = totals.get(key, ZERO) + (amount if sign > 0 else -amount)
            counts[key] = counts.get(key, 0) + sign

        for hid, (code, amount) in state.items():
            put(hid, code, amount, 1)
        day: date | None = None
        for hid, at, amount, code, _id in entries:
            today = local_day(at, tz)
            if day is not None and today != day:
                out.extend(_rows(day, totals, counts))
            day = today
            if hid in state:
                put(hid, *state[hid], -1)
            state[hid] = (code, amount)
            put(hid, code, amount, 1)
        if day is not None:
            out.extend(_rows(day, totals, counts))
    return out


def _rows(
    day: date, totals: dict[tuple[str, str], Decimal], counts: dict[tuple[str, str], int]
) -> list[dict]:
    return [
        {"day": day, "kind": kind, "currency": code, "total": totals[(kind, code)]}
        for (kind, code), count in counts.items()
        if count > 0
    ]


async def first_day(session: AsyncSession, user_id: int) -> date | None:
    query = sa.select(sa.func.min(D.day)).where(D.user_id == user_id)
    return (await session.execute(query)).scalar_one_or_none()


def sample_days(dialect: str, days: list[date]) -> sa.FromClause:
    """The sample days as a one-column table bound as a single parameter (cheap to compile)."""
    if dialect == "postgresql":
        array = sa.bindparam("days", days, type_=postgresql.ARRAY(sa.Date()))
        return sa.func.unnest(array).table_valued("value").render_derived(name="samples")
    text = json.dumps([d.isoformat() for d in days])
    return (
        sa.func.json_each(sa.bindparam("days", text, type_=sa.String()))
        .table_valued("value")
        .alias("samples")
    )


async def totals_at(
    session: AsyncSession, user_id: int, samples: Sequence[Sample]
) -> list[tuple[datetime, str, str, Decimal]]:
    """Rows (sample instant, kind, currency, total) for chart.build_series, in one query.

    Each sample day takes the latest snapshot at or before it: one backward index probe per sample,
    then only the snapshots used are read.
    """
    if not samples:
        return []
    days = sorted({sample.day for sample in samples})
    table = sample_days(session.get_bind().dialect.name, days)
    latest = (
        sa.select(sa.func.max(D.day)).where(D.user_id == user_id, D.day <= table.c.value).scalar_subquery()
    )
    used = sa.select(latest).select_from(table).scalar_subquery()
    query = sa.select(D.day, D.kind, D.currency, D.total).where(D.user_id == user_id, D.day.in_(used))
    snapshots: dict[date, list[tuple[str, str, Decimal]]] = {}
    for day, kind, code, total in (await session.execute(query)).all():
        snapshots.setdefault(day, []).append((kind, code, total))
    known = sorted(snapshots)
    rows: list[tuple[datetime, str, str, Decimal]] = []
    for sample in samples:
        index = bisect.bisect_right(known, sample.day) - 1
        if index >= 0:
            rows.extend((sample.at, kind, code, total) for kind, code, total in snapshots[known[index]])
    return rows
