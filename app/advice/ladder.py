"""Where a bankroll sits on a ladder of stakes or buy-ins: recommended, next, move-down (shared logic).

A rung of size S (a cash game's max buy-in, a tournament's buy-in) needs M × S. The player is rolled
for the highest rung with bankroll ≥ M × S. Moving down uses a hysteresis buffer: a player at rung S
stays there until the bankroll falls strictly below the floor, (M − buffer) × S in buy-ins or
M × (1 − p/100) × S in percent, so one losing session does not flip the advice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Generic, Literal, TypeVar

from app.advice import validate
from app.advice.errors import FieldError
from app.advice.multiples import BuyInRule

T = TypeVar("T")


class Status(StrEnum):
    """What the advice says to do."""

    PLAY = "play"  # no current stake given: play the recommended one
    STAY = "stay"  # the current stake is the recommended one
    MOVE_UP = "move_up"  # rolled for a higher stake than the current one
    HOLD = "hold"  # below the current stake's requirement but not below its floor: stay
    MOVE_DOWN = "move_down"  # below the current stake's floor: drop to the recommended stake
    BELOW_SMALLEST = "below_smallest"  # not enough for the smallest rung


@dataclass(frozen=True)
class Buffer:
    """The move-down hysteresis: a number of buy-ins, or a percentage of the requirement."""

    amount: Decimal
    unit: Literal["buy_ins", "percent"]

    @classmethod
    def buy_ins(cls, amount: Decimal | int = 10) -> Buffer:
        """A buffer of `amount` buy-ins (default 10)."""
        return cls(validate.non_negative(amount, "buffer"), "buy_ins")

    @classmethod
    def percent(cls, amount: Decimal | int = 20) -> Buffer:
        """A buffer of `amount` percent of the requirement (default 20)."""
        value = validate.non_negative(amount, "buffer")
        if value >= 100:
            raise FieldError("buffer", "The buffer must be less than 100 %.")
        return cls(value, "percent")

    def floor_multiple(self, multiple: Decimal) -> Decimal:
        """The buy-ins below which a player moves down, for the multiple M."""
        if self.unit == "percent":
            return multiple * (100 - self.amount) / 100
        if self.amount >= multiple:
            raise FieldError("buffer", f"The buffer must be fewer than {multiple} buy-ins.")
        return multiple - self.amount

    @property
    def label(self) -> str:
        """'10 buy-ins' or '20 %'."""
        amount = self.amount.normalize()
        amount = amount.quantize(1) if amount == amount.to_integral_value() else amount
        return f"{amount} %" if self.unit == "percent" else f"{amount} buy-ins"


@dataclass(frozen=True)
class LadderRow(Generic[T]):
    """One rung in the table of all stakes: requirement, what is still needed (negative = cushion)."""

    rung: T
    size: Decimal
    required: Decimal
    still_needed: Decimal
    move_down_below: Decimal
    is_recommended: bool
    is_next: bool
    is_move_down: bool
    is_current: bool


@dataclass(frozen=True)
class LadderAdvice(Generic[T]):
    """Advice for a bankroll on a ladder; `recommended` is the rung to play now (None: below smallest)."""

    bankroll: Decimal
    currency: str
    rule: BuyInRule
    buffer: Buffer
    status: Status
    recommended: T | None
    rolled_for: T | None  # the highest rung with bankroll ≥ M × size
    current: T | None
    next: T | None
    still_needed: Decimal | None  # for `next` (or the smallest rung when below it)
    move_down_below: Decimal | None  # the floor of `recommended`
    move_down_to: T | None  # the rung a bankroll just below the floor is rolled for (None: none)
    rows: tuple[LadderRow[T], ...]

    @property
    def multiple(self) -> Decimal:
        """The multiple M used everywhere in this advice."""
        return self.rule.multiple

    def row(self, rung: T) -> LadderRow[T]:
        """The table row of `rung`."""
        for row in self.rows:
            if row.rung == rung:
                return row
        raise KeyError(rung)


def advise(
    bankroll: Decimal,
    currency: str,
    rungs: Sequence[T],
    size: Callable[[T], Decimal],
    rule: BuyInRule,
    buffer: Buffer,
    current: int | None,
) -> LadderAdvice[T]:
    """Place `bankroll` on `rungs` (ascending by size); `current` is the index the player plays, if any."""
    multiple = rule.multiple
    floor_multiple = buffer.floor_multiple(multiple)
    sizes = [size(rung) for rung in rungs]
    required = [multiple * s for s in sizes]
    floors = [floor_multiple * s for s in sizes]
    fits = [i for i, need in enumerate(required) if bankroll >= need]
    rolled = fits[-1] if fits else None

    advised: int | None
    if current is None:
        advised, status = rolled, Status.PLAY
    elif rolled is not None and current <= rolled:
        advised, status = rolled, (Status.STAY if current == rolled else Status.MOVE_UP)
    elif bankroll >= floors[current]:
        advised, status = current, Status.HOLD
    else:
        advised, status = rolled, Status.MOVE_DOWN
    if advised is None:
        status = Status.BELOW_SMALLEST

    nxt = 0 if advised is None else advised + 1
    nxt_or_none = nxt if nxt < len(rungs) else None
    # Where a player at `advised` goes when the bankroll falls just below its floor.
    down = None
    if advised is not None:
        below = [i for i in range(advised) if required[i] < floors[advised]]
        down = below[-1] if below else None
    rows = tuple(
        LadderRow(
            rung,
            sizes[i],
            required[i],
            required[i] - bankroll,
            floors[i],
            i == advised,
            i == nxt_or_none,
            i == down,
            i == current,
        )
        for i, rung in enumerate(rungs)
    )
    return LadderAdvice(
        bankroll=bankroll,
        currency=currency,
        rule=rule,
        buffer=buffer,
        status=status,
        recommended=None if advised is None else rungs[advised],
        rolled_for=None if rolled is None else rungs[rolled],
        current=None if current is None else rungs[current],
        next=None if nxt_or_none is None else rungs[nxt_or_none],
        still_needed=None if nxt_or_none is None else required[nxt_or_none] - bankroll,
        move_down_below=None if advised is None else floors[advised],
        move_down_to=None if down is None else rungs[down],
        rows=rows,
    )
