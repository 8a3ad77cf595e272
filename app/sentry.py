"""Optional error reporting to Sentry, on only when SENTRY_DSN is set.

A player's e-mail address and amounts never leave: no personal data by default, no request bodies,
query strings, cookies or headers, no local variables, no breadcrumb data; what text remains (exception
messages, log messages, breadcrumb messages, span descriptions) has anything that looks like an e-mail
address or a number replaced. What is left is enough to find a bug: the exception type, the stack
trace's files, functions and lines, the route, the request method and path.
"""

from __future__ import annotations

import re
from typing import Any, cast

import sentry_sdk
from sentry_sdk.types import Event, Hint

from app.settings import Settings

EMAIL = re.compile(r"[^\s@<>\"'(),;:\[\]]+@[^\s@<>\"'(),;:\[\]]+\.[A-Za-z]{2,}")
NUMBER = re.compile(r"\d+(?:[.,'_ ]\d+)*")
# The parts of a request kept: nothing a player typed or that identifies them.
REQUEST_KEPT = ("method", "url")


def scrub_text(text: str) -> str:
    """E-mail addresses and numbers (amounts, whatever their format) replaced."""
    return NUMBER.sub("[number]", EMAIL.sub("[email]", text))


def _emails_out(value: Any) -> Any:
    """Every string anywhere in `value` with its e-mail addresses replaced (the last safety net)."""
    if isinstance(value, str):
        return EMAIL.sub("[email]", value)
    if isinstance(value, dict):
        return {key: _emails_out(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_emails_out(item) for item in value]
    return value


def _frames(container: dict[str, Any] | None) -> None:
    """Local variables out of every stack frame of an exception or a thread."""
    for frame in ((container or {}).get("stacktrace") or {}).get("frames") or []:
        frame.pop("vars", None)


def scrub_breadcrumb(crumb: dict[str, Any], hint: Hint | None = None) -> dict[str, Any]:
    crumb.pop("data", None)  # HTTP breadcrumbs carry URLs with query strings, log ones their arguments
    if isinstance(crumb.get("message"), str):
        crumb["message"] = scrub_text(crumb["message"])
    return crumb


def scrub_event(event: Event, hint: Hint | None = None) -> Event:
    """The before_send (and before_send_transaction) hook: the event with no e-mail address or amount."""
    data = cast(dict[str, Any], event)  # plain JSON here: the SDK's TypedDict admits annotated values
    request = data.get("request")
    if isinstance(request, dict):
        kept = {key: request[key] for key in REQUEST_KEPT if key in request}
        if isinstance(kept.get("url"), str):
            kept["url"] = scrub_text(kept["url"].split("?", 1)[0])
        data["request"] = kept
    for name in ("extra", "user"):
        data.pop(name, None)
    for exception in (data.get("exception") or {}).get("values") or []:
        if isinstance(exception.get("value"), str):
            exception["value"] = scrub_text(exception["value"])
        _frames(exception)
    for thread in (data.get("threads") or {}).get("values") or []:
        _frames(thread)
    logentry = data.get("logentry")
    if isinstance(logentry, dict):
        text = logentry.get("formatted") or logentry.get("message") or ""
        data["logentry"] = {"message": scrub_text(str(text))}
    if isinstance(data.get("message"), str):
        data["message"] = scrub_text(data["message"])
    crumbs = data.get("breadcrumbs")
    values = crumbs.get("values") if isinstance(crumbs, dict) else crumbs
    for crumb in values or []:
        scrub_breadcrumb(crumb)
    for span in data.get("spans") or []:
        span.pop("data", None)
        if isinstance(span.get("description"), str):
            span["description"] = scrub_text(span["description"])
    return cast(Event, _emails_out(data))


def init(settings: Settings, **options: Any) -> None:
    """Start reporting (call once, from create_app, only when settings.sentry_dsn is set)."""
    sentry_sdk.init(
        dsn=settings.sentry_dsn,
        environment=settings.sentry_environment or settings.environment,
        traces_sample_rate=settings.sentry_traces_sample_rate,
        # What send_default_pii=False meant, made strict (data_collection supersedes that deprecated
        # flag): no user, cookies, headers, query strings, bodies, SQL parameters or local variables.
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "off"}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "graphql": {"document": False, "variables": False},
            "gen_ai": {"inputs": False, "outputs": False},
            "database_query_data": False,
            "queues": False,
            "stack_frame_variables": False,
        },
        max_request_body_size="never",
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        before_breadcrumb=scrub_breadcrumb,  # type: ignore[arg-type]
        **options,
    )
