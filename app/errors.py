"""Error pages (403/404/405/422/429/500): full pages, or for htmx the #flash region with the message."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from app import htmx
from app.templating import render
from app.web import LoginRequired, login_url

log = logging.getLogger("stakeeasy")

TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "That clashes with something else",
    413: "That is too large",
    422: "Please check the form",
    429: "Too many attempts",
    500: "Something went wrong",
}
MESSAGES = {
    404: "We couldn't find that page. It may have been deleted, or the link is wrong.",
    413: "What you sent is larger than we accept. Try a smaller file or less text.",
    429: "Too many attempts. Wait a minute and try again.",
    500: "Something went wrong on our side. Nothing you entered was lost; please try again.",
}


def error_response(request: Request, status: int, detail: str | None = None) -> Response:
    message = detail if detail and status not in (404, 500) else MESSAGES.get(status, detail or "")
    context = {"status": status, "title": TITLES.get(status, "Error"), "message": message}
    if htmx.is_htmx(request):
        # Shown in the flash region, so the element that made the request keeps what the user typed.
        response = render(
            request, "_flash.html", {**context, "flashes": [{"message": message, "kind": "error"}]}
        )
        response.status_code = status
        response.headers["HX-Retarget"] = "#flash"
        response.headers["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "errors/error.html", context, status_code=status)


async def http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    response = error_response(request, exc.status_code, exc.detail)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    url = login_url(exc.next_url)
    if htmx.is_htmx(request):
        return htmx.redirect(url)
    return RedirectResponse(url, status_code=303)


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500)


handlers = {HTTPException: http_exception, LoginRequired: login_required, 500: server_error}
