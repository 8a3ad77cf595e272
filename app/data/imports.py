"""Import: validate a whole file first (nothing is written while anything is wrong), preview what it
holds, then apply it in one transaction, replacing everything or merging (skipping what is already
there, so importing the same file twice adds nothing). Records get new ids; the file's ids are only
references between its tables.

`parse_json` reads our own export (app.data.export's format); app.data.csv_import turns a simple
spreadsheet into the same Bundle, which `apply` writes.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from app import money
from app.achievements import days as action_days
from app.bankroll import daily, marks
from app.data import export, reset
from app.data.queries import counts
from app.models import BalanceEntry, Flow, Holding, ToolUse, Transfer, User, utcnow

MAX_PROBLEMS = 200
MAX_RECORDS = 200_000
NAME_LIMIT = 100
NOTE_LIMIT = 500
KINDS = ("site", "asset")
FLOW_KINDS = ("deposit", "withdrawal", "bonus")
CATEGORIES = ("bank", "ewallet", "crypto", "cash", "other")
MODES = {"merge": "Merge: add what is new, skip what is already there", "replace": "Replace everything"}
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_NUMBER_START = re.compile(r"[+\-]\s*[0-9.,]")
E = BalanceEntry.__table__.c  # type: ignore[attr-defined]
H = Holding.__table__.c  # type: ignore[attr-defined]
F = Flow.__table__.c  # type: ignore[attr-defined]
T = Transfer.__table__.c  # type: ignore[attr-defined]


class ImportRefused(Exception):
    """The whole file is unusable (not JSON, not our format, too big...): str(e) says why."""


@dataclass
class HoldingIn:
    ref: int
    kind: str
    name: str
    currency: str
    category: str | None = None
    position: int = 0
    archived_at: datetime | None = None
    created_at: datetime | None = None


@dataclass
class EntryIn:
    ref: int
    holding_ref: int
    recorded_at: datetime
    balance: Decimal
    currency: str
    note: str | None = None


@dataclass
class FlowIn:
    kind: str
    occurred_at: datetime
    amount: Decimal
    currency: str
    holding_ref: int | None = None
    note: str | None = None


@dataclass
class TransferIn:
    occurred_at: datetime
    from_ref: int
    to_ref: int
    amount: Decimal
    from_currency: str
    fee: Decimal
    received: Decimal
    to_currency: str
    from_entry_ref: int | None = None
    to_entry_ref: int | None = None
    note: str | None = None


@dataclass
class ToolUseIn:
    tool: str
    uses: int
    first_used_at: datetime
    last_used_at: datetime


@dataclass
class Bundle:
    """Everything a file holds, checked; `problems` lists what is wrong (then nothing may be applied)."""

    holdings: list[HoldingIn] = field(default_factory=list)
    entries: list[EntryIn] = field(default_factory=list)
    flows: list[FlowIn] = field(default_factory=list)
    transfers: list[TransferIn] = field(default_factory=list)
    tool_uses: list[ToolUseIn] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    extras: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # goals, achievements, sessions
    problems: list[str] = field(default_factory=list)
    more_problems: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, where: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(f"{where}: {message}" if where else message)
        else:
            self.more_problems += 1

    def counts(self) -> dict[str, int]:
        return {
            "holdings": len(self.holdings),
            "balance_entries": len(self.entries),
            "flows": len(self.flows),
            "transfers": len(self.transfers),
            "tool_uses": len(self.tool_uses),
            **{table: len(rows) for table, rows in self.extras.items()},
        }

    def days(self) -> tuple[date, date] | None:
        moments = [e.recorded_at for e in self.entries] + [f.occurred_at for f in self.flows]
        moments += [t.occurred_at for t in self.transfers]
        return (min(moments).date(), max(moments).date()) if moments else None

    def currencies(self) -> list[str]:
        codes = {h.currency for h in self.holdings} | {e.currency for e in self.entries}
        codes |= {f.currency for f in self.flows}
        return [code for code in money.CURRENCIES if code in codes]


# ---- checking values -----------------------------------------------------------------------------


def formula_like(text: str) -> bool:
    """Text a spreadsheet would run as a formula: =…, @…, or +/- not followed by a number."""
    if text.startswith(("=", "@", "\t", "\r")):
        return True
    return text.startswith(("+", "-")) and not _NUMBER_START.match(text)


class Checker:
    """Reads typed values out of one record, noting each problem with where it is."""

    def __init__(self, bundle: Bundle, where: str, record: Any, now: datetime) -> None:
        self.bundle, self.where, self.now = bundle, where, now
        self.record = record if isinstance(record, dict) else {}
        self.ok = isinstance(record, dict)
        if not self.ok:
            bundle.problem(where, "expected an object")

    def fail(self, name: str, message: str) -> None:
        self.ok = False
        self.bundle.problem(f"{self.where}.{name}", message)

    def ref(self, name: str, *, optional: bool = False) -> int | None:
        value = self.record.get(name)
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(name, "expected a whole number")
            return None
        return value

    def integer(self, name: str, default: int = 0) -> int:
        value = self.record.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 10**9:
            self.fail(name, "expected a whole number, zero or more")
            return default
        return value

    def choice(self, name: str, allowed: Iterable[str]) -> str:
        value = self.record.get(name)
        allowed = tuple(allowed)
        if value not in allowed:
            self.fail(name, f"expected one of {', '.join(allowed)}")
            return allowed[0]
        return str(value)

    def text(self, name: str, limit: int, *, optional: bool = False) -> str | None:
        value = self.record.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if not optional:
                self.fail(name, "missing")
            return None
        if not isinstance(value, str):
            self.fail(name, "expected text")
            return None
        value = value.strip()
        if len(value) > limit:
            self.fail(name, f"longer than {limit} characters")
        elif formula_like(value):
            self.fail(name, f"{value[:20]!r} looks like a spreadsheet formula")
        return value

    def code(self, name: str) -> str:
        value = self.record.get(name)
        if not isinstance(value, str) or not money.is_currency(value):
            self.fail(name, f"unknown currency {str(value)[:12]!r}")
            return "EUR"
        return value

    def amount(self, name: str, currency: str, *, positive: bool = False) -> Decimal:
        raw = self.record.get(name)
        try:
            value = Decimal(raw) if isinstance(raw, str | int) and not isinstance(raw, bool) else None
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.fail(name, "expected an amount like 123.45")
            return Decimal(0)
        if value < 0:
            self.fail(name, "can't be negative")
        elif positive and value == 0:
            self.fail(name, "must be more than zero")
        elif value > money.MAX_AMOUNT:
            self.fail(name, "too large")
        elif value != value.quantize(Decimal("1e-8")):
            self.fail(name, "more than 8 decimals")
        return value

    def moment(self, name: str, *, optional: bool = False) -> datetime | None:
        raw = self.record.get(name)
        if raw is None and optional:
            return None
        try:
            value = export.parse_time(raw) if isinstance(raw, str) else None
        except ValueError:
            value = None
        if value is None:
            self.fail(name, "expected a time like 2026-03-01T12:00:00+00:00")
            return None
        value = value.astimezone(UTC)
        if value < EARLIEST:
            self.fail(name, "before 1970")
        elif value > self.now + timedelta(days=1):
            self.fail(name, "in the future")
        return value


# ---- our JSON export -----------------------------------------------------------------------------


def decode(raw: bytes) -> str:
    """The file as text: UTF-8 (a byte-order mark is fine); ImportRefused for anything else."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused("The file is UTF-16 text. Save it as UTF-8 (CSV UTF-8) and try again.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            f"The file is not UTF-8 text (byte {error.start + 1} can't be read). "
            "Save it as UTF-8 (in a spreadsheet: CSV UTF-8) and try again."
        ) from error


