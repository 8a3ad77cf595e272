"""Sentry (optional, SENTRY_DSN): events leave without e-mail addresses or amounts — the scrubber on
sample events, then a route's error sent by the app to a local fake Sentry over HTTP."""

from __future__ import annotations

import gzip
import http.server
import json
import logging
import threading
import zlib
from collections.abc import Iterator
from decimal import Decimal

import httpx
import pytest
import sentry_sdk
from starlette.requests import Request
from starlette.routing import Route

from app import sentry
from app.main import create_app
from app.settings import Settings, describe
from tests.conftest import StateInjector, make_settings

EMAIL, AMOUNT = "alice.player@example.com", "1234.56"


def event_with_everything() -> dict:
    """An event as the SDK builds it, with a player's e-mail address and amounts in every place."""
    frame = {"filename": "app/flows/routes.py", "function": "create_deposit", "lineno": 42}
    return {
        "message": f"deposit of {AMOUNT} by {EMAIL}",
        "logentry": {"message": "deposit of %s by %s", "params": [AMOUNT, EMAIL]},
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": f"amount 1,234.56 too large for {EMAIL}",
                    "stacktrace": {"frames": [{**frame, "vars": {"email": EMAIL, "amount": AMOUNT}}]},
                }
            ]
        },
        "threads": {"values": [{"stacktrace": {"frames": [{**frame, "vars": {"x": EMAIL}}]}}]},
        "request": {
            "method": "POST",
            "url": f"http://testserver/deposits?email={EMAIL}",
            "query_string": f"email={EMAIL}&amount={AMOUNT}",
            "data": {"amount": AMOUNT, "email": EMAIL},
            "cookies": {"stakeeasy_session": "abc"},
            "headers": {"Cookie": "stakeeasy_session=abc", "Referer": f"http://x/?e={EMAIL}"},
            "env": {"REMOTE_ADDR": "203.0.113.7"},
        },
        "user": {"email": EMAIL, "ip_address": "203.0.113.7"},
        "extra": {"form": {"amount": AMOUNT}},
        "tags": {"who": EMAIL},
        "breadcrumbs": {
            "values": [
                {"category": "httpx", "message": f"GET /x?amount={AMOUNT}", "data": {"url": f"/?e={EMAIL}"}},
                {"category": "log", "message": f"balance saved, {AMOUNT} USD for {EMAIL}"},
            ]
        },
        "spans": [{"op": "db", "description": "SELECT ... WHERE amount = 1234.56", "data": {"p": AMOUNT}}],
        "transaction": "create_deposit",
    }


def leaks(event: object) -> list[str]:
    text = json.dumps(event)
    return [bit for bit in (EMAIL, "example.com", AMOUNT, "1,234.56", "1234") if bit in text]


def test_the_scrubber_leaves_no_email_address_or_amount_anywhere():
    event = sentry.scrub_event(event_with_everything(), {})  # type: ignore[arg-type]
    assert leaks(event) == []


def test_the_scrubber_drops_request_data_local_variables_and_breadcrumb_data():
    event = sentry.scrub_event(event_with_everything(), {})  # type: ignore[arg-type]
    assert event["request"] == {"method": "POST", "url": "http://testserver/deposits"}
    frame = event["exception"]["values"][0]["stacktrace"]["frames"][0]
    assert "vars" not in frame and frame["function"] == "create_deposit" and frame["lineno"] == 42
    assert "user" not in event and "extra" not in event
    assert all("data" not in crumb for crumb in event["breadcrumbs"]["values"])
    assert event["logentry"] == {"message": "deposit of %s by %s"}


