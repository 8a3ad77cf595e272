"""The JSON API v1 (/api/v1), authenticated by personal access tokens, and its docs page (/api)."""