def parse_json(text: str, now: datetime | None = None) -> Bundle:
    """Check a StakeEasy JSON export completely; ImportRefused when it is not one at all."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ImportRefused(f"The file is not valid JSON ({error}).") from error
    if not isinstance(data, dict) or data.get("format") != export.FORMAT:
        raise ImportRefused("The file is JSON, but not a StakeEasy export.")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ImportRefused("The export has no version number.")
    if version > export.VERSION:
        raise ImportRefused(
            f"The export is of version {version}, made by a newer StakeEasy; this one reads 1."
        )
    total = sum(len(data.get(t) or []) for t in export.TABLES if isinstance(data.get(t) or [], list))
    if total > MAX_RECORDS:
        raise ImportRefused(f"The file holds {total} records; StakeEasy imports at most {MAX_RECORDS}.")
    bundle = Bundle()
    now = now or utcnow()
    tables = {}
    for table in export.TABLES:
        rows = data.get(table, [])
        if not isinstance(rows, list):
            bundle.problem(table, "expected a list")
            rows = []
        tables[table] = rows
    _settings(bundle, data.get("account"))
    holdings = _holdings(bundle, tables["holdings"], now)
    entries = _entries(bundle, tables["balance_entries"], holdings, now)
    _flows(bundle, tables["flows"], holdings, now)
    _transfers(bundle, tables["transfers"], holdings, entries, now)
    _tool_uses(bundle, tables["tool_uses"], now)
    for table in export.EXTRA_MODELS:
        _extras(bundle, table, tables[table], holdings, now)
    return bundle


def _settings(bundle: Bundle, account: Any) -> None:
    if not isinstance(account, dict):
        return
    currency, locale, timezone = (account.get(k) for k in ("display_currency", "locale", "timezone"))
    if not all(isinstance(value, str | None) for value in (currency, locale, timezone)):
        bundle.problem("account", "expected text settings")
        return
    if isinstance(currency, str) and money.is_currency(currency):
        bundle.settings["display_currency"] = currency
    if isinstance(locale, str) and locale in money.LOCALES:
        bundle.settings["locale"] = locale
    if isinstance(timezone, str):
        try:
            ZoneInfo(timezone)
            bundle.settings["timezone"] = timezone
        except (ZoneInfoNotFoundError, ValueError):
            bundle.problem("account.timezone", f"unknown time zone {timezone[:40]!r}")


def _holdings(bundle: Bundle, rows: list[Any], now: datetime) -> dict[int, HoldingIn]:
    found: dict[int, HoldingIn] = {}
    names: set[tuple[str, str]] = set()
    for n, record in enumerate(rows):
        check = Checker(bundle, f"holdings[{n}]", record, now)
        if not check.ok:
            continue
        ref = check.ref("id")
        kind = check.choice("kind", KINDS)
        name = check.text("name", NAME_LIMIT)
        currency = check.code("currency")
        category = check.text("category", 16, optional=True)
        if category is not None and category not in CATEGORIES:
            check.fail("category", f"expected one of {', '.join(CATEGORIES)}")
        item = HoldingIn(
            ref=ref or 0,
            kind=kind,
            name=name or "",
            currency=currency,
            category=category,
            position=check.integer("position"),
            archived_at=check.moment("archived_at", optional=True),
            created_at=check.moment("created_at", optional=True),
        )
        if ref is not None and ref in found:
            check.fail("id", f"{ref} is used twice")
        if name and (kind, name.casefold()) in names:
            check.fail("name", f"two {kind}s are called {name!r}")
        if check.ok:
            found[item.ref] = item
            names.add((kind, item.name.casefold()))
            bundle.holdings.append(item)
    return found


def _entries(bundle: Bundle, rows: list[Any], holdings: dict[int, HoldingIn], now: datetime) -> set[int]:
    refs: set[int] = set()
    for n, record in enumerate(rows):
        check = Checker(bundle, f"balance_entries[{n}]", record, now)
        if not check.ok:
            continue
        ref = check.ref("id")
        holding = check.ref("holding_id")
        if holding is not None and holding not in holdings:
            check.fail("holding_id", f"no holding {holding} in the file")
        currency = check.code("currency")
        item = EntryIn(
            ref=ref or 0,
            holding_ref=holding or 0,
            recorded_at=check.moment("recorded_at") or now,
            balance=check.amount("balance", currency),
            currency=currency,
            note=check.text("note", NOTE_LIMIT, optional=True),
        )
        if ref is not None and ref in refs:
            check.fail("id", f"{ref} is used twice")
        if check.ok:
            refs.add(item.ref)
            bundle.entries.append(item)
    return refs


def _flows(bundle: Bundle, rows: list[Any], holdings: dict[int, HoldingIn], now: datetime) -> None:
    for n, record in enumerate(rows):
        check = Checker(bundle, f"flows[{n}]", record, now)
        if not check.ok:
            continue
        holding = check.ref("holding_id", optional=True)
        if holding is not None and holding not in holdings:
            check.fail("holding_id", f"no holding {holding} in the file")
        currency = check.code("currency")
        item = FlowIn(
            kind=check.choice("kind", FLOW_KINDS),
            occurred_at=check.moment("occurred_at") or now,
            amount=check.amount("amount", currency, positive=True),
            currency=currency,
            holding_ref=holding,
            note=check.text("note", NOTE_LIMIT, optional=True),
        )
        if check.ok:
            bundle.flows.append(item)


def _transfers(
    bundle: Bundle, rows: list[Any], holdings: dict[int, HoldingIn], entries: set[int], now: datetime
) -> None:
    for n, record in enumerate(rows):
        check = Checker(bundle, f"transfers[{n}]", record, now)
        if not check.ok:
            continue
        ends = [check.ref("from_holding_id"), check.ref("to_holding_id")]
        for name, ref in zip(("from_holding_id", "to_holding_id"), ends, strict=True):
            if ref is not None and ref not in holdings:
                check.fail(name, f"no holding {ref} in the file")
        if ends[0] is not None and ends[0] == ends[1]:
            check.fail("to_holding_id", "the same holding as the source")
        entry_refs = [check.ref("from_entry_id", optional=True), check.ref("to_entry_id", optional=True)]
        for name, ref in zip(("from_entry_id", "to_entry_id"), entry_refs, strict=True):
            if ref is not None and ref not in entries:
                check.fail(name, f"no balance entry {ref} in the file")
        source, target = check.code("from_currency"), check.code("to_currency")
        amount = check.amount("amount", source, positive=True)
        fee = check.amount("fee", source)
        if fee >= amount and amount > 0:
            check.fail("fee", "not less than the amount")
        item = TransferIn(
            occurred_at=check.moment("occurred_at") or now,
            from_ref=ends[0] or 0,
            to_ref=ends[1] or 0,
            amount=amount,
            from_currency=source,
            fee=fee,
            received=check.amount("received", target, positive=True),
            to_currency=target,
            from_entry_ref=entry_refs[0],
            to_entry_ref=entry_refs[1],
            note=check.text("note", NOTE_LIMIT, optional=True),
        )
        if check.ok:
            bundle.transfers.append(item)


def _tool_uses(bundle: Bundle, rows: list[Any], now: datetime) -> None:
    seen: set[str] = set()
    for n, record in enumerate(rows):
        check = Checker(bundle, f"tool_uses[{n}]", record, now)
        if not check.ok:
            continue
        tool = check.text("tool", 40) or ""
        item = ToolUseIn(
            tool=tool,
            uses=check.integer("uses"),
            first_used_at=check.moment("first_used_at") or now,
            last_used_at=check.moment("last_used_at") or now,
        )
        if tool in seen:
            check.fail("tool", f"{tool!r} twice")
        if check.ok:
            seen.add(tool)
            bundle.tool_uses.append(item)


def _extras(
    bundle: Bundle, table: str, rows: list[Any], holdings: dict[int, HoldingIn], now: datetime
) -> None:
    """Another feature's records (goals, achievements, poker sessions), checked column by column as
    its model defines them; a column the file lacks takes the model's default when it has one."""
    columns = export.EXTRA_MODELS[table].__table__.columns  # type: ignore[attr-defined]
    found = []
    for n, record in enumerate(rows):
        check = Checker(bundle, f"{table}[{n}]", record, now)
        if not check.ok:
            continue
        values: dict[str, Any] = {}
        currency = check.code("currency") if "currency" in columns else "EUR"
        for name, kind in export.TABLES[table]:
            column = columns[name]
            missing = check.record.get(name) is None
            if missing and (column.nullable or column.default is not None or name == "created_at"):
                if column.nullable and name in check.record:
                    values[name] = None
                continue
            if kind == "code":
                values[name] = currency
            elif kind == "ref":
                ref = check.ref(name)
                if ref is not None and ref not in holdings:
                    check.fail(name, f"no holding {ref} in the file")
                values[name] = ref
            elif kind == "amount":
                values[name] = check.amount(name, currency)
            elif kind == "int":
                values[name] = check.integer(name)
            elif kind == "bool":
                value = check.record.get(name)
                if not isinstance(value, bool):
                    check.fail(name, "expected true or false")
                values[name] = bool(value)
            elif kind == "time":
                values[name] = check.moment(name)
            elif kind == "date":
                values[name] = _date(check, name)
            else:
                values[name] = check.text(name, getattr(column.type, "length", None) or 5000)
        if check.ok:
            found.append(values)
    bundle.extras[table] = found


