"""Typed settings read from the environment (every variable is listed in the README)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{BASE_DIR / 'stakeeasy.db'}"
DEV_SECRET_FILE = BASE_DIR / ".secret_key"


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _dev_secret() -> str:
    """A random key kept in a local file, so a development server keeps its sessions across restarts."""
    if DEV_SECRET_FILE.exists():
        return DEV_SECRET_FILE.read_text().strip()
    key = secrets.token_urlsafe(48)
    DEV_SECRET_FILE.write_text(key)
    return key


def normalise_database_url(url: str) -> str:
    """Accept the plain postgres:// URLs platforms hand out and use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if url.startswith("sqlite://") and not url.startswith("sqlite+aiosqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url


@dataclass(frozen=True)
class Settings:
    environment: str = "development"  # development | test | production
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = ""
    redis_url: str | None = None
    base_url: str = "http://127.0.0.1:8000"
    session_cookie: str = "stakeeasy_session"
    session_days: int = 30  # lifetime of a "remember me" session
    session_hours: int = 12  # lifetime of a browser session without "remember me"
    login_rate: str = "10/minute"
    signup_rate: str = "5/minute"
    trusted_hosts: tuple[str, ...] = field(default_factory=tuple)
    log_sql: bool = False

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        environment = env.get("STAKEEASY_ENV", "development")
        secret = env.get("SECRET_KEY", "")
        if not secret and environment != "production":
            secret = _dev_secret() if environment == "development" else "test-secret-key-not-for-production"
        hosts = tuple(h.strip() for h in env.get("TRUSTED_HOSTS", "").split(",") if h.strip())
        return cls(
            environment=environment,
            database_url=normalise_database_url(env.get("DATABASE_URL") or DEFAULT_DATABASE_URL),
            secret_key=secret,
            redis_url=env.get("REDIS_URL") or None,
            base_url=env.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
            login_rate=env.get("LOGIN_RATE_LIMIT", "10/minute"),
            signup_rate=env.get("SIGNUP_RATE_LIMIT", "5/minute"),
            trusted_hosts=hosts,
            log_sql=_bool(env.get("LOG_SQL"), False),
        )

    def problems(self) -> list[str]:
        """Settings that make a production start unsafe, each as a sentence."""
        found = []
        if self.production:
            if len(self.secret_key) < 32:
                found.append("SECRET_KEY must be set to a random value of at least 32 characters.")
            if self.is_sqlite:
                found.append("DATABASE_URL must point at PostgreSQL in production, not SQLite.")
            if not self.redis_url:
                found.append("REDIS_URL must be set in production (rate limits are shared through Redis).")
        return found
