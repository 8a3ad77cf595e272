"""Stake advice and bankroll risk: pure calculations (no web code), Decimal amounts in and out.

Modules: multiples (the weighted buy-in rule), stakes (cash ladder and advice), tournaments (site
buy-ins and advice), ladder (recommended/next/move-down shared by both), profiles, explain (the
plain-language paragraph), risk (risk of ruin), simulate (variance simulator), spr, potodds, goals;
data holds the rule tables and ladders; errors has AdviceError and FieldError.
"""
