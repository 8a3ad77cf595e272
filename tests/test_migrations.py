"""Migrations are the only way the schema is made: they go up, down and up again, and match the models."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from app.cli import alembic_config
from app.db import create_engine
from app.settings import Settings
from tests.conftest import _make_database


def _differences(url: str) -> list[object]:
    async def compare() -> list[object]:
        engine = create_engine(Settings(database_url=url))
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), SQLModel.metadata
                )
            )
        await engine.dispose()
        return list(diff)

    return asyncio.run(compare())


def test_migrations_upgrade_downgrade_and_upgrade_again_without_drift():
    url, drop = _make_database("migrations")
    try:
        config = alembic_config(url)
        command.upgrade(config, "head")
        assert _differences(url) == []
        command.downgrade(config, "base")
        command.upgrade(config, "head")
        assert _differences(url) == []
    finally:
        drop()
