"""All SQL for editing a transfer: its two balance entries worked out again, and the later entries
other transfers worked out from them, in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from app import money
from app.bankroll import daily, marks
from app.models import BalanceEntry, Holding, Transfer, User
from app.transfers.forms import TransferInput
from app.transfers.queries import E, T, TransferProblem, live_holding, received_for

BATCH = 200  # balance entries read at a time while an edit walks a holding's later history


# A transfer's two balance entries are worked out (the balance then, less what left or plus what
# arrived), unlike a balance the player typed. So an edit recomputes them at the (new) moment, and
# then walks each holding it touches (old and new, source and target) forward: every later entry that
# another transfer worked out the same way is recomputed from the balance before it, up to the first
# balance the player typed after the old and the new moment. A typed balance is what the site or asset
# showed then, and stays as it is. Nothing is written until every walk fits: a later transfer that a
# holding would no longer cover refuses the edit.


@dataclass
class _Side:
    """The edited transfer's entry on one holding: at `at`, the balance before it plus `delta`."""

    at: datetime
    delta: Decimal  # negative: what left
    field: str  # the form field a missing balance belongs to


async def _linked(
    session: AsyncSession, user_id: int, edited: int, ids: list[int]
) -> dict[int, tuple[Decimal, datetime]]:
    """Which of these entries other live transfers added: entry id → (what it moved, when)."""
    query = sa.select(T.from_entry_id, T.to_entry_id, T.amount, T.received, T.occurred_at).where(
        T.user_id == user_id,
        T.deleted_at.is_(None),
        T.id != edited,
        sa.or_(T.from_entry_id.in_(ids), T.to_entry_id.in_(ids)),
    )
    found: dict[int, tuple[Decimal, datetime]] = {}
    for out, arrived, amount, received, at in (await session.execute(query)).all():
        if out in ids:
            found[out] = (-amount, at)
        if arrived in ids:
            found[arrived] = (received, at)
    return found


def _place(holding: Holding, side: _Side, prev: tuple[Decimal, str] | None, user: User) -> Decimal:
    """The edited transfer's new balance on this holding, from the balance before it."""
    start = Decimal(0)  # a target with no balance yet starts from nothing
    if prev is not None and prev[1] == holding.currency:
        start = prev[0]
    elif side.delta < 0 or prev is not None:
        raise TransferProblem(side.field, f"{holding.name} had no balance in {holding.currency} then.")
    if side.delta < 0 and start + side.delta < 0:
        shown = money.format_money(start, holding.currency, user.locale)
        raise TransferProblem("amount", f"{holding.name} had only {shown} then.")
    return start + side.delta


async def _replay(
    session: AsyncSession,
    user: User,
    edited: Transfer,
    holding: Holding,
    start: datetime,
    until: datetime,
    side: _Side | None,
    skip: set[int],
) -> tuple[Decimal | None, dict[int, Decimal]]:
    """Walk one holding from `start` (the edited transfer's old entries left out, its new one placed
    after everything at its moment) up to its first typed balance after `until`: the new entry's
    balance, and the later worked-out entries whose balance changes (id → balance).
    Raises TransferProblem when a balance would not cover what leaves."""
    live = [E.holding_id == holding.id, E.id.notin_(skip or {0})]
    earlier = (
        sa.select(E.balance, E.currency)
        .where(*live, E.recorded_at < start)
        .order_by(E.recorded_at.desc(), E.id.desc())
        .limit(1)
    )
    row = (await session.execute(earlier)).first()
    prev: tuple[Decimal, str] | None = (row[0], row[1]) if row is not None else None
    own: Decimal | None = None
    changes: dict[int, Decimal] = {}
    last: tuple[datetime, int] | None = None
    while True:
        query = sa.select(E.id, E.recorded_at, E.balance, E.currency).where(*live, E.recorded_at >= start)
        if last is not None:
            query = query.where(
                sa.or_(E.recorded_at > last[0], sa.and_(E.recorded_at == last[0], E.id > last[1]))
            )
        rows = (await session.execute(query.order_by(E.recorded_at, E.id).limit(BATCH))).all()
        linked = await _linked(session, user.id, edited.id, [r[0] for r in rows]) if rows else {}  # type: ignore[arg-type]
        for entry_id, at, balance, currency in rows:
            if side is not None and own is None and at > side.at:
                own = _place(holding, side, prev, user)
                prev = (own, holding.currency)
            work = linked.get(entry_id)
            if work is None and at > until and (side is None or own is not None):
                return own, changes  # a typed balance after the edit's reach: the rest is as it was
            if work is None or prev is None or prev[1] != currency:
                prev = (balance, currency)
                continue
            if work[0] < 0 and prev[0] + work[0] < 0:
                shown = money.format_money(-work[0], currency, user.locale)
                day = work[1].astimezone(daily.zone(user.timezone)).date().isoformat()
                raise TransferProblem(
                    "amount",
                    f"{holding.name} would then hold too little for the transfer of {shown} on {day}.",
                )
            if prev[0] + work[0] != balance:
                changes[entry_id] = prev[0] + work[0]
            prev = (prev[0] + work[0], currency)
        if len(rows) < BATCH:
            break
        last = (rows[-1][1], rows[-1][0])
    if side is not None and own is None:
        own = _place(holding, side, prev, user)
    return own, changes


