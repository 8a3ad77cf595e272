"""The one way the app sends e-mail.

Every message is stored in `email_messages` first. With the outbox backend (development, tests) that
is all: nothing leaves the machine, and in development /dev/outbox lists the messages. With the
Resend backend the message is then delivered in the background, retried with a growing delay, and
every failure is logged and kept on the row, so a message is never lost silently and a failing
provider never becomes an error page for the player.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import anyio
import resend
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col
from starlette.requests import Request

from app.models import EmailMessage, utcnow
from app.settings import Settings
from app.templating import env

log = logging.getLogger("stakeeasy.email")

RETRY_DELAYS = (2.0, 10.0, 60.0)  # seconds before the 2nd, 3rd and 4th attempt
_deliveries: set[asyncio.Task[bool]] = set()


@dataclass(frozen=True)
class Mailer:
    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]

    def link(self, path: str) -> str:
        return self.settings.base_url + path

    async def send(
        self,
        session: AsyncSession,
        *,
        to: str,
        subject: str,
        template: str,
        context: dict[str, Any],
        user_id: int | None = None,
    ) -> EmailMessage:
        """Store the message (committing `session`) and, with Resend, deliver it in the background."""
        context = {"subject": subject, "base_url": self.settings.base_url, **context}
        message = EmailMessage(
            user_id=user_id,
            to_address=to,
            subject=subject,
            text_body=env.get_template(f"email/{template}.txt").render(context),
            html_body=env.get_template(f"email/{template}.html").render(context),
            status="outbox" if self.settings.email_backend == "outbox" else "pending",
        )
        session.add(message)
        await session.commit()
        if message.status == "pending":
            schedule(self, message.id)  # type: ignore[arg-type]
        return message

    async def deliver(self, message_id: int) -> bool:
        """Try to deliver a stored message, with retries; True once it is sent."""
        for attempt in range(len(RETRY_DELAYS) + 1):
            if attempt:
                await asyncio.sleep(RETRY_DELAYS[attempt - 1])
            async with self.sessionmaker() as session:
                message = await session.get(EmailMessage, message_id)
                if message is None or message.status == "sent":
                    return message is not None
                message.attempts += 1
                try:
                    result = await anyio.to_thread.run_sync(self._send_with_resend, message)
                except Exception as exc:  # any provider or network failure: keep it, log it, retry
                    last = attempt == len(RETRY_DELAYS)
                    message.status = "failed" if last else "pending"
                    message.last_error = f"{type(exc).__name__}: {exc}"[:500]
                    (log.error if last else log.warning)(
                        "e-mail %s to %s: attempt %d failed: %s",
                        message.id,
                        message.to_address,
                        message.attempts,
                        message.last_error,
                    )
                    await session.commit()
                    continue
                message.status = "sent"
                message.sent_at = utcnow()
                message.provider_id = str(result.get("id", ""))[:100] if isinstance(result, dict) else None
                await session.commit()
                return True
        return False

    def _send_with_resend(self, message: EmailMessage) -> Any:
        resend.api_key = self.settings.resend_api_key
        params: Any = {
            "from": self.settings.email_from,
            "to": [message.to_address],
            "subject": message.subject,
            "html": message.html_body,
            "text": message.text_body,
        }
        return resend.Emails.send(params)

    async def retry_unsent(self) -> int:
        """Deliver again every message still pending or failed (for a periodic job or after a restart)."""
        async with self.sessionmaker() as session:
            ids = (
                await session.scalars(
                    select(col(EmailMessage.id)).where(col(EmailMessage.status).in_(("pending", "failed")))
                )
            ).all()
        for message_id in ids:
            schedule(self, message_id)  # type: ignore[arg-type]
        return len(ids)


def mailer(request: Request) -> Mailer:
    return Mailer(request.app.state.settings, request.state["sessionmaker"])


def schedule(mailer: Mailer, message_id: int) -> None:
    task = asyncio.get_running_loop().create_task(mailer.deliver(message_id))
    _deliveries.add(task)  # keep a reference until it finishes
    task.add_done_callback(_deliveries.discard)


async def drain() -> None:
    """Wait for deliveries in flight (tests, and a graceful shutdown)."""
    while _deliveries:
        await asyncio.gather(*list(_deliveries), return_exceptions=True)
