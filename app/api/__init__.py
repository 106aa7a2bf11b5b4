"""The JSON API v1: token-authenticated, described by a generated OpenAPI document."""
