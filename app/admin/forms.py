"""The admin area's inputs: the user search, list filters and the reason for disabling an account."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.admin.queries import EMAIL_STATUSES
from app.auth.forms import Form

REASON_MAX = 500
PAGE_MAX = 10_000


def page(params: Mapping[str, Any]) -> int:
    value = str(params.get("page") or "1")
    return min(int(value), PAGE_MAX) if value.isdigit() and int(value) > 0 else 1


def search(params: Mapping[str, Any]) -> dict[str, str]:
    """What the user search asks for: part of an e-mail address (case does not matter)."""
    return {"q": " ".join(str(params.get("q") or "").split())[:254]}


def email_status(params: Mapping[str, Any]) -> str:
    status = str(params.get("status") or "")
    return status if status in EMAIL_STATUSES else ""


def disable(data: Mapping[str, Any], *, own_account: bool) -> Form:
    """Why the account is disabled (kept in the audit log), required."""
    reason = " ".join(str(data.get("reason") or "").split())
    form = Form({"reason": reason[: REASON_MAX + 100]})
    if own_account:
        form.errors["reason"] = "You can't disable your own account. Ask another admin if it must be."
    elif not reason:
        form.errors["reason"] = "Say why, for the audit log: for example “fraud report 1234”."
    elif len(reason) > REASON_MAX:
        form.errors["reason"] = f"Use at most {REASON_MAX} characters (this has {len(reason)})."
    return form
