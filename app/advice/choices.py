"""The player's choices for the stake calculators, as enums whose values are the form values."""

from __future__ import annotations

from enum import StrEnum


class Game(StrEnum):
    """The poker game."""

    NLHE = "nlhe"
    PLO = "plo"
    LIMIT = "limit"

    @property
    def label(self) -> str:
        """The name shown to the player."""
        return {"nlhe": "NL Hold'em", "plo": "PLO", "limit": "Limit Hold'em"}[self.value]


class Skill(StrEnum):
    """How tough the games are."""

    SOFT = "soft"
    TOUGH = "tough"
    NOT_SURE = "not_sure"

    @property
    def label(self) -> str:
        """The name shown to the player."""
        return {"soft": "soft games", "tough": "tough games", "not_sure": "not sure"}[self.value]


class Risk(StrEnum):
    """The player's risk tolerance."""

    CONSERVATIVE = "conservative"
    AGGRESSIVE = "aggressive"
    NOT_SURE = "not_sure"

    @property
    def label(self) -> str:
        """The name shown to the player."""
        return {"conservative": "conservative", "aggressive": "aggressive", "not_sure": "not sure"}[
            self.value
        ]


class Environment(StrEnum):
    """Where the player plays."""

    LIVE = "live"
    ONLINE = "online"
    NOT_SURE = "not_sure"

    @property
    def label(self) -> str:
        """The name shown to the player."""
        return {"live": "live", "online": "online", "not_sure": "not sure"}[self.value]


class TournamentFormat(StrEnum):
    """The tournament or sit-and-go format."""

    MTT_REGULAR = "mtt_regular"
    MTT_LARGE_FIELD = "mtt_large_field"
    SNG_9MAX = "sng_9max"
    HEADS_UP_SNG = "heads_up_sng"
    SPIN_AND_GO = "spin_and_go"
    NOT_SURE = "not_sure"

    @property
    def label(self) -> str:
        """The name shown to the player."""
        return {
            "mtt_regular": "MTT (regular)",
            "mtt_large_field": "MTT (large field or turbo)",
            "sng_9max": "SNG 9-max",
            "heads_up_sng": "Heads-up SNG",
            "spin_and_go": "Spin & Go",
            "not_sure": "not sure",
        }[self.value]
