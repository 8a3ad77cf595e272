"""Demo and benchmark data: sites, assets, daily-ish balance updates, deposits and withdrawals, and
for the demo account poker sessions that explain most of the sites' balance changes."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.bankroll import daily, marks
from app.db import create_engine, create_sessionmaker
from app.models import BalanceEntry, Flow, Goal, Holding, PokerSession, User, UserActionDay, utcnow
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
    play: float = 0.0,
) -> None:
    """Random-walk balances for `days` days; `flows` deposits and as many withdrawals. With `play`
    above 0, that share of the site balance updates follows a poker session whose result is the
    update's change (the rest stays "unexplained", as a forgotten session would), plus some live
    sessions and the action days."""
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    start = now - timedelta(days=days)
    names: list[tuple[str, str, str, str | None]] = [
        (name, cur, "site", None) for name, cur in (SITES * 3)[:sites]
    ]
    names += [(name, cur, "asset", cat) for name, cur, cat in (ASSETS * 3)[:assets]]
    seen: dict[tuple[str, str], int] = {}
    rows: list[dict[str, object]] = []
    plays: list[dict[str, object]] = []
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
        previous: Decimal | None = None
        while day <= now:
            drift = 0.0015 if kind == "site" else 0.0003
            value = max(value * (1 + rng.gauss(drift, 0.03)), 0.0)
            recorded_at = day + timedelta(minutes=rng.randint(0, 600))
            balance = _cents(value, currency)
            rows.append(
                {
                    "holding_id": holding.id,
                    "recorded_at": recorded_at,
                    "balance": balance,
                    "currency": currency,
                    "created_at": day,
                }
            )
            if (
                play
                and kind == "site"
                and previous is not None
                and balance != previous
                and rng.random() < play
            ):
                plays.append(_online_session(rng, user, holding, recorded_at, balance - previous))
            previous = balance
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
    if play:
        plays += [
            _live_session(rng, user, start + timedelta(days=rng.randint(0, days - 1)))
            for _ in range(days // 20)
        ]
        await session.execute(insert(PokerSession), plays)
        active = {item["created_at"].date() for item in rows + flow_rows}  # type: ignore[attr-defined]
        active |= {item["ended_at"].date() for item in plays}  # type: ignore[attr-defined]
        await session.execute(insert(UserActionDay), [{"user_id": user.id, "day": d} for d in sorted(active)])
    await daily.refresh(session, user)
    await session.commit()


def _online_session(
    rng: random.Random, user: User, holding: Holding, ended_at: datetime, result: Decimal
) -> dict[str, object]:
    """A cash session at `holding` that ended when its balance was updated, winning `result`."""
    game, big_blind = rng.choice([("NLH", Decimal("0.50")), ("NLH", Decimal("1")), ("PLO", Decimal("0.50"))])
    minutes = rng.randint(45, 240)
    tables = rng.choice([1, 2, 2, 3, 4])
    buy_in = max(big_blind * 100 * tables, -result)
    return {
        "user_id": user.id,
        "game": game,
        "format": "cash",
        "live": False,
        "holding_id": holding.id,
        "currency": holding.currency,
        "small_blind": big_blind / 2,
        "big_blind": big_blind,
        "buy_in": buy_in,
        "cash_out": buy_in + result,
        "started_at": ended_at - timedelta(minutes=minutes + 5),
        "ended_at": ended_at - timedelta(minutes=5),
        "hands": minutes * tables * rng.randint(60, 80) // 60,
        "tables": tables,
        "tags": ",zoom," if rng.random() < 0.2 else None,
        "created_at": ended_at,
    }


def _live_session(rng: random.Random, user: User, day: datetime) -> dict[str, object]:
    """An evening of live 1/2 or 2/5 in a casino, with travel and food kept apart from the result."""
    big_blind = rng.choice([Decimal(2), Decimal(5)])
    buy_in = big_blind * rng.choice([100, 150, 200])
    result = Decimal(round(rng.gauss(float(big_blind) * 8, float(big_blind) * 60)))
    cash_out = max(buy_in + result, Decimal(0))
    started_at = day.replace(hour=19, minute=0)
    hours = rng.randint(3, 7)
    return {
        "user_id": user.id,
        "game": "NLH",
        "format": "cash",
        "live": True,
        "holding_id": None,
        "venue": rng.choice(["Casino Barcelona", "King's Resort", "Dusk Till Dawn"]),
        "currency": "EUR",
        "small_blind": big_blind / 2 if big_blind == 2 else Decimal(2),
        "big_blind": big_blind,
        "buy_in": buy_in,
        "cash_out": cash_out,
        "expenses": Decimal(rng.choice([15, 25, 40])),
        "started_at": started_at,
        "ended_at": started_at + timedelta(hours=hours),
        "hands": hours * 30,
        "tables": 1,
        "tags": ",live,",
        "created_at": started_at + timedelta(hours=hours),
    }


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
        await populate(session, user, days=365, sites=5, assets=3, flows=12, play=0.85)
        today = datetime.now(UTC).date()
        goals = [  # something to aim at, reachable and not reached yet
            ("Bankroll of $30,000", "bankroll", Decimal(30000), today - timedelta(days=30), 150),
            ("Update my balances on 20 days", "volume", Decimal(20), today, 30),
        ]
        for name, kind, target, start, days_left in goals:
            session.add(
                Goal(
                    user_id=user.id,  # type: ignore[arg-type]
                    name=name,
                    kind=kind,
                    target=target,
                    currency="USD",
                    start_date=start,
                    target_date=today + timedelta(days=days_left),
                )
            )
        await session.commit()
    await engine.dispose()