async def follow(session: AsyncSession, user: User, transfer: Transfer) -> int:
    """After `transfer` was recorded, deleted or brought back: the later entries other transfers worked
    out on its two holdings, recomputed from the balance before each (up to the first typed balance
    after it). Writes them in the session (the caller commits); returns how many moved. Raises
    TransferProblem, before writing, when a later transfer would no longer be covered."""
    changes: dict[int, Decimal] = {}
    for holding_id in dict.fromkeys((transfer.from_holding_id, transfer.to_holding_id)):
        holding = await live_holding(session, holding_id)
        if holding is None or holding.user_id != user.id:
            continue
        at = transfer.occurred_at
        _own, moved = await _replay(session, user, transfer, holding, at, at, None, set())
        changes.update(moved)
    for entry_id, balance in changes.items():
        await session.execute(sa.update(BalanceEntry).where(E.id == entry_id).values(balance=balance))
    return len(changes)


def _changes(transfer: Transfer, values: TransferInput, received: Decimal) -> tuple[bool, bool]:
    """(anything changed, only the note changed)."""
    moved = (
        transfer.occurred_at != values.occurred_at
        or transfer.from_holding_id != values.source.id
        or transfer.to_holding_id != values.target.id
        or transfer.amount != values.amount
        or transfer.fee != values.fee
        or transfer.received != received
        or transfer.from_entry_id is None
        or transfer.to_entry_id is None
    )
    return moved or transfer.note != values.note, not moved


async def update_transfer(
    session: AsyncSession, user: User, transfer: Transfer, values: TransferInput, rates: Mapping[str, Decimal]
) -> int | None:
    """Save an edited transfer, its two balance entries and the later ones other transfers worked out
    from them, in one transaction; commits. Returns how many later entries moved with it (None: nothing
    was changed, e.g. a form sent twice). Raises TransferProblem (before writing anything) when a
    holding did not hold what leaves it, then or for a later transfer."""
    received = received_for(values, rates)
    changed, note_only = _changes(transfer, values, received)
    if not changed:
        return None
    if note_only:
        transfer.note = values.note
        session.add(transfer)
        await session.commit()
        return 0
    old_at, new_at = transfer.occurred_at, values.occurred_at
    start = min(old_at, new_at)
    skip = {i for i in (transfer.from_entry_id, transfer.to_entry_id) if i is not None}
    touched = {values.source.id: values.source, values.target.id: values.target}
    for old_id in (transfer.from_holding_id, transfer.to_holding_id):
        old = await live_holding(session, old_id) if old_id not in touched else None
        if old is not None and old.user_id == user.id:
            touched[old_id] = old
    sides = {
        values.source.id: _Side(new_at, -values.amount, "from_holding_id"),
        values.target.id: _Side(new_at, received, "to_holding_id"),
    }
    balances: dict[int | None, Decimal | None] = {}
    changes: dict[int, Decimal] = {}
    for holding_id, holding in touched.items():
        side = sides.get(holding_id)
        was_here = holding_id in (transfer.from_holding_id, transfer.to_holding_id)
        until = max(([old_at] if was_here else []) + ([new_at] if side is not None else []))
        balances[holding_id], moved = await _replay(
            session, user, transfer, holding, start, until, side, skip
        )
        changes.update(moved)
    # Claim the transfer as it was read: a second, concurrent submit of the form finds it changed and
    # writes nothing, instead of adding a second pair of entries.
    read = {
        T.occurred_at: old_at,
        T.from_holding_id: transfer.from_holding_id,
        T.to_holding_id: transfer.to_holding_id,
        T.amount: transfer.amount,
        T.fee: transfer.fee,
        T.received: transfer.received,
        T.from_entry_id: transfer.from_entry_id,
        T.to_entry_id: transfer.to_entry_id,
    }
    unchanged = [column.is_(None) if known is None else column == known for column, known in read.items()]
    claim = sa.update(Transfer).where(T.id == transfer.id, T.deleted_at.is_(None), *unchanged)
    claimed = await session.execute(claim.values(from_entry_id=None, to_entry_id=None))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    transfer.occurred_at = new_at
    transfer.from_holding_id, transfer.to_holding_id = values.source.id, values.target.id
    transfer.amount, transfer.fee, transfer.received = values.amount, values.fee, received
    transfer.from_currency, transfer.to_currency = values.source.currency, values.target.currency
    transfer.note = values.note
    transfer.from_entry_id = transfer.to_entry_id = None
    session.add(transfer)
    await session.flush()
    if skip:
        await session.execute(sa.delete(BalanceEntry).where(E.id.in_(skip)))
    # The new entries are added directly, not through add_balance: an edit is a correction, not a
    # bankroll action of today (editing a deposit does not count as one either).
    out = BalanceEntry(
        holding_id=values.source.id,  # type: ignore[arg-type]
        recorded_at=new_at,
        balance=balances[values.source.id],  # type: ignore[arg-type]
        currency=values.source.currency,
        note=f"Transfer to {values.target.name}",
    )
    arrived = BalanceEntry(
        holding_id=values.target.id,  # type: ignore[arg-type]
        recorded_at=new_at,
        balance=balances[values.target.id],  # type: ignore[arg-type]
        currency=values.target.currency,
        note=f"Transfer from {values.source.name}",
    )
    session.add_all([out, arrived])
    await session.flush()
    transfer.from_entry_id, transfer.to_entry_id = out.id, arrived.id
    session.add(transfer)
    for entry_id, balance in changes.items():
        await session.execute(sa.update(BalanceEntry).where(E.id == entry_id).values(balance=balance))
    await marks.changed(session, user.id, old_at, new_at)  # type: ignore[arg-type]
    await daily.after_entries(session, user, old_at, new_at)
    await session.commit()
    return len(changes)
