"""PLO tools on the web: hand strength, scenario analyzer, rankings, ranges, quizzes, guides."""

from __future__ import annotations

from app.tools import Tool

TOOLS: list[Tool] = []
