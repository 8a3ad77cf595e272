"""Transfers between two of the player's own holdings: both balance changes in one step."""
