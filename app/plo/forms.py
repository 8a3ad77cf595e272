"""Reading the PLO tools' query strings: values kept as typed, one message per field that is wrong."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from app.plo import rankings
from app.poker.cards import Card, CardError, Hand, parse_cards
from app.poker.strength import Position

MAX_TEXT = 60
MAX_CHIPS = Decimal("1000000000")
POSITION_OPTIONS = [
    ("UTG", "UTG (under the gun)"),
    ("HJ", "HJ (hijack)"),
    ("CO", "CO (cutoff)"),
    ("BTN", "BTN (button)"),
    ("SB", "SB (small blind)"),
    ("BB", "BB (big blind)"),
]


@dataclass
class Form:
    """What was typed (`values`, shown back in the fields) and a message per bad field."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def text(params: Mapping[str, str], name: str, default: str = "", limit: int = MAX_TEXT) -> str:
    value = params.get(name)
    return value.strip()[:limit] if isinstance(value, str) else default


def whole(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    """A whole number from the query string, or `default` when missing or out of range."""
    try:
        value = int(text(params, name, "", 12))
    except ValueError:
        return default
    return value if low <= value <= high else default


def hand_problem(typed: str) -> str | None:
    """Why the text is not a PLO hand, or None."""
    try:
        Hand(parse_cards(typed))
    except CardError as error:
        return str(error)
    return None


def chips(form: Form, name: str, label: str, *, required: bool = True, zero: bool = False) -> Decimal | None:
    """A chip amount from form.values[name] (Decimal), or None with a message in form.errors."""
    typed = form.values.get(name, "").replace(",", "").replace("_", "")
    if not typed:
        if required:
            form.errors[name] = f"Enter the {label}."
        return None
    try:
        value = Decimal(typed)
    except InvalidOperation:
        form.errors[name] = f"Enter the {label} as a number, like 20 or 2.5."
        return None
    if not value.is_finite():
        form.errors[name] = f"Enter the {label} as a number, like 20 or 2.5."
    elif value < 0 or (value == 0 and not zero):
        form.errors[name] = (
            f"The {label} must be more than zero." if not zero else f"The {label} can't be negative."
        )
    elif value > MAX_CHIPS:
        form.errors[name] = f"The {label} is too large."
    else:
        return value
    return None


# Hand strength ------------------------------------------------------------------------------


def strength(params: Mapping[str, str]) -> tuple[Form, Hand | None, Position]:
    """The hand-strength form: `hand` (4 cards, any order and case) and `position`."""
    form = Form({"hand": text(params, "hand"), "position": text(params, "position").upper() or "BTN"})
    if form.values["position"] not in Position.__members__:
        form.errors["position"] = "Choose a position from the list."
        form.values["position"] = "BTN"
    position = Position(form.values["position"])
    if not form.values["hand"]:
        return form, None, position
    try:
        hand = Hand(parse_cards(form.values["hand"]))
    except CardError as error:
        form.errors["hand"] = str(error)
        return form, None, position
    return form, hand, position


# Rankings and ranges ------------------------------------------------------------------------


def rankings_form(params: Mapping[str, str]) -> tuple[Form, rankings.Query, str, int]:
    """The rankings search: `q` (ranks or cards), `sort` and `page`."""
    sort = text(params, "sort")
    form = Form({"q": text(params, "q"), "sort": sort if sort in rankings.SORTS else "equity"})
    page = whole(params, "page", 1, 1, 100_000)
    try:
        query = rankings.parse_query(form.values["q"])
    except CardError as error:
        form.errors["q"] = str(error)
        query = rankings.Query("")
    return form, query, form.values["sort"], page


def _percent(form: Form, name: str, label: str) -> float | None:
    typed = form.values[name].rstrip("%").strip()
    try:
        value = Decimal(typed)
    except InvalidOperation:
        form.errors[name] = f"Enter the {label} as a percentage from 0 to 100, like 15."
        return None
    if not value.is_finite() or not 0 <= value <= 100:
        form.errors[name] = f"The {label} must be from 0 to 100 %."
        return None
    return float(value)


def ranges_form(params: Mapping[str, str]) -> tuple[Form, float | None, float | None, str, int]:
    """The range viewer: top `low` % to `high` % of hands, ranked `by` equity or score."""
    by = text(params, "by")
    form = Form(
        {
            "low": text(params, "low", "0") or "0",
            "high": text(params, "high", "10") or "10",
            "by": by if by in ("equity", "score") else "equity",
        }
    )
    low = _percent(form, "low", "start of the range")
    high = _percent(form, "high", "end of the range")
    if low is not None and high is not None and low >= high:
        form.errors["high"] = "The end of the range must be above its start."
    page = whole(params, "page", 1, 1, 100_000)
    return form, low, high, form.values["by"], page


# Scenario analyzer --------------------------------------------------------------------------

SEATS = 6
CARD_FIELDS = ("hero", "villain", "board")
FIELD_LABELS = {"hero": "your hand", "villain": "your opponent's hand", "board": "the board"}
FIELD_SIZES = {"hero": 4, "villain": 4, "board": 5}
SCENARIO_DEFAULTS = {
    "hero": "",
    "villain": "",
    "random": "",
    "board": "",
    "to": "hero",
    "sb": "1",
    "bb": "2",
    "hero_stack": "200",
    "villain_stack": "200",
    "pot": "20",
    "bet": "10",
    "hero_seat": "1",
    "villain_seat": "3",
    "button": "1",
}


@dataclass
class Scenario:
    """A valid scenario's parts; hands and board are None while still missing."""

    hero: Hand | None
    villain: Hand | None  # None: missing, or a random opponent when `random` is set
    random: bool
    board: tuple[Card, ...] | None  # the board's cards (3-5), canonical
    sb: Decimal
    bb: Decimal
    hero_stack: Decimal
    villain_stack: Decimal
    pot: Decimal
    bet: Decimal
    hero_seat: int
    villain_seat: int
    button: int

    @property
    def complete(self) -> bool:
        return self.hero is not None and self.board is not None and (self.random or self.villain is not None)


def _seat(form: Form, name: str) -> int:
    try:
        seat = int(form.values[name])
    except ValueError:
        seat = 0
    if not 1 <= seat <= SEATS:
        form.errors[name] = "Choose a seat from 1 to 6."
        form.values[name] = SCENARIO_DEFAULTS[name]
        return int(SCENARIO_DEFAULTS[name])
    return seat


def cards_in(typed: str) -> list[str]:
    """The cards of a field as two-character texts, in the order typed ([] when unreadable)."""
    try:
        return [str(c) for c in parse_cards(typed)]
    except CardError:
        return []


def used_cards(values: Mapping[str, str]) -> dict[str, str]:
    """Every card in the card fields -> the field it is in (a random opponent holds none)."""
    used: dict[str, str] = {}
    for name in CARD_FIELDS:
        if name != "villain" or not values.get("random"):
            used.update(dict.fromkeys(cards_in(values[name]), name))
    return used


def apply_action(values: dict[str, str], params: Mapping[str, str]) -> bool:
    """Apply a card-picker or seat action (pick=As, clear=board, move=button) to `values`.

    Returns True when the request was such an action: its URL is then not the scenario's own.
    """
    pick, clear, move = (
        text(params, "pick", "", 3),
        text(params, "clear", "", 10),
        text(params, "move", "", 10),
    )
    if move == "button":
        seat = values["button"]
        values["button"] = str(int(seat) % SEATS + 1) if seat.isdigit() and 1 <= int(seat) <= SEATS else "1"
    if clear in (*CARD_FIELDS, "all"):
        for name in CARD_FIELDS if clear == "all" else (clear,):
            values[name] = ""
        values["to"] = "hero" if clear == "all" else clear
    if pick:
        _pick(values, pick)
    return bool(pick or clear or move)


def _open_fields(values: dict[str, str]) -> list[str]:
    """The card fields still taking cards, in picking order (a random opponent takes none)."""
    fields = [name for name in CARD_FIELDS if not (name == "villain" and values.get("random"))]
    return [name for name in fields if len(cards_in(values[name])) < FIELD_SIZES[name] or not values[name]]


def _pick(values: dict[str, str], pick: str) -> None:
    try:
        picked = str(parse_cards(pick)[0]) if len(parse_cards(pick)) == 1 else None
    except CardError:
        picked = None
    used = used_cards(values)
    open_fields = _open_fields(values)
    if picked is None or picked in used or not open_fields:
        return
    wanted = values.get("to", "")
    target = wanted if wanted in open_fields else open_fields[0]
    values[target] = "".join(cards_in(values[target] + picked)) if cards_in(values[target]) else picked
    if len(cards_in(values[target])) >= FIELD_SIZES[target]:
        later = [name for name in _open_fields(values) if name != target]
        values["to"] = later[0] if later else target
    else:
        values["to"] = target


def scenario(params: Mapping[str, str]) -> tuple[Form, Scenario | None, bool]:
    """The scenario form, after any picker action; (form, scenario or None, was an action)."""
    values = {name: text(params, name, default) for name, default in SCENARIO_DEFAULTS.items()}
    values["random"] = "on" if values["random"] else ""
    if values["to"] not in CARD_FIELDS:
        values["to"] = "hero"
    action = apply_action(values, params)
    form = Form(values)
    hero = _hand(form, "hero", lenient=action)
    villain = None if values["random"] else _hand(form, "villain", lenient=action, before={"hero": hero})
    board = _board(form, lenient=action, before={"hero": hero, "villain": villain})
    amounts = {
        "sb": chips(form, "sb", "small blind"),
        "bb": chips(form, "bb", "big blind"),
        "hero_stack": chips(form, "hero_stack", "stack you have behind", zero=True),
        "villain_stack": chips(form, "villain_stack", "stack your opponent has behind", zero=True),
        "pot": chips(form, "pot", "pot"),
        "bet": chips(form, "bet", "bet", required=False, zero=True) or Decimal(0),
    }
    seats = {name: _seat(form, name) for name in ("hero_seat", "villain_seat", "button")}
    if seats["hero_seat"] == seats["villain_seat"] and "villain_seat" not in form.errors:
        form.errors["villain_seat"] = "Your opponent needs a seat of their own."
    sb, bb = amounts["sb"], amounts["bb"]
    if sb is not None and bb is not None and sb > bb:
        form.errors["sb"] = "The small blind can't be bigger than the big blind."
    stack, bet = amounts["villain_stack"], amounts["bet"]
    if stack is not None and bet is not None and bet > stack:
        form.errors["bet"] = "The bet can't be more than your opponent has behind."
    if not form.ok:
        return form, None, action
    return form, Scenario(hero, villain, bool(values["random"]), board, **amounts, **seats), action  # type: ignore[arg-type]


def _hand(
    form: Form, name: str, *, lenient: bool, before: dict[str, Hand | None] | None = None
) -> Hand | None:
    """The hand in field `name`, None while empty (or incomplete during picking)."""
    typed = form.values[name]
    if not typed:
        return None
    try:
        cards = parse_cards(typed)
        if lenient and len(cards) < 4:
            return None
        hand = Hand(cards)
    except CardError as error:
        form.errors[name] = str(error)
        return None
    _clash(form, name, hand.cards, before or {})
    return None if name in form.errors else hand


def _board(form: Form, *, lenient: bool, before: dict[str, Hand | None]) -> tuple[Card, ...] | None:
    typed = form.values["board"]
    if not typed:
        return None
    try:
        cards = parse_cards(typed)
    except CardError as error:
        form.errors["board"] = str(error)
        return None
    if lenient and len(cards) < 3:
        return None
    if not 3 <= len(cards) <= 5:
        form.errors["board"] = f"A board has 3 cards (flop), 4 (turn) or 5 (river); you entered {len(cards)}."
        return None
    _clash(form, "board", cards, before)
    return None if "board" in form.errors else cards


def _clash(form: Form, name: str, cards: tuple[Card, ...], before: dict[str, Hand | None]) -> None:
    """A message on `name` when one of its cards is already in an earlier field."""
    for other, hand in before.items():
        if hand is None:
            continue
        shared = [c for c in cards if c in hand.cards]
        if shared:
            form.errors[name] = (
                f"{shared[0]} is already in {FIELD_LABELS[other]}: each card can be dealt once."
            )
            return
