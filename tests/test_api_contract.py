"""The OpenAPI document stays true: it lists every API route; every documented operation, called on
real data, answers with its documented status and a body its schema accepts (errors too); every example
in the document matches its schema; the docs page lists every operation."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select
from starlette.routing import Mount, Route

from app.api import schemas
from app.api.routes import OPERATIONS
from app.main import create_app
from app.models import Holding, PokerSession, User
from tests.conftest import Poster, build_client

DOC = "urn:stakeeasy:openapi"
FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _instant(value: object) -> bool:
    """ISO 8601 with an offset (jsonschema checks date-time only with an extra package)."""
    return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None


SECRET_RE = re.compile(r'id="new-token" type="text" readonly value="(se_[A-Za-z0-9_-]+)"')


def validator(document: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    """A validator for `schema` whose #/components/... references resolve inside the document."""
    resource = Resource.from_contents(document, default_specification=DRAFT202012)
    registry = Registry().with_resource(DOC, resource)
    rebased = {"$ref": DOC + schema["$ref"]} if "$ref" in schema else schema
    return Draft202012Validator(rebased, registry=registry, format_checker=FORMATS)


def check(document: dict[str, Any], schema: dict[str, Any], body: Any, what: str) -> None:
    errors = sorted(validator(document, schema).iter_errors(body), key=lambda e: list(e.path))
    assert not errors, f"{what}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_the_schema_check_notices_a_wrong_body():
    """The helper above must be able to fail: a float amount, a time without offset, an extra field."""
    document = {"components": {"schemas": schemas.COMPONENTS}}
    good = {
        "id": 1,
        "holding_id": 2,
        "recorded_at": "2026-12-01T18:30:00Z",
        "balance": {"amount": "1.00", "currency": "USD"},
        "note": None,
        "created_at": "2026-12-01T18:30:00Z",
    }
    check(document, {"$ref": "#/components/schemas/BalanceEntry"}, good, "good")
    for wrong in (
        {**good, "balance": {"amount": 1.0, "currency": "USD"}},
        {**good, "recorded_at": "2026-12-01T18:30:00"},
        {**good, "extra": 1},
    ):
        with pytest.raises(AssertionError):
            check(document, {"$ref": "#/components/schemas/BalanceEntry"}, wrong, "wrong")


def responses(document: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    return document["paths"][path][method.lower()]["responses"]


def schema_for(document: dict[str, Any], method: str, path: str, status: int) -> dict[str, Any]:
    found = responses(document, method, path).get(str(status))
    assert found is not None, f"{method} {path} answered {status}, which its documentation does not list"
    return found["content"]["application/json"]["schema"]


async def token_for(post: Poster, scope: str) -> str:
    response = await post.form(
        "/settings/tokens", {"name": f"Contract {uuid.uuid4().hex[:4]}", "scope": scope}
    )
    match = SECRET_RE.search(response.text)
    assert match
    return match.group(1)


async def seed(post: Poster, sessionmaker, email: str) -> int:
    """A player with a site, an asset, history, flows and sessions (a finished and a running one)."""
    for path, data in (
        ("/sites", {"name": "PokerStars", "currency": "USD", "balance": "100"}),
        ("/assets", {"name": "Wallet", "currency": "BTC", "balance": "0.015", "category": "crypto"}),
        ("/deposits", {"occurred_at": "2026-02-01", "amount": "250", "currency": "EUR"}),
        ("/withdrawals", {"occurred_at": "2026-02-03", "amount": "40", "currency": "USD"}),
    ):
        assert (await post.form(path, data)).status_code == 303
    async with sessionmaker() as session:
        user = (await session.execute(select(User).where(User.email == email))).scalar_one()
        holding = (
            await session.execute(
                select(Holding).where(Holding.name == "PokerStars", Holding.user_id == user.id)
            )
        ).scalar_one()
        await post.form(f"/holdings/{holding.id}/balance", {"balance": "180.5"})
        now = datetime.now(UTC)
        session.add_all(
            [
                PokerSession(
                    user_id=user.id,
                    game="NLH",
                    format="MTT",
                    holding_id=holding.id,
                    currency="USD",
                    buy_in=Decimal(10),
                    fee=Decimal(1),
                    cash_out=Decimal(0),
                    started_at=now - timedelta(hours=5),
                    ended_at=now - timedelta(hours=2),
                    hands=300,
                ),
                PokerSession(user_id=user.id, game="PLO", format="cash", currency="USD", started_at=now),
            ]
        )
        await session.commit()
        return holding.id  # type: ignore[return-value]


@pytest.fixture
async def bare_api(settings, sessionmaker, limiter):
    """A client without cookies, as a script is."""
    async with build_client(settings, sessionmaker, limiter) as client:
        yield client


def test_the_document_lists_every_api_route_and_nothing_else(settings):
    app = create_app(settings)
    mount = next(r for r in app.routes if isinstance(r, Mount) and r.path == "/api/v1")
    served = {
        (method, re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path))
        for route in mount.routes
        if isinstance(route, Route) and route.path != "/openapi.json"
        for method in route.methods or ()
        if method != "HEAD"
    }
    documented = {(op.method, op.doc_path) for op in OPERATIONS}
    assert served == documented
    assert len({op.name for op in OPERATIONS}) == len(OPERATIONS)


