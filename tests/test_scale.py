"""Horizontal scale: two app processes on different ports, one database and one Redis.

A session made on one instance works on the other (sessions live in signed cookies, not in a process),
and a rate limit counted on one applies on the other (counters live in Redis).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from app.settings import BASE_DIR

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def two_instances(database_url: str) -> Iterator[tuple[str, str]]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "STAKEEASY_ENV": "test",
        "SECRET_KEY": "scale-secret-key-that-is-long-enough-0123456789",
        "LOGIN_RATE_LIMIT": "3/minute",
        "LOGIN_IP_RATE_LIMIT": "1000/minute",
        "SIGNUP_RATE_LIMIT": "1000/minute",
    }
    ports = [_free_port(), _free_port()]
    servers = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.main:create_app",
                "--factory",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port in ports:
            for _ in range(200):
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.05)
            else:
                pytest.fail(f"instance on port {port} did not start")
        yield (f"http://127.0.0.1:{ports[0]}", f"http://127.0.0.1:{ports[1]}")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


def test_a_session_made_on_one_instance_works_on_the_other(two_instances):
    a, b = two_instances
    email = f"scale-{uuid.uuid4().hex[:8]}@example.com"
    with httpx.Client() as browser:
        token = CSRF_RE.search(browser.get(f"{a}/signup").text).group(1)
        data = {"csrf_token": token, "email": email, "password": "scale-test-password-42"}
        data |= {"display_currency": "USD", "locale": "en_US"}
        assert browser.post(f"{a}/signup", data=data).status_code == 303
        page = browser.get(f"{b}/dashboard")  # the same cookie, the other process
        assert page.status_code == 200 and "Log out" in page.text


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="shared rate limits need Redis")
def test_a_rate_limit_counted_on_one_instance_applies_on_the_other(two_instances):
    a, b = two_instances
    email = f"limited-{uuid.uuid4().hex[:8]}@example.com"
    with httpx.Client() as browser:
        for _ in range(3):
            token = CSRF_RE.search(browser.get(f"{a}/login").text).group(1)
            wrong = {"csrf_token": token, "email": email, "password": "not-the-password-123"}
            assert browser.post(f"{a}/login", data=wrong).status_code in (401, 422)
        token = CSRF_RE.search(browser.get(f"{b}/login").text).group(1)
        refused = browser.post(f"{b}/login", data={**wrong, "csrf_token": token})
    assert refused.status_code == 429 and "retry-after" in refused.headers
