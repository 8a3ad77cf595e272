"""Streaks (consecutive local days with a bankroll action) and achievements."""
