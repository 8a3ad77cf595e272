"""Two-factor authentication: TOTP codes (RFC 6238), the QR code as inline SVG, recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

import pyotp
import segno
from markupsafe import Markup

ISSUER = "StakeEasy"
STEP = 30
RECOVERY_COUNT = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no look-alikes (0/o, 1/l/i)


def new_secret() -> str:
    return pyotp.random_base32()


def uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(text: str) -> Markup:
    """The QR code as inline SVG: attributes only, no style="" (the CSP forbids inline styles)."""
    svg = segno.make(text, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", svgclass="qr-code", lineclass=None
    )
    assert "style" not in svg
    svg = svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1)
    return Markup(svg)  # noqa: S704  (segno's own output from our text; nothing of the player's is markup)


def normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def matching_step(secret: str, code: str, last_step: int | None, now: float | None = None) -> int | None:
    """The time step the code belongs to (now, or one step either side), if it is newer than the
    last one accepted; None for a wrong, stale or replayed code."""
    code = normalise(code)
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    current = int((time.time() if now is None else now) // STEP)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code) and (last_step is None or step > last_step):
            return step
    return None


def recovery_codes() -> list[str]:
    """Ten codes like "k7p2m-x9q4r" (50 bits each), shown once."""
    codes = []
    for _ in range(RECOVERY_COUNT):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def hash_recovery(code: str) -> str:
    """Recovery codes are random and long, so a plain SHA-256 of the normalised code is enough."""
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def looks_like_recovery(code: str) -> bool:
    return len(normalise(code)) == 10
