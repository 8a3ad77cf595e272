"""What an API operation is (method, path, scope, schemas, examples) and the one wrapper that runs it.

Each handler in routes.py is declared next to it as an Operation; the same list makes the routes, the
OpenAPI document (openapi.py) and the docs page, so they cannot drift apart. The wrapper authenticates
the bearer token (never a cookie), applies the per-token rate limit and the scope, and hands the
handler a Call: the request, a database session, the token's player and the token.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from app.api import schemas, tokens
from app.api.errors import ApiError
from app.models import ApiToken, User
from app.web import db, limiter, settings

BEARER_RE = re.compile(r"Bearer\s+(\S+)\s*", re.IGNORECASE)


@dataclass
class Call:
    request: Request
    session: AsyncSession
    user: User
    token: ApiToken

    @property
    def user_id(self) -> int:
        assert self.user.id is not None
        return self.user.id


Handler = Callable[[Call], Awaitable[Response]]


@dataclass(frozen=True)
class Param:
    name: str
    where: str  # path | query
    schema: schemas.Schema
    description: str
    required: bool = False


PAGE_PARAMS = (
    Param(
        "limit", "query", {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}, "Rows per page."
    ),
    Param("cursor", "query", {"type": "string"}, "next_cursor of the previous page."),
)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # below /api/v1, with Starlette convertors: /holdings/{holding_id:int}/entries
    handler: Handler
    summary: str
    response: str  # a schema name in schemas.COMPONENTS
    tag: str
    description: str = ""
    status: int = 200
    write: bool = False
    body: str | None = None  # the request body's schema name
    params: tuple[Param, ...] = ()
    example_body: dict[str, Any] | None = None
    example: Any = None  # an example response body
    errors: tuple[int, ...] = field(default=())  # beyond 401/403/429, which every operation can answer

    @property
    def name(self) -> str:
        return self.handler.__name__

    @property
    def doc_path(self) -> str:
        """The path as OpenAPI writes it: /holdings/{holding_id}/entries."""
        return re.sub(r"\{(\w+):\w+\}", r"{\1}", self.path)

    @property
    def scope(self) -> str:
        return "write" if self.write else "read"


def bearer(request: Request) -> str | None:
    match = BEARER_RE.fullmatch(request.headers.get("authorization", ""))
    return match.group(1) if match else None


def endpoint(operation: Operation) -> Callable[[Request], Awaitable[Response]]:
    """The Starlette endpoint of an operation: token, rate limit, scope, then the handler."""

    async def run(request: Request) -> Response:
        secret = bearer(request)
        async with db(request) as session:
            found = await tokens.authenticate(session, secret) if secret else None
            if found is None:
                raise ApiError(401)
            token, user = found
            request.scope["user"] = user  # for the request log (its id only)
            rate, keys = settings(request).api_rate, ("api", token.token_hash[:32])
            if not await limiter(request).hit(rate, *keys):
                retry = await limiter(request).retry_after(rate, *keys)
                raise ApiError(429, headers={"Retry-After": str(retry)})
            if operation.write and token.scope != "write":
                message = "This token can only read. Create a read and write token to make changes."
                raise ApiError(403, message, code="insufficient_scope")
            await tokens.touch(session, token)
            return await operation.handler(Call(request, session, user, token))

    run.__name__ = f"api_{operation.name}"  # logs and metrics tell it from the page of the same name
    run.__doc__ = operation.handler.__doc__
    return run
