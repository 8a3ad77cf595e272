"""Demo and benchmark data: sites, assets, daily-ish balance updates, deposits and withdrawals."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.bankroll import daily, marks
from app.db import create_engine, create_sessionmaker
from app.models import BalanceEntry, Flow, Holding, User, utcnow
from app.security.passwords import hash_password
from app.settings import Settings

SITES = [
    ("PokerStars", "USD"),
    ("GGPoker", "USD"),
    ("partypoker", "EUR"),
    ("888poker", "GBP"),
    ("WPT Global", "USD"),
    ("iPoker", "EUR"),
    ("Winamax", "EUR"),
    ("ACR", "USD"),
    ("Unibet", "EUR"),
    ("CoinPoker", "USDT"),
]
ASSETS = [
    ("Bank account", "EUR", "bank"),
    ("Skrill", "USD", "ewallet"),
    ("Bitcoin wallet", "BTC", "crypto"),
    ("Cash box", "EUR", "cash"),
    ("Neteller", "EUR", "ewallet"),
    ("Ethereum", "ETH", "crypto"),
]


def _cents(value: float, currency: str) -> Decimal:
    places = Decimal("0.00000001") if currency in ("BTC", "ETH") else Decimal("0.01")
    return Decimal(str(max(value, 0))).quantize(places)


async def populate(
    session: AsyncSession,
    user: User,
    *,
    days: int,
    sites: int,
    assets: int,
    flows: int,
    seed: int = 7,
    every_day: bool = False,
) -> None:
    """Random-walk balances for `days` days; `flows` deposits and as many withdrawals."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    start = now - timedelta(days=days)
    names: list[tuple[str, str, str, str | None]] = [
        (name, cur, "site", None) for name, cur in (SITES * 3)[:sites]
    ]
    names += [(name, cur, "asset", cat) for name, cur, cat in (ASSETS * 3)[:assets]]
    seen: dict[tuple[str, str], int] = {}
    rows = []
    for position, (name, currency, kind, category) in enumerate(names):
        n = seen[(name, kind)] = seen.get((name, kind), 0) + 1
        label = name if n == 1 else f"{name} {n}"
        holding = Holding(
            user_id=user.id,  # type: ignore[arg-type]
            kind=kind,
            category=category,
            name=label,
            name_key=label.casefold(),
            currency=currency,
            position=position,
            created_at=start,
        )
        session.add(holding)
        await session.flush()
        scale = {"BTC": 0.02, "ETH": 0.4}.get(currency, 1000.0 if kind == "site" else 3000.0)
        value = scale * rng.uniform(0.5, 2.0)
        day = start
        while day <= now:
            drift = 0.0015 if kind == "site" else 0.0003
            value = max(value * (1 + rng.gauss(drift, 0.03)), 0.0)
            rows.append(
                {
                    "holding_id": holding.id,
                    "recorded_at": day + timedelta(minutes=rng.randint(0, 600)),
                    "balance": _cents(value, currency),
                    "currency": currency,
                    "created_at": day,
                }
            )
            day += timedelta(days=1 if every_day else rng.choice([1, 1, 2, 3, 5, 7]))
    for chunk in range(0, len(rows), 5000):
        await session.execute(insert(BalanceEntry), rows[chunk : chunk + 5000])
    flow_rows = []
    for kind in ("deposit", "withdrawal"):
        for _ in range(flows):
            when = start + timedelta(minutes=rng.randint(0, days * 1440))
            currency = rng.choice(["USD", "USD", "EUR", "GBP"])
            amount = _cents(rng.choice([50, 100, 200, 250, 500, 1000]) * rng.uniform(0.8, 1.2), currency)
            flow_rows.append(
                {
                    "user_id": user.id,
                    "kind": kind,
                    "occurred_at": when,
                    "amount": amount,
                    "currency": currency,
                    "created_at": when,
                }
            )
    if flow_rows:
        await session.execute(insert(Flow), flow_rows)
        await marks.forget(session, user.id)  # type: ignore[arg-type]
    await daily.refresh(session, user)
    await session.commit()


async def create_demo_user(settings: Settings, email: str, password: str) -> None:
    engine = create_engine(settings)
    async with create_sessionmaker(engine)() as session:
        await session.execute(delete(User).where(col(User.email) == email))
        user = User(
            email=email,
            password_hash=hash_password(password),
            display_currency="USD",
            email_confirmed_at=utcnow(),  # the demo account needs no confirmation link
        )
        session.add(user)
        await session.flush()
        await populate(session, user, days=365, sites=5, assets=3, flows=12)
    await engine.dispose()
