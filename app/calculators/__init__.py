"""Bankroll calculators on the web: stakes, tournaments, risk of ruin, variance, SPR, pot odds, goals."""

from __future__ import annotations

from app.tools import Tool

TOOLS: list[Tool] = []