async def test_every_documented_operation_answers_as_documented(
    client, player, post, other_client, other_player, other_post, bare_api, sessionmaker
):
    holding = await seed(post, sessionmaker, player)
    theirs = await seed(other_post, sessionmaker, other_player)
    writer, reader = await token_for(post, "write"), await token_for(post, "read")
    document = (await bare_api.get("/api/v1/openapi.json")).json()
    assert document["openapi"] == "3.1.0"
    bodies = {
        "create_entry": {"balance": "200.25", "note": "contract"},
        "create_deposit": {"amount": "12.50", "currency": "EUR", "holding_id": holding},
        "create_withdrawal": {"amount": "5", "currency": "USD", "holding_id": holding, "new_balance": "190"},
    }
    called = set()
    for op in OPERATIONS:
        path = "/api/v1" + op.doc_path.replace("{holding_id}", str(holding))
        other = "/api/v1" + op.doc_path.replace("{holding_id}", str(theirs))
        body = bodies.get(op.name)
        send = {"json": body} if op.method == "POST" else {}
        headers = {"Authorization": f"Bearer {writer}"}
        response = await bare_api.request(op.method, path, headers=headers, **send)
        assert response.status_code == op.status, f"{op.name}: {response.status_code} {response.text}"
        check(document, schema_for(document, op.method, op.doc_path, op.status), response.json(), op.name)
        if op.method == "POST":  # again with an Idempotency-Key: 201, then the documented 200 replay
            keyed = {**headers, "Idempotency-Key": f"contract-{op.name}"}
            for status in (201, 200):
                again = await bare_api.request(op.method, path, headers=keyed, **send)
                assert again.status_code == status, again.text
                check(document, schema_for(document, op.method, op.doc_path, status), again.json(), op.name)
            bad = await bare_api.request(op.method, path, headers=headers, json={"nope": "1"})
            assert bad.status_code == 422
            check(document, schema_for(document, op.method, op.doc_path, 422), bad.json(), op.name)
            refused = await bare_api.request(
                op.method, path, headers={"Authorization": f"Bearer {reader}"}, **send
            )
            assert refused.status_code == 403
            check(document, schema_for(document, op.method, op.doc_path, 403), refused.json(), op.name)
        if "{holding_id}" in op.doc_path:  # another player's id: the documented 404
            missing = await bare_api.request(op.method, other, headers=headers, **send)
            assert missing.status_code == 404, f"{op.name} reached another player's holding"
            check(document, schema_for(document, op.method, op.doc_path, 404), missing.json(), op.name)
        if any(p.name == "cursor" for p in op.params):  # a second page, through the cursor
            first = await bare_api.get(path, params={"limit": "1"}, headers=headers)
            check(document, schema_for(document, "GET", op.doc_path, 200), first.json(), op.name)
            cursor = first.json()["next_cursor"]
            if cursor:
                second = await bare_api.get(path, params={"limit": "1", "cursor": cursor}, headers=headers)
                check(document, schema_for(document, "GET", op.doc_path, 200), second.json(), op.name)
                assert second.json()["data"] != first.json()["data"]
            bad_cursor = await bare_api.get(path, params={"cursor": "x"}, headers=headers)
            assert bad_cursor.status_code == 400
            check(document, schema_for(document, "GET", op.doc_path, 400), bad_cursor.json(), op.name)
        unauthorised = await bare_api.request(op.method, path, **send)
        assert unauthorised.status_code == 401
        check(document, schema_for(document, op.method, op.doc_path, 401), unauthorised.json(), op.name)
        called.add(op.name)
    assert called == {op.name for op in OPERATIONS}
    counts = {
        op.name: len((await bare_api.get("/api/v1" + op.doc_path, headers=headers)).json()["data"])
        for op in OPERATIONS
        if op.name in ("list_sites", "list_assets", "list_sessions")
    }
    assert counts == {"list_sites": 1, "list_assets": 1, "list_sessions": 2}


async def test_every_example_in_the_document_matches_its_schema(bare_api):
    document = (await bare_api.get("/api/v1/openapi.json")).json()
    seen = 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, answer in operation["responses"].items():
                content = answer["content"]["application/json"]
                if "example" in content:
                    check(document, content["schema"], content["example"], f"{method} {path} {status}")
                    seen += 1
            if "requestBody" in operation:
                content = operation["requestBody"]["content"]["application/json"]
                check(document, content["schema"], content["example"], f"{method} {path} body")
                seen += 1
    assert seen >= len(OPERATIONS)


async def test_the_docs_page_lists_every_operation_and_how_to_get_a_token(bare_api):
    page = await bare_api.get("/api")
    assert page.status_code == 200
    for op in OPERATIONS:
        assert f"{op.method} {op.doc_path}" in page.text
    assert "/settings/tokens" in page.text and "Authorization: Bearer" in page.text
    assert "<script" not in page.text.split("</head>")[1]  # no inline or extra scripts in the body
    assert "next_cursor" in page.text and "validation_error" in page.text
