"""Sending e-mail: Resend in production, a local outbox table in development and tests."""