def _date(check: Checker, name: str) -> date | None:
    raw = check.record.get(name)
    try:
        return date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        pass
    check.fail(name, "expected a date like 2026-03-01")
    return None


# ---- applying ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What applying did (or, in a dry run, would do): per table, records added and skipped."""

    mode: str
    added: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    replaced: dict[str, int] = field(default_factory=dict)  # replace: what the reset set aside

    def count(self, table: str, added: bool) -> None:
        target = self.added if added else self.skipped
        target[table] = target.get(table, 0) + 1


async def _existing_holdings(session: AsyncSession, user: User) -> dict[tuple[str, str], Holding]:
    query = select(Holding).where(Holding.user_id == user.id, H.deleted_at.is_(None))
    return {(h.kind, h.name_key): h for h in (await session.execute(query)).scalars()}


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


async def _existing_entries(session: AsyncSession, ids: Iterable[int]) -> dict[tuple[Any, ...], list[int]]:
    """The entries already there, by what makes two the same (a list: twins are possible)."""
    ids = list(ids)
    found: dict[tuple[Any, ...], list[int]] = {}
    if not ids:
        return found
    query = sa.select(E.id, E.holding_id, E.recorded_at, E.balance, E.currency).where(E.holding_id.in_(ids))
    for i, h, at, bal, code in (await session.execute(query)).all():
        found.setdefault((h, _utc(at), bal, code), []).append(i)
    return found


