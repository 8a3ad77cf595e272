"""Deposits and withdrawals: money the player put into poker and took out of it."""
