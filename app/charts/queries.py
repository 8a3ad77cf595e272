"""All SQL for the per-site and per-asset chart: two queries, whatever the length of the history."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import BalanceEntry, Holding

E = BalanceEntry.__table__.c  # type: ignore[attr-defined]
HOLDINGS = Holding.__table__  # type: ignore[attr-defined]
H = HOLDINGS.c


class Line(NamedTuple):
    """A site or asset on the chart, with the moment of its first balance (None: it has none)."""

    id: int
    name: str
    first_at: datetime | None


async def lines(session: AsyncSession, user_id: int, kind: str) -> list[Line]:
    """The player's live sites (or assets), archived ones too (their history was real), in list order,
    each with its first balance's moment (an index probe each): one query."""
    first = sa.select(sa.func.min(E.recorded_at)).where(E.holding_id == H.id).scalar_subquery()
    query = (
        sa.select(H.id, H.name, first)
        .where(H.user_id == user_id, H.kind == kind, H.deleted_at.is_(None))
        .order_by(H.position, H.id)
    )
    return [Line(hid, name, _aware(at)) for hid, name, at in (await session.execute(query)).all()]


def _aware(at: datetime | None) -> datetime | None:
    return at if at is None or at.tzinfo else at.replace(tzinfo=UTC)


def _instants(session: AsyncSession, instants: Sequence[datetime]) -> sa.TableValuedAlias:
    """The sample instants as a table (value, index), bound as a single parameter: json_each on SQLite
    (its `key` is the index), unnest WITH ORDINALITY on PostgreSQL (1-based)."""
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        array = sa.bindparam("instants", list(instants), type_=postgresql.ARRAY(sa.DateTime(timezone=True)))
        return (
            sa.func.unnest(array)
            .table_valued("value", with_ordinality="ordinality")
            .render_derived(name="samples")
        )
    # SQLite keeps a moment as text in the column type's own format: compare like with like.
    store = E.recorded_at.type.dialect_impl(dialect).bind_processor(dialect) or str
    text = json.dumps([store(at) for at in instants])
    return (
        sa.func.json_each(sa.bindparam("instants", text, type_=sa.String()))
        .table_valued("value", "key")
        .alias("samples")
    )


async def balances_at(
    session: AsyncSession, holding_ids: Sequence[int], instants: Sequence[datetime]
) -> list[tuple[int, int, Decimal, str]]:
    """(sample index, holding id, balance, currency) of each holding's latest entry at or before each
    instant — one query: one backward index probe per holding and sample (at most a few thousand),
    never a scan of the history. A holding without an entry yet at an instant gives no row."""
    if not holding_ids or not instants:
        return []
    samples = _instants(session, instants)
    holdings = sa.select(H.id).where(H.id.in_(list(holding_ids))).subquery("lines")
    probe = (
        sa.select(E.id, E.balance, E.currency)
        .where(E.holding_id == holdings.c.id, E.recorded_at <= samples.c.value)
        .order_by(E.recorded_at.desc(), E.id.desc())
        .limit(1)
    )
    pairs = sa.select().select_from(samples).join(holdings, sa.true())
    if session.get_bind().dialect.name == "postgresql":
        # LATERAL: the probe's row is used as it is (as a scalar subquery joined back by id, the
        # planner hashes the whole entries table instead).
        latest = probe.lateral("latest")
        query = pairs.join(latest, sa.true()).with_only_columns(
            samples.c.ordinality - 1, holdings.c.id, latest.c.balance, latest.c.currency
        )
    else:  # SQLite has no LATERAL; its nested loops fetch the probed row by its rowid
        found = probe.with_only_columns(E.id).correlate(holdings, samples).scalar_subquery()
        entries = BalanceEntry.__table__  # type: ignore[attr-defined]
        query = pairs.join(entries, E.id == found).with_only_columns(
            samples.c.key, holdings.c.id, E.balance, E.currency
        )
    return [(int(n), hid, balance, code) for n, hid, balance, code in (await session.execute(query)).all()]
