"""All SQL for poker sessions and their timer. Each function runs a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from app.achievements import days as action_days
from app.bankroll import daily
from app.bankroll.queries import add_balance, entry_id
from app.models import BalanceEntry, Flow, Holding, Money, PokerSession, Transfer, User, utcnow
from app.play.reconcile import Boundary, Window

if TYPE_CHECKING:
    from app.play.forms import Filter, PlayInput

P = PokerSession.__table__.c  # type: ignore[attr-defined]
H = Holding.__table__.c  # type: ignore[attr-defined]
E = BalanceEntry.__table__.c  # type: ignore[attr-defined]
F = Flow.__table__.c  # type: ignore[attr-defined]
T = Transfer.__table__.c  # type: ignore[attr-defined]


async def sites(session: AsyncSession, user_id: int) -> list[Holding]:
    """The player's live sites in their list order: one query."""
    query = (
        select(Holding)
        .where(H.user_id == user_id, H.kind == "site", H.deleted_at.is_(None))
        .order_by(H.position, H.id)
    )
    return list((await session.execute(query)).scalars())


async def cash_assets(session: AsyncSession, user_id: int) -> list[Holding]:
    """The player's live, unarchived assets of category cash (for a live session's "update my cash")."""
    query = (
        select(Holding)
        .where(
            H.user_id == user_id,
            H.kind == "asset",
            H.category == "cash",
            H.deleted_at.is_(None),
            H.archived_at.is_(None),
        )
        .order_by(H.position, H.id)
    )
    return list((await session.execute(query)).scalars())


def _conditions(user_id: int, flt: Filter | None) -> list[sa.ColumnElement[bool]]:
    conditions = [P.user_id == user_id, P.deleted_at.is_(None), P.ended_at.isnot(None)]
    if flt is None:
        return conditions
    if flt.start is not None:
        conditions.append(P.started_at >= flt.start)
    if flt.end is not None:
        conditions.append(P.started_at < flt.end)
    if game := flt.value("game"):
        conditions.append(P.game == game)
    if fmt := flt.value("format"):
        conditions.append(P.format == fmt)
    if setting := flt.value("setting"):
        conditions.append(P.live.is_(setting == "live"))
    if flt.big_blind is not None:
        conditions += [P.small_blind == flt.small_blind, P.big_blind == flt.big_blind]
    if place := flt.value("place"):
        if place.isdigit():
            conditions.append(P.holding_id == int(place))
        else:
            conditions.append(sa.func.lower(P.venue) == place.lower())
    if tag := flt.value("tag"):
        escaped = tag.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(sa.func.lower(P.tags).like(f"%,{escaped},%", escape="\\"))
    return conditions


async def finished(
    session: AsyncSession,
    user_id: int,
    flt: Filter | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
) -> list[tuple[PokerSession, str | None]]:
    """Stopped, live (not deleted) sessions matching the filter, newest first, with the site's name
    (`limit` of them after skipping `offset`, when given)."""
    query = (
        select(PokerSession, Holding.name)
        .outerjoin(Holding, Holding.id == PokerSession.holding_id)  # type: ignore[arg-type]
        .where(*_conditions(user_id, flt))
        .order_by(P.started_at.desc(), P.id.desc())
    )
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return [(play, name) for play, name in (await session.execute(query)).all()]


