"""Public pages and the platform's health checks."""

from __future__ import annotations

import dataclasses

from tests.conftest import build_client


async def test_liveness_answers_without_touching_the_database(client):
    response = await client.get("/healthz")
    assert response.status_code == 200 and response.text == "ok"


async def test_readiness_checks_the_database_and_redis(client, settings):
    response = await client.get("/readyz")
    assert response.status_code == 200 and response.text == "ready", response.text


async def test_readiness_fails_when_redis_is_unreachable(settings, sessionmaker, limiter):
    broken = dataclasses.replace(settings, redis_url="redis://127.0.0.1:1/0")
    async with build_client(broken, sessionmaker, limiter) as client:
        response = await client.get("/readyz")
    assert response.status_code == 503 and response.text == "not ready: redis"


async def test_a_visitor_gets_the_landing_page_and_a_player_the_dashboard(client, player):
    response = await client.get("/")
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
