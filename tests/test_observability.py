"""Request ids, structured request logs and the metrics endpoint."""

from __future__ import annotations

import dataclasses
import json
import logging

from app.observability import JsonFormatter
from tests.conftest import build_client


async def test_every_response_carries_a_request_id_taken_from_the_proxy_when_sane(client):
    generated = await client.get("/healthz")
    assert len(generated.headers["x-request-id"]) == 16
    given = await client.get("/healthz", headers={"Fly-Request-Id": "01J-abc.123"})
    assert given.headers["x-request-id"] == "01J-abc.123"
    hostile = await client.get("/healthz", headers={"X-Request-Id": "a b\tc<script>"})
    assert hostile.headers["x-request-id"] != "a b\tc<script>"


async def test_a_request_is_logged_once_as_json_with_route_status_and_user_but_no_email(
    client, player, caplog
):
    with caplog.at_level(logging.INFO, logger="stakeeasy.request"):
        caplog.clear()
        await client.get("/dashboard", headers={"X-Request-Id": "req-42"})
    records = [r for r in caplog.records if r.name == "stakeeasy.request"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["msg"] == "request" and line["route"] == "show_dashboard" and line["status"] == 200
    assert line["request_id"] == "req-42" and isinstance(line["user_id"], int) and line["duration_ms"] >= 0
    assert player not in json.dumps(line)


async def test_metrics_need_the_configured_token(client, settings, sessionmaker, limiter):
    assert (await client.get("/metrics")).status_code == 404  # no token configured: no endpoint
    with_token = dataclasses.replace(settings, metrics_token="m" * 32)
    async with build_client(with_token, sessionmaker, limiter) as metrics_client:
        await metrics_client.get("/")
        assert (await metrics_client.get("/metrics")).status_code == 401
        wrong = await metrics_client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        response = await metrics_client.get("/metrics", headers={"Authorization": "Bearer " + "m" * 32})
    assert response.status_code == 200
    assert 'stakeeasy_requests_total{method="GET",route="show_home",status="200"}' in response.text
    assert "stakeeasy_request_duration_seconds_bucket" in response.text