async def _existing_flows(session: AsyncSession, user: User) -> Counter[tuple[Any, ...]]:
    query = sa.select(F.kind, F.occurred_at, F.amount, F.currency, F.holding_id).where(
        F.user_id == user.id, F.deleted_at.is_(None)
    )
    return Counter((k, _utc(at), a, c, h) for k, at, a, c, h in (await session.execute(query)).all())


async def _existing_transfers(session: AsyncSession, user: User) -> Counter[tuple[Any, ...]]:
    query = sa.select(T.occurred_at, T.from_holding_id, T.to_holding_id, T.amount, T.received).where(
        T.user_id == user.id, T.deleted_at.is_(None)
    )
    return Counter((_utc(at), a, b, m, r) for at, a, b, m, r in (await session.execute(query)).all())


async def apply(
    session: AsyncSession, user: User, bundle: Bundle, mode: str, *, dry_run: bool = False
) -> Outcome:
    """Write a checked bundle: replace (a reset first, undoable like any reset) or merge.

    All or nothing: the caller commits once, after this returns (a dry run writes nothing at all).
    """
    if not bundle.ok:
        raise ValueError("a bundle with problems can't be applied")
    outcome = Outcome(mode)
    if mode == "replace":
        outcome.replaced = await counts(session, user.id)  # type: ignore[arg-type]
        if not dry_run:
            await reset.reset(session, user)
            for name, value in bundle.settings.items():
                setattr(user, name, value)
            session.add(user)
    existing = {} if mode == "replace" else await _existing_holdings(session, user)
    holding_ids = await _apply_holdings(session, user, bundle, existing, outcome, dry_run)
    entry_ids = await _apply_entries(session, bundle, holding_ids, outcome, dry_run, mode)
    await _apply_flows(session, user, bundle, holding_ids, outcome, dry_run, mode)
    await _apply_transfers(session, user, bundle, holding_ids, entry_ids, outcome, dry_run, mode)
    await _apply_tool_uses(session, user, bundle, outcome, dry_run, mode)
    for table in export.EXTRA_MODELS:
        await _apply_extras(session, user, bundle, table, holding_ids, outcome, dry_run)
    if not dry_run:
        await daily.refresh(session, user)
        await action_days.record(session, user)  # an import is one bankroll action, today
    return outcome


