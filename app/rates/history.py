"""Rate history: which units-per-euro rates apply on a given day. Pure, no I/O.

The bundled snapshot (money.SNAPSHOT_RATES) counts as one more known rate of every currency, dated
money.SNAPSHOT_DATE (a stored rate of that same day wins). The rate of a currency on a day is the
newest known rate on or before that day; a day before every known rate takes the snapshot. So a
machine that never fetched uses the snapshot everywhere, and current figures (`latest`) use the
newest stored rate unless it is older than the snapshot.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext

from app import money

EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


@dataclass
class RateHistory:
    """Known rates by currency, oldest first; build it with `from_rows`."""

    days: dict[str, list[date]] = field(default_factory=dict)
    values: dict[str, list[Decimal]] = field(default_factory=dict)
    _cache: dict[date, dict[str, Decimal]] = field(default_factory=dict, repr=False)
    _factors: dict[tuple[str, int, str, int], Decimal] = field(default_factory=dict, repr=False)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, date, Decimal]]) -> RateHistory:
        """From stored (currency, day, units per euro) rows in any order; unknown currencies are ignored."""
        points: dict[str, dict[date, Decimal]] = {
            code: {money.SNAPSHOT_DATE: rate} for code, rate in money.SNAPSHOT_RATES.items()
        }
        for code, day, rate in rows:
            if code in points and rate is not None and rate > 0:
                points[code][day] = rate
        history = cls()
        for code, known in points.items():
            ordered = sorted(known)
            history.days[code] = ordered
            history.values[code] = [known[day] for day in ordered]
        return history

    def rate(self, code: str, day: date) -> Decimal:
        """Units of `code` per euro on `day`."""
        index = bisect.bisect_right(self.days[code], day) - 1
        return self.values[code][index] if index >= 0 else money.SNAPSHOT_RATES[code]

    def on(self, day: date) -> Mapping[str, Decimal]:
        """Every currency's rate on `day`, as the mapping money.convert takes (memoised per day)."""
        rates = self._cache.get(day)
        if rates is None:
            rates = {code: self.rate(code, day) for code in self.days}
            self._cache[day] = rates
        return rates

    def factor(self, from_code: str, to_code: str, day: date) -> Decimal:
        """Units of `to_code` per unit of `from_code` on `day`, to 34 significant digits (memoised per
        pair of rates, so a long history costs one division per rate change, not one per amount)."""
        i = bisect.bisect_right(self.days[from_code], day) - 1
        j = bisect.bisect_right(self.days[to_code], day) - 1
        key = (from_code, i, to_code, j)
        found = self._factors.get(key)
        if found is None:
            source = self.values[from_code][i] if i >= 0 else money.SNAPSHOT_RATES[from_code]
            target = self.values[to_code][j] if j >= 0 else money.SNAPSHOT_RATES[to_code]
            with localcontext(prec=money.CONVERT_PRECISION):
                found = self._factors[key] = target / source
        return found

    def convert(self, amount: Decimal, from_code: str, to_code: str, day: date) -> Decimal:
        """`amount` in `to_code` with the rates of `day`: amount × factor, exact, unrounded."""
        if from_code == to_code:
            return amount
        with localcontext(EXACT):
            return amount * self.factor(from_code, to_code, day)

    def first_move(self, from_code: str, to_code: str, first: date, last: date) -> date | None:
        """The first day in (first, last] on which the rate between the two currencies may change
        (a new known rate of either), None when it stays the same all along."""
        moves = []
        for code in {from_code, to_code}:
            days, values = self.days[code], self.values[code]
            index = bisect.bisect_right(days, first)
            while index < len(days) and days[index] <= last:
                before = values[index - 1] if index > 0 else money.SNAPSHOT_RATES[code]
                if values[index] != before:  # the snapshot's own day changes nothing by itself
                    moves.append(days[index])
                    break
                index += 1
        return min(moves, default=None)

    def latest(self) -> dict[str, Decimal]:
        """Current rates: the newest known rate of every currency."""
        return {code: values[-1] for code, values in self.values.items()}

    def latest_day(self) -> date:
        """The date to show beside current figures: the newest day among the rates `latest` uses."""
        return max(days[-1] for days in self.days.values())


def snapshot_only() -> RateHistory:
    """The history of a machine that never fetched."""
    return RateHistory.from_rows(())
