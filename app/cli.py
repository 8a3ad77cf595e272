"""Command line: `stakeeasy migrate | demo | serve | purge` (also `python -m app ...`)."""

from __future__ import annotations

import argparse
import asyncio
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="stakeeasy", description="StakeEasy, a poker bankroll manager.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("migrate", help="bring the database schema up to date")
    p.add_argument("revision", nargs="?", default="head")
    p = sub.add_parser("demo", help="create (or re-create) the demo account with a year of data")
    p.add_argument("--email", default="demo@stakeeasy.test")
    p.add_argument("--password", default="demo-password-2026")
    p.add_argument("--serve", action="store_true", help="start the server afterwards")
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
    args = parser.parse_args(argv)

    settings = Settings.from_env()
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
