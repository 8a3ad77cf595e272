"""Command line: `stakeeasy migrate | demo | serve | rates | articles | admin | check`
(also `python -m app ...`)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from concurrent.futures import ThreadPoolExecutor

from alembic import command
from alembic.config import Config

from app.settings import BASE_DIR, Settings


def alembic_config(database_url: str) -> Config:
    config = Config(str(BASE_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(BASE_DIR / "migrations"))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logging"] = False
    return config


def migrate(settings: Settings, revision: str = "head") -> None:
    """Upgrade the schema; from inside a running event loop, in a thread (Alembic's env uses asyncio.run)."""
    config = alembic_config(settings.database_url)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        command.upgrade(config, revision)
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(command.upgrade, config, revision).result()


def _demo(settings: Settings, email: str, password: str) -> None:
    from app import demo

    migrate(settings)
    asyncio.run(demo.create_demo_user(settings, email, password))
    print(f"Demo account ready: {email} / {password}")


def _serve(settings: Settings, host: str, port: int, reload: bool, workers: int = 1) -> None:
    from app import server

    if settings.is_sqlite:
        migrate(settings)  # a newcomer's SQLite file is always up to date
    print(f"StakeEasy is running at http://{host}:{port}/  (Ctrl+C to stop)")
    server.run(settings, host, port, workers=workers, reload=reload)


async def _rates(settings: Settings, backfill: bool | None) -> bool:
    """Fetch and store the rates once; prints what each source gave. True when every source worked."""
    from app.db import create_engine, create_sessionmaker
    from app.rates import jobs

    engine = create_engine(settings)
    try:
        report = await jobs.update_rates(create_sessionmaker(engine), backfill=backfill)
    finally:
        await engine.dispose()
    for line in report.lines():
        print(line)
    return report.ok


async def _rates_loop(settings: Settings, interval: float) -> None:
    """The production schedule: rates and the purge of expired resets, once per interval across all
    instances (a Redis lock when REDIS_URL is set)."""
    from redis.asyncio import Redis

    from app.data import reset
    from app.db import create_engine, create_sessionmaker
    from app.rates import jobs

    engine = create_engine(settings)
    sessionmaker = create_sessionmaker(engine)
    store = Redis.from_url(settings.redis_url) if settings.redis_url else None

    async def rates() -> None:
        report = await jobs.update_rates(sessionmaker, trigger="schedule")
        for line in report.lines():
            logging.getLogger("stakeeasy.rates").info(line)

    async def purge() -> None:
        await reset.purge_expired(sessionmaker)

    try:
        await jobs.run_loop([rates, purge], interval, store)
    finally:
        if store is not None:
            await store.aclose()
        await engine.dispose()


async def admin_role(settings: Settings, action: str, email: str | None = None) -> tuple[int, list[str]]:
    """`stakeeasy admin grant|revoke EMAIL` and `admin list`: the only way to the admin role (never the
    web). Returns the exit code and the lines to print; a grant or revoke is written to the audit log."""
    from app.admin import queries
    from app.db import create_engine, create_sessionmaker

    engine = create_engine(settings)
    try:
        async with create_sessionmaker(engine)() as session:
            if action == "list":
                admins = await queries.admins(session)
                return 0, [user.email for user in admins] or ["No admins yet."]
            user = await queries.set_admin(session, email or "", action == "grant")
    finally:
        await engine.dispose()
    if user is None:
        return 1, [f"No account with the e-mail address {email}."]
    if action == "grant":
        return 0, [f"{user.email} is an admin now (they log in again to use it)."]
    return 0, [f"{user.email} is no longer an admin."]


def _check(settings: Settings) -> int:
    """Print every setting (secrets masked) and the problems that would stop a production start."""
    from app.settings import describe

    for name, value in describe(settings):
        print(f"{name:26} {value}")
    problems = settings.problems()
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="stakeeasy", description="StakeEasy, a poker bankroll manager.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("migrate", help="bring the database schema up to date")
    p.add_argument("revision", nargs="?", default="head")
    p = sub.add_parser("demo", help="create (or re-create) the demo account with a year of data")
    p.add_argument("--email", default="demo@stakeeasy.test")
    p.add_argument("--password", default="demo-password-2026")
    p.add_argument("--serve", action="store_true", help="start the server afterwards")
    sub.add_parser("check", help="print the effective configuration (secrets masked) and any problem")
    p = sub.add_parser("serve", help="run the web server")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--reload", action="store_true")
    p.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY", "1")),
        help="worker processes sharing the port (default: WEB_CONCURRENCY or 1)",
    )
    p = sub.add_parser("rates", help="fetch and store today's exchange rates (ECB and crypto)")
    p.add_argument("--backfill", action="store_true", help="also fetch the last 90 days")
    p.add_argument("--loop", action="store_true", help="keep running: rates and purges every interval")
    p.add_argument(
        "--interval",
        type=float,
        default=float(os.environ.get("RATES_INTERVAL_SECONDS") or 3600),
        help="seconds between runs with --loop (default RATES_INTERVAL_SECONDS or 3600)",
    )
    sub.add_parser("articles", help="load articles/*.md into the database (idempotent: run on deploy)")
    p = sub.add_parser("admin", help="grant, revoke or list the admin role")
    roles = p.add_subparsers(dest="action", required=True)
    roles.add_parser("grant", help="make the account with this e-mail address an admin").add_argument("email")
    roles.add_parser("revoke", help="take the admin role away").add_argument("email")
    roles.add_parser("list", help="print every admin's e-mail address")
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    if args.command == "articles":
        from app.articles.loader import main as load_articles

        sys.exit(load_articles(settings))
    if args.command == "check":
        sys.exit(_check(settings))
    if args.command == "admin":
        code, lines = asyncio.run(admin_role(settings, args.action, getattr(args, "email", None)))
        print("\n".join(lines))
        sys.exit(code)
    if args.command == "migrate":
        migrate(settings, args.revision)
    elif args.command == "demo":
        _demo(settings, args.email, args.password)
        if args.serve:
            _serve(settings, "127.0.0.1", 8000, False)
    elif args.command == "serve":
        if problems := settings.problems():
            sys.exit("Refusing to start: " + " ".join(problems))
        _serve(settings, args.host, args.port, args.reload, args.workers)
    elif args.command == "rates":
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
        if args.loop:
            asyncio.run(_rates_loop(settings, args.interval))
        elif not asyncio.run(_rates(settings, True if args.backfill else None)):
            sys.exit(1)
