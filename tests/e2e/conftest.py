"""End-to-end fixtures: the real app served by uvicorn on a free port, driven by Chromium.

Chromium is the system one (/usr/bin/chromium) when present; otherwise Playwright's own browser,
installed on first use with `playwright install chromium`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from app.cli import migrate
from app.settings import BASE_DIR, Settings
from tests.conftest import _make_database

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 860}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# Counters live in the shared Redis and outlast a run: limits no journey reaches (the limits themselves
# are tested in tests/test_security_limits.py).
HIGH_LIMITS = {
    "LOGIN_RATE_LIMIT": "1000/minute",
    "SIGNUP_RATE_LIMIT": "1000/minute",
    "LOGIN_IP_RATE_LIMIT": "1000/minute",
    "EMAIL_RATE_LIMIT": "1000/minute",
    "TWO_FACTOR_RATE_LIMIT": "1000/minute",
    "POST_RATE_LIMIT": "100000/minute",
}


@contextmanager
def running_server(name: str, **env: str) -> Iterator[str]:
    """A uvicorn server on a fresh migrated database and a free port; yields its base URL.

    `env` adds to (or overrides) the test environment; "{base}" in a value becomes the server's URL.
    """
    url, drop = _make_database(name)
    migrate(Settings(database_url=url))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    settings = {
        **os.environ,
        "DATABASE_URL": url,
        "STAKEEASY_ENV": "test",
        "SECRET_KEY": f"{name}-secret-key-that-is-long-enough-0123456789",
        **HIGH_LIMITS,
        **{key: value.replace("{base}", base) for key, value in env.items()},
    }
    log = (Path(tempfile.gettempdir()) / f"stakeeasy-{name}-{os.getpid()}.log").open("w")
    command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--host", "127.0.0.1"]
    server = subprocess.Popen(  # noqa: S603
        [*command, "--port", str(port), "--log-level", "warning"],
        cwd=BASE_DIR,
        env=settings,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.1)
        else:
            server.kill()
            raise RuntimeError(f"the test server did not start; see {log.name}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
        drop()


@pytest.fixture(scope="package")
def live_server() -> Iterator[str]:
    with running_server("e2e") as base:
        yield base


def _executable() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    return None


# Package scope: Playwright's sync API runs its own event loop in this thread, so it must be stopped
# before pytest-asyncio's session loop is torn down (the e2e tests run last, see tests/conftest.py).
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    executable = _executable()
    if executable is None:  # a developer machine without a system Chromium: use Playwright's own
        subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=True)
    browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


def _context(browser: Browser, base_url: str, **options: object) -> BrowserContext:
    context = browser.new_context(base_url=base_url, **options)  # type: ignore[arg-type]
    context.set_default_timeout(10_000)
    return context


@pytest.fixture(params=["desktop", "phone"])
def page(request: pytest.FixtureRequest, browser: Browser, live_server: str) -> Iterator[Page]:
    """A fresh browser profile, once at desktop size and once at 360 px wide with touch."""
    if request.param == "phone":
        context = _context(browser, live_server, viewport=PHONE, has_touch=True, is_mobile=True)
    else:
        context = _context(browser, live_server, viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def on_console(msg) -> None:  # type: ignore[no-untyped-def]
        # A 4xx answer (a 422 re-rendering a form) is expected; script errors and CSP refusals are not.
        if msg.type == "error" and "the server responded with a status of 4" not in msg.text:
            errors.append(msg.text)

    page.on("console", on_console)
    yield page
    context.close()
    assert not errors, f"browser errors: {errors}"


@pytest.fixture
def nojs_page(browser: Browser, live_server: str) -> Iterator[Page]:
    context = _context(browser, live_server, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()
