"""Cash-game stakes: the ladder in the player's currency, stake advice, shot-taking, the explanation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from app.advice import validate
from app.advice.choices import Environment, Game, Risk, Skill
from app.advice.currency import Converter, from_usd
from app.advice.data import MAX_BUY_IN_BB, MIN_BUY_IN_BB, NATIVE_STAKES, USD_STAKES
from app.advice.errors import FieldError
from app.advice.ladder import Buffer, LadderAdvice, advise
from app.advice.multiples import BuyInRule, cash_buy_ins


@dataclass(frozen=True)
class Stake:
    """A cash-game stake: blinds in `currency`; `name` is the nominal blinds in `nominal_currency`."""

    name: str
    small_blind: Decimal
    big_blind: Decimal
    currency: str
    nominal_currency: str

    @property
    def max_buy_in(self) -> Decimal:
        """The max buy-in: 100 big blinds."""
        return self.big_blind * MAX_BUY_IN_BB

    @property
    def min_buy_in(self) -> Decimal:
        """The min buy-in: 40 big blinds."""
        return self.big_blind * MIN_BUY_IN_BB


@dataclass(frozen=True)
class ShotPlan:
    """A shot at the next stake: how many of its buy-ins it may use and when to come back down."""

    stake: Stake
    buy_ins: int
    amount: Decimal  # buy_ins × the stake's max buy-in
    come_back_at: Decimal  # back down to the current stake once the bankroll is at or below this
    ready: bool  # the shot is money above the current stake's requirement: losing it all changes nothing


CashAdvice = LadderAdvice[Stake]


def cash_ladder(
    currency: str = "USD", *, convert: Converter | None = None, native: bool = True
) -> tuple[Stake, ...]:
    """The stakes in `currency`: USD as is, EUR/GBP native ladders, or the USD ladder converted."""
    code = currency.upper()
    to_currency: Callable[[Decimal], Decimal] | None = None
    if code == "USD":
        rows, nominal = USD_STAKES, "USD"
    elif native and code in NATIVE_STAKES:
        rows, nominal = NATIVE_STAKES[code], code
    else:
        rows, nominal, to_currency = USD_STAKES, "USD", from_usd(code, convert)
    stakes = []
    for small, big in rows:
        sb, bb = Decimal(small), Decimal(big)
        name = f"{small}/{big}"
        if to_currency is not None:
            sb, bb = to_currency(sb), to_currency(bb)
        stakes.append(Stake(name, sb, bb, code, nominal))
    return tuple(stakes)


def _current_index(ladder: tuple[Stake, ...], current: Stake | str | None) -> int | None:
    """The index of the stake the player plays now (a Stake or its name), if any."""
    if current is None:
        return None
    for i, stake in enumerate(ladder):
        if stake == current or stake.name == current:
            return i
    raise FieldError("current", "Choose one of the stakes.")


def cash_advice(
    bankroll: Decimal | int,
    *,
    game: Game | str = Game.NLHE,
    skill: Skill | str = Skill.TOUGH,
    risk: Risk | str = Risk.CONSERVATIVE,
    environment: Environment | str = Environment.ONLINE,
    ladder: tuple[Stake, ...] | None = None,
    buffer: Buffer | None = None,
    current: Stake | str | None = None,
) -> CashAdvice:
    """Stake advice for a cash-game bankroll (in the ladder's currency; default ladder USD)."""
    amount = validate.non_negative(bankroll, "bankroll")
    stakes = ladder if ladder is not None else cash_ladder("USD")
    if not stakes:
        raise FieldError("currency", "There are no stakes for this currency.")
    rule = cash_buy_ins(game, skill, risk, environment)
    return advise_on_stakes(amount, stakes, rule, buffer or Buffer.buy_ins(10), current)


def advise_on_stakes(
    bankroll: Decimal,
    ladder: tuple[Stake, ...],
    rule: BuyInRule,
    buffer: Buffer,
    current: Stake | str | None = None,
) -> CashAdvice:
    """Stake advice for a bankroll with a given rule (used by cash_advice and the profiles)."""
    index = _current_index(ladder, current)
    return advise(bankroll, ladder[0].currency, ladder, lambda s: s.max_buy_in, rule, buffer, index)


def shot_plan(advice: CashAdvice, buy_ins: Decimal | int = 5) -> ShotPlan | None:
    """A shot at the next stake with `buy_ins` of its max buy-ins (None at the top or below the smallest).

    The shot is over when the bankroll is back at start − shot (come back down then); it is `ready` when
    that level still covers the current stake's full requirement, so a failed shot costs no stake.
    """
    count = validate.whole(buy_ins, "shot_buy_ins", 1, 50, label="number of buy-ins for a shot")
    if advice.next is None or advice.recommended is None:
        return None
    amount = advice.next.max_buy_in * count
    come_back_at = advice.bankroll - amount
    required = advice.row(advice.recommended).required
    return ShotPlan(advice.next, count, amount, come_back_at, come_back_at >= required)