async def running(session: AsyncSession, user_id: int) -> PokerSession | None:
    """The player's running timer, if any (the newest, should there be two)."""
    query = (
        select(PokerSession)
        .where(P.user_id == user_id, P.deleted_at.is_(None), P.ended_at.is_(None))
        .order_by(P.started_at.desc(), P.id.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def latest(session: AsyncSession, user_id: int) -> PokerSession | None:
    """The player's most recently started session (to prefill the next one)."""
    query = (
        select(PokerSession)
        .where(P.user_id == user_id, P.deleted_at.is_(None))
        .order_by(P.started_at.desc(), P.id.desc())
        .limit(1)
    )
    return (await session.execute(query)).scalar_one_or_none()


async def places(session: AsyncSession, user_id: int) -> list[str]:
    """The venues the player has used, for the filter."""
    query = (
        sa.select(P.venue)
        .where(P.user_id == user_id, P.deleted_at.is_(None), P.venue.isnot(None))
        .distinct()
        .order_by(P.venue)
    )
    return [venue for (venue,) in (await session.execute(query)).all()]


async def get_play(
    session: AsyncSession, user_id: int, play_id: int, *, deleted: bool | None = False
) -> PokerSession | None:
    """The player's own session, or None (another player's id looks like a missing one)."""
    query = select(PokerSession).where(PokerSession.id == play_id, PokerSession.user_id == user_id)
    if deleted is not None:
        query = query.where(P.deleted_at.isnot(None) if deleted else P.deleted_at.is_(None))
    return (await session.execute(query)).scalar_one_or_none()


def _apply(play: PokerSession, values: PlayInput) -> None:
    for name in (
        "game",
        "format",
        "live",
        "venue",
        "currency",
        "small_blind",
        "big_blind",
        "buy_in",
        "fee",
        "re_entries",
        "add_ons",
        "cash_out",
        "expenses",
        "started_at",
        "ended_at",
        "break_seconds",
        "hands",
        "tables",
        "location",
        "tags",
        "notes",
    ):
        setattr(play, name, getattr(values, name))
    play.holding_id = values.holding.id if values.holding is not None else None
    play.paused_at = None


async def _record_balance(session: AsyncSession, user: User, values: PlayInput) -> None:
    """The site's new balance after the session, recorded at the session's end (once per form)."""
    if values.holding is None or values.new_balance is None:
        return
    entry = await add_balance(
        session,
        values.holding,
        values.new_balance,
        recorded_at=values.ended_at,
        request_key=f"{values.request_key}-balance" if values.request_key else None,
    )
    if entry is not None:
        await daily.after_entries(session, user, entry.recorded_at)


async def _record_cash(session: AsyncSession, user: User, values: PlayInput) -> None:
    """The cash asset's balance moved by the session (result − expenses); no other holding is touched.

    Recorded at the session's end, or with the asset's latest entry when that is later (so the new
    balance is the current one); once per form (its request key).
    """
    holding, change = values.cash_holding, values.cash_change
    if holding is None or change is None:
        return
    query = (
        sa.select(E.balance, E.recorded_at)
        .where(E.holding_id == holding.id)
        .order_by(E.recorded_at.desc(), E.id.desc())
        .limit(1)
    )
    latest = (await session.execute(query)).first()
    balance, at = (latest[0], _aware(latest[1])) if latest else (Decimal(0), values.ended_at)
    entry = await add_balance(
        session,
        holding,
        balance + change,
        recorded_at=max(at, values.ended_at),
        note="Live session",
        request_key=f"{values.request_key}-cash" if values.request_key else None,
    )
    if entry is not None:
        await daily.after_entries(session, user, entry.recorded_at)


async def create_play(session: AsyncSession, user: User, values: PlayInput) -> PokerSession | None:
    """Record a finished session (and the site's new balance, if given); commits.

    None when this form was already submitted (same request_key): nothing is recorded twice.
    """
    play = PokerSession(
        user_id=user.id,  # type: ignore[arg-type]
        game=values.game,
        format=values.format,
        currency=values.currency,
        started_at=values.started_at,
        request_key=values.request_key,
    )
    _apply(play, values)
    try:
        async with session.begin_nested():
            session.add(play)
    except IntegrityError:
        return None
    await action_days.record(session, user)
    await _record_balance(session, user, values)
    await _record_cash(session, user, values)
    await session.commit()
    return play


async def update_play(
    session: AsyncSession, user: User, play: PokerSession, values: PlayInput
) -> PokerSession:
    """Save an edited (or just stopped) session, and the site's new balance if given; commits."""
    _apply(play, values)
    session.add(play)
    await _record_balance(session, user, values)
    await _record_cash(session, user, values)
    await session.commit()
    return play


async def set_deleted(session: AsyncSession, play: PokerSession, deleted: bool) -> PokerSession:
    """Soft-delete (or restore) a session; commits."""
    play.deleted_at = (play.deleted_at or utcnow()) if deleted else None
    session.add(play)
    await session.commit()
    return play


async def start_timer(session: AsyncSession, user: User, request_key: str | None) -> PokerSession | None:
    """Start a running session prefilled from the last one; None when one is already running."""
    if await running(session, user.id) is not None:  # type: ignore[arg-type]
        return None
    last = await latest(session, user.id)  # type: ignore[arg-type]
    play = PokerSession(
        user_id=user.id,  # type: ignore[arg-type]
        game=last.game if last else "NLH",
        format=last.format if last else "cash",
        live=last.live if last else False,
        holding_id=last.holding_id if last else None,
        venue=last.venue if last else None,
        currency=last.currency if last else user.display_currency,
        small_blind=last.small_blind if last else None,
        big_blind=last.big_blind if last else None,
        buy_in=last.buy_in if last else Decimal(0),
        fee=last.fee if last else Decimal(0),
        started_at=utcnow(),
        request_key=request_key,
    )
    try:
        async with session.begin_nested():
            session.add(play)
    except IntegrityError:
        return None
    await action_days.record(session, user)
    await session.commit()
    return play


async def pause(session: AsyncSession, play: PokerSession, now: datetime | None = None) -> None:
    """Start a break (a second pause is harmless); commits."""
    if play.ended_at is None and play.paused_at is None:
        play.paused_at = now or utcnow()
        session.add(play)
        await session.commit()


async def resume(session: AsyncSession, play: PokerSession, now: datetime | None = None) -> None:
    """End the break: its length joins break_seconds (a second resume is harmless); commits."""
    if play.ended_at is None and play.paused_at is not None:
        moment = now or utcnow()
        play.break_seconds += max(0, int((moment - play.paused_at).total_seconds()))
        play.paused_at = None
        session.add(play)
        await session.commit()


async def stop(session: AsyncSession, play: PokerSession, now: datetime | None = None) -> None:
    """Stop the clock (ending a break first); the cash-out is entered next. Commits."""
    if play.ended_at is None:
        moment = now or utcnow()
        if play.paused_at is not None:
            play.break_seconds += max(0, int((moment - play.paused_at).total_seconds()))
            play.paused_at = None
        play.ended_at = moment
        session.add(play)
        await session.commit()


Fingerprint = tuple[datetime, datetime | None, Decimal, Decimal | None]


def fingerprint(
    started_at: datetime, ended_at: datetime | None, buy_in: Decimal, cash_out: Decimal | None
) -> Fingerprint:
    """What makes two sessions the same one, to the second: an import never adds a session twice."""

    def second(moment: datetime | None) -> datetime | None:
        return None if moment is None else moment.astimezone(UTC).replace(microsecond=0)

    return (second(started_at), second(ended_at), buy_in, cash_out)  # type: ignore[return-value]


async def fingerprints(session: AsyncSession, user_id: int) -> set[Fingerprint]:
    """The fingerprints of the player's live sessions: one query."""
    query = sa.select(P.started_at, P.ended_at, P.buy_in, P.cash_out).where(
        P.user_id == user_id, P.deleted_at.is_(None)
    )
    return {fingerprint(*row) for row in (await session.execute(query)).all()}


async def create_many(session: AsyncSession, user: User, inputs: list[PlayInput]) -> int:
    """Record imported sessions all at once (all or nothing), skipping any already stored. Commits."""
    known = await fingerprints(session, user.id)  # type: ignore[arg-type]
    added = 0
    for values in inputs:
        mark = fingerprint(values.started_at, values.ended_at, values.buy_in, values.cash_out)
        if mark in known:
            continue
        known.add(mark)
        play = PokerSession(
            user_id=user.id,  # type: ignore[arg-type]
            game=values.game,
            format=values.format,
            currency=values.currency,
            started_at=values.started_at,
            request_key=None,
        )
        _apply(play, values)
        session.add(play)
        added += 1
    if added:
        await action_days.record(session, user)
    await session.commit()
    return added


# ---- reconciliation with the sites' balances (app.play.reconcile): three queries, rows per site ----


def _aware(moment: datetime | str) -> datetime:
    """Times from a union or a window query may come back plain on SQLite: aware UTC."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def first_site_session(session: AsyncSession, user_id: int) -> datetime | None:
    """When the player's first finished session at one of their sites started: one query."""
    query = sa.select(sa.func.min(P.started_at)).where(
        *_conditions(user_id, None), P.holding_id.isnot(None), P.cash_out.isnot(None)
    )
    first = (await session.execute(query)).scalar_one_or_none()
    return None if first is None else _aware(first)


async def balance_boundaries(
    session: AsyncSession, user_id: int, start: datetime, end: datetime
) -> list[Boundary]:
    """Per live site: its first and last balance entry up to `start`, and its first and last one in
    (start, end]: two queries, each boundary one probe of the (holding, time) index however long the
    history (at most four rows a site)."""
    before, within = E.recorded_at <= start, sa.and_(E.recorded_at > start, E.recorded_at <= end)
    edges = sa.select(
        H.id,
        H.name,
        entry_id(H.id, before, newest=False).label("first_before"),
        entry_id(H.id, before, newest=True).label("last_before"),
        entry_id(H.id, within, newest=False).label("first_within"),
        entry_id(H.id, within, newest=True).label("last_within"),
    ).where(H.user_id == user_id, H.kind == "site", H.deleted_at.is_(None))
    sites = (await session.execute(edges)).all()
    ids = {edge for row in sites for edge in row[2:] if edge is not None}
    if not ids:
        return []
    query = sa.select(E.id, E.holding_id, E.recorded_at, E.balance, E.currency).where(E.id.in_(ids))
    found = {row[0]: row for row in (await session.execute(query)).all()}
    boundaries = []
    for holding_id, name, *edge_ids in sites:
        for edge, was_before in dict.fromkeys(zip(edge_ids, (True, True, False, False), strict=True)):
            if edge is None:
                continue
            _id, _holding, at, balance, code = found[edge]
            boundaries.append(Boundary(holding_id, name, _aware(at), balance, code, was_before))
    return boundaries


async def site_sums(
    session: AsyncSession, user_id: int, sites: dict[int, Window], end: datetime
) -> list[tuple[int, str, str, Decimal]]:
    """(site id, "moved" or "played", currency, total) within each site's window (since, end]: one query.

    moved: deposits and bonuses (+) and withdrawals (−) tied to the site, transfers in (+ received)
    and out (− amount); played: session results, cash-out − cost (as forms.cost computes it).
    """
    if not sites:
        return []
    money_type = Money()
    flow_amount = sa.case((F.kind == "withdrawal", -F.amount), else_=F.amount)
    cost = sa.case(
        (P.format == "cash", P.buy_in),
        else_=(P.buy_in + P.fee) * (1 + P.re_entries) + P.add_ons,
    )
    parts = sa.union_all(
        sa.select(
            F.holding_id.label("site"),
            sa.literal("moved").label("source"),
            F.currency.label("code"),
            sa.type_coerce(flow_amount, money_type).label("amount"),
            F.occurred_at.label("at"),
        ).where(F.user_id == user_id, F.deleted_at.is_(None), F.holding_id.in_(sites)),
        sa.select(T.to_holding_id, sa.literal("moved"), T.to_currency, T.received, T.occurred_at).where(
            T.user_id == user_id, T.deleted_at.is_(None), T.to_holding_id.in_(sites)
        ),
        sa.select(
            T.from_holding_id,
            sa.literal("moved"),
            T.from_currency,
            sa.type_coerce(-T.amount, money_type),
            T.occurred_at,
        ).where(T.user_id == user_id, T.deleted_at.is_(None), T.from_holding_id.in_(sites)),
        sa.select(
            P.holding_id,
            sa.literal("played"),
            P.currency,
            sa.type_coerce(P.cash_out - cost, money_type),
            P.ended_at,
        ).where(*_conditions(user_id, None), P.holding_id.in_(sites), P.cash_out.isnot(None)),
    ).subquery()
    c = parts.c
    in_window = sa.or_(
        *(sa.and_(c.site == site_id, c.at > window.since) for site_id, window in sites.items())
    )
    query = (
        sa.select(c.site, c.source, c.code, sa.type_coerce(sa.func.sum(c.amount), money_type))
        .where(in_window, c.at <= end)
        .group_by(c.site, c.source, c.code)
    )
    return [(site, source, code, total) for site, source, code, total in (await session.execute(query)).all()]
