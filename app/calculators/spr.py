"""The SPR calculator: stack ÷ pot, its zone, and the hand-type × zone decision table."""

from __future__ import annotations

from collections.abc import Mapping

from app.advice import spr
from app.advice.errors import FieldError
from app.calculators.forms import Reader
from app.calculators.player import Player
from app.calculators.tools import Outcome

HANDS = [("", "Any (show the whole table)")] + [(kind.value, name) for kind, name in spr.HAND_NAMES.items()]


def zone_ranges() -> list[tuple[spr.ZoneInfo, str]]:
    """Each zone with its range as text ('≤ 1', '1–4', '4–13', '> 13'), from the one list of bounds."""
    ranges, lower = [], None
    for info in spr.ZONES:
        if lower is None:
            text = f"≤ {info.upper}"
        elif info.upper is None:
            text = f"> {lower}"
        else:
            text = f"{lower}–{info.upper}"
        ranges.append((info, text))
        lower = info.upper
    return ranges


def read(params: Mapping[str, str], player: Player) -> Outcome:
    """Parse the form and, when it is valid, place the SPR in its zone."""
    reader = Reader(params)
    stack = reader.number("stack", "effective stack", "100", low=0, high=1_000_000_000)
    pot = reader.number("pot", "pot", "10", above=0, high=1_000_000_000)
    hand = reader.choice("hand", [value for value, _ in HANDS], "")
    context = {
        "hands": HANDS,
        "zones": zone_ranges(),
        "table": [(kind, spr.HAND_NAMES[kind], spr.DECISIONS[kind]) for kind in spr.HandType],
        "fmt": player.fmt,
        "result": None,
    }
    if stack is None or pot is None or not reader.ok:
        return Outcome(reader.form, context)
    try:
        ratio = spr.spr(stack, pot)
        info = spr.zone(ratio)
        decision = spr.decision(hand, ratio) if hand else None
    except FieldError as error:
        reader.field_error(error)
        return Outcome(reader.form, context)
    context["result"] = {"ratio": ratio, "zone": info, "hand": hand, "decision": decision}
    return Outcome(reader.form, context, computed=True)
