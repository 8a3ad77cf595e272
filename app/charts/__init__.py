"""One charts page with a chooser: bankroll, profit, deposits and withdrawals per month, current split."""