async def _apply_holdings(
    session: AsyncSession,
    user: User,
    bundle: Bundle,
    existing: dict[tuple[str, str], Holding],
    outcome: Outcome,
    dry_run: bool,
) -> dict[int, int | None]:
    """File holding ref → the holding's id (None in a dry run for one that would be created)."""
    ids: dict[int, int | None] = {}
    # The file's order is kept, after the holdings already there (none on a replace: the file's places).
    positions = {
        kind: 1 + max((h.position for h in existing.values() if h.kind == kind), default=-1) for kind in KINDS
    }
    for item in sorted(bundle.holdings, key=lambda h: h.ref):  # new ids in the file's order
        match = existing.get((item.kind, item.name.casefold()))
        if match is not None:
            ids[item.ref] = match.id
            outcome.count("holdings", added=False)
            continue
        outcome.count("holdings", added=True)
        if dry_run:
            ids[item.ref] = None
            continue
        holding = Holding(
            user_id=user.id,  # type: ignore[arg-type]
            kind=item.kind,
            category=item.category,
            name=item.name,
            name_key=item.name.casefold(),
            currency=item.currency,
            position=positions[item.kind] + item.position,
            archived_at=item.archived_at,
            created_at=item.created_at or utcnow(),
        )
        session.add(holding)
        await session.flush()
        ids[item.ref] = holding.id
    return ids


