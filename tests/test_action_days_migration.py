"""The migration that adds user_action_days fills it from the actions already stored: each action's
creation instant, as a day in its player's time zone, once."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import command

from app.cli import alembic_config
from tests.conftest import _make_database


def _sync_url(url: str) -> str:
    return url.replace("sqlite+aiosqlite", "sqlite")


def test_the_migration_backfills_each_players_local_action_days():
    url, drop = _make_database("action_days_migration")
    try:
        config = alembic_config(url)
        command.upgrade(config, "0008")
        engine = sa.create_engine(_sync_url(url))
        meta = sa.MetaData()
        meta.reflect(engine, only=["users", "holdings", "balance_entries", "flows"])
        users, holdings, entries, flows = (
            meta.tables[name] for name in ("users", "holdings", "balance_entries", "flows")
        )
        at = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)  # 23:30 in Tokyo, 14:30 in UTC: the same day
        late = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)  # 00:30 on 21 November in Tokyo
        with engine.begin() as conn:

            def user(email: str, zone: str) -> int:
                values = {
                    "email": email,
                    "password_hash": "x",
                    "display_currency": "USD",
                    "locale": "en_US",
                    "timezone": zone,
                    "session_version": 0,
                    "created_at": at,
                }
                return conn.execute(sa.insert(users).values(**values).returning(users.c.id)).scalar_one()

            tokyo, utc = user("tokyo@example.com", "Asia/Tokyo"), user("utc@example.com", "UTC")
            holding = conn.execute(
                sa.insert(holdings)
                .values(
                    user_id=tokyo,
                    kind="site",
                    name="S",
                    name_key="s",
                    currency="USD",
                    position=0,
                    created_at=at,
                )
                .returning(holdings.c.id)
            ).scalar_one()
            for moment in (at, late):
                conn.execute(
                    sa.insert(entries).values(
                        holding_id=holding, recorded_at=moment, balance=100, currency="USD", created_at=moment
                    )
                )
            conn.execute(
                sa.insert(flows).values(
                    user_id=utc,
                    kind="deposit",
                    occurred_at=late,
                    amount=Decimal(1) if engine.dialect.name != "sqlite" else 100_000_000,
                    currency="USD",
                    created_at=late,
                )
            )
        command.upgrade(config, "0009")
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT user_id, day FROM user_action_days ORDER BY user_id, day")
            ).all()
        engine.dispose()
        found = [(uid, day if isinstance(day, date) else date.fromisoformat(day)) for uid, day in rows]
        assert found == [(tokyo, date(2026, 11, 20)), (tokyo, date(2026, 11, 21)), (utc, date(2026, 11, 20))]
    finally:
        drop()
