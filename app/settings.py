"""Typed settings read from the environment (every variable is listed in the README)."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, field, fields
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


def _times(rate: str, factor: int) -> str:
    """'5/15 minutes' times 4 is '20/15 minutes' (a rate the `limits` library parses)."""
    count, _, period = rate.partition("/")
    try:
        return f"{int(count.strip()) * factor}/{period.strip()}"
    except ValueError:
        return rate


@dataclass(frozen=True)
class Settings:
    environment: str = "development"  # development | test | production
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = ""
    redis_url: str | None = None
    base_url: str = "http://127.0.0.1:8000"
    session_cookie: str = "stakeeasy_session"
    session_days: int = 14  # idle timeout of a "remember me" session
    session_hours: int = 12  # idle timeout of a browser session without "remember me"
    login_rate: str = "5/15 minutes"  # per account
    login_ip_rate: str = "20/15 minutes"  # per client address
    signup_rate: str = "5/hour"  # per client address
    email_rate: str = "3/hour"  # confirmation and reset e-mails per address
    two_factor_rate: str = "5/15 minutes"  # codes per account
    post_rate: str = "300/5 minutes"  # every POST, per player (or per address when logged out)
    api_rate: str = "120/minute"  # JSON API requests, per token
    trusted_hosts: tuple[str, ...] = field(default_factory=tuple)
    trusted_proxy_header: str | None = None  # e.g. Fly-Client-IP or X-Forwarded-For
    max_body_bytes: int = 1024 * 1024
    metrics_token: str | None = None  # /metrics answers only with this bearer token (404 without one)
    email_backend: str = "outbox"  # outbox (stored, never sent) | resend
    email_from: str = "StakeEasy <no-reply@stakeeasy.app>"
    resend_api_key: str | None = None
    google_client_id: str | None = None
    google_client_secret: str | None = None
    google_metadata_url: str = "https://accounts.google.com/.well-known/openid-configuration"
    facebook_client_id: str | None = None
    facebook_client_secret: str | None = None
    facebook_graph_url: str = "https://graph.facebook.com/v19.0/"  # Graph API: token exchange and `me`
    facebook_dialog_url: str = "https://www.facebook.com/v19.0/dialog/oauth"  # the login dialog
    log_sql: bool = False
    sentry_dsn: str | None = None  # errors are reported to Sentry only when set (app/sentry.py)
    sentry_environment: str | None = None  # unset: STAKEEASY_ENV
    sentry_traces_sample_rate: float = 0.0  # share of requests traced for performance (0: none)

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def development(self) -> bool:
        return self.environment == "development"

    @property
    def oauth_providers(self) -> tuple[str, ...]:
        """The sign-in providers whose client id and secret are configured."""
        found = []
        if self.google_client_id and self.google_client_secret:
            found.append("google")
        if self.facebook_client_id and self.facebook_client_secret:
            found.append("facebook")
        return tuple(found)

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
        login_rate = env.get("LOGIN_RATE_LIMIT") or "5/15 minutes"
        default_backend = "resend" if environment == "production" else "outbox"
        return cls(
            environment=environment,
            database_url=normalise_database_url(env.get("DATABASE_URL") or DEFAULT_DATABASE_URL),
            secret_key=secret,
            redis_url=env.get("REDIS_URL") or None,
            base_url=env.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
            session_days=int(env.get("SESSION_REMEMBER_DAYS") or 14),
            session_hours=int(env.get("SESSION_BROWSER_HOURS") or 12),
            login_rate=login_rate,
            # Unset, the per-address login limit follows the per-account one (four times it).
            login_ip_rate=env.get("LOGIN_IP_RATE_LIMIT") or _times(login_rate, 4),
            signup_rate=env.get("SIGNUP_RATE_LIMIT") or "5/hour",
            email_rate=env.get("EMAIL_RATE_LIMIT") or "3/hour",
            two_factor_rate=env.get("TWO_FACTOR_RATE_LIMIT") or "5/15 minutes",
            post_rate=env.get("POST_RATE_LIMIT") or "300/5 minutes",
            api_rate=env.get("API_RATE") or "120/minute",
            trusted_hosts=hosts,
            trusted_proxy_header=env.get("TRUSTED_PROXY_HEADER") or None,
            max_body_bytes=int(env.get("MAX_BODY_BYTES") or 1024 * 1024),
            metrics_token=env.get("METRICS_TOKEN") or None,
            email_backend=env.get("EMAIL_BACKEND") or default_backend,
            email_from=env.get("EMAIL_FROM") or "StakeEasy <no-reply@stakeeasy.app>",
            resend_api_key=env.get("RESEND_API_KEY") or None,
            google_client_id=env.get("GOOGLE_CLIENT_ID") or None,
            google_client_secret=env.get("GOOGLE_CLIENT_SECRET") or None,
            google_metadata_url=env.get("GOOGLE_METADATA_URL")
            or "https://accounts.google.com/.well-known/openid-configuration",
            facebook_client_id=env.get("FACEBOOK_CLIENT_ID") or None,
            facebook_client_secret=env.get("FACEBOOK_CLIENT_SECRET") or None,
            facebook_graph_url=env.get("FACEBOOK_GRAPH_URL") or "https://graph.facebook.com/v19.0/",
            facebook_dialog_url=env.get("FACEBOOK_DIALOG_URL")
            or "https://www.facebook.com/v19.0/dialog/oauth",
            log_sql=_bool(env.get("LOG_SQL"), False),
            sentry_dsn=env.get("SENTRY_DSN") or None,
            sentry_environment=env.get("SENTRY_ENVIRONMENT") or None,
            sentry_traces_sample_rate=float(env.get("SENTRY_TRACES_SAMPLE_RATE") or 0),
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
            if self.email_backend == "resend" and not self.resend_api_key:
                found.append("RESEND_API_KEY must be set in production (e-mails are sent through Resend).")
        if not 0 <= self.sentry_traces_sample_rate <= 1:
            found.append("SENTRY_TRACES_SAMPLE_RATE must be between 0 and 1.")
        if self.email_backend not in ("outbox", "resend"):
            found.append("EMAIL_BACKEND must be outbox or resend.")
        return found


SECRET_FIELDS = {"secret_key", "resend_api_key", "metrics_token"}


def _mask_url(url: str) -> str:
    """A URL with its password hidden: postgresql://user:***@host/db."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def describe(settings: Settings) -> list[tuple[str, str]]:
    """Every setting as (name, printable value): secrets masked, passwords cut out of URLs."""
    rows = []
    for item in fields(settings):
        value = getattr(settings, item.name)
        if value is None or value == "":
            text = "(unset)"
        elif item.name in SECRET_FIELDS or item.name.endswith("_secret"):
            text = f"*** ({len(str(value))} characters)"
        elif item.name == "sentry_dsn":  # the key is the URL's user part: https://***@o1.ingest.sentry.io/2
            text = re.sub(r"://[^@/]*@", "://***@", str(value))
        elif item.name.endswith("_url") and isinstance(value, str):
            text = _mask_url(value)
        else:
            text = str(value)
        rows.append((item.name, text))
    return rows