async def _apply_entries(
    session: AsyncSession,
    bundle: Bundle,
    holding_ids: dict[int, int | None],
    outcome: Outcome,
    dry_run: bool,
    mode: str,
) -> dict[int, int]:
    """File entry ref → entry id (the new one, or the one already there that matched)."""
    known = (
        {} if mode == "replace" else await _existing_entries(session, [i for i in holding_ids.values() if i])
    )
    ids: dict[int, int] = {}
    rows: list[dict[str, Any]] = []
    refs: list[int] = []
    for item in bundle.entries:
        holding_id = holding_ids[item.holding_ref]
        key = (holding_id, _utc(item.recorded_at), item.balance, item.currency)
        if holding_id is not None and known.get(key):
            ids[item.ref] = known[key].pop(0)  # each one there matches one of the file's
            outcome.count("balance_entries", added=False)
            continue
        outcome.count("balance_entries", added=True)
        rows.append(
            {
                "holding_id": holding_id,
                "recorded_at": item.recorded_at,
                "balance": item.balance,
                "currency": item.currency,
                "note": item.note,
                "created_at": utcnow(),
            }
        )
        refs.append(item.ref)
    if rows and not dry_run:
        statement = sa.insert(BalanceEntry.__table__).returning(E.id, sort_by_parameter_order=True)  # type: ignore[attr-defined]
        new_ids = (await session.execute(statement, rows)).scalars().all()
        ids.update(zip(refs, new_ids, strict=True))
    return ids


async def _apply_flows(
    session: AsyncSession,
    user: User,
    bundle: Bundle,
    holding_ids: dict[int, int | None],
    outcome: Outcome,
    dry_run: bool,
    mode: str,
) -> None:
    known: Counter[tuple[Any, ...]] = Counter() if mode == "replace" else await _existing_flows(session, user)
    rows = []
    for item in bundle.flows:
        holding_id = holding_ids[item.holding_ref] if item.holding_ref is not None else None
        key = (item.kind, _utc(item.occurred_at), item.amount, item.currency, holding_id)
        if known[key] > 0 and (holding_id is not None or item.holding_ref is None):
            known[key] -= 1  # twins in the file: each matches one already there
            outcome.count("flows", added=False)
            continue
        outcome.count("flows", added=True)
        rows.append(
            {
                "user_id": user.id,
                "kind": item.kind,
                "occurred_at": item.occurred_at,
                "amount": item.amount,
                "currency": item.currency,
                "note": item.note,
                "holding_id": holding_id,
                "created_at": utcnow(),
            }
        )
    if rows and not dry_run:
        await session.execute(sa.insert(Flow.__table__), rows)  # type: ignore[attr-defined]
        await marks.forget(session, user.id)  # type: ignore[arg-type]


