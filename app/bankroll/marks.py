"""Bankroll marks: the history valued once, instead of on every view of the dashboard.

Profit and its parts value every past amount at the exchange rate of its own day: each deposit,
withdrawal, bonus and transfer, and each day's change of every balance. Done on each view, a heavy
account (five years of daily updates, 2,000 flows, rates moving every day) reads and multiplies tens of
thousands of rows. The bankroll_marks table keeps, for each day with anything in it, the running sums
the walk in app.bankroll.services keeps (deposits, withdrawals, bonuses, transfer fees, money moved
per side, balance changes valued per side; exact decimal text, in the player's currency), so a view
reads one mark per chart day and only what happened after the last mark.

A mark is only written for days whose rates are final: up to the newest known rate of every currency
involved (a later rate could still change the value of an amount after it). The state row says what
the marks were valued with (display currency, time zone, a fingerprint of the stored rates up to the
last day marks were made for) and up to which day they still hold; anything else found at read time
means "rebuild".

Writers call `changed` (a flow or transfer created, edited, deleted or restored), `changed_from`
(balance snapshots rebuilt from a day: app.bankroll.daily does it) or `forget` (bulk changes) in their
own transaction: it lowers `valid_through` below the day the change touches and bumps `version`. A
reader stores new marks only if `version` is still what it read, so a mark never outlives the data it
was computed from.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from app import money
from app.models import BankrollMark, BankrollMarkState, ExchangeRate, Revision
from app.rates.history import RateHistory

M = BankrollMark.__table__.c  # type: ignore[attr-defined]
S = BankrollMarkState.__table__.c  # type: ignore[attr-defined]
R = ExchangeRate.__table__.c  # type: ignore[attr-defined]
ZERO = Decimal(0)
NEVER = date.min  # valid_through of a state whose marks hold for no day at all
COLUMNS = (
    "deposits",
    "withdrawals",
    "bonuses",
    "fees",
    "moved_site",
    "moved_asset",
    "changes_site",
    "changes_asset",
)
Sums = tuple[Decimal, ...]  # the running sums in COLUMNS order
NOTHING: Sums = (ZERO,) * len(COLUMNS)


@dataclass
class Plan:
    """What the reader found: the state's version (None: no state row), the day the marks hold through
    for this player as things are now (None: for no day), and the currencies they valued."""

    version: int | None
    through: date | None
    codes: set[str] = field(default_factory=set)


def frontier(history: RateHistory, codes: Iterable[str]) -> date:
    """The last day whose rates are final for these currencies: the oldest of their newest rates (the
    euro, in which rates are quoted, is always 1: final on any day)."""
    return min((history.days[code][-1] for code in codes if code != "EUR"), default=date.max)


async def fingerprint(session: AsyncSession, codes: Iterable[str], through: date) -> str:
    """What the stored rates of `codes` up to `through` are. Rates are only ever added (a stored day
    is never overwritten), so their number and newest day up to `through` change with any addition."""
    query = (
        sa.select(R.currency, sa.func.count(), sa.func.max(R.day))
        .where(R.currency.in_(sorted(set(codes))), R.day <= through)
        .group_by(R.currency)
    )
    found = {code: f"{count}:{last}" for code, count, last in (await session.execute(query)).all()}
    parts = [money.SNAPSHOT_DATE.isoformat(), through.isoformat()]
    parts += [f"{code}={found.get(code, '')}" for code in sorted(set(codes))]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


async def plan(session: AsyncSession, user_id: int, currency: str, timezone: str) -> Plan:
    """Read the state and decide up to which day the stored marks can be trusted."""
    query = sa.select(
        S.currency, S.timezone, S.fingerprint, S.codes, S.rated_through, S.valid_through, S.version
    ).where(S.user_id == user_id)
    row = (await session.execute(query)).first()
    if row is None:
        return Plan(None, None)
    code, zone_name, print_, listed, rated, through, version = row
    # date.max: marks stored "for ever" (a euro-only player's, before marks stopped at today): rebuild.
    if through in (NEVER, date.max) or code != currency or zone_name != timezone:
        return Plan(version, None)
    codes = {item for item in listed.split(",") if item} | {currency}
    if print_ != await fingerprint(session, codes, rated):
        return Plan(version, None)
    return Plan(version, through, codes)


async def versions(session: AsyncSession, user_id: int) -> tuple[int | None, int | None, int | None]:
    """The player's data version (bumped by every write to their bankroll data), the rates revision
    (bumped by every save of new rates) and the database's random epoch: one query."""
    V = Revision.__table__.c  # type: ignore[attr-defined]
    query = sa.select(
        sa.select(S.version).where(S.user_id == user_id).scalar_subquery(),
        sa.select(V.value).where(V.name == "rates").scalar_subquery(),
        sa.select(V.value).where(V.name == "epoch").scalar_subquery(),
    )
    version, rates, epoch = (await session.execute(query)).one()
    return version, rates, epoch


