"""Goals: bankroll, profit and volume targets with a date, their progress, completion and archive."""
