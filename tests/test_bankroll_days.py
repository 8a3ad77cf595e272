"""Daily bankroll snapshots: after any sequence of changes they equal a recomputation from the history."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from app.bankroll import daily
from app.dashboard.chart import end_of_day, sample_instants
from app.models import BalanceEntry, BankrollDay, Holding, User, utcnow
from tests.conftest import sign_up


async def oracle(session, user: User, days: list[date]) -> dict[tuple[date, str, str], Decimal]:
    """Every live holding's latest balance at the end of each day, summed per kind and currency."""
    tz = daily.zone(user.timezone)
    rows = (
        await session.execute(
            sa.select(Holding.kind, BalanceEntry)
            .join(Holding, Holding.id == BalanceEntry.holding_id)
            .where(Holding.user_id == user.id, Holding.deleted_at.is_(None))
        )
    ).all()
    result: dict[tuple[date, str, str], Decimal] = {}
    for day in days:
        cutoff = end_of_day(day, tz)
        latest: dict[int, tuple[str, BalanceEntry]] = {}
        for kind, entry in rows:
            if entry.recorded_at > cutoff:
                continue
            seen = latest.get(entry.holding_id)
            if seen is None or (entry.recorded_at, entry.id) > (seen[1].recorded_at, seen[1].id):
                latest[entry.holding_id] = (kind, entry)
        for kind, entry in latest.values():
            key = (day, kind, entry.currency)
            result[key] = result.get(key, Decimal(0)) + entry.balance
    return result


async def snapshot_totals(session, user: User, days: list[date]) -> dict[tuple[date, str, str], Decimal]:
    tz = daily.zone(user.timezone)
    samples = [s for s in sample_instants("all", days[-1], days[0], tz) if s.day in set(days)]
    by_instant = {s.at: s.day for s in samples}
    totals: dict[tuple[date, str, str], Decimal] = {}
    for at, kind, code, total in await daily.totals_at(session, user.id, samples):
        if total or (by_instant[at], kind, code) in totals:
            totals[(by_instant[at], kind, code)] = total
    return {key: value for key, value in totals.items() if value}


async def test_snapshots_match_the_history_after_any_sequence_of_changes(sessionmaker):
    rng = random.Random(2026)
    now = datetime.now(UTC).replace(microsecond=0)
    async with sessionmaker() as session:
        user = User(
            email=f"days-{uuid.uuid4().hex[:8]}@example.com", password_hash="x", timezone="America/New_York"
        )
        session.add(user)
        await session.flush()
        holdings = []
        for n, (kind, code) in enumerate(
            [("site", "USD"), ("site", "EUR"), ("asset", "BTC"), ("site", "USD")]
        ):
            holding = Holding(user_id=user.id, kind=kind, name=f"H{n}", name_key=f"h{n}", currency=code)
            session.add(holding)
            holdings.append(holding)
        await session.flush()
        entries: list[BalanceEntry] = []
        tz = daily.zone(user.timezone)
        first_day = (now - timedelta(days=40)).astimezone(tz).date()
        days = [first_day + timedelta(days=k) for k in range(42)]
        for step in range(60):
            op = rng.random()
            if op < 0.55 or not entries:
                holding = rng.choice(holdings)
                if rng.random() < 0.1:
                    holding.currency = "GBP" if holding.currency != "GBP" else "USD"  # currency change
                at = now - timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 23))
                entry = BalanceEntry(
                    holding_id=holding.id,
                    recorded_at=at,
                    balance=Decimal(rng.randint(0, 10**6)) / 100,
                    currency=holding.currency,
                )
                session.add(entry)
                entries.append(entry)
                await daily.after_entries(session, user, at)
            elif op < 0.75:
                entry = rng.choice(entries)
                before = entry.recorded_at
                entry.recorded_at = now - timedelta(days=rng.randint(0, 40), minutes=rng.randint(0, 1440))
                entry.balance = Decimal(rng.randint(0, 10**6)) / 100
                session.add(entry)
                await daily.after_entries(session, user, before, entry.recorded_at)
            elif op < 0.87:
                entry = entries.pop(rng.randrange(len(entries)))
                await session.delete(entry)
                await daily.after_entries(session, user, entry.recorded_at)
            else:
                holding = rng.choice(holdings)
                holding.deleted_at = None if holding.deleted_at else utcnow()
                session.add(holding)
                await daily.after_holding(session, user, holding)
            await session.flush()
            if step % 6 == 5:
                assert await snapshot_totals(session, user, days) == {
                    k: v for k, v in (await oracle(session, user, days)).items() if v
                }, f"after step {step}"
        await daily.refresh(session, user)  # a full rebuild gives the same rows as the increments
        assert await snapshot_totals(session, user, days) == {
            k: v for k, v in (await oracle(session, user, days)).items() if v
        }