def at_days(marks: Sequence[tuple[date, Sums]], days: Iterable[date]) -> dict[date, Sums]:
    """For each day, the sums of the latest mark on or before it (NOTHING before them all)."""
    known = [day for day, _sums in marks]
    found = {}
    for day in days:
        position = bisect.bisect_right(known, day) - 1
        found[day] = marks[position][1] if position >= 0 else NOTHING
    return found


async def sums_at(
    session: AsyncSession, user_id: int, days: Sequence[date], through: date
) -> dict[date, Sums]:
    """For each of `days` up to `through`, the sums of the latest stored mark on or before it.
    One query: a backward index probe per day, then only the marks used are read."""
    from app.bankroll import daily  # daily calls changed_from: imported here to avoid a cycle

    wanted = sorted({day for day in days if day <= through})
    if not wanted:
        return {}
    table = daily.sample_days(session.get_bind().dialect.name, wanted)
    latest = (
        sa.select(sa.func.max(M.day)).where(M.user_id == user_id, M.day <= table.c.value).scalar_subquery()
    )
    used = sa.select(latest).select_from(table).scalar_subquery()
    query = sa.select(M.day, *(M[name] for name in COLUMNS)).where(M.user_id == user_id, M.day.in_(used))
    rows = (await session.execute(query)).all()
    return at_days(sorted((day, tuple(Decimal(value) for value in values)) for day, *values in rows), wanted)


async def save(
    session: AsyncSession,
    user_id: int,
    found: Plan,
    marks: Sequence[tuple[date, Sums]],
    *,
    currency: str,
    timezone: str,
    codes: set[str],
    through: date,
) -> bool:
    """Store `marks` (for days after found.through, up to `through`) and move the state on, only if
    nothing changed since `found` was read; True when stored. The caller commits."""
    values = {
        "currency": currency,
        "timezone": timezone,
        "fingerprint": await fingerprint(session, codes | {currency}, through),
        "codes": ",".join(sorted(codes | {currency})),
        "rated_through": through,
        "valid_through": through,
    }
    if found.version is None:
        statement = _insert(session).on_conflict_do_nothing()
        result = await session.execute(statement, [{"user_id": user_id, "version": 0, **values}])
    else:
        statement = (
            sa.update(BankrollMarkState)
            .where(S.user_id == user_id, S.version == found.version)
            .values(version=S.version + 1, **values)
        )
        result = await session.execute(statement)
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False  # something changed meanwhile (or another view stored the marks first)
    stale = sa.delete(BankrollMark).where(M.user_id == user_id)
    if found.through is not None:
        stale = stale.where(M.day > found.through)
    await session.execute(stale)
    rows = [
        {
            "user_id": user_id,
            "day": day,
            **{name: str(value) for name, value in zip(COLUMNS, sums, strict=True)},
        }
        for day, sums in marks
        if (found.through is None or day > found.through) and day <= through
    ]
    if rows:
        await session.execute(sa.insert(BankrollMark), rows)
    return True


def _insert(session: AsyncSession):  # type: ignore[no-untyped-def]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(BankrollMarkState.__table__)  # type: ignore[attr-defined]


async def changed(session: AsyncSession, user_id: int, *instants: datetime) -> None:
    """Call in the writer's transaction when flows or transfers at these instants (for an edit: the
    old and the new) were created, edited, deleted or restored."""
    # A local day is at most a day before the UTC day: marks before that day stay valid.
    first = min(at.astimezone(UTC).date() for at in instants) - timedelta(days=1)
    await _lower(session, user_id, first - timedelta(days=1))


async def changed_from(session: AsyncSession, user_id: int, day: date | None) -> None:
    """Call in the writer's transaction when the player's data changed from `day` (the player's own
    day; None: from the start) on."""
    await _lower(session, user_id, NEVER if day is None else day - timedelta(days=1))


async def forget(session: AsyncSession, user_id: int) -> None:
    """Call in the writer's transaction after bulk changes to the player's data (import, reset)."""
    await _lower(session, user_id, NEVER)


async def _lower(session: AsyncSession, user_id: int, keep: date) -> None:
    """Lower valid_through to `keep` and bump the version — creating the state row if there is none,
    so that a reader that found none cannot store marks computed before this change."""
    new: dict[str, object] = {
        "user_id": user_id,
        "currency": "",
        "timezone": "",
        "fingerprint": "",
        "codes": "",
    }
    new["valid_through"] = new["rated_through"] = NEVER
    statement = _insert(session).values(version=1, **new)
    statement = statement.on_conflict_do_update(
        index_elements=["user_id"],
        set_={
            "valid_through": sa.case((S.valid_through > keep, keep), else_=S.valid_through),
            "version": S.version + 1,
        },
    )
    await session.execute(statement)
    await session.execute(sa.delete(BankrollMark).where(M.user_id == user_id, M.day > keep))
