"""The transfer form: parse and validate against the player's live holdings, keeping what was typed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from app import money
from app.auth.forms import Form
from app.flows.forms import local_input, new_request_key, parse_moment
from app.models import Holding, Transfer, User

FIELDS = (
    "occurred_at",
    "from_holding_id",
    "to_holding_id",
    "amount",
    "fee",
    "received",
    "note",
    "request_key",
)
NOTE_LIMIT = 500
REQUEST_KEY_LIMIT = 56  # the column holds 64 and the balance entries' keys add "-from" / "-to"


@dataclass
class TransferInput:
    """A valid transfer, ready for queries.create_transfer. `received` is None: work it out."""

    occurred_at: datetime
    source: Holding
    target: Holding
    amount: Decimal  # leaves the source, fee included, in its currency
    fee: Decimal  # in the source's currency
    received: Decimal | None  # arrives, in the target's currency
    note: str | None
    request_key: str | None


def blank(user: User, now: datetime | None = None) -> Form:
    values = dict.fromkeys(FIELDS, "")
    values["occurred_at"] = local_input(now or datetime.now(UTC), user)
    values["request_key"] = new_request_key()
    return Form(values)


def from_transfer(transfer: Transfer, user: User) -> Form:
    """The edit form, filled in from a stored transfer. In one currency what arrived is always the
    amount less the fee, so it is left empty there (a changed amount would otherwise contradict it)."""
    same = transfer.from_currency == transfer.to_currency
    values = {
        "occurred_at": local_input(transfer.occurred_at, user),
        "from_holding_id": str(transfer.from_holding_id or ""),
        "to_holding_id": str(transfer.to_holding_id or ""),
        "amount": f"{money.quantize(transfer.amount, transfer.from_currency):f}",
        "fee": f"{money.quantize(transfer.fee, transfer.from_currency):f}" if transfer.fee else "",
        "received": "" if same else f"{money.quantize(transfer.received, transfer.to_currency):f}",
        "note": transfer.note or "",
        "request_key": "",
    }
    return Form(values)


def _raw(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return value.strip()[:600] if isinstance(value, str) else ""


def _money(form: Form, name: str, currency: str, *, allow_zero: bool = False) -> Decimal | None:
    try:
        return money.parse_amount(form.values[name], currency, allow_zero=allow_zero)
    except money.MoneyError as problem:
        form.errors[name] = str(problem)
        return None


def parse(
    data: Mapping[str, Any],
    user: User,
    holdings: Sequence[Holding],
    *,
    now: datetime | None = None,
    kept: datetime | None = None,
) -> tuple[Form, TransferInput | None]:
    """Validate a submitted transfer: two different holdings of the player's, a positive amount, a fee
    smaller than it, and (one currency) nothing received but the amount less the fee.

    `kept`: the edited transfer's moment, kept as it is when the (minute-rounded) time was not changed.
    """
    form = Form({name: _raw(data, name) for name in FIELDS})
    values = form.values
    now = now or datetime.now(UTC)
    occurred_at, problem = parse_moment(values["occurred_at"], user, now)
    if problem:
        form.errors["occurred_at"] = problem
    elif kept is not None and values["occurred_at"] == local_input(kept, user):
        occurred_at = kept
    elif occurred_at is not None and occurred_at.replace(second=0, microsecond=0) == now.replace(
        second=0, microsecond=0
    ):
        occurred_at = now  # the form's "now" has no seconds: a balance saved earlier this minute counts
    by_id = {str(h.id): h for h in holdings}
    source = by_id.get(values["from_holding_id"])
    target = by_id.get(values["to_holding_id"])
    if source is None:
        form.errors["from_holding_id"] = "Choose the site or asset the money left."
    if target is None:
        form.errors["to_holding_id"] = "Choose the site or asset the money went to."
    elif source is not None and source.id == target.id:
        form.errors["to_holding_id"] = "Choose a different site or asset from the one the money left."
    amount = fee = received = None
    if source is not None:
        amount = _money(form, "amount", source.currency)
        fee = _money(form, "fee", source.currency, allow_zero=True) if values["fee"] else Decimal(0)
        if amount is not None and fee is not None and fee >= amount:
            form.errors["fee"] = "The fee must be less than the amount sent."
    if target is not None and values["received"]:
        received = _money(form, "received", target.currency)
        if (
            received is not None
            and source is not None
            and amount is not None
            and fee is not None
            and source.currency == target.currency
            and received != amount - fee
        ):
            shown = money.format_money(amount - fee, source.currency, user.locale)
            form.errors["received"] = f"In one currency, what arrives is the amount less the fee: {shown}."
    if len(values["note"]) > NOTE_LIMIT:
        form.errors["note"] = f"Keep the note to {NOTE_LIMIT} characters or fewer."
    key = values["request_key"]
    if (
        not form.ok
        or occurred_at is None
        or source is None
        or target is None
        or amount is None
        or fee is None
    ):
        return form, None
    return form, TransferInput(
        occurred_at=occurred_at,
        source=source,
        target=target,
        amount=amount,
        fee=fee,
        received=received,
        note=values["note"] or None,
        request_key=key if 0 < len(key) <= REQUEST_KEY_LIMIT else None,
    )