async def _apply_transfers(
    session: AsyncSession,
    user: User,
    bundle: Bundle,
    holding_ids: dict[int, int | None],
    entry_ids: dict[int, int],
    outcome: Outcome,
    dry_run: bool,
    mode: str,
) -> None:
    known: Counter[tuple[Any, ...]] = Counter()
    if mode != "replace":
        known = await _existing_transfers(session, user)
    rows = []
    for item in bundle.transfers:
        source, target = holding_ids[item.from_ref], holding_ids[item.to_ref]
        key = (_utc(item.occurred_at), source, target, item.amount, item.received)
        if source is not None and target is not None and known[key] > 0:
            known[key] -= 1
            outcome.count("transfers", added=False)
            continue
        outcome.count("transfers", added=True)
        rows.append(
            {
                "user_id": user.id,
                "occurred_at": item.occurred_at,
                "from_holding_id": source,
                "to_holding_id": target,
                "amount": item.amount,
                "from_currency": item.from_currency,
                "fee": item.fee,
                "received": item.received,
                "to_currency": item.to_currency,
                "from_entry_id": entry_ids.get(item.from_entry_ref)
                if item.from_entry_ref is not None
                else None,
                "to_entry_id": entry_ids.get(item.to_entry_ref) if item.to_entry_ref is not None else None,
                "note": item.note,
                "created_at": utcnow(),
            }
        )
    if rows and not dry_run:
        await session.execute(sa.insert(Transfer.__table__), rows)  # type: ignore[attr-defined]


async def _apply_tool_uses(
    session: AsyncSession, user: User, bundle: Bundle, outcome: Outcome, dry_run: bool, mode: str
) -> None:
    """Replace: the file's counters; merge: the larger of the two (so a second import changes nothing)."""
    query = sa.select(ToolUse.tool, ToolUse.uses).where(ToolUse.user_id == user.id)  # type: ignore[call-overload]
    current = dict((await session.execute(query)).all())
    for item in bundle.tool_uses:
        uses = item.uses if mode == "replace" else max(item.uses, current.get(item.tool, 0))
        changed = current.get(item.tool) != uses
        outcome.count("tool_uses", added=changed)
        if dry_run or not changed:
            continue
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        values = {
            "user_id": user.id,
            "tool": item.tool,
            "uses": uses,
            "first_used_at": item.first_used_at,
            "last_used_at": item.last_used_at,
        }
        statement = insert(ToolUse.__table__).values(**values)  # type: ignore[attr-defined]
        statement = statement.on_conflict_do_update(
            index_elements=["user_id", "tool"],
            set_={"uses": uses, "first_used_at": item.first_used_at, "last_used_at": item.last_used_at},
        )
        await session.execute(statement)


def _typed(table: str, record: dict[str, Any]) -> dict[str, Any]:
    """An exported record with its amounts, times and dates as Python values again."""
    values = dict(record)
    for name, kind in export.TABLES[table]:
        value = values.get(name)
        if value is None:
            continue
        if kind == "amount":
            values[name] = Decimal(value)
        elif kind == "time":
            values[name] = export.parse_time(value)
        elif kind == "date":
            values[name] = date.fromisoformat(value)
    return values


DEDUPE = {"achievements": ("key",)}  # what makes a record "already there" (else: every column but created_at)


async def _apply_extras(
    session: AsyncSession,
    user: User,
    bundle: Bundle,
    table: str,
    holding_ids: dict[int, int | None],
    outcome: Outcome,
    dry_run: bool,
) -> None:
    """Goals, achievements and poker sessions: always merged (a reset keeps goals and achievements;
    on a replace the sessions were just set aside, so all of the file's come in)."""
    names = [name for name, _kind in export.TABLES[table]]
    keys = DEDUPE.get(table) or tuple(name for name in names if name != "created_at")

    def key(values: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(_utc(v) if isinstance(v, datetime) else v for v in (values.get(k) for k in keys))

    existing: Counter[tuple[Any, ...]] = Counter()
    async for batch in export.records(session, table, user.id):  # type: ignore[arg-type]
        existing.update(key(_typed(table, record)) for record in batch)
    rows = []
    for values in bundle.extras.get(table, []):
        values = dict(values)
        if "holding_id" in values and values["holding_id"] is not None:
            values["holding_id"] = holding_ids.get(values["holding_id"])
        if existing[key(values)] > 0:  # as many times as it is there: twins in the file both count
            existing[key(values)] -= 1
            outcome.count(table, added=False)
            continue
        outcome.count(table, added=True)
        rows.append({"user_id": user.id, **values})
    if rows and not dry_run:
        model_table = export.EXTRA_MODELS[table].__table__  # type: ignore[attr-defined]
        for row in rows:  # one by one: rows may lack different defaulted columns
            await session.execute(sa.insert(model_table).values(**row))
