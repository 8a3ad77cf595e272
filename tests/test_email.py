"""The e-mail module: a stored outbox in development and tests, Resend with retries in production."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select

from app.email import sending
from app.email.sending import Mailer
from app.models import EmailMessage
from tests.conftest import build_client, make_settings, sign_up

LINK_RE = re.compile(r"https?://[^/\s]+(/\S+)")


async def outbox(sessionmaker, to: str) -> list[EmailMessage]:
    """Messages stored for an address, oldest first."""
    async with sessionmaker() as session:
        result = await session.scalars(
            select(EmailMessage).where(EmailMessage.to_address == to).order_by(EmailMessage.id)
        )
        return list(result.all())


async def last_link(sessionmaker, to: str) -> str:
    """The path of the link in the newest message to `to`."""
    messages = await outbox(sessionmaker, to)
    assert messages, f"no e-mail to {to}"
    match = LINK_RE.search(messages[-1].text_body)
    assert match, messages[-1].text_body
    return match.group(1)


async def test_signing_up_stores_a_confirmation_e_mail_in_the_outbox(client, sessionmaker):
    email = await sign_up(client)
    messages = await outbox(sessionmaker, email)
    assert len(messages) == 1
    assert messages[0].status == "outbox" and messages[0].subject == "Confirm your e-mail address"
    assert "/confirm/" in messages[0].text_body and "/confirm/" in messages[0].html_body


async def test_the_outbox_page_exists_only_in_development(client, sessionmaker, limiter, settings):
    assert (await client.get("/dev/outbox")).status_code == 404
    development = make_settings(settings.database_url, environment="development")
    async with build_client(development, sessionmaker, limiter) as dev:
        email = await sign_up(dev)
        page = await dev.get("/dev/outbox")
    assert page.status_code == 200
    assert email in page.text and "Confirm your e-mail address" in page.text
    assert "Open link 1" in page.text


def _mailer(settings, sessionmaker) -> Mailer:
    resend_settings = make_settings(
        settings.database_url, email_backend="resend", resend_api_key="re_test_key"
    )
    return Mailer(resend_settings, sessionmaker)


async def test_resend_delivers_a_stored_message_and_records_its_id(settings, sessionmaker, monkeypatch):
    sent: list[dict] = []
    monkeypatch.setattr(sending.resend.Emails, "send", lambda params: sent.append(params) or {"id": "em_1"})
    mail = _mailer(settings, sessionmaker)
    async with sessionmaker() as session:
        message = await mail.send(
            session, to="r@example.com", subject="Hi", template="notice", context={"message": "Hello"}
        )
    await sending.drain()
    assert sent and sent[0]["to"] == ["r@example.com"] and "Hello" in sent[0]["text"]
    [stored] = await outbox(sessionmaker, "r@example.com")
    assert stored.id == message.id and stored.status == "sent" and stored.provider_id == "em_1"


async def test_a_failing_provider_is_retried_logged_and_kept_never_raised(
    settings, sessionmaker, monkeypatch, caplog
):
    calls = []

    def flaky(params):
        calls.append(params)
        if len(calls) < 3:
            raise ConnectionError("provider down")
        return {"id": "em_2"}

    monkeypatch.setattr(sending, "RETRY_DELAYS", (0, 0, 0))
    monkeypatch.setattr(sending.resend.Emails, "send", flaky)
    mail = _mailer(settings, sessionmaker)
    async with sessionmaker() as session:
        message = await mail.send(
            session, to="f@example.com", subject="Hi", template="notice", context={"message": "x"}
        )
    with caplog.at_level(logging.WARNING, logger="stakeeasy.email"):
        await sending.drain()
    [stored] = await outbox(sessionmaker, "f@example.com")
    assert len(calls) == 3 and stored.status == "sent" and stored.attempts == 3
    assert sum("provider down" in r.getMessage() for r in caplog.records) == 2
    assert message.id == stored.id


async def test_a_message_that_never_goes_out_is_marked_failed_with_the_error(
    settings, sessionmaker, monkeypatch, caplog
):
    def down(params):
        raise RuntimeError("invalid api key")

    monkeypatch.setattr(sending, "RETRY_DELAYS", (0, 0, 0))
    monkeypatch.setattr(sending.resend.Emails, "send", down)
    mail = _mailer(settings, sessionmaker)
    async with sessionmaker() as session:
        await mail.send(
            session, to="d@example.com", subject="Hi", template="notice", context={"message": "x"}
        )
    with caplog.at_level(logging.WARNING, logger="stakeeasy.email"):
        await sending.drain()
    [stored] = await outbox(sessionmaker, "d@example.com")
    assert stored.status == "failed" and stored.attempts == 4 and "invalid api key" in stored.last_error
    assert any(r.levelno == logging.ERROR for r in caplog.records)
    assert await mail.retry_unsent() >= 1  # still there to be sent again later
    await sending.drain()


async def test_a_provider_outage_never_shows_the_player_an_error(
    settings, sessionmaker, limiter, monkeypatch
):
    def down(params):
        raise RuntimeError("provider down")

    monkeypatch.setattr(sending, "RETRY_DELAYS", (0, 0, 0))
    monkeypatch.setattr(sending.resend.Emails, "send", down)
    resend_settings = make_settings(settings.database_url, email_backend="resend", resend_api_key="re_x")
    async with build_client(resend_settings, sessionmaker, limiter) as client:
        email = await sign_up(client)
        await sending.drain()
        assert (await client.get("/dashboard")).status_code == 200
    [stored] = await outbox(sessionmaker, email)
    assert stored.status == "failed"


@pytest.mark.parametrize("environment", ["production"])
def test_production_needs_a_resend_api_key(environment):
    settings = make_settings(
        "postgresql+psycopg://x/y", environment=environment, redis_url="redis://r", email_backend="resend"
    )
    assert any("RESEND_API_KEY" in problem for problem in settings.problems())
