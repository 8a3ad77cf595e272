"""Sign-up and login forms: parse and validate, returning values and per-field messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from starlette.datastructures import FormData

from app import money
from app.security import passwords

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Form:
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(form: FormData, name: str, limit: int = 300) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def email_problem(email: str) -> str | None:
    if not email:
        return "Enter your e-mail address."
    if len(email) > 254 or not EMAIL_RE.match(email):
        return "Enter a valid e-mail address, like name@example.com."
    return None


def signup(form: FormData) -> Form:
    values = {
        "email": _text(form, "email").lower(),
        "display_currency": _text(form, "display_currency").upper() or "USD",
        "locale": _text(form, "locale") or "en_US",
    }
    password = form.get("password")
    password = password if isinstance(password, str) else ""
    result = Form(values)
    if problem := email_problem(values["email"]):
        result.errors["email"] = problem
    if problem := passwords.problem(password, values["email"]):
        result.errors["password"] = problem
    if not money.is_currency(values["display_currency"]):
        result.errors["display_currency"] = "Choose a currency from the list."
    if values["locale"] not in money.LOCALES:
        result.errors["locale"] = "Choose a number format from the list."
    return result


def login(form: FormData) -> tuple[Form, str]:
    values = {"email": _text(form, "email").lower(), "remember": "on" if form.get("remember") else ""}
    password = form.get("password")
    password = password if isinstance(password, str) else ""
    result = Form(values)
    if not values["email"]:
        result.errors["email"] = "Enter your e-mail address."
    if not password:
        result.errors["password"] = "Enter your password."
    return result, password[: passwords.MAX_LENGTH]
