"""The tools hub: every calculator and poker tool, listed with a one-line description."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tool:
    """One entry on the tools hub; `slug` is the key recorded in tool_uses."""

    slug: str
    name: str
    summary: str
    route: str
    group: str
