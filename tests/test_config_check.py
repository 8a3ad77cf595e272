"""`stakeeasy check`: the effective configuration with secrets masked, and the production safety rails."""

from __future__ import annotations

import pytest

from app.cli import main

STRONG = "k" * 48


def run_check(monkeypatch, capsys, **env: str) -> tuple[int, str]:
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "RESEND_API_KEY", "METRICS_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as exit_info:
        main(["check"])
    return int(exit_info.value.code or 0), capsys.readouterr().out


def test_check_masks_every_secret_and_password(monkeypatch, capsys):
    code, out = run_check(
        monkeypatch,
        capsys,
        STAKEEASY_ENV="production",
        DATABASE_URL="postgresql://app:hunter2-db@db.internal/stakeeasy",
        REDIS_URL="redis://:redis-pass@cache.internal:6379/0",
        SECRET_KEY=STRONG,
        RESEND_API_KEY="re_live_secret",
        METRICS_TOKEN="metrics-token-value",
    )
    assert code == 0 and out.rstrip().endswith("OK")
    for secret in ("hunter2-db", "redis-pass", STRONG, "re_live_secret", "metrics-token-value"):
        assert secret not in out
    assert "postgresql+psycopg://app:***@db.internal/stakeeasy" in out


def test_check_names_each_setting_that_would_stop_production(monkeypatch, capsys):
    code, out = run_check(
        monkeypatch, capsys, STAKEEASY_ENV="production", DATABASE_URL="sqlite:///x.db", SECRET_KEY="short"
    )
    assert code == 1
    assert "SECRET_KEY" in out and "REDIS_URL" in out and "SQLite" in out
