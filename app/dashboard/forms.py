"""The dashboard's quick balance update: which holding, then the balance form the sites pages use."""

from __future__ import annotations

from starlette.datastructures import FormData

from app.holdings import forms as holding_forms
from app.holdings.forms import Parsed
from app.models import Holding


def blank_balance() -> Parsed:
    return Parsed({"holding_id": "", "balance": "", "note": "", "request_key": holding_forms.new_key()})


def holding_id(data: FormData) -> int | None:
    """The chosen holding's id, or None when nothing (or nonsense) was chosen."""
    value = holding_forms.text(data, "holding_id")
    return int(value) if value.isdigit() and len(value) < 12 else None


def quick_balance(data: FormData, holding: Holding | None, currency: str, timezone: str) -> Parsed:
    """A new balance for the chosen holding (in its currency); without a holding, a message to choose one.

    `currency` checks the amount's shape while no holding is chosen (the player's own currency).
    """
    form = holding_forms.balance(data, holding.currency if holding is not None else currency, timezone)
    form.values["holding_id"] = holding_forms.text(data, "holding_id")[:20]
    if holding is None:
        form.errors["holding_id"] = "Choose a site or asset."
    return form
