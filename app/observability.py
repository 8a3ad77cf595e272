"""Structured request logs, a request id on every response, and Prometheus metrics.

Logs and metrics name the route (the endpoint's name), never the URL with its ids, and carry the
user id but never an e-mail address or an amount.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import sys
import time
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client import multiprocess as prometheus_multiprocess
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.settings import Settings

log = logging.getLogger("stakeeasy.request")
REQUEST_ID_HEADERS = (b"fly-request-id", b"x-request-id")
SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

REQUESTS = Counter("stakeeasy_requests", "HTTP requests answered", ["route", "method", "status"])
LATENCY = Histogram(
    "stakeeasy_request_duration_seconds",
    "Time from request to the end of the response",
    ["route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the record's extra fields, the traceback."""

    FIELDS = ("request_id", "method", "route", "status", "duration_ms", "user_id")

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update({key: getattr(record, key) for key in self.FIELDS if hasattr(record, key)})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(settings: Settings) -> None:
    """JSON lines on stdout in production (the platform collects them); readable text elsewhere."""
    handler = logging.StreamHandler(sys.stdout)
    if settings.production:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("stakeeasy")
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING if settings.environment == "test" else logging.INFO)
    root.propagate = False
    logging.getLogger("app").handlers[:] = [handler]


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name in REQUEST_ID_HEADERS:
            text = value.decode("latin-1")
            if SAFE_ID.match(text):
                return text
    return secrets.token_hex(8)


class RequestLogMiddleware:
    """Gives every request an id (the proxy's, when it sends a sane one), echoes it as X-Request-Id,
    and logs and counts the request once its response has been sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        scope.setdefault("state", {})
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            endpoint = scope.get("endpoint")
            route = getattr(endpoint, "__name__", None) or (
                "static" if scope["path"].startswith("/static/") else "other"
            )
            user = scope.get("user")
            REQUESTS.labels(route, scope["method"], str(status)).inc()
            LATENCY.labels(route).observe(elapsed)
            if route != "static":
                log.info(
                    "request",
                    extra={
                        "request_id": request_id,
                        "method": scope["method"],
                        "route": route,
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 2),
                        "user_id": getattr(user, "id", None),
                    },
                )


def _registry() -> CollectorRegistry | None:
    """With several worker processes, every worker's numbers are summed from the shared directory."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)
        return registry
    return None


async def show_metrics(request: Request) -> Response:
    """Prometheus metrics; only with `Authorization: Bearer <METRICS_TOKEN>`, and 404 when no token is set."""
    token: str | None = request.app.state.settings.metrics_token
    offered = request.headers.get("authorization", "")
    if not token:
        return PlainTextResponse("Not Found", status_code=404)
    if not secrets.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return PlainTextResponse("Unauthorized", status_code=401, headers={"WWW-Authenticate": "Bearer"})
    registry = _registry()
    body = generate_latest(registry) if registry is not None else generate_latest()
    return Response(body, media_type=CONTENT_TYPE_LATEST)