def test_the_scrubber_keeps_what_finds_the_bug():
    event = sentry.scrub_event(event_with_everything(), {})  # type: ignore[arg-type]
    exception = event["exception"]["values"][0]
    assert exception["type"] == "ValueError"
    assert exception["value"] == "amount [number] too large for [email]"
    assert event["transaction"] == "create_deposit"


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("bob+poker@mail.example.co.uk sent 50", "[email] sent [number]"),
        ("Decimal('-0.00000001') BTC", "Decimal('-[number]') BTC"),
        ("1.234,56 € and 1 234 567", "[number] € and [number]"),
        ("no amounts here", "no amounts here"),
    ],
)
def test_messages_lose_email_addresses_and_numbers(text, scrubbed):
    assert sentry.scrub_text(text) == scrubbed


def test_check_masks_the_dsn_key_and_sentry_is_off_without_one():
    settings = Settings(sentry_dsn="https://abcdef0123456789@o42.ingest.sentry.io/7")
    shown = dict(describe(settings))["sentry_dsn"]
    assert shown == "https://***@o42.ingest.sentry.io/7"
    assert dict(describe(Settings()))["sentry_dsn"] == "(unset)"
    assert Settings.from_env({"SENTRY_DSN": ""}).sentry_dsn is None


def test_a_traces_sample_rate_outside_zero_to_one_is_refused():
    env = {"SENTRY_TRACES_SAMPLE_RATE": "5"}
    assert "SENTRY_TRACES_SAMPLE_RATE must be between 0 and 1." in Settings.from_env(env).problems()


class FakeSentry(http.server.BaseHTTPRequestHandler):
    """Sentry's envelope endpoint: keeps every body it is sent, decompressed."""

    received: list[bytes] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_sentry() -> Iterator[str]:
    FakeSentry.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeSentry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://publickey@127.0.0.1:{server.server_address[1]}/42"
    sentry_sdk.get_client().close(timeout=2)
    sentry_sdk.get_global_scope().set_client(None)  # the rest of the suite runs without Sentry
    server.shutdown()
    server.server_close()


async def explode(request: Request) -> None:
    """A route that fails with a player's e-mail address and an amount in its locals and message."""
    form = await request.form()
    email, amount = str(form["email"]), Decimal(str(form["amount"]))
    logging.getLogger("app.flows").warning("deposit of %s by %s", amount, email)
    raise ValueError(f"cannot record {amount} for {email}")


async def test_an_error_in_a_route_reaches_sentry_without_an_email_address_or_amount(
    fake_sentry, sessionmaker
):
    settings = make_settings("sqlite+aiosqlite://", sentry_dsn=fake_sentry, sentry_environment="ci")
    app = create_app(settings)
    app.router.routes.append(Route("/explode", explode, methods=["POST"]))
    state = {"sessionmaker": sessionmaker, "limiter": None, "engine": None, "cache": None}
    transport = httpx.ASGITransport(app=StateInjector(app, state), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.post(f"/explode?email={EMAIL}", data={"email": EMAIL, "amount": AMOUNT})
    assert response.status_code == 500
    assert sentry_sdk.get_client().should_send_default_pii() is False
    assert sentry_sdk.flush(timeout=5) is None
    events = [
        json.loads(line)
        for body in FakeSentry.received
        for line in body.splitlines()
        if line.startswith(b"{") and b'"exception"' in line
    ]
    assert events, f"no event reached the fake Sentry: {FakeSentry.received!r}"
    event = events[0]
    assert event["exception"]["values"][-1]["type"] == "ValueError"
    assert event["exception"]["values"][-1]["value"] == "cannot record [number] for [email]"
    assert event["environment"] == "ci"
    everything = b"".join(FakeSentry.received).decode()
    for secret in (EMAIL, "example.com", AMOUNT, "1234"):
        assert secret not in everything


def test_stakeeasy_check_shows_the_dsn_with_its_key_masked(monkeypatch, capsys):
    from app.cli import main

    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "STAKEEASY_ENV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STAKEEASY_ENV", "test")
    monkeypatch.setenv("SENTRY_DSN", "https://abcdef0123456789@o42.ingest.sentry.io/7")
    with pytest.raises(SystemExit):
        main(["check"])
    out = capsys.readouterr().out
    assert "abcdef0123456789" not in out and "https://***@o42.ingest.sentry.io/7" in out
