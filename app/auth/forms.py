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


def _password(form: FormData, name: str) -> str:
    value = form.get(name)
    return value[: passwords.MAX_LENGTH + 1] if isinstance(value, str) else ""


def forgot(form: FormData) -> Form:
    result = Form({"email": _text(form, "email").lower()})
    if problem := email_problem(result.values["email"]):
        result.errors["email"] = problem
    return result


def new_password(form: FormData, email: str) -> tuple[Form, str]:
    """A new password, typed twice."""
    password, again = _password(form, "password"), _password(form, "password_again")
    result = Form({})
    if problem := passwords.problem(password, email):
        result.errors["password"] = problem
    elif password != again:
        result.errors["password_again"] = "The two passwords are not the same."
    return result, password


def change_password(form: FormData, email: str) -> tuple[Form, str, str]:
    current = _password(form, "current_password")
    result, password = new_password(form, email)
    if not current:
        result.errors["current_password"] = "Enter your current password."
    return result, current, password


def change_email(form: FormData, current_email: str) -> tuple[Form, str]:
    result = Form({"new_email": _text(form, "new_email").lower()})
    if problem := email_problem(result.values["new_email"]):
        result.errors["new_email"] = problem
    elif result.values["new_email"] == current_email.lower():
        result.errors["new_email"] = "That is already your e-mail address."
    return result, _password(form, "current_password")


def code(form: FormData) -> Form:
    """A six-digit authenticator code or a recovery code."""
    result = Form({"code": _text(form, "code", 40)})
    if not result.values["code"]:
        result.errors["code"] = "Enter the code from your authenticator app."
    return result
