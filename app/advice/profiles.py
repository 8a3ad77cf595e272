"""Five bankroll profiles (30 to 200 max buy-ins): the stake each supports for one bankroll."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.advice import validate
from app.advice.data import PROFILES, Profile
from app.advice.errors import FieldError
from app.advice.ladder import Buffer
from app.advice.multiples import BuyInRule, FactorPart
from app.advice.stakes import CashAdvice, Stake, advise_on_stakes, cash_ladder


@dataclass(frozen=True)
class ProfileAdvice:
    """One profile's answer: the stake it supports now, what moving up takes, the move-down floor."""

    profile: Profile
    stake: Stake | None
    next: Stake | None
    still_needed: Decimal | None  # to move up to `next` (to reach the smallest stake when `stake` is None)
    move_down_below: Decimal | None
    advice: CashAdvice


def profile_rule(profile: Profile) -> BuyInRule:
    """A rule whose multiple is exactly the profile's number of max buy-ins."""
    part = FactorPart("profile", profile.name, 1, profile.buy_ins, profile.buy_ins)
    return BuyInRule(profile.buy_ins, profile.buy_ins, (part,))


def profile_advice(
    bankroll: Decimal | int, ladder: tuple[Stake, ...] | None = None, buffer: Buffer | None = None
) -> tuple[ProfileAdvice, ...]:
    """Each of the five profiles applied to `bankroll` (default ladder USD, buffer 10 buy-ins)."""
    amount = validate.non_negative(bankroll, "bankroll")
    stakes = ladder if ladder is not None else cash_ladder("USD")
    if not stakes:
        raise FieldError("currency", "There are no stakes for this currency.")
    results = []
    for profile in PROFILES:
        advice = advise_on_stakes(amount, stakes, profile_rule(profile), buffer or Buffer.buy_ins(10))
        results.append(
            ProfileAdvice(
                profile, advice.recommended, advice.next, advice.still_needed, advice.move_down_below, advice
            )
        )
    return tuple(results)