async def test_a_day_without_updates_carries_the_previous_days_totals_forward(sessionmaker):
    async with sessionmaker() as session:
        user = User(email=f"carry-{uuid.uuid4().hex[:8]}@example.com", password_hash="x")
        session.add(user)
        await session.flush()
        holding = Holding(user_id=user.id, kind="site", name="A", name_key="a", currency="USD")
        session.add(holding)
        await session.flush()
        monday = datetime(2026, 3, 2, 12, tzinfo=UTC)
        session.add(
            BalanceEntry(holding_id=holding.id, recorded_at=monday, balance=Decimal("10.5"), currency="USD")
        )
        await daily.refresh(session, user)
        samples = sample_instants("all", date(2026, 3, 5), date(2026, 3, 1), daily.zone("UTC"))
        rows = await daily.totals_at(session, user.id, samples)
        assert [(at.date(), total) for at, _kind, _code, total in rows] == [
            (date(2026, 3, d), Decimal("10.5")) for d in (2, 3, 4, 5)
        ]
        stored = (
            await session.execute(sa.select(BankrollDay.day).where(BankrollDay.user_id == user.id))
        ).all()
        assert stored == [(date(2026, 3, 2),)]  # one snapshot, not one per day


async def test_the_dashboard_rebuilds_missing_snapshots_from_the_history(client, sessionmaker):
    email = await sign_up(client)
    async with sessionmaker() as session:
        user = (await session.execute(sa.select(User).where(User.email == email))).scalar_one()
        holding = Holding(user_id=user.id, kind="site", name="Old", name_key="old", currency="USD")
        session.add(holding)
        await session.flush()
        session.add(
            BalanceEntry(
                holding_id=holding.id,
                recorded_at=utcnow() - timedelta(days=3),
                balance=Decimal(7),
                currency="USD",
            )
        )
        await session.commit()
    response = await client.get("/dashboard")
    assert response.status_code == 200 and "first balance update" not in response.text
    async with sessionmaker() as session:
        count = await session.scalar(sa.select(sa.func.count()).where(BankrollDay.user_id == user.id))
    assert count == 1


async def stored(sessionmaker, email: str) -> dict[tuple[date, str, str], Decimal]:
    async with sessionmaker() as session:
        user_id = (await session.execute(sa.select(User.id).where(User.email == email))).scalar_one()
        query = sa.select(BankrollDay.day, BankrollDay.kind, BankrollDay.currency, BankrollDay.total).where(
            BankrollDay.user_id == user_id
        )
        return {(d, k, c): t for d, k, c, t in (await session.execute(query)).all()}


async def test_every_route_that_changes_balances_keeps_the_snapshots_current(client, post, sessionmaker):
    email = await sign_up(client)
    today = datetime.now(UTC).date()
    assert (
        await post.form("/sites", {"name": "Stars", "currency": "USD", "balance": "100"})
    ).status_code == 303
    assert (
        await post.form("/sites", {"name": "Party", "currency": "EUR", "balance": "50"})
    ).status_code == 303
    assert await stored(sessionmaker, email) == {
        (today, "site", "USD"): Decimal(100),
        (today, "site", "EUR"): Decimal(50),
    }
    async with sessionmaker() as session:
        ids = dict((await session.execute(sa.select(Holding.name, Holding.id))).all())
    await post.htmx(
        f"/holdings/{ids['Stars']}/balance", {"balance": "120"}, target=f"tr#holding-{ids['Stars']}"
    )
    assert (await stored(sessionmaker, email))[(today, "site", "USD")] == Decimal(120)
    await post.form("/dashboard/balance", {"holding_id": ids["Party"], "balance": "70", "request_key": "k1"})
    assert (await stored(sessionmaker, email))[(today, "site", "EUR")] == Decimal(70)
    await post.form(f"/holdings/{ids['Party']}/delete")
    assert (today, "site", "EUR") not in await stored(sessionmaker, email)
    await post.form(f"/holdings/{ids['Party']}/restore")
    assert (await stored(sessionmaker, email))[(today, "site", "EUR")] == Decimal(70)
    async with sessionmaker() as session:
        entry = (
            await session.execute(
                sa.select(BalanceEntry)
                .where(BalanceEntry.holding_id == ids["Stars"])
                .order_by(BalanceEntry.id.desc())
                .limit(1)
            )
        ).scalar_one()
    await post.form(f"/entries/{entry.id}/delete")
    assert (await stored(sessionmaker, email))[(today, "site", "USD")] == Decimal(100)


async def test_changing_the_time_zone_moves_balances_to_the_players_local_days(client, post, sessionmaker):
    email = await sign_up(client)
    async with sessionmaker() as session:
        user = (await session.execute(sa.select(User).where(User.email == email))).scalar_one()
        holding = Holding(user_id=user.id, kind="site", name="A", name_key="a", currency="USD")
        session.add(holding)
        await session.flush()
        late = datetime(2026, 3, 2, 2, 30, tzinfo=UTC)  # still 1 March in New York
        session.add(BalanceEntry(holding_id=holding.id, recorded_at=late, balance=Decimal(9), currency="USD"))
        await daily.refresh(session, user)
        await session.commit()
    assert list(await stored(sessionmaker, email)) == [(date(2026, 3, 2), "site", "USD")]
    data = {"display_currency": "USD", "locale": "en_US", "timezone": "America/New_York"}
    assert (await post.form("/settings", data)).status_code == 303
    assert list(await stored(sessionmaker, email)) == [(date(2026, 3, 1), "site", "USD")]
