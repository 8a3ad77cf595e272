"""Every API error in one JSON shape: {"error": {"code", "message", "fields"?}}."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "validation_error",
    429: "rate_limited",
    500: "server_error",
}
MESSAGES = {
    400: "The request could not be read.",
    401: "Send a valid API token: Authorization: Bearer se_…",
    403: "This token may not do that.",
    404: "Not found.",
    405: "That method is not allowed here.",
    413: "The request body is too large.",
    422: "Some fields are not valid.",
    429: "Too many requests for this token. Wait and try again.",
    500: "Something went wrong on our side. Please try again.",
}


class ApiError(Exception):
    """Raised by API handlers; answered with the JSON error shape."""

    def __init__(
        self,
        status: int,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message or MESSAGES.get(status, "Error.")
        self.fields = fields
        self.headers = headers


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def api_error_response(error: ApiError) -> Response:
    headers = dict(error.headers or {})
    if error.status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="stakeeasy"')
    return JSONResponse(
        error_body(error.code, error.message, error.fields), status_code=error.status, headers=headers
    )


async def api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return api_error_response(exc)


async def http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 (no such route or method) and 429s raised by the limiter, as JSON."""
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    message = MESSAGES.get(status) if status in (404, 405, 429, 500) else (exc.detail or None)
    return api_error_response(ApiError(status, message, headers=dict(exc.headers or {})))


async def server_error(request: Request, exc: Exception) -> Response:
    """The JSON 500; the exception goes on to the app's own handler, which logs it once."""
    return api_error_response(ApiError(500))


handlers = {ApiError: api_error, HTTPException: http_exception, 500: server_error}
