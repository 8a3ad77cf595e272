"""All SQL for transfers: record one (both balance changes in one step), list, delete and restore.
Editing one, which walks the later history, is in app.transfers.edits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from app import money
from app.achievements import days as action_days
from app.bankroll import daily
from app.bankroll.queries import add_balance
from app.models import BalanceEntry, Holding, Transfer, User, utcnow
from app.transfers.forms import TransferInput

T = Transfer.__table__.c  # type: ignore[attr-defined]
E = BalanceEntry.__table__.c  # type: ignore[attr-defined]


class TransferProblem(Exception):
    """A transfer that cannot be recorded as asked: (form field, message)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class Listed:
    transfer: Transfer
    source: str | None  # the holdings' names (None once a holding was deleted)
    target: str | None


async def balance_at(session: AsyncSession, holding: Holding, at: datetime) -> BalanceEntry | None:
    """The holding's latest entry at or before `at` (its balance then)."""
    query = (
        select(BalanceEntry)
        .where(BalanceEntry.holding_id == holding.id, E.recorded_at <= at)
        .order_by(E.recorded_at.desc(), E.id.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


def received_for(values: TransferInput, rates: Mapping[str, Decimal]) -> Decimal:
    """What arrives: as typed; else the amount less the fee, converted (at `rates`) and rounded."""
    if values.received is not None:
        return values.received
    net = values.amount - values.fee
    if values.source.currency == values.target.currency:
        return net
    converted = money.convert(net, values.source.currency, values.target.currency, rates)
    return money.quantize(converted, values.target.currency)


async def _starting_balances(
    session: AsyncSession, source: Holding, target: Holding, at: datetime, amount: Decimal
) -> tuple[Decimal, Decimal]:
    """The two holdings' balances at `at`; TransferProblem when the source did not hold `amount` then
    (or held it in another currency)."""
    before = await balance_at(session, source, at)
    if before is None or before.currency != source.currency:
        raise TransferProblem("from_holding_id", f"{source.name} had no balance in {source.currency} then.")
    if before.balance < amount:
        shown = money.format_money(before.balance, before.currency)
        raise TransferProblem("amount", f"{source.name} had only {shown} then.")
    after = await balance_at(session, target, at)
    if after is not None and after.currency != target.currency:
        raise TransferProblem("to_holding_id", f"{target.name} had no balance in {target.currency} then.")
    return before.balance, after.balance if after is not None else Decimal(0)


async def _entries(
    session: AsyncSession,
    transfer: Transfer,
    source: Holding,
    target: Holding,
    starts: tuple[Decimal, Decimal],
    key: str | None,
) -> None:
    """Add the two balance entries: the source's balance then less the amount, the target's plus what
    arrived, at the transfer's moment."""
    out = await add_balance(
        session,
        source,
        starts[0] - transfer.amount,
        recorded_at=transfer.occurred_at,
        note=f"Transfer to {target.name}",
        request_key=f"{key}-from" if key else None,
    )
    arrived = await add_balance(
        session,
        target,
        starts[1] + transfer.received,
        recorded_at=transfer.occurred_at,
        note=f"Transfer from {source.name}",
        request_key=f"{key}-to" if key else None,
    )
    await session.flush()
    transfer.from_entry_id = out.id if out is not None else None
    transfer.to_entry_id = arrived.id if arrived is not None else None


async def create_transfer(
    session: AsyncSession, user: User, values: TransferInput, rates: Mapping[str, Decimal]
) -> Transfer | None:
    """Record the transfer and both balance changes in one transaction; commits.

    None when this form was already submitted (same request_key): nothing is recorded twice.
    Raises TransferProblem (before recording anything) when the source did not hold the amount then.
    """
    transfer = Transfer(
        user_id=user.id,  # type: ignore[arg-type]
        occurred_at=values.occurred_at,
        from_holding_id=values.source.id,
        to_holding_id=values.target.id,
        amount=values.amount,
        from_currency=values.source.currency,
        fee=values.fee,
        received=received_for(values, rates),
        to_currency=values.target.currency,
        note=values.note,
        request_key=values.request_key,
    )
    starts = await _starting_balances(
        session, values.source, values.target, values.occurred_at, values.amount
    )
    async with session.begin_nested():  # a later transfer left uncovered undoes all of it
        try:
            async with session.begin_nested():
                session.add(transfer)
        except IntegrityError:
            return None
        await _entries(session, transfer, values.source, values.target, starts, values.request_key)
        session.add(transfer)
        await _follow(session, user, transfer)  # a transfer dated before later ones: they move with it
    await action_days.record(session, user)
    await daily.after_entries(session, user, transfer.occurred_at)
    await session.commit()
    return transfer


async def _follow(session: AsyncSession, user: User, transfer: Transfer) -> None:
    # app.transfers.edits builds on this module; imported here, where it is needed, to avoid a cycle.
    from app.transfers import edits

    await session.flush()
    await edits.follow(session, user, transfer)


async def count_transfers(session: AsyncSession, user_id: int) -> int:
    counted = (
        sa.select(sa.func.count()).select_from(Transfer).where(T.user_id == user_id, T.deleted_at.is_(None))
    )  # type: ignore[arg-type]
    return int((await session.execute(counted)).scalar_one())


async def transfer_page(
    session: AsyncSession, user_id: int, *, limit: int = 50, offset: int = 0
) -> list[Listed]:
    """One page of live transfers, newest first, with the holdings' names: one query."""
    source = sa.orm.aliased(Holding)
    target = sa.orm.aliased(Holding)
    query = (
        select(Transfer, source.name, target.name)
        .outerjoin(source, source.id == Transfer.from_holding_id)  # type: ignore[arg-type]
        .outerjoin(target, target.id == Transfer.to_holding_id)  # type: ignore[arg-type]
        .where(T.user_id == user_id, T.deleted_at.is_(None))
        .order_by(T.occurred_at.desc(), T.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [Listed(transfer, a, b) for transfer, a, b in (await session.execute(query)).all()]


async def get_transfer(
    session: AsyncSession, user_id: int, transfer_id: int, *, deleted: bool | None = False
) -> Transfer | None:
    """The player's own transfer (live; deleted=True: a deleted one; None: either), else None."""
    query = select(Transfer).where(Transfer.id == transfer_id, Transfer.user_id == user_id)
    if deleted is not None:
        query = query.where(T.deleted_at.isnot(None) if deleted else T.deleted_at.is_(None))
    return (await session.execute(query)).scalar_one_or_none()


async def live_holding(session: AsyncSession, holding_id: int | None) -> Holding | None:
    if holding_id is None:
        return None
    query = select(Holding).where(Holding.id == holding_id, Holding.deleted_at.is_(None))  # type: ignore[union-attr]
    return (await session.execute(query)).scalar_one_or_none()


async def delete_transfer(session: AsyncSession, user: User, transfer: Transfer) -> None:
    """Soft-delete the transfer and remove the two balance entries it added; commits (twice: harmless).

    Raises TransferProblem (nothing written) when a later transfer out of one of its holdings was only
    covered thanks to it."""
    if transfer.deleted_at is not None:
        return
    ids = [i for i in (transfer.from_entry_id, transfer.to_entry_id) if i is not None]
    at = transfer.occurred_at
    async with session.begin_nested():  # a later transfer left uncovered undoes all of it
        transfer.deleted_at = utcnow()
        transfer.from_entry_id = transfer.to_entry_id = None
        session.add(transfer)
        await session.flush()
        if ids:
            await session.execute(sa.delete(BalanceEntry).where(E.id.in_(ids)))
        await _follow(session, user, transfer)  # later transfers worked out from its entries move back
    await daily.after_entries(session, user, at)
    await session.commit()


async def restore_transfer(session: AsyncSession, user: User, transfer: Transfer) -> None:
    """Undo a delete: the two balance entries again (from the balances then); commits.

    Raises TransferProblem when a holding is gone or no longer holds the amount at that moment.
    """
    if transfer.deleted_at is None:
        return
    source = await live_holding(session, transfer.from_holding_id)
    target = await live_holding(session, transfer.to_holding_id)
    if source is None or target is None:
        raise TransferProblem("from_holding_id", "One of its sites or assets was deleted meanwhile.")
    if (source.currency, target.currency) != (transfer.from_currency, transfer.to_currency):
        raise TransferProblem("from_holding_id", "One of its sites or assets changed currency meanwhile.")
    at = transfer.occurred_at
    starts = await _starting_balances(session, source, target, at, transfer.amount)
    async with session.begin_nested():  # a later transfer left uncovered undoes all of it
        await _entries(session, transfer, source, target, starts, None)
        transfer.deleted_at = None
        session.add(transfer)
        await _follow(session, user, transfer)
    await daily.after_entries(session, user, at)
    await session.commit()
