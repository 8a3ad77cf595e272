"""What the htmx request headers say, and one-header response helpers."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def is_partial(request: Request) -> bool:
    """True when htmx asks for one region: not a boosted page load and not a history restore."""
    return (
        is_htmx(request)
        and request.headers.get("hx-boosted") != "true"
        and request.headers.get("hx-history-restore-request") != "true"
        and request.headers.get("hx-request-type") != "full"
    )


def target_id(request: Request) -> str | None:
    """The id of the element htmx will swap into (htmx 4 sends "tag#id")."""
    target = request.headers.get("hx-target") or ""
    if "#" not in target:
        return None
    return target.split("#", 1)[1] or None


def block_for(request: Request, *allowed: str) -> str | None:
    """The template block for the requested region, when it is one of `allowed` (block names)."""
    if not is_partial(request):
        return None
    wanted = (target_id(request) or "").replace("-", "_")
    return wanted if wanted in allowed else None


def redirect(url: str) -> Response:
    """Full-page navigation after an htmx mutation (never a 3xx, which fetch would follow)."""
    return Response(status_code=204, headers={"HX-Redirect": url})


def location(url: str, **spec: Any) -> Response:
    """Navigate with htmx (no full reload) after a mutation."""
    value = json.dumps({"path": url, **spec}) if spec else url
    return Response(status_code=204, headers={"HX-Location": value})


def trigger(response: Response, event: str, detail: Any = None) -> Response:
    response.headers["HX-Trigger"] = json.dumps({event: detail}) if detail is not None else event
    return response
